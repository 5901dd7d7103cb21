"""Modules whose code runs when they are first used, not when they are imported.

``defer("inspect")`` puts in ``sys.modules`` the module object of ``inspect``, its code
not yet run: ``import inspect`` anywhere gives that object, and the first attribute
anybody reads of it (or sets, or deletes) runs the module's code in it; from then on it
is a plain module, the same object.  For a module that a start imports but the command
run may never use: ``dataclasses`` imports ``inspect`` (and with it ``dis``, ``opcode``,
``tokenize``, ``linecache`` …: 3–4 ms) only to write the signature of a dataclass
without a docstring into its ``__doc__``, which our classes never need.

Unlike ``importlib.util.LazyLoader`` (which ``output.lazypil`` uses for ``PIL.Image``,
reached by ``from PIL import Image``), a plain ``import inspect`` does not run it: the
import system reads the module's ``__spec__`` (is it being initialised?), which is
answered as it is.  One thread runs the code; another that asks meanwhile waits for it,
and the code itself, while it runs, sees its module as it is.
"""
from __future__ import annotations

import importlib.util
import sys
import types
from _thread import allocate_lock, get_ident

_LOCK = allocate_lock()
_RUNNING: dict[int, int] = {}       # id(module) → the thread running its code


class _Deferred(types.ModuleType):
    """A module whose code has not run yet (see the module's docstring)."""

    def __getattribute__(self, name):
        if name != "__spec__" and _RUNNING.get(id(self)) != get_ident():
            _run(self)
        return types.ModuleType.__getattribute__(self, name)

    def __setattr__(self, name, value):
        if _RUNNING.get(id(self)) != get_ident():
            _run(self)
        types.ModuleType.__setattr__(self, name, value)

    def __delattr__(self, name):
        if _RUNNING.get(id(self)) != get_ident():
            _run(self)
        types.ModuleType.__delattr__(self, name)


def _run(module) -> None:
    """Run ``module``'s code in it (once: nothing if another thread did meanwhile)."""
    with _LOCK:
        if type(module) is not _Deferred:
            return
        _RUNNING[id(module)] = get_ident()
        try:
            spec = types.ModuleType.__getattribute__(module, "__spec__")
            spec.loader.exec_module(module)
            object.__setattr__(module, "__class__", types.ModuleType)
        finally:
            del _RUNNING[id(module)]


def deferred(name: str) -> bool:
    """Whether the module ``name`` is one whose code has not run yet."""
    return type(sys.modules.get(name)) is _Deferred


def extension_exists(name: str) -> bool:
    """Whether the top-level module ``name`` can be found (without importing it)."""
    try:
        return name in sys.modules or importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def defer(name: str) -> bool:
    """Make the top-level module ``name`` (not imported yet) one whose code runs on first
    use; whether it is so (nothing is done to a module imported already, or to one
    whose loader cannot run it into a given module object)."""
    if name in sys.modules:
        return deferred(name)
    if "." in name:
        return False
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return False
    if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module") \
            or spec.submodule_search_locations is not None:
        return False
    module = importlib.util.module_from_spec(spec)
    if type(module) is not types.ModuleType:      # a loader making its own kind of module
        return False
    module.__class__ = _Deferred
    sys.modules[name] = module
    return True
