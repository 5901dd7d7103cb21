"""The clipboard and the right-click menus, driven as a layout hand would: keys, menus, mouse.

Frames: copy/cut/paste (offset, in place, onto another page, into another
issue, linked), duplicate, Alt-drag.  Text: with and without formatting, from
other programs (cleaned by the importer's rules).  Each paste is one undo step.
"""
from __future__ import annotations

import copy

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QMimeData, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QImage, QKeySequence  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from editor import clipboard as C  # noqa: E402
from layout import edits as E  # noqa: E402
from layout import model as m  # noqa: E402
from layout.docfile import dump_issue, parse_issue, save_issue  # noqa: E402
from tests import test_editor as TE  # noqa: E402
from tests.test_editor import click, drag, make_issue, open_window  # noqa: E402

env = TE.env                      # the editor fixture of test_editor

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


def show(win, qtbot):
    """Show the window and make it the active one (window shortcuts need that)."""
    win.show()
    qtbot.waitExposed(win)
    with qtbot.waitActive(win, timeout=3000):
        win.activateWindow()
    win.view.setFocus()
    return win


def centre(win, fid):
    x, y, w, h = win.doc.geometry.frame_rect(win.doc.issue.frame(fid)[1])
    return x + w / 2, y + h / 2


def keys(widget, key, mods=Qt.KeyboardModifier.NoModifier):
    QTest.keyClick(widget, key, mods)
    QApplication.processEvents()


def undo_steps(doc):
    return doc.undo.index()


def test_standard_keys_are_real_menu_actions(env, qtbot):
    app, path, _ = env
    win = open_window(app, path, qtbot)
    std = QKeySequence.StandardKey
    for key, sk in (("cut", std.Cut), ("copy", std.Copy), ("paste", std.Paste),
                    ("select_all", std.SelectAll), ("find", std.Find), ("replace", std.Replace)):
        act = win.acts[key]
        assert QKeySequence.keyBindings(sk)[0] in act.shortcuts(), key
        assert act.text() and not act.text().isascii(), "Chinese menu text under zh"
    assert win.acts["duplicate"].shortcuts()
    edit_menu = win.menuBar().actions()[1].menu()
    names = [a.text() for a in edit_menu.actions()]
    for key in ("cut", "copy", "paste", "paste_in_place", "duplicate", "select_all", "find"):
        assert win.acts[key].text() in names


def test_copy_paste_frames_copies_the_story_and_is_one_undo_step(env, qtbot):
    app, path, _ = env
    win = show(open_window(app, path, qtbot), qtbot)
    doc, view = win.doc, win.view
    original = copy.deepcopy(doc.issue)
    click(view, centre(win, "t1"))
    assert win.scene.selection == ["t1"]
    keys(view, Qt.Key.Key_C, CTRL)
    md = QGuiApplication.clipboard().mimeData()
    assert md.hasFormat("application/x-banmian-frames")
    assert "工会服务职工" in md.text(), "other programs get the frame's text"
    steps = undo_steps(doc)
    keys(view, Qt.Key.Key_V, CTRL)
    assert undo_steps(doc) == steps + 1, "one paste, one undo step"
    new = win.scene.selection
    assert len(new) == 1 and new[0] != "t1"
    _, fr = doc.issue.frame(new[0])
    t1 = doc.issue.frame("t1")[1]
    assert (fr.col, fr.line) == (t1.col + 1, t1.line + 1), "pasted off the original"
    st = doc.issue.story_of_frame(new[0])
    assert st is not None and st.id != "lead", "the story is copied, not shared"
    assert st.paragraphs == doc.issue.stories["lead"].paragraphs
    assert doc.issue.stories["lead"].thread == ["t1"]
    # editing the copy leaves the original alone
    doc.push(E.InsertText(st.id, (0, 0), "改"))
    assert not doc.issue.stories["lead"].paragraphs[0].text.startswith("改")
    doc.undo.undo()
    doc.undo.undo()
    assert doc.issue == original


