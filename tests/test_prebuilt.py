"""common/prebuilt.py: dataclass methods written ahead of time behave as dataclasses' own,
the generated files are current, and a stale one is never used."""
from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle
import re
import types
from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar

import pytest

from common import prebuilt
from fonts import info
from layout import breaking, flow, frames, grid, model, result, setter, shaping
from output import fontembed, icc, images, marks, options, ttfont
from proofs import layoutview, rounds, stamp

ROOT = Path(__file__).resolve().parent.parent
# (the modules, their names as the command takes them, the generated file)
GENERATED = [((model,), "layout.model", "layout/_model_methods.py"),
             ((result,), "layout.result", "layout/_result_methods.py"),
             ((breaking,), "layout.breaking", "layout/_breaking_methods.py"),
             ((grid, shaping, setter, flow, frames),
              "layout.grid,layout.shaping,layout.setter,layout.flow,layout.frames",
              "layout/_methods.py"),
             ((info,), "fonts.info", "fonts/_methods.py"),
             ((ttfont, fontembed, options, icc, marks, images),
              "output.ttfont,output.fontembed,output.options,output.icc,output.marks,output.images",
              "output/_methods.py"),
             ((layoutview, stamp, rounds), "proofs.layoutview,proofs.stamp,proofs.rounds",
              "proofs/_methods.py")]
CLASSES = [cls for mods, _n, _p in GENERATED for mod in mods for cls in mod.dataclass.classes]


@pytest.mark.parametrize("mods,name,path", GENERATED, ids=[g[2] for g in GENERATED])
def test_generated_file_is_current(mods, name, path):
    """Regenerate with: python -m common.prebuilt MODULE PATH (the message says which)."""
    assert name == ",".join(mod.__name__ for mod in mods)
    classes = [cls for mod in mods for cls in mod.dataclass.classes]
    assert all(mod.dataclass.classes for mod in mods), "no class was made through the decorator"
    want = prebuilt.generate(name, path, classes)
    got = (ROOT / path).read_text("utf-8")
    assert got == want, f"stale: run python -m common.prebuilt {name} {path}"
    # and every class took its methods from that file
    for mod in mods:
        assert mod.dataclass.methods.__name__ == path[:-3].replace("/", ".")
        for cls in mod.dataclass.classes:
            key = mod.dataclass.ident(cls)
            assert mod.dataclass.methods.KEYS[key] == prebuilt.class_key(cls)
            assert cls.__init__.__code__.co_filename.endswith(path)


def test_a_file_for_several_modules_names_each_class_with_its_module():
    """Two modules' classes of one name each have their own methods in a shared file."""
    A = type("Geometry", (), {"__annotations__": {"a": int}, "__module__": "pkg.one",
                              "__doc__": "A."})
    B = type("Geometry", (), {"__annotations__": {"b": int, "c": int},
                              "__module__": "pkg.two", "__doc__": "B."})
    for cls in (A, B):
        prebuilt.prebuilt_dataclass(types.SimpleNamespace())(cls)
    with pytest.raises(ValueError):
        prebuilt.generate("pkg.one", "m.py", [A, B])          # one name for two classes
    text = prebuilt.generate("pkg.one,pkg.two", "m.py", [A, B])
    space: dict = {}
    exec(compile(text, "m.py", "exec"), space)
    assert space["QUALIFIED"] is True and set(space["KEYS"]) == {"pkg_one_Geometry",
                                                                 "pkg_two_Geometry"}
    dc = prebuilt.prebuilt_dataclass(types.SimpleNamespace(**space))
    A2 = dc(type("Geometry", (), {"__annotations__": {"a": int}, "__module__": "pkg.one",
                                  "__doc__": "A."}))
    B2 = dc(type("Geometry", (), {"__annotations__": {"b": int, "c": int},
                                  "__module__": "pkg.two", "__doc__": "B."}))
    assert A2.__init__.__code__.co_filename == B2.__init__.__code__.co_filename == "m.py"
    assert repr(A2(1)) == "Geometry(a=1)" and repr(B2(2, 3)) == "Geometry(b=2, c=3)"


