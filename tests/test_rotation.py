"""Rotation of photos, boxes and captions: file format, the result's transform, the
editor (rotation handle, value in the properties dock, hit tests) and the PDF ``cm``."""
from __future__ import annotations

import math
import subprocess
import sys

import pytest

from layout import model as m
from layout.compose import compose_issue
from layout.docfile import DocumentError, dump_issue, parse_issue
from layout.grid import PageGeometry
from layout.result import rotated_bounds
from support.fakefont import SquareFontSet
from support.paths import MAIN, ROOT


def rotated_issue() -> m.Issue:
    iss = m.Issue(fonts=m.default_fonts(), paragraph_styles=m.default_styles())
    iss.pages = [m.Page(1, frames=[
        m.BoxFrame("bx", col=1, line=10, cols=2, lines=20, fill="grey", rotate=30.0),
        m.CaptionFrame("cap", col=4, line=10, cols=2, lines=4, text="图片说明文字", rotate=-90),
        m.PhotoFrame("ph", col=5, line=30, cols=3, lines=20, rotate=12.5),
    ])]
    return iss


def test_rotate_round_trips_and_is_carried_in_the_result():
    iss = rotated_issue()
    again = parse_issue(dump_issue(iss))
    assert again == iss
    assert "rotate: 30" in dump_issue(iss)
    res = compose_issue(iss, SquareFontSet())
    got = {f.frame_id: f.rotation for f in res.pages[0].frames}
    assert got == {"bx": 30.0, "cap": -90.0, "ph": 12.5}


def test_rotation_out_of_range_is_refused_with_the_line():
    text = ("banmian: 1\npages:\n- number: 1\n  frames:\n  - type: box\n    id: b\n"
            "    rotate: 400\n")
    with pytest.raises(DocumentError, match=r"t.yaml:5: .*rotate 400 is out of range"):
        parse_issue(text, "t.yaml")


def test_text_frames_cannot_be_rotated():
    text = ("banmian: 1\npages:\n- number: 1\n  frames:\n  - type: text\n    id: t\n"
            "    rotate: 10\n")
    with pytest.raises(DocumentError, match=r"t.yaml:7: text frame 't': unknown key 'rotate'"):
        parse_issue(text, "t.yaml")


def test_rotated_bounds():
    assert rotated_bounds((0, 0, 10, 20), 90) == pytest.approx((-5, 5, 20, 10))
    assert rotated_bounds((0, 0, 10, 20), 0) == (0, 0, 10, 20)
    x, y, w, h = rotated_bounds((0, 0, 10, 10), 45)
    assert w == pytest.approx(10 * math.sqrt(2)) and (x + w / 2, y + h / 2) == pytest.approx((5, 5))


# ---------------------------------------------------------------- PDF
def test_pdf_wraps_a_rotated_frame_in_a_rotation_about_its_centre(tmp_path):
    pypdf = pytest.importorskip("pypdf")
    from pypdf.generic import ContentStream
    iss = rotated_issue()
    path = tmp_path / "r.yaml"
    path.write_text(dump_issue(iss), encoding="utf-8")
    out = tmp_path / "r.pdf"
    proc = subprocess.run([sys.executable, str(MAIN), "export", str(path), "-o", str(out)],
                          capture_output=True, text=True, timeout=600, cwd=str(ROOT))
    assert proc.returncode == 0, proc.stderr
    reader = pypdf.PdfReader(out)
    page = reader.pages[0]
    ops = ContentStream(page.get_contents(), reader).operations
    trim = page.trimbox
    geo = PageGeometry.of(iss.paper)
    cms = [[float(v) for v in o[0]] for o in ops if o[1] == b"cm"]
    for fid, deg in (("bx", 30.0), ("cap", -90.0), ("ph", 12.5)):
        x, y, w, h = geo.frame_rect(iss.frame(fid)[1])
        a = math.radians(-deg)                      # y up in PDF: the turn is negated
        want = [math.cos(a), math.sin(a), -math.sin(a), math.cos(a)]
        got = [c for c in cms if c[:4] == pytest.approx(want, abs=1e-5)]
        assert got, (fid, cms)
        # the frame's centre stays where it is
        cx, cy = float(trim.left) + x + w / 2, float(trim.top) - (y + h / 2)
        a_, b_, c_, d_, e_, f_ = got[0]
        assert (a_ * cx + c_ * cy + e_, b_ * cx + d_ * cy + f_) == pytest.approx((cx, cy),
                                                                                 abs=1e-3)
    # the box is drawn between q … cm and Q
    names = [o[1] for o in ops]
    i = next(k for k, o in enumerate(ops) if o[1] == b"cm" and
             [float(v) for v in o[0]][:2] == pytest.approx([math.cos(math.radians(-30)),
                                                            math.sin(math.radians(-30))]))
    assert names[i - 1] == b"q"
    rest = names[i:]
    assert b"re" in rest[:rest.index(b"Q")]


