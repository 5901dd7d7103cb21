"""The editor as a newsroom desk: an issue opened from a store (an issue folder or
PostgreSQL) instead of one ``.yaml`` file.

A ``DeskSession`` is the editor's side of a ``store.session.IssueSession``:

- **check-outs**: ``Document.push`` asks ``claim`` for the units an edit changes
  (``layout.edits.Edit.units``); units this desk already holds cost a set lookup (typing
  never reaches the store), a unit held by another desk refuses the edit, naming who;
- **others' commits**: a ``Watcher`` thread sleeps in ``store.wait`` and pokes the
  window, which takes the new units in (``Document.take_others``); a timer asks who
  holds what, for the pages and stories docks;
- **saving**: ``save_ui`` commits the changed units and answers a ``Conflict`` with the
  conflict question (reload, merge a story's text, keep mine as a new story);
- ``install(win)`` adds the desk's menu entries and status messages to a main window.

Only ``store.wait`` runs on the watcher thread; everything else happens on the GUI
thread.
"""
from __future__ import annotations

import copy
import threading
import time

from PySide6.QtCore import QObject, QThread, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QInputDialog, QMessageBox

from layout import edits as E
from layout import model as m
from layout.docfile import DocumentError
from store import Address, open_store, parse_address
from store.base import (CommitRefused, Conflict, Desk, HeldElsewhere, Holder,
                        ReadOnly, StoreError, UnitDoc, UnitInfo, UnitKey)
from store.merge import MergeClash
from store.session import IssueSession, _replace
from store.units import join, split

from .i18n import tr


# ---------------------------------------------------------------- naming things
def describe_unit(key: UnitKey, issue: m.Issue | None = None) -> str:
    """A unit as the UI names it: 期设置, 第3版, 稿件《头条》."""
    if key.kind == "issue":
        return tr("desk.unit.issue")
    if key.kind == "page":
        page = next((p for p in issue.pages if p.id == key.name), None) if issue else None
        return tr("desk.unit.page", n=page.number if page is not None else key.name)
    st = issue.stories.get(key.name) if issue is not None else None
    name = (st.name or st.headline.title or key.name) if st is not None else key.name
    return tr("desk.unit.story", name=name)


def describe_holder(h: Holder) -> str:
    since = time.strftime("%H:%M", time.localtime(h.since)) if h.since else "?"
    return tr("desk.holder.stale" if h.stale else "desk.holder", user=h.user, host=h.host,
              since=since)


def describe_author(author: str) -> str:
    """A commit's author ("user on host", as stores record it) in the UI's language."""
    if not author:
        return tr("desk.someone")
    user, sep, host = author.rpartition(" on ")
    return tr("desk.author", user=user, host=host) if sep else author


def _author(info: UnitInfo | None) -> str:
    return describe_author(info.author if info is not None else "")


def holder_icon(color: QColor, size: int = 12) -> QIcon:
    """A round badge: red for another desk, green for this one."""
    pix = QPixmap(size, size)
    pix.fill(QColor(0, 0, 0, 0))
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    p.setBrush(color)
    p.setPen(color.darker(140))
    p.drawEllipse(1, 1, size - 2, size - 2)
    p.end()
    return QIcon(pix)


OTHERS = QColor(205, 45, 45)
MINE = QColor(40, 160, 70)


# ---------------------------------------------------------------- the watcher
class Watcher(QThread):
    """Sleeps in ``store.wait`` and says when something may have been committed."""

    poked = Signal()

    def __init__(self, store, timeout: float = 0.5, parent=None):
        super().__init__(parent)
        self.store, self.timeout = store, timeout
        self._stop = threading.Event()

    def run(self) -> None:
        while not self._stop.is_set():
            try:
                woke = self.store.wait(self.timeout)
            except Exception:                # a dropped connection: the store reconnects
                self._stop.wait(self.timeout)
                woke = True
            if woke and not self._stop.is_set():
                self.poked.emit()

    def stop(self) -> None:
        self._stop.set()
        self.wait(int(self.timeout * 1000) + 3000)


