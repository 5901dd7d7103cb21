"""The one undo command: a few lines around a ``layout.edits.Edit``.

Typing merges: consecutive insertions (or deletions) in one story that follow
each other become one command, so Ctrl+Z takes back a word, not a character.
"""
from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from layout import edits as E

MERGE_TYPING = 1


class EditCommand(QUndoCommand):
    """Apply / revert one edit on the document's issue, then let it recompose."""

    def __init__(self, doc, edit: E.Edit, text: str, *, merge: bool = False,
                 cursor_before=None, cursor_after=None):
        super().__init__(text)
        self.doc, self.edit = doc, edit
        self.merge = merge
        self.cursor_before, self.cursor_after = cursor_before, cursor_after
        self.first_touched: E.Touched | None = None
        self.units: set = set()         # the store units the edit changes (a desk's issue)

    def redo(self) -> None:
        """Apply the edit (the first time it was applied already by Document.push)."""
        if self.first_touched is not None:      # applied and composed by Document.push
            touched, self.first_touched = self.first_touched, None
            self.doc.edited(touched, composed=True)
        else:
            self.doc.mark_units(self.units)
            self.doc.edited(self.edit.apply(self.doc.issue))
        if self.cursor_after is not None:
            self.doc.cursorHint.emit(*self.cursor_after)

    def undo(self) -> None:
        """Revert the edit."""
        self.doc.mark_units(self.units)
        self.doc.edited(self.edit.revert(self.doc.issue))
        if self.cursor_before is not None:
            self.doc.cursorHint.emit(*self.cursor_before)

    def id(self) -> int:
        """Typing commands share an id so that QUndoStack offers to merge them."""
        return MERGE_TYPING if self.merge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        """Join a typing command that continues exactly where this one left the cursor."""
        if not isinstance(other, EditCommand) or not other.merge:
            return False
        if self.cursor_after is None or other.cursor_before != self.cursor_after:
            return False
        if type(_last(self.edit)) is not type(_last(other.edit)):
            return False
        edits = self.edit.edits if isinstance(self.edit, E.Batch) else [self.edit]
        self.edit = E.Batch(edits + [other.edit], self.text())
        self.units = self.units | other.units
        self.cursor_after = other.cursor_after
        return True


def _last(edit: E.Edit) -> E.Edit:
    return edit.edits[-1] if isinstance(edit, E.Batch) and edit.edits else edit
