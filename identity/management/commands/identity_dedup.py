"""Batch deduplication of the whole registry; clusters go to the duplicates page."""

from typing import Any

from django.core.management.base import BaseCommand
from tqdm import tqdm

from identity.batch import run_dedup, start_run


class Command(BaseCommand):
    help = "Find clusters of probable duplicates in the registry, for review."

    def handle(self, *args: Any, **options: Any) -> None:
        bars: dict[str, tqdm] = {}
        quiet = options["verbosity"] == 0

        def progress(stage: str, done: int, total: int) -> None:
            bar = bars.get(stage)
            if bar is None:
                bar = bars[stage] = tqdm(total=total, desc=stage, unit="item", disable=quiet)
            bar.total = total
            bar.n = done
            bar.refresh()

        run = run_dedup(start_run(None), extra_progress=progress)
        for bar in bars.values():
            bar.close()
        stats = run.stats
        self.stdout.write(
            f"run {run.pk}: {stats.get('records', 0):.0f} records, "
            f"{stats.get('clusters', 0):.0f} clusters, {stats.get('linked_pairs', 0):.0f} pairs, "
            f"{stats.get('seconds_total', 0):.1f} s"
        )