def test_paste_in_place_on_another_page_and_paste_linked(env, qtbot):
    app, path, _ = env
    win = show(open_window(app, path, qtbot), qtbot)
    doc = win.doc
    win.scene.set_selection(["t1", "h1"])
    win.acts["copy"].trigger()
    win.acts["add_page"].trigger()
    assert win.scene.page_number == 2
    win.acts["paste_in_place"].trigger()
    page2 = doc.page(2)
    assert {fr.kind for fr in page2.frames} == {"text", "headline"}
    text = next(fr for fr in page2.frames if fr.kind == "text")
    head = next(fr for fr in page2.frames if fr.kind == "headline")
    assert (text.col, text.line) == (0, 10), "paste in place keeps the grid cell"
    story = doc.issue.story_of_frame(text.id)
    assert story.id != "lead" and head.story == story.id, "headline shows the copied story"
    assert story.headline.title == "主题文字"
    # paste linked: the new frame continues the original story
    win.acts["paste_linked"].trigger()
    linked = [f for f in win.scene.selection if doc.issue.frame(f)[1].kind == "text"]
    assert doc.issue.stories["lead"].thread == ["t1"] + linked
    doc.undo.undo()
    assert doc.issue.stories["lead"].thread == ["t1"]


def test_paste_into_another_open_issue_brings_styles_along(env, qtbot, tmp_path):
    app, path, _ = env
    iss = parse_issue(dump_issue(make_issue()))
    iss.char_styles["stress"] = m.CharStyle(font="headline", color="red", label="着重")
    iss.stories["lead"].paragraphs[1].runs = [m.Run("第二", "stress"), m.Run("段。")]
    (tmp_path / "img").mkdir()
    img = QImage(40, 30, QImage.Format.Format_RGB32)
    img.fill(0x808080)
    img.save(str(tmp_path / "img" / "a.png"))
    iss.pages[0].frames[-1].image = "img/a.png"
    save_issue(iss, path)
    other = make_issue()
    other.stories.clear()
    other.pages[0].frames = []
    other.char_styles.pop("stress", None)
    (tmp_path / "elsewhere").mkdir()
    p2 = tmp_path / "elsewhere" / "other.yaml"
    save_issue(other, p2)
    win = show(open_window(app, path, qtbot), qtbot)
    win.scene.set_selection(["t1", "ph"])
    win.copy()
    win2 = show(open_window(app, str(p2), qtbot), qtbot)
    assert "stress" not in win2.doc.issue.char_styles
    keys(win2.view, Qt.Key.Key_V, CTRL)
    doc2 = win2.doc
    fid, pid = sorted(win2.scene.selection, key=lambda f: doc2.issue.frame(f)[1].kind != "text")
    assert doc2.issue.frame(pid)[1].image == str(tmp_path / "img" / "a.png"), \
        "the photo is still found from the other issue's folder"
    st = doc2.issue.story_of_frame(fid)
    assert st.id == "lead", "a free id is kept"
    assert st.paragraphs[1].runs[0].style == "stress"
    assert doc2.issue.char_styles["stress"].label == "着重"
    assert doc2.result.copyfit["lead"] is not None
    doc2.undo.undo()
    assert "stress" not in doc2.issue.char_styles and not doc2.issue.stories


def test_duplicate_cut_and_select_all(env, qtbot):
    app, path, _ = env
    win = show(open_window(app, path, qtbot), qtbot)
    doc, view = win.doc, win.view
    win.scene.set_selection([])
    win.acts["duplicate"].trigger()
    assert "没有选中对象" in win.statusBar().currentMessage()
    win.scene.set_selection(["t2"])
    n = len(doc.page(1).frames)
    win.acts["duplicate"].trigger()
    assert len(doc.page(1).frames) == n + 1
    (dup,) = win.scene.selection
    assert (doc.issue.frame(dup)[1].col, doc.issue.frame(dup)[1].line) == (3, 11)
    keys(view, Qt.Key.Key_A, CTRL)
    assert set(win.scene.selection) == {fr.id for fr in doc.page(1).frames}
    win.scene.set_selection(["t2"])
    keys(view, Qt.Key.Key_X, CTRL)
    assert "t2" not in {fr.id for fr in doc.page(1).frames}
    keys(view, Qt.Key.Key_V, CTRL)
    (back,) = win.scene.selection
    assert (doc.issue.frame(back)[1].col, doc.issue.frame(back)[1].line) == (2, 10), \
        "after a cut the page is free: the frame comes back at its place"


