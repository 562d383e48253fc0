import pytest
from django.db import DatabaseError, connection, transaction

from people.audit import AuditEntry, AuditLogIsAppendOnly, record_audit
from people.tests.factories import PersonFactory
from people.tests.personas import assert_access


def test_audit_entries_cannot_be_changed_or_deleted_through_the_app(personas) -> None:
    entry = record_audit(user=personas["admin"], action="view")
    entry.reason = "rewritten"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="x")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).delete()


def test_the_database_refuses_to_rewrite_an_audit_entry(personas) -> None:
    entry = record_audit(user=personas["admin"], action="view")
    table = AuditEntry._meta.db_table
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET reason = 'forged' WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).reason == ""


def test_reading_a_person_page_writes_one_view_entry_with_who_and_what(personas) -> None:
    person = PersonFactory(station=personas.onsong)
    personas.client_for("registrar-onsong").get(f"/people/{person.pk}/")
    entry = AuditEntry.objects.get(action="view", person=person)
    assert entry.user == personas["registrar-onsong"] and entry.role == "registrar"
    assert entry.object_type == "people.Person" and entry.object_id == str(person.pk)


def test_only_auditors_and_administrators_browse_the_audit_log(personas) -> None:
    assert_access(personas, "/audit/", allowed={"auditor", "admin"})


def test_the_audit_log_filters_by_user_action_and_person(personas) -> None:
    person = PersonFactory(station=personas.onsong)
    other = PersonFactory(station=personas.onsong, given_name_hangul="영수")
    personas.client_for("registrar-onsong").get(f"/people/{person.pk}/")
    personas.client_for("medical-onsong").get(f"/people/{other.pk}/")
    client = personas.client_for("auditor")
    page = client.get("/audit/", {"user": "registrar-onsong", "action": "view"}).context["page"]
    assert [entry.person_id for entry in page] == [person.pk]
    page = client.get("/audit/", {"person": other.pk}).context["page"]
    assert {entry.user.username for entry in page} == {"medical-onsong"}


def test_the_log_names_what_an_entry_is_about_as_a_reader_would(personas) -> None:
    person = PersonFactory(station=personas.onsong)
    record_audit(user=personas["registrar-onsong"], action="view", obj=person, person=person)
    page = personas.client_for("auditor").get("/audit/").content.decode()
    assert f"{person.display_name} ({person.pk})" in page
    assert "people.Person" not in page and ">registrar<" not in page and "Registrar" in page
