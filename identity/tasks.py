"""Work of the files check that outlasts a request, run by the task queue's worker
(`manage.py db_worker`): the queue is a table, so a run enqueued before a restart is still
run after it."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from identity.batch import run_dedup
from identity.models import DedupRun
from identity.weights import reestimate


@task()
def deduplicate_registry(run_id: int) -> dict[str, float]:
    """Deduplicate the whole registry for the run row `run_id`, which the page polls for
    progress; returns the run's statistics."""
    run = DedupRun.objects.get(pk=run_id)
    if run.status != DedupRun.Status.RUNNING:
        return dict(run.stats)  # already finished: a worker that restarted took it twice
    return dict(run_dedup(run).stats)


@task()
def reestimate_weights() -> dict[str, Any]:
    """Re-estimate the weights (u from the registry, m by EM with the reviewers' labels)
    and keep the new model; the report, or why there was none, is returned."""
    try:
        return reestimate(save=True)
    except ValueError as problem:
        return {"saved": False, "problem": str(problem)}
