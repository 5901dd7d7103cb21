"""The editor application: windows, fonts, recent files, templates, recovery.

``run_editor(path)`` is what ``main.py open`` calls.  ``EditorApp`` can be
built in tests with a font set factory (e.g. the square test fonts) and with
the recovery and save questions answered by functions instead of dialogs.

Opening an issue takes its shared-folder lock (``layout.lockfile``); when
someone else holds it the document opens read-only and the user is told who
has it (a stale lock from another machine may be broken, when the user says
so).  Closing the window gives the lock back.

``open`` also takes an issue folder or ``postgresql://USER@HOST/DB#ISSUE``: the issue
is then read from its store through a desk session (``editor.desk``) — check-outs per
page and story instead of one lock, others' changes taken in live, recovery copies per
unit (``editor.deskrecovery``).
"""
from __future__ import annotations

import os
import sys
import weakref
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from common.proc import pid_alive
from layout import gcpause, lockfile
from layout.docfile import DocumentError, load_issue

from .autosave import SUFFIX, describe_recovery, newer_recovery, recovery_path
from .desk import ask_conflict_dialog
from .dialogs import ask
from .document import Document, cache_dir
from .i18n import tr
from .mainwindow import MainWindow

#: every EditorApp of this process (one, except in tests)
_APPS: "weakref.WeakSet[EditorApp]" = weakref.WeakSet()

TEMPLATES = Path(__file__).resolve().parent.parent / "resources" / "templates"
MAX_RECENT = 10


def ask_recover_dialog(parent, path: str) -> bool:
    """Ask whether to recover an autosave (the default question), saying when it was written
    and what it holds."""
    R = QMessageBox.ButtonRole
    return ask(parent, tr("recover.title"),
               tr("recover.ask", path=path, summary=describe_recovery(path)),
                [("yes", tr("recover.yes"), R.AcceptRole),
                 ("no", tr("recover.no"), R.RejectRole)]) == "yes"


def ask_recover_units_dialog(parent, text: str) -> bool:
    """Ask whether to recover the unsaved units of a store's issue."""
    R = QMessageBox.ButtonRole
    return ask(parent, tr("desk.recover.title"), text,
               [("yes", tr("recover.yes"), R.AcceptRole),
                ("no", tr("recover.no"), R.RejectRole)]) == "yes"


def ask_save_dialog(window) -> str:
    """Ask whether to save changes before closing: save | discard | cancel."""
    R = QMessageBox.ButtonRole
    return ask(window, tr("unsaved.title"),
                tr("unsaved.ask", name=window.doc.name or tr("untitled")),
                [("save", tr("save"), R.AcceptRole), ("discard", tr("unsaved.discard"),
                                                      R.DestructiveRole),
                 ("cancel", tr("cancel"), R.RejectRole)])


def ask_break_lock_dialog(parent, text: str) -> bool:
    """Ask whether to break a stale lock (the default question)."""
    R = QMessageBox.ButtonRole
    return ask(parent, tr("lock.title"), tr("lock.stale_ask", who=text),
               [("break", tr("lock.break"), R.DestructiveRole),
                ("keep", tr("lock.read_only"), R.RejectRole)]) == "break"


def ask_changed_dialog(window, text: str) -> str:
    """The file changed on disk since it was read: overwrite | save_as | cancel."""
    R = QMessageBox.ButtonRole
    return ask(window, tr("changed.title"), tr("changed.ask", msg=text),
               [("cancel", tr("cancel"), R.RejectRole),
                ("save_as", tr("save_as"), R.AcceptRole),
                ("overwrite", tr("changed.overwrite"), R.DestructiveRole)])


def tell_read_only_dialog(window, text: str) -> None:
    """Say who holds the issue (a window-modal box that does not block)."""
    box = QMessageBox(QMessageBox.Icon.Information, tr("lock.title"), text,
                      QMessageBox.StandardButton.Ok, window)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    box.open()


_QT_TRANSLATORS: list = []


