"""Restore an archive written by `manage.py backup` into an empty instance, then check it."""

import json
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from backups.archive import compare_counts, restore_backup
from backups.crypto import BackupError


class Command(BaseCommand):
    help = (
        "Restore a backup archive (decrypted with BACKUP_KEY) into this empty instance; "
        "then compare every table's record count with the archive and verify the audit chain."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive")

    def handle(self, *args: Any, archive: str, **options: Any) -> None:
        try:
            manifest = restore_backup(Path(archive))
        except BackupError as error:
            raise CommandError(str(error)) from None
        differences = compare_counts(manifest["counts"])
        if differences:
            raise CommandError("Record counts differ:\n  " + "\n  ".join(differences))
        signed = manifest.get("audit_head_signed")
        call_command(
            "verify_audit_chain",
            head=manifest["audit_head"],
            signed_head=json.dumps(signed) if signed else "",
            head_file="",  # this instance's own head file speaks of another database
            verbosity=options["verbosity"],
            stdout=self.stdout,
        )
        total = sum(manifest["counts"].values())
        self.stdout.write(f"Restored {archive}: {total:,} records, counts identical.")
        self.stdout.write(json.dumps({"restored": archive, "counts": manifest["counts"]}))