# ---------------------------------------------------------------- editor
pytest.importorskip("pytestqt")
from PySide6.QtCore import QPointF, Qt  # noqa: E402

from tests.test_editor import drag, open_window  # noqa: E402
pytest_plugins = ["tests.editorenv"]          # the editor fixture `env`


def _frame_result(win, fid):
    return [f for f in win.doc.result.page(1).frames if f.frame_id == fid][0]


def test_rotate_by_value_in_the_properties_dock_and_undo(env, qtbot):
    app, path, _ = env
    win = open_window(app, path, qtbot)
    win.scene.set_selection(["ph"])
    assert win.props.turn_box.isVisibleTo(win.props)
    win.props.rotate.setValue(30.0)
    assert win.doc.issue.frame("ph")[1].rotate == 30.0
    assert _frame_result(win, "ph").rotation == 30.0
    item = win.scene.frames["ph"]
    centre = item.rect.center()
    # the scene item turns about the frame's centre
    assert item.transform().map(centre) == centre
    corner = item.mapToScene(item.rect.topRight())
    want = QPointF(centre.x() + (item.rect.width() / 2) * math.cos(math.radians(30))
                   + (item.rect.height() / 2) * math.sin(math.radians(30)),
                   centre.y() + (item.rect.width() / 2) * math.sin(math.radians(30))
                   - (item.rect.height() / 2) * math.cos(math.radians(30)))
    assert (corner.x(), corner.y()) == pytest.approx((want.x(), want.y()), abs=1e-6)
    win.doc.undo.undo()
    assert win.doc.issue.frame("ph")[1].rotate == 0.0
    assert item.transform().isIdentity()


def test_text_frames_have_no_rotation_field(env, qtbot):
    app, path, _ = env
    win = open_window(app, path, qtbot)
    win.scene.set_selection(["t2"])
    assert not win.props.turn_box.isVisibleTo(win.props)


def test_rotate_by_dragging_the_handle_with_shift_steps(env, qtbot):
    app, path, _ = env
    win = open_window(app, path, qtbot)
    view = win.view
    win.scene.set_selection(["ph"])
    item = win.scene.frames["ph"]
    scale = view.transform().m11()
    knob = item.rotation_handle(scale)
    c = item.mapToScene(item.rect.center())
    r = math.hypot(knob.x() - c.x(), knob.y() - c.y())
    # drag the knob a quarter turn clockwise (from above the centre to its right), a bit off
    target = (c.x() + r * math.cos(math.radians(-3)), c.y() + r * math.sin(math.radians(-3)))
    drag(view, (knob.x(), knob.y()), target, steps=6, mods=Qt.KeyboardModifier.ShiftModifier)
    assert win.doc.issue.frame("ph")[1].rotate == 90.0          # Shift: 15° steps
    assert win.doc.undo.count() >= 1 and win.doc.undo.undoText()
    # without Shift: the angle the mouse gives
    knob = item.rotation_handle(scale)
    target = (c.x() + r * math.cos(math.radians(100 - 90 + 90)),
              c.y() + r * math.sin(math.radians(100 - 90 + 90)))
    drag(view, (knob.x(), knob.y()), target, steps=6)
    assert win.doc.issue.frame("ph")[1].rotate == pytest.approx(-170.0, abs=0.6)
    win.doc.undo.undo()
    win.doc.undo.undo()
    assert win.doc.issue.frame("ph")[1].rotate == 0.0


