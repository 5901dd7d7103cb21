"""The window's actions, menus and tool strip, built from one table.

Each row names an action key (its i18n string and keymap entry), the menu it
goes in, and the window method it calls.  Keeping them as data keeps the main
window short and the shortcuts in ``editor.keymap``.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QAction, QActionGroup, QIcon, QKeySequence
from PySide6.QtWidgets import QToolBar

from .i18n import tr
from .keymap import shortcuts

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"

#: (menu, key, window method, checkable); "-" is a separator
MENUS: list[tuple[str, list]] = [
    ("menu.file", [("new.duikai", "new_duikai", False), ("new.sikai", "new_sikai", False),
                   ("open", "open_dialog", False), "recent", "-",
                   ("save", "save", False), ("save_as", "save_as", False), "-",
                   ("import", "import_dialog", False), ("export.proof", "export_proof", False),
                   ("export.print", "export_print", False), "-",
                   ("close", "close", False), ("quit", "quit_all", False)]),
    ("menu.edit", ["undo", "redo", "-", ("cut", "cut", False), ("copy", "copy", False),
                   ("paste", "paste", False), ("paste_plain", "paste_plain", False),
                   ("paste_in_place", "paste_in_place", False),
                   ("paste_linked", "paste_linked", False), ("duplicate", "duplicate", False),
                   ("delete", "delete_selection", False), "-",
                   ("select_all", "select_all", False), "-", ("find", "find", False),
                   ("replace", "replace", False)]),
    ("menu.view", [("fit_page", "fit_page", False), ("fit_width", "fit_width", False),
                   ("actual", "actual_size", False), ("zoom_in", "zoom_in", False),
                   ("zoom_out", "zoom_out", False), "-",
                   ("grid", "toggle_grid", True), ("baseline", "toggle_baseline", True),
                   ("columns", "toggle_columns", True), ("margins", "toggle_margins", True),
                   ("threads", "toggle_threads", True), ("preview", "toggle_preview", True), "-",
                   ("prev_page", "prev_page", False), ("next_page", "next_page", False),
                   ("go_to_page", "go_to_page_dialog", False)]),
    ("menu.text", [("fmt.bold_toggle", "toggle_bold", False),
                   ("fmt.bigger", "size_up", False), ("fmt.smaller", "size_down", False)]),
    ("menu.object", [("show_properties", "show_properties", False),
                     ("lock", "toggle_lock", False),
                     ("bring_forward", "bring_forward", False),
                     ("send_backward", "send_backward", False), "-",
                     ("place", "place", False), ("unlink", "unlink", False), "-",
                     ("new_story", "new_story", False), ("add_page", "add_page", False)]),
]

ON_AT_START = {"grid", "baseline", "columns", "margins"}

#: actions whose keys are the platform's standard ones (the keymap may add more)
STANDARD = {"cut": QKeySequence.StandardKey.Cut, "copy": QKeySequence.StandardKey.Copy,
            "paste": QKeySequence.StandardKey.Paste,
            "select_all": QKeySequence.StandardKey.SelectAll,
            "find": QKeySequence.StandardKey.Find, "replace": QKeySequence.StandardKey.Replace}

TOOLS = [("tool.select", "select", "select"), ("tool.direct", "direct", "direct"),
         ("tool.type", "type", "type"), ("tool.frame", "frame-text", "frame-text"),
         ("tool.headline", "frame-headline", "frame-headline"),
         ("tool.photo", "frame-photo", "frame-photo"), ("tool.rule", "frame-rule", "frame-rule"),
         ("tool.thread", "thread", "thread"), ("tool.hand", "hand", "hand")]


def icon(name: str) -> QIcon:
    """An icon from resources/icons (empty when missing)."""
    p = ICONS / f"{name}.svg"
    return QIcon(str(p)) if p.exists() else QIcon()


def _keys(action: QAction, key: str, preset: str) -> None:
    """Give an action its keys from the keymap preset (and remember which entry it is,
    so that ``apply_preset`` can change them later)."""
    seqs = list(QKeySequence.keyBindings(STANDARD[key])) if key in STANDARD else []
    for k in shortcuts(key, preset):
        if QKeySequence(k) not in seqs:
            seqs.append(QKeySequence(k))
    action.setProperty("keymap", key)
    if seqs or action.shortcuts():
        action.setShortcuts(seqs)


PRESET_NAMES = (("indesign", "keymap.indesign"), ("feitian", "keymap.feitian"))


def apply_preset(window, preset: str) -> None:
    """Re-key every action of a window that came from the keymap (menus, tools, docks)."""
    for a in window.findChildren(QAction):
        key = a.property("keymap")
        if key:
            _keys(a, key, preset)


def build(window, preset: str = "indesign") -> dict[str, QAction]:
    """Create every action and menu on ``window``; return the actions by key."""
    acts: dict[str, QAction] = {}
    bar = window.menuBar()
    undo = window.doc.undo.createUndoAction(window, tr("undo"))
    redo = window.doc.undo.createRedoAction(window, tr("redo"))
    for a, k in ((undo, "undo"), (redo, "redo")):
        _keys(a, k, preset)
        acts[k] = a
    for menu_key, rows in MENUS:
        menu = bar.addMenu(tr(menu_key))
        for row in rows:
            if row == "-":
                menu.addSeparator()
            elif row == "recent":
                window.recent_menu = menu.addMenu(tr("menu.recent"))
            elif isinstance(row, str):
                menu.addAction(acts[row])
            else:
                key, method, checkable = row
                a = QAction(tr(key), window)
                a.setCheckable(checkable)
                a.setChecked(key in ON_AT_START)
                _keys(a, key, preset)
                slot = getattr(window, method)
                if checkable:
                    a.toggled.connect(slot)
                else:
                    a.triggered.connect(lambda _c=False, s=slot: s())
                menu.addAction(a)
                acts[key] = a
    window.window_menu = bar.addMenu(tr("menu.window"))
    return acts


def build_tools(window, preset: str = "indesign") -> tuple[QToolBar, dict[str, QAction]]:
    """The tool strip on the left: one checkable action per tool."""
    bar = QToolBar(tr("tools"), window)
    bar.setObjectName("tools")
    bar.setIconSize(QSize(22, 22))
    group = QActionGroup(window)
    group.setExclusive(True)
    acts = {}
    for key, icon_name, tool in TOOLS:
        a = QAction(icon(icon_name), tr(key), window)
        a.setCheckable(True)
        a.setToolTip(tr(key))
        _keys(a, key, preset)
        a.triggered.connect(lambda _c=False, t=tool: window.view.set_tool(t))
        group.addAction(a)
        bar.addAction(a)
        acts[tool] = a
    acts["select"].setChecked(True)
    window.view.toolChanged.connect(lambda name: acts[name].setChecked(True)
                                    if name in acts else None)
    return bar, acts
