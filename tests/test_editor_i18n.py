"""No English in the Chinese UI, no Chinese in the English one (except 号, 栏, 版).

The test opens the editor on an issue whose own text (story names, ids, file
names) is the newspaper's data, not UI, and walks what a user can see: every
menu and action, the tool strip, dock titles and their widgets, the status bar,
the undo names, the export dialog, a message box, the recovery question, the
import report and Qt's own file dialog (its buttons come from Qt's translations).
"""
from __future__ import annotations

import re

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import (QAbstractButton, QAbstractSpinBox, QApplication,  # noqa: E402
                               QComboBox, QDialog, QDockWidget, QFileDialog, QGroupBox, QLabel,
                               QLineEdit, QMenu, QMessageBox, QSpinBox, QTabBar, QToolBar,
                               QTreeWidget, QWidget, QListWidget)

from layout import edits as E  # noqa: E402
from layout import model as m  # noqa: E402
from layout.docfile import save_issue  # noqa: E402
from support.fakefont import SquareFontSet  # noqa: E402

#: proper names and units allowed in the Chinese UI
ALLOWED = {"InDesign", "Shift", "Esc", "Ctrl", "Alt", "PDF", "CMYK", "RGB", "ppi", "YAML", "yaml", "yml", "txt", "docx", "jpg", "jpeg",
           "png", "tif", "tiff", "pdf"}
#: the newspaper's own terms allowed in the English UI
ALLOWED_HAN = set("号栏版")
#: the imported file (its text, excerpts of it, are the newspaper's own)
SOURCE = "标题\n\n正文 一段 ,有 半角标点 。\n"


def make_issue():
    from editor.app import TEMPLATES
    from layout.docfile import load_issue
    iss = load_issue(TEMPLATES / "duikai.yaml")
    iss.stories["s1"] = m.Story("s1", name="头条", headline=m.Headline("引题", "主题", "副题"),
                                paragraphs=[m.Paragraph("body", [m.Run("正文" * 300)])],
                                thread=["t1"])
    iss.stories["s2"] = m.Story("s2", name="来稿",
                                paragraphs=[m.Paragraph("body", [m.Run("未排的稿件。")])])
    iss.pages[0].frames += [m.HeadlineFrame("h1", col=0, line=0, cols=4, lines=8, story="s1"),
                            m.TextFrame("t1", col=0, line=10, cols=1, lines=5),
                            m.PhotoFrame("ph", col=5, line=0, cols=3, lines=20, caption="说明"),
                            m.BoxFrame("bx", col=0, line=40, cols=2, lines=10)]
    return iss


def texts_of(widget: QWidget) -> list[str]:
    """The UI strings a widget and its children show."""
    out = [widget.windowTitle()]
    for w in [widget] + widget.findChildren(QWidget):
        if not w.isVisibleTo(widget) and w is not widget and not isinstance(w, QMenu):
            continue
        if isinstance(w, QLabel):
            out.append(w.text())
        elif isinstance(w, QAbstractButton):
            out += [w.text(), w.toolTip()]
        elif isinstance(w, QGroupBox):
            out.append(w.title())
        elif isinstance(w, QComboBox):
            out += [w.itemText(i) for i in range(w.count())]
        elif isinstance(w, QLineEdit):
            out.append(w.placeholderText())
        elif isinstance(w, QSpinBox):
            out += [w.prefix(), w.suffix(), w.specialValueText()]
        elif isinstance(w, QAbstractSpinBox):
            out.append(w.specialValueText())
        elif isinstance(w, QTreeWidget):
            h = w.headerItem()
            out += [h.text(c) for c in range(h.columnCount())]
            for i in range(w.topLevelItemCount()):
                it = w.topLevelItem(i)
                out += [it.text(c) for c in range(w.columnCount())]
        elif isinstance(w, QListWidget):
            out += [w.item(i).text() for i in range(w.count())]
        elif isinstance(w, QTabBar):
            out += [w.tabText(i) for i in range(w.count())]
        elif isinstance(w, QDockWidget):
            out.append(w.windowTitle())
        elif isinstance(w, (QMenu, QToolBar)):
            out.append(w.title() if isinstance(w, QMenu) else w.windowTitle())
            for a in w.actions():
                out += [a.text(), a.toolTip()]
                if a.menu() is not None:
                    out += texts_of(a.menu())
        if isinstance(w, QWidget) and w.toolTip() and not isinstance(w, QAbstractButton):
            out.append(w.toolTip())
    return [t for t in out if t]


