"""Helpers for tests of any app."""

from unittest import mock

from django.core.management import call_command
from django_tasks_db.models import DBTaskResult


def run_queued_tasks() -> int:
    """Run every task waiting in the queue with the real worker, as `db_worker` does in
    production, and return how many it ran."""
    waiting = DBTaskResult.objects.ready().count()
    # The worker drops connections it finds stale; inside a test's transaction on PostgreSQL
    # that would be the test's own connection (SQLite's in-memory one is never closed).
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    return waiting