def test_alt_drag_duplicates(env, qtbot):
    app, path, _ = env
    win = show(open_window(app, path, qtbot), qtbot)
    doc, view, g = win.doc, win.view, win.doc.geometry
    x, y = centre(win, "t2")
    step = g.column + g.gutter
    drag(view, (x, y), (x + 2 * step, y + 3 * g.pitch), mods=ALT)
    t2 = doc.issue.frame("t2")[1]
    assert (t2.col, t2.line) == (2, 10), "the original stays"
    (new,) = win.scene.selection
    fr = doc.issue.frame(new)[1]
    assert (fr.col, fr.line) == (4, 13) and new != "t2"
    doc.undo.undo()
    assert new not in {f.id for f in doc.page(1).frames}


def test_text_copy_paste_with_and_without_formatting(env, qtbot):
    app, path, _ = env
    win = show(open_window(app, path, qtbot), qtbot)
    doc, view = win.doc, win.view
    st = doc.issue.stories["lead"]
    view.set_tool("type")
    win.text.start("lead", (1, 0), (1, 2))
    win.text.apply_char_style("bold")
    win.text.start("lead", (1, 0))
    for _ in range(3):
        keys(view, Qt.Key.Key_Right, SHIFT)
    keys(view, Qt.Key.Key_C, CTRL)
    assert QGuiApplication.clipboard().text() == "第二段"
    win.text.start("lead", (0, 0))
    steps = undo_steps(doc)
    keys(view, Qt.Key.Key_V, CTRL)
    assert undo_steps(doc) == steps + 1
    runs = st.paragraphs[0].runs
    assert (runs[0].text, runs[0].style) == ("第二", "bold")
    assert runs[1].text.startswith("段本报讯 ") and runs[1].style == ""
    assert win.text.pos == (0, 3)
    # Ctrl+Shift+V: the text takes the style where it lands
    win.text.start("lead", (1, 4))
    keys(view, Qt.Key.Key_V, CTRL | SHIFT)
    assert st.paragraphs[1].text == "第二段。第二段"
    assert all(r.style == "" for r in st.paragraphs[1].runs[1:])
    # cut is copy + delete; paste replaces the selection
    win.text.start("lead", (1, 0), (1, 2))
    keys(view, Qt.Key.Key_X, CTRL)
    assert st.paragraphs[1].text == "段。第二段"
    assert doc.undo.undoText() == "剪切" and QGuiApplication.clipboard().text() == "第二"
    # Ctrl+A in text selects the whole story
    keys(view, Qt.Key.Key_A, CTRL)
    assert win.text.selected_text() == "\n".join(p.text for p in st.paragraphs)
    # several paragraphs at once: the paragraph is split, one undo step
    win.text.start("lead", (0, 0), (1, 2))
    keys(view, Qt.Key.Key_C, CTRL)
    n = len(st.paragraphs)
    win.text.start("lead", (1, 1))
    keys(view, Qt.Key.Key_V, CTRL)
    assert len(st.paragraphs) == n + 1
    doc.undo.undo()
    assert len(st.paragraphs) == n


