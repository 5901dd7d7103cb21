"""`main.py check --json`: copyfit counts per story, checked against a hand-computed case."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ISSUE = """\
banmian: 1
paragraph_styles:
  body: {{indent: 0}}
stories:
  long:
    thread: [a]
    paragraphs: ["{long}"]
  short:
    thread: [b]
    paragraphs: ["{short}"]
pages:
- number: 1
  frames:
  - {{type: text, id: a, col: 0, line: 0, cols: 1, lines: 3}}
  - {{type: text, id: b, col: 2, line: 0, cols: 2, lines: 5}}
"""


def run_check(tmp_path, long, short):
    path = tmp_path / "issue.yaml"
    path.write_text(ISSUE.format(long=long, short=short), "utf-8")
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "check", str(path), "--json"],
                          capture_output=True, text=True, timeout=600)
    return proc.returncode, json.loads(proc.stdout)


def test_overset_and_underset_by_hand(tmp_path):
    # 13 characters of 小五 per basic column.  "long": 50 characters in 3 lines of one
    # column: 39 fit, 11 characters on 1 more line are overset.  "short": 20 characters
    # in 2 columns × 5 lines: 2 lines used, 8 lines empty.
    code, rep = run_check(tmp_path, "国" * 50, "家" * 20)
    assert code == 1                                   # overset is an error
    long, short = rep["stories"]["long"], rep["stories"]["short"]
    assert (long["lines"], long["overset_lines"], long["overset_chars"]) == (3, 1, 11)
    assert long["label"] == "超出 1 行 / 11 字"
    assert (short["lines"], short["overset_lines"], short["underset_lines"]) == (2, 0, 8)
    assert short["label"] == "缺 8 行"
    assert any(d["code"] == "overset" and d["story"] == "long" for d in rep["diagnostics"])


def test_fitting_stories_exit_0(tmp_path):
    code, rep = run_check(tmp_path, "国" * 39, "家" * 130)
    assert code == 0, rep["diagnostics"]
    assert rep["stories"]["long"]["label"] == "正好"
    assert rep["stories"]["short"]["label"] == "正好"


def test_columns_per_frame_by_hand(tmp_path):
    # "short": 20 characters in 2 columns × 5 lines (not balanced): 2 lines in the first
    # column, none in the second — one uneven foot, the underset counted on the frame
    code, out = run_check(tmp_path, "中" * 30, "中" * 20)
    b = out["frames"]["b"]
    assert (b["page"], b["story"], b["columns"], b["depths"], b["uneven_feet"]) == \
        (1, "short", [2, 0], [2, 0], 1)
    assert out["frames"]["a"]["columns"] == [3] and out["uneven_feet"] == 1


def test_sample_columns_end_level():
    # the bundled sample: every module's columns end on one grid line (the last may be a
    # line shorter), nothing hidden under another frame
    from support.paths import SAMPLE
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "check", str(SAMPLE), "--json"],
                          capture_output=True, text=True, timeout=600)
    out = json.loads(proc.stdout)
    assert out["uneven_feet"] == 0, {k: v["depths"] for k, v in out["frames"].items()}
    assert not [d for d in out["diagnostics"] if d["code"] in ("text-hidden", "frame-overlap",
                                                                "uneven-feet")]
    assert len(out["frames"]["t-wennuan"]["columns"]) == 8
    assert set(out["frames"]["t-wennuan"]["depths"]) == {12}


def test_lines_spaced_past_the_limit_are_named(tmp_path):
    # 13 em columns: ten Han characters, then an eight-digit number with its unit that
    # cannot be split (4.5 em) and cannot join them: the first line has 3 em to give out
    # over 9 gaps, 1/3 em each, and no setting within 0.15 em exists.  The check says
    # where, so that the copy can be edited.
    code, rep = run_check(tmp_path, "国" * 10 + "12345678年" + "国" * 8, "家" * 20)
    (loose,) = rep["stories"]["long"]["loose_lines"]
    assert (loose["page"], loose["frame"]) == (1, "a")
    assert abs(loose["gap_em"] - 1 / 3) < 0.01
    assert rep["stories"]["short"]["loose_lines"] == []
    # the same story with the number shorter sets within the limits
    code, rep = run_check(tmp_path, "国" * 10 + "12年" + "国" * 8, "家" * 20)
    assert rep["stories"]["long"]["loose_lines"] == []
