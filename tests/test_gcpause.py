"""layout.gcpause: the collector is paused during a call and left as it was found."""
import gc
import threading

import pytest

from layout import gcpause
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



def test_what_a_paused_call_made_is_in_the_oldest_generation_and_a_full_pass_frees_its_cycles():
    """No young pass walks what a paused call made (it is in the oldest generation when
    the call returns); nothing stays frozen, and a full pass frees a cycle made in it."""
    import weakref

    class Node:
        pass
    gc.enable()
    gcpause.unfreeze()
    made = []

    @without_gc
    def work():
        a = Node()
        a.me = a                     # a cycle: only the collector frees it
        made.append(weakref.ref(a))
        return a
    kept = work()
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert any(o is kept for o in gc.get_objects(generation=2))
    assert gc.get_count()[0] < 700                  # no young pass is due for it
    del kept
    gc.collect(1)
    assert made[0]() is not None                    # a young pass does not see it
    gc.collect()
    assert made[0]() is None


def test_objects_frozen_already_stay_frozen():
    """Where the caller froze objects (the editor, an export ending its process), a paused
    call leaves them frozen (thawing would undo that)."""
    gc.enable()
    gcpause.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0

        @without_gc
        def work():
            return [object() for _ in range(10)]
        work()
        assert gc.get_freeze_count() == frozen and gc.isenabled()
    finally:
        gcpause.unfreeze()


def test_a_collector_disabled_by_the_caller_moves_nothing():
    gc.disable()
    gcpause.unfreeze()

    @without_gc
    def work():
        return [[] for _ in range(10)]
    kept = work()
    assert gc.get_freeze_count() == 0 and not gc.isenabled()
    assert not any(o is kept for o in gc.get_objects(generation=2))


def test_the_pause_does_not_count_the_frozen_objects(monkeypatch):
    """Whether objects are frozen is remembered by ``freeze``/``unfreeze``:
    ``gc.get_freeze_count`` walks the whole frozen list (10 ms in an editor with an
    issue open), too slow to ask after every key's compose."""
    def walk():
        raise AssertionError("gc.get_freeze_count walked the frozen list")
    gc.enable()
    gcpause.freeze()
    try:
        monkeypatch.setattr(gc, "get_freeze_count", walk)
        kept = without_gc(lambda: [[] for _ in range(10)])()
        monkeypatch.undo()
        assert gc.isenabled() and any(o is kept for o in gc.get_objects(generation=2)) is False
    finally:
        gcpause.unfreeze()
    kept = without_gc(lambda: [[] for _ in range(10)])()
    assert any(o is kept for o in gc.get_objects(generation=2))
