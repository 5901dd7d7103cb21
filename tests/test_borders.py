"""The border library: every pattern, whole repeats per side, motifs that keep their
size and sit on the corners, the same drawing in Qt and PDF, and the properties dock."""
from __future__ import annotations

import copy
import typing

import pytest

from layout import model as m
from layout.borders import band_width, box_items, path_bounds, rule_items
from layout.result import BoxItem, FrameResult, LayoutResult, PageResult, PathItem, RuleItem

PATTERNS = typing.get_args(m.BorderPattern)


def subpaths(ops):
    """The ops split at each move-to."""
    out = []
    for op in ops:
        if op[0] == "M":
            out.append([])
        out[-1].append(op)
    return out


def centres(item: PathItem):
    """Centre and size of each closed motif of a filled path."""
    out = []
    for sp in subpaths(item.ops):
        x, y, w, h = path_bounds(sp)
        out.append((round(x + w / 2, 2), round(y + h / 2, 2), round(w, 3), round(h, 3)))
    return out


def test_the_library_has_the_patterns_chinese_papers_use():
    assert {"solid", "double", "thick-thin", "thin-thick", "dotted", "dashed", "wave"} <= \
        set(PATTERNS)
    assert len(set(PATTERNS) - {"solid", "double", "thick-thin", "thin-thick", "dotted",
                                "dashed", "wave"}) >= 3          # 花边


@pytest.mark.parametrize("pattern", PATTERNS)
def test_every_pattern_draws_inside_its_band(pattern):
    rect = (100.0, 50.0, 240.0, 130.0)
    w = 0.75
    items = box_items(rect, pattern, w, "black", "red 30%")
    assert isinstance(items[0], BoxItem) and items[0].fill == "red 30%"
    reach = band_width(pattern, w) + 3 * w          # half the widest motif or line
    for it in items:
        if isinstance(it, PathItem):
            x, y, bw, bh = path_bounds(it.ops)
            assert x >= rect[0] - reach and y >= rect[1] - reach
            assert x + bw <= rect[0] + rect[2] + reach and y + bh <= rect[1] + rect[3] + reach
            # nothing in the middle of the box: a border, not a fill
            for op in it.ops:
                for px, py in zip(op[1::2], op[2::2]):
                    assert not (rect[0] + 2 * reach < px < rect[0] + rect[2] - 2 * reach and
                                rect[1] + 2 * reach < py < rect[1] + rect[3] - 2 * reach)
    for rule_rect in ((10.0, 10.0, 300.0, 12.0), (10.0, 10.0, 12.0, 300.0)):
        assert rule_items(rule_rect, pattern, w, "black")


@pytest.mark.parametrize("pattern", ["diamonds", "dotted", "beads", "dot-dash"])
@pytest.mark.parametrize("size", [(240.0, 130.0), (173.3, 61.7)])
def test_motifs_keep_their_size_sit_on_corners_and_repeat_evenly(pattern, size):
    x, y = 20.0, 30.0
    w, h = size
    path = box_items((x, y, w, h), pattern, 0.5, "black", "")[-1]
    got = centres(path)
    sizes = {tuple(sorted((cw, ch))) for _, _, cw, ch in got}      # along or across a side
    # no distortion: one motif size (beads: big and small; dot-dash: dot and dash)
    assert len(sizes) == (2 if pattern in ("beads", "dot-dash") else 1)
    points = {(cx, cy) for cx, cy, _, _ in got}
    for corner in ((x, y), (x + w, y), (x + w, y + h), (x, y + h)):
        assert (round(corner[0], 2), round(corner[1], 2)) in points
    # along the top side the motifs are evenly spaced from corner to corner
    top = sorted(cx for cx, cy, _, _ in got if abs(cy - y) < 0.01)
    gaps = [b - a for a, b in zip(top, top[1:])]
    assert max(gaps) - min(gaps) < 0.02
    assert abs(top[0] - x) < 0.01 and abs(top[-1] - (x + w)) < 0.01


def test_repeat_count_is_rounded_to_fit_each_side():
    # dots on a pitch of 4 weights: a 100 pt side at 0.5 pt takes 50 dots' spacing
    path = box_items((0.0, 0.0, 100.0, 41.0), "dotted", 0.5, "black", "")[-1]
    top = sorted(cx for cx, cy, _, _ in centres(path) if abs(cy) < 0.01)
    assert len(top) - 1 == round(100 / 2.0)
    left = sorted(cy for cx, cy, _, _ in centres(path) if abs(cx) < 0.01)
    assert len(left) - 1 == round(41 / 2.0)


