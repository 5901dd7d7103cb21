"""What an export imports, and what its imports cost: a pattern made cheaper to compile
matches what it matched, every dataclass an export makes takes its methods from a
generated file (common/prebuilt.py), ``threading`` is left unimported and ``inspect``
(which dataclasses imports) and four more modules imported only to be held unexecuted
(common/lazymodule.py)."""
from __future__ import annotations

import importlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import types
from pathlib import Path

import pytest

from common import lazymodule

from layout import breaking
from support.paths import MAIN, SAMPLE


def test_latin_word_pattern_matches_what_the_range_in_its_class_matched():
    """``breaking._LATIN_WORD``: the same code points as ``[^\\W\\d_\\u2e80-\\U0010ffff]``
    (each match is one character, so ``findall`` gives the same list on any text)."""
    old = re.compile(r"[^\W\d_\u2e80-\U0010ffff]")
    new = breaking._LATIN_WORD
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    got = new.findall(every)
    assert got == old.findall(every)
    assert len(got) > 5000 and "a" in got and "é" in got and "Ω" in got and "я" in got
    assert not {"1", "_", "٣", "中", "ー", "가", "\U00020000"} & set(got)
    text = "北京时间 2024 年，NASA 的 Artemis 计划 naïve_Ωmega ٣ x"
    assert new.findall(text) == old.findall(text)


_PROBE = r"""
import json, os, sys
main = sys.argv[1]
sys.argv = [main] + sys.argv[2:]
sys.path[0] = os.path.dirname(main)     # as ``python main.py`` runs it (runpy's pkgutil
try:                                    # would import typing, through functools)
    with open(main, encoding="utf-8") as fh:
        exec(compile(fh.read(), main, "exec"), {"__name__": "__main__", "__file__": main})
except SystemExit:
    pass
deferred = sorted(n for n in ("inspect", "ipaddress", "textwrap", "bz2", "lzma", "tempfile",
                             "ast", "reportlab.lib.rl_safe_eval", "urllib.parse", "platform")
                  if type(sys.modules.get(n)).__name__ == "_Deferred")
unused = sorted(n for n in ("argparse", "gettext", "locale", "shutil", "random", "typing",
                            "getpass", "termios")
                if n in sys.modules)
import dataclasses
ours = ("layout", "fonts", "output", "proofs", "common")
plain = sorted(
    f"{mod}.{name}" for mod, module in list(sys.modules.items())
    if module is not None and mod.split(".")[0] in ours
    for name, obj in list(vars(module).items())
    if isinstance(obj, type) and obj.__module__ == mod and dataclasses.is_dataclass(obj)
    and obj.__dataclass_params__.init
    and not obj.__init__.__code__.co_filename.endswith("_methods.py"))
print(json.dumps({"plain": plain, "threading": "threading" in sys.modules,
                  "unused": unused,
                  "engine": "layout.compose" in sys.modules,
                  "deferred": deferred}))
"""


