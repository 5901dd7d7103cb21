"""``named_tuple``: a class statement made a named tuple, as ``typing.NamedTuple`` makes
it, without importing ``typing`` (1.5–2 ms of a start that uses nothing else of it).

    @named_tuple
    class StoryPos:
        para: int = 0
        offset: int = 0

        def moved(self, n): ...

is the ``collections.namedtuple`` class that ``class StoryPos(NamedTuple)`` is: its fields
and defaults from the annotations, in their order; its docstring, methods and other
attributes copied onto it; ``__annotations__`` as written (strings, under ``from __future__
import annotations``, where typing keeps ``ForwardRef``s).
"""
from __future__ import annotations

from collections import namedtuple

# what typing.NamedTuple refuses to overwrite, and what it does not copy
_PROHIBITED = frozenset({"__new__", "__init__", "__slots__", "__getnewargs__", "_fields",
                         "_field_defaults", "_make", "_replace", "_asdict", "_source"})
_NOT_COPIED = frozenset({"__module__", "__name__", "__annotations__",
                         "__dict__", "__weakref__"})


def named_tuple(cls: type) -> type:
    """The named tuple of the class statement ``cls`` (see the module's docstring)."""
    if cls.__bases__ != (object,):
        raise TypeError(f"named_tuple {cls.__name__}: a plain class statement, no bases")
    ns = dict(cls.__dict__)
    annotations = ns.get("__annotations__", {})
    defaults = []
    for name in annotations:
        if name in ns:
            defaults.append(ns[name])
        elif defaults:
            raise TypeError(f"Non-default namedtuple field {name} cannot follow default "
                            f"field{'s' if len(defaults) > 1 else ''} "
                            f"{', '.join(n for n in annotations if n in ns)}")
    made = namedtuple(cls.__name__, list(annotations), defaults=defaults,
                      module=cls.__module__)
    made.__annotations__ = made.__new__.__annotations__ = dict(annotations)
    for key, value in ns.items():
        if key in _PROHIBITED:
            raise AttributeError("Cannot overwrite NamedTuple attribute " + key)
        if key in _NOT_COPIED or key in made._fields or (key == "__doc__" and value is None):
            continue
        setattr(made, key, value)
    return made
