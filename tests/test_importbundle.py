"""common/importbundle.py: a command's modules served from one file of code objects, never
stale, never another file than a plain import finds, and exactly what a plain import gives
(``__file__``, specs, tracebacks, ``importlib.resources``); an export with it writes the
same PDF as without."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from common import importbundle
from common.fs import cache_dir
from support.paths import MAIN, SAMPLE

# a process importing bm_pkg.mod (and bm_top) through a bundle, as main.py does
_RUN = r"""
import json, os, sys, traceback
sys.path[0:1] = [sys.argv[1], sys.argv[2], os.getcwd()]
from common import importbundle
finder = importbundle.install("bmtest")
import bm_pkg.mod, bm_top
import importlib.machinery, importlib.resources
try:
    bm_pkg.mod.fail()
except ValueError:
    tb = traceback.format_exc()
print(json.dumps({
    "value": bm_pkg.mod.VALUE, "top": bm_top.VALUE,
    "served": sorted(n for n in (finder.served if finder else ()) if n.startswith("bm_")),
    "file": bm_pkg.mod.__file__, "top_file": bm_top.__file__,
    "pkg_path": list(bm_pkg.__path__), "origin": bm_pkg.mod.__spec__.origin,
    "loader": isinstance(bm_pkg.mod.__loader__, importlib.machinery.SourceFileLoader),
    "cached": bm_pkg.mod.__cached__,
    "resource": importlib.resources.files("bm_pkg").joinpath("data.txt").read_text(),
    "traceback": tb,
    "wrote": importbundle.save()}))
