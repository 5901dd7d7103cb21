"""The editor, driven like a user would (offscreen): drag frames, thread, type, undo, recover.

The square test fonts keep the metrics exact and need no font files (glyphs are
drawn as boxes); the model and the LayoutResult are checked, not pixels.
"""
from __future__ import annotations

from pathlib import Path

import contextlib
import copy
import os

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QEvent, QPointF, QRectF, QSettings, Qt  # noqa: E402
from PySide6.QtGui import QInputMethodEvent, QKeyEvent, QMouseEvent  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from support.fakefont import SquareFontSet  # noqa: E402
from layout import model as m  # noqa: E402
from layout.docfile import load_issue, save_issue  # noqa: E402
from layout.position import StoryPos  # noqa: E402


def make_issue() -> m.Issue:
    """对开 template, a story in a small frame, an empty frame, a headline and a photo."""
    from editor.app import TEMPLATES
    iss = load_issue(TEMPLATES / "duikai.yaml")
    iss.stories["lead"] = m.Story(
        "lead", name="lead", headline=m.Headline("引题", "主题文字", "副题"),
        paragraphs=[m.Paragraph("body", [m.Run("本报讯 " + "工会服务职工" * 8)]),
                    m.Paragraph("body", [m.Run("第二段。")])],
        thread=["t1"])
    iss.pages[0].frames += [
        m.HeadlineFrame("h1", col=0, line=0, cols=4, lines=8, story="lead"),
        m.TextFrame("t1", col=0, line=10, cols=1, lines=5),
        m.TextFrame("t2", col=2, line=10, cols=1, lines=20),
        m.PhotoFrame("ph", col=5, line=0, cols=3, lines=20, caption="图片说明", credit="某某 摄"),
    ]
    return iss


@contextlib.contextmanager
def editor_app(tmp_path, monkeypatch, **questions):
    """An EditorApp on square fonts in Chinese, its questions answered by ``questions``
    (``ask_recover=…``: no dialogs), and ``make_issue`` saved in ``tmp_path``: (app, path).
    Its windows are closed at the end."""
    monkeypatch.setenv("BANMIAN_CACHE_DIR", str(tmp_path / "cache"))
    from editor.app import EditorApp
    from editor.i18n import set_language
    set_language("zh")
    app = EditorApp(lambda issue: SquareFontSet(), ask_save=lambda w: "discard",
                    settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
                    **questions)
    path = tmp_path / "issue.yaml"
    save_issue(make_issue(), path)
    try:
        yield app, str(path)
    finally:
        for w in list(app.windows):
            w.close()
        set_language(None)


@pytest.fixture
def env(tmp_path, qtbot, monkeypatch):
    """An EditorApp on square fonts, answering its questions without dialogs."""
    answers = {"recover": True, "asked": 0}

    def ask_recover(_parent, _path):
        answers["asked"] += 1
        return answers["recover"]
    with editor_app(tmp_path, monkeypatch, ask_recover=ask_recover) as (app, path):
        yield app, path, answers


def open_window(app, path, qtbot):
    win = app.open(path)
    win.view.resize(1000, 800)
    win.view.actual_size()
    return win


def mouse(view, kind, scene_pt, buttons=Qt.MouseButton.LeftButton,
          mods=Qt.KeyboardModifier.NoModifier):
    """Send a mouse event to the view's viewport at a scene point."""
    vp = view.viewport()
    p = QPointF(view.mapFromScene(QPointF(*scene_pt)))
    button = Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else \
        Qt.MouseButton.NoButton
    held = buttons if kind != QEvent.Type.MouseButtonRelease else Qt.MouseButton.NoButton
    ev = QMouseEvent(kind, p, QPointF(vp.mapToGlobal(p.toPoint())), button, held, mods)
    QApplication.sendEvent(vp, ev)


def drag(view, a, b, steps=4, mods=Qt.KeyboardModifier.NoModifier):
    """Press at scene point a, move to b with the button held, release."""
    mouse(view, QEvent.Type.MouseButtonPress, a, mods=mods)
    for i in range(1, steps + 1):
        t = i / steps
        mouse(view, QEvent.Type.MouseMove, (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t),
              mods=mods)
    mouse(view, QEvent.Type.MouseButtonRelease, b, mods=mods)


def click(view, pt, mods=Qt.KeyboardModifier.NoModifier):
    mouse(view, QEvent.Type.MouseButtonPress, pt, mods=mods)
    mouse(view, QEvent.Type.MouseButtonRelease, pt, mods=mods)


