"""The Styles dock: Chinese display names, new/edit/rename/delete through the UI, applying
styles and direct formatting to a selection, overrides marked; all undoable and saved."""
from __future__ import annotations

import copy

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QPointF, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from layout import model as m  # noqa: E402
from layout.docfile import dump_issue, load_issue, parse_issue, save_issue  # noqa: E402
from tests import test_editor as TE  # noqa: E402
from tests.test_editor import make_issue, open_window  # noqa: E402
from tests.test_editor_clipboard import CTRL, SHIFT, keys, show  # noqa: E402

env = TE.env                      # the editor fixture of test_editor


def items(lst):
    return {lst.item(i).data(Qt.ItemDataRole.UserRole): lst.item(i).text()
            for i in range(lst.count())}


def click_item(lst, name, double=False):
    for i in range(lst.count()):
        if lst.item(i).data(Qt.ItemDataRole.UserRole) == name:
            rect = lst.visualItemRect(lst.item(i))
            QTest.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            if double:      # Qt's item views want the first click before the double click
                QTest.mouseDClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            return
    raise AssertionError(name)


def fill(**fields):
    """A stand-in for the user: set the dialog's fields, then press OK."""
    def run(dlg):
        for k, v in fields.items():
            w = getattr(dlg, k)
            if hasattr(w, "setValue"):
                w.setValue(v)
            elif hasattr(w, "setChecked"):
                w.setChecked(v)
            elif hasattr(w, "findData") and w.findData(v) >= 0:
                w.setCurrentIndex(w.findData(v))
            elif hasattr(w, "setCurrentText"):
                w.setCurrentText(v)
            else:
                w.setText(v)
        dlg._accept()
        return dlg.result() == dlg.DialogCode.Accepted
    return run


def test_sample_and_template_styles_have_chinese_labels():
    from editor.app import TEMPLATES
    from support.paths import SAMPLE
    for path in (SAMPLE, TEMPLATES / "duikai.yaml", TEMPLATES / "sikai.yaml"):
        iss = load_issue(path)
        for table in ("paragraph_styles", "char_styles"):
            for name, st in getattr(iss, table).items():
                assert st.label and not st.label.isascii(), f"{path.name}: {name}"


def test_panel_shows_labels_and_edits_styles_through_undo(env, qtbot, tmp_path):
    app, path, _ = env
    win = show(open_window(app, path, qtbot), qtbot)
    doc, panel = win.doc, win.styles_panel
    win.dock_styles.raise_()                      # the user picks the Styles tab
    original = copy.deepcopy(doc.issue)
    shown = items(panel.para_list)
    assert shown["body"] == "正文" and shown["subhead"] == "小标题"
    assert panel.para_list.item(0).toolTip() == "body"
    # new style from the chosen one
    click_item(panel.para_list, "body")
    panel.run_dialog = fill(key="quote", label="引文", size="五号", indent=0.0, leading=1.5,
                            align="center", color="red", font="byline")
    QTest.mouseClick(panel.new_btn, Qt.MouseButton.LeftButton)
    q = doc.issue.paragraph_styles["quote"]
    assert (q.label, q.size, q.indent, q.leading, q.align, q.color, q.font) == \
        ("引文", "五号", 0.0, 1.5, "center", "red", "byline")
    assert items(panel.para_list)["quote"] == "引文"
    # a bad size is refused in the dialog
    panel.run_dialog = fill(key="bad", size="大大号")
    assert panel.new_style("paragraph_styles") is None
    assert "bad" not in doc.issue.paragraph_styles
    # edit: size in pt
    click_item(panel.para_list, "quote")
    panel.run_dialog = fill(size="10pt")
    QTest.mouseClick(panel.edit_btn, Qt.MouseButton.LeftButton)
    assert doc.issue.paragraph_styles["quote"].size == "10pt"
    # use it, then rename it: the uses follow
    doc.issue.stories["lead"].paragraphs[1].style = "quote"
    doc.issue.pages[0].frames[0].title_style = "quote"
    panel.ask_text = lambda *a: "yinwen"
    QTest.mouseClick(panel.rename_btn, Qt.MouseButton.LeftButton)
    assert "quote" not in doc.issue.paragraph_styles
    assert doc.issue.stories["lead"].paragraphs[1].style == "yinwen"
    assert doc.issue.frame("h1")[1].title_style == "yinwen"
    # a built-in style gets a new display name, keeping its key
    click_item(panel.para_list, "lead")
    panel.ask_text = lambda *a: "导语（首段）"
    panel.rename_style()
    assert doc.issue.paragraph_styles["lead"].label == "导语（首段）"
    # save and load: equal
    p = tmp_path / "saved.yaml"
    save_issue(doc.issue, p)
    assert load_issue(p) == doc.issue
    # delete in use: asks for the replacement
    asked = []
    panel.ask_choice = lambda title, label, choices: asked.append((label, choices)) or "body"
    click_item(panel.para_list, "yinwen")
    QTest.mouseClick(panel.delete_btn, Qt.MouseButton.LeftButton)
    assert asked and "2" in asked[0][0] and ("正文", "body") in asked[0][1]
    assert "yinwen" not in doc.issue.paragraph_styles
    assert doc.issue.stories["lead"].paragraphs[1].style == "body"
    assert doc.issue.frame("h1")[1].title_style == "body"
    # built-ins are not deleted
    click_item(panel.para_list, "body")
    assert not panel.delete_style()
    assert "内置" in win.statusBar().currentMessage()
    names = [doc.undo.text(i) for i in range(doc.undo.count())]
    assert all(n and not n.isascii() for n in names), names
    while doc.undo.canUndo():
        doc.undo.undo()
    doc.issue.stories["lead"].paragraphs[1].style = "body"
    doc.issue.pages[0].frames[0].title_style = "title"
    assert doc.issue == original


