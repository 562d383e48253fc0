"""The audit chain is keyed and its head is kept outside the database (issue 20): recomputing
every hash after a change, or cutting entries off the end, is found and named."""

import hashlib
import json
import logging
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from people.audit import AuditEntry, canonical_content, record_audit
from people.audit_chain import ChainReport, check_head, current_head, record_head
from people.tests.test_audit_chain import _lift_triggers, _write_some

pytestmark = pytest.mark.django_db


def _rewrite_from(entry_id: int, digest) -> None:  # noqa: ANN001 - a hash function
    """An intruder's rewrite: change a row, then make every hash from it on fit again."""
    _lift_triggers()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE people_auditentry SET reason = 'nothing' WHERE id = %s", [entry_id])
    previous = AuditEntry.objects.filter(pk__lt=entry_id).order_by("-id").first()
    previous_hash = previous.entry_hash if previous else ""
    for entry in AuditEntry.objects.filter(pk__gte=entry_id).order_by("id"):
        new_hash = digest(previous_hash + "\n" + canonical_content(entry))
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE people_auditentry SET prev_hash = %s, entry_hash = %s WHERE id = %s",
                [previous_hash, new_hash, entry.pk],
            )
        previous_hash = new_hash


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_recomputing_every_hash_after_a_change_does_not_hide_it() -> None:
    entries = _write_some()
    victim = entries[2]
    _rewrite_from(victim.pk, _sha256)
    with pytest.raises(CommandError) as refused:
        call_command("verify_audit_chain", head_file="", verbosity=0)
    report = str(refused.value)
    assert f"changed: entry {victim.pk} (" in report
    assert f"{len(entries) - 2} changed" in report


@pytest.fixture
def head_file(tmp_path: Path):
    """The head log as deployed (settings.AUDIT_HEAD_FILE), in a file of the test's own."""
    path = tmp_path / "audit-heads.log"
    handler = logging.FileHandler(path)
    handler.setFormatter(logging.Formatter("%(asctime)s waystation %(message)s"))
    logger = logging.getLogger("waystation.audit_head")
    logger.addHandler(handler)
    yield path
    logger.removeHandler(handler)
    handler.close()


def test_the_application_records_its_signed_head_outside_the_database(
    head_file: Path, settings, django_capture_on_commit_callbacks
) -> None:
    settings.AUDIT_HEAD_INTERVAL = 0
    with django_capture_on_commit_callbacks(execute=True):
        entry = record_audit(user=None, action=AuditEntry.Action.SEARCH, reason="x")
    line = head_file.read_text().splitlines()[-1]
    head = json.loads(line[line.index("{") :])
    assert (head["id"], head["hash"]) == (entry.pk, entry.entry_hash)
    report = ChainReport()
    check_head(head, report)
    assert report.intact
    check_head({**head, "hash": "0" * 64}, report)
    assert report.counts == {"forged head": 1}


def test_entries_cut_off_the_end_are_named_against_the_recorded_head(head_file: Path) -> None:
    entries = _write_some()
    record_head()
    _lift_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM people_auditentry WHERE id >= %s", [entries[-2].pk])
    out = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("verify_audit_chain", head_file=str(head_file), stdout=out, verbosity=0)
    assert f"cut short: entry {entries[-1].pk}" in str(refused.value)
    assert f"now ends at entry {entries[-3].pk}" in str(refused.value)


def test_a_backups_signed_head_is_checked_on_restore() -> None:
    _write_some()
    head = current_head()
    out = StringIO()
    call_command(
        "verify_audit_chain", signed_head=json.dumps(head), head_file="", stdout=out, verbosity=0
    )
    assert "intact" in out.getvalue()
    forged = json.dumps({**head, "id": head["id"] + 5})
    with pytest.raises(CommandError, match="forged head"):
        call_command("verify_audit_chain", signed_head=forged, head_file="", verbosity=0)


def test_the_database_refuses_to_delete_an_audit_entry() -> None:
    """On SQLite as on PostgreSQL: only the test runner's flush empties the table."""
    entry = record_audit(user=None, action=AuditEntry.Action.SEARCH, reason="keep me")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM people_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_migration_keys_the_chain_of_entries_written_before() -> None:
    """A log chained before the key (plain SHA-256) verifies after the migration."""
    import importlib

    from django.apps import apps

    entries = _write_some()
    _rewrite_from(entries[0].pk, _sha256)  # hashed as the unkeyed chain hashed
    assert not _verifies()
    migration = importlib.import_module("people.migrations.0008_keyed_audit_chain")

    class Editor:  # the two things the migration uses; SQLite's real one refuses transactions
        connection = connection

        @staticmethod
        def execute(sql: str) -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql)

    migration.rechain(apps, Editor())
    assert _verifies()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Editor.execute("UPDATE people_auditentry SET reason = 'x'")  # the triggers are back


def _verifies() -> bool:
    try:
        call_command("verify_audit_chain", head_file="", verbosity=0, stdout=StringIO())
    except CommandError:
        return False
    return True
