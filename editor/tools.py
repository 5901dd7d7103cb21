"""The tools of the left strip: how mouse gestures on the page become edits.

Each tool gets the view's mouse events with the scene position; it shows
feedback (ghost rectangle, size tip, moved items) while dragging and pushes
one edit when the gesture ends.
"""
from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt

from layout import edits as E
from layout import model as m

from . import arrange
from . import guides as G
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
    """Selection (V): select (a grouped frame brings its group), move with snapping to the
    grid, guides and other frames (a magenta hint shows the snap), resize by handles
    (a group's handles resize the module as one), turn by the rotation handle (Shift:
    15° steps, Ctrl+Shift: 90°), drag guides (off the page removes them), click a port
    to thread."""

    name = "select"
    expand_groups = True

    def __init__(self, view):
        super().__init__(view)
        self.mode = None             # move | resize | band | rotate | guide
        self.start = QPointF()
        self.handle = ""
        self.cells: dict[str, S.Cells] = {}
        self.free: dict[str, tuple[float, float, float, float]] = {}   # box frames moving
        self.group_ids: list[str] = []
        self.guide: tuple[str, int] | None = None
        self.rotating: tuple[str, QPointF, float, float] | None = None

    def _scale(self) -> float:
        return self.view.transform().m11() or 1.0

    def _whole_group(self) -> list[str]:
        """The selection when it is exactly one group of two or more frames, else []."""
        sel = self.scene.selection
        if len(sel) < 2:
            return []
        issue = self.doc.issue
        groups = {issue.frame(f)[1].group for f in sel}
        if len(groups) != 1 or "" in groups:
            return []
        return sel if set(arrange.members(issue, sel[0])) == set(sel) else []

    def group_rect(self, ids: list[str]) -> QRectF:
        """The grid rectangle a group spans."""
        return QRectF(*S.rect_of(self.geo, S.Cells(*arrange.group_cells(self.doc.issue, ids))))

    def _handle_at(self, pos: QPointF) -> tuple[str, str] | None:
        tol = HANDLE / self._scale()
        group = self._whole_group()
        if group and not any(self.doc.issue.frame(f)[1].locked for f in group):
            for name, pt in handle_points(self.group_rect(group)).items():
                if abs(pt.x() - pos.x()) <= tol and abs(pt.y() - pos.y()) <= tol:
                    return "", name
        for fid in self.scene.selection:
            item = self.scene.frames.get(fid)
            if item is None or item.deco.locked:
                continue
            local = item.mapFromScene(pos)
            for name, pt in handle_points(item.rect).items():
                if abs(pt.x() - local.x()) <= tol and abs(pt.y() - local.y()) <= tol:
                    return fid, name
        return None

    def _rotation_at(self, pos: QPointF) -> str | None:
        sel = self.scene.selection
        if len(sel) != 1:
            return None
        item = self.scene.frames.get(sel[0])
        if item is None or not item.deco.rotatable or item.deco.locked:
            return None
        knob = item.rotation_handle(self._scale())
        tol = HANDLE / self._scale()
        if abs(knob.x() - pos.x()) <= tol and abs(knob.y() - pos.y()) <= tol:
            return sel[0]
        return None

    def press(self, ev, pos):
        """Start a turn, a resize, a guide move, a move or a rubber band, or load the
        thread cursor from a port."""
        if ev.button() != Qt.MouseButton.LeftButton:
            return
        self.start = pos
        turn = self._rotation_at(pos)
        if turn is not None:
            item = self.scene.frames[turn]
            centre = item.mapToScene(item.rect.center())
            frame = self.doc.issue.frame(turn)[1]
            self.rotating = (turn, centre, _angle(centre, pos), frame.rotate)
            self.mode = "rotate"
            return
        hit = self._handle_at(pos)
        item = self.view.itemAt(ev.position().toPoint()) if hit is None else None
        if isinstance(item, PortItem) and item.which == "out":
            self.view.set_tool("thread", source=item.frame_id)
            return
        if hit is not None:
            fid, self.handle = hit
            self.mode = "resize"
            if fid == "":
                self.group_ids = self._whole_group()
                self.cells = {"": S.Cells(*arrange.group_cells(self.doc.issue, self.group_ids))}
            else:
                self.group_ids = []
                self.cells = {fid: frame_cells(self.doc.issue.frame(fid)[1])}
            return
        guide = self.view.guide_layer.guide_at(pos, G.PICK / self._scale())
        if guide is not None:
            self.guide, self.mode = guide, "guide"
            return
        fi = self.scene.frame_at(pos)
        shift = bool(ev.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if fi is None:
            if not shift:
                self.scene.set_selection([])
            self.mode = "band"
            return
        issue = self.doc.issue
        picked = arrange.members(issue, fi.frame_id) if self.expand_groups else [fi.frame_id]
        sel = list(self.scene.selection)
        if shift:
            sel = [f for f in sel if f not in picked] if fi.frame_id in sel else sel + [
                f for f in picked if f not in sel]
        elif fi.frame_id not in sel or not self.expand_groups:
            sel = picked
        self.scene.set_selection(sel)
        self.alt_copy = bool(ev.modifiers() & Qt.KeyboardModifier.AltModifier)   # Alt-drag
        frames = {fid: issue.frame(fid)[1] for fid in self.scene.selection}
        self.cells = {fid: frame_cells(fr) for fid, fr in frames.items()
                      if not fr.locked and not fr.box}
        self.free = {fid: self.geo.frame_rect(fr) for fid, fr in frames.items()
                     if not fr.locked and fr.box}
        self.mode = "move" if self.cells or self.free else None

    def _moved(self, pos: QPointF):
        """The drag's offset snapped to guides and frame edges, each moving frame's new
        offset (grid frames in whole cells) and the snap to show."""
        g = self.geo
        dx, dy = pos.x() - self.start.x(), pos.y() - self.start.y()
        ids = list(self.cells) + list(self.free)
        # where the frames are in the model (their items' drag offsets left out)
        rects = [self.scene.frames[f].transform().mapRect(self.scene.frames[f].rect)
                 for f in ids if f in self.scene.frames]
        snapped = None
        if rects:
            union = rects[0]
            for r in rects[1:]:
                union = union.united(r)
            union = union.translated(dx, dy)
            xs, ys = self.view.snap_targets(exclude=ids)
            snapped = S.snap_rect(union.getRect(), xs, ys, self.view.snap_tolerance())
            dx, dy = dx + snapped.dx, dy + snapped.dy
        offsets = {}
        for fid, cells in self.cells.items():
            new = S.moved(g, cells, dx, dy)
            x0, y0, _, _ = S.rect_of(g, cells)
            x1, y1, _, _ = S.rect_of(g, new)
            offsets[fid] = (x1 - x0, y1 - y0, new)
        for fid in self.free:
            offsets[fid] = (dx, dy, None)
        if snapped is not None and rects:            # a hint only where the frames landed
            moved = [r.translated(offsets[f][0], offsets[f][1]) for f, r in zip(ids, rects)]
            union = moved[0]
            for r in moved[1:]:
                union = union.united(r)
            snapped = S.snap_rect(union.getRect(), [snapped.hint_x] if snapped.hint_x
                                  is not None else [], [snapped.hint_y] if snapped.hint_y
                                  is not None else [], 0.5)
        return offsets, snapped

    def move(self, ev, pos):
        """Show the moved, resized or turned frames, snapped."""
        g = self.geo
        if self.mode == "move":
            offsets, snapped = self._moved(pos)
            for fid, (ox, oy, _) in offsets.items():
                self.scene.frames[fid].setPos(ox, oy)
            self.view.snap_hint.show_hint(snapped)
            first = next((new for _, _, new in offsets.values() if new is not None), None)
            if first is not None:
                self.scene.tip.show_text(pos, f"{first.col + 1}栏 {first.line + 1}行")
        elif self.mode == "resize":
            fid, cells = next(iter(self.cells.items()))
            local = self.scene.frames[fid].mapFromScene(pos) if fid else pos
            new = S.resized(g, cells, self.handle, local.x(), local.y())
            self.scene.ghost.set_rect(QRectF(*S.rect_of(g, new)))
            self.scene.tip.show_text(pos, tr("drag.size", cols=new.cols, lines=new.lines,
                                             chars=S.chars_across(g, new.cols)))
        elif self.mode == "rotate":
            angle = self._angle(ev, pos)
            self.view.preview_frame(self.rotating[0], rotate=angle)
            self.scene.tip.show_text(pos, f"{angle:g}°")
        elif self.mode == "guide":
            self.view.guide_drag(self.guide[0], pos, moving=self.guide)
        elif self.mode == "band":
            self.scene.ghost.set_rect(QRectF(self.start, pos).normalized())

    def _angle(self, ev, pos: QPointF) -> float:
        fid, centre, a0, rot0 = self.rotating
        angle = rot0 + _angle(centre, pos) - a0
        mods = ev.modifiers()
        if mods & Qt.KeyboardModifier.ShiftModifier:
            step = 90.0 if mods & Qt.KeyboardModifier.ControlModifier else 15.0
            angle = round(angle / step) * step
        return normal_angle(angle)

    def release(self, ev, pos):
        """Commit the move, resize, turn or guide as one undoable edit."""
        g = self.geo
        mode, self.mode = self.mode, None
        self.scene.ghost.setVisible(False)
        self.scene.tip.setVisible(False)
        self.view.snap_hint.show_hint(None)
        if mode == "move":
            offsets, _ = self._moved(pos)
            edits = []
            for fid, (ox, oy, new) in offsets.items():
                self.scene.frames[fid].setPos(0, 0)
                if new is not None and new != self.cells[fid]:
                    edits.append(E.SetFrame(fid, col=new.col, line=new.line))
                elif new is None and (abs(ox) > 0.01 or abs(oy) > 0.01):
                    x, y, _, _ = self.free[fid]
                    frame = self.doc.issue.frame(fid)[1]
                    edits.append(E.SetFrame(fid, **arrange.moved_to(g, frame, x + ox, y + oy)))
            dup = getattr(self.view.window(), "duplicate_frames", None)
            if edits and getattr(self, "alt_copy", False) and dup is not None and self.cells:
                fid, cells = next(iter(self.cells.items()))   # Alt-drag: copies, not a move
                new = offsets[fid][2]
                dup(list(self.cells), (new.col - cells.col, new.line - cells.line))
            elif edits:
                self.doc.push(E.Batch(edits, "move"), "move")
        elif mode == "resize":
            fid, cells = next(iter(self.cells.items()))
            local = self.scene.frames[fid].mapFromScene(pos) if fid else pos
            new = S.resized(g, cells, self.handle, local.x(), local.y())
            if new == cells:
                return
            if fid == "":
                edit = arrange.resize_group(self.doc.issue, self.group_ids,
                                            (new.col, new.line, new.cols, new.lines))
                if edit is not None:
                    self.doc.push(edit, "resize group")
            else:
                self.doc.push(E.SetFrame(fid, col=new.col, line=new.line, cols=new.cols,
                                         lines=new.lines), "resize")
        elif mode == "rotate":
            angle = self._angle(ev, pos)
            self.view.end_preview()
            fid, rot0 = self.rotating[0], self.rotating[3]
            self.rotating = None
            if angle != rot0:
                self.doc.push(E.SetFrame(fid, rotate=angle), "rotate")
        elif mode == "guide" and (pos - self.start).manhattanLength() * self._scale() < 2:
            self.view.guide_drag(self.guide[0], None)       # a click: the guide stays
            self.guide = None
        elif mode == "guide":
            axis, index = self.guide
            old = getattr(self.view.current_page().guides, axis)[index]
            self.view.guide_drop(axis, pos, "zi" if old.endswith("字") else "mm",
                                 moving=self.guide)
            self.guide = None
        elif mode == "band":
            band = QRectF(self.start, pos).normalized()
            if band.width() > 2 or band.height() > 2:
                hit = [fid for fid, it in self.scene.frames.items()
                       if band.intersects(it.scene_rect())]
                if self.expand_groups:
                    hit = arrange.expand(self.doc.issue, hit)
                self.scene.set_selection(hit)

    def double_click(self, ev, pos):
        """Double click in a text frame: start typing there; on a table: its dialog."""
        fi = self.scene.frame_at(pos, ("text", "table"))
        if fi is not None and fi.kind == "table":
            self.scene.set_selection([fi.frame_id])
            opener = getattr(self.view.window(), "table_dialog", None)
            if opener is not None:
                opener()
        elif fi is not None:
            self.view.set_tool("type")
            self.view.tools["type"].press(ev, pos)


def _angle(centre: QPointF, pos: QPointF) -> float:
    """The direction from ``centre`` to ``pos`` in degrees, clockwise on the page."""
    return math.degrees(math.atan2(pos.y() - centre.y(), pos.x() - centre.x()))


def normal_angle(a: float) -> float:
    """An angle in (-180, 180], rounded to a hundredth of a degree."""
    a = round(a % 360.0, 2)
    return a - 360.0 if a > 180.0 else a


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


class DirectTool(SelectTool):
    """Direct selection (A): picks one frame inside a group (and moves or resizes it
    alone); dragging a photo moves the picture inside its crop."""

    name = "direct"
    expand_groups = False

    def __init__(self, view):
        super().__init__(view)
        self.frame_id = None
        self.crop0 = None
        self.image = None

    def press(self, ev, pos):
        """Pick the frame under the mouse; a photo's picture is taken for a crop drag."""
        self.frame_id = None
        if ev.button() != Qt.MouseButton.LeftButton:
            return
        fi = self.scene.frame_at(pos)
        if fi is not None and fi.kind == "photo" and fi.prepared is not None \
                and self._handle_at(pos) is None and self._rotation_at(pos) is None:
            from layout.result import ImageItem
            imgs = [it for it in fi.prepared.items if isinstance(it, ImageItem)]
            if imgs:
                self.scene.set_selection([fi.frame_id])
                self.frame_id, self.start, self.image = fi.frame_id, pos, imgs[0]
                frame = self.doc.issue.frame(fi.frame_id)[1]
                self.crop0 = (list(frame.crop) + [0.5, 0.5, 1.0][len(frame.crop):])[:3]
                return
        super().press(ev, pos)

    def _crop(self, pos: QPointF) -> list[float]:
        cx, cy, zoom = self.crop0
        _, _, cw, ch = self.image.clip
        _, _, dw, dh = self.image.rect
        item = self.scene.frames.get(self.frame_id)
        if item is not None:             # a turned photo: the drag in the picture's own axes
            d = item.transform().inverted()[0].map(pos) - \
                item.transform().inverted()[0].map(self.start)
        else:
            d = pos - self.start
        if dw > cw + 0.01:
            cx = min(1.0, max(0.0, cx - d.x() / (dw - cw)))
        if dh > ch + 0.01:
            cy = min(1.0, max(0.0, cy - d.y() / (dh - ch)))
        return [round(cx, 4), round(cy, 4), zoom]

    def move(self, ev, pos):
        """Show the new crop live (the model changes only when the drag ends)."""
        if self.frame_id is None:
            super().move(ev, pos)
        elif ev.buttons() & Qt.MouseButton.LeftButton:
            self.view.preview_frame(self.frame_id, crop=self._crop(pos))

    def release(self, ev, pos):
        """Commit the crop (or the move, resize, turn) as one edit."""
        if self.frame_id is None:
            super().release(ev, pos)
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

