"""Import an outcome history from elsewhere (CSV; columns in labour/services/history_import.py)
so that train_retention can learn from another deployment's past."""

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from labour.models import OutcomeImport
from labour.services.history_import import run_import
from waystation import clock


class Command(BaseCommand):
    help = "Import a CSV of past placements and whether each lasted 180 days."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path")
        parser.add_argument("--source", required=True, help="where the outcomes come from")
        parser.add_argument("--user", required=True, help="username recorded as importing")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.exists():
            raise CommandError(f"No file {path}.")
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user {options['user']}.")
        content = path.read_text(encoding="utf-8-sig")
        record = OutcomeImport.objects.create(
            source=options["source"],
            file_name=path.name,
            content=content,
            total_rows=max(0, len(content.splitlines()) - 1),
            created_by=user,
            created_at=clock.now(),
        )
        record = run_import(record)
        self.stdout.write(
            f"{record.get_status_display()}: {record.imported} of {record.total_rows} rows "
            f"imported, {len(record.errors)} refused"
        )
        for error in record.errors[:10]:
            self.stdout.write(f"  row {error['row']}: {error['reason']}")
