"""Imports: upload a spreadsheet, map its columns, run a dry run or the import in the
background (a django-tasks task; the page shows its progress), read every refusal.

Registers are imported by registrars (at their station) and administrators; labour plans by
labour officers and administrators.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imports.erasure import erase_stale_rows
from imports.fields import FIELDS, guess_mapping
from imports.models import ImportJob
from imports.reading import MAX_ROWS, UnreadableFile, read_spreadsheet
from labour.services.access import ACTING_ROLES as LABOUR_ROLES
from people.audit import AuditEntry, record_audit
from stations.access import require
from stations.models import Station
from stations.roles import Role
from waystation import clock

REGISTER_ROLES = frozenset({Role.REGISTRAR, Role.ADMINISTRATOR})
ROLES: dict[str, frozenset[Role]] = {
    ImportJob.Kind.REGISTER: REGISTER_ROLES,
    ImportJob.Kind.LABOUR_PLAN: LABOUR_ROLES,
}
ANY_IMPORTER = REGISTER_ROLES | LABOUR_ROLES
ERASED = gettext_lazy("The file's values were erased: upload it again to import it.")


def _unreadable(reason: str) -> str:
    reasons = {
        "empty": _("The file is empty."),
        "no header": _("The first row must name the columns."),
        "too many rows": _("The file has more than %(n)d rows: split it.") % {"n": MAX_ROWS},
        "too large": _("The file is larger than 20 MB: split it."),
        "kind": _("Send a CSV file or an Excel workbook (.xlsx)."),
        "encoding": _("The file's text could not be read: save it as UTF-8 CSV or as .xlsx."),
        "not a workbook": _("The file is not an Excel workbook (.xlsx)."),
    }
    return reasons.get(reason, reasons["kind"])


def upload(
    *,
    user: Any,
    kind: str,
    source: str,
    file_name: str,
    data: bytes,
    station: Station | None = None,
) -> ImportJob:
    """Read the file into a new import whose columns are still to be mapped."""
    if kind not in ImportJob.Kind.values:
        raise ValidationError({"kind": [_("Choose what the file holds.")]})
    if kind == ImportJob.Kind.REGISTER:
        if station is None:
            raise ValidationError({"station": [_("Choose the station the register is for.")]})
        require(user, ROLES[kind], station=station)
    else:
        require(user, ROLES[kind])
        station = None
    source = " ".join((source or "").split())
    if not source or len(source) > 120:
        raise ValidationError(
            {"source": [_("Name the register (at most 120 characters): its keys belong to it.")]}
        )
    erase_stale_rows()  # one query when, as usual, no file has outlived its retention period
    try:
        sheet = read_spreadsheet(file_name, data)
    except UnreadableFile as error:
        raise ValidationError({"file": [_unreadable(str(error))]}) from error
    with transaction.atomic():
        job = ImportJob.objects.create(
            kind=kind,
            source=source,
            station=station,
            file_name=file_name[:200],
            header=sheet.header,
            rows=[[number, cells] for number, cells in sheet.rows],
            mapping=guess_mapping(kind, sheet.header),
            total=len(sheet.rows),
            created_by=user,
            created_at=clock.now(),
        )
        record_audit(
            user=user,
            action=AuditEntry.Action.CREATE,
            obj=job,
            station=station,
            reason=_("Uploaded a file to import"),
            detail={"file": job.file_name, "rows": job.total, "kind": kind},
        )
    return job


def check_access(user: Any, job: ImportJob) -> None:
    require(user, ROLES[job.kind], station=job.station)


def start(*, user: Any, job: ImportJob, mapping: dict[str, int | None], dry_run: bool) -> ImportJob:
    """Save the mapping and queue the dry run or the import; the task does the work."""
    from imports import tasks

    check_access(user, job)
    if job.is_active:
        raise ValidationError(_("This import is already running."))
    if job.rows_erased_at is not None:
        raise ValidationError(ERASED)
    width = len(job.header)
    chosen = {name: index for name, index in mapping.items() if index is not None}
    problems = {}
    for target in FIELDS[job.kind]:
        if target.required and target.name not in chosen:
            problems[target.name] = [_("Choose the column of %(field)s.") % {"field": target.label}]
    if any(not 0 <= index < width for index in chosen.values()):
        problems["mapping"] = [_("Choose columns of the file.")]
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.is_active:
            raise ValidationError(_("This import is already running."))
        if locked.rows_erased_at is not None:
            raise ValidationError(ERASED)
        locked.mapping, locked.dry_run = chosen, dry_run
        locked.status, locked.done = ImportJob.Status.QUEUED, 0
        locked.refusals, locked.counts, locked.error = [], {}, ""
        locked.finished_at = None
        locked.save()
        record_audit(
            user=user,
            action=AuditEntry.Action.UPDATE,
            obj=locked,
            station=locked.station,
            reason=_("Started a dry run") if dry_run else _("Started an import"),
            detail={"mapping": chosen},
        )
        transaction.on_commit(lambda: tasks.run_import.enqueue(locked.pk))
    return locked