def data_words(issue, extra=()) -> list[str]:
    """The newspaper's own strings: they may be in any script."""
    words = set(extra)
    for sid, st in issue.stories.items():
        words |= {sid, st.name, st.headline.kicker, st.headline.title, st.headline.subtitle}
        words |= {p.text[:60] for p in st.paragraphs}
    for _, fr in issue.frames():
        words |= {fr.id, getattr(fr, "caption", ""), getattr(fr, "credit", "")}
    words |= set(issue.colors)               # swatch names are the paper's own
    words |= {"square"}                      # the test font's name
    return sorted((w for w in words if w), key=len, reverse=True)


def english_in(texts, data) -> list[str]:
    bad = []
    for t in texts:
        s = re.sub(r"\{[a-z_]+\}", " ", t)     # field codes the user types: {page} {date}
        for w in data:
            s = s.replace(w, " ")
        s = s.replace("&", "")
        for word in re.findall(r"[A-Za-z]{3,}", s):
            if word not in ALLOWED:
                bad.append(f"{word!r} in {t!r}")
    return bad


def chinese_in(texts, data) -> list[str]:
    bad = []
    for t in texts:
        s = re.sub(r"\d字", " ", t)             # 字 as a length unit ("1字"), like 栏
        for w in data:
            s = s.replace(w, " ")
        for ch in s:
            if "\u3400" <= ch <= "\u9fff" and ch not in ALLOWED_HAN:
                bad.append(f"{ch!r} in {t!r}")
                break
    return bad


@pytest.fixture
def editor(tmp_path, qtbot, monkeypatch):
    monkeypatch.setenv("BANMIAN_CACHE_DIR", str(tmp_path / "cache"))
    from editor.i18n import set_language
    opened = []

    def start(lang):
        set_language(lang)
        from editor.app import EditorApp
        app = EditorApp(lambda issue: SquareFontSet(), ask_recover=lambda *a: False,
                        ask_save=lambda w: "discard",
                        settings=QSettings(str(tmp_path / f"{lang}.ini"),
                                           QSettings.Format.IniFormat))
        path = tmp_path / f"issue-{lang}.yaml"
        save_issue(make_issue(), path)
        win = app.open(str(path))
        win.view.resize(1000, 800)
        opened.append(app)
        return app, win
    yield start
    for app in opened:
        for w in list(app.windows):
            w.close()
    set_language(None)
    from editor.app import install_qt_translations
    install_qt_translations()