def _twin(cls):
    """``cls`` made again by dataclasses itself, from the same fields."""
    specs = []
    for f in dataclasses.fields(cls):
        kw = dict(init=f.init, repr=f.repr, compare=f.compare)
        if f.default is not dataclasses.MISSING:
            kw["default"] = f.default
        if f.default_factory is not dataclasses.MISSING:
            kw["default_factory"] = f.default_factory
        specs.append((f.name, f.type, dataclasses.field(**kw)))
    space = {"__doc__": cls.__doc__}
    frozen = cls.__dataclass_params__.frozen
    if hasattr(cls, "__post_init__") and "__slots__" not in cls.__dict__:
        # (a slotted one's reads its own class's slots)
        space["__post_init__"] = cls.__post_init__
    twin = dataclasses.make_dataclass(cls.__name__, specs, namespace=space, frozen=frozen,
                                      slots="__slots__" in cls.__dict__)
    twin.__qualname__ = cls.__qualname__
    return twin


def _required(cls) -> dict:
    return {f.name: "x" for f in dataclasses.fields(cls) if f.init
            and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}


def _hash(obj):
    try:
        return hash(obj)
    except TypeError:           # a field's value unhashable (LayoutResult's mappings)
        return "unhashable"


def _values(obj) -> list:
    return [getattr(obj, f.name) for f in dataclasses.fields(obj) if f.compare]


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_methods_match_dataclasses(cls):
    twin = _twin(cls)
    frozen = cls.__dataclass_params__.frozen
    assert str(inspect.signature(cls)) == str(inspect.signature(twin))
    assert dataclasses.is_dataclass(cls)
    assert cls.__match_args__ == twin.__match_args__
    assert getattr(cls, "__slots__", None) == getattr(twin, "__slots__", None)
    for attr in ("init", "repr", "eq", "order", "unsafe_hash", "frozen"):
        assert getattr(cls.__dataclass_params__, attr) == getattr(twin.__dataclass_params__, attr)
    a, b = cls(**_required(cls)), twin(**_required(cls))
    assert repr(a) == repr(b)
    assert _values(a) == _values(b)
    other = cls(**_required(cls))
    assert a == other and not (a != other)
    assert a != b                   # another class: NotImplemented both ways
    assert (a == 1) is False
    if frozen:
        assert _hash(a) == _hash(b) == _hash(other)
        for f in dataclasses.fields(cls):
            with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign"):
                setattr(a, f.name, 1)
            with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete"):
                delattr(a, f.name)
    else:
        assert cls.__hash__ is None and twin.__hash__ is None
    for f in dataclasses.fields(cls):
        if not f.compare or not f.init:
            continue
        new = {"k": ("changed",)} if isinstance(getattr(a, f.name), Mapping) else ("changed",)
        try:
            changed = dataclasses.replace(a, **{f.name: new})
        except (TypeError, ValueError) as e:    # a value its __post_init__ refuses: so does the twin's
            with pytest.raises(type(e), match=re.escape(str(e))):
                dataclasses.replace(b, **{f.name: new})
            continue
        assert changed != a
        tw = dataclasses.replace(b, **{f.name: new})
        assert repr(changed) == repr(tw)
        if frozen:
            assert _hash(changed) == _hash(tw)
    fresh = cls(**_required(cls))
    for f in dataclasses.fields(cls):
        if f.default_factory is not dataclasses.MISSING:
            assert getattr(fresh, f.name) is not getattr(a, f.name)   # a new one each time
    try:
        blob = pickle.dumps(a)
    except TypeError:           # LayoutResult holds a mappingproxy: never pickled
        assert cls is result.LayoutResult
        return
    back = pickle.loads(blob)
    assert back == a and repr(back) == repr(a)
    assert copy.deepcopy(a) == a


def test_model_objects_as_before():
    issue = model.Issue()
    issue.stories["s"] = model.Story(id="s", paragraphs=[model.Paragraph(runs=[model.Run("字")])])
    assert repr(issue.stories["s"]).startswith("Story(id='s', name='', headline=Headline(")
    assert issue == copy.deepcopy(issue)
    with pytest.raises(TypeError):
        hash(issue)
    with pytest.raises(TypeError):
        model.Run()                     # text is required
    with pytest.raises(TypeError):
        model.Run("a", "b", "c")
    assert model.TextFrame("t", columns=2).kind == "text"
    assert model.Run.__init__.__qualname__ == "Run.__init__"


def _make(methods):
    dc = prebuilt.prebuilt_dataclass(methods)

    @dc
    class Box:
        a: int
        b: list = dataclasses.field(default_factory=list)
        c: str = dataclasses.field(default="c", compare=False)
        d: int = dataclasses.field(default=0, init=False, repr=False)

        def __post_init__(self):
            self.d = self.a * 2
    return dc, Box