def test_paste_from_another_program_is_cleaned_and_says_so(env, qtbot):
    app, path, _ = env
    win = show(open_window(app, path, qtbot), qtbot)
    doc, view = win.doc, win.view
    st = doc.issue.stories["lead"]
    md = QMimeData()
    md.setHtml("<p>职工共计１２３人,比去年增加。</p><p></p><p>第二段 工会 组织。</p>")
    md.setText("职工共计１２３人,比去年增加。\n\n  第二段工会组织。  ")
    C.put(md)
    view.set_tool("type")
    win.text.start("lead", (1, 4))
    steps = undo_steps(doc)
    keys(view, Qt.Key.Key_V, CTRL)
    assert undo_steps(doc) == steps + 1
    texts = [p.text for p in st.paragraphs]
    assert texts[1] == "第二段。职工共计123人，比去年增加。"
    assert texts[2] == "第二段工会组织。"
    msg = win.statusBar().currentMessage()
    assert "粘贴时已整理" in msg and "全角" in msg and "标点" in msg
    assert win.text.last_cleaned.changes["fullwidth"] == 1
    assert "１２３" in win.statusBar().toolTip() and "123" in win.statusBar().toolTip()
    # HTML only (a web page): its text, cleaned the same way
    md = QMimeData()
    md.setHtml("<div>网页文字:３个</div>")
    C.put(md)
    win.text.start("lead", (2, 0))
    keys(view, Qt.Key.Key_V, CTRL)
    assert st.paragraphs[2].text.startswith("网页文字：3个")


def _context(win, qtbot, scene_pt):
    vp = win.view.viewport()
    p = win.view.mapFromScene(QPointF(*scene_pt))
    ev = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, p, vp.mapToGlobal(p))
    QApplication.sendEvent(vp, ev)
    menu = win.context_menu
    assert menu is not None and menu.isVisible()
    return menu


def _act(menu, key):
    for a in menu.actions():
        if a.objectName() == key:
            return a
    raise AssertionError(f"{key} not in {[a.objectName() for a in menu.actions()]}")


def test_right_click_menus_on_frames_text_and_page(env, qtbot):
    app, path, _ = env
    win = show(open_window(app, path, qtbot), qtbot)
    doc, g = win.doc, win.doc.geometry
    menu = _context(win, qtbot, centre(win, "t2"))
    assert win.scene.selection == ["t2"], "right-click selects the frame"
    names = [a.objectName() for a in menu.actions() if a.objectName()]
    for key in ("cut", "copy", "paste", "duplicate", "delete", "lock", "bring_forward",
                "send_backward", "thread", "unlink", "properties"):
        assert key in names
    assert all(not a.text().isascii() for a in menu.actions() if a.objectName())
    order = [f.id for f in doc.page(1).frames]
    _act(menu, "send_backward").trigger()
    assert [f.id for f in doc.page(1).frames].index("t2") == order.index("t2") - 1
    menu = _context(win, qtbot, centre(win, "t2"))
    _act(menu, "lock").trigger()
    assert doc.issue.frame("t2")[1].locked
    menu = _context(win, qtbot, centre(win, "t2"))
    assert _act(menu, "unlock") and not _act(menu, "delete").isEnabled()
    _act(menu, "copy").trigger()
    # the empty page: paste here, new frame
    empty = (g.left + 6.5 * (g.column + g.gutter), g.top + 60.5 * g.pitch)
    menu = _context(win, qtbot, empty)
    _act(menu, "paste_here").trigger()
    (new,) = win.scene.selection
    fr = doc.issue.frame(new)[1]
    assert (fr.col, fr.line) == (6, 60)
    menu = _context(win, qtbot, (empty[0], empty[1] + 20 * g.pitch))
    _act(menu, "new_frame_here").trigger()
    (nf,) = win.scene.selection
    assert doc.issue.frame(nf)[1].kind == "text"
    # text: while typing in a story, its frames give the text menu
    win.view.set_tool("type")
    win.text.start("lead", (1, 0), (1, 2))
    menu = _context(win, qtbot, centre(win, "t1"))
    assert _act(menu, "cut").isEnabled() and _act(menu, "paste_plain")
    sub = next(a.menu() for a in menu.actions() if a.menu() is not None)
    _act(sub, "char:bold").trigger()
    assert doc.issue.stories["lead"].paragraphs[1].runs[0].style == "bold"


