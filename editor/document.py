"""An open document: the issue, its one Composer, the last LayoutResult and the undo stack.

Every change goes through ``Document.push(edit)``: the edit is applied to the
model, wrapped in an undo command, the issue is composed again (cheap: the
Composer re-fills only frames whose input changed) and ``changed`` is emitted
with the edit's ``Touched`` record, so each view refreshes only what it shows.
"""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from layout import edits as E
from layout import model as m
from layout.compose import Composer
from layout.docfile import save_issue
from layout.grid import PageGeometry
from layout.headline import Segmenter

from .commands import EditCommand


def cache_dir() -> str:
    """Where the editor keeps caches and untitled recovery files."""
    return os.environ.get("BANMIAN_CACHE_DIR") or str(Path.home() / ".cache" / "banmian")


class Document(QObject):
    """One open issue with its composer, layout result and undo stack."""

    changed = Signal(object)            # layout.edits.Touched, after the result is new
    cursorHint = Signal(str, object)    # story id, (para, offset): where undo/redo left the text
    pathChanged = Signal(str)
    refused = Signal(str)               # an edit that could not be made, with the reason

    def __init__(self, issue: m.Issue, fontset, path: str | None = None, parent=None):
        super().__init__(parent)
        self.issue, self.fontset = issue, fontset
        self.path = str(Path(path).resolve()) if path else None
        self.undo = QUndoStack(self)
        seg = Segmenter(os.path.join(cache_dir(), "segments.json"))
        self.composer = Composer(issue, fontset, base_dir=self.base_dir, segmenter=seg)
        self.geometry = PageGeometry.of(issue.paper)
        self.result = self.composer.compose()
        self.compose_count = 1
        self.recovered = False          # loaded from a recovery file: unsaved until saved

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
        """Apply an edit and put it on the undo stack; False (and ``refused``) if it fails."""
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
        cmd = EditCommand(self, edit, text or getattr(edit, "label", "edit"), merge=merge,
                          cursor_before=cursor_before, cursor_after=cursor_after)
        cmd.first_touched = touched
        self.undo.push(cmd)
        return True

    def _compose(self, touched: E.Touched) -> None:
        if touched.styles:
            self.composer.invalidate_styles()
            self.geometry = PageGeometry.of(self.issue.paper)
        self.result = self.composer.compose()
        self.compose_count += 1

    def edited(self, touched: E.Touched, composed: bool = False) -> None:
        """Called by commands after the model changed: compose again and tell the views."""
        if not composed:
            self._compose(touched)
        self.changed.emit(touched)

    # ------------------------------------------------------------ files
    def save(self, path: str | None = None) -> str:
        """Save atomically to ``path`` (or the document's own path); mark the stack clean."""
        target = str(Path(path).resolve()) if path else self.path
        if not target:
            raise ValueError("an untitled document needs a path")
        save_issue(self.issue, target)
        if target != self.path:
            self.path = target
            self.composer.base_dir = self.base_dir
            self.pathChanged.emit(target)
        self.recovered = False
        self.undo.setClean()
        return target