def test_char_styles_and_direct_formatting_on_a_selection(env, qtbot):
    app, path, _ = env
    win = show(open_window(app, path, qtbot), qtbot)
    doc, view, panel = win.doc, win.view, win.styles_panel
    win.dock_styles.raise_()                      # the user picks the Styles tab
    qtbot.waitExposed(panel.char_list)
    assert items(panel.char_list)["bold"] == "粗体"
    view.set_tool("type")
    win.text.start("lead", (1, 0))
    assert not panel.bold_btn.isEnabled()
    keys(view, Qt.Key.Key_Right, SHIFT)
    keys(view, Qt.Key.Key_Right, SHIFT)
    assert panel.bold_btn.isEnabled() and win.control.char.isEnabled()
    panel.tabs.setCurrentIndex(1)
    click_item(panel.char_list, "dateline", double=True)
    runs = doc.issue.stories["lead"].paragraphs[1].runs
    assert (runs[0].text, runs[0].style) == ("第二", "dateline")
    assert items(panel.para_list)["body"] == "正文+", "the paragraph's overrides are marked"
    assert "电头" in panel.current.text()
    # direct formatting: size and colour make a local style, reused the second time
    panel.size_box.setCurrentIndex(panel.size_box.findData("四号"))
    panel.size_box.activated.emit(panel.size_box.currentIndex())
    runs = doc.issue.stories["lead"].paragraphs[1].runs
    local = runs[0].style
    cs = doc.issue.char_styles[local]
    assert (cs.font, cs.size) == ("headline", "四号") and cs.label.startswith("局部")
    assert win.text.selection() == ((1, 0), (1, 2)), "the selection stays"
    win.text.start("lead", (0, 0), (0, 2))
    panel.format(bold=True)
    panel.format(size="四号")
    assert doc.issue.stories["lead"].paragraphs[0].runs[0].style == local
    # bold on plain text, then off again
    win.text.start("lead", (1, 2), (1, 3))
    QTest.mouseClick(panel.bold_btn, Qt.MouseButton.LeftButton)
    r = [x for x in doc.issue.stories["lead"].paragraphs[1].runs if x.text == "段"][0]
    assert doc.issue.char_styles[r.style].font == "headline"
    panel.format(bold=False)
    r = [x for x in doc.issue.stories["lead"].paragraphs[1].runs if "段" in x.text][0]
    assert r.style == ""
    # keys: Ctrl+Shift+B toggles bold; Ctrl+Shift+> / < step the 号
    win.text.start("lead", (1, 3), (1, 4))
    keys(view, Qt.Key.Key_B, CTRL | SHIFT)
    run = [x for x in doc.issue.stories["lead"].paragraphs[1].runs if x.text == "。"][0]
    assert doc.issue.char_styles[run.style].font == "headline"
    keys(view, Qt.Key.Key_B, CTRL | SHIFT)
    run = [x for x in doc.issue.stories["lead"].paragraphs[1].runs if "。" in x.text][0]
    assert run.style == ""
    keys(view, Qt.Key.Key_Greater, CTRL | SHIFT)
    run = [x for x in doc.issue.stories["lead"].paragraphs[1].runs if "。" in x.text][0]
    assert doc.issue.char_styles[run.style].size == "五号", "小五 → 五号"
    keys(view, Qt.Key.Key_Less, CTRL | SHIFT)
    keys(view, Qt.Key.Key_Less, CTRL | SHIFT)
    run = [x for x in doc.issue.stories["lead"].paragraphs[1].runs if "。" in x.text][0]
    assert doc.issue.char_styles[run.style].size == "六号", "五号 → 小五 → 六号"
    assert win.acts["fmt.bold_toggle"].text() == "粗体"
    # clear overrides
    win.text.start("lead", (1, 0), (1, 4))
    QTest.mouseClick(panel.clear_btn, Qt.MouseButton.LeftButton)
    assert [x.style for x in doc.issue.stories["lead"].paragraphs[1].runs] == [""]
    assert items(panel.para_list)["body"] == "正文"
    # the local styles are saved and loaded
    again = parse_issue(dump_issue(doc.issue))
    assert again.char_styles == doc.issue.char_styles


