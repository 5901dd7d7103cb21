"""Typing in place: the text cursor in a story, its keys, and the edits they make.

The cursor is a story position (``layout.position.StoryPos``) with an optional
anchor for a selection.  Its place on the page comes from the engine's
LineBoxes and the glyph positions and advances of their runs
(``editor.hittest``); every change of text is a ``layout.edits`` edit
pushed on the document's undo stack, and the page reflows from the new result.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, QRectF, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence

from layout import edits as E
from layout import gcpause
from layout import model as m
from layout.gcpause import gc_paused
from layout.position import StoryPos

from . import hittest as H

Pos = StoryPos


class TextController(QObject):
    """The text cursor: where it is, how keys move it, how typing edits the story."""

    moved = Signal()                    # cursor or selection moved (views refresh)
    activeChanged = Signal(bool)
    message = Signal(str)               # what a paste cleaned, for the status bar

    def __init__(self, doc, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.story: str | None = None
        self.pos: Pos = StoryPos()
        self.anchor: Pos | None = None
        self.preedit = ""
        self.last_cleaned = None            # what the last paste from another program changed
        self._lines: dict[str, tuple[object, H.FrameLines]] = {}
        self._frames_of: tuple = (None, {})
        self._goal_x: float | None = None
        doc.changed.connect(self._on_changed)
        doc.cursorHint.connect(self._on_hint)

    # ------------------------------------------------------------ state
    @property
    def active(self) -> bool:
        """Whether a text cursor is placed."""
        return self.story is not None

    def start(self, story: str, pos: Pos, anchor: Pos | None = None) -> None:
        """Place the cursor in a story."""
        was = self.active
        self.story = story
        self.pos = E.clamp_pos(self.doc.issue.stories[story], pos)
        self.anchor = None if anchor is None else StoryPos.of(anchor)
        self._goal_x = None
        self.moved.emit()
        if not was:
            self.activeChanged.emit(True)

    def stop(self) -> None:
        """Leave the text (Esc)."""
        if self.story is None:
            return
        self.story, self.anchor, self.preedit = None, None, ""
        self.moved.emit()
        self.activeChanged.emit(False)

    def selection(self) -> tuple[Pos, Pos] | None:
        """The selected range (start, end), or None."""
        if self.anchor is None or self.anchor == self.pos:
            return None
        return min(self.anchor, self.pos), max(self.anchor, self.pos)

    def _on_changed(self, touched) -> None:
        if self.story is not None:
            st = self.doc.issue.stories.get(self.story)
            if st is None:
                self.stop()
                return
            self.pos = E.clamp_pos(st, self.pos)
            if self.anchor is not None:
                self.anchor = E.clamp_pos(st, self.anchor)
        self.moved.emit()

    def _on_hint(self, story: str, pos) -> None:
        if story == self.story and StoryPos.of(pos) == self.pos and self.anchor is None:
            return
        if story in self.doc.issue.stories:
            self.start(story, StoryPos.of(pos))

    # ------------------------------------------------------------ geometry
    def story_lines(self, story: str | None = None) -> list[H.FrameLines]:
        """The lines of each frame of the story's thread, in order (indexed once per result)."""
        story = story or self.story
        if story is None:
            return []
        st = self.doc.issue.stories[story]
        result = self.doc.result
        if self._frames_of[0] is not result:
            self._frames_of = (result, {fr.frame_id: fr for p in result.pages
                                        for fr in p.frames})
        frames = self._frames_of[1]
        out = []
        for fid in st.thread:
            fr = frames.get(fid)
            if fr is None:
                continue
            hit = self._lines.get(fid)
            if hit is None or hit[0] is not fr:
                hit = (fr, H.FrameLines(fr))
                self._lines[fid] = hit
            out.append(hit[1])
        return out

    def caret(self) -> H.Caret | None:
        """Where the caret is on the page (None when its text is not shown)."""
        if self.story is None:
            return None
        frames = self.story_lines()
        c = H.caret(frames, self.pos)
        if c is None:
            c = self._caret_nearby(frames)
        return c

    def _caret_nearby(self, frames: list[H.FrameLines]) -> H.Caret | None:
        """A caret for a position with no line of its own (an empty paragraph or story)."""
        para, off = self.pos
        st = self.doc.issue.stories[self.story]
        if off != 0 or (st.paragraphs and E.para_len(st, para) > 0):
            return None                         # overset text: not on the page
        g = self.doc.geometry
        before = [(fl, b) for fl in frames for b in fl.boxes if b.para < para]
        if before:
            fl, b = before[-1]
            y = b.y + g.pitch
            return H.Caret(fl.frame_id, b.x, y, y - (b.y - b.top), y + (b.bottom - b.y))
        if not st.thread:
            return None
        fid = st.thread[0]
        fr = self.doc.issue.frame(fid)[1]
        x, y, _, _ = g.frame_rect(fr)
        base = g.baseline(fr.line) if not fr.box else y + g.body
        return H.Caret(fid, x, base, base - g.body * 0.88, base + g.body * 0.12)

    def caret_rect(self) -> QRectF:
        """The caret as a zero-width rectangle in page points."""
        c = self.caret()
        if c is None:
            return QRectF()
        return QRectF(c.x, c.top, 0, c.bottom - c.top)

    def selection_rects(self) -> list[QRectF]:
        """The highlight rectangles of the selection."""
        sel = self.selection()
        if sel is None:
            return []
        return [QRectF(*r) for r in H.selection_rects(self.story_lines(), *sel)]

    def place(self, frame_id: str, x: float, y: float, extend: bool = False) -> bool:
        """Put the cursor at the story position nearest to a click in a text frame."""
        st = self.doc.issue.story_of_frame(frame_id)
        if st is None:
            return False
        fl = next((f for f in self.story_lines(st.id) if f.frame_id == frame_id), None)
        pos = H.hit(fl, x, y) if fl is not None else None
        if pos is None:
            # an empty frame: the first position it would show
            frames = {fr.frame_id: fr for p in self.doc.result.pages for fr in p.frames}
            fr = frames.get(frame_id)
            pos = fr.start if fr is not None else StoryPos()
        anchor = (self.anchor or self.pos) if extend and self.story == st.id else None
        self.start(st.id, pos, anchor)
        return True

    # ------------------------------------------------------------ editing
    def _story(self) -> m.Story:
        return self.doc.issue.stories[self.story]

    def insert(self, text: str) -> None:
        """Type text at the cursor (replacing the selection); newlines split paragraphs."""
        if self.story is None or not text:
            return
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2029", "\n")
        before = self.pos
        edits: list[E.Edit] = []
        sel = self.selection()
        pos = self.pos
        if sel is not None:
            edits.append(E.DeleteText(self.story, *sel))
            pos = sel[0]
        parts = text.split("\n")
        for i, part in enumerate(parts):
            if part:
                edits.append(E.InsertText(self.story, pos, part))
                pos = StoryPos(pos.para, pos.offset + len(part))
            if i + 1 < len(parts):
                edits.append(E.SplitParagraph(self.story, pos))
                pos = StoryPos(pos.para + 1, 0)
        simple = len(edits) == 1 and isinstance(edits[0], E.InsertText)
        edit = edits[0] if simple else E.Batch(edits, "typing")
        self.anchor = None
        self.pos = pos
        if not self._push(edit, "typing", merge=simple,
                          cursor_before=(self.story, before), cursor_after=(self.story, pos)):
            self.pos = before

    def delete(self, forward: bool) -> None:
        """Backspace (``forward`` False) or Delete; joins paragraphs at their edges."""
        if self.story is None:
            return
        st = self._story()
        sel = self.selection()
        if sel is None:
            other = E.step(st, self.pos, 1 if forward else -1)
            if other == self.pos:
                return
            sel = min(self.pos, other), max(self.pos, other)
        before = self.pos
        self.anchor = None
        self.pos = sel[0]
        if not self._push(E.DeleteText(self.story, *sel), "delete", merge=True,
                          cursor_before=(self.story, before),
                          cursor_after=(self.story, sel[0])):
            self.pos = before

    def _push(self, edit: E.Edit, text: str, **kw) -> bool:
        """``doc.push`` for a typed key: the cyclic collector waits while the page is
        set and drawn again, and what the key made is then kept out of its passes
        (``gc.freeze``): a key pays no young-generation pass over the lines and runs it
        made.  Cycles that die later go at the editor's pause (``view.collect_when_idle``)."""
        with gc_paused():
            try:
                return self.doc.push(edit, text, **kw)
            finally:
                gcpause.freeze()

    def split(self) -> None:
        """Enter: a new paragraph."""
        self.insert("\n")

    def apply_paragraph_style(self, style: str) -> None:
        """Give the paragraphs at the cursor or in the selection a paragraph style."""
        if self.story is None or not self._story().paragraphs:
            return
        a, b = self.selection() or (self.pos, self.pos)
        self.doc.push(E.SetParagraphStyle(self.story, a[0], b[0], style), "paragraph style")

    def apply_char_style(self, style: str) -> None:
        """Give the selected characters a character style ("" removes it)."""
        sel = self.selection()
        if self.story is None or sel is None:
            return
        self.doc.push(E.SetCharStyle(self.story, *sel, style), "character style")

    def selected_text(self) -> str:
        """The selected characters, paragraphs separated by newlines."""
        sel = self.selection()
        if sel is None:
            return ""
        st = self._story()
        a, b = (E.pos_to_index(st, p) for p in sel)
        return E.plain_text(st)[a:b]

    # ------------------------------------------------------------ clipboard
    def copy(self) -> bool:
        """Copy the selection with its character styles (and as plain text)."""
        sel = self.selection()
        if self.story is None or sel is None:
            return False
        from .clipboard import put, text_mime
        put(text_mime(self.doc.issue, self.story, *sel))
        return True

    def cut(self) -> bool:
        """Copy the selection, then delete it (one undo step)."""
        sel = self.selection()
        if not self.copy():
            return False
        from .i18n import tr
        before = self.pos
        self.anchor, self.pos = None, sel[0]
        if not self.doc.push(E.DeleteText(self.story, *sel), tr("undo.cut"),
                             cursor_before=(self.story, before), cursor_after=(self.story, sel[0])):
            self.pos = before
            return False
        return True

    def paste(self, plain: bool = False) -> bool:
        """Paste at the cursor, replacing the selection, as one undo step.

        ``plain`` (Ctrl+Shift+V) drops the character styles; text from other
        programs is cleaned by the importer's rules and the change is reported.
        """
        if self.story is None:
            return False
        from .clipboard import paste_text
        from .i18n import tr
        md = QGuiApplication.clipboard().mimeData()
        if md is None:
            return False
        got = paste_text(self.doc.issue, self.story, self.pos, self.selection(), md,
                         formatted=not plain)
        if got is None:
            self.message.emit(tr("clip.nothing"))
            return False
        before = self.pos
        self.anchor = None
        if not self.doc.push(got.edit, tr("undo.paste"), cursor_before=(self.story, before),
                             cursor_after=(self.story, got.end)):
            return False
        self.start(self.story, got.end)
        if got.cleaned is not None:
            self.last_cleaned = got.cleaned
            self.message.emit(got.cleaned.summary() or tr("clip.pasted_clean"))
        return True

    # ------------------------------------------------------------ keys
    def key(self, ev: QKeyEvent) -> bool:
        """Handle a key press while the cursor is placed; True when it was used."""
        if self.story is None:
            return False
        k, mods = ev.key(), ev.modifiers()
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        st = self._story()
        if k == Qt.Key.Key_Escape:
            self.stop()
            return True
        if ev.matches(QKeySequence.StandardKey.SelectAll):
            last = len(st.paragraphs) - 1
            self.start(self.story,
                       StoryPos(max(0, last), E.para_len(st, last) if last >= 0 else 0),
                       StoryPos())
            return True
        if ev.matches(QKeySequence.StandardKey.Copy):
            self.copy()
            return True
        if ev.matches(QKeySequence.StandardKey.Cut):
            self.cut()
            return True
        if k == Qt.Key.Key_V and ctrl and shift:
            self.paste(plain=True)
            return True
        if ev.matches(QKeySequence.StandardKey.Paste):
            self.paste()
            return True
        moves = {Qt.Key.Key_Left: lambda: E.step(st, self.pos, -1),
                 Qt.Key.Key_Right: lambda: E.step(st, self.pos, 1),
                 Qt.Key.Key_Up: lambda: self._vertical(-1),
                 Qt.Key.Key_Down: lambda: self._vertical(1),
                 Qt.Key.Key_Home: lambda: StoryPos() if ctrl else self._line_edge(False),
                 Qt.Key.Key_End: lambda: E.index_to_pos(st, len(E.plain_text(st))) if ctrl
                 else self._line_edge(True)}
        if k in moves:
            keep_goal = k in (Qt.Key.Key_Up, Qt.Key.Key_Down)
            new = moves[k]()
            anchor = (self.anchor or self.pos) if shift else None
            goal = self._goal_x
            self.start(self.story, new, anchor)
            if keep_goal:
                self._goal_x = goal
            return True
        if k == Qt.Key.Key_Backspace:
            self.delete(False)
            return True
        if k == Qt.Key.Key_Delete:
            self.delete(True)
            return True
        if k in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.split()
            return True
        text = ev.text()
        if text and text.isprintable() and not ctrl:
            self.insert(text)
            return True
        return False

    def _flat(self) -> list[tuple[H.FrameLines, int]]:
        return [(fl, i) for fl in self.story_lines() for i in range(len(fl))]

    def _line_of(self, flat) -> int:
        found = H.locate(self.story_lines(), self.pos)
        if found is None:
            return -1
        return next(k for k, (fl, i) in enumerate(flat) if fl is found[0] and i == found[1])

    def _vertical(self, direction: int) -> Pos:
        flat = self._flat()
        k = self._line_of(flat)
        if k < 0 or not 0 <= k + direction < len(flat):
            return self.pos
        here = flat[k][0].glyphs(flat[k][1])
        c = self.caret()
        x = self._goal_x if self._goal_x is not None else (c.x if c else here.box.x)
        self._goal_x = x
        fl, i = flat[k + direction]
        target = fl.glyphs(i)
        # the same position across the column: relative to each line's own start
        return StoryPos(target.box.para, H.offset_at(target, target.box.x + x - here.box.x))

    def _line_edge(self, end: bool) -> Pos:
        found = H.locate(self.story_lines(), self.pos)
        if found is None:               # overset text: no line on the page, use the paragraph
            return StoryPos(self.pos.para, E.para_len(self._story(), self.pos.para) if end else 0)
        b = found[0].boxes[found[1]]
        return b.end_pos if end else b.start_pos
