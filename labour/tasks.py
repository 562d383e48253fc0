"""Labour work that outlasts a request, run by the task queue's worker (`manage.py
db_worker`): placement runs, their approval and the import of an outcome history, whose
pages show their progress. The queue is a table, so work asked for before a restart is done
after it."""

from __future__ import annotations

from django_tasks import task

from labour.models import ApprovalRequest, OutcomeImport, PlacementRequest
from labour.services.requests import work_out


@task()
def import_outcome_history(import_id: int) -> dict[str, int]:
    """Read the CSV of the import row `import_id`; the page polls the row for progress."""
    from labour.services.history_import import run_import

    record = OutcomeImport.objects.get(pk=import_id)
    if record.status in (OutcomeImport.Status.DONE, OutcomeImport.Status.FAILED):
        return {"imported": record.imported}
    record = run_import(record)
    return {"imported": record.imported, "refused": len(record.errors)}


@task()
def work_out_placement(request_id: int) -> int | None:
    """Work out the placement run asked for as `request_id`; returns the run's number."""
    request = PlacementRequest.objects.select_related("created_by", "station").get(pk=request_id)
    return work_out(request).run_id


@task()
def approve_placement_run(approval_id: int) -> str:
    """Carry out the approval `approval_id` (all or nothing); returns how it ended."""
    from labour.services.approvals import carry_out

    approval = ApprovalRequest.objects.select_related("created_by", "run").get(pk=approval_id)
    return carry_out(approval).status
