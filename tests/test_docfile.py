"""The YAML file format: round trip, golden file, refusal of bad files with file:line."""
from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import typing
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


# ------------------------------------------------------------------ choices from the types
def _literal_fields():
    """(class, field, allowed values) for every model field typed as a closed set."""
    classes = [v for v in vars(m).values() if isinstance(v, type) and dataclasses.is_dataclass(v)]
    for cls in classes:
        hints = typing.get_type_hints(cls)
        for f in dataclasses.fields(cls):
            if typing.get_origin(hints[f.name]) is typing.Literal:
                yield cls, f.name, typing.get_args(hints[f.name])


#: where each class's fields go in a document, and the line the bad value lands on
_PLACES = {
    m.Paper: ("banmian: 1\npaper:\n  name: 对开\n  {field}: {value}\n", 4),
    m.JumpSettings: ("banmian: 1\npaper:\n  jumps:\n    style: jump\n    {field}: {value}\n", 5),
    m.ParagraphStyle: ("banmian: 1\nparagraph_styles:\n  body:\n    size: 小五\n"
                       "    {field}: {value}\n", 5),
    m.CharStyle: ("banmian: 1\nchar_styles:\n  bold:\n    font: headline\n    {field}: {value}\n", 5),
    m.Story: ("banmian: 1\nstories:\n  s:\n    byline: x\n    {field}: {value}\n", 5),
    **{cls: ("banmian: 1\npages:\n- number: 1\n  frames:\n  - type: " + kind + "\n    id: f\n"
             "    {field}: {value}\n", 7) for kind, cls in m.FRAME_TYPES.items()},
    m.Wrap: ("banmian: 1\npages:\n- number: 1\n  frames:\n  - type: photo\n    id: f\n"
             "    wrap:\n      {field}: {value}\n", 8),
}

LITERALS = list(_literal_fields())


def test_choices_are_types():
    # what the comments and validate() used to list, now in the type hints
    have = {(cls.__name__, name) for cls, name, _ in LITERALS}
    assert {("Paper", "punctuation"), ("Paper", "language"), ("JumpSettings", "numerals"),
            ("JumpSettings", "placement"), ("ParagraphStyle", "align"),
            ("ParagraphStyle", "language"), ("HeadlineFrame", "align"), ("PhotoFrame", "fit"),
            ("RuleFrame", "pattern")} <= have
    assert list(m.FRAME_TYPES) == list(typing.get_args(m.FrameKind))


@pytest.mark.parametrize("cls,name,allowed", LITERALS,
                         ids=[f"{c.__name__}.{n}" for c, n, _ in LITERALS])
def test_each_choice_refused_with_its_values_and_line(cls, name, allowed):
    assert cls in _PLACES, f"add a place for {cls.__name__} to _PLACES"
    template, line = _PLACES[cls]
    for value in allowed:                                   # every allowed value loads
        parse_issue(template.format(field=name, value=f"'{value}'"), "issue.yaml")
    with pytest.raises(DocumentError) as err:
        parse_issue(template.format(field=name, value="zigzag"), "issue.yaml")
    names = ", ".join(a or "''" for a in allowed)
    assert err.value.line == line, str(err.value)
    assert str(err.value).startswith(f"issue.yaml:{line}: ")
    assert str(err.value).endswith(f"{name} 'zigzag' is not one of {names}")
    with pytest.raises(DocumentError) as err:              # not text at all
        parse_issue(template.format(field=name, value="[a, b]"), "issue.yaml")
    assert err.value.line == line


def test_unknown_key_lists_the_fields():
    text = "banmian: 1\nstories:\n  lead:\n    byline: x\n    colour: red\n"
    with pytest.raises(DocumentError) as err:
        parse_issue(text, "issue.yaml")
    known = sorted(f.name for f in dataclasses.fields(m.Story)
                   if f.name not in ("id", "paragraphs"))
    assert {"byline", "headline", "name", "thread"} <= set(known)
    assert str(err.value) == (f"issue.yaml:5: story 'lead': unknown key 'colour' "
                              f"(known: {', '.join(known)})")
    with pytest.raises(DocumentError) as err:
        parse_issue("banmian: 1\npaper:\n  grid:\n    column: 13字\n    rows: 3\n", "issue.yaml")
    assert err.value.line == 5
    assert str(err.value).endswith("paper grid: unknown key 'rows' "
                                   "(known: body, column, columns, gutter, pitch)")


# ------------------------------------------------------------------ lines of nested objects
NESTED = """banmian: 1
paper:
  grid: {columns: 8}
colors:
  black: [0, 0, 0, 1]
  spot: [0, 1, 0, 0]
paragraph_styles:
  body: {size: 小五}
  quote:
    font: byline
char_styles:
  bold:
    size: 9pt
stories:
  first:
    thread: [t1]
  second:
    paragraphs:
    - 正文
    - {style: quote, text: x}
pages:
- number: 1
  frames:
  - {type: text, id: t1, cols: 3, lines: 20}
- number: 2
  section: 要闻
  frames:
  - type: text
    id: t2
    cols: 3
    lines: 20
  - type: rule
    id: r1
    line: 5
    cols: 2
    weight: 1pt
- number: 3
  frames:
  - {type: box, id: b3, line: 30, cols: 2, lines: 2}
"""