# ---------------------------------------------------------------- the session
class DeskSession(QObject):
    """One window's work on an issue in a store: who holds what, check-outs, saving."""

    holdersChanged = Signal()
    poked = Signal()                  # others may have committed: take their units in
    message = Signal(str)             # for the status bar

    def __init__(self, session: IssueSession, address: str = "", *, watch: bool = True,
                 poll_ms: int = 1500, parent=None):
        super().__init__(parent)
        self.session, self.store = session, session.store
        self.address = address or self.store.address
        self.mine: set[UnitKey] = set()
        self.others: dict[UnitKey, Holder] = {}
        self.held: dict[UnitKey, Holder] = {}
        self.issue: m.Issue | None = None          # the open issue (for naming units)
        self.reopenable = False                     # opened by an address another window may use
        #: asks whether to break a stale check-out (a desk on another machine gone silent)
        self.ask_break = None
        self.closed = False
        self.watcher: Watcher | None = None
        if watch:
            self.watcher = Watcher(self.store)
            self.watcher.poked.connect(self.poked)
            self.watcher.start()
        self.timer = QTimer(self)
        self.timer.setInterval(poll_ms)
        self.timer.timeout.connect(self.update_holders)
        if watch:
            self.timer.start()
        self.update_holders()

    @property
    def read_only(self) -> bool:
        return bool(getattr(self.store, "read_only", False))

    # ---------------------------------------------------------- who holds what
    def update_holders(self) -> bool:
        """Ask the store who holds what; True (and ``holdersChanged``) when that changed.
        A unit this desk held that someone took over is said in the status bar."""
        if self.closed:
            return False
        try:
            held = self.store.holders()
        except StoreError as exc:
            self.message.emit(tr("desk.save_failed", msg=str(exc)))
            return False
        desk = self.store.desk
        mine = {k for k, h in held.items() if h.is_desk(desk)}
        others = {k: h for k, h in held.items() if not h.is_desk(desk)}
        for k in self.mine - mine:
            if k in others:
                self.message.emit(tr("desk.lost", unit=describe_unit(k, self.issue),
                                     who=describe_holder(others[k])))
            else:
                self.message.emit(tr("desk.lost_free", unit=describe_unit(k, self.issue)))
        if mine == self.mine and others == self.others:
            return False
        self.mine, self.others, self.held = mine, others, held
        self.holdersChanged.emit()
        return True

    def holder(self, key: UnitKey) -> Holder | None:
        return self.held.get(key)

    def info(self, key: UnitKey) -> UnitInfo | None:
        """The unit's version and last author as this desk last read or saved it."""
        doc = self.session.base.get(key)
        return doc.info if doc is not None else None

    def tooltip(self, key: UnitKey) -> str:
        """Who holds the unit since when, its version and who changed it last."""
        h = self.held.get(key)
        if h is None:
            lines = [tr("desk.tip.free")]
        elif h.is_desk(self.store.desk):
            lines = [tr("desk.tip.mine", since=time.strftime("%H:%M", time.localtime(h.since)))]
        else:
            lines = [tr("desk.tip.held", who=describe_holder(h))]
        info = self.info(key)
        if info is None:
            lines.append(tr("desk.tip.new"))
        else:
            when = time.strftime("%m-%d %H:%M", time.localtime(info.time)) if info.time else "?"
            lines.append(tr("desk.tip.version", version=info.version, author=_author(info),
                            when=when))
        return "\n".join(lines)

    def held_by_other(self, key: UnitKey) -> Holder | None:
        return self.others.get(key)

    # ---------------------------------------------------------- check-outs
    def claim(self, keys: "set[UnitKey]", issue: m.Issue | None = None) -> tuple[str, list]:
        """Check out the units not held yet: ("", the units newly taken), or (why not, [])
        — nothing is kept checked out then."""
        need = keys - self.mine
        if not need:
            return "", []
        if self.read_only:
            return tr("desk.refused.read_only", address=self.address), []
        bad = need & (self.session.left_out | self.session.held_back)
        if bad:
            return tr("desk.refused.left_out", unit=describe_unit(min(bad), issue)), []
        taken = []
        for k in sorted(need):
            try:
                h = self.store.checkout(k)
            except StoreError as exc:
                h, why = None, str(exc)
                for t in taken:
                    self.store.release(t)
                return why, []
            if h is not None and h.stale and self.ask_break is not None and \
                    self.ask_break(tr("desk.stale", unit=describe_unit(k, issue),
                                      who=describe_holder(h))):
                if self.store.break_checkout(k, h):     # a person gave up on that desk
                    h = self.store.checkout(k)
            if h is not None:
                for t in taken:
                    self.store.release(t)
                self.others[k] = self.held[k] = h
                self.holdersChanged.emit()
                return tr("desk.refused.held", unit=describe_unit(k, issue),
                          who=describe_holder(h)), []
            taken.append(k)
        now = time.time()
        d = self.store.desk
        for k in taken:
            self.mine.add(k)
            self.held[k] = Holder(d.user, d.host, d.pid, d.session, now)
            self.others.pop(k, None)
        self.holdersChanged.emit()
        return "", taken

    def give_back(self, keys: "set[UnitKey] | None" = None) -> list[UnitKey]:
        """Release these check-outs (all this desk's when None); the units given back."""
        keys = set(self.mine) if keys is None else keys & self.mine
        for k in sorted(keys):
            try:
                self.store.release(k)
            except StoreError:
                pass
            self.mine.discard(k)
            self.held.pop(k, None)
        if keys:
            self.holdersChanged.emit()
        return sorted(keys)

    def close(self) -> None:
        """Stop watching and give every check-out back (the window closes)."""
        if self.closed:
            return
        self.closed = True
        self.timer.stop()
        if self.watcher is not None:
            self.watcher.stop()
        try:
            self.session.close()
        except StoreError:
            pass
        self.mine.clear()


