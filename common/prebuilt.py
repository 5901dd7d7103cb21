"""Dataclasses whose ``__init__``, ``__repr__`` and ``__eq__`` are written ahead of time.

``dataclasses.dataclass`` writes those three methods as source text and compiles
them each time a class is made, at every process start (most of the cost of
importing a module of many dataclasses).  ``prebuilt_dataclass(methods)`` gives a
decorator that makes the same dataclass (``dataclasses.fields``, ``replace``,
``is_dataclass``, ``__match_args__``, pickling unchanged) but takes the three methods
from ``methods``, a module this file generated (compiled once into its bytecode like
any module):

    python -m common.prebuilt layout.model layout/_model_methods.py

(a module taking this up first gets an empty ``layout/_x_methods.py``, every class
generated at import, until that command writes it).  One generated module may serve
several modules of a package, named together (their classes then filed under their
module's name as well):

    python -m common.prebuilt output.options,output.marks output/_methods.py

Each class's methods in it are filed under a key that spells out its fields (names,
which are set by ``__init__``, shown by ``repr``, compared by ``==``, which have a
default or a default factory) and whether it has ``__post_init__``.  A class whose key
is not the generated one (a field added and the file not regenerated), or any class
when the file was written by another version of this module, gets its
methods generated from its fields there and then: slower, never wrong.  The tests
check that the generated files are current and that the methods behave as those
``dataclasses`` writes.

Plain ``@dataclass``, ``@dataclass(frozen=True)`` and ``@dataclass(frozen=True,
slots=True)`` are handled (a frozen class's fields are stored through their slots,
as ``object.__setattr__`` stores them); a class given other arguments is made by
``dataclasses`` itself.
"""
from __future__ import annotations

import copy
import dataclasses
import sys
import types
from _thread import get_ident

__all__ = ["prebuilt_dataclass", "ident", "class_key", "methods_source", "generate"]


#: the generated modules' calling convention: a module written for another is not used
#: (raise it whenever methods_source or _attach changes how a maker is called)
FORMAT = 3


class _Factory:
    """The default shown for a field made by its default factory (as dataclasses shows it)."""
    __slots__ = ()

    def __repr__(self):
        return "<factory>"


FACTORY = _Factory()


def ident(cls, qualified: bool = False) -> str:
    """The name of ``cls``'s maker in a generated module (``qualified``: in one that serves
    several modules, so with its module's name)."""
    name = f"{cls.__module__}.{cls.__qualname__}" if qualified else cls.__qualname__
    return "".join(c if c.isalnum() or c == "_" else "_" for c in name)


def class_key(cls) -> str:
    """What the generated methods of dataclass ``cls`` depend on, as one string."""
    parts = []
    for f in dataclasses.fields(cls):
        parts.append(f.name + ":" + "".join((
            "i" if f.init else "-", "r" if f.repr else "-", "c" if f.compare else "-",
            "h" if (f.compare if f.hash is None else f.hash) else "-",
            "d" if f.default is not dataclasses.MISSING else
            "f" if f.default_factory is not dataclasses.MISSING else "-")))
    if hasattr(cls, "__post_init__"):
        parts.append("__post_init__")
    if cls.__dataclass_params__.frozen:
        parts.append("frozen")
    if "__slots__" in cls.__dict__:
        parts.append("slots")
    return " ".join(parts)


_RESERVED = {"self", "_d", "_f", "_FACTORY", "_object_setattr"}      # what __init__ reads beside its parameters