"""


def _write(path, text: str) -> None:
    path.write_text(text, "utf-8")


@pytest.fixture
def tree(tmp_path):
    """Two folders for sys.path (the first empty), a package with a module and a data
    file, a top-level module, and the environment of a process that writes bytecode."""
    first, src = tmp_path / "first", tmp_path / "src"
    first.mkdir()
    (src / "bm_pkg").mkdir(parents=True)
    _write(src / "bm_pkg" / "__init__.py", "")
    _write(src / "bm_pkg" / "data.txt", "packaged")
    _write(src / "bm_pkg" / "mod.py",
           "VALUE = 1\n\ndef fail():\n    raise ValueError('from mod')  # the line shown\n")
    _write(src / "bm_top.py", "VALUE = 'top'\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(BANMIAN_CACHE_DIR=str(tmp_path / "cache"),
               PYTHONPYCACHEPREFIX=str(tmp_path / "pyc"))
    env.pop("BANMIAN_IMPORT_BUNDLE", None)
    return first, src, env


def _run(tree, script: str = _RUN, **extra) -> dict:
    """What ``script`` (``_RUN`` unless told) printed last, run on ``tree`` with ``extra``
    in its environment."""
    first, src, env = tree
    out = subprocess.run([sys.executable, "-c", script, str(first), str(src)],
                         capture_output=True, text=True, env=dict(env, **extra),
                         cwd=str(MAIN.parent))
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def _bundles(tree) -> list:
    folder = os.path.join(tree[2]["BANMIAN_CACHE_DIR"], "imports")
    return sorted(n for n in os.listdir(folder) if n.endswith(".bundle")) \
        if os.path.isdir(folder) else []


def _patterns(tree) -> list:
    folder = os.path.join(tree[2]["BANMIAN_CACHE_DIR"], "imports")
    return sorted(os.path.join(folder, n) for n in os.listdir(folder)
                  if n.endswith(".patterns")) if os.path.isdir(folder) else []


def test_a_second_run_is_served_from_the_bundle_as_a_plain_import_would_be(tree):
    first, src, _env = tree
    plain = _run(tree, BANMIAN_IMPORT_BUNDLE="0")
    assert plain["served"] == [] and not plain["wrote"] and _bundles(tree) == []
    one = _run(tree)
    assert one["served"] == [] and one["wrote"] and len(_bundles(tree)) == 1
    two = _run(tree)
    assert two["served"] == ["bm_pkg", "bm_pkg.mod", "bm_top"] and not two["wrote"]
    for key in ("value", "top", "file", "top_file", "pkg_path", "origin", "cached",
                "resource", "loader"):
        assert two[key] == plain[key], key
    assert two["file"] == str(src / "bm_pkg" / "mod.py") and two["loader"] is True
    assert two["resource"] == "packaged"
    # the traceback names the file and line, and shows the line's source
    assert f'File "{src / "bm_pkg" / "mod.py"}", line 4, in fail' in two["traceback"]
    assert "raise ValueError('from mod')  # the line shown" in two["traceback"]


def test_an_edited_module_is_never_served_stale(tree):
    first, src, _env = tree
    _run(tree)
    assert _run(tree)["served"] == ["bm_pkg", "bm_pkg.mod", "bm_top"]
    mod = src / "bm_pkg" / "mod.py"
    text = mod.read_text("utf-8")
    # at once, in the second its .pyc was written (which keeps whole seconds only)
    _write(mod, text.replace("VALUE = 1", "VALUE = 22"))
    got = _run(tree)
    assert got["value"] == 22 and "bm_pkg.mod" not in got["served"] and got["wrote"]
    again = _run(tree)
    assert again["value"] == 22 and "bm_pkg.mod" in again["served"]
    _write(mod, text.replace("VALUE = 1", "VALUE = 3"))
    assert _run(tree)["value"] == 3
    assert _run(tree)["value"] == 3


def test_a_module_shadowing_a_served_one_is_found_as_a_plain_import_finds_it(tree):
    first, src, _env = tree
    _run(tree)
    assert _run(tree)["served"] == ["bm_pkg", "bm_pkg.mod", "bm_top"]
    _write(first / "bm_top.py", "VALUE = 'shadow'\n")        # earlier on sys.path
    got = _run(tree)
    assert got["top"] == "shadow" and got["top_file"] == str(first / "bm_top.py")
    assert "bm_top" not in got["served"]
    assert _run(tree)["top"] == "shadow"
    os.unlink(first / "bm_top.py")
    assert _run(tree)["top"] == "top"
    # a module added to the package folder, beside the served one: the package looked
    # up again (its folder changed), the others as they were
    _write(src / "bm_pkg" / "other.py", "")
    got = _run(tree)
    assert got["value"] == 1 and "bm_top" in got["served"] and "bm_pkg.mod" not in got["served"]


def test_a_damaged_bundle_is_passed_by_and_written_again(tree):
    _run(tree)
    (name,) = _bundles(tree)
    path = os.path.join(tree[2]["BANMIAN_CACHE_DIR"], "imports", name)
    blob = open(path, "rb").read()
    for bad in (b"", b"junk", blob[:len(blob) // 2], blob[:40] + b"\0" * 64 + blob[104:]):
        with open(path, "wb") as fh:
            fh.write(bad)
        got = _run(tree)
        assert (got["value"], got["top"], got["resource"]) == (1, "top", "packaged")
    got = _run(tree)
    assert got["served"] == ["bm_pkg", "bm_pkg.mod", "bm_top"]


def test_nothing_is_written_where_python_writes_no_bytecode(tree):
    got = _run(tree, PYTHONDONTWRITEBYTECODE="1")
    assert not got["wrote"] and _bundles(tree) == []


def test_another_search_path_is_another_bundle(tree):
    first, src, env = tree
    _run(tree)
    _run((src, first, env))         # the folders the other way round
    assert len(_bundles(tree)) == 2


def test_cache_root_is_the_cache_dir(monkeypatch, tmp_path):
    for env in ({"BANMIAN_CACHE_DIR": str(tmp_path / "c")},
                {"BANMIAN_CACHE_DIR": "", "XDG_CACHE_HOME": str(tmp_path / "x")},
                {"BANMIAN_CACHE_DIR": "", "XDG_CACHE_HOME": "relative"}):
        for k, v in env.items():
            monkeypatch.setenv(k, v)
        assert importbundle.cache_root() == str(cache_dir())


def _export(tmp_path, issue, out, **extra) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(BANMIAN_CACHE_DIR=str(tmp_path / "cache"),
               PYTHONPYCACHEPREFIX=str(tmp_path / "pyc"), **extra)
    got = subprocess.run([sys.executable, str(MAIN), "export", str(issue), "-o", str(out),
                          "--no-round"], capture_output=True, text=True, env=env)
    assert got.returncode == 0, got.stderr[-2000:]
    return got


def test_an_export_through_its_bundle_writes_the_same_pdf(tmp_path):
    # the slug shows the minute of export: exports that straddle a minute are made again
    for attempt in range(3):
        minute = time.strftime("%Y%m%d%H%M")
        tmp = tmp_path / str(attempt)
        tmp.mkdir()
        shutil.copy(SAMPLE.parent / "photo.jpg", tmp / "photo.jpg")
        issue = tmp / "issue.yaml"
        shutil.copy(SAMPLE, issue)
        _export(tmp, issue, tmp / "a.pdf", BANMIAN_IMPORT_BUNDLE="0")
        folder = tmp / "cache" / "imports"
        assert not folder.exists()
        _export(tmp, issue, tmp / "b.pdf")             # writes the bundle
        (bundle,) = (n for n in os.listdir(folder) if n.endswith(".bundle"))
        stamp = os.stat(folder / bundle).st_mtime_ns
        time.sleep(0.01)
        _export(tmp, issue, tmp / "c.pdf")             # served from it, not written again
        assert os.stat(folder / bundle).st_mtime_ns == stamp
        if time.strftime("%Y%m%d%H%M") == minute:
            break

    def strip(data: bytes) -> bytes:        # the dates and the document ID
        import re
        data = re.sub(rb"\(D:[0-9+\-Z']+\)", b"()", data)
        return re.sub(rb"/ID\s*\[[^\]]*\]", b"", data)
    a, c = (strip((tmp / n).read_bytes()) for n in ("a.pdf", "c.pdf"))
    assert a == c


# a process compiling regular expressions through a bundle (as an export does)
_RE_RUN = r"""
import json, os, sys
sys.path[0:1] = [sys.argv[1], sys.argv[2], os.getcwd()]
from common import importbundle
finder = importbundle.install("bmtest")
import re
held = sorted(repr(k) for k in (finder.patterns if finder else ()))
cases = [("(?P<year>[0-9]{4})-(?P<month>[0-9]{2})", 0, "on 2024-05 and 1999-12"),
         (r"[\u4e00-\u9fff]+", 0, "abc 版面 def 校样"),
         (rb"\s+(x)", 0, b"a  x b\tx"), ("hello", re.I, "HeLLo hello")]