def _export(tmp_path, issue) -> dict:
    env = dict(os.environ, BANMIAN_CACHE_DIR=str(tmp_path / "cache"))
    out = subprocess.run([sys.executable, "-c", _PROBE, str(MAIN), "export", str(issue),
                          "-o", str(tmp_path / "o.pdf"), "--no-round"],
                         capture_output=True, text=True, cwd=str(MAIN.parent), env=env)
    assert out.returncode == 0 and out.stdout.strip(), out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_an_export_makes_no_dataclass_at_import_and_leaves_threading_unimported(tmp_path):
    """A first export (composing), an unchanged one (from the caches) and one after an
    edit: the dataclasses they import all have generated methods (dataclasses itself
    compiles each one's at every start, 0.5–1 ms a class), and none imports threading."""
    shutil.copy(SAMPLE.parent / "photo.jpg", tmp_path / "photo.jpg")
    issue = tmp_path / "issue.yaml"
    shutil.copy(SAMPLE, issue)
    first = _export(tmp_path, issue)
    unchanged = _export(tmp_path, issue)
    text = issue.read_text("utf-8")
    at = text.index("。")                   # a sentence's last words again: no new glyph
    issue.write_text(text[:at] + text[at - 4:at] + text[at:], "utf-8")
    edited = _export(tmp_path, issue)
    assert first["engine"] and not unchanged["engine"] and edited["engine"]
    for got in (first, unchanged, edited):
        assert got["plain"] == []
    for got in (unchanged, edited):     # (a first one may scan fonts, open images …)
        assert got["threading"] is False
        # imported (by dataclasses, urllib.parse, ReportLab, shutil, output.png), never run
        assert got["deferred"] == ["ast", "bz2", "inspect", "ipaddress", "lzma", "platform",
                                   "reportlab.lib.rl_safe_eval", "tempfile", "textwrap",
                                   "urllib.parse"], got
        # a plain command line read by hand (common/argv.py), no temporary file named by
        # tempfile (common.fs.mkstemp), named tuples made without typing (common/records.py)
        # and the model's Literal types made only when asked for; the user's name (a
        # proof round's) without getpass and its termios (common/user.py)
        assert got["unused"] == [], got