def install_qt_translations() -> bool:
    """Load Qt's own translations (file dialogs, standard buttons) under a Chinese UI.

    PySide6 ships ``qtbase_zh_CN.qm`` in QLibraryInfo's translations folder; it is
    installed once per process.  False when there is no application or no file.
    """
    from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

    from .i18n import language
    qapp = QCoreApplication.instance()
    if qapp is None or language() != "zh":
        for t in _QT_TRANSLATORS:
            if qapp is not None:
                qapp.removeTranslator(t)
        _QT_TRANSLATORS.clear()
        return False
    if _QT_TRANSLATORS:
        return True
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in ("qtbase_zh_CN", "qt_zh_CN"):
        t = QTranslator()              # no Qt parent: Python owns it (and drops it at exit)
        if t.load(name, folder):
            qapp.installTranslator(t)
            _QT_TRANSLATORS.append(t)
    gaps = _QtGaps(None)                      # installed last: asked first
    qapp.installTranslator(gaps)
    _QT_TRANSLATORS.append(gaps)
    if not _QT_TRANSLATORS_ATEXIT:
        import atexit
        atexit.register(_remove_qt_translations)   # before the interpreter goes: Qt must not
        _QT_TRANSLATORS_ATEXIT.append(True)        # call into a Python translator after it
    return True


_QT_TRANSLATORS_ATEXIT: list = []


def _remove_qt_translations() -> None:
    from PySide6.QtCore import QCoreApplication
    qapp = QCoreApplication.instance()
    for t in _QT_TRANSLATORS:
        if qapp is not None:
            qapp.removeTranslator(t)
    _QT_TRANSLATORS.clear()


def _qt_gaps_class():
    from PySide6.QtCore import QTranslator

    class QtGaps(QTranslator):
        """The few strings of Qt's file dialog that its Chinese catalogue leaves in English."""

        STRINGS = {("QFileDialog", "&Look in:"): "查找范围(&L)：",
                   ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
                   ("QFileDialog", "File &name:"): "文件名(&N)：",
                   ("QFileDialog", "Look in:"): "查找范围：",
                   ("QFileDialog", "Files of type:"): "文件类型：",
                   ("QAbstractFileIconProvider", "Folder"): "文件夹",    # the type column
                   ("QAbstractFileIconProvider", "Drive"): "驱动器",
                   ("QAbstractFileIconProvider", "Unknown"): "未知"}

        def translate(self, context, source, disambiguation=None, n=-1):
            """Our string for a gap; None lets the next catalogue answer."""
            return self.STRINGS.get((context, source))

        def isEmpty(self) -> bool:
            """Never empty (Qt skips empty translators)."""
            return False
    return QtGaps


def _QtGaps(parent):
    return _qt_gaps_class()(parent)


class RealFonts:
    """Font sets from the machine's fonts (one library, kept between issues)."""

    def __init__(self):
        self._library = None

    def __call__(self, issue):
        """A FontSet for the issue's font roles; Qt draws their font files as they are."""
        from fonts import FontSet, default_library
        if self._library is None:
            self._library = default_library()
        return FontSet(issue.fonts, self._library)


def _owner_alive(rec: Path) -> bool:
    """Whether the editor process that writes this untitled autosave still runs."""
    try:
        pid = int(rec.name.split("-")[1])
    except (IndexError, ValueError):
        return False
    if pid == os.getpid():
        return False
    return pid_alive(pid)


