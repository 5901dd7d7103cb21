"""The YAML file format: round trip, golden file, refusal of bad files with file:line."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from layout import model as m
from layout.docfile import DocumentError, dump_issue, load_issue, parse_issue, save_issue

GOLDEN = Path(__file__).parent / "golden" / "small-issue.yaml"
ROOT = Path(__file__).resolve().parent.parent


def small_issue() -> m.Issue:
    iss = m.Issue(fonts=m.default_fonts(), paragraph_styles=m.default_styles())
    iss.info = m.IssueInfo(paper_name="陇原职工报", date="2019-03-20", number="第1号", version=2)
    iss.paragraph_styles["body"].size = "五号"
    iss.paragraph_styles["quote"] = m.ParagraphStyle(font="byline", indent=0)
    iss.char_styles["bold"] = m.CharStyle(font="headline")
    iss.stories["lead"] = m.Story(
        "lead", name="头条", headline=m.Headline("引题", "主题", "——副题"), byline="本报记者 某某",
        paragraphs=[m.Paragraph("body", [m.Run("本报讯 第一段。")]),
                    m.Paragraph("quote", [m.Run("引语")]),
                    m.Paragraph("body", [m.Run("加粗", "bold"), m.Run("正文")])],
        thread=["t1", "t2"])
    iss.pages = [
        m.Page(1, "要闻", [m.HeadlineFrame("h1", col=0, line=0, cols=8, lines=8, story="lead"),
                         m.TextFrame("t1", col=0, line=8, cols=4, lines=40, balance=True),
                         m.PhotoFrame("p1", col=4, line=8, cols=4, lines=20, image="photo.jpg",
                                      credit="某某 摄", caption="图片说明"),
                         m.RuleFrame("r1", col=0, line=48, cols=8, lines=1)]),
        m.Page(2, frames=[m.TextFrame("t2", col=0, line=0, cols=2, lines=30),
                          m.BoxFrame("b1", box=["10mm", "20mm", "50mm", "3行"])])]
    return iss


def test_golden_file():
    text = dump_issue(small_issue())
    if os.environ.get("BANMIAN_UPDATE_GOLDEN"):
        GOLDEN.write_text(text, "utf-8")
    assert text == GOLDEN.read_text("utf-8")


def test_round_trip(tmp_path):
    iss = small_issue()
    path = tmp_path / "issue.yaml"
    save_issue(iss, path)
    again = load_issue(path)
    assert again == iss
    save_issue(again, tmp_path / "again.yaml")
    assert (tmp_path / "again.yaml").read_text("utf-8") == path.read_text("utf-8")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_sample_round_trips(tmp_path):
    sample = ROOT / "resources" / "samples" / "front-page" / "issue.yaml"
    iss = load_issue(sample)
    save_issue(iss, tmp_path / "s.yaml")
    assert load_issue(tmp_path / "s.yaml") == iss


BAD = [
    ("banmian: 1\npages: [\n", 3, "not valid YAML"),
    ("info: {}\n", 1, "banmian"),
    ("banmian: 7\n", 1, "schema version 7"),
    ("banmian: 1\nstories:\n  a:\n    colour: red\n", 4, "unknown key 'colour'"),
    ("banmian: 1\npages:\n  - number: one\n", 3, "whole number"),
    ("banmian: 1\npages:\n  - number: 1\n    frames:\n      - {type: text, id: a, cols: 0}\n",
     5, "has no size"),
    ("banmian: 1\npages:\n  - number: 1\n    frames:\n      - {type: text, id: a, col: 7, cols: 4}\n",
     5, "lies off page"),
    ("banmian: 1\npages:\n  - number: 1\n    frames:\n      - {type: blob, id: a}\n",
     5, "unknown frame type"),
    ("banmian: 1\nstories:\n  s:\n    thread: [nowhere]\n", 3, "on no page"),
    ("banmian: 1\npages:\n  - number: 1\n    frames:\n      - {type: text, id: a}\n"
     "      - {type: text, id: a, line: 5}\n", 6, "used twice"),
    ("banmian: 1\nparagraph_styles:\n  body: {size: 大五}\n", None, "unknown type size"),
    ("banmian: 1\nstories:\n  s:\n    paragraphs:\n      - {style: nosuch, text: x}\n", 3,
     "no paragraph style 'nosuch'"),
    ("banmian: 1\n!!python/object/apply:os.system [echo hi]\n", None, ""),
]


@pytest.mark.parametrize("text,line,words", BAD)
def test_bad_files_name_file_and_line(tmp_path, text, line, words):
    path = tmp_path / "bad.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(DocumentError) as err:
        load_issue(path)
    msg = str(err.value)
    assert msg.startswith(str(path))
    if line is not None:
        assert err.value.line == line, msg
    assert words in msg


def test_cli_refuses_bad_file_with_exit_2_and_no_traceback(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("banmian: 1\nstories:\n  a:\n    colour: red\n", "utf-8")
    for cmd in (["check", str(path)], ["export", str(path), "-o", str(tmp_path / "x.pdf")]):
        proc = subprocess.run([sys.executable, str(ROOT / "main.py"), *cmd],
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 2
        assert "Traceback" not in proc.stderr
        assert f"{path}:4:" in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1


def test_parse_accepts_plain_string_paragraphs():
    iss = parse_issue("banmian: 1\nstories:\n  s:\n    paragraphs: [甲乙丙, {style: subhead, text: 小标题}]\n")
    assert [p.text for p in iss.stories["s"].paragraphs] == ["甲乙丙", "小标题"]
    assert iss.stories["s"].paragraphs[1].style == "subhead"
