"""Report work that outlasts a request, run by the task queue's worker (`manage.py
db_worker`): the dashboard's retention figures at a province's scale."""

from __future__ import annotations

from django_tasks import task

from reports.retention_figures import work_out


@task()
def work_out_retention(figures_id: int) -> str:
    """Count the retention figures kept as `figures_id`; returns when they were counted."""
    return work_out(figures_id).computed_at.isoformat()  # type: ignore[union-attr]
