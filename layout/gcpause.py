"""Composing without the cyclic garbage collector's full passes.

A compose allocates hundreds of thousands of small objects that live on (lines,
glyph runs, frame results) and makes almost no reference cycles, so the
collector's full passes — each walking every object alive — only cost time: on a
96-page issue they took about a quarter of the compose.  The same holds for reading
a cached result or issue model.  ``gc_paused`` pauses the collector for a block and
``without_gc`` for a call, restoring it after; nested or concurrent uses leave it as
the outermost one found it.  What a paused block made goes straight to the oldest
generation when the collector resumes (``gc.freeze`` then ``gc.unfreeze``, which move
lists and walk nothing): its next young pass would otherwise walk all of it — about a
tenth of a 96-page compose — to find no garbage.  A full pass still sees it (a cycle
in it is freed as before).  Where objects are frozen already (the editor freezes its
issue; an export that ends its process freezes what it made) nothing is moved: thawing
would undo their freeze.  So the process freezes and thaws through ``freeze`` and
``unfreeze`` here, which remember whether anything is frozen: ``gc.get_freeze_count``
walks the whole frozen list (10 ms in an editor with an issue open).
"""
from __future__ import annotations

import contextlib
import functools
import gc
from _thread import allocate_lock

_LOCK = allocate_lock()    # threading.Lock (threading itself: 0.6 ms of a start)
_DEPTH = [0]            # calls under way that paused the collector
_FROZEN = [False]       # objects were frozen (through ``freeze``) and not thawed since


def freeze() -> None:
    """``gc.freeze``: what is alive now is kept out of the collector's passes."""
    gc.freeze()
    _FROZEN[0] = True


def unfreeze() -> None:
    """``gc.unfreeze``: the frozen objects back in the oldest generation."""
    gc.unfreeze()
    _FROZEN[0] = False


@contextlib.contextmanager
def gc_paused():
    """The cyclic garbage collector paused inside the ``with`` block (nested and
    concurrent blocks leave it as the outermost one found it)."""
    with _LOCK:
        if _DEPTH[0] == 0:
            _DEPTH.append(gc.isenabled())   # the state to restore
            gc.disable()
        _DEPTH[0] += 1
    try:
        yield
    finally:
        with _LOCK:
            _DEPTH[0] -= 1
            if _DEPTH[0] == 0 and _DEPTH.pop():
                if not _FROZEN[0]:
                    # what the block made lives on (a result, a model, the setter's
                    # caches): put in the oldest generation at once (frozen and thawed,
                    # no pass), or the next young pass walks all of it to find nothing
                    gc.freeze()
                    gc.unfreeze()
                gc.enable()


def without_gc(fn):
    """Decorate ``fn`` to run with the cyclic garbage collector paused."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with gc_paused():
            return fn(*args, **kwargs)
    return wrapper
