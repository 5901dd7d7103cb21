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


class _ClickOrDrag(Tool):
    """A tool whose gesture is a click or a drag from ``start`` (the place cursor, zoom)."""

    def __init__(self, view):
        super().__init__(view)
        self.start: QPointF | None = None
        self.press_px = QPointF()

    def _begin(self, ev, pos: QPointF) -> None:
        self.start, self.press_px = pos, ev.position()

    def _end(self, ev) -> "tuple[QPointF, QPointF] | None":
        """End the gesture: its start and how far the pointer went on screen (None when
        none was begun); the ghost is hidden."""
        if self.start is None:
            return None
        start, self.start = self.start, None
        self.scene.ghost.setVisible(False)
        return start, ev.position() - self.press_px


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
        self.handle_pt = QPointF()
        self.press_px = QPointF()
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

    def _moved_enough(self, ev) -> bool:
        """Whether the pointer left the press point by more than a click's jitter (1.5 px)."""
        d = ev.position() - self.press_px
        return abs(d.x()) > 1.5 or abs(d.y()) > 1.5

    def _resized(self, pos: QPointF) -> S.Cells:
        """The cells after moving the grabbed handle by the pointer's movement (in the frame's
        own coordinates: a rotated frame resizes along its sides)."""
        fid, cells = next(iter(self.cells.items()))
        item = self.scene.frames.get(fid) if fid else None
        if item is not None:
            d = item.mapFromScene(pos) - item.mapFromScene(self.start)
        else:
            d = pos - self.start
        target = self.handle_pt + d
        return S.resized(self.geo, cells, self.handle, target.x(), target.y())

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
        self.press_px = ev.position()
        turn = self._rotation_at(pos)
        if turn is not None:
            item = self.scene.frames[turn]
            centre = item.mapToScene(item.rect.center())
            frame = self.doc.issue.frame(turn)[1]
            self.rotating = (turn, centre, _angle(centre, pos), frame.rotate)
            self.mode = "rotate"
            return
        # ports win over resize handles: a touching frame's handle may lie under an out port
        item = self.view.itemAt(ev.position().toPoint())
        if isinstance(item, PortItem) and item.which == "out" and item.isVisible():
            self.view.set_tool("thread", source=item.frame_id)
            return
        hit = self._handle_at(pos)
        if hit is not None:
            fid, self.handle = hit
            self.mode = "resize"
            if fid == "":
                self.group_ids = self._whole_group()
                self.cells = {"": S.Cells(*arrange.group_cells(self.doc.issue, self.group_ids))}
                self.handle_pt = handle_points(self.group_rect(self.group_ids))[self.handle]
            else:
                self.group_ids = []
                self.cells = {fid: frame_cells(self.doc.issue.frame(fid)[1])}
                # resize by the pointer's movement from the handle, not to its absolute position
                self.handle_pt = handle_points(self.scene.frames[fid].rect)[self.handle]
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
            facing = self._facing_moves(pos)
            for fid, (ox, oy, _) in offsets.items():
                if facing is not None:                # across the fold: where it will land
                    ox, oy = facing[fid][1]
                self.scene.frames[fid].setPos(ox, oy)
            self.view.snap_hint.show_hint(snapped)
            first = next((new for _, _, new in offsets.values() if new is not None), None)
            if first is not None:
                self.scene.tip.show_text(pos, tr("drag.pos", col=first.col + 1,
                                                 line=first.line + 1))
        elif self.mode == "resize":
            new = self._resized(pos)
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
                item = self.scene.frames[fid]
                item.update()                 # the old place, handles included
                item.setPos(0, 0)
                if not self._moved_enough(ev):
                    continue
                if new is not None and new != self.cells[fid]:
                    edits.append(E.SetFrame(fid, col=new.col, line=new.line))
                elif new is None and (abs(ox) > 0.01 or abs(oy) > 0.01):
                    x, y, _, _ = self.free[fid]
                    frame = self.doc.issue.frame(fid)[1]
                    edits.append(E.SetFrame(fid, **arrange.moved_to(g, frame, x + ox, y + oy)))
            dup = getattr(self.view.window(), "duplicate_frames", None)
            alt = getattr(self, "alt_copy", False)
            if edits and not alt and self._onto_facing_page(pos, offsets):
                return
            if edits and alt and dup is not None and self.cells:
                fid, cells = next(iter(self.cells.items()))   # Alt-drag: copies, not a move
                new = offsets[fid][2]
                dup(list(self.cells), (new.col - cells.col, new.line - cells.line))
            elif edits:
                self.doc.push(E.Batch(edits, "move"), "move")
        elif mode == "resize":
            fid, cells = next(iter(self.cells.items()))
            new = self._resized(pos)
            if new == cells or not self._moved_enough(ev):
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

    def _facing_moves(self, pos: QPointF) -> dict | None:
        """Spread view, the pointer on the facing page: each moving frame's field changes
        there and its drag offset as drawn on this page; None elsewhere."""
        scene, g, issue = self.scene, self.geo, self.doc.issue
        other = scene.partner_number() if scene.spread else None
        if other is None:
            return None
        off = scene.partner_offset()
        if not QRectF(off, 0, g.width, g.height).contains(pos):
            return None
        # the drag itself (the usual offsets stay on this page): across the fold, on the grid
        dx, dy = pos.x() - self.start.x() - off, pos.y() - self.start.y()
        out = {}
        for fid in list(self.cells) + list(self.free):
            frame = issue.frame(fid)[1]
            if fid in self.cells:
                old = self.cells[fid]
                cells = S.moved(g, old, dx, dy)
                x0, y0, _, _ = S.rect_of(g, old)
                x1, y1, _, _ = S.rect_of(g, cells)
                out[fid] = ({"col": cells.col, "line": cells.line}, (x1 + off - x0, y1 - y0))
            else:
                x, y, _, _ = self.free[fid]
                out[fid] = (arrange.moved_to(g, frame, x + dx, y + dy), (dx + off, dy))
        return out

    def _onto_facing_page(self, pos: QPointF, offsets: dict) -> bool:
        """Spread view: frames dropped on the facing page move onto that page (their place
        on it as dropped, their threads kept), one undo step; that page is then edited."""
        moves = self._facing_moves(pos)
        if moves is None:
            return False
        issue, scene = self.doc.issue, self.scene
        other = scene.partner_number()
        removes, adds, threads = [], [], {}
        for fid, (changes, _) in moves.items():
            frame = issue.frame(fid)[1]
            for sid, st in issue.stories.items():
                if fid in st.thread:
                    threads.setdefault(sid, list(st.thread))
            removes.append(E.RemoveFrame(fid))
            adds.append(E.AddFrame(other, E.copy_frame(frame, fid, **changes)))
        edits = removes + adds + [E.SetThread(sid, th) for sid, th in threads.items()]
        if not self.doc.push(E.Batch(edits, "move"), "move"):
            return True
        win = self.view.window()
        if hasattr(win, "focus_facing_at"):
            win.focus_facing_at(pos)                  # the page they went to, view held still
        scene.set_selection([f for f in moves if f in scene.frames])
        return True

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