def methods_source(cls, name: str) -> str:
    """The source of ``def name(_d, _f, _s, _FACTORY, _get_ident, _cls, _Frozen)``, which returns
    the methods dataclasses would write for ``cls`` (``_d``: the fields' defaults by
    name, ``_f``: their default factories, ``_s``: the slots' setters of a frozen class)."""
    fs = dataclasses.fields(cls)
    head, params, body = [], ["self"], []
    frozen = cls.__dataclass_params__.frozen
    slotted = "__slots__" in cls.__dict__
    if frozen and not slotted:
        head.append("    _object_setattr = object.__setattr__")
    if _RESERVED & {f.name for f in fs} or any(f.name.startswith("_set_") for f in fs):
        raise ValueError(f"{cls.__qualname__}: a field name the generated methods use")
    for f in fs:
        has_default = f.default is not dataclasses.MISSING
        has_factory = f.default_factory is not dataclasses.MISSING
        if f.init:
            if has_default:
                params.append(f"{f.name}=_d[{f.name!r}]")
            elif has_factory:
                params.append(f"{f.name}=_FACTORY")
            else:
                params.append(f.name)
            value = f"_f[{f.name!r}]() if {f.name} is _FACTORY else {f.name}" if has_factory \
                else f.name
        elif has_default:
            value = f"_d[{f.name!r}]"
        elif has_factory:
            value = f"_f[{f.name!r}]()"
        else:
            continue
        if frozen and slotted:      # stored through its slot, as object.__setattr__ would
            head.append(f"    _set_{f.name} = _s[{f.name!r}]")
            body.append(f"        _set_{f.name}(self, {value})")
        elif frozen:
            body.append(f"        _object_setattr(self, {f.name!r}, {value})")
        else:
            body.append(f"        self.{f.name} = {value}")
    if hasattr(cls, "__post_init__"):
        body.append("        self.__post_init__()")
    if not body:
        body.append("        pass")
    shown = ", ".join(f"{f.name}={{self.{f.name}!r}}" for f in fs if f.repr)
    compared = [f.name for f in fs if f.compare]
    mine = "".join(f"self.{n}," for n in compared)
    theirs = "".join(f"other.{n}," for n in compared)
    lines = [
        f"def {name}(_d, _f, _s, _FACTORY, _get_ident, _cls, _Frozen):",
        f'    """The methods of {cls.__qualname__}."""',
        *head,
        f"    def __init__({', '.join(params)}):",
        *body,
        "",
        "    _running = set()",     # (object, thread) pairs being shown: a cycle gives ...
        "",
        "    def __repr__(self):",
        "        key = id(self), _get_ident()",
        "        if key in _running:",
        "            return '...'",
        "        _running.add(key)",
        "        try:",
        f"            return self.__class__.__qualname__ + f\"({shown})\"",
        "        finally:",
        "            _running.discard(key)",
        "",
        "    def __eq__(self, other):",
        "        if other.__class__ is self.__class__:",
        f"            return ({mine}) == ({theirs})",
        "        return NotImplemented",
        "",
    ]
    if frozen:
        hashed = "".join(f"self.{f.name}," for f in fs if (f.compare if f.hash is None else f.hash))
        cond = "type(self) is _cls"
        if fs:
            cond += " or name in {" + ", ".join(repr(f.name) for f in fs) + "}"
        lines += [
            "    def __hash__(self):",
            f"        return hash(({hashed}))",
            "",
            "    def __setattr__(self, name, value):",
            f"        if {cond}:",
            "            raise _Frozen(f\"cannot assign to field {name!r}\")",
            "        super(_cls, self).__setattr__(name, value)",
            "",
            "    def __delattr__(self, name):",
            f"        if {cond}:",
            "            raise _Frozen(f\"cannot delete field {name!r}\")",
            "        super(_cls, self).__delattr__(name)",
            "",
            "    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__,",
            "            '__hash__': __hash__, '__setattr__': __setattr__, '__delattr__': __delattr__}",
            "",
        ]
    else:
        lines += [
            "    return {'__init__': __init__, '__repr__': __repr__, '__eq__': __eq__}",
            "",
        ]
    return "\n".join(lines)


def _getstate(self):
    """A frozen dataclass with slots pickled: its fields' values (as dataclasses does)."""
    return [getattr(self, f.name) for f in dataclasses.fields(self)]


def _setstate(self, state):
    for f, value in zip(dataclasses.fields(self), state):
        object.__setattr__(self, f.name, value)


def _attach(cls, maker) -> None:
    """Give ``cls`` the methods ``maker`` makes for it."""
    fs = dataclasses.fields(cls)
    frozen = cls.__dataclass_params__.frozen
    defaults = {f.name: f.default for f in fs if f.default is not dataclasses.MISSING}
    factories = {f.name: f.default_factory for f in fs
                 if f.default_factory is not dataclasses.MISSING}
    slotted = "__slots__" in cls.__dict__
    setters = {f.name: cls.__dict__[f.name].__set__ for f in fs} if frozen and slotted else None
    made = maker(defaults, factories, setters, FACTORY, get_ident, cls,
                 dataclasses.FrozenInstanceError)
    init = made["__init__"]
    init.__annotations__ = {f.name: f.type for f in fs if f.init}
    init.__annotations__["return"] = None
    for attr, fn in made.items():
        fn.__qualname__ = f"{cls.__qualname__}.{attr}"
        fn.__module__ = cls.__module__
        if attr not in cls.__dict__:           # the class's own stays, as in dataclasses
            setattr(cls, attr, fn)
    if not frozen and ("__hash__" not in cls.__dict__ or cls.__dict__["__hash__"] is None):
        cls.__hash__ = None      # eq and not frozen: unhashable, as dataclasses makes it
    if frozen and slotted:
        if "__getstate__" not in cls.__dict__:
            cls.__getstate__ = _getstate
        if "__setstate__" not in cls.__dict__:
            cls.__setstate__ = _setstate
    params = cls.__dataclass_params__
    params.init = params.repr = params.eq = True