# ---------------------------------------------------------------- units into the open issue
def put_units(session: IssueSession, issue: m.Issue, texts: "dict[UnitKey, str | None]",
              bases: "dict[UnitKey, UnitDoc | None] | None" = None) -> list[DocumentError]:
    """Put these unit texts into the open issue, in place (None: the unit goes), keeping
    this desk's text of every other unit; ``bases``: what the session now counts as their
    stored versions.  DocumentError when the settings would not read; the problems of
    units that do not read (left out)."""
    current = {}
    for k, t in split(issue).items():
        b = session.base.get(k)
        current[k] = UnitDoc(b.info if b is not None else UnitInfo(k, 0), t)
    for k, t in texts.items():
        if t is None:
            current.pop(k, None)
        else:
            current[k] = UnitDoc(UnitInfo(k, 0), t)
    joined = join(current, where=session.where, address=session.store.address)
    session.mark(texts)
    for k, d in (bases or {}).items():
        if d is None:
            session.base.pop(k, None)
        else:
            session.base[k] = d
    _replace(issue, joined.issue)
    return joined.problems


def touched_by(keys, issue: m.Issue) -> E.Touched:
    """What a view must refresh after these units changed."""
    t = E.Touched(structure=True)
    for k in keys:
        if k.kind == "story":
            t.stories.add(k.name)
        elif k.kind == "page":
            page = next((p for p in issue.pages if p.id == k.name), None)
            if page is not None:
                t.pages.add(page.number)
                t.frames |= {fr.id for fr in page.frames}
        else:
            t.styles = True
    return t


# ---------------------------------------------------------------- opening
def open_desk_document(app, address: "str | Address", parent=None, *, store=None,
                       desk: Desk | None = None, watch: bool = True):
    """A Document on an issue in a store (``store`` given: that one, e.g. a memory store);
    None when it cannot be opened (the user was told why)."""
    from .document import Document
    a = address if isinstance(address, Address) else (
        parse_address(address) if store is None else None)
    shown = str(a) if a is not None else store.address
    try:
        if store is None:
            store = open_store(a, desk)
        session = IssueSession(store)
        issue = session.open()
        session.track()             # Document marks the units of every edit, undo and redo
    except (StoreError, DocumentError, OSError, ImportError) as exc:
        if store is not None:
            try:
                store.close()
            except StoreError:
                pass
        QMessageBox.warning(parent, tr("error"), tr("desk.open_failed", address=shown,
                                                    msg=str(exc)))
        return None
    ds = DeskSession(session, shown, watch=watch)
    ds.reopenable = a is not None
    path = a.target if a is not None and a.kind == "folder" else None
    try:
        return Document(issue, app.fontset_factory(issue), path, desk=ds)
    except BaseException:
        ds.close()
        raise


# ---------------------------------------------------------------- saving, conflicts
def ask_conflict_dialog(parent, text: str, choices: list[str]) -> str:
    """Ask what to do about a unit someone else changed: a key of ``choices``
    (reload, merge, copy, cancel)."""
    from .dialogs import ask
    R = QMessageBox.ButtonRole
    labels = {"merge": (tr("conflict.merge"), R.AcceptRole),
              "copy": (tr("conflict.copy"), R.ActionRole),
              "reload": (tr("conflict.reload"), R.DestructiveRole),
              "cancel": (tr("cancel"), R.RejectRole)}
    return ask(parent, tr("conflict.title"), text,
               [(c, *labels[c]) for c in choices])


def conflict_text(exc: Conflict, issue: m.Issue) -> str:
    unit = describe_unit(exc.key, issue)
    cur = exc.current
    if cur is None or cur.deleted:
        head = tr("conflict.removed", unit=unit, who=_author(cur))
    elif exc.base == 0:
        head = tr("conflict.exists", unit=unit, who=_author(cur), version=cur.version)
    else:
        head = tr("conflict.changed", unit=unit, who=_author(cur), version=cur.version,
                  base=exc.base)
    return head + "\n" + tr("conflict.what")


