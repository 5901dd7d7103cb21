"""Layers: the file format, drawing order, the print PDF without non-printing layers,
and the Layers dock driven like a user (add, rename, reorder, hide, lock)."""
from __future__ import annotations

import copy
import re

import pytest

from support.fakefont import SquareFontSet
from support.paths import SAMPLE
from layout import model as m
from layout import pagedesign as D
from layout.compose import Composer
from layout.docfile import DocumentError, dump_issue, load_issue, parse_issue

DOC = """banmian: 1
colors: {black: [0, 0, 0, 1], ad-grey: [0.11, 0.22, 0.33, 0.44]}
layers:
- {name: 正文}
- {name: 广告, printable: false}
- {name: 批注, visible: false}
pages:
- number: 1
  frames:
  - {type: box, id: ad, line: 30, cols: 8, lines: 10, stroke: 0pt, fill: ad-grey, layer: 广告}
  - {type: caption, id: note, line: 50, cols: 4, lines: 2, text: 改标题, layer: 批注}
  - {type: caption, id: cap, line: 20, cols: 4, lines: 2, text: 说明}
"""


def test_round_trip_and_layer_order():
    issue = parse_issue(DOC)
    assert [ly.name for ly in issue.layers] == ["正文", "广告", "批注"]
    assert parse_issue(dump_issue(issue)) == issue
    res = Composer(issue, SquareFontSet()).compose()
    frames = res.page(1).frames
    # drawing order follows the layers (bottom first), not the order in the file
    assert [f.frame_id for f in frames] == ["cap", "ad", "note"]
    assert [(f.layer, f.printable, f.visible) for f in frames] == [
        ("正文", True, True), ("广告", False, True), ("批注", True, False)]


@pytest.mark.parametrize("change, message", [
    ("layer: 广告}", "layer: 广场}"),
    ("- {name: 批注, visible: false}", "- {name: 广告}"),
])
def test_mistakes_name_the_line(change, message, tmp_path):
    bad = DOC.replace(change, message)
    path = tmp_path / "bad.yaml"
    path.write_text(bad, "utf-8")
    with pytest.raises(DocumentError) as exc:
        load_issue(path)
    text = str(exc.value)
    assert ("no layer '广场' (layers: 正文, 广告, 批注)" in text) or \
        ("layer '广告' is listed twice" in text)
    assert exc.value.line is not None


def test_set_layers_renames_frames_and_reverts():
    issue = parse_issue(DOC)
    before = copy.deepcopy(issue)
    edit = D.SetLayers([m.Layer("正文"), m.Layer("广告位", printable=False)], {"广告": "广告位"})
    edit.apply(issue)
    assert issue.frame("ad")[1].layer == "广告位"
    assert issue.frame("note")[1].layer == ""       # its layer went: the first layer
    edit.revert(issue)
    assert issue == before


def test_the_sample_ad_placeholder_is_on_a_non_printing_layer():
    issue = load_issue(SAMPLE)
    ads = [fr for _, fr in issue.frames() if fr.id in ("ad", "ad-label", "ad2", "ad2-label")]
    assert len(ads) == 4
    assert {issue.layer(fr.layer).printable for fr in ads} == {False}


# ---------------------------------------------------------------------------- PDF
pytest.importorskip("pymupdf")


def _content(path) -> str:
    """Every page's content stream, decompressed."""
    import pymupdf
    doc = pymupdf.open(str(path))
    out = []
    for page in doc:
        out.append(b"".join(doc.xref_stream(x) for x in page.get_contents()).decode("latin-1"))
    return "\n".join(out)


@pytest.fixture(scope="module")
def composed(real_fontset_factory):
    issue = parse_issue(DOC)
    fontset = real_fontset_factory(issue.fonts)
    return Composer(issue, fontset).compose(), fontset