def test_a_rotated_frame_is_hit_in_its_rotated_shape(env, qtbot):
    app, path, _ = env
    win = open_window(app, path, qtbot)
    win.scene.set_selection(["ph"])
    win.props.rotate.setValue(90.0)
    item = win.scene.frames["ph"]
    r = item.rect                                   # wider than tall: turned, it is tall
    c = r.center()                                  # and narrow
    assert r.width() > r.height() + 20
    inside_turned = QPointF(c.x(), c.y() - r.width() / 2 + 4)        # above the old top
    outside_turned = QPointF(c.x() - r.width() / 2 + 4, c.y())       # in the old left end
    assert not r.contains(inside_turned) and r.contains(outside_turned)
    assert win.scene.frame_at(inside_turned) is item
    assert win.scene.frame_at(outside_turned) is not item
    # the selection tool picks it there too
    win.scene.set_selection([])
    from tests.test_editor import click
    click(win.view, (inside_turned.x(), inside_turned.y()))
    assert win.scene.selection == ["ph"]


def test_the_direct_tool_moves_a_turned_picture_along_its_own_axes(env, qtbot):
    from PIL import Image

    from layout import edits as E
    app, path, _ = env
    win = open_window(app, path, qtbot)
    Image.new("RGB", (1600, 400), "white").save(str(path).replace("issue.yaml", "wide.png"))
    doc, view = win.doc, win.view
    doc.push(E.SetFrame("ph", image="wide.png", rotate=90.0), "photo")
    item = win.scene.frames["ph"]
    c = item.mapToScene(item.rect.center())
    view.set_tool("direct")
    drag(view, (c.x(), c.y()), (c.x(), c.y() + 30))      # down the screen: the picture's x
    cx, cy, _ = doc.issue.frame("ph")[1].crop
    assert cx < 0.5 and cy == 0.5


def test_qt_and_pdf_draw_a_turned_box_in_the_same_place(env, qtbot, tmp_path):
    pymupdf = pytest.importorskip("pymupdf")
    import numpy as np
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter

    from layout import edits as E
    from output import PdfOptions, write_pdf
    app, path, _ = env
    win = open_window(app, path, qtbot)
    doc = win.doc
    doc.push(E.AddFrame(1, m.BoxFrame("bx", col=1, line=30, cols=3, lines=12, fill="black",
                                      stroke="0", rotate=33.0)), "box")
    for fid in ("h1", "t1", "t2", "ph"):
        doc.push(E.RemoveFrame(fid), "rm")
    g = doc.geometry
    scale = 0.5                                       # 36 dpi
    w, h = int(g.width * scale), int(g.height * scale)
    win.scene.set_preview(True)
    win.view.guide_layer.setVisible(False)
    img = QImage(w, h, QImage.Format.Format_Grayscale8)
    img.fill(255)
    p = QPainter(img)
    win.scene.render(p, QRectF(0, 0, w, h), QRectF(0, 0, g.width, g.height))
    p.end()
    ptr = img.constBits()
    qt = np.frombuffer(ptr, np.uint8).reshape(h, img.bytesPerLine())[:, :w] < 128
    out = tmp_path / "b.pdf"
    write_pdf(doc.result, doc.fontset, str(out), PdfOptions(slug=False))
    page = pymupdf.open(out)[0]
    pix = page.get_pixmap(matrix=pymupdf.Matrix(scale, scale), clip=page.trimbox,
                          colorspace=pymupdf.csGRAY)
    pdf = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.stride)[:, :pix.width]
    pdf = pdf[:h, :w] < 128
    both, either = (qt & pdf).sum(), (qt | pdf).sum()
    assert qt.sum() > 1000 and both / either > 0.95
