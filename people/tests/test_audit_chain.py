"""The audit log's hash chain: every write links, tampering is found, appends never fork."""

import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction

from people.audit import AuditEntry, record_audit, record_audits, verify_chain
from people.tests.factories import PersonFactory, StationFactory, UserFactory


def _tamper(entry_id: int, reason: str) -> None:
    """Change a row the way an intruder with database access would: past the append-only
    trigger, which is lifted inside the test's transaction only (rolled back with it)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks for ALTER
            cursor.execute(
                "ALTER TABLE people_auditentry DISABLE TRIGGER people_auditentry_append_only"
            )
        else:
            cursor.execute("DROP TRIGGER people_auditentry_no_update")
        cursor.execute("UPDATE people_auditentry SET reason = %s WHERE id = %s", [reason, entry_id])


def _lift_triggers() -> None:
    """What an intruder with database access can do: lift the append-only triggers (inside
    the test's transaction only, rolled back with it)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks for ALTER
            cursor.execute(
                "ALTER TABLE people_auditentry DISABLE TRIGGER people_auditentry_append_only"
            )
        else:
            cursor.execute("DROP TRIGGER IF EXISTS people_auditentry_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS people_auditentry_no_delete")


def _write_some() -> list[AuditEntry]:
    user = UserFactory()
    station = StationFactory()
    persons = [PersonFactory(station=station) for _ in range(3)]
    record_audits(user, AuditEntry.Action.CREATE, persons, reason="Registered")
    record_audit(
        user=user,
        action=AuditEntry.Action.VIEW,
        obj=persons[0],
        person=persons[0],
        detail={"fields": ["name", "이름", "姓名"], "n": 1.5},
    )
    record_audit(user=None, action=AuditEntry.Action.SEARCH, reason="<script>x</script>\x07")
    return list(AuditEntry.objects.order_by("id"))


@pytest.mark.django_db
def test_every_write_links_to_the_one_before() -> None:
    entries = _write_some()
    assert len(entries) >= 5
    assert entries[0].prev_hash == "" or entries[0].prev_hash
    for before, after in zip(entries, entries[1:], strict=False):
        assert after.prev_hash == before.entry_hash
        assert len(after.entry_hash) == 64
    assert verify_chain(AuditEntry.objects.order_by("id")) is None
    out = StringIO()
    call_command("verify_audit_chain", stdout=out, verbosity=0)
    assert "intact" in out.getvalue()


@pytest.mark.django_db
def test_a_changed_row_is_reported_as_the_first_broken_link() -> None:
    entries = _write_some()
    victim = entries[2]
    _tamper(victim.pk, "nothing to see here")
    with pytest.raises(CommandError, match=f"entry {victim.pk}: its content no longer matches"):
        call_command("verify_audit_chain", verbosity=0)


@pytest.mark.django_db
def test_a_removed_row_breaks_the_link_of_the_next() -> None:
    entries = _write_some()
    _lift_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM people_auditentry WHERE id = %s", [entries[1].pk])
    assert verify_chain(AuditEntry.objects.order_by("id")) == (
        entries[2].pk,
        "does not follow the entry before it (one was removed or changed)",
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_appenders_never_fork_the_chain() -> None:
    """Eight threads append at once, each on its own connection; the chain stays one line."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
        ("file:memorydb", ":memory:")
    ):
        pytest.skip("an in-memory SQLite database is not shared between threads")
    errors: list[BaseException] = []

    def append(n: int) -> None:
        try:
            for i in range(10):
                record_audit(user=None, action=AuditEntry.Action.SEARCH, reason=f"{n}-{i}")
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert AuditEntry.objects.count() == 80
    assert verify_chain(AuditEntry.objects.order_by("id")) is None


@pytest.mark.django_db
def test_a_log_cut_short_is_found_against_a_recorded_head() -> None:
    entries = _write_some()
    head = entries[-1].entry_hash
    out = StringIO()
    call_command("verify_audit_chain", head=head, stdout=out, verbosity=0)
    assert head in out.getvalue()
    _lift_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM people_auditentry WHERE id = %s", [entries[-1].pk])
    assert verify_chain(AuditEntry.objects.order_by("id")) is None  # the rest still links
    with pytest.raises(CommandError, match="cut short"):
        call_command("verify_audit_chain", head=head, verbosity=0)


@pytest.mark.django_db
def test_the_migration_chains_entries_written_before_it() -> None:
    """Entries from before the chain existed (no hashes) are chained in id order."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("people.migrations.0003_audit_hash_chain")
    with connection.cursor() as cursor:
        for reason in ("old one", "old two"):
            cursor.execute(
                "INSERT INTO people_auditentry (at, role, action, object_type, object_id, "
                "reason, detail, prev_hash, entry_hash) "
                "VALUES (%s, '', 'view', '', '', %s, '{}', '', '')",
                ["1961-11-08T09:00:00+00:00", reason],
            )
    assert verify_chain(AuditEntry.objects.order_by("id")) is not None

    class Editor:  # the two things the migration uses; SQLite's real one refuses transactions
        connection = connection

        @staticmethod
        def execute(sql: str) -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql)

    migration.chain_existing(apps, Editor())
    assert verify_chain(AuditEntry.objects.order_by("id")) is None
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        Editor.execute("UPDATE people_auditentry SET reason = 'x'")  # the trigger is back
