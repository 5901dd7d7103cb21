"""Rulers and user guides: dragged out of the rulers, saved with the page, moved,
removed; snapping to guides and to other frames' edges and centres, with the hint."""
from __future__ import annotations

import pytest

from layout import edits as E
from layout import model as m
from layout.docfile import DocumentError, dump_issue, parse_issue
from layout.units import mm

pytest.importorskip("pytestqt")
from PySide6.QtCore import QEvent, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QMouseEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from tests.test_editor import mouse, open_window  # noqa: E402
pytest_plugins = ["tests.editorenv"]          # the editor fixture `env`


def test_guides_round_trip_and_bad_ones_are_refused():
    text = ("banmian: 1\npages:\n- number: 1\n  guides: {x: [100mm, 12.5字], y: [40mm]}\n")
    iss = parse_issue(text)
    assert iss.pages[0].guides == m.Guides(["100mm", "12.5字"], ["40mm"])
    again = dump_issue(iss)
    assert "guides:" in again and parse_issue(again) == iss
    assert "guides" not in dump_issue(parse_issue("banmian: 1\npages:\n- number: 1\n"))
    with pytest.raises(DocumentError, match=r"g.yaml:4: .*guide x"):
        parse_issue(text.replace("12.5字", "12 parsecs"), "g.yaml")
    with pytest.raises(DocumentError, match=r"g.yaml:4: .*unknown key 'z'"):
        parse_issue("banmian: 1\npages:\n- number: 1\n  guides: {z: [1mm]}\n", "g.yaml")


