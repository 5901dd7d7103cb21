"""``datetime`` made from its C accelerator alone, as importing it ends up.

CPython's ``datetime.py`` first defines the whole module in Python (its classes date,
time, datetime, timedelta, tzinfo, timezone and their helpers: about 1 ms of every
start that imports it, as ReportLab does), then replaces all of it by ``from _datetime
import *`` and deletes its helpers.  What is left is ``_datetime``'s namespace and
``datetime.py``'s own ``__all__``, ``sys`` and module attributes.  ``install()`` puts that
module in ``sys.modules`` without running the Python definitions: the module object a
plain import gives (its spec, file and loader), holding the same objects.

Only for the Python whose ``datetime.py`` is known to end so (3.11: the test compares
the two modules name by name); elsewhere, or without ``_datetime``, nothing is done.
"""
from __future__ import annotations

import sys

#: ``datetime.__all__`` of the Pythons handled
_ALL = {(3, 11): ("date", "datetime", "time", "timedelta", "timezone", "tzinfo",
                  "MINYEAR", "MAXYEAR", "UTC")}
_OWN = frozenset({"__name__", "__loader__", "__file__", "__spec__", "__cached__",
                  "__builtins__"})


def install() -> bool:
    """Make ``datetime`` (not imported yet) the module its import would make, from
    ``_datetime``; whether it did."""
    names = _ALL.get(sys.version_info[:2])
    if names is None or "datetime" in sys.modules or \
            sys.implementation.name != "cpython":
        return False
    try:
        import _datetime
        import importlib.util
        spec = importlib.util.find_spec("datetime")
        if spec is None or spec.loader is None or spec.origin is None or \
                not spec.origin.endswith(".py"):
            return False
        module = importlib.util.module_from_spec(spec)
    except (ImportError, ValueError):
        return False
    space = module.__dict__
    space.update((k, v) for k, v in vars(_datetime).items() if k not in _OWN)
    space["__all__"] = names
    space["sys"] = sys
    space.setdefault("__builtins__", __builtins__)
    sys.modules["datetime"] = module
    return True
