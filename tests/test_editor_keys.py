"""The keys of editor-conventions.md are the ones the menus show and the ones that work.

Every action of the window takes its keys from ``editor.keymap``; no key is
claimed by two actions (Qt would then run neither); the conventions' table holds
(Ctrl+D places, duplicate keeps InDesign's Ctrl+Alt+Shift+D beside Alt-drag,
Ctrl+Alt+0 fits the spread, F12/F7/F11 pages/layers/styles); and pressing the
keys on the window does what the menu says.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtGui import QAction, QKeySequence  # noqa: E402
from PySide6.QtWidgets import QApplication, QInputDialog, QMenu, QPushButton  # noqa: E402

from layout import model as m  # noqa: E402
from layout.docfile import save_issue  # noqa: E402
from tests import test_editor as TE  # noqa: E402
from tests.test_editor import make_issue, open_window  # noqa: E402
from tests.test_editor_clipboard import ALT, CTRL, SHIFT, keys, show  # noqa: E402

env = TE.env

#: the conventions' shortcuts (section 2) → the action key in ``win.acts`` / the tool
CONVENTIONS = {
    "V": "tool:select", "A": "tool:direct", "T": "tool:type", "F": "tool:frame-text",
    "H": "tool:hand", "Z": "tool:zoom", "N": "tool:thread", "W": "preview",
    "Ctrl+D": "place", "Ctrl+0": "fit_page", "Ctrl+Alt+0": "fit_spread", "Ctrl+1": "actual",
    "Ctrl+=": "zoom_in", "Ctrl+-": "zoom_out", "Ctrl+;": "margins", "Ctrl+'": "grid",
    "Ctrl+Shift+;": "snap_guides", "Ctrl+Shift+>": "fmt.bigger", "Ctrl+Shift+<": "fmt.smaller",
    "Ctrl+Z": "undo", "Ctrl+Shift+Z": "redo", "Ctrl+Shift+S": "save_as", "Ctrl+G": "group",
    "Ctrl+Shift+G": "ungroup", "Ctrl+Y": "dock:story_editor", "F12": "dock:pages",
    "F7": "dock:layers", "F11": "dock:styles", "Ctrl+B": "show_properties",
    "Ctrl+J": "go_to_page", "Ctrl+L": "lock", "Ctrl+Alt+Shift+D": "duplicate",
}


def action_for(win, name: str) -> QAction:
    kind, _, key = name.partition(":")
    if kind == "tool":
        return win.tool_acts[key]
    if kind == "dock":
        return win.dock_acts["dock." + key]
    return win.acts[name]


def window_actions(win) -> list[QAction]:
    """Every action reachable from the window: menus (with sub-menus), tools, docks."""
    seen, out = set(), []

    def add(a):
        if id(a) not in seen:
            seen.add(id(a))
            out.append(a)
            if a.menu() is not None:
                for b in a.menu().actions():
                    add(b)
    for a in win.menuBar().actions():
        add(a)
    for a in list(win.tool_acts.values()) + win.findChildren(QAction):
        add(a)
    return out


@pytest.mark.parametrize("preset", ["indesign", "feitian"])
def test_the_conventions_keys_are_the_menus_keys_and_no_key_is_taken_twice(env, qtbot, preset):
    app, path, _ = env
    app.preset = preset
    win = open_window(app, path, qtbot)
    table = dict(CONVENTIONS)
    if preset == "feitian":                   # 飞腾/Windows: Ctrl+Y redoes, no story editor key
        table["Ctrl+Y"] = "redo"
    for key, name in table.items():
        act = action_for(win, name)
        assert QKeySequence(key) in act.shortcuts(), (key, name, act.shortcuts())
    # the menu shows the first of them: Place is Ctrl+D, Duplicate InDesign's own
    assert win.acts["place"].shortcut() == QKeySequence("Ctrl+D")
    assert win.acts["duplicate"].shortcut() == QKeySequence("Ctrl+Alt+Shift+D")
    assert win.acts["fit_spread"].shortcut() == QKeySequence("Ctrl+Alt+0")
    owners: dict[str, str] = {}
    clashes = []
    for a in window_actions(win):
        for seq in a.shortcuts():
            s = seq.toString()
            if s in owners and owners[s] != a.text():
                clashes.append(f"{s}: {owners[s]} / {a.text()}")
            owners[s] = a.text()
    assert not clashes, clashes
    # every menu entry with a key is in a menu the user can open
    menus = [a.menu() for a in win.menuBar().actions() if isinstance(a.menu(), QMenu)]
    shown = {a.text() for mnu in menus for a in mnu.actions()}
    for name in ("place", "duplicate", "fit_spread", "go_to_page", "show_properties"):
        assert win.acts[name].text() in shown, name


def test_pressing_the_keys_does_what_the_menu_says(env, qtbot):
    app, path, _ = env
    iss = make_issue()
    iss.pages.append(m.Page(2))
    iss.pages.append(m.Page(3, frames=[m.TextFrame("p3", col=0, line=0, cols=2, lines=30)]))
    save_issue(iss, path)
    win = show(open_window(app, path, qtbot), qtbot)
    # F11: the styles dock comes forward; F7: the layers; F12 hides and shows the pages
    keys(win, Qt.Key.Key_F11)
    assert win.dock_styles.isVisible() and not win.dock_styles.visibleRegion().isEmpty()
    keys(win, Qt.Key.Key_F7)
    assert win.dock_layers.isVisible() and not win.dock_layers.visibleRegion().isEmpty()
    was = win.dock_pages.isVisible()
    keys(win, Qt.Key.Key_F12)
    assert win.dock_pages.isVisible() != was
    # Ctrl+J: go to page 3 (the dialog answered as a user would)
    def answer():
        dlg = QApplication.activeModalWidget()
        assert isinstance(dlg, QInputDialog)
        # Qt's own buttons and the question are Chinese (Qt's translations are loaded)
        texts = [b.text() for b in dlg.findChildren(QPushButton)] + [dlg.labelText()]
        assert texts and not any(re.search("[A-Za-z]{2,}", t) for t in texts), texts
        dlg.setIntValue(3)
        dlg.accept()
    QTimer.singleShot(100, answer)
    keys(win, Qt.Key.Key_J, CTRL)
    assert win.scene.page_number == 3
    show(win, qtbot)                          # offscreen Qt gives the focus back to no one
    # Ctrl+Alt+0: the spread fitted, spread view on (pages 2 and 3 both in view)
    win.view.actual_size()
    keys(win, Qt.Key.Key_0, CTRL | ALT)
    assert win.scene.spread and win.acts["spread"].isChecked()
    vis = win.view.mapToScene(win.view.viewport().rect()).boundingRect()
    assert vis.contains(win.scene.spread_rect().adjusted(2, 2, -2, -2))
    win.acts["spread"].trigger()
    # Ctrl+Alt+Shift+D duplicates the selected frame (one undo step); Ctrl+D does not
    win.scene.set_selection(["p3"])
    win.view.setFocus()
    n = len(win.doc.page(3).frames)
    keys(win, Qt.Key.Key_D, CTRL | ALT | SHIFT)
    assert len(win.doc.page(3).frames) == n + 1
    assert win.doc.undo.undoText().endswith("复制对象")
    # Ctrl+Shift+; (the keyboard sends Ctrl+Shift+:): snapping to guides goes off and on
    on = win.acts["snap_guides"].isChecked()
    keys(win, Qt.Key.Key_Colon, CTRL | SHIFT)
    assert win.acts["snap_guides"].isChecked() != on and win.view.snapping != on
    # Ctrl+B: the frame's options (the properties dock) come forward
    win.dock_props.hide()
    keys(win, Qt.Key.Key_B, CTRL)
    assert win.dock_props.isVisible()


def test_the_keymap_preset_is_chosen_in_the_window_menu(env, qtbot):
    """Window → 快捷键方案 → 飞腾: Ctrl+Y redoes (no story editor key), in every open window
    and in the next one; back to InDesign: Ctrl+Y opens the story editor again."""
    app, path, _ = env
    win = show(open_window(app, path, qtbot), qtbot)
    menu = next(a.menu() for a in win.window_menu.actions()
                if a.menu() is not None and a.text() == "快捷键方案")
    feitian = next(a for a in menu.actions() if a.text().startswith("飞腾"))
    feitian.trigger()
    assert QKeySequence("Ctrl+Y") in win.acts["redo"].shortcuts()
    assert not win.dock_acts["dock.story_editor"].shortcuts()
    assert app.settings.value("keymap") == "feitian"
    other = Path(path).with_name("other.yaml")
    save_issue(make_issue(), other)
    win2 = app.open(str(other))
    assert QKeySequence("Ctrl+Y") in win2.acts["redo"].shortcuts()
    win2.close()
    win = show(win, qtbot)
    # pressing it redoes
    win.scene.set_selection(["t2"])
    win.view.nudge(1, 0)
    col = win.doc.issue.frame("t2")[1].col
    keys(win, Qt.Key.Key_Z, CTRL)
    keys(win, Qt.Key.Key_Y, CTRL)
    assert win.doc.issue.frame("t2")[1].col == col
    # back to InDesign
    next(a for a in menu.actions() if a.text() == "InDesign").trigger()
    assert QKeySequence("Ctrl+Y") not in win.acts["redo"].shortcuts()
    keys(win, Qt.Key.Key_Y, CTRL)
    assert win.dock_editor.isVisible()
