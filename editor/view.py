"""The page view: zoom and pan, tool dispatch, keys, input methods, drag and drop."""
from __future__ import annotations

import gc
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QInputMethodEvent, QKeyEvent, QPainter, QTransform
from PySide6.QtWidgets import QGraphicsView

from layout import edits as E
from layout import gcpause
from layout import model as m

from . import guides as G
from . import snap as S
from .i18n import tr
from .rulers import SIZE as RULER_SIZE
from .rulers import Ruler
from .tools import make_tools

STORY_MIME = "application/x-banmian-story"
IMAGE_EXT = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp", ".bmp"}
#: after this long without a change, the cyclic collector runs (ms) ...
IDLE_COLLECT_MS = 1500
#: ... over everything (not only what was made since the last pause) at most this often (s)
FULL_COLLECT_S = 60.0
ZOOM_STEPS = [0.125, 0.25, 0.33, 0.5, 0.67, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0]


class PageView(QGraphicsView):
    """Shows the page scene; turns mouse and keys into tool gestures and text edits."""

    zoomChanged = Signal(float)           # percent of actual size
    cursorMoved = Signal(QPointF)         # scene position under the mouse
    toolChanged = Signal(str)
    message = Signal(str)

    def __init__(self, doc, scene, text, parent=None):
        super().__init__(scene, parent)
        self.doc, self.page_scene, self.text = doc, scene, text
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.TextAntialiasing
                            | QPainter.RenderHint.SmoothPixmapTransform)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState, True)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setBackgroundBrush(QColor(150, 150, 155))
        self.setMouseTracking(True)
        self.setAcceptDrops(True)
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.tools = make_tools(self)
        self.tool = self.tools["select"]
        self._space = False
        self._pan_tool = None
        self._preview = None
        self._blink = QTimer(self)
        self._blink.timeout.connect(self._toggle_caret)
        self._blink.start(530)
        # the collector's full pass (30-40 ms over a day's layout) waits for a pause
        self._idle_collect = QTimer(self)
        self._idle_collect.setSingleShot(True)
        self._idle_collect.setInterval(IDLE_COLLECT_MS)
        self._idle_collect.timeout.connect(self._collect_when_idle)
        self._full_collect = time.monotonic()
        doc.changed.connect(lambda _t=None: self._idle_collect.start())
        self.zoomChanged.connect(lambda z: scene.set_view_scale(self.transform().m11(), z / 100))
        text.moved.connect(self.update_caret)
        text.activeChanged.connect(self._text_active)
        self._rulers_and_guides()

    # ------------------------------------------------------------ rulers and guides
    def _rulers_and_guides(self) -> None:
        self.rulers = {"x": Ruler(self, "x"), "y": Ruler(self, "y")}
        self.show_rulers(True)
        self.guide_layer = G.GuideLayer(self.doc.geometry)
        self.snap_hint = G.SnapHint(self.doc.geometry)
        self.page_scene.addItem(self.guide_layer)
        self.page_scene.addItem(self.snap_hint)
        self.snapping = True
        self.doc.changed.connect(lambda _t=None: self.sync_guides())
        self.page_scene.pageShown.connect(lambda _n: self.sync_guides())
        self.zoomChanged.connect(lambda _z: self._update_rulers())
        self.sync_guides()

    def show_rulers(self, on: bool) -> None:
        """Show or hide the rulers (Ctrl+R)."""
        m_ = RULER_SIZE if on else 0
        self.setViewportMargins(m_, m_, 0, 0)
        for r in self.rulers.values():
            r.setVisible(on)
        self._place_rulers()

    def set_ruler_unit(self, unit: str) -> None:
        """Count the rulers in mm or in 字/栏 ("zi")."""
        for r in self.rulers.values():
            r.set_unit(unit)

    def _place_rulers(self) -> None:
        vp = self.viewport().geometry()
        self.rulers["x"].setGeometry(vp.left(), vp.top() - RULER_SIZE, vp.width(), RULER_SIZE)
        self.rulers["y"].setGeometry(vp.left() - RULER_SIZE, vp.top(), RULER_SIZE, vp.height())

    def _update_rulers(self) -> None:
        for r in self.rulers.values():
            r.update()

    def paintEvent(self, ev) -> None:
        """Paint; a page shown for the first time is then prepared for typing
        (``PageScene.warm_up``) on the next turn of the event loop."""
        super().paintEvent(ev)
        if getattr(self.page_scene, "_warm_pending", None) is not None:
            QTimer.singleShot(0, self.page_scene.warm_up)

    def resizeEvent(self, ev) -> None:
        """Keep the rulers along the viewport."""
        super().resizeEvent(ev)
        self._place_rulers()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        """Scroll the rulers with the page."""
        super().scrollContentsBy(dx, dy)
        self._update_rulers()

    def current_page(self) -> m.Page:
        """The model page shown."""
        return self.doc.page(self.page_scene.page_number)

    def sync_guides(self) -> None:
        """Show the shown page's guides."""
        g = self.doc.geometry
        self.snap_hint.geo = g
        try:
            page = self.current_page()
        except KeyError:
            self.guide_layer.set_guides(g, [], [])
            return
        xs, ys = S.guide_positions(g, page)
        master = self.doc.issue.masters.get(page.master) if page.master else None
        theirs = S.guide_positions(g, master) if master else ([], [])
        gl = self.guide_layer
        if (gl.geo, gl.xs, gl.ys, (gl.master_xs, gl.master_ys)) == (g, xs, ys, theirs):
            return                  # unchanged (a typed key): no repaint of the whole page
        gl.set_guides(g, xs, ys, theirs)

    def snap_tolerance(self) -> float:
        """Six screen pixels in page points."""
        return 6.0 / (self.transform().m11() or 1.0)

    def snap_targets(self, exclude=()) -> tuple[list[float], list[float]]:
        """Where drags snap: the guides, and the edges and centres of the other frames."""
        if not self.snapping:
            return [], []
        gx, gy = self.guide_layer.all_guides()
        fx, fy = S.edge_targets([tuple(it.scene_rect().getRect())
                                 for fid, it in self.page_scene.frames.items()
                                 if fid not in exclude])
        return gx + fx, gy + fy

    def _guide_value(self, axis: str, pos: QPointF) -> tuple[float, bool]:
        g = self.doc.geometry
        xs, ys = S.grid_targets(g)
        fx, fy = S.edge_targets([tuple(it.scene_rect().getRect())
                                 for it in self.page_scene.frames.values()])
        mx, my = self.guide_layer.master_xs, self.guide_layer.master_ys
        xs, ys = xs + mx, ys + my
        v = pos.x() if axis == "x" else pos.y()
        return S.snap_value(v, (xs + fx) if axis == "x" else (ys + fy), self.snap_tolerance())

    def guide_drag(self, axis: str, pos: QPointF | None, moving=None) -> None:
        """A guide is being dragged (out of a ruler, or moved): show it, snapped."""
        if pos is None:
            self.guide_layer.set_drag(None, moving)
            self.snap_hint.show_hint(None)
            return
        v, snapped = self._guide_value(axis, pos)
        self.guide_layer.set_drag((axis, v), moving)
        self.snap_hint.show_hint(S.Snapped(hint_x=v if axis == "x" and snapped else None,
                                           hint_y=v if axis == "y" and snapped else None))
        self.status(G.spec(self.doc.geometry, v, self.rulers["x"].unit))

    def guide_drop(self, axis: str, pos: QPointF | None, unit: str = "mm",
                   moving: tuple[str, int] | None = None) -> None:
        """Let go of a dragged guide: add it (or move it) over the page; dropped off the
        page, a moved guide is removed."""
        self.guide_layer.set_drag(None)
        self.snap_hint.show_hint(None)
        page = self.current_page()
        g = self.doc.geometry
        on_page = pos is not None and -g.bleed <= (pos.x() if axis == "x" else pos.y()) <= (
            g.width if axis == "x" else g.height) + g.bleed
        if not on_page:
            if moving is not None:
                self.doc.push(G.remove_guide(page, *moving), "remove guide")
            return
        text = G.spec(g, self._guide_value(axis, pos)[0], unit)
        if moving is not None:
            if getattr(page.guides, moving[0])[moving[1]] == text:
                return                                    # a click: nothing moved
            self.doc.push(G.move_guide(page, moving[0], moving[1], text), "move guide")
        else:
            self.doc.push(G.add_guide(page, axis, text), "add guide")

    # ------------------------------------------------------------ tools
    def set_tool(self, name: str, **kw) -> None:
        """Choose a tool by name (select, direct, type, thread, hand, frame-text …)."""
        self.tool.deactivate()
        self.tool = self.tools[name]
        self.tool.activate(**kw)
        if name not in ("type",) and self.text.active:
            self.text.stop()
        self.toolChanged.emit(name)

    def status(self, msg: str) -> None:
        """Show a short message in the status bar."""
        self.message.emit(msg)

    # ------------------------------------------------------------ zoom
    def zoom(self) -> float:
        """The zoom in percent of actual size (100% = the printed size on screen)."""
        return self.transform().m11() / self._unit() * 100

    def _unit(self) -> float:
        return (self.logicalDpiX() or 96) / 72.0

    def set_zoom(self, percent: float, anchor: QPointF | None = None) -> None:
        """Zoom to ``percent``, keeping the scene point under ``anchor`` (view px) still."""
        percent = max(5.0, min(1600.0, percent))
        anchor = anchor if anchor is not None else QPointF(self.viewport().rect().center())
        before = self.mapToScene(anchor.toPoint())
        s = percent / 100 * self._unit()
        self.setTransform(QTransform.fromScale(s, s))
        after = self.mapToScene(anchor.toPoint())
        d = after - before
        self.translate(d.x(), d.y())
        h, v = self.horizontalScrollBar(), self.verticalScrollBar()
        target = self.mapFromScene(before)
        h.setValue(h.value() + int(target.x() - anchor.x()))
        v.setValue(v.value() + int(target.y() - anchor.y()))
        self.zoomChanged.emit(self.zoom())

    def fit_page(self) -> None:
        """Show the whole page (Ctrl+0)."""
        g = self.doc.geometry
        self._fit(QRectF(-10, -10, g.width + 20, g.height + 20))

    def fit_spread(self) -> None:
        """Show the page and its facing page (spread view)."""
        self._fit(self.page_scene.spread_rect().adjusted(-10, -10, 10, 10))

    def fit_width(self) -> None:
        """Make the page as wide as the view."""
        g = self.doc.geometry
        vis = self.mapToScene(self.viewport().rect()).boundingRect()
        self._fit(QRectF(-10, vis.center().y() - 10, g.width + 20, 20), width_only=True)

    def _fit(self, rect: QRectF, width_only: bool = False) -> None:
        vp = self.viewport().rect()
        sx = vp.width() / rect.width()
        sy = vp.height() / rect.height()
        s = sx if width_only else min(sx, sy)
        self.setTransform(QTransform.fromScale(s, s))
        self.centerOn(rect.center())
        self.zoomChanged.emit(self.zoom())

    def actual_size(self) -> None:
        """100% (Ctrl+1), keeping the selection (or the text caret) in view."""
        self.set_zoom(100.0)
        self._keep_focus_in_view()

    def zoom_step(self, direction: int, anchor: QPointF | None = None) -> None:
        """The next zoom step in or out (Ctrl+= / Ctrl+-); without an anchor the selection
        (or the caret) stays in view."""
        z = self.zoom() / 100
        if direction > 0:
            nxt = next((s for s in ZOOM_STEPS if s > z * 1.01), ZOOM_STEPS[-1])
        else:
            nxt = next((s for s in reversed(ZOOM_STEPS) if s < z * 0.99), ZOOM_STEPS[0])
        self.set_zoom(nxt * 100, anchor)
        if anchor is None:
            self._keep_focus_in_view()

    def focus_rect(self) -> QRectF:
        """What the user works on: the caret while typing, else the selected frames (or null)."""
        if self.text.active:
            r = self.text.caret_rect()
            if not r.isNull():
                return r
        r = QRectF()
        for fid in self.page_scene.selection:
            item = self.page_scene.frames.get(fid)
            if item is not None:
                r = r.united(item.rect)
        return r

    def _keep_focus_in_view(self) -> None:
        r = self.focus_rect()
        if r.isNull():
            return
        vis = self.mapToScene(self.viewport().rect()).boundingRect()
        if not vis.contains(r):
            self.centerOn(r.center())
            vis = self.mapToScene(self.viewport().rect()).boundingRect()
            if not vis.contains(r.topLeft()):       # larger than the view: its corner first
                self.ensureVisible(QRectF(r.topLeft(), r.topLeft()), 20, 20)

    def zoom_to(self, rect: QRectF) -> None:
        """Show a scene rectangle as large as the view allows (the zoom tool's marquee)."""
        if rect.width() < 1 or rect.height() < 1:
            return
        vp = self.viewport().rect()
        s = min(vp.width() / rect.width(), vp.height() / rect.height())
        s = max(0.05, min(16.0, s / self._unit())) * self._unit()
        self.setTransform(QTransform.fromScale(s, s))
        self.centerOn(rect.center())
        self.zoomChanged.emit(self.zoom())

    def center_on_frame(self, frame_id: str) -> None:
        """Scroll so that a frame is in the middle of the view."""
        item = self.page_scene.frames.get(frame_id)
        if item is not None:
            self.centerOn(item.rect.center())

    def wheelEvent(self, ev) -> None:
        """Ctrl+wheel zooms around the mouse; the wheel alone scrolls."""
        if ev.modifiers() & Qt.KeyboardModifier.ControlModifier:
            factor = 1.0015 ** ev.angleDelta().y()
            self.set_zoom(self.zoom() * factor, ev.position())
            ev.accept()
            return
        super().wheelEvent(ev)

    # ------------------------------------------------------------ mouse
    def _active_tool(self, ev):
        if self._pan_tool is not None:
            return self._pan_tool
        if self._space or ev.buttons() & Qt.MouseButton.MiddleButton \
                or ev.button() == Qt.MouseButton.MiddleButton:
            return self.tools["hand"]
        return self.tool

    def mousePressEvent(self, ev) -> None:
        """Hand the press to the tool (the hand when Space or the middle button is held)."""
        self.setFocus()
        tool = self._active_tool(ev)
        if tool is self.tools["hand"]:
            self._pan_tool = tool
        tool.press(ev, self.mapToScene(ev.position().toPoint()))

    def mouseMoveEvent(self, ev) -> None:
        """Hand the move to the tool; report the position for the status bar."""
        pos = self.mapToScene(ev.position().toPoint())
        self.cursorMoved.emit(pos)
        self._active_tool(ev).move(ev, pos)

    def mouseReleaseEvent(self, ev) -> None:
        """Hand the release to the tool."""
        tool = self._active_tool(ev)
        self._pan_tool = None
        tool.release(ev, self.mapToScene(ev.position().toPoint()))

    def mouseDoubleClickEvent(self, ev) -> None:
        """Hand the double click to the tool."""
        self.tool.double_click(ev, self.mapToScene(ev.position().toPoint()))

    # ------------------------------------------------------------ keys
    def event(self, ev) -> bool:
        """While typing, plain letters are text, not tool shortcuts."""
        if ev.type() == QEvent.Type.ShortcutOverride and self.text.active:
            mods = ev.modifiers() & ~Qt.KeyboardModifier.ShiftModifier & \
                ~Qt.KeyboardModifier.KeypadModifier
            if (ev.text() and ev.text().isprintable() and not mods) or ev.key() in (
                    Qt.Key.Key_Backspace, Qt.Key.Key_Delete, Qt.Key.Key_Left, Qt.Key.Key_Right,
                    Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Home, Qt.Key.Key_End,
                    Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                ev.accept()
                return True
        return super().event(ev)

    def _collect_when_idle(self) -> None:
        now = time.monotonic()
        full = now - self._full_collect >= FULL_COLLECT_S
        collect_when_idle(full)
        if full:
            self._full_collect = time.monotonic()

    def keyPressEvent(self, ev: QKeyEvent) -> None:
        """Text keys while typing; otherwise Space pans, arrows nudge, Delete removes, Esc."""
        if self.text.active and self.text.key(ev):
            return
        k = ev.key()
        if k == Qt.Key.Key_Space and not ev.isAutoRepeat():
            self._space = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            return
        if k == Qt.Key.Key_Escape:
            if not self.tool.escape():
                self.page_scene.set_selection([])
            return
        arrows = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0),
                  Qt.Key.Key_Up: (0, -1), Qt.Key.Key_Down: (0, 1)}
        if k in arrows and self.page_scene.selection:
            n = 10 if ev.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1
            self.nudge(arrows[k][0] * n, arrows[k][1] * n)
            return
        if k in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.page_scene.selection:
            self.delete_selection()
            return
        super().keyPressEvent(ev)

    def keyReleaseEvent(self, ev: QKeyEvent) -> None:
        """Space released: back to the tool."""
        if ev.key() == Qt.Key.Key_Space and not ev.isAutoRepeat() and self._space:
            self._space = False
            self.viewport().setCursor(self.tool.cursor)
            return
        super().keyReleaseEvent(ev)

    def nudge(self, dcols: int, dlines: int) -> None:
        """Move the selected frames by whole grid steps (arrows; Shift ×10)."""
        g = self.doc.geometry
        edits = []
        for fid in self.page_scene.selection:
            fr = self.doc.issue.frame(fid)[1]
            if fr.locked or fr.box:
                continue
            cells = S.Cells(fr.col, fr.line, fr.cols, fr.lines)
            new = S.moved(g, cells, dcols * (g.column + g.gutter), dlines * g.pitch)
            if new != cells:
                edits.append(E.SetFrame(fid, col=new.col, line=new.line))
        if edits:
            self.doc.push(E.Batch(edits, "nudge"), "nudge")

    def delete_selection(self) -> None:
        """Remove the selected frames (unlocked ones)."""
        edits = [E.RemoveFrame(fid) for fid in self.page_scene.selection
                 if not self.doc.issue.frame(fid)[1].locked]
        if edits:
            self.doc.push(E.Batch(edits, "delete"), "delete")

    # ------------------------------------------------------------ caret and IME
    def _text_active(self, on: bool) -> None:
        self.page_scene.cursor.setVisible(on)
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, True)

    def update_caret(self) -> None:
        """Move the caret item to the text cursor (following it to its page)."""
        cur = self.page_scene.cursor
        if not self.text.active:
            cur.setVisible(False)
            return
        c = self.text.caret()
        if c is not None:
            page = self.doc.page_of_frame(c.frame)
            if page != self.page_scene.page_number:
                self.page_scene.show_page(page)
        cur.set_state(self.text.caret_rect(), self.text.selection_rects(), self.text.preedit)
        cur.setVisible(True)
        r = self.text.caret_rect()
        if not r.isNull():
            self.ensureVisible(r, 40, 40)
        self.updateMicroFocus()

    def _toggle_caret(self) -> None:
        cur = self.page_scene.cursor
        if cur.isVisible() and self.hasFocus():
            cur.blink_on = not cur.blink_on
            cur.update()

    def inputMethodEvent(self, ev: QInputMethodEvent) -> None:
        """Chinese input: show the preedit at the caret, type the committed text."""
        if not self.text.active:
            ev.ignore()
            return
        commit = ev.commitString()
        self.text.preedit = ev.preeditString()
        if commit:
            self.text.insert(commit)
        self.update_caret()
        ev.accept()

    def inputMethodQuery(self, query):
        """Tell the input method where the caret is (its candidate window goes there)."""
        if query == Qt.InputMethodQuery.ImCursorRectangle:
            r = self.text.caret_rect()
            if r.isNull():
                return QRectF()
            return QRectF(self.mapFromScene(r).boundingRect())
        if query == Qt.InputMethodQuery.ImEnabled:
            return self.text.active
        if query == Qt.InputMethodQuery.ImSurroundingText and self.text.active:
            return self.doc.issue.stories[self.text.story].paragraphs[self.text.pos.para].text \
                if self.doc.issue.stories[self.text.story].paragraphs else ""
        if query == Qt.InputMethodQuery.ImCursorPosition and self.text.active:
            return self.text.pos.offset
        return super().inputMethodQuery(query)

    # ------------------------------------------------------------ live previews
    def preview_frame(self, frame_id: str, **changes) -> None:
        """Show a frame with changed fields without touching the undo stack."""
        if self.doc.read_only:
            return
        if self._preview is None:
            self._preview = E.SetFrame(frame_id, **changes)
        else:
            self._preview.revert(self.doc.issue)
            self._preview = E.SetFrame(frame_id, **changes)
        self.doc.edited(self._preview.apply(self.doc.issue))

    def end_preview(self) -> None:
        """Put the previewed frame back as it was."""
        if self._preview is not None:
            t = self._preview.revert(self.doc.issue)
            self._preview = None
            self.doc.edited(t)

    # ------------------------------------------------------------ drag and drop
    def dragEnterEvent(self, ev) -> None:
        """Accept stories from the story list and image files."""
        md = ev.mimeData()
        if md.hasFormat(STORY_MIME) or any(Path(u.toLocalFile()).suffix.lower() in IMAGE_EXT
                                           for u in md.urls()):
            ev.acceptProposedAction()
        else:
            ev.ignore()

    def dragMoveEvent(self, ev) -> None:
        """Keep accepting while over the page."""
        ev.acceptProposedAction()

    def dropEvent(self, ev) -> None:
        """Place a story into the text frame, or an image into the photo frame, under the drop."""
        pos = self.mapToScene(ev.position().toPoint())
        md = ev.mimeData()
        if md.hasFormat(STORY_MIME):
            sid = bytes(md.data(STORY_MIME)).decode("utf-8")
            fi = self.page_scene.frame_at(pos, ("text",))
            if fi is not None:
                self.place_story(sid, fi.frame_id)
            ev.acceptProposedAction()
            return
        for url in md.urls():
            path = url.toLocalFile()
            if Path(path).suffix.lower() in IMAGE_EXT:
                self.place_image(path, pos)
                ev.acceptProposedAction()
                return

    def place_story(self, story: str, frame_id: str) -> None:
        """Place a story into a text frame (排入)."""
        try:
            edit = E.place(self.doc.issue, story, frame_id)
        except (E.EditError, KeyError) as exc:
            self.status(tr("status.refused", msg=str(exc)))
            return
        if self.doc.push(edit, "place"):
            self.page_scene.set_selection([frame_id])

    def place_image(self, path: str, pos: QPointF | None = None, frame_id: str | None = None):
        """Put an image in a photo frame (the one given or under ``pos``), or a new one at ``pos``."""
        rel = _relative(path, self.doc.base_dir)
        if frame_id is None and pos is not None:
            fi = self.page_scene.frame_at(pos, ("photo",))
            frame_id = fi.frame_id if fi is not None else None
        if frame_id is not None:
            self.doc.push(E.SetFrame(frame_id, image=rel), "place image")
            self.page_scene.set_selection([frame_id])
            return
        g = self.doc.geometry
        pos = pos or QPointF(g.left, g.top)
        col = max(0, min(g.columns - 2, int((pos.x() - g.left) // (g.column + g.gutter))))
        line = max(0, min(g.lines - 20, S.line_edge(g, pos.y())))
        page = self.page_scene.page_number
        fid = E.new_frame_id(self.doc.issue, page, "photo")
        frame = m.PhotoFrame(fid, col=col, line=line, cols=2, lines=20, image=rel)
        if self.doc.push(E.AddFrame(page, frame), "place image"):
            self.page_scene.set_selection([fid])


def collect_when_idle(full: bool = False) -> None:
    """The cyclic collector's pass while the user pauses, and what survives it kept out
    of the next ones (``gc.freeze``): a keystroke then never waits for a full pass over
    the issue, its layout and the setter's caches.  ``full``: over every object, the
    frozen ones too, so that cycles which became garbage after a freeze go as well."""
    if full:
        gcpause.unfreeze()
    gc.collect()
    gcpause.freeze()


def _relative(path: str, base: str) -> str:
    """An image path relative to the issue's folder.

    An image from outside the folder is copied into its ``images/`` subfolder
    first: issues in shared folders must carry their own images, and the layout
    refuses paths that leave the issue's folder.
    """
    src, root = Path(path).resolve(), Path(base).resolve()
    try:
        return str(src.relative_to(root))
    except ValueError:
        pass
    import shutil
    dest_dir = root / "images"
    dest_dir.mkdir(parents=True, exist_ok=True)
    dest, n = dest_dir / src.name, 1
    while dest.exists() and dest.read_bytes() != src.read_bytes():
        n += 1
        dest = dest_dir / f"{src.stem}-{n}{src.suffix}"
    if not dest.exists():
        shutil.copy2(src, dest)
    return str(dest.relative_to(root))