class EditorApp:
    """Open windows, the font set factory, settings and the questions the editor asks."""

    def __init__(self, fontset_factory=None, *, ask_recover=ask_recover_dialog,
                 ask_save=ask_save_dialog, ask_break_lock=ask_break_lock_dialog,
                 ask_changed=ask_changed_dialog, tell_read_only=tell_read_only_dialog,
                 settings: QSettings | None = None,
                 autosave_ms: int = 60_000, autosave_every: int = 20, preset: str = "",
                 lock_touch_ms: int = 600_000, autosave_quiet_ms: int = 3_000,
                 ask_conflict=ask_conflict_dialog, ask_recover_units=ask_recover_units_dialog):
        self.fontset_factory = fontset_factory or RealFonts()
        self.ask_conflict, self.ask_recover_units = ask_conflict, ask_recover_units
        self.ask_recover, self.ask_save = ask_recover, ask_save
        self.ask_break_lock, self.ask_changed = ask_break_lock, ask_changed
        self.tell_read_only = tell_read_only
        self.lock_touch_ms = lock_touch_ms
        self.settings = settings or QSettings("Banmian", "editor")
        self.autosave_ms, self.autosave_every = autosave_ms, autosave_every
        self.autosave_quiet_ms = autosave_quiet_ms
        self.preset = preset or str(self.settings.value("keymap", "indesign"))
        self.cache_dir = cache_dir()
        self.windows: list[MainWindow] = []
        self.story_windows: list = []
        install_qt_translations()
        _APPS.add(self)

    # ------------------------------------------------------------ documents
    @staticmethod
    def _window_lock_tokens() -> set[str]:
        """Tokens of the locks held by documents in the open windows of this process."""
        return {w.doc.lock.info.token for a in list(_APPS) for w in a.windows
                if w.doc.lock is not None}

    def _window(self, doc: Document) -> MainWindow:
        # a pristine untitled window gives way to the document being opened
        for w in list(self.windows):
            if not w.doc.path and w.doc.desk is None and not w.doc.is_modified() and \
                    w.doc.undo.count() == 0:
                w.close()
        win = MainWindow(self, doc)
        self.windows.append(win)
        from . import desk
        desk.install(win)
        if doc.desk is not None:                 # recovery copies per unit instead
            from .deskrecovery import DeskAutosaver
            win.autosaver.stop()
            win.autosaver = DeskAutosaver(doc, self.cache_dir, self.autosave_ms,
                                          self.autosave_quiet_ms, win)
            win.autosaver.saved.connect(lambda _p: win.statusBar().showMessage(
                tr("status.autosaved"), 3000))
        self._recent_menu(win)
        win.show()
        win.view.fit_page()
        # the issue, its layout and the font tables are long-lived: keep them out of the
        # cyclic collector's full passes, which otherwise stall a keystroke now and then
        gcpause.freeze()
        return win

    def _lock(self, path: str, parent=None):
        """``lockfile.acquire`` for an issue being opened: (Lock | LockHeld | None, reason).

        A lock of this very process that no open window's document holds was
        left by a window that went away without closing: it is taken back.  A stale lock
        is broken when the user agrees.  None with a reason: the folder cannot
        be written (the issue opens read-only).
        """
        try:
            got = lockfile.acquire(path)
            if isinstance(got, lockfile.LockHeld) and got.mine and got.info is not None \
                    and got.info.token not in self._window_lock_tokens():
                lockfile.break_lock(path, got)
                got = lockfile.acquire(path)
            if isinstance(got, lockfile.LockHeld) and got.stale and \
                    self.ask_break_lock(parent, got.describe()):
                lockfile.break_lock(path, got)
                got = lockfile.acquire(path)     # may still be held: someone was faster
        except OSError as exc:
            return None, tr("lock.unwritable", error=str(exc))
        if isinstance(got, lockfile.Lock):
            for p in (path, recovery_path(path, "")):
                lockfile.clean_temporaries(p)    # left by a save that was killed
            return got, ""
        return got, got.describe()

    def open(self, path: str, parent=None) -> MainWindow | None:
        """Open an issue file (offering to recover a newer autosave of it), an issue
        folder or ``postgresql://USER@HOST/DB#ISSUE`` (``open_store``).

        Someone else holding the file's lock: it opens read-only, and their
        autosave (the recovery file beside the issue) is theirs, not offered.
        """
        from store import StoreError, parse_address
        try:
            address = parse_address(path)
        except StoreError as exc:
            QMessageBox.warning(parent, tr("error"), str(exc))
            return None
        p = Path(address.target)
        if address.kind == "file" and p.name == "settings.yaml" and \
                (p.parent / ".banmian" / "store.json").exists():
            address = parse_address(str(p.parent))  # a unit file picked: its issue folder
        if address.kind != "file":
            return self.open_store(address, parent)
        got, reason = self._lock(path, parent)
        lock = got if isinstance(got, lockfile.Lock) else None
        seen = lockfile.fingerprint(path)   # before reading: a change in between is caught
        try:
            issue = load_issue(path)
        except DocumentError as exc:
            if lock is not None:
                lock.release()
            QMessageBox.warning(parent, tr("error"), str(exc))
            return None
        recovered = False
        rec = newer_recovery(path) if lock is not None else None
        if rec is not None:
            if self.ask_recover(parent, str(rec)):
                try:
                    issue = load_issue(rec)
                    recovered = True
                except DocumentError as exc:
                    QMessageBox.warning(parent, tr("error"), str(exc))
            else:
                rec.unlink(missing_ok=True)     # declined: do not ask again next time
        try:
            doc = Document(issue, self.fontset_factory(issue), path)
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        doc.set_lock(got, reason, seen)
        doc.recovered = recovered
        self.add_recent(doc.path)
        win = self._window(doc)
        if doc.read_only:
            self.tell_read_only(win, tr("lock.held", who=doc.read_only_reason))
        return win

    def open_store(self, address, parent=None, *, store=None, watch: bool = True
                   ) -> MainWindow | None:
        """Open an issue in a store: an address (folder, PostgreSQL URL) or a ``store``
        object (a memory store in tests).  Recovery copies of units left by a crash are
        offered; units someone else saved since are never overwritten."""
        from . import deskrecovery
        from .desk import open_desk_document
        doc = open_desk_document(self, address, parent, store=store, watch=watch)
        if doc is None:
            return None
        recs = deskrecovery.copies(self.cache_dir, doc.desk.address, doc.desk.store.desk.user)
        said: list[str] = []
        if recs:
            import datetime
            when = datetime.datetime.fromtimestamp(max(r["time"] for r in recs)).strftime(
                "%Y-%m-%d %H:%M")
            if self.ask_recover_units(parent, tr("desk.recover.ask", when=when,
                                                 units=deskrecovery.describe(recs, doc))):
                said = deskrecovery.recover(doc, recs)
            else:
                for r in recs:
                    Path(r["file"]).unlink(missing_ok=True)
        if doc.path:
            self.add_recent(doc.path)
        elif store is None:
            self.add_recent(doc.desk.address)
        win = self._window(doc)
        if said:
            win.statusBar().showMessage("；".join(said), 10000)
        return win

    def open_story(self, address, sid: str, parent=None, *, store=None, watch: bool = True):
        """The story editor on its own (for editors): one story of an issue in a store,
        with its copyfit; it checks out only the story and saves only it."""
        from .desk import open_desk_document
        from .storyeditor import StoryWindow
        doc = open_desk_document(self, address, parent, store=store, watch=watch)
        if doc is None:
            return None
        win = StoryWindow(self, doc, sid)
        self.story_windows.append(win)
        win.show()
        return win

    def recover_untitled(self, parent=None) -> list[MainWindow]:
        """Offer the autosaves of untitled documents left by a crash; open those accepted."""
        out = []
        folder = Path(self.cache_dir) / "recovery"
        for rec in sorted(folder.glob(f"untitled-*{SUFFIX}")):
            if _owner_alive(rec) or not self.ask_recover(parent, str(rec)):
                continue
            try:
                issue = load_issue(rec)
            except DocumentError as exc:
                QMessageBox.warning(parent, tr("error"), str(exc))
                continue
            doc = Document(issue, self.fontset_factory(issue), None)
            doc.recovered = True
            win = self._window(doc)
            win.autosaver.save_now()           # the new autosave first, then the old goes
            rec.unlink(missing_ok=True)
            out.append(win)
        return out

    def new_from_template(self, name: str = "duikai") -> MainWindow:
        """A new untitled issue from resources/templates/<name>.yaml."""
        issue = load_issue(TEMPLATES / f"{name}.yaml")
        return self._window(Document(issue, self.fontset_factory(issue), None))

    def window_closed(self, win: MainWindow) -> None:
        """Forget a closed window."""
        if win in self.windows:
            self.windows.remove(win)
        if win in self.story_windows:
            self.story_windows.remove(win)

    def quit_all(self) -> None:
        """Close every window."""
        for w in list(self.windows) + list(self.story_windows):
            w.close()

    def release_locks(self) -> None:
        """Give back every open document's lock (the application is exiting)."""
        for w in list(self.windows) + list(self.story_windows):
            w.doc.release_lock()

    # ------------------------------------------------------------ recent files
    def recent(self) -> list[str]:
        """Recently opened or saved issues, newest first."""
        val = self.settings.value("recent", [])
        if isinstance(val, str):
            val = [val]
        return [p for p in (val or []) if p]

    def add_recent(self, path: str | None) -> None:
        """Put a file at the top of the recent list."""
        if not path:
            return
        items = [path] + [p for p in self.recent() if p != path]
        self.settings.setValue("recent", items[:MAX_RECENT])
        for w in self.windows:
            self._recent_menu(w)

    def _recent_menu(self, win: MainWindow) -> None:
        menu = getattr(win, "recent_menu", None)
        if menu is None:
            return
        menu.clear()
        for p in self.recent():
            a = menu.addAction(p)
            a.triggered.connect(lambda _c=False, p=p: self.open(p, win))
        menu.setEnabled(bool(self.recent()))


def run_editor(path: str | None = None) -> int:
    """Start the editor (on an issue file, an issue folder, ``postgresql://…#ISSUE``, or a
    new 对开 issue); the exit code."""
    qapp = QApplication.instance() or QApplication(sys.argv)
    qapp.setApplicationName("Banmian")
    qapp.setOrganizationName("Banmian")
    app = EditorApp()
    recovered = [] if path else app.recover_untitled()
    win = app.open(path) if path else (recovered[0] if recovered else
                                       app.new_from_template("duikai"))
    if win is None:
        return 2
    qapp._banmian = app                     # keep the app object alive with Qt's
    qapp.aboutToQuit.connect(app.release_locks)
    return qapp.exec()
