"""Helpers for work that builds millions of small objects in one go (a batch run)."""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.pool
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the block.

    Each few hundred new dicts, lists or tuples start a collection that scans the objects
    still alive, and a batch keeps millions alive: reading a million persons' stored name
    forms spent three quarters of its time in those scans, and explaining a placement run
    a fifth of its time. The objects such work builds hold no reference cycles, so
    reference counting frees them; collection resumes after.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def fork_pool(
    processes: int, initializer: Callable[[], None] | None = None
) -> multiprocessing.pool.Pool:
    """A pool of processes forked from this one that end when the pool terminates them."""
    return multiprocessing.get_context("fork").Pool(
        processes, initializer=_forked_worker_start, initargs=(initializer,)
    )


def _forked_worker_start(initializer: Callable[[], None] | None) -> None:
    # A forked worker inherits its parent's SIGTERM handler. The task worker's (db_worker
    # finishes its task on SIGTERM) kept an idle worker waiting on the pool's queue lock
    # when the pool terminated it, and the pool waited for it for ever.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if initializer is not None:
        initializer()