# what the fast path below needs of dataclasses' own (private) names; without them every
# class goes through dataclasses.dataclass
_FIELD = getattr(dataclasses, "_FIELD", None)
_SPECIAL = tuple(x for x in (getattr(dataclasses, "InitVar", None),
                             getattr(dataclasses, "KW_ONLY", None)) if x is not None)


@dataclasses.dataclass(init=False, repr=False, eq=False)
class _Plain:
    """The parameters dataclasses records of a class made with init, repr and eq off."""


_PARAMS = _Plain.__dataclass_params__


def _params_maker():
    """A maker of copies of ``_PARAMS`` (its class called with its values: a copy as
    ``copy.copy`` makes it, at a tenth of the cost), where that class takes its slots'
    values in their order; else ``copy.copy``."""
    kind = type(_PARAMS)
    slots = getattr(kind, "__slots__", None)
    try:
        values = tuple(getattr(_PARAMS, name) for name in slots)
        made = kind(*values)
        if all(getattr(made, name) == getattr(_PARAMS, name) for name in slots):
            return lambda: kind(*values)
    except Exception:
        pass
    return lambda: copy.copy(_PARAMS)


_new_params = _params_maker()


def _special(obj) -> bool:
    """Whether an annotation's name stands for something that is no plain field's type
    (ClassVar, InitVar, KW_ONLY, or the module through which one might be named)."""
    if obj is None:
        return False
    if isinstance(obj, types.ModuleType):
        return obj.__name__ in ("typing", "dataclasses")
    if any(obj is x for x in _SPECIAL) or isinstance(obj, _SPECIAL[:1]):
        return True
    typing = sys.modules.get("typing")
    return typing is not None and (obj is typing.ClassVar or
                                   getattr(obj, "__origin__", None) is typing.ClassVar)


_FIRST: dict = {}       # annotation → its first names (the same few annotations recur)


def _first_names(text: str) -> tuple:
    """The names dataclasses reads at the head of a string annotation ("NAME" or
    "MODULE . NAME", a word being what ``\\w+`` matches)."""
    got = _FIRST.get(text)
    if got is None:
        got = _FIRST[text] = tuple(_read_first_names(text))
    return got


def _read_first_names(text: str) -> list[str]:
    names, i, n = [], 0, len(text)
    for _ in range(2):
        while i < n and text[i].isspace():
            i += 1
        j = i
        while j < n and (text[j].isalnum() or text[j] == "_"):
            j += 1
        if j == i:
            break
        names.append(text[i:j])
        while j < n and text[j].isspace():
            j += 1
        if j >= n or text[j] != ".":
            break
        i = j + 1
    return names


def _made_plainly(cls, slots: bool):
    """``dataclasses.dataclass(cls, init=False, repr=False, eq=False, slots=slots)`` for a
    plain class (no base but object, a docstring, only string annotations naming plain
    types, no mutable default): the fields, the parameters, ``__match_args__`` and the
    slots, as dataclasses makes them, without its checks of each annotation for ClassVar,
    InitVar and KW_ONLY (2–3 ms over the classes of an export).  None for any other class,
    which dataclasses makes itself."""
    d = cls.__dict__
    if _FIELD is None or cls.__bases__ != (object,) or type(cls) is not type \
            or not d.get("__doc__") or "__slots__" in d:
        return None
    module = sys.modules.get(cls.__module__)
    ns = module.__dict__ if module is not None else {}
    annotations = d.get("__annotations__", {})
    fields = {}
    for name, tp in annotations.items():
        if not isinstance(tp, str) or any(_special(ns.get(w)) for w in _first_names(tp)):
            return None
        default = getattr(cls, name, dataclasses.MISSING)
        if isinstance(default, dataclasses.Field):
            f = default
        else:
            if isinstance(default, types.MemberDescriptorType):
                default = dataclasses.MISSING
            f = dataclasses.field(default=default)
        if f.default.__class__.__hash__ is None:
            return None                 # a mutable default: dataclasses says so
        fields[name] = f
    if any(isinstance(v, dataclasses.Field) and k not in annotations for k, v in d.items()):
        return None                     # a field without a type: dataclasses says so
    for name, f in fields.items():
        f.name, f.type, f._field_type = name, annotations[name], _FIELD
        if f.kw_only is dataclasses.MISSING:
            f.kw_only = False
        if isinstance(d.get(name), dataclasses.Field):
            if f.default is dataclasses.MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, f.default)
    cls.__dataclass_params__ = _new_params()
    cls.__dataclass_fields__ = fields
    if "__match_args__" not in d:
        cls.__match_args__ = tuple(n for n, f in fields.items() if f.init and not f.kw_only)
    if slots:
        space = dict(d)
        space["__slots__"] = tuple(fields)
        for name in fields:
            space.pop(name, None)
        space.pop("__dict__", None)
        space.pop("__weakref__", None)
        qualname = cls.__qualname__
        cls = type(cls)(cls.__name__, cls.__bases__, space)
        cls.__qualname__ = qualname
    return cls


