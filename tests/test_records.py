"""common.records.named_tuple makes the class typing.NamedTuple makes (without typing);
the model's closed sets are its Literal types (made on first use where typing is not
imported yet)."""
from __future__ import annotations

import ast
import pickle
import subprocess
import sys
import typing

import pytest

from common.records import named_tuple
from support.paths import MAIN


def _both(body: str) -> tuple[type, type]:
    """The class ``body`` (its lines, indented) made by typing.NamedTuple and by named_tuple."""
    src = ("from __future__ import annotations\n"
           "from typing import NamedTuple\n"
           "from common.records import named_tuple\n"
           "class P(NamedTuple):\n" + body +
           "@named_tuple\nclass Q:\n" + body)
    space: dict = {"__name__": "bm_records_probe"}
    exec(compile(src, "<probe>", "exec"), space)
    return space["P"], space["Q"]


BODY = ('    """A pair."""\n'
        "    para: int\n"
        "    offset: int = 0\n"
        "    #: a constant\n"
        "    LIMIT = 7\n"
        "    @classmethod\n"
        "    def of(cls, v):\n"
        "        return cls(*v)\n"
        "    @property\n"
        "    def total(self):\n"
        "        return self.para + self.offset\n"
        "    def __repr__(self):\n"
        "        return f'P<{self.para},{self.offset}>'\n")


def test_the_same_class_as_typing_makes():
    P, Q = _both(BODY)
    assert Q.__bases__ == P.__bases__ == (tuple,)
    assert Q._fields == P._fields == ("para", "offset")
    assert Q._field_defaults == P._field_defaults == {"offset": 0}
    assert (Q.__doc__, Q.__module__) == (P.__doc__, P.__module__) == ("A pair.", "bm_records_probe")
    assert Q.__qualname__ == "Q" and P.__qualname__ == "P"
    assert Q.__annotations__ == {"para": "int", "offset": "int"}
    assert list(P.__annotations__) == list(Q.__annotations__)
    assert {k for k in vars(P) if k not in ("__annotations__", "__orig_bases__")} == \
        {k for k in vars(Q) if k not in ("__annotations__",)}
    p, q = P(1, 2), Q(1, 2)
    assert (q.total, q.LIMIT, repr(q), Q.of((3, 4)), Q(5)) == \
        (p.total, p.LIMIT, "P<1,2>", (3, 4), (5, 0))
    assert q == p and hash(q) == hash(p) and q._replace(offset=9) == (1, 9)
    assert q._asdict() == {"para": 1, "offset": 2} and tuple(q) == (1, 2)


def test_what_typing_refuses_it_refuses():
    for body in ("    a: int = 0\n    b: int\n", "    a: int\n    _fields = 1\n"):
        with pytest.raises((TypeError, AttributeError)) as made:
            _both(body)
        with pytest.raises(made.type) as ours:
            named_tuple(type("Q", (), {"__annotations__": {"a": "int", "b": "int"}, "a": 0})
                        if "b: int\n" in body else
                        type("Q", (), {"__annotations__": {"a": "int"}, "_fields": 1}))
        assert str(ours.value) == str(made.value)
    with pytest.raises(TypeError):
        named_tuple(type("Q", (int,), {}))


def test_our_named_tuples_pickle_and_compare_as_ever():
    from layout.chars import Pair
    from layout.position import START, StoryPos
    pos = StoryPos(2, 5)
    assert pickle.loads(pickle.dumps(pos)) == pos and type(pickle.loads(pickle.dumps(pos))) is StoryPos
    assert StoryPos() == START == (0, 0) and StoryPos.of((1, 2)) == StoryPos(1, 2)
    assert repr(pos) == "StoryPos(2, 5)" and pos < StoryPos(3, 0)
    assert issubclass(Pair, tuple) and Pair._fields


# ------------------------------------------------------------------ the model's Literals
def test_the_closed_sets_are_those_type_checkers_read():
    """layout/model.py's TYPE_CHECKING block (what type checkers read) names the values
    _CHOICES gives at run time, and the Literal types made of them are those."""
    from layout import model as m
    tree = ast.parse(open(m.__file__, encoding="utf-8").read())
    block = next(n for n in tree.body if isinstance(n, ast.If)
                 and isinstance(n.test, ast.Name) and n.test.id == "TYPE_CHECKING")
    written = {}
    for node in block.body:
        if isinstance(node, ast.Assign):
            (target,) = node.targets
            v = node.value
            if isinstance(v, ast.Subscript):
                items = v.slice.elts if isinstance(v.slice, ast.Tuple) else [v.slice]
                written[target.id] = tuple(ast.literal_eval(e) for e in items)
            else:
                written[target.id] = written[v.id]
    made = {name: typing.get_args(getattr(m, name)) for name in written}
    assert written == made and len(written) == len(m._CHOICES) + len(m._ALIASES)
    assert m.RulePattern is m.BorderPattern
    assert typing.get_origin(m.Align) is typing.Literal


def test_without_typing_imported_the_types_are_made_on_first_use():
    code = (
        "import sys\n"
        "from layout import model as m\n"
        "assert 'typing' not in sys.modules and 'Align' not in vars(m)\n"
        "from layout.model import Align\n"
        "import typing\n"
        "assert typing.get_args(Align) == ('justify', 'left', 'center', 'right')\n"
        "from layout import docfile\n"          # get_type_hints of every model class
        "import dataclasses\n"
        "n = 0\n"
        "for c in vars(m).values():\n"
        "    if isinstance(c, type) and dataclasses.is_dataclass(c) and c.__module__ == m.__name__:\n"
        "        typing.get_type_hints(c); n += 1\n"
        "assert n > 20, n\n"
        "try:\n"
        "    m.NoSuchName\n"
        "except AttributeError as e:\n"
        "    assert 'NoSuchName' in str(e)\n"
        "else:\n"
        "    raise SystemExit('no AttributeError')\n"
        "print('ok')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=str(MAIN.parent))
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-2000:]
