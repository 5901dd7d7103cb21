"""An open document: the issue, its one Composer, the last LayoutResult and the undo stack.

Every change goes through ``Document.push(edit)``: the edit is applied to the
model, wrapped in an undo command, the issue is composed again (cheap: the
Composer re-fills only frames whose input changed) and ``changed`` is emitted
with the edit's ``Touched`` record, so each view refreshes only what it shows.

A document opened from a file normally holds that file's shared-folder lock
(``layout.lockfile``).  When someone else holds it the document is read-only:
``push`` refuses every edit and saving over the file is refused; Save As to
another file takes that file's lock and makes the document editable.  Saving
over the document's own file checks that nobody changed it since it was read
(``ChangedOnDisk``).
"""
from __future__ import annotations

import atexit
import os
import weakref
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from common.fs import cache_dir as common_cache_dir
from layout import edits as E
from layout import lockfile
from layout import model as m
from layout.compose import Composer, default_hyphenator
from layout.diskcache import LayoutDiskCache
from layout.docfile import save_issue
from layout.grid import PageGeometry
from layout.headline import Segmenter

from .commands import EditCommand
from .i18n import tr, undo_label

#: documents of this process that hold a lock (released at exit if still open)
_LOCKED: "weakref.WeakSet[Document]" = weakref.WeakSet()


@atexit.register
def _release_all() -> None:
    for doc in list(_LOCKED):
        doc.release_lock()


class ReadOnlyError(Exception):
    """Saving over a file someone else has locked (or this read-only document's own file)."""

    def __init__(self, path: str, held: "lockfile.LockHeld | None", reason: str = ""):
        self.path, self.held = path, held
        super().__init__(reason or (held.describe() if held is not None else path))


def cache_dir() -> str:
    """Where the editor keeps caches and untitled recovery files."""
    return str(common_cache_dir())