def test_stale_methods_are_not_used():
    """A generated maker whose key is not the class's (a field added since) is ignored:
    the methods are generated from the fields there and then."""
    dc, Box = _make(types.SimpleNamespace(KEYS={}))
    text = prebuilt.generate("m", "m.py", dc.classes)
    stale = text.replace("a:irch-", "a:irch- z:irchd")         # as if a field had gone
    space: dict = {}
    exec(compile(stale, "m.py", "exec"), space)
    NAME = prebuilt.ident(Box)
    assert space["KEYS"][NAME] != prebuilt.class_key(Box)

    def poisoned(*a):
        raise AssertionError("the stale maker was used")
    space[NAME] = poisoned
    _, Box2 = _make(types.SimpleNamespace(**space))
    x = Box2(3)
    assert (x.a, x.b, x.c, x.d) == (3, [], "c", 6)
    assert repr(x) == "_make.<locals>.Box(a=3, b=[], c='c')"
    assert x == Box2(3, c="other") and x != Box2(4)

    # the current text is used and gives the same
    fresh: dict = {}
    exec(compile(text, "m.py", "exec"), fresh)
    calls = []
    maker = fresh[NAME]
    fresh[NAME] = lambda *a: calls.append(1) or maker(*a)
    _, Box3 = _make(types.SimpleNamespace(**fresh))
    assert calls == [1]
    y = Box3(3)
    assert (y.a, y.b, y.c, y.d) == (3, [], "c", 6) and repr(y).endswith("Box(a=3, b=[], c='c')")


def test_recursive_repr():
    p = model.Paragraph()
    p.runs.append(p)
    assert repr(p) == "Paragraph(style='body', runs=[...])"


def test_own_methods_kept():
    """A method the class writes itself is kept, as dataclasses keeps it."""
    dc = prebuilt.prebuilt_dataclass(types.SimpleNamespace(KEYS={}))

    @dc
    class Own:
        a: int = 0

        def __repr__(self):
            return "own"
    assert repr(Own()) == "own" and Own(1) == Own(1) and Own(1) != Own(2)


def test_other_format_not_used():
    """A generated module written by another version of common/prebuilt.py (another
    calling convention) is not used, even where its keys match."""
    dc, Box = _make(types.SimpleNamespace(KEYS={}))
    space: dict = {}
    exec(compile(prebuilt.generate("m", "m.py", dc.classes), "m.py", "exec"), space)
    assert space["FORMAT"] == prebuilt.FORMAT

    def poisoned(*a):
        raise AssertionError("a maker of another format was used")
    space[prebuilt.ident(Box)] = poisoned
    space["FORMAT"] = prebuilt.FORMAT - 1
    _, Box2 = _make(types.SimpleNamespace(**space))
    assert repr(Box2(1)) == "_make.<locals>.Box(a=1, b=[], c='c')" and Box2(1).d == 2


def _bodies():
    """Class bodies (made afresh on each call) the plain path must make as dataclasses
    does, and ones it must leave to dataclasses (None from _made_plainly)."""
    class Plain:
        """Doc."""
        a: int
        b: str = "b"
        c: list = dataclasses.field(default_factory=list)
        d: float = dataclasses.field(default=1.5, repr=False, compare=False)
        e: int = dataclasses.field(default=0, init=False, metadata={"k": 1})
        f: tuple = dataclasses.field(default=(), kw_only=True)
        g: dict = dataclasses.field(default_factory=dict, hash=False, init=False)

        def method(self):
            return self.a

    class Empty:
        """Doc."""

    class WithMatchArgs:
        """Doc."""
        __match_args__ = ("x",)
        x: int = 0

    plain = [Plain, Empty, WithMatchArgs]

    class Var:
        """Doc."""
        a: int = 0
        b: ClassVar[int] = 1

    class Init:
        """Doc."""
        a: int = 0
        b: dataclasses.InitVar[int] = 1

    class Kw:
        """Doc."""
        a: int = 0
        _: dataclasses.KW_ONLY
        b: int = 1

    class Mutable:
        """Doc."""
        a: list = []

    class NoType:
        """Doc."""
        a: int = 0
        b = dataclasses.field(default=1)

    class NoDoc:
        a: int = 0

    class Base:
        """Doc."""
        a: int = 0

    class Derived(Base):
        """Doc."""
        b: int = 1

    class Slotted:
        """Doc."""
        __slots__ = ("a",)
        a: int

    return plain, [Var, Init, Kw, Mutable, NoType, NoDoc, Derived, Slotted]


