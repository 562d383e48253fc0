"""Check that no audit entry was changed or removed since it was written."""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from people.audit import AuditEntry, verify_chain


class Command(BaseCommand):
    help = "Verify the audit log's hash chain and name the first broken link."

    def handle(self, *args: Any, **options: Any) -> None:
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
        self.stdout.write(f"Audit chain intact: {total} entries.")
