"""A batch pauses the cyclic collector while it runs, and gives it back even when it fails:
a worker left without it would keep every cycle it ever built. Processes forked for a
batch end when their pool ends them."""

import gc
import multiprocessing
import signal

import pytest

from waystation.bulk import cyclic_gc_paused, fork_pool


def test_the_collector_is_paused_inside_and_resumes_after_a_failure() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), cyclic_gc_paused():
        assert not gc.isenabled()
        raise RuntimeError("the batch failed")
    assert gc.isenabled()


def test_a_collector_already_paused_by_the_caller_stays_paused() -> None:
    gc.disable()
    try:
        with cyclic_gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def _sigterm_ends_the_process() -> bool:
    return signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
def test_forked_workers_end_on_sigterm_when_the_task_worker_does_not() -> None:
    """db_worker finishes its task on SIGTERM. Workers forked from it inherited that handler
    and outlived the pool's SIGTERM: a worker waiting on the pool's queue lock stayed, and
    the pool waited for it for ever (seen as a test run that hung)."""
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: None)  # as db_worker
    try:
        with fork_pool(2) as pool:
            assert pool.apply(_sigterm_ends_the_process) is True
    finally:
        signal.signal(signal.SIGTERM, previous)