# ---------------------------------------------------------------- driving the rulers
def ruler_event(ruler, kind, local: QPointF, held=True):
    button = Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else \
        Qt.MouseButton.NoButton
    buttons = Qt.MouseButton.LeftButton if held else Qt.MouseButton.NoButton
    ev = QMouseEvent(kind, local, QPointF(ruler.mapToGlobal(local.toPoint())), button,
                     buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(ruler, ev)


def to_ruler(view, ruler, scene_pt) -> QPointF:
    """A scene point in the ruler widget's coordinates (outside the ruler while dragging)."""
    vp = view.mapFromScene(QPointF(*scene_pt))
    return QPointF(ruler.mapFrom(view, view.viewport().mapTo(view, vp)))


def drag_from_ruler(view, which: str, scene_pt, steps=4):
    """Press on a ruler, drag into the page, let go at ``scene_pt``."""
    view.centerOn(QPointF(*scene_pt))                # let go where the page is in view
    ruler = view.rulers[which]
    start = QPointF(ruler.width() / 2, 10) if which == "x" else QPointF(10, ruler.height() / 2)
    ruler_event(ruler, QEvent.Type.MouseButtonPress, start)
    end = to_ruler(view, ruler, scene_pt)
    for i in range(1, steps + 1):
        t = i / steps
        ruler_event(ruler, QEvent.Type.MouseMove, start + (end - start) * t)
    ruler_event(ruler, QEvent.Type.MouseButtonRelease, end, held=False)


def test_drag_a_guide_out_of_each_ruler_snapping_to_the_grid(env, qtbot):
    app, path, _ = env
    win = open_window(app, path, qtbot)
    view, doc, g = win.view, win.doc, win.doc.geometry
    assert view.rulers["x"].isVisible() and view.rulers["y"].isVisible()
    page = doc.issue.pages[0]
    # from the top ruler: a horizontal guide, 2 pt off grid line 30 → on it
    drag_from_ruler(view, "x", (g.left + 100, g.line_y(30) + 2))
    assert [round(g.length(v), 1) for v in page.guides.y] == [round(g.line_y(30), 1)]
    assert page.guides.y[0].endswith("mm")
    # from the left ruler, in 字/栏: a vertical guide on column 3's left edge
    win.acts["ruler_zi"].setChecked(True)
    drag_from_ruler(view, "y", (g.col_x(2) - 1.5, g.top + 200))
    assert len(page.guides.x) == 1 and page.guides.x[0].endswith("字")
    assert g.length(page.guides.x[0]) == pytest.approx(g.col_x(2), abs=0.05)
    assert view.guide_layer.xs == pytest.approx([g.col_x(2)], abs=0.05)
    # let go over the ruler again: nothing added
    drag_from_ruler(view, "y", (g.col_x(4), g.top + 200))
    ruler = view.rulers["y"]
    ruler_event(ruler, QEvent.Type.MouseButtonPress, QPointF(10, 50))
    ruler_event(ruler, QEvent.Type.MouseButtonRelease, QPointF(10, 60), held=False)
    assert len(page.guides.x) == 2
    doc.undo.undo()
    doc.undo.undo()
    doc.undo.undo()
    assert page.guides == m.Guides()
    assert view.guide_layer.xs == [] and view.guide_layer.ys == []


def test_move_a_guide_and_drag_it_off_the_page_to_remove_it(env, qtbot):
    app, path, _ = env
    win = open_window(app, path, qtbot)
    view, doc, g = win.view, win.doc, win.doc.geometry
    doc.push(E.SetPage(1, guides=m.Guides(x=["300mm"])), "guide")
    x = g.length("300mm")
    y = g.top + 700                                     # below every frame
    from tests.test_editor import drag
    drag(view, (x + 1, y), (x + 20 * 72 / 25.4, y))     # 20 mm to the right
    page = doc.issue.pages[0]
    assert mm(g.length(page.guides.x[0])) == pytest.approx(320, abs=0.3)
    drag(view, (g.length(page.guides.x[0]), y), (g.width + 60, y))
    assert page.guides.x == []
    doc.undo.undo()
    assert len(page.guides.x) == 1


def test_a_frame_snaps_to_a_guide_with_a_visible_hint(env, qtbot):
    app, path, _ = env
    win = open_window(app, path, qtbot)
    view, doc, g = win.view, win.doc, win.doc.geometry
    drag_from_ruler(view, "y", (g.left + 123.4, g.top + 500))     # a guide off the grid
    gx = g.length(doc.issue.pages[0].guides.x[0])
    # a free frame (box) moves exactly: its left edge is dragged to 3 pt from the guide
    doc.push(E.AddFrame(1, m.BoxFrame("free", box=["0mm", "250mm", "30mm", "20mm"])), "add")
    x, y, w, h = g.frame_rect(doc.issue.frame("free")[1])
    start = (x + w / 2, y + h / 2)
    end = (start[0] + (gx - x) - 3, start[1])
    mouse(view, QEvent.Type.MouseButtonPress, start)
    for i in range(1, 5):
        t = i / 4
        mouse(view, QEvent.Type.MouseMove, (start[0] + (end[0] - start[0]) * t, start[1]),
              buttons=Qt.MouseButton.LeftButton)
    assert view.snap_hint.isVisible() and view.snap_hint.hint_x == pytest.approx(gx)
    mouse(view, QEvent.Type.MouseButtonRelease, end)
    assert not view.snap_hint.isVisible()
    nx, ny, _, _ = g.frame_rect(doc.issue.frame("free")[1])
    assert nx == pytest.approx(gx, abs=0.02) and ny == pytest.approx(y, abs=0.02)
    # snapping off: the frame lands where the mouse let go
    win.acts["snap_guides"].setChecked(False)
    from tests.test_editor import drag
    drag(view, (nx + w / 2, y + h / 2), (nx + w / 2 - 2, y + h / 2))
    assert g.frame_rect(doc.issue.frame("free")[1])[0] == pytest.approx(gx - 2, abs=0.8)


def test_a_frame_snaps_to_another_frames_edge_and_centre(env, qtbot):
    app, path, _ = env
    win = open_window(app, path, qtbot)
    view, doc, g = win.view, win.doc, win.doc.geometry
    doc.push(E.AddFrame(1, m.BoxFrame("free", box=["0mm", "250mm", "30mm", "20mm"])), "add")
    x, y, w, h = g.frame_rect(doc.issue.frame("free")[1])
    px, py, pw, ph = g.frame_rect(doc.issue.frame("ph")[1])       # the photo, top right
    centre = px + pw / 2
    from tests.test_editor import drag
    drag(view, (x + w / 2, y + h / 2), (centre + 2.5, y + h / 2))  # near the photo's centre
    nx = g.frame_rect(doc.issue.frame("free")[1])[0]
    assert nx + w / 2 == pytest.approx(centre, abs=0.02)


def test_rulers_count_in_mm_and_in_zi_and_lan(env, qtbot):
    app, path, _ = env
    win = open_window(app, path, qtbot)
    view, g = win.view, win.doc.geometry
    view.fit_page()
    labels = [t[2] for t in view.rulers["x"].ticks() if t[2]]
    assert "0" in labels and "100" in labels
    view.set_ruler_unit("zi")
    top = view.rulers["x"].ticks()
    assert [t[2] for t in top if t[2]] == [f"{c}栏" for c in range(1, g.columns + 1)]
    assert any(t[0] == pytest.approx(g.left + 13 * g.body) for t in top)   # a tick per 字
    left = [t[2] for t in view.rulers["y"].ticks() if t[2]]
    assert "0行" in left and "50行" in left
    win.acts["rulers"].setChecked(False)
    assert not view.rulers["x"].isVisible()
    assert view.viewportMargins().left() == 0


def test_the_new_ui_strings_are_translated_both_ways():
    import re

    from editor.i18n import STRINGS
    keys = [k for k in STRINGS if k.split(".")[0] in (
        "arr", "distribute", "relative", "table", "colalign", "ruler", "wrap", "menu")
        or k in ("group", "ungroup", "rulers", "ruler_zi", "snap_guides", "kind.table",
                 "guides_to_master", "guides.no_master",
                 "prop.arrange", "prop.rotate", "prop.wrap", "prop.wrap_offset")]
    assert len(keys) > 30
    for k in keys:
        zh, en = STRINGS[k]
        assert re.search(r"[\u4e00-\u9fff]", zh), k
        assert not re.search(r"[\u4e00-\u9fff]", en.replace("栏", "").replace("号", "")
                             .replace("版", "")), k


def test_clicking_a_guide_changes_nothing(env, qtbot):
    app, path, _ = env
    win = open_window(app, path, qtbot)
    doc, g = win.doc, win.doc.geometry
    doc.push(E.SetPage(1, guides=m.Guides(y=["400mm"])), "guide")
    n = doc.undo.count()
    from tests.test_editor import click
    click(win.view, (g.left + 500, g.length("400mm")))
    assert doc.undo.count() == n and doc.issue.pages[0].guides.y == ["400mm"]


def test_master_guides_round_trip_show_on_its_pages_and_take_page_guides(env, qtbot):
    text = ("banmian: 1\nmasters:\n  内页:\n    frames: []\n    guides: {x: [50mm]}\n"
            "pages:\n- number: 1\n  master: 内页\n")
    iss = parse_issue(text)
    assert iss.masters["内页"].guides == m.Guides(["50mm"])
    assert parse_issue(dump_issue(iss)) == iss
    with pytest.raises(DocumentError, match=r"master '内页': guide x"):
        parse_issue(text.replace("50mm", "50 leagues"), "g.yaml")
    app, path, _ = env
    win = open_window(app, path, qtbot)
    doc, view, g = win.doc, win.view, win.doc.geometry
    from layout.pagedesign import SetMasterDef
    from layout.pagedesign import SetPage as SetPageMaster
    doc.push(SetMasterDef("内页", m.Master(guides=m.Guides(x=["50mm"]))), "master")
    doc.push(SetPageMaster(1, master="内页"), "use master")
    assert view.guide_layer.master_xs == pytest.approx([g.length("50mm")])
    assert view.guide_layer.xs == []
    # a page guide moves onto the master (one undo step)
    doc.push(E.SetPage(1, guides=m.Guides(y=["300mm"])), "guide")
    win.acts["guides_to_master"].trigger()
    assert doc.issue.pages[0].guides == m.Guides()
    assert doc.issue.masters["内页"].guides == m.Guides(["50mm"], ["300mm"])
    assert view.guide_layer.master_ys == pytest.approx([g.length("300mm")])
    # frames snap to the master's guides too
    doc.push(E.AddFrame(1, m.BoxFrame("free", box=["0mm", "250mm", "30mm", "20mm"])), "add")
    x, y, w, h = g.frame_rect(doc.issue.frame("free")[1])
    from tests.test_editor import drag
    gx = g.length("50mm")
    drag(view, (x + w / 2, y + h / 2), (x + w / 2 + gx - x + 2.5, y + h / 2))
    assert g.frame_rect(doc.issue.frame("free")[1])[0] == pytest.approx(gx, abs=0.02)
    doc.undo.undo()
    doc.undo.undo()
    doc.undo.undo()
    assert doc.issue.pages[0].guides == m.Guides(y=["300mm"])
    assert doc.issue.masters["内页"].guides == m.Guides(["50mm"])
