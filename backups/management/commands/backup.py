"""Write an encrypted, consistent archive of the running instance."""

import json
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from backups.archive import write_backup
from backups.crypto import BackupError


class Command(BaseCommand):
    help = (
        "Back up the database (with the offices' signing keys) into an archive encrypted with "
        "BACKUP_KEY, while the app keeps running."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", nargs="?", help="Where to write the archive.")
        parser.add_argument(
            "--new-key", action="store_true", help="Print a new BACKUP_KEY and do nothing else."
        )

    def handle(self, *args: Any, archive: str | None, new_key: bool, **options: Any) -> None:
        if new_key:
            self.stdout.write(Fernet.generate_key().decode())
            return
        if not archive:
            raise CommandError("Name the archive to write, e.g. manage.py backup waystation.wsbk")
        steps = tqdm(total=1, desc="backup", disable=options["verbosity"] < 1)
        try:
            manifest = write_backup(Path(archive))
        except BackupError as error:
            raise CommandError(str(error)) from None
        steps.update(1)
        steps.close()
        total = sum(manifest["counts"].values())
        self.stdout.write(
            f"Wrote {archive}: {manifest['engine']}, {total:,} records, "
            f"{len(manifest['document_keys'])} signing keys."
        )
        self.stdout.write(json.dumps({"archive": archive, "records": total, **manifest}))
