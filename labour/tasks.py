"""Labour work that outlasts a request, run by the task queue's worker (`manage.py
db_worker`): the import of an outcome history, whose page shows its progress."""

from __future__ import annotations

from django_tasks import task

from labour.models import OutcomeImport


@task()
def import_outcome_history(import_id: int) -> dict[str, int]:
    """Read the CSV of the import row `import_id`; the page polls the row for progress."""
    from labour.services.history_import import run_import

    record = OutcomeImport.objects.get(pk=import_id)
    if record.status in (OutcomeImport.Status.DONE, OutcomeImport.Status.FAILED):
        return {"imported": record.imported}
    record = run_import(record)
    return {"imported": record.imported, "refused": len(record.errors)}
