"""Re-estimate the weights from reviewers' labels; report precision and recall before and
after, and keep the new model (used by the live check) unless --dry-run."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from identity.weights import reestimate


class Command(BaseCommand):
    help = "Re-estimate the files check's weights from the labelled pairs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="report only, keep the model")
        parser.add_argument("--holdout", type=float, default=0.3, help="share kept out to measure")
        parser.add_argument("--min-labels", type=int, default=20)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = reestimate(
                save=not options["dry_run"],
                holdout=options["holdout"],
                min_labels=options["min_labels"],
            )
        except ValueError as problem:
            raise CommandError(str(problem)) from problem
        for name in ("before", "after"):
            row = report[name]
            self.stdout.write(
                f"{name:>6}: auto-link precision {row['auto_precision']:.3f} "
                f"recall {row['auto_recall']:.3f}, review-or-auto recall "
                f"{row['review_or_auto_recall']:.3f} on {row['pairs']} pairs"
            )
        self.stdout.write(json.dumps({k: report[k] for k in ("before", "after", "saved")}))
