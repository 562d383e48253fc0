"""SQLite with writers queued on a file lock.

SQLite lets one writer in at a time; the others wait in its busy handler, which sleeps and
retries (1, 2, 5, 10, 20 ... ms). With several gunicorn workers registering at once, those
sleeps, not the work, set the pace. Here each write transaction first takes an exclusive
lock on a file next to the database: the kernel wakes the next writer the moment the
previous one commits, in arrival order, and SQLite's own lock is then always free.

Reads take no lock. An in-memory database (the test runner's) has one process and is left
as it is.
"""

import fcntl
from typing import IO, Any

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    _writer_file: IO[str] | None = None
    _holds_writer_lock = False

    def _writer_lock_file(self) -> IO[str]:
        if self._writer_file is None:
            self._writer_file = open(f"{self.settings_dict['NAME']}.writers", "a")  # noqa: SIM115
        return self._writer_file

    def _start_transaction_under_autocommit(self) -> None:
        if not self.is_in_memory_db():
            fcntl.flock(self._writer_lock_file(), fcntl.LOCK_EX)
            self._holds_writer_lock = True
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_writer_lock()
            raise

    def _release_writer_lock(self) -> None:
        if self._holds_writer_lock:
            self._holds_writer_lock = False
            fcntl.flock(self._writer_lock_file(), fcntl.LOCK_UN)

    def _commit(self) -> Any:
        try:
            return super()._commit()
        finally:
            self._release_writer_lock()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()
        finally:
            self._release_writer_lock()

    def _close(self) -> Any:
        try:
            return super()._close()
        finally:
            self._release_writer_lock()