def walk(win, qtbot, tmp_path) -> list[str]:
    """Open what a user opens; every string seen."""
    seen = texts_of(win)
    for dock in win.findChildren(QDockWidget):
        dock.show()
        seen.append(dock.windowTitle())
        seen += texts_of(dock)
    # every kind of frame selected: the properties dock and the control bar change
    for sel in (["t1"], ["h1"], ["ph"], ["bx"], ["t1", "ph"]):
        win.scene.set_selection(sel)
        seen += texts_of(win.props) + texts_of(win.control)
    # the tools' status messages and the tip while dragging
    for name in win.view.tools:
        win.view.set_tool(name) if name != "place" else win.view.set_tool(name, story="s2")
        seen.append(win.statusBar().currentMessage())
    win.view.set_tool("select")
    # undo names: one edit of each common kind
    doc = win.doc
    for edit, label in ((E.SetFrame("t1", line=11), "move"), (E.SetFrame("t1", lines=6), "resize"),
                        (E.SetFrame("t1", locked=True), "frame options")):
        doc.push(edit, label)
        seen += [win.acts["undo"].text(), doc.undo.undoText()]
    win.view.nudge(0, 1)
    seen.append(win.acts["undo"].text())
    win.preflight.run_checks()
    qtbot.waitUntil(win.preflight.up_to_date, timeout=20000)
    seen += texts_of(win.preflight)
    for i in range(win.preflight.topLevelItemCount()):
        seen.append(win.preflight.topLevelItem(i).toolTip(2))
    # the export dialog
    from editor.exportdialog import ExportDialog
    dlg = ExportDialog(win.doc, "print", win)
    dlg.pages.setText("x")
    dlg.accept()
    seen += texts_of(dlg)
    dlg.reject()
    # the refusal text
    from editor.exporting import findings_text
    seen.append(findings_text(win.preflight.diagnostics()))
    # message boxes (the translated questions, and Qt's own standard buttons)
    from editor.app import ask_save_dialog
    boxes = []

    def grab_box():
        box = QApplication.activeModalWidget()
        if isinstance(box, (QMessageBox, QDialog)):
            boxes.append(texts_of(box))
            box.reject()
    QTimer.singleShot(50, grab_box)
    ask_save_dialog(win)
    QTimer.singleShot(50, grab_box)
    QMessageBox.warning(win, "", "", QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
    # Qt's own file dialog
    fd = QFileDialog(win, "", str(tmp_path))
    fd.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    fd.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    fd.show()
    boxes.append(texts_of(fd))
    fd.reject()
    # the recovery question
    from editor.autosave import describe_recovery
    doc.path and win.autosaver.save_now()
    seen.append(describe_recovery(win.autosaver.path, doc.path))
    # the import report
    from editor.importing import ImportDialog
    from importer import import_file
    src = tmp_path / "in.txt"
    src.write_text(SOURCE, "utf-8")
    try:
        result = import_file(str(src))
    except Exception:                      # the importer's API differs: skip the dialog only
        result = None
    if result is not None:
        idlg = ImportDialog(result, win)
        tree = idlg.tree
        rows = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
        assert rows
        # the kind of each repair and the headers; before/after are the file's own text; the
        # evidence is the UI's language under Chinese (it quotes the file's text in English)
        seen += [it.text(0) for it in rows]
        from editor.i18n import language
        if language() == "zh":
            seen += [it.text(4) for it in rows]
        seen += [tree.headerItem().text(c) for c in range(tree.columnCount())]
        tree.clear()
        seen += [t for t in texts_of(idlg)]
        idlg.reject()
    for b in boxes:
        seen += b
    return seen


def test_no_english_in_the_chinese_ui(editor, qtbot, tmp_path):
    app, win = editor("zh")
    seen = walk(win, qtbot, tmp_path)
    assert any("撤销 微移" in t for t in seen)
    assert any(t in ("打开(&O)", "打开") for t in seen), "Qt's file dialog is not translated"
    bad = english_in(seen, data_words(win.doc.issue, [win.doc.name, str(win.doc.path),
                                                      str(tmp_path)]))
    assert not bad, "\n".join(sorted(set(bad)))


def test_no_chinese_in_the_english_ui(editor, qtbot, tmp_path):
    app, win = editor("en")
    seen = walk(win, qtbot, tmp_path)
    from layout.units import DEFAULT_HAO               # 号 sizes: the newspaper's own terms
    bad = chinese_in(seen, data_words(win.doc.issue, [win.doc.name, "校样", "标题",
                                                      *DEFAULT_HAO]))
    assert not bad, "\n".join(sorted(set(bad)))


def edit_labels() -> set[str]:
    """Every undo label the code gives: ``push(edit, "…")``, ``Batch([...], "…")`` and the
    ``label`` of each edit class (editor and layout.edits)."""
    import ast
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent
    out = set()
    for f in [*sorted((root / "editor").glob("*.py")), root / "layout" / "edits.py"]:
        for node in ast.walk(ast.parse(f.read_text("utf-8"))):
            if isinstance(node, ast.Call):
                fn = node.func.attr if isinstance(node.func, ast.Attribute) else \
                    getattr(node.func, "id", "")
                args = [a for a in node.args[1:2]] + [k.value for k in node.keywords
                                                      if k.arg in ("label", "text")]
                if fn in ("push", "Batch"):
                    out |= {a.value for a in args if isinstance(a, ast.Constant)
                            and isinstance(a.value, str)}
            elif isinstance(node, ast.ClassDef):
                for b in node.body:
                    if isinstance(b, ast.Assign) and isinstance(b.value, ast.Constant) and \
                            any(getattr(t, "id", "") == "label" for t in b.targets):
                        out.add(b.value.value)
    return out


def test_every_undo_name_has_its_chinese(editor, qtbot):
    """Undo names are all Chinese: each label the code uses has a translation, and one
    that slips through still shows 编辑, never English."""
    from editor.i18n import STRINGS, undo_label
    labels = edit_labels()
    assert {"move", "resize", "paste", "group", "insert page"} <= labels
    missing = sorted(lbl for lbl in labels if "undo." + lbl not in STRINGS)
    assert not missing, missing
    app, win = editor("zh")
    assert all(not re.search("[A-Za-z]", undo_label(lbl)) for lbl in labels)
    assert undo_label("some new edit") == "编辑"
    # driven: Object → add page, then Edit → Undo names it in Chinese
    win.acts["add_page"].trigger()
    assert win.acts["undo"].text() == "撤销 新增版面"


def test_qt_file_dialog_rows_are_chinese(editor, qtbot, tmp_path):
    """Qt's own file dialog, as File → Open shows it: buttons and the type of a folder."""
    app, win = editor("zh")
    (tmp_path / "稿件").mkdir()
    fd = QFileDialog(win, "", str(tmp_path))
    fd.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    fd.show()
    from PySide6.QtWidgets import QFileSystemModel
    model = fd.findChild(QFileSystemModel)
    root = model.index(str(tmp_path))
    qtbot.waitUntil(lambda: model.rowCount(root) > 0, timeout=5000)
    folder = model.index(str(tmp_path / "稿件"))
    assert model.type(folder) == "文件夹"
    assert not english_in(texts_of(fd), [str(tmp_path)])
    fd.reject()


def test_preflight_names_hidden_and_overlapping_frames_in_chinese(editor, qtbot):
    """Text under a photo and two overlapping text frames: the 检查 dock says so in Chinese
    (not the generic 发现问题), and a click on the entry selects the frame."""
    app, win = editor("zh")
    doc = win.doc
    edits = [E.AddStory(m.Story("s9", name="压图", paragraphs=[
        m.Paragraph("body", [m.Run("被图片盖住的文字。" * 20)])])),
        E.AddFrame(1, m.TextFrame("t9", col=5, line=30, cols=2, lines=10)),
        E.SetThread("s9", ["t9"]),
        E.AddFrame(1, m.PhotoFrame("ph9", col=5, line=32, cols=2, lines=6,
                                   wrap=m.Wrap(mode="none"))),      # the text does not flow round
        E.AddStory(m.Story("s8", name="重叠", paragraphs=[
            m.Paragraph("body", [m.Run("和头条重叠的文字。" * 10)])])),
        E.AddFrame(1, m.TextFrame("t8", col=0, line=11, cols=1, lines=5)),
        E.SetThread("s8", ["t8"])]
    assert doc.push(E.Batch(edits, "add frame"))
    win.dock_acts["dock.preflight"].trigger()
    qtbot.waitUntil(win.preflight.up_to_date, timeout=20000)
    pf = win.preflight
    rows = {pf.topLevelItem(i).text(2): pf.topLevelItem(i) for i in range(pf.topLevelItemCount())}
    codes = {d.code for d in pf.diagnostics()}
    assert "text-hidden" in codes
    hidden = next(t for t in rows if "盖住" in t and "t9" in t)
    assert "ph9" in hidden
    assert any("盖住" in t and "t1" in t and "t8" in t for t in rows)     # text over text
    assert not any("发现问题" in t for t in rows)
    assert not english_in(list(rows), data_words(doc.issue))
    win.scene.set_selection([])
    pf.itemClicked.emit(rows[hidden], 0)
    assert win.scene.selection == ["t9"]


def test_every_finding_has_its_chinese():
    """Each diagnostic the layout and the output checks write has a Chinese sentence."""
    from editor.i18n import diag_text, set_language
    from layout.result import Diagnostic
    samples = {
        "text-hidden": "page 1: text of text frame 't9' is hidden under photo frame 'ph' "
                       "(it does not wrap text)",
        "frame-overlap": "page 1: text frames 't1' and 't8' overlap",
        "table-fit": "table frame 'tb' needs 12 lines, it has 10",
        "uneven-feet": "frame 't1' (story 'lead'): columns end unevenly (30, 28 lines deep, "
                       "缺 2 行): no re-break within the spacing limits evens them",
        "dictionary": "words.txt: cannot read the paper's dictionary: no such file",
        "traditional-with-sc-font": "story 'hk' paragraph 1: Traditional characters (這、個 …) "
                                    "set in the Simplified font 'Noto Serif CJK SC' (mainland "
                                    "forms, marks low left); set the story's language to "
                                    "zh-Hant-TW or zh-Hant-HK, or use a TC font",
        "marks-not-centred": "story 'hk' paragraph 1: '，' is set low left by 'Noto Serif CJK SC',"
                             " which has no centred form, though the paper centres them; use "
                             "Noto Serif/Sans CJK TC or HK for this text",
        "quotes-hant": "story 'hk' headline: “” in zh-Hant-HK text; Taiwan and Hong Kong quote "
                       "with 「」 and 『』",
    }
    set_language("zh")
    try:
        for code, msg in samples.items():
            d = Diagnostic("warning", code, msg)
            zh = diag_text(d)
            assert "发现问题" not in zh, code
            bad = english_in([zh], ["words.txt", "Noto Serif CJK SC", "hk", "lead", "t1",
                                    "t8", "t9", "ph", "tb"])
            assert not bad, (code, zh)
        assert "12" in diag_text(Diagnostic("warning", "table-fit", samples["table-fit"]))
    finally:
        set_language(None)
