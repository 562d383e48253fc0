"""The import's work, run by the task queue's worker (`manage.py db_worker`): a file of
thousands of rows is checked and registered in the background while the page shows progress."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from imports.erasure import erasure
from imports.models import ImportJob
from people.audit import AuditEntry, record_audit
from waystation import clock


@task()
def run_import(job_id: int) -> dict[str, int]:
    """Run the dry run or the import of job `job_id`; returns its counts."""
    from imports.labour_plan import run_labour_plan
    from imports.register import run_register

    job = ImportJob.objects.select_related("station", "created_by").get(pk=job_id)
    if job.status != ImportJob.Status.QUEUED:
        return dict(job.counts)  # taken twice by a worker that restarted: once is enough
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, done=0)

    def progress(done: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(done=min(done, job.total))

    run = run_register if job.kind == ImportJob.Kind.REGISTER else run_labour_plan
    try:
        outcome = run(job, progress)
    except PermissionDenied as refused:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, error=str(refused), finished_at=clock.now()
        )
        return {}
    except Exception:
        # households registered before the error stay registered, with their keys: running
        # the import again carries on after them
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED,
            error=_("The import stopped on an unexpected error; run it again to carry on."),
            finished_at=clock.now(),
        )
        raise
    finished: dict[str, Any] = {"refusals": outcome.refusals}
    if job.kind == ImportJob.Kind.REGISTER and not job.dry_run:
        # the rows are on the persons' records now: the job keeps no second copy of them
        finished = erasure(job, outcome.refusals)
    with transaction.atomic():
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.DONE,
            done=job.total,
            counts=outcome.counts,
            finished_at=clock.now(),
            **finished,
        )
        if "rows_erased_at" in finished:
            record_audit(
                user=None,
                action=AuditEntry.Action.UPDATE,
                obj=job,
                station=job.station,
                reason=_("Erased the values of a register file once it was imported"),
                detail={"rows": job.total},
            )
    return outcome.counts
