"""Composing without the cyclic garbage collector's full passes.

A compose allocates hundreds of thousands of small objects that live on (lines,
glyph runs, frame results) and makes almost no reference cycles, so the
collector's full passes — each walking every object alive — only cost time: on a
96-page issue they took about a quarter of the compose.  ``without_gc`` pauses the
collector for the duration of a call and restores it after; nested or concurrent
calls leave it as the outermost caller found it.
"""
from __future__ import annotations

import functools
import gc
import threading

_LOCK = threading.Lock()
_DEPTH = [0]            # calls under way that paused the collector


def without_gc(fn):
    """Decorate ``fn`` to run with the cyclic garbage collector paused."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with _LOCK:
            if _DEPTH[0] == 0:
                _DEPTH.append(gc.isenabled())   # the state to restore
                gc.disable()
            _DEPTH[0] += 1
        try:
            return fn(*args, **kwargs)
        finally:
            with _LOCK:
                _DEPTH[0] -= 1
                if _DEPTH[0] == 0 and _DEPTH.pop():
                    gc.enable()
    return wrapper
