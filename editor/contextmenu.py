"""Right-click menus: on frames, on text, on the empty page, in the pages and stories lists.

Each menu is built when it opens from the window's own commands (the same
ones the menu bar and the keys reach), so a right-click does nothing the
menus could not.  The menu opens without blocking (``popup``) and is kept as
``window.context_menu`` until the next one.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from .i18n import tr


def _add(menu: QMenu, key: str, slot, enabled: bool = True, shortcut_of=None) -> QAction:
    a = menu.addAction(tr(key))
    a.setObjectName(key)
    a.setEnabled(enabled)
    if shortcut_of is not None:
        a.setShortcuts(shortcut_of.shortcuts())
    a.triggered.connect(lambda _c=False: slot())
    return a


def _acts(win):
    return getattr(win, "acts", {})


def frame_menu(win, frame_id: str) -> QMenu:
    """Cut, copy, paste, duplicate, delete, lock, arrange, thread, properties."""
    issue = win.doc.issue
    _, fr = issue.frame(frame_id)
    acts = _acts(win)
    menu = QMenu(win)
    for key, slot in (("cut", win.cut), ("copy", win.copy), ("paste", win.paste),
                      ("duplicate", win.duplicate)):
        _add(menu, key, slot, shortcut_of=acts.get(key))
    _add(menu, "delete", win.delete_selection, not fr.locked)
    menu.addSeparator()
    _add(menu, "unlock" if fr.locked else "lock", win.toggle_lock)
    _add(menu, "bring_forward", win.bring_forward)
    _add(menu, "send_backward", win.send_backward)
    if fr.kind == "text":
        menu.addSeparator()
        _add(menu, "thread", lambda: win.thread_from(frame_id))
        _add(menu, "unlink", win.unlink, issue.story_of_frame(frame_id) is not None)
    menu.addSeparator()
    _add(menu, "properties", win.show_properties)
    return menu


def text_menu(win) -> QMenu:
    """Cut, copy, paste (with and without formatting), select all, character styles."""
    acts = _acts(win)
    has_sel = win.text.selection() is not None
    menu = QMenu(win)
    _add(menu, "cut", win.cut, has_sel, acts.get("cut"))
    _add(menu, "copy", win.copy, has_sel, acts.get("copy"))
    _add(menu, "paste", win.paste, shortcut_of=acts.get("paste"))
    _add(menu, "paste_plain", win.paste_plain, shortcut_of=acts.get("paste_plain"))
    menu.addSeparator()
    _add(menu, "select_all", win.select_all, shortcut_of=acts.get("select_all"))
    sub = menu.addMenu(tr("char_style"))
    sub.setObjectName("char_style")
    sub.setEnabled(has_sel)
    from .styles import display_name
    for name in [""] + list(win.doc.issue.char_styles):
        a = sub.addAction(display_name(win.doc.issue, name, "char_styles") if name
                          else tr("char_none"))
        a.setObjectName("char:" + name)
        a.triggered.connect(lambda _c=False, n=name: win.text.apply_char_style(n))
    return menu


def page_menu(win, scene_pos: QPointF) -> QMenu:
    """Paste here, new frame here, page properties."""
    menu = QMenu(win)
    _add(menu, "paste_here", lambda: win.paste_here(scene_pos), win.can_paste_frames())
    _add(menu, "paste_in_place", win.paste_in_place, win.can_paste_frames())
    _add(menu, "new_frame_here", lambda: win.new_frame_at(scene_pos))
    menu.addSeparator()
    _add(menu, "page_properties", lambda: win.page_properties(win.scene.page_number))
    return menu


def pages_menu(win, number: int | None) -> QMenu:
    """Insert, delete, duplicate and move pages."""
    menu = QMenu(win)
    many = len(win.doc.issue.pages) > 1
    numbers = [p.number for p in win.doc.issue.pages]
    i = numbers.index(number) if number in numbers else -1
    _add(menu, "page.insert", lambda: win.insert_page(number))
    _add(menu, "page.duplicate", lambda: win.duplicate_page(number), number is not None)
    _add(menu, "page.delete", lambda: win.delete_page(number), number is not None and many)
    menu.addSeparator()
    _add(menu, "page.move_up", lambda: win.move_page(number, -1), i > 0)
    _add(menu, "page.move_down", lambda: win.move_page(number, 1), 0 <= i < len(numbers) - 1)
    menu.addSeparator()
    _add(menu, "page_properties", lambda: win.page_properties(number), number is not None)
    return menu


def stories_menu(win, sid: str | None) -> QMenu:
    """Place, rename, delete, open in the story editor."""
    menu = QMenu(win)
    on = sid is not None
    _add(menu, "story.load_cursor", lambda: win.load_place_cursor(sid), on)
    _add(menu, "story.place", lambda: win.story_place(sid), on)
    _add(menu, "story.rename", lambda: win.story_rename(sid), on)
    _add(menu, "story.delete", lambda: win.story_delete(sid), on)
    _add(menu, "story.open", lambda: win.story_open(sid), on)
    menu.addSeparator()
    _add(menu, "new_story", win.new_story)
    return menu


def show(win, menu: QMenu, global_pos: QPoint) -> QMenu:
    """Open a menu at a screen point without blocking; keep it as ``win.context_menu``."""
    old = getattr(win, "context_menu", None)
    if old is not None and old is not menu:
        old.close()
        old.deleteLater()
    win.context_menu = menu
    menu.popup(global_pos)
    return menu


class PageMenus(QObject):
    """Watches the page view for right-clicks and opens the menu for what is under it."""

    def __init__(self, win):
        super().__init__(win)
        self.win = win
        win.view.viewport().installEventFilter(self)

    def eventFilter(self, obj, ev) -> bool:
        """A context-menu event on the page view's viewport."""
        if ev.type() != QEvent.Type.ContextMenu:
            return False
        win = self.win
        pos = win.view.mapToScene(ev.pos())
        self.open_at(pos, ev.globalPos())
        return True

    def open_at(self, pos: QPointF, global_pos: QPoint) -> QMenu:
        """The right menu for a scene point: text, frame or page."""
        win = self.win
        scene = win.scene
        item = scene.frame_at(pos)
        if win.text.active and item is not None and win.text.story is not None and \
                item.frame_id in win.doc.issue.stories[win.text.story].thread:
            return show(win, text_menu(win), global_pos)
        if item is not None:
            if item.frame_id not in scene.selection:
                scene.set_selection([item.frame_id])
            return show(win, frame_menu(win, item.frame_id), global_pos)
        return show(win, page_menu(win, pos), global_pos)
