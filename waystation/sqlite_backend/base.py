"""SQLite with writers queued on a file lock.

SQLite lets one writer in at a time; the others wait in its busy handler, which sleeps and
retries (1, 2, 5, 10, 20 ... ms). With several gunicorn workers registering at once, those
sleeps, not the work, set the pace. Here each write transaction first takes an exclusive
lock on a file next to the database: the kernel wakes the next writer the moment the
previous one commits, in arrival order, and SQLite's own lock is then always free.

Checkpoints (copying the write-ahead log back into the database file, with an fsync) are
made by a thread of the process with a connection of its own, every CHECKPOINT_EVERY_COMMITS
commits of a connection, instead of by SQLite inside the commit: there they ran while the
next writers waited for the lock, adding a millisecond or two of disk time to every
registration's turn; and run by the committing request after the lock, one registration in
32 waited 50-80 ms for it before its answer was sent. SQLite's own automatic checkpoint stays
as a backstop, at a larger log size. At exit the thread closes its connection, so that the
process's last connection to close checkpoints the whole log and removes it, as SQLite does
without us: a database file copied after a command has run then holds all it wrote.

Reads take no lock. An in-memory database (the test runner's) has one process and is left
as it is.
"""

import atexit
import contextlib
import fcntl
import os
import sqlite3
import threading
from collections.abc import Sequence
from typing import IO, Any

from django.db.backends.sqlite3 import base, operations

CHECKPOINT_EVERY_COMMITS = 32
# Pages in the log before SQLite checkpoints by itself, inside a commit (its default 1,000).
BACKSTOP_CHECKPOINT_PAGES = 8_000
# How long exit waits for a checkpoint under way (one copies at most a few thousand pages).
STOP_WAIT_SECONDS = 10


class Checkpointer:
    """A daemon thread that checkpoints one database file when asked, on its own connection.

    PASSIVE copies what no reader still needs and never waits: writers go on meanwhile.
    Requests to checkpoint while one runs are folded into the next run.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.wanted = threading.Event()
        self.stopping = False
        self.thread = threading.Thread(target=self._run, name="sqlite-checkpoint", daemon=True)
        self.thread.start()

    def request(self) -> None:
        self.wanted.set()

    def stop(self) -> None:
        """Finish a checkpoint under way and close the connection. A daemon thread is
        killed at exit with its connection open, and while any connection is open SQLite
        leaves the log beside the file, holding whatever no checkpoint has copied yet."""
        self.stopping = True
        self.wanted.set()
        self.thread.join(timeout=STOP_WAIT_SECONDS)

    def _run(self) -> None:
        connection = sqlite3.connect(self.path, check_same_thread=False)
        connection.execute("PRAGMA busy_timeout = 10000")
        try:
            while True:
                self.wanted.wait()
                self.wanted.clear()
                if self.stopping:
                    break
                # a busy or closing database: the next request tries again
                with contextlib.suppress(sqlite3.Error):
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        finally:
            connection.close()


_checkpointers: dict[tuple[int, str], Checkpointer] = {}
_checkpointers_lock = threading.Lock()


def checkpointer_for(path: str) -> Checkpointer:
    """This process's checkpointer of a file (a forked worker starts its own thread)."""
    key = (os.getpid(), path)
    with _checkpointers_lock:
        if key not in _checkpointers:
            _checkpointers[key] = Checkpointer(path)
        return _checkpointers[key]


@atexit.register
def _stop_checkpointers() -> None:
    # Only this process's: a forked child inherits the parent's entries but not its threads.
    with _checkpointers_lock:
        own = [c for (pid, _path), c in _checkpointers.items() if pid == os.getpid()]
    for checkpointer in own:
        checkpointer.stop()


AUDIT_TABLE = "people_auditentry"
AUDIT_NO_DELETE_TRIGGER = "people_auditentry_no_delete"
AUDIT_NO_DELETE_SQL = (
    f"CREATE TRIGGER IF NOT EXISTS {AUDIT_NO_DELETE_TRIGGER} BEFORE DELETE ON {AUDIT_TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END"
)


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(
        self,
        style: Any,
        tables: Sequence[str],
        *,
        reset_sequences: bool = False,
        allow_cascade: bool = False,
    ) -> list[str]:
        """Emptying every table (the test runner's flush) passes the audit log's no-delete
        trigger, as PostgreSQL's TRUNCATE passes its row triggers: the trigger is dropped for
        the flush's DELETE and created again after it, in the flush's one transaction."""
        statements = super().sql_flush(
            style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        if AUDIT_TABLE not in tables or not statements:
            return statements
        return [
            f"DROP TRIGGER IF EXISTS {AUDIT_NO_DELETE_TRIGGER}",
            *statements,
            AUDIT_NO_DELETE_SQL,
        ]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
    _writer_file: IO[str] | None = None
    _holds_writer_lock = False
    _commits_since_checkpoint = 0

    def get_new_connection(self, conn_params: dict) -> Any:
        connection = super().get_new_connection(conn_params)
        if not self.is_in_memory_db():
            connection.execute(f"PRAGMA wal_autocheckpoint = {BACKSTOP_CHECKPOINT_PAGES}")
        return connection

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
            result = super()._commit()
        finally:
            self._release_writer_lock()
        self._checkpoint_now_and_then()
        return result

    def _checkpoint_now_and_then(self) -> None:
        if self.is_in_memory_db() or self.connection is None:
            return
        self._commits_since_checkpoint += 1
        if self._commits_since_checkpoint < CHECKPOINT_EVERY_COMMITS:
            return
        self._commits_since_checkpoint = 0
        checkpointer_for(self.settings_dict["NAME"]).request()

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
