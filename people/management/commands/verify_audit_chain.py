"""Check that no audit entry was changed, removed or cut off since it was written."""

import json
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from people.audit import AuditEntry
from people.audit_chain import ChainReport, Finding, check_head, latest_recorded_head, walk_chain


class Command(BaseCommand):
    help = (
        "Verify the audit log's keyed hash chain against the heads recorded outside the "
        "database, and name every entry found changed, removed or cut off."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--head",
            default="",
            help="The last entry's hash as printed by an earlier run: entries removed from "
            "the end of the log are found against it.",
        )
        parser.add_argument(
            "--signed-head",
            default="",
            help="A signed head as JSON (a backup manifest's audit_head_signed, or a line of "
            "the head file).",
        )
        parser.add_argument(
            "--head-file",
            default=None,
            help="The file the application records signed heads in (default AUDIT_HEAD_FILE); "
            "the latest head in it is checked.",
        )

    def handle(self, *args: Any, head: str, signed_head: str, head_file: str | None, **options):
        entries = AuditEntry.objects.order_by("id")
        walked = tqdm(
            entries.iterator(chunk_size=5000),
            total=entries.count(),
            desc="audit chain",
            unit="entry",
            disable=options["verbosity"] < 1,
            file=sys.stderr,
        )
        report = walk_chain(walked)
        if head and not entries.filter(entry_hash=head).exists():
            report.add(
                Finding(
                    None,
                    "cut short",
                    f"the recorded head {head} is no longer in the log (cut short)",
                )
            )
        if signed_head:
            check_head(json.loads(signed_head), report)
        path = Path(head_file if head_file is not None else settings.AUDIT_HEAD_FILE or "")
        if str(path) not in ("", "."):
            recorded, unreadable = latest_recorded_head(path)
            if recorded is not None:
                check_head(recorded, report)
            if unreadable:
                self.stderr.write(f"{unreadable} lines of {path} are not recorded heads.")
        if not report.intact:
            raise CommandError(self._describe(report))
        self.stdout.write(
            f"Audit chain intact: {report.entries} entries, head {report.last_hash or '(empty)'}."
        )

    @staticmethod
    def _describe(report: ChainReport) -> str:
        counts = ", ".join(f"{n} {kind}" for kind, n in sorted(report.counts.items()))
        lines = [f"Audit chain broken ({counts}; {report.entries} entries walked):"]
        described = {
            row["id"]: row
            for row in AuditEntry.objects.filter(
                pk__in=[f.entry_id for f in report.findings if f.entry_id]
            ).values("id", "at", "action", "object_type", "object_id", "user__username")
        }
        for finding in report.findings:
            row = described.get(finding.entry_id)
            what = (
                f" ({row['at']:%Y-%m-%d %H:%M} {row['action']} {row['object_type']} "
                f"{row['object_id']} by {row['user__username'] or '-'})"
                if row
                else ""
            )
            where = f"entry {finding.entry_id}{what}: " if finding.entry_id else ""
            lines.append(f"  {finding.kind}: {where}{finding.text}.")
        first = report.findings[0]
        lines.append(f"First broken at entry {first.entry_id}: {first.text}.")
        return "\n".join(lines)