def test_pages_and_stories_list_menus(env, qtbot, monkeypatch):
    app, path, _ = env
    win = show(open_window(app, path, qtbot), qtbot)
    doc = win.doc
    from editor import contextmenu as CM

    def menu_for(widget, row_rect_point):
        widget.customContextMenuRequested.emit(row_rect_point)
        return win.context_menu

    pl = win.pages
    pl.redraw()
    menu = menu_for(pl, pl.visualItemRect(pl.item(0)).center())
    _act(menu, "page.insert").trigger()
    assert [p.number for p in doc.issue.pages] == [1, 2]
    _act(CM.pages_menu(win, 1), "page.duplicate").trigger()
    assert len(doc.issue.pages) == 3 and len(doc.issue.pages[1].frames) == len(
        doc.issue.pages[0].frames)
    copied = doc.issue.pages[1]
    assert copied.number == 2 and doc.issue.pages[2].number == 3, "numbers follow the order"
    sids = {getattr(fr, "story", "") for fr in copied.frames} - {""}
    assert sids and "lead" not in sids
    _act(CM.pages_menu(win, 2), "page.move_down").trigger()
    assert doc.issue.pages[2] is copied and copied.number == 3
    _act(CM.pages_menu(win, 3), "page.delete").trigger()
    assert len(doc.issue.pages) == 2 and copied not in doc.issue.pages
    doc.undo.undo()
    assert doc.issue.pages[2] is copied
    # stories list
    sl = win.stories
    sl.refresh()
    item = next(sl.topLevelItem(i) for i in range(sl.topLevelItemCount())
                if sl.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole) == "lead")
    menu = menu_for(sl, sl.visualItemRect(item).center())
    assert sl.current_story() == "lead"
    monkeypatch.setattr("editor.mainwindow.QInputDialog.getText",
                        lambda *a, **k: ("头条", True))
    _act(menu, "story.rename").trigger()
    assert doc.issue.stories["lead"].name == "头条"
    win.story_editor.set_story(None)
    _act(CM.stories_menu(win, "lead"), "story.open").trigger()
    assert win.story_editor.story == "lead" and not win.dock_editor.isHidden()
    _act(CM.stories_menu(win, "lead"), "story.delete").trigger()
    assert "lead" not in doc.issue.stories and doc.issue.frame("h1")[1].story == ""
    doc.undo.undo()
    assert doc.issue.stories["lead"].thread == ["t1"] and doc.issue.frame("h1")[1].story == "lead"
    win.show_page(1)
    win.scene.set_selection(["t2"])
    _act(CM.stories_menu(win, "lead"), "story.place").trigger()
    assert doc.issue.stories["lead"].thread == ["t1", "t2"]


def test_new_edits_round_trip_and_revert(tmp_path):
    iss = make_issue()
    before = copy.deepcopy(iss)
    edits = [E.InsertRuns("lead", (1, 1), [[m.Run("甲", "bold")], [m.Run("乙")]], ["", "subhead"]),
             E.SetStory("lead", name="头条", byline="本报记者 某某"),
             E.RestackFrame("t1", 5), E.SetPage(1, section="要闻二"),
             E.SetColor("blue", [1, 0.5, 0, 0]),
             E.duplicate_page(iss, 1), E.RemoveStory("lead")]
    for e in edits:
        e.apply(iss)
    path = tmp_path / "x.yaml"
    save_issue(iss, path)
    from layout.docfile import load_issue
    assert load_issue(path) == iss
    for e in reversed(edits):
        e.revert(iss)
    assert iss == before
    with pytest.raises(E.EditError):
        E.RemovePage(1).apply(make_issue())


def test_the_process_exits_cleanly_after_a_copy():
    # Qt deletes the clipboard's data after Python has finalized; Python-made data
    # crashed the process there (exit 139) until release() swaps in a plain-text copy
    import subprocess
    import sys
    code = ("import os; os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
            "from PySide6.QtWidgets import QApplication\n"
            "from PySide6.QtCore import QMimeData\n"
            "from editor import clipboard as C\n"
            "app = QApplication([])\n"
            "md = QMimeData(); md.setData(C.TEXT_MIME, b'x'); md.setText('x')\n"
            "C.put(md)\n"
            "print(QApplication.clipboard().text())\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, (out.returncode, out.stderr[-500:])
    assert out.stdout.strip() == "x"
