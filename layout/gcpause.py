"""Composing without the cyclic garbage collector's full passes.

A compose allocates hundreds of thousands of small objects that live on (lines,
glyph runs, frame results) and makes almost no reference cycles, so the
collector's full passes — each walking every object alive — only cost time: on a
96-page issue they took about a quarter of the compose.  The same holds for reading
a cached result or issue model.  ``gc_paused`` pauses the collector for a block and
``without_gc`` for a call, restoring it after; nested or concurrent uses leave it as
the outermost one found it.
"""
from __future__ import annotations

import contextlib
import functools
import gc
import threading

_LOCK = threading.Lock()
_DEPTH = [0]            # calls under way that paused the collector


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
                gc.enable()


def without_gc(fn):
    """Decorate ``fn`` to run with the cyclic garbage collector paused."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with gc_paused():
            return fn(*args, **kwargs)
    return wrapper