out = []
for pattern, flags, text in cases:
    p = re.compile(pattern, flags)
    plain = re._compiler.compile.plain(pattern, flags) if finder else p
    found = [m.groups() or m.group(0) for m in p.finditer(text)]
    out.append([repr(found), p == plain, p.groupindex == plain.groupindex,
                p.flags == plain.flags, p.groups == plain.groups])
print(json.dumps({"held": held, "cases": out, "wrote": importbundle.save()}))
"""


def _re_run(tree, **extra) -> dict:
    return _run(tree, _RE_RUN, **extra)


def test_regular_expressions_are_made_from_their_compiled_form_as_re_makes_them(tree):
    plain = _re_run(tree, BANMIAN_IMPORT_BUNDLE="0")
    one = _re_run(tree)
    assert one["held"] == [] and len(_patterns(tree)) == 1
    written = os.stat(_patterns(tree)[0]).st_mtime_ns
    two = _re_run(tree)
    assert os.stat(_patterns(tree)[0]).st_mtime_ns == written        # nothing new
    assert len(two["held"]) == 4
    for case in ("u4e00-", "(?P<year>", "(b'", "('hello', 2)"):
        assert any(case in k for k in two["held"]), case
    assert two["cases"] == one["cases"] == plain["cases"]
    assert all(c[1:] == [True] * 4 for c in two["cases"])
    assert two["cases"][0][0] == repr([("2024", "05"), ("1999", "12")])


def test_a_pattern_table_for_another_re_is_not_used(tree):
    _re_run(tree)
    (path,) = _patterns(tree)
    blob = open(path, "rb").read()
    import marshal
    got = marshal.loads(blob[len(importbundle._PFORMAT):])
    got["for"] = ("another re",)
    # the compiled form of a pattern made wrong: never used, as the table is not
    key = next(k for k in got["table"] if k[0] == "hello")
    got["table"][key] = (0, [1, 2, 3], 0, {}, (None,))
    with open(path, "wb") as fh:
        fh.write(importbundle._PFORMAT + marshal.dumps(got))
    again = _re_run(tree)
    assert again["held"] == []
    assert all(c[1:] == [True] * 4 for c in again["cases"])
    assert len(_re_run(tree)["held"]) == 4                  # the table written again
    os.unlink(path)
    assert _re_run(tree)["held"] == [] and os.path.exists(path)
    assert len(_re_run(tree)["held"]) == 4


def test_new_patterns_rewrite_their_small_file_not_the_bundle(tree):
    first, src, env = tree
    _run(tree)
    (name,) = _bundles(tree)
    bundle = os.path.join(env["BANMIAN_CACHE_DIR"], "imports", name)
    stamp = os.stat(bundle).st_mtime_ns
    _write(src / "bm_top.py", "import re, sys\nVALUE = re.compile(sys.argv[-1]).pattern\n")
    _run(tree)                                  # bm_top changed: the bundle written
    stamp = os.stat(bundle).st_mtime_ns
    for i in range(3):                          # a pattern no run compiled before
        first_dir, src_dir, env_ = tree
        got = subprocess.run([sys.executable, "-c", _RUN, str(first_dir), str(src_dir),
                              f"x{{{i + 1}}}y"], capture_output=True, text=True, env=env_,
                             cwd=str(MAIN.parent))
        assert got.returncode == 0, got.stderr[-2000:]
        assert json.loads(got.stdout.strip().splitlines()[-1])["top"] == f"x{{{i + 1}}}y"
    assert os.stat(bundle).st_mtime_ns == stamp
    (path,) = _patterns(tree)
    import marshal
    table = marshal.loads(open(path, "rb").read()[len(importbundle._PFORMAT):])["table"]
    assert {("x{1}y", 0), ("x{2}y", 0), ("x{3}y", 0)} <= set(table)


def test_old_bundles_are_pruned_to_the_newest_few(tmp_path, tree):
    folder = tmp_path / "bundles"
    folder.mkdir()
    for i in range(10):
        (folder / f"export-{i}.bundle").write_bytes(b"x")
        os.utime(folder / f"export-{i}.bundle", ns=(10**18 + i * 10**9,) * 2)
    (folder / "export-9.bundle.123.tmp").write_bytes(b"")             # being written
    (folder / "export-8.bundle.122.tmp").write_bytes(b"")             # left behind
    os.utime(folder / "export-8.bundle.122.tmp", (time.time() - 7200,) * 2)
    (folder / "other.txt").write_text("not ours")
    removed = importbundle.prune(str(folder), str(folder / "export-0.bundle"))
    assert sorted(os.listdir(folder)) == sorted(
        ["export-0.bundle", *(f"export-{i}.bundle" for i in range(5, 10)),
         "export-9.bundle.123.tmp", "other.txt"])
    assert len(removed) == 5
    (folder / "export-1.patterns").write_bytes(b"")                  # its bundle gone
    (folder / "export-9.patterns").write_bytes(b"")
    assert importbundle.prune(str(folder), count=2) and \
        sorted(n for n in os.listdir(folder) if n.endswith(".bundle")) == \
        ["export-8.bundle", "export-9.bundle"]
    assert sorted(n for n in os.listdir(folder) if n.endswith(".patterns")) == \
        ["export-9.patterns"]
    # a bundle written prunes its folder
    cache = os.path.join(tree[2]["BANMIAN_CACHE_DIR"], "imports")
    os.makedirs(cache)
    for i in range(8):
        open(os.path.join(cache, f"old-{i}.bundle"), "wb").close()
    assert _run(tree)["wrote"]
    assert len(_bundles(tree)) == importbundle._KEEP
    assert _run(tree)["served"] == ["bm_pkg", "bm_pkg.mod", "bm_top"]


# a process importing modules that are not there (as ReportLab, pickle and pathlib try)
_ABSENT_RUN = r"""
import json, os, sys
sys.path[0:1] = [sys.argv[1], sys.argv[2], os.getcwd()]
from common import importbundle
finder = importbundle.install("bmtest")
got = {}
for name in ("bm_absent", "bm_pkg.nothere"):
    try:
        module = __import__(name)
        got[name] = getattr(module, "VALUE", "found")
    except ImportError as exc:
        got[name] = [type(exc).__name__, str(exc), exc.name]