def _made_by_dataclasses(cls, slots):
    try:
        return dataclasses.dataclass(cls, init=False, repr=False, eq=False, slots=slots)
    except (TypeError, ValueError) as e:
        return type(e)


def _same_class(a, b):
    assert a.__name__ == b.__name__ and a.__qualname__ == b.__qualname__
    assert repr(a.__dataclass_params__) == repr(b.__dataclass_params__)
    fa, fb = a.__dataclass_fields__, b.__dataclass_fields__
    assert list(fa) == list(fb)
    for name in fa:
        for attr in ("name", "type", "default", "default_factory", "init", "repr", "hash",
                     "compare", "metadata", "kw_only", "_field_type"):
            assert getattr(fa[name], attr) == getattr(fb[name], attr), (name, attr)
    assert getattr(a, "__match_args__", None) == getattr(b, "__match_args__", None)
    assert getattr(a, "__slots__", None) == getattr(b, "__slots__", None)
    assert sorted(a.__dict__) == sorted(b.__dict__)
    for k, v in a.__dict__.items():
        if not callable(v) and k not in ("__dict__", "__weakref__", "__dataclass_fields__",
                                         "__dataclass_params__"):
            if isinstance(v, types.MemberDescriptorType):
                assert type(b.__dict__[k]) is types.MemberDescriptorType
            else:
                assert b.__dict__[k] == v, k
    assert [f.name for f in dataclasses.fields(a)] == [f.name for f in dataclasses.fields(b)]


@pytest.mark.parametrize("slots", [False, True])
def test_plain_classes_are_made_as_dataclasses_makes_them(slots):
    """``_made_plainly`` (no annotation checked against ClassVar, InitVar, KW_ONLY by
    pattern) gives the fields, parameters, match args and slots dataclasses gives, and
    leaves every other case to dataclasses."""
    mine, _ = _bodies()
    theirs, _ = _bodies()
    for a, b in zip(mine, theirs):
        made = prebuilt._made_plainly(a, slots)
        assert made is not None, a.__name__
        _same_class(made, _made_by_dataclasses(b, slots))
    for cls in _bodies()[1]:
        assert prebuilt._made_plainly(cls, slots) is None, cls.__name__


@pytest.mark.parametrize("frozen", [False, True])
def test_the_decorator_makes_other_cases_as_dataclasses_does(frozen):
    """Classes the plain path leaves alone: ClassVar, InitVar and KW_ONLY annotations,
    a base dataclass, no docstring; and the errors dataclasses raises (a mutable
    default, a field without a type) raised the same."""
    dc = prebuilt.prebuilt_dataclass(types.SimpleNamespace(KEYS={}))
    for cls, twin in zip(_bodies()[1], _bodies()[1]):
        if cls.__name__ == "Slotted":
            continue
        if cls.__name__ == "Derived":      # its base a dataclass first, each the same way
            dc(cls.__bases__[0], frozen=frozen)
            dataclasses.dataclass(twin.__bases__[0], frozen=frozen)
        expect = _made_by_dataclasses(twin, False)
        if isinstance(expect, type) and issubclass(expect, Exception):
            with pytest.raises(expect):
                dc(cls, frozen=frozen)
            continue
        made = dc(cls, frozen=frozen)
        assert [(f.name, f.type, f.default, f._field_type) for f in dataclasses.fields(made)] \
            == [(f.name, f.type, f.default, f._field_type) for f in dataclasses.fields(expect)]
        assert made.__match_args__ == expect.__match_args__


def test_the_classes_made_take_the_plain_path():
    """Every generated class without a base class took the plain path (its fields are
    the ones that path makes: no dataclasses call made them)."""
    for cls in CLASSES:
        if cls.__bases__ == (object,):
            assert cls.__dataclass_params__ is not prebuilt._PARAMS
            assert all(f._field_type is dataclasses._FIELD for f in dataclasses.fields(cls))


def test_other_arguments_go_to_dataclasses():
    """A class given arguments this decorator does not take (order, eq …) is made by
    dataclasses itself, with them."""
    dc = prebuilt.prebuilt_dataclass(types.SimpleNamespace(KEYS={}))

    @dc(order=True)
    class Ordered:
        """Doc."""
        a: int = 0

    @dc(eq=False, frozen=True)
    class Same:
        """Doc."""
        a: int = 0
    assert Ordered(1) < Ordered(2) and Ordered.__dataclass_params__.order
    assert Same(1) != Same(1) and Same.__dataclass_params__.frozen
    assert dc.classes == []                 # none of them was made here
