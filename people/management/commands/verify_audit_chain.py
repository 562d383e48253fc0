"""Check that no audit entry was changed or removed since it was written."""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from people.audit import AuditEntry, verify_chain


class Command(BaseCommand):
    help = "Verify the audit log's hash chain and name the first broken link."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--head",
            default="",
            help="The last entry's hash as printed by an earlier run (or a backup's manifest): "
            "entries removed from the end of the log are found only this way.",
        )

    def handle(self, *args: Any, head: str, **options: Any) -> None:
        entries = AuditEntry.objects.order_by("id")
        total = entries.count()
        walked = tqdm(
            entries.iterator(chunk_size=5000),
            total=total,
            desc="audit chain",
            unit="entry",
            disable=options["verbosity"] < 1,
            file=sys.stderr,
        )
        broken = verify_chain(walked)
        if broken is not None:
            entry_id, why = broken
            raise CommandError(f"Audit chain broken at entry {entry_id}: {why}.")
        last = entries.reverse().values_list("entry_hash", flat=True).first() or ""
        if head and not entries.filter(entry_hash=head).exists():
            raise CommandError(f"The recorded head {head} is no longer in the log (cut short).")
        self.stdout.write(f"Audit chain intact: {total} entries, head {last or '(empty)'}.")
