"""Document work that outlasts a request, run by the task queue's worker (`manage.py
db_worker`): a day's documents laid out as one PDF."""

from __future__ import annotations

from django_tasks import task

from documents.batches import lay_out


@task()
def print_batch(batch_id: int) -> str:
    """Lay out the batch `batch_id`; returns its status."""
    return lay_out(batch_id).status
