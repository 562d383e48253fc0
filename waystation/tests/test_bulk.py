"""A batch pauses the cyclic collector while it runs, and gives it back even when it fails:
a worker left without it would keep every cycle it ever built."""

import gc

import pytest

from waystation.bulk import cyclic_gc_paused


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
