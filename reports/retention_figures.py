"""The dashboard's retention figures, worked out on the task queue and kept (reports.
RetentionFigures): a page reads the newest ones at once and asks the worker for new ones
when journey steps were taken since they were counted."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max, Q

from people.models import JourneyTransition
from reports.models import RetentionFigures
from reports.retention import Breakdowns, Counts, breakdown_counts, breakdowns_from
from reports.scopes import Scope, parse_scope
from waystation import clock

# A worker that died while working leaves the request behind; ask again after this long.
QUEUED_GIVE_UP = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class KeptFigures:
    breakdowns: Breakdowns | None  # None: never worked out for this area and day yet
    computed_at: dt.datetime | None
    current: bool  # nothing happened since they were counted
    queued: bool  # the worker has been asked for new ones


def newest_step() -> int:
    return JourneyTransition.objects.aggregate(newest=Max("id"))["newest"] or 0


def _is_current(row: RetentionFigures, newest: int) -> bool:
    if row.computed_at is None or row.steps_seen != newest:
        return False
    max_age = dt.timedelta(seconds=settings.RETENTION_FIGURES_MAX_AGE)
    return clock.now() - row.computed_at < max_age


def _encode(found: Counts) -> list:
    return [[list(key), row] for key, row in found.items()]


def _decode(stored: list) -> Counts:
    return {tuple(key): row for key, row in stored}


def kept_figures(scope: Scope, day: dt.date) -> KeptFigures:
    """The newest figures of the area and day; when they are missing or out of date, the
    worker is asked for new ones (once: the row's queued_at is set by one request only)."""
    row, _created = RetentionFigures.objects.get_or_create(scope_key=scope.key, day=day)
    newest = newest_step()
    current = _is_current(row, newest)
    queued = row.queued_at is not None
    if not current:
        now = clock.now()
        asked = (
            RetentionFigures.objects.filter(pk=row.pk)
            .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=now - QUEUED_GIVE_UP))
            .update(queued_at=now)
        )
        if asked:
            from reports.tasks import work_out_retention

            # the queue is a table of this database: the task row commits with queued_at
            work_out_retention.enqueue(row.pk)
        queued = True
    found = breakdowns_from(scope, _decode(row.counts)) if row.computed_at else None
    return KeptFigures(found, row.computed_at, current, queued)


def work_out(figures_id: int) -> RetentionFigures:
    """Count the figures of the row's area and day, as they stand now (the task's work)."""
    row = RetentionFigures.objects.get(pk=figures_id)
    newest = newest_step()  # read first: a step taken while counting asks for a new count
    found = breakdown_counts(parse_scope(row.scope_key), row.day)
    row.counts = _encode(found)
    row.steps_seen = newest
    row.computed_at = clock.now()
    row.queued_at = None
    row.save(update_fields=["counts", "steps_seen", "computed_at", "queued_at"])
    return row