def _generated_now(cls):
    """The maker of ``cls``'s methods, generated from its fields now."""
    space: dict = {}
    exec(methods_source(cls, "make"), space)
    return space["make"]


def prebuilt_dataclass(methods):
    """A decorator standing for ``dataclasses.dataclass`` (without arguments, or with
    ``frozen=True`` and perhaps ``slots=True``) that takes each class's methods from the generated
    module ``methods``."""
    keys = getattr(methods, "KEYS", {}) if getattr(methods, "FORMAT", None) == FORMAT else {}
    qualified = bool(getattr(methods, "QUALIFIED", False))
    made: list = []

    def dataclass(cls=None, /, *, frozen=False, slots=False, **other):
        if cls is None:
            return lambda c: dataclass(c, frozen=frozen, slots=slots, **other)
        if other or (slots and not frozen) or any(a in cls.__dict__ for a in (
                "__hash__", "__setattr__", "__delattr__", "__getstate__", "__setstate__")):
            # not a case handled here (another argument too): dataclasses itself
            return dataclasses.dataclass(cls, frozen=frozen, slots=slots, **other)
        doc = cls.__dict__.get("__doc__")
        cls = _made_plainly(cls, slots) or \
            dataclasses.dataclass(cls, init=False, repr=False, eq=False, slots=slots)
        if frozen:      # its methods are the ones below; the class says what it is
            cls.__dataclass_params__.frozen = True
        name = ident(cls, qualified)
        key = class_key(cls)
        maker = getattr(methods, name, None) if keys.get(name) == key else None
        _attach(cls, maker or _generated_now(cls))
        if doc is None:
            import inspect
            cls.__doc__ = cls.__name__ + str(inspect.signature(cls)).replace(" -> None", "")
        made.append(cls)
        return cls

    dataclass.classes = made
    dataclass.methods = methods
    dataclass.ident = lambda cls: ident(cls, qualified)
    return dataclass


HEADER = ("# Generated by common/prebuilt.py from {module}: do not edit.\n"
          "# Regenerate: python -m common.prebuilt {module} {path}\n"
          "# (the methods dataclasses would write; see common/prebuilt.py)\n"
          '"""The dataclass methods of {module}, written ahead of time."""\n')


def generate(module: str, path: str, classes) -> str:
    """The text of the generated methods module for ``classes`` (of ``module``, or of
    the modules it names separated by commas)."""
    qualified = "," in module
    names = [ident(cls, qualified) for cls in classes]
    if len(set(names)) != len(names):
        raise ValueError(f"{module}: two classes would be filed under one name")
    out = [HEADER.format(module=module, path=path), f"FORMAT = {FORMAT}\n"]
    if qualified:
        out.append("QUALIFIED = True\n")
    out.append("KEYS = {")
    for cls, name in zip(classes, names):
        out.append(f"    {name!r}: {class_key(cls)!r},")
    out.append("}\n")
    for cls, name in zip(classes, names):
        out.append("")
        out.append(methods_source(cls, name))
    return "\n".join(out)


def main(argv=None) -> None:
    import importlib
    import sys
    from pathlib import Path

    from common.fs import atomic_write
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        raise SystemExit("usage: python -m common.prebuilt MODULE[,MODULE...] OUT.py")
    module, path = args
    classes = []
    for name in module.split(","):
        classes += importlib.import_module(name).dataclass.classes
    atomic_write(Path(path), generate(module, path, classes).encode("utf-8"))
    print(f"wrote {path} ({len(classes)} classes)")


if __name__ == "__main__":
    main()
