"""The window on a laptop's 1366×768 and a desk's 1920×1080, Chinese and English.

The window fits the screen; every dock, brought in front as a user would (its
Window-menu key), shows its buttons, check boxes and labels whole, without a
sideways scroll bar; no tab title is cut short ("Lay…").
"""
from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtWidgets import (QAbstractButton, QApplication, QDockWidget, QLabel,  # noqa: E402
                               QScrollArea, QTabBar)

from tests import test_editor_i18n as TI  # noqa: E402

editor = TI.editor                  # the fixture: an editor in a chosen language

DOCKS = ("dock.stories", "dock.styles", "dock.find", "dock.props", "dock.preflight",
         "dock.masters", "dock.layers", "dock.swatches", "dock.pages")


def cut_short(win) -> list[str]:
    """Widgets of the shown docks narrower than they need, and elided tab titles."""
    out = []
    for dock in win.findChildren(QDockWidget):
        if not dock.isVisible() or dock.visibleRegion().isEmpty():
            continue
        area = dock.widget()
        if isinstance(area, QScrollArea) and area.horizontalScrollBar().maximum() > 0:
            out.append(f"{dock.objectName()}: scrolls sideways")
        for w in dock.findChildren(QAbstractButton) + dock.findChildren(QLabel):
            if not w.isVisibleTo(dock) or (isinstance(w, QLabel) and w.wordWrap()):
                continue
            if w.width() + 1 < w.minimumSizeHint().width():
                out.append(f"{dock.objectName()}: {w.text()!r} {w.width()} < "
                           f"{w.minimumSizeHint().width()}")
    for bar in win.findChildren(QTabBar):
        if not bar.isVisible():
            continue
        for i in range(bar.count()):
            if bar.tabRect(i).width() + 1 < bar.tabSizeHint(i).width() or \
                    bar.tabRect(i).width() < bar.fontMetrics().horizontalAdvance(
                        bar.tabText(i).replace("&&", "&")):
                out.append(f"tab {bar.tabText(i)!r} cut short")
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_docks_fit_the_screen_whole(editor, qtbot, lang, size):  # noqa: F811
    app, win = editor(lang)
    w, h = size
    win.showNormal()
    win.resize(w, h)
    qtbot.waitUntil(lambda: win.width() <= w)
    QApplication.processEvents()
    assert win.minimumSizeHint().height() <= h - 30 and win.width() <= w and win.height() <= h
    win.scene.set_selection(["ph"])                   # the tallest properties: a photo's
    bad = []
    for key in DOCKS:
        dock = win.findChild(QDockWidget, key)
        if dock.isHidden() or dock.visibleRegion().isEmpty():
            win.dock_acts[key].trigger()              # Window menu: bring it forward
        QApplication.processEvents()
        assert dock.isVisible() and not dock.visibleRegion().isEmpty(), key
        bad += cut_short(win)
    # the page keeps most of the width: at least half the window on a laptop
    assert win.view.width() >= w * 0.5
    assert not bad, "\n".join(sorted(set(bad)))
