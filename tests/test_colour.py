"""Colour: tints ("red 30%"), the paper colour for reverse type (反白), CMYK values and
overprint in the print PDF, and the swatch UI driven like a user."""
from __future__ import annotations

import copy
import re

import pytest

from support.fakefont import SquareFontSet
from layout import model as m
from layout import pagedesign as D
from layout.compose import Composer
from layout.docfile import DocumentError, dump_issue, load_issue, parse_issue

DOC = """banmian: 1
colors: {black: [0, 0, 0, 1], red: [0, 1, 1, 0], 报红: [0, 0.9, 0.8, 0.05]}
paragraph_styles:
  reverse: {font: headline, size: 二号, indent: 0, align: center, leading: 3, color: paper}
  tinted: {font: caption, indent: 0, color: 'black 60%'}
pages:
- number: 1
  frames:
  - {type: box, id: band, line: 10, cols: 8, lines: 4, stroke: 0pt, fill: red 30%}
  - {type: caption, id: head, line: 10, cols: 8, lines: 3, text: 反白标题, style: reverse}
  - {type: caption, id: body, line: 20, cols: 4, lines: 2, text: 黑色正文}
  - {type: caption, id: grey, line: 24, cols: 4, lines: 2, text: 灰色说明, style: tinted}
  - {type: rule, id: r, line: 30, cols: 8, color: 报红 50%}
"""


def test_colour_references():
    colors = {"red": [0, 1, 1, 0], "black": [0, 0, 0, 1]}
    assert m.parse_color("red") == ("red", 1.0)
    assert m.parse_color("red 30%") == ("red", 0.3)
    assert m.color_value(colors, "red 30%") == (0, 0.3, 0.3, 0)
    assert m.color_value(colors, "black 100%") == (0, 0, 0, 1)
    assert m.color_value(colors, "paper") == (0, 0, 0, 0)
    assert m.color_value(colors, "white") == (0, 0, 0, 0)
    assert m.color_value(colors, "blue 30%") is None
    with pytest.raises(ValueError):
        m.parse_color("red 130%")


def test_result_carries_resolved_tints_and_runs_their_colour():
    issue = parse_issue(DOC)
    assert parse_issue(dump_issue(issue)) == issue
    res = Composer(issue, SquareFontSet()).compose()
    assert res.colors["red 30%"] == (0, 0.3, 0.3, 0)
    assert res.colors["paper"] == (0, 0, 0, 0)
    assert res.colors["报红 50%"] == (0, 0.45, 0.4, 0.025)
    runs = {fr.frame_id: fr.runs for fr in res.page(1).frames}
    assert {r.color for r in runs["head"]} == {"paper"}
    assert {r.color for r in runs["grey"]} == {"black 60%"}