def test_print_pdf_leaves_out_non_printing_and_hidden_layers(composed, tmp_path):
    from output import PdfOptions, write_pdf
    res, fontset = composed
    ad_ink = "0.11 0.22 0.33 0.44 k"
    write_pdf(res, fontset, str(tmp_path / "print.pdf"), PdfOptions(mode="print"))
    text = _content(tmp_path / "print.pdf")
    assert ad_ink not in text
    assert "改标题" not in _text(tmp_path / "print.pdf")      # hidden layer
    assert "说明" in _text(tmp_path / "print.pdf")
    # a proof shows what the editor shows (non-printing layers too); --layers printing
    # leaves them out as the press does, --layers all adds the hidden ones
    write_pdf(res, fontset, str(tmp_path / "proof-p.pdf"), PdfOptions(layers="printing"))
    assert "说明" in _text(tmp_path / "proof-p.pdf")
    rgb_boxes = len(re.findall(r" re f\n", _content(tmp_path / "proof-p.pdf")))
    write_pdf(res, fontset, str(tmp_path / "proof-v.pdf"), PdfOptions())
    assert len(re.findall(r" re f\n", _content(tmp_path / "proof-v.pdf"))) == rgb_boxes + 1
    assert "改标题" not in _text(tmp_path / "proof-v.pdf")
    write_pdf(res, fontset, str(tmp_path / "proof-a.pdf"), PdfOptions(layers="all"))
    assert "改标题" in _text(tmp_path / "proof-a.pdf")


def _text(path) -> str:
    import pymupdf
    return "".join(p.get_text() for p in pymupdf.open(str(path)))


# ---------------------------------------------------------------------------- the dock
pytest.importorskip("pytestqt")

from tests.test_masters import design, undo_all  # noqa: E402,F401


def test_layers_dock_add_assign_hide_lock_reorder_rename(design, qtbot):  # noqa: F811
    from PySide6.QtCore import Qt
    win = design
    doc, dock, scene = win.doc, win.layers, win.scene
    original = copy.deepcopy(doc.issue)
    dock.add("正文")
    dock.add("广告")
    assert [ly.name for ly in doc.issue.layers] == ["正文", "广告"]
    # the box goes on the top layer: it is now drawn after the caption that was above it
    scene.set_selection(["bx"])
    dock.table.selectRow(0)                       # the top row is the top layer
    assert dock.current() == "广告"
    dock.buttons["layer.assign"].click()
    assert doc.issue.frame("bx")[1].layer == "广告"
    ids = [f.frame_id for f in doc.result.page(1).frames]
    assert ids.index("bx") > ids.index("in-box")
    # hide it by unticking 显示: the frame item disappears and cannot be picked
    item = scene.frames["bx"]
    centre = item.rect.center()
    dock.table.item(0, 1).setCheckState(Qt.CheckState.Unchecked)
    assert doc.issue.layers[1].visible is False
    assert not item.isVisible() and scene.frame_at(centre) is not scene.frames["bx"]
    dock.table.item(0, 1).setCheckState(Qt.CheckState.Checked)
    assert item.isVisible() and scene.frame_at(centre) is item
    # lock it: still drawn, no longer picked
    dock.table.item(0, 2).setCheckState(Qt.CheckState.Checked)
    assert doc.issue.layers[1].locked and item.isVisible()
    assert scene.frame_at(centre) is not item
    scene.set_selection(["bx"])
    assert scene.selection == []
    # not printing
    dock.table.item(0, 3).setCheckState(Qt.CheckState.Unchecked)
    assert doc.issue.layers[1].printable is False
    # reorder: move it down, below 正文 — the box is drawn first again
    dock.table.selectRow(0)
    dock.buttons["layer.down"].click()
    assert [ly.name for ly in doc.issue.layers] == ["广告", "正文"]
    ids = [f.frame_id for f in doc.result.page(1).frames]
    assert ids.index("bx") < ids.index("in-box")
    # rename by editing the name cell: the frame follows
    row = next(r for r in range(2) if dock.table.item(r, 0).text() == "广告")
    dock.table.item(row, 0).setText("广告位")
    assert doc.issue.frame("bx")[1].layer == "广告位"
    assert parse_issue(dump_issue(doc.issue)) == doc.issue
    undo_all(doc)
    assert doc.issue == original


def test_export_command_proofs_show_non_printing_layers_unless_asked(tmp_path):
    import subprocess
    import sys
    from support.paths import MAIN, ROOT
    outs = {}
    for name, extra in (("printing", ["--layers", "printing"]), ("default", []),
                        ("print", ["--print"])):
        out = tmp_path / f"{name}.pdf"
        proc = subprocess.run([sys.executable, str(MAIN), "export", str(SAMPLE), "-o", str(out),
                               *extra], capture_output=True, text=True, timeout=600,
                              cwd=str(ROOT))
        assert proc.returncode == 0, proc.stderr
        outs[name] = _text(out)
    # the sample's three ad placeholder labels (广　告) are on its non-printing layer
    assert outs["default"].count("广") == outs["printing"].count("广") + 3
    assert outs["print"].count("广") == outs["printing"].count("广")