def type_text(widget, text):
    """Key presses carrying Chinese text (QTest.keyClicks only knows ASCII)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def undo_all(doc):
    while doc.undo.canUndo():
        doc.undo.undo()


def frame_lines(doc, fid):
    return next(fr for p in doc.result.pages for fr in p.frames if fr.frame_id == fid).lines


# ---------------------------------------------------------------------------- frames
def test_drag_creates_a_frame_snapped_to_the_grid(env, qtbot):
    app, path, _ = env
    win = open_window(app, path, qtbot)
    doc, view, g = win.doc, win.view, win.doc.geometry
    original = copy.deepcopy(doc.issue)
    view.set_tool("frame-text")
    # from inside column 2 near line 40 to just short of the end of column 4, 42 lines down
    a = (g.col_x(1) + 4, g.line_y(40) + 3)
    b = (g.col_x(3) + g.column - 5, g.line_y(82) - 2)
    drag(view, a, b)
    new = [fr for fr in doc.page(1).frames if fr.id not in {f.id for f in original.pages[0].frames}]
    assert len(new) == 1
    fr = new[0]
    assert (fr.kind, fr.col, fr.line, fr.cols, fr.lines) == ("text", 1, 40, 3, 42)
    assert win.scene.selection == [fr.id]
    # the size tip showed 栏 × 行 (字) while dragging
    assert win.scene.tip.text == "3栏 × 42行 (41字)"
    # move it by dragging with the selection tool: it snaps to whole columns and lines
    view.set_tool("select")
    x, y, w, h = g.frame_rect(fr)
    drag(view, (x + 20, y + 20), (x + 20 + g.column + g.gutter + 7, y + 20 + 3 * g.pitch + 4))
    assert (fr.col, fr.line, fr.cols, fr.lines) == (2, 43, 3, 42)
    # arrows nudge one grid step, Shift ten
    QTest.keyClick(view, Qt.Key.Key_Down)
    QTest.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert (fr.col, fr.line) == (0, 44)
    # lock: a locked frame does not move
    win.toggle_lock()
    assert fr.locked
    QTest.keyClick(view, Qt.Key.Key_Down)
    assert fr.line == 44
    undo_all(doc)
    assert doc.issue == original


def test_resize_by_handle_and_align(env, qtbot):
    app, path, _ = env
    win = open_window(app, path, qtbot)
    doc, view, g = win.doc, win.view, win.doc.geometry
    t2 = doc.issue.frame("t2")[1]
    win.scene.set_selection(["t2"])
    x, y, w, h = g.frame_rect(t2)
    drag(view, (x + w, y + h), (x + w + 2 * (g.column + g.gutter), y + h - 5 * g.pitch))
    assert (t2.col, t2.cols, t2.lines) == (2, 3, 15)
    win.scene.set_selection(["t1", "t2"])
    win.align_top()
    win.align_left()
    assert (t2.col, t2.line) == (0, 10)


# ---------------------------------------------------------------------------- threads and typing
def test_link_type_reflow_then_undo_everything(env, qtbot):
    app, path, _ = env
    win = open_window(app, path, qtbot)
    doc, view, g = win.doc, win.view, win.doc.geometry
    original = copy.deepcopy(doc.issue)
    assert doc.result.copyfit["lead"].overset_lines > 0
    # N chain mode: click t1, then t2
    view.set_tool("thread")
    for fid in ("t1", "t2"):
        x, y, w, h = g.frame_rect(doc.issue.frame(fid)[1])
        click(view, (x + w / 2, y + h / 2))
    assert doc.issue.stories["lead"].thread == ["t1", "t2"]
    assert frame_lines(doc, "t2"), "the overset text flowed into the second frame"
    before = [(ln.para, ln.start, ln.end) for ln in frame_lines(doc, "t2")]
    # type at the very start of the story: everything after it moves on
    view.set_tool("type")
    x, y, w, h = g.frame_rect(doc.issue.frame("t1")[1])
    click(view, (x + 1, g.baseline(10) - 3))
    assert win.text.story == "lead" and win.text.pos == (0, 0)
    type_text(view, "新闻快讯")
    QTest.keyClick(view, Qt.Key.Key_Return)
    type_text(view, "另起一段，文字继续排入第二块。")
    st = doc.issue.stories["lead"]
    assert st.paragraphs[0].text == "新闻快讯"
    assert st.paragraphs[1].text.startswith("另起一段，文字继续排入第二块。本报讯")
    after = [(ln.para, ln.start, ln.end) for ln in frame_lines(doc, "t2")]
    assert after != before and after[0][0] >= 1
    # the text of the second frame continues exactly where the first frame stopped
    last_t1 = frame_lines(doc, "t1")[-1]
    first_t2 = frame_lines(doc, "t2")[0]
    assert (first_t2.para, first_t2.start) in {(last_t1.para, last_t1.end),
                                               (last_t1.para + 1, 0)}
    # Backspace joins the paragraphs again; the caret is where the text says
    win.text.start("lead", (1, 0))
    QTest.keyClick(view, Qt.Key.Key_Backspace)
    assert st.paragraphs[0].text.startswith("新闻快讯另起一段")
    assert win.text.pos == (0, 4)
    undo_all(doc)
    assert doc.issue == original
    while doc.undo.canRedo():
        doc.undo.redo()
    assert st.paragraphs[0].text.startswith("新闻快讯另起一段")


def test_typing_merges_into_one_undo_step_and_keys_move_the_caret(env, qtbot):
    app, path, _ = env
    win = open_window(app, path, qtbot)
    doc, view = win.doc, win.view
    view.set_tool("type")
    win.text.start("lead", (1, 0))
    n = doc.undo.count()
    type_text(view, "一二三")
    assert doc.undo.count() == n + 1
    QTest.keyClick(view, Qt.Key.Key_Home)
    assert win.text.pos == (1, 0)
    QTest.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert win.text.pos == (1, len("一二三第二段。"))
    assert isinstance(win.text.pos, StoryPos)
    # a caret after the frame's last glyph stands where that glyph's advance ends
    last = frame_lines(doc, "t1")[-1]
    win.text.start("lead", last.end_pos)
    c = win.text.caret()
    assert c.frame == "t1"
    assert c.x == pytest.approx(last.runs[-1].xs[-1] + last.runs[-1].advances[-1])
    win.text.start("lead", (1, len("一二三第二段。")))
    QTest.keyClick(view, Qt.Key.Key_Right)              # the end of the story: stays
    assert win.text.pos == (1, len("一二三第二段。"))
    QTest.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert win.text.selected_text() == "段。"
    QTest.keyClick(view, Qt.Key.Key_Delete)
    assert doc.issue.stories["lead"].paragraphs[1].text == "一二三第二"
    doc.undo.undo()
    assert doc.issue.stories["lead"].paragraphs[1].text == "一二三第二段。"


def test_input_method_commit_and_cursor_rectangle(env, qtbot):
    app, path, _ = env
    win = open_window(app, path, qtbot)
    view = win.view
    view.set_tool("type")
    win.text.start("lead", (0, 0))
    pre = QInputMethodEvent("gongren", [])
    QApplication.sendEvent(view, pre)
    assert win.scene.cursor.preedit == "gongren"
    ev = QInputMethodEvent()
    ev.setCommitString("工人")
    QApplication.sendEvent(view, ev)
    assert win.doc.issue.stories["lead"].paragraphs[0].text.startswith("工人本报讯")
    rect = view.inputMethodQuery(Qt.InputMethodQuery.ImCursorRectangle)
    assert rect.height() > 0 and view.rect().contains(rect.center().toPoint())
    assert view.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)


def test_story_editor_edits_go_through_the_undo_stack(env, qtbot):
    app, path, _ = env
    win = open_window(app, path, qtbot)
    doc, ed = win.doc, win.story_editor
    win.dock_editor.show()
    ed.set_story("lead")
    original = copy.deepcopy(doc.issue)
    cur = ed.edit.textCursor()
    cur.setPosition(3)
    cur.insertText("甘肃")
    assert doc.issue.stories["lead"].paragraphs[0].text.startswith("本报讯甘肃")
    cur.insertText("\n")
    assert doc.issue.stories["lead"].paragraphs[1].text.startswith(" 工会")
    doc.undo.undo()
    doc.undo.undo()
    assert doc.issue == original
    assert ed.edit.toPlainText() == "\n".join(p.text for p in original.stories["lead"].paragraphs)


def test_headline_fields_and_photo_fields(env, qtbot):
    app, path, _ = env
    win = open_window(app, path, qtbot)
    doc, props = win.doc, win.props
    win.scene.set_selection(["h1"])
    assert props.head_box.isVisibleTo(props) and props.title.text() == "主题文字"
    props.title.setText("新主题")
    props.title.editingFinished.emit()
    assert doc.issue.stories["lead"].headline.title == "新主题"
    titles = [r.text for p in doc.result.pages for fr in p.frames if fr.frame_id == "h1"
              for r in fr.runs if r.source.part == "title"]
    assert "".join(titles) == "新主题"
    win.scene.set_selection(["ph"])
    props.fit.setCurrentIndex(props.fit.findData("fit"))
    props.fit.activated.emit(props.fit.currentIndex())
    props.credit.setText("新华社 发")
    props.credit.editingFinished.emit()
    ph = doc.issue.frame("ph")[1]
    assert (ph.fit, ph.credit) == ("fit", "新华社 发")
    doc.undo.undo()
    assert ph.credit == "某某 摄"


def test_place_story_and_copyfit_labels(env, qtbot):
    app, path, _ = env
    win = open_window(app, path, qtbot)
    doc = win.doc
    item = win.scene.frames["t1"]
    assert item.deco.out_port == "overset" and item.deco.badge.startswith("超出")
    assert win.stories.topLevelItem(0).text(1).startswith("超出")
    win.scene.set_selection(["t2"])
    win.stories.select_story("lead")
    win.place()                                   # Ctrl+D
    assert doc.issue.stories["lead"].thread == ["t1", "t2"]
    assert win.scene.frames["t1"].deco.out_port == "linked"
    cf = doc.result.copyfit["lead"]
    assert not cf.overset_lines and cf.underset_lines
    assert win.scene.frames["t2"].deco.badge == cf.label()
    assert len(win.scene.threads.segments) == 1   # the arrow of the selected story


def test_preflight_entry_selects_and_centres_its_frame(env, qtbot):
    app, path, _ = env
    win = open_window(app, path, qtbot)
    pf = win.preflight
    items = [pf.topLevelItem(i) for i in range(pf.topLevelItemCount())]
    overset = next(it for it in items if "overset" in it.text(2) or "超出" in it.text(2))
    pf.itemClicked.emit(overset, 0)
    assert win.scene.selection == ["t1"]


def test_jump_marker_names_the_other_page(env, qtbot):
    app, path, _ = env
    iss = make_issue()
    iss.pages.append(m.Page(2, frames=[m.TextFrame("p2", col=0, line=0, cols=2, lines=30)]))
    iss.stories["lead"].thread = ["t1", "p2"]
    save_issue(iss, path)
    win = open_window(app, path, qtbot)
    assert win.scene.frames["t1"].deco.jump_to == "→ 2版"
    win.show_page(2)
    assert win.scene.frames["p2"].deco.jump_from == "← 1版"
    assert win.pages.count() == 2


# ---------------------------------------------------------------------------- documents
def test_recover_after_a_crash(env, qtbot):
    app, path, answers = env
    win = open_window(app, path, qtbot)
    doc = win.doc
    win.text.start("lead", (1, 0))
    win.text.insert("恢复")
    assert win.autosaver.save_now()
    rec = win.autosaver.path
    assert rec.exists() and rec.name == ".issue.banmian-recovery.yaml"
    os.utime(path, (1_000_000, 1_000_000))          # the file is older than its autosave
    # crash: the window goes away without closing (no save, no clean-up)
    app.windows.remove(win)
    win.autosaver.stop()
    win.hide()
    win.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    del doc
    win2 = open_window(app, path, qtbot)
    assert answers["asked"] == 1
    assert win2.doc.issue.stories["lead"].paragraphs[1].text == "恢复第二段。"
    assert win2.doc.is_modified()
    assert win2.save()
    assert not rec.exists() and not win2.doc.is_modified()
    assert load_issue(path).stories["lead"].paragraphs[1].text == "恢复第二段。"


def test_autosave_after_twenty_commands_and_declined_recovery(env, qtbot):
    app, path, answers = env
    win = open_window(app, path, qtbot)
    rec = win.autosaver.path
    win.autosaver.quiet.setInterval(60_000)   # only the 20-command rule, not the quiet timer
    for i in range(19):
        win.doc.push(__import__("layout.edits", fromlist=["E"]).SetFrame("t2", line=10 + i))
    qtbot.wait(700)
    assert not rec.exists()
    win.doc.push(__import__("layout.edits", fromlist=["E"]).SetFrame("t2", line=29))
    assert not rec.exists()                 # not while the hand is busy: at the next pause
    qtbot.waitUntil(rec.exists, timeout=3000)
    os.utime(path, (1_000_000, 1_000_000))
    app.windows.remove(win)
    win.autosaver.stop()
    win.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    win.hide()
    answers["recover"] = False
    win2 = open_window(app, path, qtbot)
    assert win2.doc.issue.frame("t2")[1].line == 10 and not win2.doc.is_modified()
    assert not rec.exists()                 # declined: not offered again


def test_new_from_templates_and_save(env, qtbot, tmp_path):
    app, _, _ = env
    for name, cols in (("duikai", 8), ("sikai", 6)):
        win = app.new_from_template(name)
        assert win.doc.geometry.columns == cols and win.doc.path is None
        assert len(win.doc.issue.pages) == 1
    target = tmp_path / "new.yaml"
    assert win.doc.save(str(target)) == str(target.resolve())
    assert load_issue(target).paper.grid.columns == 6
    app.add_recent(str(target))
    assert app.recent()[0] == str(target)


def test_zoom_and_grid_toggles(env, qtbot):
    app, path, _ = env
    win = open_window(app, path, qtbot)
    view = win.view
    view.actual_size()
    assert abs(view.zoom() - 100) < 0.5
    view.zoom_step(1)
    assert view.zoom() > 100
    view.fit_page()
    assert view.zoom() < 100
    win.acts["grid"].trigger()                      # Ctrl+' hides the 背景格
    assert not win.scene.page_item.show_baseline and not win.scene.page_item.show_columns
    win.acts["grid"].trigger()
    assert win.scene.page_item.show_baseline
    assert win.acts["grid"].shortcut().toString() == "Ctrl+'"
    img = view.viewport().grab()
    assert not img.isNull()
    # Space held: the mouse drags the page around (the frame under it stays put)
    view.set_zoom(200)
    h, v = view.horizontalScrollBar(), view.verticalScrollBar()
    h0, v0 = h.value(), v.value()
    QTest.keyPress(view, Qt.Key.Key_Space)
    g = win.doc.geometry
    drag(view, (g.col_x(2), g.line_y(20)), (g.col_x(1), g.line_y(10)))
    QTest.keyRelease(view, Qt.Key.Key_Space)
    assert h.value() > h0 and v.value() > v0
    assert win.doc.issue.frame("t2")[1].col == 2 and win.doc.undo.count() == 0


def test_ui_strings_follow_the_language():
    from editor.i18n import set_language, tr
    set_language("en")
    assert tr("save") == "Save"
    set_language("zh")
    assert tr("save") == "保存"
    assert tr("drag.size", cols=3, lines=42, chars=41) == "3栏 × 42行 (41字)"
    set_language(None)


def test_out_port_click_loads_the_thread_cursor(env, qtbot):
    app, path, _ = env
    win = open_window(app, path, qtbot)
    doc, view, g = win.doc, win.view, win.doc.geometry
    port = win.scene.frames["t1"].out_port
    assert port.isVisible() and port.state == "overset"
    centre = port.mapToScene(port.boundingRect().center())
    vp_pt = view.mapFromScene(centre)
    assert view.itemAt(vp_pt) is port
    click(view, (centre.x(), centre.y()))
    assert view.tool.name == "thread" and view.tool.source == "t1"
    x, y, w, h = g.frame_rect(doc.issue.frame("t2")[1])
    click(view, (x + w / 2, y + h / 2))
    assert doc.issue.stories["lead"].thread == ["t1", "t2"]
    # Shift-click on an empty column: a one-column frame down to the foot, linked
    click(view, (g.col_x(6) + 5, g.line_y(60) + 2), mods=Qt.KeyboardModifier.ShiftModifier)
    thread = doc.issue.stories["lead"].thread
    assert len(thread) == 3
    new = doc.issue.frame(thread[2])[1]
    assert (new.col, new.line, new.cols, new.lines) == (6, 60, 1, g.lines - 60)
    QTest.keyClick(view, Qt.Key.Key_Escape)
    assert view.tool.name == "select"


def test_drop_a_story_and_an_image(env, qtbot, tmp_path):
    from PySide6.QtCore import QMimeData, QUrl
    from PySide6.QtGui import QDropEvent, QImage
    from editor.view import STORY_MIME
    app, path, _ = env
    win = open_window(app, path, qtbot)
    doc, view, g = win.doc, win.view, win.doc.geometry
    doc.push(__import__("layout.edits", fromlist=["E"]).AddStory(m.Story("other", name="other")))

    def drop(md, scene_pt):
        p = QPointF(view.mapFromScene(QPointF(*scene_pt)))
        ev = QDropEvent(p, Qt.DropAction.CopyAction, md, Qt.MouseButton.LeftButton,
                        Qt.KeyboardModifier.NoModifier)
        view.dropEvent(ev)
    md = QMimeData()
    md.setData(STORY_MIME, b"other")
    x, y, w, h = g.frame_rect(doc.issue.frame("t2")[1])
    drop(md, (x + w / 2, y + h / 2))
    assert doc.issue.stories["other"].thread == ["t2"]
    img = tmp_path / "photo.png"
    QImage(40, 30, QImage.Format.Format_RGB32).save(str(img))
    md2 = QMimeData()
    md2.setUrls([QUrl.fromLocalFile(str(img))])
    x, y, w, h = g.frame_rect(doc.issue.frame("ph")[1])
    drop(md2, (x + w / 2, y + h / 2))
    assert doc.issue.frame("ph")[1].image == "photo.png"
    items = [it for p in doc.result.pages for fr in p.frames if fr.frame_id == "ph"
             for it in fr.items]
    assert any(type(it).__name__ == "ImageItem" for it in items)
    # on the empty page: a new photo frame
    drop(md2, (g.col_x(4) + 3, g.line_y(90) + 2))
    assert sum(fr.kind == "photo" for fr in doc.page(1).frames) == 2
    # an image from outside the issue's folder is copied into its images/ folder
    elsewhere = tmp_path.parent / (tmp_path.name + "-elsewhere")
    elsewhere.mkdir()
    outside = elsewhere / "outside.png"
    QImage(40, 30, QImage.Format.Format_RGB32).save(str(outside))
    md3 = QMimeData()
    md3.setUrls([QUrl.fromLocalFile(str(outside))])
    x, y, w, h = g.frame_rect(doc.issue.frame("ph")[1])
    drop(md3, (x + w / 2, y + h / 2))
    assert doc.issue.frame("ph")[1].image == "images/outside.png"
    assert (Path(doc.base_dir) / "images" / "outside.png").exists()
    assert not [d for d in doc.result.diagnostics if d.code == "image-outside"]


def test_direct_tool_moves_the_crop(env, qtbot, tmp_path):
    from PySide6.QtGui import QImage
    from layout import edits as E
    app, path, _ = env
    win = open_window(app, path, qtbot)
    doc, view, g = win.doc, win.view, win.doc.geometry
    img = tmp_path / "wide.png"
    QImage(400, 100, QImage.Format.Format_RGB32).save(str(img))
    doc.push(E.SetFrame("ph", image="wide.png", fit="fill"))
    view.set_tool("direct")
    x, y, w, h = g.frame_rect(doc.issue.frame("ph")[1])
    n = doc.undo.count()
    drag(view, (x + w / 2, y + 20), (x + w / 2 + 40, y + 20))
    crop = doc.issue.frame("ph")[1].crop
    assert crop[0] < 0.5 and crop[1] == 0.5
    assert doc.undo.count() == n + 1
    doc.undo.undo()
    assert doc.issue.frame("ph")[1].crop == [0.5, 0.5, 1.0]


def test_char_style_and_paragraph_style_from_the_control_bar(env, qtbot):
    app, path, _ = env
    win = open_window(app, path, qtbot)
    doc = win.doc
    view = win.view
    view.set_tool("type")
    win.text.start("lead", (1, 0), (1, 2))
    win.control.char.setCurrentIndex(win.control.char.findData("bold"))
    win.control.char.activated.emit(win.control.char.currentIndex())
    runs = doc.issue.stories["lead"].paragraphs[1].runs
    assert [(r.text, r.style) for r in runs] == [("第二", "bold"), ("段。", "")]
    win.control.para.setCurrentIndex(win.control.para.findData("subhead"))
    win.control.para.activated.emit(win.control.para.currentIndex())
    assert doc.issue.stories["lead"].paragraphs[1].style == "subhead"


def test_import_adds_the_stories_with_the_accepted_repairs(env, qtbot, tmp_path):
    from editor.importing import ImportDialog, run_import
    app, path, _ = env
    win = open_window(app, path, qtbot)
    src = tmp_path / "wire.txt"
    src.write_text("标题一\n\n本报讯 这是第一篇稿件的正文，内容充实。\n\n\n标题二\n\n"
                   "第二篇稿件的正文也在这里。\n", "utf-8")
    before = set(win.doc.issue.stories)
    assert run_import(win, win.doc, str(src), ask=False)
    added = set(win.doc.issue.stories) - before
    assert added and all(win.doc.issue.stories[s].paragraphs for s in added)
    win.doc.undo.undo()
    assert set(win.doc.issue.stories) == before
    from importer import import_file
    dlg = ImportDialog(import_file(str(src)), win)
    assert dlg.final_result().stories


def test_export_runs_in_a_worker_thread(env, qtbot, tmp_path, monkeypatch):
    import threading
    import output
    app, path, _ = env
    win = open_window(app, path, qtbot)
    seen = {}

    def fake_export(result, fontset, target, options, force=False):
        seen["thread"] = threading.current_thread() is not threading.main_thread()
        seen["mode"] = options.mode
        open(target, "wb").write(b"%PDF-1.4\n")
        return []
    monkeypatch.setattr(output, "export_pdf", fake_export)
    target = tmp_path / "proof.pdf"
    done = []
    worker = win.exporter.start(win.doc, str(target), "proof")
    worker.done.connect(lambda d: done.append(d))
    qtbot.waitUntil(lambda: worker.isFinished(), timeout=5000)
    qtbot.waitUntil(lambda: win.exporter.dialog is None, timeout=5000)
    assert seen == {"thread": True, "mode": "proof"} and target.exists()


def test_untitled_documents_are_recovered_at_start(env, qtbot):
    app, _, answers = env
    win = app.new_from_template("sikai")
    win.doc.push(__import__("layout.edits", fromlist=["E"]).AddStory(m.Story("draft")))
    assert win.autosaver.save_now()
    rec = win.autosaver.path
    assert rec.parent.name == "recovery" and rec.name.startswith("untitled-")
    app.windows.remove(win)                   # crash: no close, no clean-up
    win.autosaver.stop()
    win.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    win.hide()
    wins = app.recover_untitled()
    assert len(wins) == 1 and "draft" in wins[0].doc.issue.stories
    assert wins[0].doc.is_modified() and not rec.exists() and wins[0].autosaver.path.exists()


def test_typing_into_a_new_empty_frame_makes_a_story(env, qtbot):
    app, _, _ = env
    win = app.new_from_template("duikai")
    doc, view, g = win.doc, win.view, win.doc.geometry
    view.resize(1000, 800)
    view.actual_size()
    view.set_tool("frame-text")
    drag(view, (g.col_x(0) + 2, g.line_y(5) + 2), (g.col_x(1) + g.column - 2, g.line_y(25)))
    fid = win.scene.selection[0]
    view.set_tool("type")
    x, y, w, h = g.frame_rect(doc.issue.frame(fid)[1])
    click(view, (x + 10, y + 5))
    assert win.text.active and win.scene.cursor.isVisible()
    assert not win.text.caret_rect().isNull()          # a caret even before any text
    type_text(view, "新稿件的第一行文字")
    st = doc.issue.story_of_frame(fid)
    assert st is not None and st.paragraphs[0].text == "新稿件的第一行文字"
    assert frame_lines(doc, fid)
    caret = win.text.caret()
    assert caret.frame == fid and caret.x > x
    QTest.keyClick(view, Qt.Key.Key_Escape)
    assert not win.text.active
    undo_all(doc)
    assert not doc.issue.stories and not doc.page(1).frames


def test_caret_in_an_empty_paragraph(env, qtbot):
    app, path, _ = env
    win = open_window(app, path, qtbot)
    doc, view = win.doc, win.view
    from layout import edits as E
    doc.push(E.link(doc.issue, "t1", "t2"))
    st = doc.issue.stories["lead"]
    end = (1, len(st.paragraphs[1].text))
    view.set_tool("type")
    win.text.start("lead", end)
    before = win.text.caret()
    QTest.keyClick(view, Qt.Key.Key_Return)
    assert win.text.pos == (2, 0) and st.paragraphs[2].text == ""
    c = win.text.caret()
    assert c is not None and c.y > before.y          # on the next line, not lost
    type_text(view, "尾")
    assert st.paragraphs[2].text == "尾"


def test_an_edit_the_layout_cannot_take_is_refused(env, qtbot):
    from layout import edits as E
    app, path, _ = env
    win = open_window(app, path, qtbot)
    doc = win.doc
    messages = []
    doc.refused.connect(messages.append)
    doc.push(E.AddFrame(1, m.RuleFrame("r9", col=0, line=40, cols=3, lines=1)))
    n = doc.undo.count()
    assert not doc.push(E.SetFrame("r9", weight="thick"))
    assert messages and doc.issue.frame("r9")[1].weight == "0.5pt"
    assert doc.undo.count() == n


# ---------------------------------------------------------------------------- issue 13: what misled
def test_a_plain_click_on_a_corner_handle_changes_nothing(env, qtbot):
    app, path, _ = env
    win = open_window(app, path, qtbot)
    doc, view, g = win.doc, win.view, win.doc.geometry
    t2 = doc.issue.frame("t2")[1]
    before = (t2.col, t2.line, t2.cols, t2.lines)
    win.scene.set_selection(["t2"])
    x, y, w, h = g.frame_rect(t2)
    for corner in ((x + w, y + h), (x, y), (x + w - 2, y + h + 2)):   # a little off the corner
        click(view, corner)
        assert (t2.col, t2.line, t2.cols, t2.lines) == before
    assert doc.undo.count() == 0
    # dragging a handle by two columns from where it was grabbed (off its exact point)
    drag(view, (x + w - 2, y + h - 2), (x + w - 2 + 2 * (g.column + g.gutter), y + h - 2))
    assert (t2.col, t2.cols, t2.lines) == (2, 3, 20)


def test_columns_and_lines_count_from_one_in_tip_dock_and_status(env, qtbot):
    app, path, _ = env
    win = open_window(app, path, qtbot)
    doc, view, g = win.doc, win.view, win.doc.geometry
    t2 = doc.issue.frame("t2")[1]                  # col 2, line 10 in the file (0-based)
    win.scene.set_selection(["t2"])
    assert win.props.col.value() == 3 and win.props.line.value() == 11
    assert win.props.col.text() == "第3栏" and win.props.line.text() == "第11行"
    x, y, w, h = g.frame_rect(t2)
    mouse(view, QEvent.Type.MouseButtonPress, (x + w / 2, y + h / 2))
    mouse(view, QEvent.Type.MouseMove, (x + w / 2 + 1, y + h / 2 + 1))
    assert win.scene.tip.text == "第3栏 第11行"
    mouse(view, QEvent.Type.MouseButtonRelease, (x + w / 2 + 1, y + h / 2 + 1))
    win._pointer(QPointF(x + 1, y + 1))
    assert win.pos_label.text().startswith("第3栏 第11行")
    win.props.col.setValue(1)                      # 第1栏 is the first column: col 0 in the file
    assert t2.col == 0 and t2.line == 10


def test_copyfit_shortfall_sums_every_empty_frame_of_the_thread():
    from layout.compose import Composer
    from editor.app import TEMPLATES
    iss = load_issue(TEMPLATES / "duikai.yaml")
    iss.stories["s"] = m.Story("s", paragraphs=[m.Paragraph("body", [m.Run("短稿。")])],
                               thread=["a", "b", "c"])
    iss.pages[0].frames += [m.TextFrame("a", col=0, line=0, cols=1, lines=10),
                            m.TextFrame("b", col=1, line=0, cols=1, lines=30),
                            m.TextFrame("c", col=2, line=0, cols=1, lines=40)]
    cf = Composer(iss, SquareFontSet()).compose().copyfit["s"]
    assert cf.lines == 1
    assert cf.underset_lines == 9 + 30 + 40           # not only the last frame's 40


def test_badges_shrink_with_the_page_and_handles_stay_inside_their_item(env, qtbot):
    app, path, _ = env
    win = open_window(app, path, qtbot)
    view, scene = win.view, win.scene
    badge = scene.frames["t1"].badge
    assert badge.isVisible()

    def screen_height(item):
        return item.deviceTransform(view.viewportTransform()).mapRect(item.boundingRect()).height()
    full = screen_height(badge)
    view.fit_page()
    z = view.zoom() / 100
    assert z < 0.5
    assert screen_height(badge) <= full * z * 1.05 + 1   # covers no more page than at 100 %
    # a selected frame's handles are painted inside its bounding rectangle at any zoom
    from editor.items import HANDLE, handle_points
    scene.set_selection(["t2"])
    item = scene.frames["t2"]
    h = HANDLE / view.transform().m11()
    bounds = item.boundingRect()
    for pt in handle_points(item.rect).values():
        assert bounds.contains(QPointF(pt.x() - h / 2, pt.y() - h / 2).toPoint()) or \
            bounds.contains(QRectF(pt.x() - h / 2, pt.y() - h / 2, h, h))


def test_an_out_port_wins_over_a_touching_frames_handle(env, qtbot):
    app, path, _ = env
    iss = make_issue()
    # t3 starts right of t2's foot: its west/south-west handles lie at t2's out port
    iss.pages[0].frames.append(m.TextFrame("t3", col=3, line=28, cols=1, lines=10))
    iss.stories["s2"] = m.Story("s2", paragraphs=[m.Paragraph("body", [m.Run("稿" * 400)])],
                                thread=["t2"])
    save_issue(iss, path)
    win = open_window(app, path, qtbot)
    view = win.view
    win.scene.set_selection(["t2", "t3"])
    port = win.scene.frames["t2"].out_port
    centre = port.mapToScene(port.boundingRect().center())
    click(view, (centre.x(), centre.y()))
    assert view.tool.name == "thread" and view.tool.source == "t2"
    assert win.doc.undo.count() == 0


def test_properties_of_several_frames_and_of_a_box(env, qtbot):
    app, path, _ = env
    iss = make_issue()
    iss.pages[0].frames.append(m.BoxFrame("bx", col=0, line=40, cols=4, lines=20))
    save_issue(iss, path)
    win = open_window(app, path, qtbot)
    doc, props = win.doc, win.props
    win.scene.set_selection(["t1", "t2"])
    assert props.geo_box.isVisibleTo(props) and "2" in props.kind.text()
    assert props.col.value() == 1 and props.line.value() == 11
    props.line.setValue(13)                         # both move down two lines: one undo step
    assert doc.issue.frame("t1")[1].line == 12 and doc.issue.frame("t2")[1].line == 12
    props.locked.setChecked(True)
    assert doc.issue.frame("t1")[1].locked and doc.issue.frame("t2")[1].locked
    doc.undo.undo()
    doc.undo.undo()
    assert doc.issue.frame("t1")[1].line == 10 and not doc.issue.frame("t2")[1].locked
    win.scene.set_selection(["bx"])
    assert props.deco_box.isVisibleTo(props)
    sw = props.fill.swatch
    sw.setCurrentIndex(sw.findData("grey"))
    sw.activated.emit(sw.currentIndex())
    props.stroke.setText("1pt")
    props.stroke.editingFinished.emit()
    bx = doc.issue.frame("bx")[1]
    assert (bx.fill, bx.stroke) == ("grey", "1pt")


def test_preflight_dock_runs_the_output_checks_in_the_background(env, qtbot, tmp_path):
    from PySide6.QtGui import QImage
    from layout import edits as E
    app, path, _ = env
    win = open_window(app, path, qtbot)
    doc, pf = win.doc, win.preflight
    img = tmp_path / "lowres.png"                       # 60 × 40 px over 3 columns: ~10 ppi
    QImage(60, 40, QImage.Format.Format_RGB32).save(str(img))
    doc.push(E.SetFrame("ph", image="lowres.png"))
    assert not any(d.code == "image-low-resolution" for d in doc.result.diagnostics)
    qtbot.wait(300)
    assert not pf.up_to_date()            # a hidden dock does not check (typing goes first)
    win.dock_preflight.show()
    win.dock_preflight.raise_()           # the user looks at the dock: it checks
    qtbot.waitUntil(pf.up_to_date, timeout=20000)
    codes = {d.code for d in pf.diagnostics()}
    assert "image-low-resolution" in codes and "image-rgb-converted" in codes
    texts = [pf.topLevelItem(i).text(2) for i in range(pf.topLevelItemCount())]
    low = next(t for t in texts if "分辨率" in t)
    assert "lowres.png" in low and "ppi" in low
    row = next(pf.topLevelItem(i) for i in range(pf.topLevelItemCount())
               if "分辨率" in pf.topLevelItem(i).text(2))
    win.scene.set_selection([])
    pf.itemClicked.emit(row, 0)
    assert win.scene.selection == ["ph"]


def test_undo_names_are_chinese(env, qtbot):
    app, path, _ = env
    win = open_window(app, path, qtbot)
    doc, view, g = win.doc, win.view, win.doc.geometry
    t2 = doc.issue.frame("t2")[1]
    win.scene.set_selection(["t2"])
    x, y, w, h = g.frame_rect(t2)
    drag(view, (x + w, y + h), (x + w + 2 * (g.column + g.gutter), y + h))
    assert doc.undo.undoText() == "调整大小"
    assert win.acts["undo"].text() == "撤销 调整大小"
    win.view.nudge(1, 0)
    assert doc.undo.undoText() == "微移"


def test_export_dialog_options_and_a_refusal_listing_every_finding(env, qtbot, tmp_path,
                                                                   monkeypatch):
    from PySide6.QtCore import QTimer
    import output
    from layout.result import Diagnostic
    from output.preflight import ExportRefused
    app, path, _ = env
    iss = make_issue()
    iss.pages.append(m.Page(2))
    iss.pages.append(m.Page(3))
    save_issue(iss, path)
    win = open_window(app, path, qtbot)
    seen = {}
    findings = [Diagnostic("error", "overset", "story 'lead' (lead): 超出 3 行 / 38 字 — the "
                           "text does not fit its frames", 1, "t1", "lead"),
                Diagnostic("warning", "image-low-resolution", "image 'p.jpg' is 62 ppi as "
                           "placed (below 200 ppi for print)", 1, "ph"),
                Diagnostic("info", "image-rgb-converted", "JPEG image 'p.jpg' (RGB) is "
                           "converted to CMYK", 1, "ph")]

    def fake_export(result, fontset, target, options, force=False):
        seen.setdefault("options", []).append(options)
        if options.mode == "print" and not force:
            raise ExportRefused(findings)
        open(target, "wb").write(b"%PDF-1.4\n")
        return []
    monkeypatch.setattr(output, "export_pdf", fake_export)
    asked = []
    win.exporter.ask_force = lambda _w, text: asked.append(text) or False
    target = tmp_path / "out.pdf"

    def fill(mode, pages, watermark=False, outlines=False):
        dlg = win.export_dialog
        dlg.mode.setCurrentIndex(dlg.mode.findData(mode))
        dlg.pages.setText("9")                         # no such page: the dialog stays open
        dlg.accept()
        seen["problem"] = dlg.problem.text()
        dlg.pages.setText(pages)
        dlg.watermark.setChecked(watermark)
        dlg.outlines.setChecked(outlines)
        dlg.path.setText(str(target))
        dlg.accept()
    QTimer.singleShot(0, lambda: fill("proof", "1, 3", watermark=True, outlines=True))
    win.acts["export.proof"].trigger()
    qtbot.waitUntil(lambda: target.exists() and win.exporter.dialog is None, timeout=5000)
    assert "9" in seen["problem"]
    opts = seen["options"][-1]
    assert (opts.mode, opts.pages, opts.watermark, opts.frame_outlines) == \
        ("proof", [1, 3], True, True)
    target.unlink()
    QTimer.singleShot(0, lambda: fill("print", "2-3"))
    win.acts["export.print"].trigger()
    qtbot.waitUntil(lambda: bool(asked), timeout=5000)
    text = asked[0]
    assert "超排" in text and "62 ppi" in text and "CMYK" in text   # every finding, in Chinese
    assert "does not fit" not in text
    assert seen["options"][-1].pages == [2, 3] and not target.exists()