@pytest.mark.parametrize("bad, message", [
    ("fill: red 30%", "fill: red 130%"),
    ("fill: red 30%", "fill: blue 30%"),
    ("fill: red 30%", "fill: red 30"),             # a swatch name that does not exist
    ("color: 'black 60%'", "color: 'black x%'"),
])
def test_bad_tints_name_the_line(bad, message, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(DOC.replace(bad, message), "utf-8")
    with pytest.raises(DocumentError) as exc:
        load_issue(path)
    assert exc.value.line is not None
    assert message.split(": ")[1].strip("'") in str(exc.value)


# ---------------------------------------------------------------------------- print PDF
pytest.importorskip("pymupdf")


def _states(path) -> list[tuple[str, str, str]]:
    """(overprint graphics state, fill operator, text) for each text object of page 1."""
    import pymupdf
    doc = pymupdf.open(str(path))
    page = doc[0]
    stream = b"".join(doc.xref_stream(x) for x in page.get_contents()).decode("latin-1")
    gs, fill, out = "BMko", "", []        # a page starts with overprint off
    for tok in re.finditer(r"/(BM\w+) gs|((?:[\d.]+ ){4})k\n|BT .*? ET", stream, re.S):
        if tok.group(1):
            gs = tok.group(1)
        elif tok.group(2):
            fill = tok.group(2).strip()
        else:
            out.append((gs, fill, tok.group(0)[:20]))
    return out, stream


def test_print_pdf_tints_in_cmyk_and_white_text_knocks_out(real_fontset_factory, tmp_path):
    from output import PdfOptions, write_pdf
    issue = parse_issue(DOC)
    fontset = real_fontset_factory(issue.fonts)
    res = Composer(issue, fontset).compose()
    path = tmp_path / "print.pdf"
    write_pdf(res, fontset, str(path), PdfOptions(mode="print"))
    texts, stream = _states(path)
    # the band: red at 30 % is 0 C, 30 % M, 30 % Y
    assert "0 0.3 0.3 0 k" in stream
    # the rule: 报红 at 50 %, as a CMYK stroke
    assert "0 0.45 0.4 0.025 K" in stream
    by_fill = {}
    for gs, fill, _ in texts:
        by_fill.setdefault(fill, set()).add(gs)
    # reverse type: paper-white text, never overprinting (it would vanish on press)
    assert by_fill["0 0 0 0"] == {"BMko"}
    # 100 % K text overprints; a black tint does not
    assert by_fill["0 0 0 1"] == {"BMop"}
    assert by_fill["0 0 0 0.6"] == {"BMko"}


# ---------------------------------------------------------------------------- the dock
pytest.importorskip("pytestqt")

from tests.test_masters import design, undo_all  # noqa: E402,F401


def test_swatch_tint_fill_text_colour_and_reverse_type(design, qtbot):  # noqa: F811
    from layout.position import StoryPos
    win = design
    doc, dock, scene = win.doc, win.swatches, win.scene
    original = copy.deepcopy(doc.issue)
    # a new swatch, its inks set in the spin boxes
    dock.add("报红")
    assert dock.current() == "报红"
    for w, v in zip(dock.inks, (0, 90, 80, 5)):
        w.setValue(v)
    assert doc.issue.colors["报红"] == [0.0, 0.9, 0.8, 0.05]
    # a 30 % tint of it fills the selected box (底纹)
    dock.tint.setValue(30)
    scene.set_selection(["bx"])
    dock.buttons["swatch.fill"].click()
    assert doc.issue.frame("bx")[1].fill == "报红 30%"
    assert doc.result.colors["报红 30%"] == (0.0, 0.27, 0.24, 0.015)
    # the properties dock shows it, and changes the tint with its spin box
    win.props.show_frame("bx")
    assert win.props.fill.ref() == "报红 30%"
    win.props.fill.tint.setValue(20)
    assert doc.issue.frame("bx")[1].fill == "报红 20%"
    # reverse type: the caption in the box gets the paper colour through its style
    scene.set_selection(["in-box"])
    dock.select("paper")
    dock.buttons["swatch.para"].click()
    assert doc.issue.paragraph_styles["caption"].color == "paper"
    runs = next(f for f in doc.result.page(1).frames if f.frame_id == "in-box").runs
    assert {r.color for r in runs} == {"paper"}
    item = scene.frames["in-box"]
    assert item.prepared.runs[0].color.name() == "#ffffff"
    # colour the selected text of a story: a character style of that colour
    win.text.start("lead", StoryPos(0, 0), anchor=StoryPos(0, 3))
    dock.select("red")
    dock.tint.setValue(100)
    dock.buttons["swatch.text"].click()
    para = doc.issue.stories["lead"].paragraphs[0]
    assert para.runs[0].text == "本报讯" and para.runs[0].style == "color red"
    assert doc.issue.char_styles["color red"].color == "red"
    t1 = next(f for f in doc.result.page(1).frames if f.frame_id == "t1")
    assert t1.runs[0].color == "red"
    assert parse_issue(dump_issue(doc.issue)) == doc.issue
    undo_all(doc)
    assert doc.issue == original


def test_set_color_edit_refuses_bad_values():
    from layout.edits import EditError
    with pytest.raises(EditError):
        D.SetColor("x", [0, 2, 0, 0])
    with pytest.raises(EditError):
        D.SetColor("red 30%", [0, 1, 1, 0])


def test_renaming_a_swatch_rewrites_its_uses_and_an_used_one_is_not_deleted():
    from layout.edits import EditError
    issue = parse_issue(DOC)
    before = copy.deepcopy(issue)
    with pytest.raises(EditError, match="in use"):
        D.RemoveColor("red").apply(issue)
    edit = D.RenameColor("报红", "社红")
    edit.apply(issue)
    assert list(issue.colors) == ["black", "red", "社红"]
    assert issue.frame("r")[1].color == "社红 50%"
    assert parse_issue(dump_issue(issue)) == issue          # still a valid file
    edit.revert(issue)
    assert issue == before
    D.RenameColor("red", "大红").apply(issue)
    assert issue.frame("band")[1].fill == "大红 30%"
    D.SetColor("spare", [0, 0, 1, 0]).apply(issue)
    D.RemoveColor("spare").apply(issue)
    assert "spare" not in issue.colors