def refusal_text(exc: CommitRefused, issue: m.Issue) -> str:
    """A refused commit in the UI's language."""
    if isinstance(exc, Conflict):
        return conflict_text(exc, issue)
    if isinstance(exc, HeldElsewhere):
        return tr("desk.save_held", unit=describe_unit(exc.key, issue),
                  who=describe_holder(exc.holder))
    if isinstance(exc, ReadOnly):
        return tr("desk.save_read_only", unit=describe_unit(exc.key, issue))
    return tr("desk.save_failed", msg=str(exc))


def save_ui(win, only: "set[UnitKey] | None" = None) -> bool:
    """Save the window's document to its store, answering conflicts with the user; True
    when everything asked for was saved."""
    doc = win.doc
    status = win.statusBar().showMessage
    for _ in range(8):                           # each conflict answered, then again
        try:
            infos = doc.save_units(only)
        except Conflict as exc:
            answer = resolve_conflict(win, exc)
            if answer == "cancel":
                status(tr("changed.not_saved"), 6000)
                return False
            continue
        except CommitRefused as exc:
            win.show_error(refusal_text(exc, doc.issue))
            return False
        except (StoreError, OSError) as exc:
            win.show_error(tr("desk.save_failed", msg=str(exc)))
            return False
        names = "、".join(describe_unit(k, doc.issue) for k in sorted(infos)) if infos else ""
        status(tr("desk.saved", units=names) if infos else tr("desk.nothing"), 5000)
        win._title()
        return True
    return False


def resolve_conflict(win, exc: Conflict) -> str:
    """Ask about one conflict and do what the user chose: reload | merge | copy | cancel."""
    doc = win.doc
    key = exc.key
    choices = ["reload", "cancel"]
    if key.kind == "story" and exc.current is not None and not exc.current.deleted:
        # a story both created (no common version): nothing to merge against
        choices = ["merge", "copy", "reload", "cancel"] if exc.base else \
            ["copy", "reload", "cancel"]
    answer = win.app.ask_conflict(win, conflict_text(exc, doc.issue), choices)
    status = win.statusBar().showMessage
    if answer == "reload":
        doc.reload_units({key})
        status(tr("conflict.reloaded", unit=describe_unit(key, doc.issue)), 6000)
    elif answer == "merge":
        try:
            doc.merge_story(key)
        except MergeClash as clash:
            where = "；".join(c.describe() if c.what != "text" else
                             f"«{c.base[:20]}»" for c in clash.clashes[:2])
            win.show_error(tr("conflict.clash", where=where))
            return "cancel"
        status(tr("conflict.merged", unit=describe_unit(key, doc.issue)), 6000)
    elif answer == "copy":
        sid = doc.keep_mine_as_copy(key)
        status(tr("conflict.copied", sid=sid), 6000)
    return answer


def copy_story_id(issue: m.Issue, sid: str) -> str:
    return E.new_story_id(issue, f"{sid}-mine")


def story_copy(story: m.Story, new_id: str) -> m.Story:
    st = copy.deepcopy(story)
    st.id, st.thread = new_id, []
    st.name = (story.name or story.headline.title or story.id) + tr("conflict.copy_suffix")
    return st


# ---------------------------------------------------------------- the window
def install(win) -> None:
    """Desk entries in a main window: File ▸ Open Issue Folder…, Open from Server…,
    Give Back Check-outs; who holds what in the status bar; give back in the docks'
    menus; the frames of pages others hold cannot be picked."""
    file_menu = next((a.menu() for a in win.menuBar().actions()
                      if a.menu() is not None and a.text() == tr("menu.file")), None)
    acts = {}
    for key, slot in (("desk.open_folder", lambda: open_folder_dialog(win)),
                      ("desk.open_server", lambda: open_server_dialog(win)),
                      ("desk.give_back", lambda: give_back_ui(win, None))):
        a = QAction(tr(key), win)
        a.triggered.connect(slot)
        acts[key] = a
    if file_menu is not None:
        first = file_menu.actions()
        anchor = next((a for a in first if a.text() == tr("save")), None)
        file_menu.insertAction(anchor, acts["desk.open_folder"])
        file_menu.insertAction(anchor, acts["desk.open_server"])
        file_menu.insertSeparator(anchor)
        file_menu.insertAction(anchor, acts["desk.give_back"])
    win.desk_acts = acts
    doc = win.doc
    ds = doc.desk
    acts["desk.give_back"].setEnabled(ds is not None)
    if ds is None:
        return
    ds.message.connect(lambda msg: win.statusBar().showMessage(msg, 8000))
    win.story_editor.on_save = lambda keys: save_ui(win, keys)
    ds.ask_break = lambda text: win.app.ask_break_lock(win, text)
    doc.saved_units.connect(lambda _k: (win.stories.refresh(), win.pages.show_holders()))
    ds.holdersChanged.connect(lambda: _unpickable(win))
    doc.changed.connect(lambda _t: _unpickable(win))
    win.scene.pageShown.connect(lambda _n: _unpickable(win))
    doc.pathChanged.connect(lambda _p: _left_the_store(win))
    win.pages.menuRequested.connect(lambda n, _gp: _dock_give_back(win, "page", n))
    win.stories.menuRequested.connect(lambda sid, _gp: _dock_give_back(win, "story", sid))
    _unpickable(win)
    if doc.open_problems:
        where = "；".join(f"{p.path}:{p.line}" if p.line else p.path
                         for p in doc.open_problems)
        win.statusBar().showMessage(tr("desk.unreadable", where=where))


