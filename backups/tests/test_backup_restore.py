"""Backup of a running instance, restore into a fresh one: same counts, a verifying chain."""

import datetime as dt
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from backups.archive import count_records
from documents.offices import set_up_province_offices
from people.audit import AuditEntry, record_audit, record_audits
from people.tests.factories import PersonFactory, StationFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
KEY = Fernet.generate_key().decode()


@pytest.fixture
def backup_key(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("BACKUP_KEY", KEY)
    return KEY


@pytest.fixture
def fresh_database_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of the same engine as the tests run on."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg

    settings = connection.settings_dict
    name = f"wt_restore_{uuid.uuid4().hex[:10]}"
    admin = psycopg.connect(
        dbname="postgres",
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        autocommit=True,
    )
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        host = f"{settings['HOST']}:{settings['PORT'] or 5432}"
        yield f"postgres://{settings['USER']}@{host}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _some_records() -> None:
    station = StationFactory(code="backup-station")
    user = UserFactory()
    persons = [PersonFactory(station=station) for _ in range(5)]
    record_audits(user, AuditEntry.Action.CREATE, persons, reason="Registered")
    for person in persons:
        record_audit(user=user, action=AuditEntry.Action.VIEW, obj=person, person=person)
    set_up_province_offices(
        province="Backup Province",
        prefix="BP",
        stations=[station],
        activated_on=dt.date(2020, 1, 1),
        province_names=("백업도", "备份省"),
    )


def _manage(database_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "BACKUP_KEY": KEY, "SECRET_KEY": "x"}
    env.pop("PYTEST_CURRENT_TEST", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_then_restore_into_a_fresh_instance_gives_the_same_records(
    tmp_path: Path, backup_key: str, fresh_database_url: str
) -> None:
    _some_records()
    archive = tmp_path / "waystation.wsbk"
    call_command("backup", str(archive), verbosity=0)
    assert archive.stat().st_mode & 0o077 == 0, "only its owner may read the archive"
    assert b"Backup Province" not in archive.read_bytes(), "the archive is encrypted"
    expected = count_records()
    assert expected["documents.KeyRecord"] >= 1 and expected["people.AuditEntry"] >= 10

    restored = _manage(fresh_database_url, "restore", str(archive), "-v0")
    assert restored.returncode == 0, restored.stderr
    assert "Audit chain intact" in restored.stdout
    assert json.loads(restored.stdout.strip().splitlines()[-1])["counts"] == expected
    verified = _manage(fresh_database_url, "verify_audit_chain", "-v0")
    assert verified.returncode == 0, verified.stderr
    again = _manage(fresh_database_url, "restore", str(archive), "-v0")
    assert again.returncode != 0 and "already holds data" in again.stderr


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_archive_with_a_wrong_key_or_a_changed_byte_is_refused(
    tmp_path: Path, backup_key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _some_records()
    archive = tmp_path / "a.wsbk"
    call_command("backup", str(archive), verbosity=0)
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0x01
    changed = tmp_path / "changed.wsbk"
    changed.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="cannot be decrypted"):
        call_command("restore", str(changed), verbosity=0)
    monkeypatch.setenv("BACKUP_KEY", Fernet.generate_key().decode())
    with pytest.raises(CommandError, match="cannot be decrypted"):
        call_command("restore", str(archive), verbosity=0)
    monkeypatch.delenv("BACKUP_KEY")
    with pytest.raises(CommandError, match="BACKUP_KEY"):
        call_command("backup", str(archive), verbosity=0)
