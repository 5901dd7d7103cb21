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

``defer(name, callables=(...))`` also answers those names, read before the code runs,
with stand-ins that run it when called (and then call its own): for a module another
imports only to take functions from it (``from ast import literal_eval``) that it calls
in features never used.  A module with no ``__path__`` is answered so without running
(``from NAME import …`` asks).
"""
from __future__ import annotations

import importlib.util
import sys
import types
from _thread import RLock, get_ident

_LOCK = RLock()      # (re-entered: a module's code may use another deferred module)
_RUNNING: dict[int, int] = {}       # id(module) → the thread running its code
_STANDINS: dict[int, dict] = {}     # id(module) → {name: _Callable} (defer's callables)


class _Callable:
    """A deferred module's function, taken before its code ran: a call runs the code and
    calls the module's own (an attribute read reads the module's own's)."""
    __slots__ = ("_module", "_name")

    def __init__(self, module, name: str):
        self._module, self._name = module, name

    def _own(self):
        module = self._module
        if type(module) is _Deferred:
            _run(module)
        return types.ModuleType.__getattribute__(module, self._name)

    def __call__(self, *args, **kwargs):
        return self._own()(*args, **kwargs)

    def __getattr__(self, attr):
        return getattr(self._own(), attr)

    def __repr__(self) -> str:
        return f"<{self._module.__spec__.name}.{self._name}, run on first call>"


class _Answer(_Callable):
    """A deferred module's function answered by another, until the code runs: a call
    gives what ``answer`` gives for the same arguments unless that is None, when it runs
    the code and calls the module's own (as any call once the code has run)."""
    __slots__ = ("_answer",)

    def __init__(self, module, name: str, answer):
        super().__init__(module, name)
        self._answer = answer

    def __call__(self, *args, **kwargs):
        if type(self._module) is _Deferred:
            got = self._answer(*args, **kwargs)
            if got is not None:
                return got
        return self._own()(*args, **kwargs)


class _Deferred(types.ModuleType):
    """A module whose code has not run yet (see the module's docstring)."""

    def __getattribute__(self, name):
        if name != "__spec__" and _RUNNING.get(id(self)) != get_ident():
            standins = _STANDINS.get(id(self))
            if standins is not None:
                if name in standins:
                    return standins[name]
                if name == "__path__":          # (no package: its spec says so)
                    raise AttributeError(name)
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
            _STANDINS.pop(id(module), None)


def deferred(name: str) -> bool:
    """Whether the module ``name`` is one whose code has not run yet."""
    return type(sys.modules.get(name)) is _Deferred


def extension_exists(name: str) -> bool:
    """Whether the top-level module ``name`` can be found (without importing it)."""
    try:
        return name in sys.modules or importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def defer(name: str, callables: tuple[str, ...] = (), answers: dict | None = None) -> bool:
    """Make the module ``name`` (not imported yet; a package's module: the package is
    imported) one whose code runs on first use, ``callables`` answered by stand-ins
    until then (see the module's docstring), and ``answers`` (function name → a
    function giving what the module's would, or None where it cannot tell) by stand-ins
    that call those without running the code; whether it is so (nothing is done to a
    module imported already, to a package, or to one whose loader cannot run it into a
    given module object)."""
    if name in sys.modules:
        return deferred(name)
    if name.startswith(".") or name.endswith("."):
        return False
    try:
        spec = importlib.util.find_spec(name)       # (a package's: imports the package)
    except (ImportError, ValueError):
        return False
    if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module") \
            or spec.submodule_search_locations is not None or name in sys.modules:
        return False
    parent, _, child = name.rpartition(".")
    if parent and parent not in sys.modules:
        return False
    module = importlib.util.module_from_spec(spec)
    if type(module) is not types.ModuleType:      # a loader making its own kind of module
        return False
    if callables or answers:
        _STANDINS[id(module)] = {c: _Callable(module, c) for c in callables}
        for c, answer in (answers or {}).items():
            _STANDINS[id(module)][c] = _Answer(module, c, answer)
    module.__class__ = _Deferred
    sys.modules[name] = module
    if parent:                  # as the import system binds a package's module
        setattr(sys.modules[parent], child, module)
    return True
