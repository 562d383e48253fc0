"""Consistent backups of a running Waystation, and their restore into an empty instance.

SQLite: the sqlite3 online backup API copies the database page by page in one step while the
app keeps running (WAL readers and writers are not blocked). PostgreSQL: pg_dump in a snapshot
exported from a REPEATABLE READ transaction, so the dump and the record counts in the manifest
see exactly the same data. Restore is by the same engine (sqlite3 backup API, pg_restore).

The archive holds the database, which includes the offices' signing keys (encrypted with
DOCUMENT_KEYS_SECRET, which is deliberately not in the archive), and a manifest with every
table's record count and the audit chain's head.
"""

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

from backups.crypto import BackupError, backup_fernet, decrypt_stream, encrypt_stream

FORMAT = 1
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"


def counted_models() -> list[Any]:
    return [m for m in apps.get_models() if m._meta.managed and not m._meta.proxy]


def count_records() -> dict[str, int]:
    return {m._meta.label: m._base_manager.count() for m in counted_models()}


def _signed_head(last: tuple[int, str] | None) -> dict[str, Any]:
    """The audit chain's head (id and hash of the last entry) as the manifest keeps it: plain,
    and signed with the chain's key, which is not in the archive (people/audit_chain.py)."""
    from people.audit_chain import signed_head

    if last is None:
        return {"audit_head": "", "audit_head_signed": None}
    return {"audit_head": last[1], "audit_head_signed": signed_head(*last)}


def _audit_head() -> dict[str, Any]:
    from people.audit import AuditEntry

    return _signed_head(AuditEntry.objects.order_by("-id").values_list("id", "entry_hash").first())


def _document_key_ids() -> list[str]:
    from documents.models import KeyRecord

    return list(KeyRecord.objects.order_by("id").values_list("key_id", flat=True))


def _pg_env_and_args() -> tuple[dict[str, str], list[str]]:
    db = connection.settings_dict
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    return env, args


def _snapshot_sqlite(workdir: Path) -> dict[str, Any]:
    if connection.in_atomic_block:
        # The copy would wait forever for this connection's own write lock.
        raise BackupError("A SQLite backup must start outside a transaction.")
    connection.ensure_connection()
    snapshot = sqlite3.connect(workdir / SQLITE_FILE)
    try:
        connection.connection.backup(snapshot)  # one step: a consistent copy
    finally:
        snapshot.close()
    # The manifest is read from the copy itself, not from the live database.
    copy = sqlite3.connect(workdir / SQLITE_FILE)
    try:
        counts = {
            m._meta.label: copy.execute(f'SELECT COUNT(*) FROM "{m._meta.db_table}"').fetchone()[0]
            for m in counted_models()
        }
        head = copy.execute(
            "SELECT id, entry_hash FROM people_auditentry ORDER BY id DESC LIMIT 1"
        ).fetchone()
        keys = [r[0] for r in copy.execute("SELECT key_id FROM documents_keyrecord ORDER BY id")]
    finally:
        copy.close()
    return {"counts": counts, **_signed_head(head), "document_keys": keys}


def _snapshot_postgres(workdir: Path) -> dict[str, Any]:
    if shutil.which("pg_dump") is None:
        raise BackupError("pg_dump is not installed (Debian: apt-get install postgresql-client).")
    if connection.in_atomic_block:
        raise BackupError("A PostgreSQL backup must start outside a transaction.")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot_id = cursor.fetchone()[0]
        manifest = {
            "counts": count_records(),
            **_audit_head(),
            "document_keys": _document_key_ids(),
        }
        env, args = _pg_env_and_args()
        dump = subprocess.run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot_id}",
                "--file",
                str(workdir / PG_FILE),
                *args,
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if dump.returncode != 0:
            raise BackupError(f"pg_dump failed: {dump.stderr.strip()}")
    return manifest


def write_backup(target: Path, key: str | None = None) -> dict[str, Any]:
    """Write an encrypted archive of the running instance to `target`; return its manifest."""
    fernet = backup_fernet(key)
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups of {vendor} databases are not supported.")
    with tempfile.TemporaryDirectory(prefix="waystation-backup-") as tmp:
        workdir = Path(tmp)
        snap = _snapshot_sqlite(workdir) if vendor == "sqlite" else _snapshot_postgres(workdir)
        manifest = {
            "format": FORMAT,
            "engine": vendor,
            "created_at": timezone.now().isoformat(),
            **snap,
        }
        plain = workdir / "archive.tar.gz"
        with tarfile.open(plain, "w:gz") as tar:
            data = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(workdir / (SQLITE_FILE if vendor == "sqlite" else PG_FILE), arcname="db")
        partial = target.with_name(target.name + ".partial")
        with plain.open("rb") as source, partial.open("wb") as out:
            encrypt_stream(source, out, fernet)
        os.chmod(partial, 0o600)
        partial.replace(target)  # never leave a half-written archive under the real name
    return manifest


def _unpack(archive: Path, workdir: Path, key: str | None) -> dict[str, Any]:
    fernet = backup_fernet(key)
    plain = workdir / "archive.tar.gz"
    with archive.open("rb") as source, plain.open("wb") as out:
        for chunk in decrypt_stream(source, fernet):
            out.write(chunk)
    with tarfile.open(plain, "r:gz") as tar:
        tar.extractall(workdir, filter="data")
    manifest = json.loads((workdir / "manifest.json").read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown archive format {manifest.get('format')!r}.")
    return manifest


def instance_is_empty() -> bool:
    """No people, no users and no audit entries (the reference rows migrations seed may exist)."""
    from django.contrib.auth import get_user_model

    from people.models import AuditEntry, Person

    tables = set(connection.introspection.table_names())
    for model in (get_user_model(), Person, AuditEntry):
        if model._meta.db_table in tables and model._base_manager.exists():
            return False
    return True


def restore_backup(archive: Path, key: str | None = None) -> dict[str, Any]:
    """Restore the archive into this (empty) instance; return the manifest. The caller checks
    the counts and the audit chain afterwards."""
    with tempfile.TemporaryDirectory(prefix="waystation-restore-") as tmp:
        workdir = Path(tmp)
        manifest = _unpack(archive, workdir, key)
        if manifest["engine"] != connection.vendor:
            raise BackupError(
                f"This archive is of a {manifest['engine']} database; this instance runs "
                f"{connection.vendor}. Restore into the same engine."
            )
        if not instance_is_empty():
            raise BackupError("This instance already holds data; restore only into an empty one.")
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            source = sqlite3.connect(workdir / "db")
            try:
                source.backup(connection.connection)
            finally:
                source.close()
            connection.close()
        else:
            connection.close()
            env, args = _pg_env_and_args()
            result = subprocess.run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--exit-on-error",
                    *args,
                    str(workdir / "db"),
                ],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    return manifest


def compare_counts(expected: dict[str, int]) -> list[str]:
    actual = count_records()
    return [
        f"{label}: archive {expected.get(label)}, restored {actual.get(label)}"
        for label in sorted(set(expected) | set(actual))
        if expected.get(label, 0) != actual.get(label, 0)
    ]
