"""The story editor dock: a plain-text live view of the story being edited.

It shows the same story as the page (one line per paragraph).  Typing here
becomes the same ``layout.edits`` edits on the same undo stack; changes made on
the page or by undo show up here at once.
"""
from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from layout import edits as E
from layout.position import StoryPos


class StoryEditor(QWidget):
    """A QPlainTextEdit bound to one story of the document."""

    def __init__(self, doc, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.story: str | None = None
        self.title = QLabel()
        self.edit = QPlainTextEdit()
        self.edit.setUndoRedoEnabled(False)          # undo goes to the document's stack
        self.edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.title)
        lay.addWidget(self.edit)
        self._syncing = False
        self._text = ""
        self.edit.document().contentsChange.connect(self._changed)
        doc.changed.connect(lambda _t: self.sync())
        self.edit.installEventFilter(self)
        self.sync()

    def set_story(self, sid: str | None) -> None:
        """Show another story."""
        if sid == self.story:
            return
        self.story = sid
        self.sync(force=True)

    def showEvent(self, ev) -> None:
        """Catch up with the model when the dock is shown."""
        super().showEvent(ev)
        self.sync(force=True)

    def sync(self, force: bool = False) -> None:
        """Show the model's text if it differs from what the editor holds (when shown)."""
        if not self.isVisible() and not force:
            self._text = None
            return
        st = self.doc.issue.stories.get(self.story) if self.story else None
        text = E.plain_text(st) if st is not None else ""
        self.title.setText((st.name or st.headline.title or st.id) if st is not None else "")
        self.edit.setReadOnly(st is None or self.doc.read_only)
        if text == self._text and not force:
            return
        self._syncing = True
        cur = self.edit.textCursor().position()
        self.edit.setPlainText(text)
        c = self.edit.textCursor()
        c.setPosition(min(cur, len(text)))
        self.edit.setTextCursor(c)
        self._text = text
        self._syncing = False

    def eventFilter(self, obj, ev) -> bool:
        """Ctrl+Z / Ctrl+Shift+Z in the editor go to the document's undo stack."""
        from PySide6.QtCore import QEvent
        if obj is self.edit and ev.type() == QEvent.Type.KeyPress:
            if ev.matches(QKeySequence.StandardKey.Undo):
                self.doc.undo.undo()
                return True
            if ev.matches(QKeySequence.StandardKey.Redo):
                self.doc.undo.redo()
                return True
        return super().eventFilter(obj, ev)

    def _changed(self, position: int, removed: int, added: int) -> None:
        """Turn the editor's change into edits on the story."""
        if self._syncing or self.story is None:
            return
        st = self.doc.issue.stories.get(self.story)
        if st is None:
            return
        new_text = self.edit.toPlainText()
        old = E.plain_text(st)          # the model still holds the text before this change
        # Qt may report a wider range than the real change: trim the common ends
        start = position
        old_end, new_end = position + removed, position + added
        while start < old_end and start < new_end and old[start] == new_text[start]:
            start += 1
        while old_end > start and new_end > start and old[old_end - 1] == new_text[new_end - 1]:
            old_end -= 1
            new_end -= 1
        inserted = new_text[start:new_end]
        edits: list[E.Edit] = []
        a = E.index_to_pos(st, start)
        if old_end > start:
            edits.append(E.DeleteText(self.story, a, E.index_to_pos(st, old_end)))
        pos = a
        for i, part in enumerate(inserted.split("\n")):
            if part:
                edits.append(E.InsertText(self.story, pos, part))
                pos = StoryPos(pos.para, pos.offset + len(part))
            if i < inserted.count("\n"):
                edits.append(E.SplitParagraph(self.story, pos))
                pos = StoryPos(pos.para + 1, 0)
        if not edits:
            return
        self._text = new_text
        simple = len(edits) == 1 and isinstance(edits[0], E.InsertText)
        edit = edits[0] if simple else E.Batch(edits, "typing")
        if not self.doc.push(edit, "typing", merge=simple, cursor_before=(self.story, a),
                             cursor_after=(self.story, pos)):
            self.sync(force=True)
