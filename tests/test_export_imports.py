"""What an export imports, and what its imports cost: a pattern made cheaper to compile
matches what it matched, every dataclass an export makes takes its methods from a
generated file (common/prebuilt.py) and ``threading`` is left unimported."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

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
import dataclasses, json, runpy, sys
main = sys.argv[1]
sys.argv = [main] + sys.argv[2:]
try:
    runpy.run_path(main, run_name="__main__")
except SystemExit:
    pass
ours = ("layout", "fonts", "output", "proofs", "common")
plain = sorted(
    f"{mod}.{name}" for mod, module in list(sys.modules.items())
    if module is not None and mod.split(".")[0] in ours
    for name, obj in list(vars(module).items())
    if isinstance(obj, type) and obj.__module__ == mod and dataclasses.is_dataclass(obj)
    and obj.__dataclass_params__.init
    and not obj.__init__.__code__.co_filename.endswith("_methods.py"))
print(json.dumps({"plain": plain, "threading": "threading" in sys.modules,
                  "engine": "layout.compose" in sys.modules}))
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
    issue.write_text(issue.read_text("utf-8").replace("。", "。补一句。", 1), "utf-8")
    edited = _export(tmp_path, issue)
    assert first["engine"] and not unchanged["engine"] and edited["engine"]
    for got in (first, unchanged, edited):
        assert got["plain"] == []
    for got in (unchanged, edited):     # (a first one may scan fonts, open images …)
        assert got["threading"] is False