class PlaceTool(_ClickOrDrag):
    """The loaded place cursor (排入): a story picked in the stories list goes into a new frame.

    A click makes a one-column frame from the clicked line to the foot of the type
    area; a drag draws the frame on the grid; Shift-click autoflows: frames down
    the free parts of the columns, page after page (adding pages), threaded, until
    the story is all placed.  Each gesture is one undo step; Esc unloads the cursor.
    """

    name = "place"
    cursor = Qt.CursorShape.DragCopyCursor
    MIN_LINES = 3          # autoflow skips free runs shorter than this
    MAX_PAGES = 40         # autoflow gives up (and says so) after adding this many pages

    def __init__(self, view):
        super().__init__(view)
        self.story: str | None = None

    def activate(self, story: str | None = None):
        """Load the cursor with a story."""
        super().activate()
        self.story = story
        st = self.doc.issue.stories.get(story or "")
        name = (st.name or st.headline.title or st.id) if st is not None else ""
        self.view.status(tr("place.loaded", name=name))

    def press(self, ev, pos):
        """Start a click or a drawn frame."""
        if ev.button() == Qt.MouseButton.LeftButton and self.story:
            self._begin(ev, pos)

    def move(self, ev, pos):
        """Show the frame being drawn and its size."""
        if self.start is None or not ev.buttons() & Qt.MouseButton.LeftButton:
            return
        c = S.cells_between(self.geo, self.start.x(), self.start.y(), pos.x(), pos.y())
        self.scene.ghost.set_rect(QRectF(*S.rect_of(self.geo, c)))
        self.scene.tip.show_text(pos, tr("drag.size", cols=c.cols, lines=c.lines,
                                         chars=S.chars_across(self.geo, c.cols)))

    def release(self, ev, pos):
        """Place the story: drawn frame, column frame, or autoflow (Shift)."""
        gesture = self._end(ev)
        if gesture is None:
            return
        start, d = gesture
        self.scene.tip.setVisible(False)
        g, page = self.geo, self.scene.page_number
        if abs(d.x()) > 4 or abs(d.y()) > 4:
            cells = S.cells_between(g, start.x(), start.y(), pos.x(), pos.y())
        else:
            col, line = self._cell_at(start)
            if ev.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.autoflow(page, col, line)
                return
            cells = S.Cells(col, line, 1, g.lines - line)
        fid = E.new_frame_id(self.doc.issue, page, "text")
        frame = m.TextFrame(fid, col=cells.col, line=cells.line, cols=cells.cols,
                            lines=cells.lines)
        story = self.doc.issue.stories[self.story]
        edit = E.Batch([E.AddFrame(page, frame), E.SetThread(self.story, story.thread + [fid])],
                       "place")
        if self.doc.push(edit, "place"):
            self.scene.set_selection([fid])
            self._unload()

    def _cell_at(self, pos: QPointF) -> tuple[int, int]:
        g = self.geo
        col = max(0, min(g.columns - 1, int((pos.x() - g.left) // (g.column + g.gutter))))
        line = max(0, min(g.lines - 1, int((pos.y() - g.top) // g.pitch)))
        return col, line

    def _free_run(self, page: m.Page, col: int, line: int) -> tuple[int, int] | None:
        """The first run of free grid lines in a column at or below ``line`` (start, length)."""
        g = self.geo
        taken = [False] * g.lines
        for fr in page.frames:
            if fr.box or fr.kind == "box" or not fr.col <= col < fr.col + fr.cols:
                continue
            for i in range(max(0, fr.line), min(g.lines, fr.line + fr.lines)):
                taken[i] = True
        i = line
        while i < g.lines:
            if taken[i]:
                i += 1
                continue
            j = i
            while j < g.lines and not taken[j]:
                j += 1
            if j - i >= self.MIN_LINES:
                return i, j - i
            i = j
        return None

    def autoflow(self, page_no: int, col: int, line: int) -> bool:
        """Shift-click: frames down the columns from (col, line), adding pages, one undo step."""
        doc, issue = self.doc, self.doc.issue
        sid = self.story
        edits: list[E.Edit] = []
        added_pages = 0
        thread = list(issue.stories[sid].thread)

        def apply(edit):
            edit.apply(issue)
            edits.append(edit)
        try:
            while True:
                page = next(p for p in issue.pages if p.number == page_no)
                run = None
                while col < self.geo.columns:
                    run = self._free_run(page, col, line)
                    if run is not None:
                        break
                    col, line = col + 1, 0
                if run is None:                       # the page is full: the next, or a new one
                    numbers = [p.number for p in issue.pages]
                    later = [n for n in numbers if n > page_no]
                    if later:
                        page_no = min(later)
                    else:
                        if added_pages >= self.MAX_PAGES:
                            raise E.EditError(tr("place.too_long"))
                        page_no = max(numbers) + 1
                        apply(E.AddPage(m.Page(page_no)))
                        added_pages += 1
                    col, line = 0, 0
                    continue
                fid = E.new_frame_id(issue, page_no, "text")
                apply(E.AddFrame(page_no, m.TextFrame(fid, col=col, line=run[0], cols=1,
                                                      lines=run[1])))
                thread.append(fid)
                apply(E.SetThread(sid, list(thread)))
                cf = doc.composer.compose().copyfit.get(sid)
                if cf is None or not (cf.overset_lines or cf.overset_chars):
                    break
                col, line = col + 1, 0
        except (E.EditError, KeyError, ValueError) as exc:
            for e in reversed(edits):
                e.revert(issue)
            doc.edited(E.Touched(structure=True))
            self.view.status(tr("status.refused", msg=str(exc)))
            return False
        for e in reversed(edits):
            e.revert(issue)
        if not doc.push(E.Batch(edits, "autoflow"), "autoflow"):
            return False
        self.view.status(tr("place.flowed", n=sum(isinstance(e, E.AddFrame) for e in edits),
                            pages=added_pages))
        self._unload()
        return True

    def _unload(self) -> None:
        self.story = None
        self.view.set_tool("select")

    def escape(self):
        """Esc unloads the cursor; nothing is placed."""
        self._unload()
        return True


class ZoomTool(_ClickOrDrag):
    """Zoom (Z): click zooms in about the point, Alt-click zooms out, a drag zooms to the marquee."""

    name = "zoom"
    cursor = Qt.CursorShape.CrossCursor

    def press(self, ev, pos):
        """Start a click or a marquee."""
        if ev.button() == Qt.MouseButton.LeftButton:
            self._begin(ev, pos)

    def move(self, ev, pos):
        """Show the marquee."""
        if self.start is not None and ev.buttons() & Qt.MouseButton.LeftButton:
            self.scene.ghost.set_rect(QRectF(self.start, pos).normalized())

    def release(self, ev, pos):
        """Zoom in or out at the click, or to the marquee."""
        gesture = self._end(ev)
        if gesture is None:
            return
        start, d = gesture
        if abs(d.x()) > 4 and abs(d.y()) > 4:
            self.view.zoom_to(QRectF(start, pos).normalized())
            return
        out = bool(ev.modifiers() & Qt.KeyboardModifier.AltModifier)
        self.view.zoom_step(-1 if out else 1, ev.position())


def make_tools(view) -> dict[str, Tool]:
    """Every tool by name."""
    tools = [SelectTool(view), DirectTool(view), TypeTool(view), ThreadTool(view),
             HandTool(view), ZoomTool(view), PlaceTool(view)] + [FrameTool(view, k) for k in FrameTool.KINDS]
    return {t.name: t for t in tools}