print(json.dumps({"got": got, "refused": sorted(finder.refused if finder else ()),
                  "wrote": importbundle.save()}))
"""


def _absent_run(tree, **extra) -> dict:
    return _run(tree, _ABSENT_RUN, **extra)


def test_a_module_found_nowhere_is_not_looked_for_again_until_a_folder_changes(tree):
    first, src, _env = tree
    plain = _absent_run(tree, BANMIAN_IMPORT_BUNDLE="0")
    assert plain["got"] == {
        "bm_absent": ["ModuleNotFoundError", "No module named 'bm_absent'", "bm_absent"],
        "bm_pkg.nothere": ["ModuleNotFoundError", "No module named 'bm_pkg.nothere'",
                           "bm_pkg.nothere"]}
    one = _absent_run(tree)
    assert one["refused"] == [] and one["wrote"] and one["got"] == plain["got"]
    two = _absent_run(tree)
    assert two["refused"] == ["bm_absent", "bm_pkg.nothere"] and not two["wrote"]
    assert two["got"] == plain["got"]
    # added to a folder on the path (the first one, even): found at once
    _write(first / "bm_absent.py", "VALUE = 'here'\n")
    three = _absent_run(tree)
    assert three["got"]["bm_absent"] == "here" and three["refused"] == ["bm_pkg.nothere"]
    _write(src / "bm_pkg" / "nothere.py", "")
    assert _absent_run(tree)["got"]["bm_pkg.nothere"] == "found"
    os.unlink(first / "bm_absent.py")
    assert _absent_run(tree)["got"]["bm_absent"] == plain["got"]["bm_absent"]
    assert _absent_run(tree)["refused"] == ["bm_absent"]


def test_a_served_modules_cached_file_is_named_for_this_runs_pycache_prefix(tree, tmp_path):
    _run(tree)
    two = _run(tree)
    assert "bm_pkg.mod" in two["served"]
    assert two["cached"].startswith(str(tmp_path / "pyc"))
    other = str(tmp_path / "other-pyc")
    plain = _run(tree, BANMIAN_IMPORT_BUNDLE="0", PYTHONPYCACHEPREFIX=other)
    got = _run(tree, PYTHONPYCACHEPREFIX=other)
    assert got["cached"] == plain["cached"] and got["cached"].startswith(other)


_EXT_RUN = r"""
import json, os, sys
sys.path[0:1] = [sys.argv[1], sys.argv[2], os.getcwd()]
from common import importbundle
finder = importbundle.install("bmtest")
for name in ("array", "_bisect", "unicodedata"):
    sys.modules.pop(name, None)
