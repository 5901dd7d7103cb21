"""Composing without the cyclic garbage collector's full passes.

A compose allocates hundreds of thousands of small objects that live on (lines,
glyph runs, frame results) and makes almost no reference cycles, so the
collector's full passes — each walking every object alive — only cost time: on a
96-page issue they took about a quarter of the compose.  The same holds for reading
a cached result or issue model.  ``gc_paused`` pauses the collector for a block and
``without_gc`` for a call, restoring it after; nested or concurrent uses leave it as
the outermost one found it.  What a paused block made is frozen when the collector
resumes (``gc.freeze``, as the editor does for its issue): the collector's next pass
would otherwise walk all of it — about a tenth of a 96-page compose — to find no
garbage; a cycle among frozen objects is freed by a full pass after ``gc.unfreeze``
(the editor's idle collection).
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
                # what the block made lives on (a result, a model, the setter's caches):
                # out of the collector's later passes, or its next one walks all of it
                gc.freeze()
                gc.enable()


def without_gc(fn):
    """Decorate ``fn`` to run with the cyclic garbage collector paused."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with gc_paused():
            return fn(*args, **kwargs)
    return wrapper
