"""Placing stories with the loaded cursor, the 未排 label, the zoom tool and zoom keys.

Driven as a user would: the stories list, Ctrl+D, clicks, drags and Shift-clicks
on the page, Z, Ctrl+1 and Ctrl+=.
"""
from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from layout import model as m  # noqa: E402
from layout.docfile import load_issue, save_issue  # noqa: E402
from tests.test_editor import click, drag, make_issue, open_window  # noqa: E402


@pytest.fixture
def env(tmp_path, qtbot, monkeypatch):
    """An EditorApp on square fonts under a Chinese UI, with the issue of test_editor."""
    from PySide6.QtCore import QSettings
    from editor.app import EditorApp
    from editor.i18n import set_language
    from support.fakefont import SquareFontSet
    monkeypatch.setenv("BANMIAN_CACHE_DIR", str(tmp_path / "cache"))
    set_language("zh")
    app = EditorApp(lambda issue: SquareFontSet(), ask_recover=lambda *a: True,
                    ask_save=lambda w: "discard",
                    settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    path = tmp_path / "issue.yaml"
    save_issue(make_issue(), path)
    yield app, str(path), {}
    for w in list(app.windows):
        w.close()
    set_language(None)


def with_unplaced(path, paragraphs=2, chars=30):
    iss = make_issue()
    iss.stories["imp"] = m.Story("imp", name="来稿", paragraphs=[
        m.Paragraph("body", [m.Run("导入的稿件" * (chars // 5))]) for _ in range(paragraphs)])
    save_issue(iss, path)


def row_of(win, sid):
    lst = win.stories
    for i in range(lst.topLevelItemCount()):
        it = lst.topLevelItem(i)
        if it.data(0, Qt.ItemDataRole.UserRole) == sid:
            return it
    raise KeyError(sid)


def test_an_unplaced_story_is_labelled_weipai_then_placed_by_a_click(env, qtbot):
    app, path, _ = env
    with_unplaced(path)
    win = open_window(app, path, qtbot)
    doc, view, g = win.doc, win.view, win.doc.geometry
    assert row_of(win, "imp").text(1) == "未排"
    win.stories.select_story("imp")
    win.scene.set_selection([])
    activate(win, qtbot)
    QTest.keyClick(view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)   # Ctrl+D
    assert view.tool.name == "place" and view.tool.story == "imp"
    click(view, (g.col_x(6) + 3, g.line_y(40) + 2))
    thread = doc.issue.stories["imp"].thread
    assert len(thread) == 1
    fr = doc.issue.frame(thread[0])[1]
    assert (fr.col, fr.line, fr.cols, fr.lines) == (6, 40, 1, g.lines - 40)
    assert view.tool.name == "select" and win.scene.selection == [thread[0]]
    assert row_of(win, "imp").text(1) != "未排"
    doc.undo.undo()                                  # one step: frame and thread
    assert not doc.issue.stories["imp"].thread
    assert all(f.id != fr.id for _, f in doc.issue.frames())


def test_drag_places_into_a_drawn_frame_and_esc_unloads(env, qtbot):
    app, path, _ = env
    with_unplaced(path)
    win = open_window(app, path, qtbot)
    doc, view, g = win.doc, win.view, win.doc.geometry
    win.go_to_story("imp")                            # double click on a 未排 story loads it
    assert view.tool.name == "place"
    QTest.keyClick(view, Qt.Key.Key_Escape)
    assert view.tool.name == "select" and not doc.issue.stories["imp"].thread
    win.go_to_story("imp")
    drag(view, (g.col_x(5) + 2, g.line_y(30) + 2), (g.col_x(7) + g.column - 2, g.line_y(50) - 2))
    fr = doc.issue.frame(doc.issue.stories["imp"].thread[0])[1]
    assert (fr.col, fr.line, fr.cols, fr.lines) == (5, 30, 3, 20)


def test_shift_click_autoflows_down_the_columns_adding_pages(env, qtbot):
    app, path, _ = env
    with_unplaced(path, paragraphs=40, chars=300)
    win = open_window(app, path, qtbot)
    doc, view, g = win.doc, win.view, win.doc.geometry
    pages_before = len(doc.issue.pages)
    win.load_place_cursor("imp")
    click(view, (g.col_x(3) + 2, g.line_y(0) + 2), mods=Qt.KeyboardModifier.ShiftModifier)
    st = doc.issue.stories["imp"]
    cf = doc.result.copyfit["imp"]
    assert len(st.thread) > 3 and not cf.overset_lines and not cf.overset_chars
    assert len(doc.issue.pages) > pages_before                       # pages were added
    frames = [doc.issue.frame(f) for f in st.thread]
    first = frames[0][1]
    # column 4 (index 3) is free below the headline's 8 lines
    assert (first.col, first.line) == (3, 8) and frames[0][0].number == 1
    # no new frame overlaps an existing one on its page
    for page, fr in frames:
        for other in page.frames:
            if other.id == fr.id:
                continue
            cols = set(range(other.col, other.col + other.cols)) & {fr.col}
            lines = set(range(other.line, other.line + other.lines)) & \
                set(range(fr.line, fr.line + fr.lines))
            assert not (cols and lines), (fr.id, other.id)
    doc.undo.undo()                                    # one undo step takes it all back
    assert not doc.issue.stories["imp"].thread and len(doc.issue.pages) == pages_before
    saved = path + ".out.yaml"
    doc.undo.redo()
    doc.save(saved)
    assert load_issue(saved).stories["imp"].thread == st.thread


def test_ctrl_d_with_nothing_selected_and_no_story_says_so(env, qtbot):
    app, path, _ = env
    win = open_window(app, path, qtbot)
    win.scene.set_selection([])
    win.stories.setCurrentItem(None)
    win.place()
    assert win.statusBar().currentMessage()


# ---------------------------------------------------------------------------- zoom
def activate(win, qtbot):
    """Make the window active so that its shortcuts reach it (as under a user's hand)."""
    win.activateWindow()
    win.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=3000)


def visible(view):
    return view.mapToScene(view.viewport().rect()).boundingRect()


def test_zoom_keys_keep_the_selection_in_view(env, qtbot):
    app, path, _ = env
    win = open_window(app, path, qtbot)
    view = win.view
    view.fit_page()
    win.scene.set_selection(["ph"])                  # top right of the page
    rect = win.scene.frames["ph"].rect
    win.acts["actual"].trigger()                     # Ctrl+1
    assert abs(view.zoom() - 100) < 1
    assert visible(view).intersects(rect) and visible(view).contains(rect.center())
    win.acts["zoom_in"].trigger()                    # Ctrl+=
    assert view.zoom() > 100 and visible(view).contains(rect.center())


def test_zoom_tool_click_alt_click_and_marquee(env, qtbot):
    app, path, _ = env
    win = open_window(app, path, qtbot)
    view, g = win.view, win.doc.geometry
    view.fit_page()
    activate(win, qtbot)
    QTest.keyClick(view, Qt.Key.Key_Z)
    assert view.tool.name == "zoom" and win.tool_acts["zoom"].isChecked()
    z0 = view.zoom()
    pt = (g.col_x(1), g.line_y(30))
    click(view, pt)
    assert view.zoom() > z0 * 1.1
    assert visible(view).contains(QPointF(*pt))
    z1 = view.zoom()
    click(view, pt, mods=Qt.KeyboardModifier.AltModifier)
    assert view.zoom() < z1 * 0.95
    view.fit_page()
    target = QRectF(g.col_x(4), g.line_y(20), g.span_width(2), 30 * g.pitch)
    drag(view, (target.left(), target.top()), (target.right(), target.bottom()))
    vis = visible(view)
    assert vis.contains(target.adjusted(2, 2, -2, -2))
    assert vis.width() < target.width() * 3 or vis.height() < target.height() * 1.5


def test_spread_view_shows_the_facing_page_beside(env, qtbot):
    app, path, _ = env
    iss = make_issue()
    iss.pages.append(m.Page(2, frames=[m.TextFrame("p2", col=0, line=0, cols=2, lines=30)]))
    iss.pages.append(m.Page(3, frames=[m.TextFrame("p3", col=0, line=0, cols=2, lines=30),
                                       m.PhotoFrame("p3ph", col=4, line=0, cols=2, lines=10)]))
    iss.stories["lead"].thread = ["t1", "p2"]
    iss.stories["s3"] = m.Story("s3", paragraphs=[m.Paragraph("body", [m.Run("三版稿件。")])],
                                thread=["p3"])
    save_issue(iss, path)
    win = open_window(app, path, qtbot)
    view, scene, g = win.view, win.scene, win.doc.geometry
    win.show_page(2)
    win.acts["spread"].trigger()                       # View → 对页视图
    assert scene.spread and scene.partner_number() == 3
    ids = sorted(it.frame_id for it in scene.partner_frames)
    assert ids == ["p3", "p3ph"]
    right = [it for it in scene.partner_frames if it.frame_id == "p3"][0]
    assert right.sceneBoundingRect().left() >= g.width - 3       # page 3 to the right of 2
    vis = visible(view)
    assert vis.contains(QRectF(0, 0, 2 * g.width, g.height).adjusted(5, 5, -5, -5))
    assert set(scene.frames) == {"p2"}                 # the facing page is shown, not edited
    win.show_page(3)                                   # an odd page: its partner on the left
    assert scene.partner_number() == 2
    left = scene.partner_frames[0]
    assert left.sceneBoundingRect().right() <= 3
    # typing on the shown page leaves the facing page's items alone
    before = list(scene.partner_frames)
    win.text.start("s3", (0, 0))
    win.text.insert("字")
    assert scene.page_number == 3 and scene.partner_frames == before
    win.acts["spread"].trigger()
    assert not scene.partner_frames and not scene.partner_page.isVisible()
    win.show_page(1)
    win.acts["spread"].trigger()
    assert scene.partner_number() is None and not scene.partner_frames


def vp_mouse(view, kind, p, mods=Qt.KeyboardModifier.NoModifier):
    """A left-button mouse event at a viewport point (the scene may shift under it)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QMouseEvent
    vp = view.viewport()
    left = Qt.MouseButton.LeftButton
    button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else left
    held = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else left
    QApplication.sendEvent(vp, QMouseEvent(kind, QPointF(p), QPointF(vp.mapToGlobal(p)),
                                           button, held, mods))


def vp_drag(view, a, b, steps=4):
    from PySide6.QtCore import QEvent, QPoint
    vp_mouse(view, QEvent.Type.MouseButtonPress, a)
    for i in range(1, steps + 1):
        t = i / steps
        vp_mouse(view, QEvent.Type.MouseMove,
                 QPoint(round(a.x() + (b.x() - a.x()) * t), round(a.y() + (b.y() - a.y()) * t)))
    vp_mouse(view, QEvent.Type.MouseButtonRelease, b)


def test_spread_view_edits_both_pages(env, qtbot):
    """In 对页视图 a click on the facing page selects there; a drag moves its frame (undoable),
    and nothing shifts on screen when the edited page changes."""
    from PySide6.QtCore import QEvent, QPoint
    app, path, _ = env
    iss = make_issue()
    iss.pages.append(m.Page(2, frames=[m.TextFrame("p2", col=0, line=0, cols=2, lines=30)]))
    iss.pages.append(m.Page(3, frames=[m.TextFrame("p3", col=0, line=0, cols=2, lines=30),
                                       m.PhotoFrame("p3ph", col=4, line=0, cols=2, lines=10)]))
    save_issue(iss, path)
    win = open_window(app, path, qtbot)
    view, scene, g = win.view, win.scene, win.doc.geometry
    win.show_page(2)
    win.acts["spread"].trigger()
    assert "点击" in win.statusBar().currentMessage()          # it says the spread is editable
    qtbot.waitUntil(lambda: view.viewport().width() > 100)
    photo = next(it for it in scene.partner_frames if it.frame_id == "p3ph")
    start = view.mapFromScene(photo.sceneBoundingRect().center())
    page2_on_screen = view.mapFromScene(QPointF(0, 0))
    step = round((g.col_x(6) - g.col_x(4)) * view.transform().m11())
    vp_drag(view, start, start + QPoint(step, 0))
    assert scene.page_number == 3 and win.page_label.text().startswith("3")
    assert scene.selection == ["p3ph"]
    assert win.doc.issue.frame("p3ph")[1].col == 6
    # page 2 is the facing page now, where it was on screen
    p2 = next(it for it in scene.partner_frames if it.frame_id == "p2")
    assert scene.partner_offset() < 0
    moved = view.mapFromScene(QPointF(scene.partner_offset(), 0)) - page2_on_screen
    assert abs(moved.x()) <= 1 and abs(moved.y()) <= 1
    win.acts["undo"].trigger()
    assert win.doc.issue.frame("p3ph")[1].col == 4
    # a click back on page 2's frame edits page 2
    p = view.mapFromScene(p2.sceneBoundingRect().center())
    vp_mouse(view, QEvent.Type.MouseButtonPress, p)
    vp_mouse(view, QEvent.Type.MouseButtonRelease, p)
    assert scene.page_number == 2 and scene.selection == ["p2"]
    # outside both pages nothing changes
    vp_mouse(view, QEvent.Type.MouseButtonPress, view.mapFromScene(QPointF(-2 * g.width, 10)))
    assert scene.page_number == 2


def test_the_stories_lists_menu_loads_the_place_cursor(env, qtbot):
    """Right-click an unplaced story → 排入版面（载入光标）→ click on the page: placed."""
    app, path, _ = env
    with_unplaced(path)
    win = open_window(app, path, qtbot)
    view, g, sl = win.view, win.doc.geometry, win.stories
    item = row_of(win, "imp")
    sl.customContextMenuRequested.emit(sl.visualItemRect(item).center())
    menu = win.context_menu
    act = next(a for a in menu.actions() if a.objectName() == "story.load_cursor")
    assert act.text() == "排入版面（载入光标）" and act.isEnabled()
    act.trigger()
    assert view.tool.name == "place" and view.tool.story == "imp"
    click(view, (g.col_x(6) + 3, g.line_y(40) + 2))
    assert len(win.doc.issue.stories["imp"].thread) == 1
    assert win.doc.undo.undoText() == "排入"


def test_spread_view_drags_a_frame_onto_the_facing_page(env, qtbot):
    """A frame dragged across the fold lands on the facing page where it was dropped, its
    story still threaded through it; one undo step puts it back."""
    app, path, _ = env
    iss = make_issue()
    iss.pages.append(m.Page(2, frames=[m.TextFrame("p2", col=0, line=0, cols=2, lines=30)]))
    iss.pages.append(m.Page(3, frames=[m.TextFrame("p3", col=0, line=0, cols=2, lines=30)]))
    iss.stories["lead"].thread = ["t1", "p2"]
    save_issue(iss, path)
    win = open_window(app, path, qtbot)
    view, scene, g = win.view, win.scene, win.doc.geometry
    win.show_page(2)
    win.acts["spread"].trigger()
    qtbot.waitUntil(lambda: view.viewport().width() > 100)
    item = scene.frames["p2"]
    start = view.mapFromScene(item.sceneBoundingRect().center())
    # onto page 3, its left edge on page 3's column 4 (page 3 starts one page width right)
    target = QPointF(g.width + g.col_x(4) - g.col_x(0), 0)
    from PySide6.QtCore import QPoint
    step = view.mapFromScene(item.sceneBoundingRect().center() + target) - start
    from PySide6.QtCore import QEvent
    end = start + QPoint(step.x(), step.y())
    vp_mouse(view, QEvent.Type.MouseButtonPress, start)
    for i in range(1, 7):
        vp_mouse(view, QEvent.Type.MouseMove, start + QPoint(step.x() * i // 6, step.y() * i // 6))
    # while dragging it is drawn where it will land, on page 3's grid
    assert abs(item.pos().x() - (g.width + g.col_x(4) - g.col_x(0))) < 1
    vp_mouse(view, QEvent.Type.MouseButtonRelease, end)
    page, fr = win.doc.issue.frame("p2")
    assert page.number == 3 and (fr.col, fr.line) == (4, 0)
    assert win.doc.issue.stories["lead"].thread == ["t1", "p2"]
    assert scene.page_number == 3 and scene.selection == ["p2"]
    assert win.doc.undo.undoText() == "移动"
    win.acts["undo"].trigger()
    page, fr = win.doc.issue.frame("p2")
    assert page.number == 2 and (fr.col, fr.line) == (0, 0)
    assert win.doc.issue.stories["lead"].thread == ["t1", "p2"]