class Document(QObject):
    """One open issue with its composer, layout result and undo stack."""

    changed = Signal(object)            # layout.edits.Touched, after the result is new
    cursorHint = Signal(str, object)    # story id, (para, offset): where undo/redo left the text
    pathChanged = Signal(str)
    refused = Signal(str)               # an edit that could not be made, with the reason
    readOnlyChanged = Signal(bool)

    def __init__(self, issue: m.Issue, fontset, path: str | None = None, parent=None):
        super().__init__(parent)
        self.issue, self.fontset = issue, fontset
        self.path = str(Path(path).resolve()) if path else None
        self.undo = QUndoStack(self)
        seg = Segmenter(os.path.join(cache_dir(), "segments.json"))
        # frames composed before (by an export or an earlier session) come from the layout
        # cache; Latin hyphenation points from their cache (no dictionary loaded)
        self.composer = Composer(issue, fontset, base_dir=self.base_dir, segmenter=seg,
                                 hyphenator=default_hyphenator(cache_file=os.path.join(
                                     cache_dir(), "hyphenation-en_US.json")),
                                 disk=LayoutDiskCache(os.path.join(cache_dir(), "layout")),
                                 whole=False)
        self.geometry = PageGeometry.of(issue.paper)
        self.result = self.composer.compose()
        self.recovered = False          # loaded from a recovery file: unsaved until saved
        self.lock: lockfile.Lock | None = None          # the file's lock, when we hold it
        self.held: lockfile.LockHeld | None = None      # who holds it, when someone else does
        self.read_only = False
        self.read_only_reason = ""      # who holds the file (or why its folder is unusable)
        # the file as read or last saved (``set_lock`` gives the one taken before reading)
        self.seen: lockfile.Fingerprint | None = lockfile.fingerprint(self.path) \
            if self.path else None

    # ------------------------------------------------------------ lock
    def set_lock(self, got: "lockfile.Lock | lockfile.LockHeld | None", reason: str = "",
                 seen: "lockfile.Fingerprint | None" = None) -> None:
        """Record the result of ``lockfile.acquire`` for the document's file.

        A ``LockHeld`` (or a ``reason`` without a lock: the folder cannot be
        written) makes the document read-only.
        """
        self.seen = seen
        if isinstance(got, lockfile.Lock):
            self._take(got)
        else:
            self.lock, self.held = None, got
            self._set_read_only(True, reason or (got.describe() if got is not None else ""))

    def _take(self, lock: "lockfile.Lock") -> None:
        if self.lock is not None and self.lock is not lock:
            self.lock.release()
        self.lock, self.held = lock, None
        _LOCKED.add(self)
        self._set_read_only(False, "")

    def _set_read_only(self, on: bool, reason: str) -> None:
        was = self.read_only
        self.read_only, self.read_only_reason = on, reason
        if was != on:
            self.readOnlyChanged.emit(on)

    def touch_lock(self) -> bool:
        """Refresh the lock's heartbeat; False when it was lost to someone else.

        A lock someone broke (it looked stale to them) is taken again when it is
        free; when they hold it now, the document becomes read-only.
        """
        if self.lock is None or self.lock.touch():
            return True
        return self._relock(self.lock.path)

    def release_lock(self) -> None:
        """Give the file's lock back (closing); idempotent."""
        if self.lock is not None:
            self.lock.release()
        _LOCKED.discard(self)

    # ------------------------------------------------------------ facts
    @property
    def base_dir(self) -> str:
        """The folder relative image paths are read from."""
        return str(Path(self.path).parent) if self.path else os.getcwd()

    @property
    def name(self) -> str:
        """The file name shown in the title bar ("" for an untitled document)."""
        return Path(self.path).name if self.path else ""

    def is_modified(self) -> bool:
        """Whether there are changes since the last save."""
        return self.recovered or not self.undo.isClean()

    def page(self, number: int) -> m.Page:
        """The model page with this printed number."""
        return self.issue.pages[self.issue.page_index(number)]

    def page_of_frame(self, frame_id: str) -> int:
        """The printed number of the page holding a frame."""
        return self.issue.frame(frame_id)[0].number

    def overset_stories(self) -> list[str]:
        """Ids of the stories whose text does not fit their frames."""
        return [sid for sid, c in self.result.copyfit.items()
                if c.overset_lines or c.overset_chars]

    # ------------------------------------------------------------ editing
    def push(self, edit: E.Edit, text: str = "", *, merge: bool = False,
             cursor_before=None, cursor_after=None) -> bool:
        """Apply an edit and put it on the undo stack; False (and ``refused``) if it fails.

        A read-only document refuses every edit here, the one door they all use.
        """
        if self.read_only:
            self.refused.emit(tr("readonly.refused", who=self.read_only_reason))
            return False
        try:
            touched = edit.apply(self.issue)
        except (E.EditError, KeyError, ValueError) as exc:
            self.refused.emit(str(exc))
            return False
        try:
            self._compose(touched)
        except Exception as exc:          # the layout cannot take it (a bad size, a unit …)
            self._compose(edit.revert(self.issue))
            self.refused.emit(f"{type(exc).__name__}: {exc}")
            return False
        cmd = EditCommand(self, edit, undo_label(text or getattr(edit, "label", "edit")),
                          merge=merge,
                          cursor_before=cursor_before, cursor_after=cursor_after)
        cmd.first_touched = touched
        self.undo.push(cmd)
        return True

    def _compose(self, touched: E.Touched) -> None:
        if touched.styles:
            self.composer.invalidate_styles()
            self.geometry = PageGeometry.of(self.issue.paper)
        self.result = self.composer.compose()

    def edited(self, touched: E.Touched, composed: bool = False) -> None:
        """Called by commands after the model changed: compose again and tell the views."""
        if not composed:
            self._compose(touched)
        self.changed.emit(touched)

    # ------------------------------------------------------------ files
    def save(self, path: str | None = None, *, overwrite: bool = False) -> str:
        """Save atomically to ``path`` (or the document's own path); mark the stack clean.

        Over the document's own file: ``ChangedOnDisk`` (nothing written) when
        someone changed the file since it was read or last saved, unless
        ``overwrite``; ``ReadOnlyError`` when the document is read-only.  To
        another file: that file's lock is taken first (``ReadOnlyError`` when
        someone else holds it), the old one is released after the save and the
        document is editable from then on.
        """
        target = str(Path(path).resolve()) if path else self.path
        if not target:
            raise ValueError("an untitled document needs a path")
        if target == self.path:
            if self.read_only:
                raise ReadOnlyError(target, self.held, self.read_only_reason)
            if overwrite:
                save_issue(self.issue, target)
                self.seen = lockfile.fingerprint(target)
            else:
                self.seen = lockfile.save_checked(self.issue, target, self.seen)
            self.touch_lock()
        else:
            got = lockfile.acquire(target)
            if isinstance(got, lockfile.LockHeld):
                raise ReadOnlyError(target, got)
            try:
                save_issue(self.issue, target)
            except BaseException:
                got.release()
                raise
            self.seen = lockfile.fingerprint(target)
            self._take(got)
            self.path = target
            self.composer.base_dir = self.base_dir
            self.pathChanged.emit(target)
        self.recovered = False
        self.undo.setClean()
        return target

    def _relock(self, target) -> bool:
        """Our lock was broken by someone: take it again if free, else become read-only."""
        try:
            got = lockfile.acquire(target)
        except OSError as exc:
            got = None
            reason = str(exc)
        if isinstance(got, lockfile.Lock):
            self._take(got)
            return True
        self.lock.released = True
        self.lock = None
        _LOCKED.discard(self)
        self.held = got
        self._set_read_only(True, got.describe() if got is not None else reason)
        return False
