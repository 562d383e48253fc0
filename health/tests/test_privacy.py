"""Health details are for medical officers only, every read is audited, and free-text notes
are encrypted at rest."""

import pytest
from cryptography.fernet import Fernet
from django.db import connection

from health import crypto, services
from health.models import Clearance, DiseaseCase, Examination
from health.tests.helpers import admitted, complete_checklist
from people.audit import AuditEntry
from people.tests.personas import assert_access

SECRET = "Tuberculin strongly positive, cavity upper left lobe"


def examined(personas):
    person = admitted(personas, days_ago=3)
    services.record_examination(
        user=personas["medical-onsong"],
        person=person,
        fitness="light",
        contagious=False,
        findings=SECRET,
    )
    return person


def raw_rows(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (fixed table names)
        return repr(cursor.fetchall())


def test_findings_are_not_stored_in_plaintext(personas) -> None:
    person = examined(personas)
    assert "Tuberculin" not in raw_rows("health_examination")
    assert "fernet:" in raw_rows("health_examination")
    assert Examination.objects.get(stay__person=person).findings == SECRET


def test_clearance_notes_and_adjustment_reasons_are_encrypted(personas) -> None:
    person = admitted(personas, days_ago=16)
    complete_checklist(personas, person)
    services.clear(
        user=personas["medical-onsong"], person=person, notes="Old scar, syphilis treated"
    )
    assert "syphilis" not in raw_rows("health_clearance")
    assert Clearance.objects.get().notes == "Old scar, syphilis treated"


def test_notes_are_read_with_a_rotated_key(personas, monkeypatch) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv("HEALTH_NOTES_KEY", old)
    person = examined(personas)
    monkeypatch.setenv("HEALTH_NOTES_KEY", f"{new},{old}")
    assert Examination.objects.get(stay__person=person).findings == SECRET
    monkeypatch.setenv("HEALTH_NOTES_KEY", new)
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        Examination.objects.get(stay__person=person)


def test_without_a_key_production_refuses_to_store_notes(settings, monkeypatch) -> None:
    monkeypatch.delenv("HEALTH_NOTES_KEY", raising=False)
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        crypto._cipher("", False, False)
    assert (
        crypto._cipher("", True, False).decrypt(crypto._cipher("", False, True).encrypt(b"x"))
        == b"x"
    )


def test_the_person_page_shows_details_to_medical_officers_only(personas) -> None:
    person = examined(personas)
    url = f"/people/{person.pk}/"
    page = personas.client_for("medical-onsong").get(url).content.decode()
    assert 'data-testid="health-panel"' in page and "day 4 of 15" in page
    for name in ("registrar-onsong", "supplies-onsong", "labour", "admin", "auditor"):
        page = personas.client_for(name).get(url).content.decode()
        assert 'data-testid="health-panel"' not in page, name
        assert "In quarantine" in page and "Tuberculin" not in page, name


def test_every_read_of_health_details_is_audited(personas) -> None:
    person = examined(personas)
    client = personas.client_for("medical-onsong")
    client.get(f"/people/{person.pk}/")
    client.get(f"/health/people/{person.pk}/")
    reads = AuditEntry.objects.filter(
        person=person, action="view", user=personas["medical-onsong"]
    ).values_list("reason", flat=True)
    assert "Health panel on the person page" in reads and "Health record" in reads
    personas.client_for("registrar-onsong").get(f"/people/{person.pk}/")
    assert not AuditEntry.objects.filter(
        person=person, action="view", reason__startswith="Health", role="registrar"
    ).exists()


def test_the_health_record_shows_findings_to_its_medical_officer_only(personas) -> None:
    person = examined(personas)
    assert_access(personas, f"/health/people/{person.pk}/", allowed={"medical-onsong"})
    page = personas.client_for("medical-onsong").get(f"/health/people/{person.pk}/")
    assert SECRET in page.content.decode()


def test_the_board_is_for_the_stations_medical_officer(personas) -> None:
    assert_access(personas, "/health/stations/onsong/quarantine/", allowed={"medical-onsong"})
    assert_access(
        personas,
        "/health/quarantine/",
        allowed={"medical-onsong", "medical-musan"},
        allowed_status=(302,),
    )


def test_the_outbreak_view_is_for_medical_officers_and_administrators(personas) -> None:
    assert_access(
        personas, "/health/outbreaks/", allowed={"medical-onsong", "medical-musan", "admin"}
    )
    assert_access(personas, "/health/cases/new/", allowed={"medical-onsong", "medical-musan"})


def test_exports_are_for_the_medical_officer_and_audited(personas) -> None:
    person = examined(personas)
    for suffix in ("immunizations.json", "vaccination-card.pdf"):
        assert_access(personas, f"/health/people/{person.pk}/{suffix}", allowed={"medical-onsong"})
    assert AuditEntry.objects.filter(person=person, action="export").count() == 2


def test_actions_are_posted_by_the_stations_medical_officer_only(personas) -> None:
    person = admitted(personas, days_ago=3)
    url = f"/health/people/{person.pk}/wash/"
    assert_access(personas, url, allowed={"medical-onsong"}, method="post", allowed_status=(302,))
    assert services.open_stay_of(person).washed_on is not None


def test_case_notes_are_encrypted(personas) -> None:
    from health.cases import record_case
    from health.models import Disease

    record_case(
        user=personas["medical-onsong"],
        disease=Disease.objects.get(icd10="A03"),
        station=personas.onsong,
        county="Kilju County",
        onset_date=services.clock.today(),
        isolated=True,
        notes="Bloody stool since Tuesday",
    )
    assert "Bloody" not in raw_rows("health_diseasecase")
    assert DiseaseCase.objects.get().notes == "Bloody stool since Tuesday"


def test_reading_the_board_is_audited_with_the_stays_shown(personas) -> None:
    person = admitted(personas, days_ago=3)
    personas.client_for("medical-onsong").get("/health/stations/onsong/quarantine/")
    entry = AuditEntry.objects.get(action="view", reason="Quarantine board")
    assert entry.station == personas.onsong and entry.detail["stays"] == [
        services.open_stay_of(person).pk
    ]
