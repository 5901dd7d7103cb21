"""The story editor dock: a plain-text live view of the story being edited.

It shows the same story as the page (one line per paragraph).  Typing here
becomes the same ``layout.edits`` edits on the same undo stack; changes made on
the page or by undo show up here at once.  Above the text: the story's copyfit
against the frames it runs through (超出 N 行 / 缺 N 行 / 正好), live as one types.

For an issue in a store it is the editors' (编辑) view: typing checks out only the
story, never its pages; the text is read-only while another desk holds the story;
"Save story" commits only the story's unit.  ``StoryWindow`` is the same view on its
own, in a window of its own (``EditorApp.open_story``).
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QMainWindow, QMessageBox, QPlainTextEdit,
                               QPushButton, QVBoxLayout, QWidget)

from layout import edits as E
from layout.position import StoryPos

from .i18n import copyfit_label, tr


class StoryEditor(QWidget):
    """A QPlainTextEdit bound to one story of the document."""

    def __init__(self, doc, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.story: str | None = None
        self.title = QLabel()
        self.copyfit = QLabel()                      # 超出 N 行 / 缺 N 行 / 正好
        self.copyfit.setContentsMargins(8, 0, 8, 0)
        self.holder = QLabel()                       # who holds the story (a store's issue)
        self.save_button = QPushButton(tr("storyeditor.save"))
        self.save_button.clicked.connect(self.save_story)
        self.save_button.setVisible(getattr(doc, "desk", None) is not None)
        self.on_save = None                          # the window's save (conflict questions)
        self.edit = QPlainTextEdit()
        self.edit.setUndoRedoEnabled(False)          # undo goes to the document's stack
        self.edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.holder)
        head.addWidget(self.copyfit)
        head.addWidget(self.save_button)
        lay.addLayout(head)
        lay.addWidget(self.edit)
        self._syncing = False
        self._text = ""
        self.edit.document().contentsChange.connect(self._changed)
        doc.changed.connect(lambda _t: self.sync())
        if getattr(doc, "desk", None) is not None:
            doc.desk.holdersChanged.connect(lambda: self.sync(force=False, holders=True))
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

    def sync(self, force: bool = False, holders: bool = False) -> None:
        """Show the model's text if it differs from what the editor holds (when shown)."""
        if not self.isVisible() and not force:
            self._text = None
            return
        st = self.doc.issue.stories.get(self.story) if self.story else None
        text = E.plain_text(st) if st is not None else ""
        self.title.setText((st.name or st.headline.title or st.id) if st is not None else "")
        self._copyfit(st)
        other = self._held_by_other()
        self.edit.setReadOnly(st is None or self.doc.read_only or other is not None)
        if holders and not force:
            return
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

    def _held_by_other(self):
        """The Holder of the story when another desk has it checked out."""
        desk = getattr(self.doc, "desk", None)
        if desk is None or self.story is None:
            self.holder.setText("")
            return None
        from store.base import UnitKey

        from .desk import describe_holder
        key = UnitKey("story", self.story)
        h = desk.held_by_other(key)
        self.holder.setText(tr("status.readonly", who=describe_holder(h)) if h is not None
                            else "")
        self.holder.setStyleSheet("color: #c82020" if h is not None else "")
        self.holder.setToolTip(desk.tooltip(key))
        self.save_button.setEnabled(h is None and not self.doc.read_only)
        return h

    def _copyfit(self, st) -> None:
        """The story's copyfit against the frames it runs through, coloured as the dock's."""
        if st is None:
            self.copyfit.setText(tr("storyeditor.none"))
            self.copyfit.setStyleSheet("")
            return
        if not st.thread:
            self.copyfit.setText(tr("storyeditor.unplaced"))
            self.copyfit.setStyleSheet("")
            return
        cf = self.doc.result.copyfit.get(st.id)
        if cf is None:
            self.copyfit.setText("")
            return
        from .scene import copyfit_color
        pages = sorted({self.doc.page_of_frame(f) for f in st.thread
                        if any(fr.id == f for _, fr in self.doc.issue.frames())})
        self.copyfit.setText(copyfit_label(cf) + "  " + tr(
            "storyeditor.frames", pages=",".join(map(str, pages))))
        self.copyfit.setStyleSheet(f"color: white; background: {copyfit_color(cf).name()};"
                                   "padding: 1px 6px")

    def save_story(self) -> bool:
        """Save only this story's unit (an issue in a store)."""
        if self.story is None or getattr(self.doc, "desk", None) is None:
            return False
        from store.base import UnitKey
        if self.on_save is not None:
            return self.on_save({UnitKey("story", self.story)})
        self.doc.save_units({UnitKey("story", self.story)})
        return True

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


class StoryWindow(QMainWindow):
    """The story editor on its own: one story of an issue in a store, for editors.

    It composes the issue (for the copyfit) but shows only the text; typing checks out
    the story and nothing else; Ctrl+S saves only the story; closing gives it back.
    """

    def __init__(self, app, doc, sid: str, parent=None):
        super().__init__(parent)
        self.app, self.doc = app, doc
        doc.setParent(self)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.editor = StoryEditor(doc, self)
        self.editor.on_save = self.save_story
        self.setCentralWidget(self.editor)
        self.editor.set_story(sid)
        doc.refused.connect(lambda msg: self.statusBar().showMessage(
            tr("status.refused", msg=msg), 6000))
        doc.desk.message.connect(lambda msg: self.statusBar().showMessage(msg, 8000))
        doc.undo.cleanChanged.connect(self._title)
        from PySide6.QtGui import QAction
        for key, seq, slot in (("storyeditor.save", QKeySequence.StandardKey.Save,
                                lambda: self.save_story()),
                               ("undo", QKeySequence.StandardKey.Undo, doc.undo.undo),
                               ("redo", QKeySequence.StandardKey.Redo, doc.undo.redo)):
            a = QAction(tr(key), self)
            a.setShortcut(seq)
            a.triggered.connect(slot)
            self.addAction(a)
        self.resize(760, 560)
        self._title()

    @property
    def story(self) -> str | None:
        return self.editor.story

    def _title(self, *_args) -> None:
        st = self.doc.issue.stories.get(self.editor.story or "")
        name = (st.name or st.headline.title or st.id) if st is not None else ""
        self.setWindowTitle(f"{name}[*] — {tr('storyeditor.open')} — {self.doc.name}")
        self.setWindowModified(self.doc.is_modified())

    def save_story(self, keys=None) -> bool:
        from store.base import UnitKey

        from .desk import save_ui
        return save_ui(self, keys or {UnitKey("story", self.editor.story)})

    def show_error(self, msg: str) -> None:
        QMessageBox.warning(self, tr("error"), msg)

    def closeEvent(self, ev) -> None:
        """Ask about unsaved changes; give the story back."""
        if self.doc.is_modified():
            answer = self.app.ask_save(self)
            if answer == "cancel" or (answer == "save" and not self.save_story()):
                ev.ignore()
                return
        self.doc.release_lock()
        self.app.window_closed(self)
        ev.accept()