def test_character_style_dialog_and_delete_with_replacement(env, qtbot):
    app, path, _ = env
    iss = make_issue()
    iss.stories["lead"].paragraphs[1].runs = [m.Run("第二", "bold"), m.Run("段。")]
    save_issue(iss, path)
    win = show(open_window(app, path, qtbot), qtbot)
    doc, panel = win.doc, win.styles_panel
    win.dock_styles.raise_()                      # the user picks the Styles tab
    panel.tabs.setCurrentIndex(1)
    panel.run_dialog = fill(key="stress", label="着重", color="red")
    QTest.mouseClick(panel.new_btn, Qt.MouseButton.LeftButton)
    cs = doc.issue.char_styles["stress"]
    assert (cs.label, cs.color, cs.font, cs.size) == ("着重", "red", "", "")
    click_item(panel.char_list, "bold")
    panel.ask_choice = lambda title, label, choices: "stress"
    QTest.mouseClick(panel.delete_btn, Qt.MouseButton.LeftButton)
    assert "bold" not in doc.issue.char_styles
    assert doc.issue.stories["lead"].paragraphs[1].runs[0].style == "stress"
    doc.undo.undo()
    assert doc.issue.stories["lead"].paragraphs[1].runs[0].style == "bold"
    assert list(doc.issue.char_styles)[:1] == ["bold"], "undo puts it back in its place"


def test_english_ui_shows_style_keys_and_no_chinese(env, qtbot):
    import re

    from editor.i18n import set_language
    app, path, _ = env
    set_language("en")
    win = show(open_window(app, path, qtbot), qtbot)
    panel = win.styles_panel
    win.dock_styles.raise_()
    assert items(panel.para_list)["body"] == "body"
    assert panel.para_list.item(0).toolTip() == "正文", "the label is still there, as a tip"
    allowed = re.compile("[号栏版]")
    texts = [panel.current.text()] + [w.text() for w in (panel.new_btn, panel.edit_btn,
                                                         panel.rename_btn, panel.delete_btn,
                                                         panel.bold_btn, panel.clear_btn)]
    texts += [panel.tabs.tabText(i) for i in range(panel.tabs.count())]
    texts += [win.find_panel.find_btn.text(), win.find_panel.whole.text(),
              win.find_panel.width.text(), win.dock_find.windowTitle(),
              win.dock_styles.windowTitle()]
    for menu in (win.menuBar().actions()[1].menu(), ):
        texts += [a.text() for a in menu.actions()]
    from editor import contextmenu as CM
    for menu in (CM.frame_menu(win, "t1"), CM.page_menu(win, QPointF(0, 0)),
                 CM.pages_menu(win, 1), CM.stories_menu(win, "lead")):
        texts += [a.text() for a in menu.actions()]
    bad = [t for t in texts if re.search("[\u3400-\u9fff]", allowed.sub("", t))]
    assert not bad, bad
    assert win.control.para.itemText(0) == "body"
