"""Erasing the personal values of an uploaded register.

The rows of a register file are names, dates of birth and ID numbers. Once a real import has
run they are on the persons' records, where access and audit rules guard them, and the copy in
the import job is only a second, unguarded one: it is erased when the import finishes. A file
that is only dry-run (or never run) is erased once it is older than the retention period
(IMPORT_ROWS_RETENTION_DAYS, 7 days unless set), by `manage.py clear_import_rows` and on each
new upload.

What the report needs stays: the counts, and each refusal's row number, key in the register,
column and reason, with the quoted cell values in the reason (and a date of birth read from
an ID number) replaced by "…".
"""

import datetime as dt
import functools
import re
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from identity.engine.idnumber import parse_resident_id
from imports.models import ImportJob
from people.audit import AuditEntry, record_audit
from waystation import clock

# every message of an import that repeats a cell's value quotes it (“1931-13-40” is not a date)
QUOTED = re.compile(r"“[^”]*”")
ERASED = "…"
DEFAULT_RETENTION_DAYS = 7


def retention() -> dt.timedelta:
    days = getattr(settings, "IMPORT_ROWS_RETENTION_DAYS", DEFAULT_RETENTION_DAYS)
    return dt.timedelta(days=days)


@functools.lru_cache(maxsize=4096)
def _written_dates(day: dt.date) -> frozenset[str]:
    """`day` as each language writes dates (the worker may have run in any of them)."""
    written = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            written.add(date_format(day, "DATE_FORMAT"))
    return frozenset(written)


def _derived_fragments(cells: list[str]) -> set[str]:
    """Values a reason may state that are not cells: the date of birth an ID number gives."""
    fragments: set[str] = set()
    for cell in cells:
        resident = parse_resident_id(cell) if len(cell) >= 15 else None
        if resident is not None:
            fragments |= _written_dates(resident.birth_date)
    return fragments


def erase_reason(reason: str, cells: list[str]) -> str:
    """`reason` without the values of the row's `cells` it quotes (a quoted label of the
    form, such as a box to tick, stays) nor a date of birth read from the row's ID number."""

    def erased(quoted: re.Match[str]) -> str:
        inside = quoted.group(0)[1:-1].strip()
        personal = not cells or any(inside in " ".join(cell.split()) for cell in cells)
        return f"“{ERASED}”" if personal else quoted.group(0)

    reason = QUOTED.sub(erased, reason)
    if not any(character.isdigit() for character in reason):
        return reason  # no date in it to look for
    for fragment in _derived_fragments(cells):
        reason = reason.replace(fragment, ERASED)
    return reason


def erased_refusals(refusals: list[dict[str, Any]], rows: list[Any]) -> list[dict[str, Any]]:
    """The refusals as the report shows them, without the values of the rows they name."""
    cells_of = {number: cells for number, cells in rows}
    return [
        {**refusal, "reason": erase_reason(refusal["reason"], cells_of.get(refusal["row"], []))}
        for refusal in refusals
    ]


def erasure(job: ImportJob, refusals: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The fields to save on `job` to erase its rows (`refusals`: the run's, not yet saved)."""
    return {
        "rows": [],
        "refusals": erased_refusals(job.refusals if refusals is None else refusals, job.rows),
        "rows_erased_at": clock.now(),
    }


def erase_rows(job: ImportJob, reason: str) -> bool:
    """Erase the rows of a job that is not running; False when it was started or erased
    meanwhile (the lock keeps a run from starting on rows being erased)."""
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.is_active or locked.rows_erased_at is not None:
            return False
        fields = erasure(locked)
        ImportJob.objects.filter(pk=job.pk).update(**fields)
        for name, value in fields.items():
            setattr(job, name, value)
        record_audit(
            user=None,
            action=AuditEntry.Action.UPDATE,
            obj=job,
            station=job.station,
            reason=reason,
            detail={"rows": job.total},
        )
    return True


def stale_jobs() -> QuerySet[ImportJob]:
    """Register files kept longer than the retention period and not erased yet: one query on
    the jobs, cheap enough to run on every upload."""
    return ImportJob.objects.filter(
        kind=ImportJob.Kind.REGISTER,
        rows_erased_at__isnull=True,
        created_at__lt=clock.now() - retention(),
    ).exclude(status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING])


def erase_stale_rows() -> int:
    """Erase the rows of every stale register file; how many files were erased."""
    reason = _("Erased the values of a register file kept past the retention period")
    # only the keys are read here: each job's rows are read under its lock, one at a time
    pks = list(stale_jobs().values_list("pk", flat=True))
    jobs = ImportJob.objects.filter(pk__in=pks).select_related("station").defer("rows")
    return sum(erase_rows(job, reason) for job in jobs)
