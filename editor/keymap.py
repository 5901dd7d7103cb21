"""Keyboard shortcuts as data, with the two presets of the editor conventions.

"InDesign" is the default; "飞腾/Windows" redoes with Ctrl+Y and has no
Ctrl+Y story editor.  The FIT/飞翔 keys are not known yet (see
editor-conventions.md): add them here when layout staff confirm them.

The keys follow the conventions' table of 25 shortcuts: Ctrl+D places (排入), so
Duplicate keeps InDesign's own Ctrl+Alt+Shift+D beside Alt-drag; Ctrl+Alt+0 fits
the spread (跨版); F12 / F7 / F11 show the pages, layers and styles; Ctrl+B opens
the frame's options (the properties), Ctrl+J goes to a page.  The properties take
F8 (InDesign's Info panel) and the stories Shift+F11.  Every action of the window
comes from here, so a menu shows the key that works (tests/test_editor_keys.py).
"""
from __future__ import annotations

INDESIGN: dict[str, list[str]] = {
    "new.duikai": ["Ctrl+N"], "open": ["Ctrl+O"], "save": ["Ctrl+S"],
    "save_as": ["Ctrl+Shift+S"], "import": ["Ctrl+Shift+I"], "export.proof": ["Ctrl+E"],
    "export.print": ["Ctrl+Shift+E"], "close": ["Ctrl+W"], "quit": ["Ctrl+Q"],
    "undo": ["Ctrl+Z"], "redo": ["Ctrl+Shift+Z"],
    "fit_page": ["Ctrl+0"], "fit_width": [], "fit_spread": ["Ctrl+Alt+0"], "actual": ["Ctrl+1"],
    "spread": ["Ctrl+Alt+8"], "tool.zoom": ["Z"], "go_to_page": ["Ctrl+J"],
    "show_properties": ["Ctrl+B"],
    "zoom_in": ["Ctrl+=", "Ctrl++"], "zoom_out": ["Ctrl+-"],
    "grid": ["Ctrl+'"], "margins": ["Ctrl+;"], "threads": ["Ctrl+Alt+Y"], "preview": ["W"],
    "next_page": ["Alt+PgDown"], "prev_page": ["Alt+PgUp"],
    "lock": ["Ctrl+L"], "place": ["Ctrl+D"],
    "tool.select": ["V"], "tool.direct": ["A"], "tool.type": ["T"], "tool.frame": ["F"],
    "tool.rule": ["\\"], "tool.thread": ["N"], "tool.hand": ["H"],
    "dock.pages": ["F12"], "dock.story_editor": ["Ctrl+Y"], "dock.props": ["F8"],
    "dock.stories": ["Shift+F11"], "dock.layers": ["F7"],
    # clipboard, find and styles (issue 13); cut/copy/paste/select all/find/replace are the
    # platform's standard keys (editor.actions.STANDARD), listed here only when extra
    "paste_plain": ["Ctrl+Shift+V"], "paste_in_place": ["Ctrl+Alt+Shift+V"],
    "duplicate": ["Ctrl+Alt+Shift+D"], "replace": ["Ctrl+H"],
    "bring_forward": ["Ctrl+]"], "send_backward": ["Ctrl+["], "dock.styles": ["F11"],
    "dock.find": [], "fmt.bold_toggle": ["Ctrl+Shift+B"],
    "fmt.bigger": ["Ctrl+Shift+>", "Ctrl+>"], "fmt.smaller": ["Ctrl+Shift+<", "Ctrl+<"],
    # arranging (issue 14), kept here so that every key of the window is in one table
    "group": ["Ctrl+G"], "ungroup": ["Ctrl+Shift+G"], "rulers": ["Ctrl+R"],
    "snap_guides": ["Ctrl+Shift+;", "Ctrl+Shift+:", "Ctrl+:"],   # Shift+; types a colon
}

FEITIAN = dict(INDESIGN, **{"redo": ["Ctrl+Y", "Ctrl+Shift+Z"], "dock.story_editor": []})

PRESETS = {"indesign": INDESIGN, "feitian": FEITIAN}


def shortcuts(action: str, preset: str = "indesign") -> list[str]:
    """The key sequences of an action in a preset (empty when it has none)."""
    return list(PRESETS.get(preset, INDESIGN).get(action, []))