def test_key_pattern_has_a_hui_at_each_corner():
    s = band_width("key", 0.5)
    path = box_items((0.0, 0.0, 200.0, 120.0), "key", 0.5, "black", "")[-1]
    squares = [path_bounds(sp) for sp in subpaths(path.ops) if sp[-1] == ("Z",)]
    for cx, cy in ((0, 0), (200 - s, 0), (200 - s, 120 - s), (0, 120 - s)):
        assert any(abs(b[0] - cx) < 0.01 and abs(b[1] - cy) < 0.01 and abs(b[2] - s) < 0.01
                   for b in squares)


def test_lines_patterns_wenwu():
    items = box_items((0.0, 0.0, 100.0, 80.0), "thick-thin", 0.5, "black", "")
    assert sorted(p.stroke for p in items) == [0.5, 1.5]       # 文武线: thick outside
    outer = next(p for p in items if p.stroke == 1.5)
    assert path_bounds(outer.ops) == (0.0, 0.0, 100.0, 80.0)
    rules = rule_items((0.0, 0.0, 100.0, 12.0), "thin-thick", 0.5, "black")
    assert [r.weight for r in rules] == [0.5, 1.5] and rules[0].y0 < rules[1].y0
    assert all(isinstance(r, RuleItem) for r in rules)


# ---------------------------------------------------------------------------- Qt = PDF
pytest.importorskip("pymupdf")
pytest.importorskip("PySide6")


def _ink(img) -> set:
    return {(x, y) for y in range(img.height) for x in range(img.width)
            if img.getpixel((x, y)) < 128}


def test_qt_and_pdf_draw_the_same_border(tmp_path, qapp):
    import pymupdf
    from PIL import Image
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from editor.render import paint_item
    from output import PdfOptions, write_pdf
    items = []
    for i, pattern in enumerate(("key", "diamonds", "wave", "dashed", "thick-thin")):
        items += box_items((10.0 + i * 60, 10.0, 50.0, 70.0), pattern, 0.6, "black", "")
    items += rule_items((10.0, 90.0, 280.0, 12.0), "dot-dash", 0.6, "black")
    W, H, scale = 300, 110, 4
    page = PageResult(1, W, H, (FrameResult("b", "box", (0, 0, W, H), tuple(items)),))
    res = LayoutResult((page,), colors={"black": (0, 0, 0, 1)})
    pdf = tmp_path / "b.pdf"
    write_pdf(res, None, str(pdf), PdfOptions(slug=False, show_overset=False))
    doc = pymupdf.open(str(pdf))
    pg = doc[0]
    trim = pg.trimbox
    pix = pg.get_pixmap(matrix=pymupdf.Matrix(scale, scale), clip=trim, colorspace=pymupdf.csGRAY)
    a = Image.frombytes("L", (pix.width, pix.height), pix.samples).crop((0, 0, W * scale,
                                                                          H * scale))
    qimg = QImage(W * scale, H * scale, QImage.Format.Format_Grayscale8)
    qimg.fill(Qt.GlobalColor.white)
    p = QPainter(qimg)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    p.scale(scale, scale)
    for it in items:
        paint_item(p, it, {"black": (0, 0, 0, 1)}, None)
    p.end()
    qimg.save(str(tmp_path / "qt.png"))
    b = Image.open(str(tmp_path / "qt.png")).convert("L")
    ia, ib = _ink(a), _ink(b)
    assert len(ia) > 2000
    overlap = len(ia & ib) / len(ia | ib)
    assert overlap > 0.8, overlap


# ---------------------------------------------------------------------------- the dock
pytest.importorskip("pytestqt")

from tests.test_masters import design, undo_all  # noqa: E402,F401


def test_border_and_stroke_from_the_properties_dock(design, qtbot):  # noqa: F811
    win = design
    doc, props = win.doc, win.props
    original = copy.deepcopy(doc.issue)
    win.scene.set_selection(["bx"])
    assert props.frame_id == "bx" and props.deco_box.isVisibleTo(props)
    props.border.setCurrentIndex(props.border.findData("key"))
    props.border.activated.emit(props.border.currentIndex())
    props.stroke.setText("1pt")
    props.stroke.editingFinished.emit()
    fr = doc.issue.frame("bx")[1]
    assert (fr.border, fr.stroke) == ("key", "1pt")
    items = next(f for f in doc.result.page(1).frames if f.frame_id == "bx").items
    assert [type(i).__name__ for i in items] == ["BoxItem", "PathItem"]
    assert items[1].stroke == 1.0
    # the stroke colour, tinted
    props.color.swatch.setCurrentIndex(props.color.swatch.findData("red"))
    props.color.swatch.activated.emit(props.color.swatch.currentIndex())
    props.color.tint.setValue(50)
    assert doc.issue.frame("bx")[1].color == "red 50%"
    # a rule takes the same library: 文武线
    win.scene.set_selection(["head-rule"])
    props.border.setCurrentIndex(props.border.findData("thick-thin"))
    props.border.activated.emit(props.border.currentIndex())
    assert doc.issue.frame("head-rule")[1].pattern == "thick-thin"
    undo_all(doc)
    assert doc.issue == original
