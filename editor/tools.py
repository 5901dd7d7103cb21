"""The tools of the left strip: how mouse gestures on the page become edits.

Each tool gets the view's mouse events with the scene position; it shows
feedback (ghost rectangle, size tip, moved items) while dragging and pushes
one edit when the gesture ends.
"""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt

from layout import edits as E
from layout import model as m

from . import snap as S
from .i18n import tr
from .items import HANDLE, PortItem, handle_points


def frame_cells(frame: m.Frame) -> S.Cells:
    """A frame's grid cells."""
    return S.Cells(frame.col, frame.line, frame.cols, frame.lines)


class Tool:
    """Base tool: does nothing; subclasses override the gestures they use."""

    name = "tool"
    cursor = Qt.CursorShape.ArrowCursor

    def __init__(self, view):
        self.view = view

    @property
    def doc(self):
        """The document being edited."""
        return self.view.doc

    @property
    def scene(self):
        """The page scene."""
        return self.view.page_scene

    @property
    def geo(self):
        """The page geometry."""
        return self.doc.geometry

    def activate(self) -> None:
        """The tool was chosen."""
        self.view.viewport().setCursor(self.cursor)

    def deactivate(self) -> None:
        """Another tool was chosen."""
        self.scene.ghost.setVisible(False)
        self.scene.tip.setVisible(False)

    def press(self, ev, pos: QPointF) -> None:
        """Mouse button pressed at scene point ``pos``."""

    def move(self, ev, pos: QPointF) -> None:
        """Mouse moved (button held or not)."""

    def release(self, ev, pos: QPointF) -> None:
        """Mouse button released."""

    def double_click(self, ev, pos: QPointF) -> None:
        """Double click."""

    def escape(self) -> bool:
        """Esc pressed; True when the tool used it."""
        return False


