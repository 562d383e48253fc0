"""Report work that outlasts a request, run by the task queue's worker (`manage.py
db_worker`): the dashboard's retention figures at a province's scale."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from reports.retention_figures import work_out
from reports.step_counts import merge_slots
from waystation import clock


@task()
def work_out_retention(figures_id: int) -> str:
    """Count the retention figures kept as `figures_id`; returns when they were counted.

    The worker recounts them as the registry changes, so it also merges the step counters of
    the days before yesterday, which registrations no longer write to (reports.step_counts)."""
    merge_slots(before=clock.today() - dt.timedelta(days=1))
    return work_out(figures_id).computed_at.isoformat()  # type: ignore[union-attr]