import array, _bisect, unicodedata
print(json.dumps({
    "served": sorted(n for n in (finder.served if finder else ()) if n in ("array", "_bisect", "unicodedata")),
    "files": [m.__file__ for m in (array, _bisect, unicodedata)],
    "loaders": sorted({type(m.__loader__).__name__ for m in (array, _bisect, unicodedata)}),
    "cached": [m.__spec__.cached for m in (array, _bisect, unicodedata)],
    "work": [array.array("i", [1, 2]).tolist(), _bisect.bisect_right([1, 3], 2),
             unicodedata.name("版")],
    "wrote": importbundle.save()}))
"""


def test_extension_modules_are_served_as_the_path_finder_finds_them(tree):
    def run(**extra):
        return _run(tree, _EXT_RUN, **extra)
    plain = run(BANMIAN_IMPORT_BUNDLE="0")
    one = run()
    assert one["served"] == [] and one["wrote"]
    two = run()
    assert two["served"] == ["_bisect", "array", "unicodedata"] and not two["wrote"]
    for key in ("files", "loaders", "cached", "work"):
        assert two[key] == plain[key], key
    assert plain["loaders"] == ["ExtensionFileLoader"] and plain["cached"] == [None] * 3
    assert plain["work"] == [[1, 2], 1, "CJK UNIFIED IDEOGRAPH-7248"]


def test_find_spec_of_a_module_found_nowhere_is_none_as_ever(tree):
    code = (_ABSENT_RUN.replace('print(json.dumps({"got"', 'import importlib.util\n'
            'got["find_spec"] = [importlib.util.find_spec("bm_absent"), '
            'importlib.util.find_spec("bm_pkg.nothere")]\nprint(json.dumps({"got"'))
    def run():
        return _run(tree, code)
    run()
    got = run()
    assert got["refused"] == ["bm_absent", "bm_pkg.nothere"]
    assert got["got"]["find_spec"] == [None, None]