class SelectTool(Tool):
    """Selection (V): select, move with snapping, resize by handles, click a port to thread."""

    name = "select"

    def __init__(self, view):
        super().__init__(view)
        self.mode = None             # move | resize | band
        self.start = QPointF()
        self.handle = ""
        self.cells: dict[str, S.Cells] = {}

    def _handle_at(self, pos: QPointF) -> tuple[str, str] | None:
        scale = self.view.transform().m11() or 1.0
        tol = HANDLE / scale
        for fid in self.scene.selection:
            item = self.scene.frames.get(fid)
            if item is None or item.deco.locked:
                continue
            for name, pt in handle_points(item.rect).items():
                if abs(pt.x() - pos.x()) <= tol and abs(pt.y() - pos.y()) <= tol:
                    return fid, name
        return None

    def press(self, ev, pos):
        """Start a move, a resize, a rubber band, or load the thread cursor from a port."""
        if ev.button() != Qt.MouseButton.LeftButton:
            return
        self.start = pos
        hit = self._handle_at(pos)
        item = self.view.itemAt(ev.position().toPoint()) if hit is None else None
        if isinstance(item, PortItem) and item.which == "out":
            self.view.set_tool("thread", source=item.frame_id)
            return
        if hit is not None:
            fid, self.handle = hit
            self.mode = "resize"
            self.cells = {fid: frame_cells(self.doc.issue.frame(fid)[1])}
            return
        fi = self.scene.frame_at(pos)
        shift = bool(ev.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if fi is None:
            if not shift:
                self.scene.set_selection([])
            self.mode = "band"
            return
        sel = list(self.scene.selection)
        if shift:
            sel = [f for f in sel if f != fi.frame_id] if fi.frame_id in sel else sel + [fi.frame_id]
        elif fi.frame_id not in sel:
            sel = [fi.frame_id]
        self.scene.set_selection(sel)
        self.alt_copy = bool(ev.modifiers() & Qt.KeyboardModifier.AltModifier)   # Alt-drag
        frames = {fid: self.doc.issue.frame(fid)[1] for fid in sel}
        self.cells = {fid: frame_cells(fr) for fid, fr in frames.items()
                      if not fr.locked and not fr.box}
        self.mode = "move" if self.cells else None

    def move(self, ev, pos):
        """Show the moved or resized frames snapped to the grid."""
        g = self.geo
        if self.mode == "move":
            dx, dy = pos.x() - self.start.x(), pos.y() - self.start.y()
            for fid, cells in self.cells.items():
                new = S.moved(g, cells, dx, dy)
                x0, y0, _, _ = S.rect_of(g, cells)
                x1, y1, _, _ = S.rect_of(g, new)
                self.scene.frames[fid].setPos(x1 - x0, y1 - y0)
            first = next(iter(self.cells.values()))
            new = S.moved(g, first, dx, dy)
            self.scene.tip.show_text(pos, f"{new.col + 1}栏 {new.line + 1}行")
        elif self.mode == "resize":
            fid, cells = next(iter(self.cells.items()))
            new = S.resized(g, cells, self.handle, pos.x(), pos.y())
            self.scene.ghost.set_rect(QRectF(*S.rect_of(g, new)))
            self.scene.tip.show_text(pos, tr("drag.size", cols=new.cols, lines=new.lines,
                                             chars=S.chars_across(g, new.cols)))
        elif self.mode == "band":
            self.scene.ghost.set_rect(QRectF(self.start, pos).normalized())

    def release(self, ev, pos):
        """Commit the move or resize as one undoable edit."""
        g = self.geo
        mode, self.mode = self.mode, None
        self.scene.ghost.setVisible(False)
        self.scene.tip.setVisible(False)
        if mode == "move":
            dx, dy = pos.x() - self.start.x(), pos.y() - self.start.y()
            edits = []
            for fid, cells in self.cells.items():
                self.scene.frames[fid].setPos(0, 0)
                new = S.moved(g, cells, dx, dy)
                if new != cells:
                    edits.append(E.SetFrame(fid, col=new.col, line=new.line))
            dup = getattr(self.view.window(), "duplicate_frames", None)
            if edits and getattr(self, "alt_copy", False) and dup is not None:
                fid, cells = next(iter(self.cells.items()))   # Alt-drag: copies, not a move
                new = S.moved(g, cells, dx, dy)
                dup(list(self.cells), (new.col - cells.col, new.line - cells.line))
            elif edits:
                self.doc.push(E.Batch(edits, "move"), "move")
        elif mode == "resize":
            fid, cells = next(iter(self.cells.items()))
            new = S.resized(g, cells, self.handle, pos.x(), pos.y())
            if new != cells:
                self.doc.push(E.SetFrame(fid, col=new.col, line=new.line, cols=new.cols,
                                         lines=new.lines), "resize")
        elif mode == "band":
            band = QRectF(self.start, pos).normalized()
            if band.width() > 2 or band.height() > 2:
                hit = [fid for fid, it in self.scene.frames.items() if band.intersects(it.rect)]
                self.scene.set_selection(hit)

    def double_click(self, ev, pos):
        """Double click in a text frame: start typing there."""
        fi = self.scene.frame_at(pos, ("text",))
        if fi is not None:
            self.view.set_tool("type")
            self.view.tools["type"].press(ev, pos)


class FrameTool(Tool):
    """Draw a text, headline, photo or rule frame across columns, snapped to the grid."""

    cursor = Qt.CursorShape.CrossCursor
    KINDS = {"text": m.TextFrame, "headline": m.HeadlineFrame, "photo": m.PhotoFrame,
             "rule": m.RuleFrame}

    def __init__(self, view, kind: str):
        super().__init__(view)
        self.kind, self.name = kind, "frame-" + kind
        self.start: QPointF | None = None

    def _cells(self, pos: QPointF) -> S.Cells:
        cells = S.cells_between(self.geo, self.start.x(), self.start.y(), pos.x(), pos.y())
        if self.kind == "rule":
            horizontal = abs(pos.x() - self.start.x()) >= abs(pos.y() - self.start.y())
            cells = S.Cells(cells.col, cells.line, cells.cols, 1) if horizontal else \
                S.Cells(cells.col, cells.line, 1, cells.lines)
        return cells

    def press(self, ev, pos):
        """Start the rectangle."""
        if ev.button() == Qt.MouseButton.LeftButton:
            self.start = pos

    def move(self, ev, pos):
        """Show the snapped rectangle and its size in 栏 × 行 (字)."""
        if self.start is None:
            return
        c = self._cells(pos)
        self.scene.ghost.set_rect(QRectF(*S.rect_of(self.geo, c)))
        self.scene.tip.show_text(pos, tr("drag.size", cols=c.cols, lines=c.lines,
                                         chars=S.chars_across(self.geo, c.cols)))

    def release(self, ev, pos):
        """Add the frame (one undoable edit) and select it."""
        if self.start is None:
            return
        c = self._cells(pos)
        self.start = None
        self.scene.ghost.setVisible(False)
        self.scene.tip.setVisible(False)
        page = self.scene.page_number
        fid = E.new_frame_id(self.doc.issue, page, self.kind)
        frame = self.KINDS[self.kind](fid, col=c.col, line=c.line, cols=c.cols, lines=c.lines)
        if self.doc.push(E.AddFrame(page, frame), "add frame"):
            self.scene.set_selection([fid])


class ThreadTool(Tool):
    """Thread (N), or the loaded cursor after clicking an out port: click frames to link them.

    Shift-click on an empty column makes a one-column frame from the clicked
    line to the foot of the type area and links it.
    """

    name = "thread"
    cursor = Qt.CursorShape.PointingHandCursor

    def __init__(self, view):
        super().__init__(view)
        self.source: str | None = None

    def activate(self, source: str | None = None):
        """Load the cursor from ``source`` (None: pick the first frame by clicking)."""
        super().activate()
        self.source = source
        self.view.status(tr("tool.thread"))

    def press(self, ev, pos):
        """Link the clicked frame after the loaded one (or pick the first frame)."""
        if ev.button() != Qt.MouseButton.LeftButton:
            return
        fi = self.scene.frame_at(pos, ("text",))
        shift = bool(ev.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if fi is None and shift and self.source is not None:
            fid = self._new_column_frame(pos)
            if fid is None:
                return
        elif fi is None:
            return
        else:
            fid = fi.frame_id
        if self.source is None:
            if self.doc.issue.story_of_frame(fid) is None:
                self.view.status(tr("status.refused", msg=fid))
                return
            self.source = fid
            self.scene.set_selection([fid])
            return
        try:
            edit = E.link(self.doc.issue, self.source, fid)
        except (E.EditError, KeyError) as exc:
            self.view.status(tr("status.refused", msg=str(exc)))
            return
        if self.doc.push(edit, "link"):
            self.source = fid
            self.scene.set_selection([fid])

    def _new_column_frame(self, pos: QPointF) -> str | None:
        g = self.geo
        col = max(0, min(g.columns - 1, int((pos.x() - g.left) // (g.column + g.gutter))))
        line = S.line_edge(g, pos.y())
        if line >= g.lines:
            return None
        page = self.scene.page_number
        fid = E.new_frame_id(self.doc.issue, page, "text")
        frame = m.TextFrame(fid, col=col, line=line, cols=1, lines=g.lines - line)
        return fid if self.doc.push(E.AddFrame(page, frame), "add frame") else None

    def escape(self):
        """Esc unloads the cursor (no text is lost) and returns to Selection."""
        self.source = None
        self.view.set_tool("select")
        return True


class TypeTool(Tool):
    """Type (T): click in a text frame to place the cursor, drag to select."""

    name = "type"
    cursor = Qt.CursorShape.IBeamCursor

    def __init__(self, view):
        super().__init__(view)
        self.dragging = False

    def press(self, ev, pos):
        """Place the cursor (a frame without a story gets a new empty story)."""
        if ev.button() != Qt.MouseButton.LeftButton:
            return
        fi = self.scene.frame_at(pos, ("text",))
        text = self.view.text
        if fi is None:
            text.stop()
            return
        if self.doc.issue.story_of_frame(fi.frame_id) is None:
            sid = E.new_story_id(self.doc.issue)
            if not self.doc.push(E.Batch([E.AddStory(E.empty_story(sid)),
                                          E.SetThread(sid, [fi.frame_id])], "new story")):
                return
        extend = bool(ev.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        text.place(fi.frame_id, pos.x(), pos.y(), extend)
        self.scene.set_selection([fi.frame_id])
        self.dragging = True

    def move(self, ev, pos):
        """Extend the selection while the button is held."""
        if not self.dragging:
            return
        fi = self.scene.frame_at(pos, ("text",))
        if fi is not None:
            self.view.text.place(fi.frame_id, pos.x(), pos.y(), extend=True)

    def release(self, ev, pos):
        """End the drag."""
        self.dragging = False


class HandTool(Tool):
    """Hand (H), Space or middle button: drag the page around."""

    name = "hand"
    cursor = Qt.CursorShape.OpenHandCursor

    def __init__(self, view):
        super().__init__(view)
        self.last = None

    def press(self, ev, pos):
        """Grab."""
        self.last = ev.position()
        self.view.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)

    def move(self, ev, pos):
        """Scroll by the mouse movement."""
        if self.last is None:
            return
        d = ev.position() - self.last
        self.last = ev.position()
        h, v = self.view.horizontalScrollBar(), self.view.verticalScrollBar()
        h.setValue(h.value() - int(d.x()))
        v.setValue(v.value() - int(d.y()))

    def release(self, ev, pos):
        """Let go."""
        self.last = None
        self.view.viewport().setCursor(self.cursor)


class DirectTool(Tool):
    """Direct selection (A): drag a photo inside its frame to move the crop."""

    name = "direct"

    def __init__(self, view):
        super().__init__(view)
        self.frame_id = None
        self.start = QPointF()
        self.crop0 = None
        self.image = None

    def press(self, ev, pos):
        """Pick the photo under the mouse."""
        fi = self.scene.frame_at(pos, ("photo",))
        self.frame_id = None
        if fi is None or fi.prepared is None:
            return
        from layout.result import ImageItem
        imgs = [it for it in fi.prepared.items if isinstance(it, ImageItem)]
        if not imgs:
            return
        self.scene.set_selection([fi.frame_id])
        self.frame_id, self.start, self.image = fi.frame_id, pos, imgs[0]
        frame = self.doc.issue.frame(fi.frame_id)[1]
        self.crop0 = (list(frame.crop) + [0.5, 0.5, 1.0][len(frame.crop):])[:3]

    def _crop(self, pos: QPointF) -> list[float]:
        cx, cy, zoom = self.crop0
        _, _, cw, ch = self.image.clip
        _, _, dw, dh = self.image.rect
        if dw > cw + 0.01:
            cx = min(1.0, max(0.0, cx - (pos.x() - self.start.x()) / (dw - cw)))
        if dh > ch + 0.01:
            cy = min(1.0, max(0.0, cy - (pos.y() - self.start.y()) / (dh - ch)))
        return [round(cx, 4), round(cy, 4), zoom]

    def move(self, ev, pos):
        """Show the new crop live (the model changes only when the drag ends)."""
        if self.frame_id is not None and ev.buttons() & Qt.MouseButton.LeftButton:
            self.view.preview_frame(self.frame_id, crop=self._crop(pos))

    def release(self, ev, pos):
        """Commit the crop as one edit."""
        if self.frame_id is None:
            return
        crop = self._crop(pos)
        self.view.end_preview()
        if crop != self.crop0:
            self.doc.push(E.SetFrame(self.frame_id, crop=crop), "crop")
        self.frame_id = None


def make_tools(view) -> dict[str, Tool]:
    """Every tool by name."""
    tools = [SelectTool(view), DirectTool(view), TypeTool(view), ThreadTool(view),
             HandTool(view)] + [FrameTool(view, k) for k in FrameTool.KINDS]
    return {t.name: t for t in tools}