#: one fault each: (text replaced, replacement, line of the message, words in it)
FAULTS = [
    ("spot: [0, 1, 0, 0]", "spot: [0, 2, 0, 0]", 6, "colour 'spot' must be four CMYK values"),
    ("font: byline", "font: nosuch", 9, "paragraph style 'quote': no font role 'nosuch'"),
    ("size: 9pt", "size: huge", 12, "character style 'bold': unknown type size 'huge'"),
    ("weight: 1pt", "weight: heavy", 32, "frame 'r1': weight: unknown length 'heavy'"),
    ("weight: 1pt", "weight: -1pt", 32, "frame 'r1': weight '-1pt' must be at least 0"),
    ("line: 5\n", "line: 500\n", 32, "frame 'r1' lies off page 2"),
    ("- number: 3", "- number: 2", 37, "page number 2 is used twice"),
    ("id: b3", "id: t2", 39, "frame id 't2' is used twice"),
    ("{style: quote, text: x}", "{style: nosuch, text: x}", 17,
     "story 'second' paragraph 2: no paragraph style 'nosuch'"),
    ("thread: [t1]", "thread: [t1, r1]", 15, "frame 'r1' in its thread is a rule frame"),
    ("    - 正文\n", "    - 正文\n    - {style: body, runs: [{text: x, style: nosuch}]}\n", 17,
     "no character style 'nosuch'"),
    ("    size: 9pt\n", "    size: 9pt\n    colour: red\n", 14,
     "character style 'bold': unknown key 'colour' (known: color, font, label, shape, size)"),
    ("  section: 要闻\n", "  section: [要闻]\n", 26, "expected a single value"),
    ("    cols: 3\n    lines: 20\n", "    cols: 3\n    lines: 20\n    box: [1mm, 2mm]\n",
     28, "frame 't2': box needs [x, y, width, height]"),
    ("grid: {columns: 8}", "grid: {columns: 8, pitch: 12 lines}", 2, "paper: unknown length"),
]


def test_nested_document_loads():
    issue = parse_issue(NESTED, "issue.yaml")
    assert [p.number for p in issue.pages] == [1, 2, 3]


@pytest.mark.parametrize("old,new,line,words", FAULTS, ids=[f[3][:30] for f in FAULTS])
def test_lines_of_nested_objects(old, new, line, words):
    assert NESTED.count(old) == 1
    with pytest.raises(DocumentError) as err:
        parse_issue(NESTED.replace(old, new), "issue.yaml")
    assert err.value.line == line, str(err.value)
    assert words in err.value.message, str(err.value)


def test_problem_with_a_default_object_names_its_section():
    # the built-in 'body' style is not in the file: its section's line is the place
    text = ("banmian: 1\npaper:\n  grid: {body: 9pt}\n  hao: {五号: 10.5}\n"
            "paragraph_styles:\n  quote: {size: 五号}\n")
    with pytest.raises(DocumentError) as err:
        parse_issue(text, "issue.yaml")
    assert err.value.line == 5, str(err.value)
    assert "paragraph style 'body': unknown type size '小五'" in str(err.value)


# ------------------------------------------------------------------ deprecated keys, tags
def test_deprecated_keys_still_load_and_are_not_saved(tmp_path):
    old = ("banmian: 1\npaper:\n  margin_inside: 18.8mm\n  margin_outside: 18.8mm\n"
           "paragraph_styles:\n  body: {size: 五号, tracking: 0.05}\n  quote: {tracking: 1}\n")
    issue = parse_issue(old, "old.yaml")
    assert issue == parse_issue(old.replace("  margin_outside: 18.8mm\n", "")
                                .replace(", tracking: 0.05", "").replace("{tracking: 1}", "{}"))
    assert issue.paragraph_styles["body"].size == "五号"
    text = dump_issue(issue)
    assert "margin_outside" not in text and "tracking" not in text
    assert parse_issue(text) == issue
    for dropped in ({"margin_outside"}, {"tracking"}):
        assert dropped <= set().union(*m.DEPRECATED_KEYS.values())
    # deprecated keys are not offered as known ones
    with pytest.raises(DocumentError) as err:
        parse_issue("banmian: 1\npaper: {margins: 1}\n")
    assert "margin_outside" not in str(err.value) and "margin_inside" in str(err.value)


def test_templates_load():
    for path in sorted((ROOT / "resources" / "templates").glob("*.yaml")):
        issue = load_issue(path)
        assert parse_issue(dump_issue(issue)) == issue


@pytest.mark.parametrize("value,words", [
    ("!!python/name:os.system x", "YAML tag"),
    ("!!int x", "not a valid value"),
    ("!!timestamp x", "not a valid value"),
    ("!!bool x", "not a valid value"),
    ("!!binary 'a'", "not a valid value"),
    ("!!set {a: 1}", "expected a single value"),
])
def test_yaml_tags_refused_in_one_line(value, words):
    with pytest.raises(DocumentError) as err:
        parse_issue(f"banmian: 1\ninfo:\n  date: x\n  number: {value}\n", "issue.yaml")
    assert err.value.line == 4, str(err.value)
    assert words in str(err.value)


def test_merge_keys_refused():
    with pytest.raises(DocumentError) as err:
        parse_issue("banmian: 1\ninfo: &i {date: x}\npaper:\n  <<: *i\n", "issue.yaml")
    assert err.value.line == 4
