"""The editor application: windows, fonts, recent files, templates, recovery.

``run_editor(path)`` is what ``main.py open`` calls.  ``EditorApp`` can be
built in tests with a font set factory (e.g. the square test fonts) and with
the recovery and save questions answered by functions instead of dialogs.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from layout.docfile import DocumentError, load_issue

from .autosave import SUFFIX, newer_recovery
from .dialogs import ask
from .document import Document, cache_dir
from .i18n import tr
from .mainwindow import MainWindow

TEMPLATES = Path(__file__).resolve().parent.parent / "resources" / "templates"
MAX_RECENT = 10


def ask_recover_dialog(parent, path: str) -> bool:
    """Ask whether to recover an autosave (the default question)."""
    R = QMessageBox.ButtonRole
    return ask(parent, tr("recover.title"), tr("recover.ask", path=path),
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


class RealFonts:
    """Font sets from the machine's fonts, converted once with a progress dialog."""

    def __init__(self):
        self._library = None

    def __call__(self, issue):
        """A FontSet for the issue's font roles, with its files ready for Qt."""
        from fonts import FontSet, default_library
        dlg = None

        def progress(msg: str, fraction: float) -> None:
            """Show the conversion's progress (the dialog appears when it takes a while)."""
            nonlocal dlg
            if dlg is None:
                dlg = QProgressDialog(tr("fonts.loading"), "", 0, 100)
                dlg.setCancelButton(None)
                dlg.setMinimumDuration(300)
            dlg.setLabelText(f"{tr('fonts.loading')}\n{msg}")
            dlg.setValue(int(fraction * 100))
            QApplication.processEvents()
        if self._library is None:
            self._library = default_library(progress=progress)
        fs = FontSet(issue.fonts, self._library)
        primaries = []
        for role in issue.fonts:
            try:
                primaries.append(fs.primary(role))
            except Exception:           # a role without any font: the layout reports it
                pass
        self._library.prepare(primaries, progress=progress)
        if dlg is not None:
            dlg.close()
        return fs


def _owner_alive(rec: Path) -> bool:
    """Whether the editor process that writes this untitled autosave still runs."""
    try:
        pid = int(rec.name.split("-")[1])
    except (IndexError, ValueError):
        return False
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


class EditorApp:
    """Open windows, the font set factory, settings and the questions the editor asks."""

    def __init__(self, fontset_factory=None, *, ask_recover=ask_recover_dialog,
                 ask_save=ask_save_dialog, settings: QSettings | None = None,
                 autosave_ms: int = 60_000, autosave_every: int = 20, preset: str = ""):
        self.fontset_factory = fontset_factory or RealFonts()
        self.ask_recover, self.ask_save = ask_recover, ask_save
        self.settings = settings or QSettings("Banmian", "editor")
        self.autosave_ms, self.autosave_every = autosave_ms, autosave_every
        self.preset = preset or str(self.settings.value("keymap", "indesign"))
        self.cache_dir = cache_dir()
        self.windows: list[MainWindow] = []

    # ------------------------------------------------------------ documents
    def _window(self, doc: Document) -> MainWindow:
        # a pristine untitled window gives way to the document being opened
        for w in list(self.windows):
            if not w.doc.path and not w.doc.is_modified() and w.doc.undo.count() == 0:
                w.close()
        win = MainWindow(self, doc)
        self.windows.append(win)
        self._recent_menu(win)
        win.show()
        win.view.fit_page()
        return win

    def open(self, path: str, parent=None) -> MainWindow | None:
        """Open an issue file (offering to recover a newer autosave of it)."""
        try:
            issue = load_issue(path)
        except DocumentError as exc:
            QMessageBox.warning(parent, tr("error"), str(exc))
            return None
        recovered = False
        rec = newer_recovery(path)
        if rec is not None:
            if self.ask_recover(parent, str(rec)):
                try:
                    issue = load_issue(rec)
                    recovered = True
                except DocumentError as exc:
                    QMessageBox.warning(parent, tr("error"), str(exc))
            else:
                rec.unlink(missing_ok=True)     # declined: do not ask again next time
        doc = Document(issue, self.fontset_factory(issue), path)
        doc.recovered = recovered
        self.add_recent(doc.path)
        return self._window(doc)

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

    def quit_all(self) -> None:
        """Close every window."""
        for w in list(self.windows):
            w.close()

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
    """Start the editor (on an issue file, or a new 对开 issue); the exit code."""
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
    return qapp.exec()