# ------------------------------------------------------------------ common/lazymodule.py
@pytest.fixture
def probe(tmp_path, monkeypatch):
    """A module of its own (a new name each test) whose code counts its runs, waits a
    little and reads its own module object while it runs."""
    name = f"bm_lazy_probe_{os.getpid()}_{time.monotonic_ns()}"
    (tmp_path / f"{name}.py").write_text(
        "import sys, time\n"
        "sys.bm_lazy_runs = getattr(sys, 'bm_lazy_runs', 0) + 1\n"
        "time.sleep(0.05)\n"
        "FIRST = 1\n"
        "ME = sys.modules[__name__]\n"
        "SEEN = ME.FIRST            # its own module, read while its code runs\n"
        "ME.SET = 2\n"
        "VALUE = 42\n", "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys, "bm_lazy_runs", 0, raising=False)
    yield name
    sys.modules.pop(name, None)


def test_a_deferred_module_runs_on_first_use_not_on_import(probe):
    assert lazymodule.defer(probe) and lazymodule.deferred(probe)
    module = sys.modules[probe]
    imported = importlib.__import__(probe)      # what ``import NAME`` does (builtins.__import__
    # may be wrapped: PySide6 wraps it with a hook reading every module imported)
    assert imported is module and sys.bm_lazy_runs == 0 and lazymodule.deferred(probe)
    assert module.VALUE == 42 and sys.bm_lazy_runs == 1
    assert (module.SEEN, module.SET, module.ME) == (1, 2, module)
    assert type(module) is types.ModuleType and sys.modules[probe] is module
    assert not lazymodule.deferred(probe)
    assert module.VALUE == 42 and sys.bm_lazy_runs == 1      # once
    assert lazymodule.defer(probe) is False                  # imported: left as it is


def test_a_deferred_module_set_first_runs_first(probe):
    lazymodule.defer(probe)
    module = sys.modules[probe]
    module.VALUE = 7                            # its code runs, then the value is set
    assert sys.bm_lazy_runs == 1 and module.VALUE == 7 and module.FIRST == 1


def test_threads_using_a_deferred_module_at_once_all_see_it_whole(probe):
    lazymodule.defer(probe)
    module = sys.modules[probe]
    seen, start = [], threading.Barrier(6)

    def use():
        start.wait()
        seen.append(module.VALUE)
    threads = [threading.Thread(target=use) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert seen == [42] * 6 and sys.bm_lazy_runs == 1


def test_only_plain_top_level_modules_not_imported_are_deferred():
    assert lazymodule.defer("json") is False or "json" not in sys.modules   # imported
    assert lazymodule.defer("json") is False
    assert lazymodule.defer("email") is False           # a package
    assert lazymodule.defer("os.path") is False
    assert lazymodule.defer("no_such_module_bm") is False


def test_extension_exists_finds_without_importing():
    assert lazymodule.extension_exists("_bz2") == (importlib.util.find_spec("_bz2") is not None)
    assert lazymodule.extension_exists("sys") and not lazymodule.extension_exists("no_such_bm")


def test_a_deferred_modules_callables_are_stand_ins_until_called(probe):
    module_file = Path(importlib.util.find_spec(probe).origin)
    with open(module_file, "a", encoding="utf-8") as fh:
        fh.write("def double(x):\n    return 2 * x\n")
    assert lazymodule.defer(probe, callables=("double",))
    module = sys.modules[probe]
    # ``from NAME import double`` (builtins.__import__ may be wrapped: see above)
    space = {"double": getattr(importlib.__import__(probe, fromlist=("double",)), "double")}
    assert sys.bm_lazy_runs == 0 and lazymodule.deferred(probe)
    assert not hasattr(module, "__path__") and sys.bm_lazy_runs == 0    # no package
    assert "run on first call" in repr(space["double"]) and sys.bm_lazy_runs == 0
    assert space["double"](21) == 42 and sys.bm_lazy_runs == 1         # runs, calls
    assert not lazymodule.deferred(probe) and module.double(4) == 8
    assert space["double"].__name__ == "double" and space["double"](1) == 2
    assert sys.bm_lazy_runs == 1


def test_a_deferred_modules_answered_functions_run_nothing_until_they_cannot_tell(probe):
    module_file = Path(importlib.util.find_spec(probe).origin)
    with open(module_file, "a", encoding="utf-8") as fh:
        fh.write("def kind(x):\n    return 'own ' + x\n")
    asked = []

    def answer(x):
        asked.append(x)
        return None if x == "other" else "answered " + x
    assert lazymodule.defer(probe, answers={"kind": answer})
    module = sys.modules[probe]
    kind = getattr(importlib.__import__(probe, fromlist=("kind",)), "kind")
    assert kind("a") == "answered a" and sys.bm_lazy_runs == 0
    assert lazymodule.deferred(probe) and asked == ["a"]
    assert kind("other") == "own other" and sys.bm_lazy_runs == 1   # it cannot tell: runs
    assert kind("a") == "own a" and module.kind("b") == "own b" and asked == ["a", "other"]
    assert not lazymodule.deferred(probe) and sys.bm_lazy_runs == 1


def test_a_packages_module_is_deferred_and_bound_in_its_package(tmp_path, monkeypatch):
    name = f"bm_lazy_pkg_{os.getpid()}_{time.monotonic_ns()}"
    (tmp_path / name).mkdir()
    (tmp_path / name / "__init__.py").write_text("", "utf-8")
    (tmp_path / name / "sub.py").write_text(
        "import sys\nsys.bm_sub_runs = getattr(sys, 'bm_sub_runs', 0) + 1\n"
        "def g():\n    return 'g'\nOTHER = 1\n", "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys, "bm_sub_runs", 0, raising=False)
    try:
        assert lazymodule.defer(f"{name}.sub", callables=("g",))
        package = sys.modules[name]
        imp = importlib.__import__       # (builtins.__import__ may be wrapped: see above)
        space = {"g": getattr(imp(f"{name}.sub", fromlist=("g",)), "g"),
                 "sub": getattr(imp(name, fromlist=("sub",)), "sub"),
                 "same": imp(f"{name}.sub").sub}
        assert space["sub"] is space["same"] is package.sub is sys.modules[f"{name}.sub"]
        assert sys.bm_sub_runs == 0
        assert space["sub"].OTHER == 1 and sys.bm_sub_runs == 1     # any other name: runs
        assert space["g"]() == "g" and sys.bm_sub_runs == 1
    finally:
        for n in (name, f"{name}.sub"):
            sys.modules.pop(n, None)


def test_reportlabs_functions_held_unexecuted_work_when_called():
    code = (
        "import sys\n"
        "from common.lazymodule import defer\n"
        "defer('urllib.parse', ('quote_from_bytes', 'unquote', 'urlparse'))  # main.py's\n"
        "import banmian_cli\n"
        "import output.pdfx\n"
        "from common.lazymodule import deferred\n"
        "assert deferred('ast') and deferred('reportlab.lib.rl_safe_eval')\n"
        "from reportlab.lib import utils\n"
        # platform: asked by ReportLab whether this is PyPy, answered without running it
        "import platform\n"
        "assert deferred('platform') and utils.isPyPy is False\n"
        "assert platform.python_implementation() == 'CPython' and deferred('platform')\n"
        "assert platform.system() and not deferred('platform')\n"
        "assert platform.python_implementation() == 'CPython'\n"
        "assert deferred('urllib.parse') and utils.urlparse('http://a/b').path == '/b'\n"
        "assert not deferred('urllib.parse')\n"
        "import pathlib\n"
        "assert pathlib.Path('/a b').as_uri() == 'file:///a%20b'\n"
        "assert utils.literal_eval('[1, (2, 3)]') == [1, (2, 3)] and not deferred('ast')\n"
        "assert utils.rl_safe_eval('1 + 2') == 3 and not deferred('reportlab.lib.rl_safe_eval')\n"

        "from reportlab.lib.colors import toColor\n"
        "assert toColor('red') is not None\n"
        "print('ok')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=str(MAIN.parent))
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-2000:]


_ACCEL = (
    "import sys\n"
    "if sys.argv[1] == 'writer':\n"
    "    import banmian_cli, output.pdfx\n"
    "import reportlab.lib.rl_accel as A\n"
    "print(sorted(A._c_funcs), sorted(A._py_funcs), '_rl_accel' in sys.modules)\n")


@pytest.mark.parametrize("installed", [False, True])
def test_reportlabs_accelerator_is_found_or_not_as_ever(tmp_path, installed):
    """Where ``_rl_accel`` is missing, the writer's import looks for it once, not eleven
    times (output/lazypil.py), and ReportLab takes the same functions as a plain import
    of it; where there is one, it is used as ever."""
    env = dict(os.environ)
    if installed:
        (tmp_path / "_rl_accel.py").write_text("def fp_str(*a):\n    return 'c'\n", "utf-8")
        env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), str(MAIN.parent)])
    got = [subprocess.run([sys.executable, "-c", _ACCEL, how], capture_output=True,
                          text=True, cwd=str(MAIN.parent), env=env)
           for how in ("plain", "writer")]
    assert all(g.returncode == 0 for g in got), got[1].stderr[-2000:]
    assert got[0].stdout == got[1].stdout
    assert ("['fp_str']" in got[1].stdout) == installed


def test_a_deferred_modules_code_may_use_another_deferred_module(tmp_path, monkeypatch):
    """(inspect's code reads ast's names at its top: both deferred, using inspect runs
    both, in one thread, without waiting on itself)"""
    tag = f"{os.getpid()}_{time.monotonic_ns()}"
    a, b = f"bm_lazy_a_{tag}", f"bm_lazy_b_{tag}"
    (tmp_path / f"{b}.py").write_text("def f():\n    return 'b'\n", "utf-8")
    (tmp_path / f"{a}.py").write_text(f"import {b}\nVALUE = {b}.f() + 'a'\n", "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        assert lazymodule.defer(b, callables=("f",)) and lazymodule.defer(a)
        seen = []
        worker = threading.Thread(target=lambda: seen.append(sys.modules[a].VALUE),
                                  daemon=True)
        worker.start()
        worker.join(20)
        assert seen == ["ba"] and not lazymodule.deferred(a) and not lazymodule.deferred(b)
    finally:
        sys.modules.pop(a, None)
        sys.modules.pop(b, None)