def _left_the_store(win) -> None:
    """Saved As a file: the document is a file's now; its autosave is the file's."""
    from .autosave import Autosaver
    from .deskrecovery import DeskAutosaver
    if win.doc.desk is None and isinstance(win.autosaver, DeskAutosaver):
        win.autosaver.stop()
        app = win.app
        win.autosaver = Autosaver(win.doc, app.cache_dir, app.autosave_ms, app.autosave_every,
                                  win, quiet_ms=app.autosave_quiet_ms)
        win.desk_acts["desk.give_back"].setEnabled(False)


def _unpickable(win) -> None:
    """Frames of the shown page cannot be picked while another desk holds the page."""
    doc, scene = win.doc, win.scene
    if doc.desk is None:
        return
    page = next((p for p in doc.issue.pages if p.number == scene.page_number), None)
    if page is None or not page.id:
        return
    held = doc.desk.held_by_other(UnitKey("page", page.id)) is not None
    was = getattr(win, "_desk_page_held", False)
    win._desk_page_held = held
    if not held:
        if was:
            scene.refresh()                    # given back: the scene's own rules again
        return
    for item in scene.frames.values():
        item.pickable = False
    if scene.selection:
        scene.set_selection([])


def _dock_give_back(win, kind: str, what) -> None:
    """Add "give back" to the dock's context menu just opened, for a unit this desk holds."""
    doc, menu = win.doc, getattr(win, "context_menu", None)
    if doc.desk is None or menu is None or what is None:
        return
    if kind == "page":
        page = next((p for p in doc.issue.pages if p.number == what), None)
        if page is None or not page.id:
            return
        key = UnitKey("page", page.id)
    else:
        key = UnitKey("story", what)
        if doc.desk.reopenable:                # reachable by address: its own window
            menu.addSeparator()
            a = menu.addAction(tr("storyeditor.window"))
            a.triggered.connect(lambda: win.app.open_story(doc.desk.address, what, win))
    if key not in doc.desk.mine:
        return
    menu.addSeparator()
    a = menu.addAction(tr("desk.give_back_one"))
    a.triggered.connect(lambda: give_back_ui(win, {key}))


def give_back_ui(win, keys: "set[UnitKey] | None") -> bool:
    """Save these units (all held when None), then give their check-outs back."""
    doc = win.doc
    if doc.desk is None:
        return False
    keys = set(doc.desk.mine) if keys is None else keys
    dirty = doc.desk.session.dirty(doc.issue) & keys
    if dirty and not save_ui(win, dirty):
        return False
    given = doc.give_back(keys)
    if given:
        win.statusBar().showMessage(tr("desk.given_back", units="、".join(
            describe_unit(k, doc.issue) for k in given)), 6000)
    return True


def open_folder_dialog(win) -> None:
    from PySide6.QtWidgets import QFileDialog
    path = QFileDialog.getExistingDirectory(win, tr("desk.open_folder"), win.doc.base_dir)
    if path:
        win.app.open(path, win)


def open_server_dialog(win) -> None:
    url, ok = QInputDialog.getText(win, tr("desk.server.title"), tr("desk.server.label"),
                                   text=str(win.app.settings.value("server", "")))
    url = url.strip()
    if ok and url:
        win.app.settings.setValue("server", url)
        win.app.open(url, win)


__all__ = ["DeskSession", "Watcher", "describe_unit", "describe_holder", "install", "save_ui",
           "open_desk_document", "put_units", "holder_icon"]
