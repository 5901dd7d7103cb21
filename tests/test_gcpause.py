"""layout.gcpause: the collector is paused during a call and left as it was found."""
import gc
import threading

import pytest

from layout.gcpause import without_gc


@pytest.fixture(autouse=True)
def _restore():
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


def test_paused_during_the_call_and_restored_after():
    gc.enable()
    seen = []

    @without_gc
    def work(x):
        seen.append(gc.isenabled())
        return x * 2
    assert work(4) == 8
    assert seen == [False] and gc.isenabled()


def test_nested_calls_restore_only_at_the_outermost():
    gc.enable()
    seen = []

    @without_gc
    def inner():
        seen.append(gc.isenabled())

    @without_gc
    def outer():
        inner()
        seen.append(gc.isenabled())
    outer()
    assert seen == [False, False] and gc.isenabled()


def test_an_exception_restores_the_collector():
    gc.enable()

    @without_gc
    def fail():
        raise ValueError("bad")
    with pytest.raises(ValueError):
        fail()
    assert gc.isenabled()


def test_a_collector_disabled_by_the_caller_stays_disabled():
    gc.disable()

    @without_gc
    def work():
        return gc.isenabled()
    assert work() is False
    assert not gc.isenabled()


def test_overlapping_calls_in_threads_leave_it_enabled():
    gc.enable()
    started, release = threading.Event(), threading.Event()

    @without_gc
    def slow():
        started.set()
        release.wait(5)

    @without_gc
    def quick():
        return gc.isenabled()
    t = threading.Thread(target=slow)
    t.start()
    started.wait(5)
    assert quick() is False          # the other call is still under way
    assert not gc.isenabled()
    release.set()
    t.join()
    assert gc.isenabled()


def test_compose_leaves_the_collector_enabled():
    from layout.compose import Composer
    from support.bigissue import sample_issue
    from support.fakefont import SquareFontSet
    gc.enable()
    res = Composer(sample_issue(), SquareFontSet()).compose()
    assert res.pages and gc.isenabled()


def test_what_a_paused_call_made_is_frozen_and_a_full_idle_pass_still_frees_its_cycles():
    """The objects made while paused are out of the next passes (frozen); a cycle among
    them dies only in a pass after unfreezing (the editor's full idle collection)."""
    import weakref

    class Node:
        pass
    gc.enable()
    made = []

    @without_gc
    def work():
        a = Node()
        a.me = a                     # a cycle: only the collector frees it
        made.append(weakref.ref(a))
        return gc.get_freeze_count()
    try:
        before = work()
        assert gc.get_freeze_count() > before and gc.isenabled()
        gc.collect()
        assert made[0]() is not None        # frozen: a pass does not see it
        gc.unfreeze()
        gc.collect()
        assert made[0]() is None
    finally:
        gc.unfreeze()


def test_a_collector_disabled_by_the_caller_freezes_nothing():
    gc.disable()
    gc.unfreeze()

    @without_gc
    def work():
        return [object() for _ in range(10)]
    work()
    assert gc.get_freeze_count() == 0 and not gc.isenabled()
