"""Scene items: the page with its grids, frames with their ports and badges.

Frames are drawn in page points from the engine's FrameResult; ports, badges
and markers keep a constant screen size (they ignore the view's zoom).
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from layout.grid import PageGeometry

from .render import PreparedFrame, frame_transform

KIND_COLORS = {"text": QColor(90, 140, 200), "headline": QColor(220, 120, 40),
               "photo": QColor(60, 160, 90), "rule": QColor(120, 120, 120),
               "byline": QColor(150, 100, 190), "caption": QColor(150, 100, 190),
               "box": QColor(120, 120, 120)}
SELECT = QColor(30, 110, 255)
OVERSET = QColor(220, 30, 30)
UNDERSET = QColor(30, 90, 220)
FITS = QColor(30, 150, 60)
PORT = 9.0                  # px
DECO_Z = 9500                 # ports and labels: above every frame
HANDLE = 7.0                # px
LABEL_MIN_SCALE = 0.2       # badges and jump markers hide when the page is shown smaller
ROTATE_GAP = 22.0           # px: the rotation handle above a frame's top edge


@dataclass
class Deco:
    """How a frame is decorated: selection, lock, ports, copyfit badge, jump markers."""
    selected: bool = False
    locked: bool = False
    in_port: str = ""            # "" (no port) | empty | linked
    out_port: str = ""           # "" | empty | linked | overset
    badge: str = ""
    badge_color: QColor | None = None
    jump_to: str = ""            # "→ 2版"
    jump_from: str = ""          # "← 1版"
    preview: bool = False
    rotatable: bool = False      # photos, boxes, captions: a rotation handle when selected
    group: str = ""              # the frame's group (a dashed outline around it)


class PageItem(QGraphicsItem):
    """The paper, its bleed and margins, the column guides and the baseline grid."""

    def __init__(self, geo: PageGeometry):
        super().__init__()
        self.geo = geo
        self.show_margins = self.show_columns = self.show_baseline = True
        self.preview = False
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setZValue(-100)

    def set_geometry(self, geo: PageGeometry) -> None:
        """Take new page geometry (after a paper setting changed)."""
        self.prepareGeometryChange()
        self.geo = geo
        self.update()

    def boundingRect(self) -> QRectF:
        """The page with its bleed and shadow."""
        b = self.geo.bleed + 6
        return QRectF(-b, -b, self.geo.width + 2 * b, self.geo.height + 2 * b)

    def paint(self, p: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        """Draw the paper and the visible part of the grids."""
        g = self.geo
        exposed = option.exposedRect
        paper = QRectF(0, 0, g.width, g.height)
        p.fillRect(paper.translated(3, 3), QColor(0, 0, 0, 60))
        p.fillRect(paper, Qt.GlobalColor.white)
        if self.preview:
            return
        cosmetic = QPen(QColor(200, 200, 200), 0)
        p.setPen(QPen(QColor(230, 80, 80, 150), 0, Qt.PenStyle.DashLine))
        p.drawRect(paper.adjusted(-g.bleed, -g.bleed, g.bleed, g.bleed))
        top, left = g.top, g.left
        area = QRectF(left, top, g.type_width, g.type_height)
        if self.show_columns:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(200, 215, 255, 60))
            for c in range(g.columns):
                p.drawRect(QRectF(g.col_x(c), top, g.column, g.type_height))
            p.setBrush(Qt.BrushStyle.NoBrush)
        if self.show_baseline:
            scale = p.worldTransform().m22()
            if g.pitch * scale >= 3:
                p.setPen(QPen(QColor(120, 200, 220, 120), 0))
                first = max(0, int((exposed.top() - top) / g.pitch))
                last = min(g.lines, int((exposed.bottom() - top) / g.pitch) + 1)
                x0, x1 = max(left, exposed.left()), min(left + g.type_width, exposed.right())
                if x1 > x0:
                    p.drawLines([QLineF(x0, top + i * g.pitch, x1, top + i * g.pitch)
                                 for i in range(first, last + 1)])
        if self.show_margins:
            p.setPen(QPen(QColor(200, 60, 200), 0))
            p.drawRect(area)
        del cosmetic


class PortItem(QGraphicsItem):
    """A frame's in or out port: empty, linked (arrow) or overset (red +)."""

    def __init__(self, frame: "FrameItem", which: str):
        super().__init__()
        self.frame, self.which, self.state = frame, which, "empty"
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.setZValue(DECO_Z + 1)

    @property
    def frame_id(self) -> str:
        """The id of the frame this port belongs to."""
        return self.frame.frame_id

    def _square(self) -> QRectF:
        # outside the frame and clear of the corner's resize handle: left of the top-left
        # corner, right of the bottom-right one
        gap = HANDLE / 2 + 1.5
        if self.which == "in":
            return QRectF(-PORT - gap, 0, PORT, PORT)
        return QRectF(gap, -PORT, PORT, PORT)

    def boundingRect(self) -> QRectF:
        """A small square beside the frame's corner."""
        return self._square().adjusted(-1, -1, 1, 1)

    def paint(self, p: QPainter, option, widget=None) -> None:
        """Draw the port in its state."""
        r = self._square()
        p.translate(r.center())
        r = QRectF(-PORT / 2, -PORT / 2, PORT, PORT)
        red = self.state == "overset"
        p.setPen(QPen(OVERSET if red else QColor(60, 90, 150), 1))
        p.setBrush(Qt.GlobalColor.white)
        p.drawRect(r)
        if red:
            p.drawLine(QPointF(0, -3), QPointF(0, 3))
            p.drawLine(QPointF(-3, 0), QPointF(3, 0))
        elif self.state == "linked":
            path = QPainterPath(QPointF(-3, -3))
            path.lineTo(QPointF(3, 0))
            path.lineTo(QPointF(-3, 3))
            p.setBrush(QColor(60, 90, 150))
            p.drawPath(path)


class LabelItem(QGraphicsItem):
    """A small screen-size label (copyfit badge, jump marker) in a coloured box."""

    def __init__(self, anchor: str = "br"):
        super().__init__()
        self.text, self.color, self.anchor = "", QColor(0, 0, 0), anchor
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.setZValue(DECO_Z)
        self._rect = QRectF()

    def set_text(self, text: str, color: QColor) -> None:
        """Show ``text`` in ``color`` (hidden when empty)."""
        if text == self.text and color == self.color:
            return
        self.prepareGeometryChange()
        self.text, self.color = text, color
        fm = QFontMetricsF(QFont())
        w = max(fm.horizontalAdvance(text), fm.boundingRect(text).width()) + 12
        h = fm.height() + 2
        x = -w if self.anchor.endswith("r") else 0
        y = -h if self.anchor.startswith("b") else 0
        self._rect = QRectF(x, y, w, h)
        self.setVisible(bool(text) and self.scale() >= LABEL_MIN_SCALE)
        self.update()

    def set_view_scale(self, scale: float) -> None:
        """Shrink with the page below 100 % (a badge covers as much page at fit zoom as at
        actual size, not a headline), and hide when it would be too small to read."""
        s = min(1.0, scale)
        if s != self.scale():
            self.setScale(s)
        self.setVisible(bool(self.text) and s >= LABEL_MIN_SCALE)

    def boundingRect(self) -> QRectF:
        """The label's box."""
        return self._rect

    def paint(self, p: QPainter, option, widget=None) -> None:
        """Draw the box and the text."""
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(self.color)
        p.drawRoundedRect(self._rect, 3, 3)
        p.setPen(Qt.GlobalColor.white)
        p.setFont(QFont())
        p.drawText(self._rect, Qt.AlignmentFlag.AlignCenter, self.text)


class FrameItem(QGraphicsItem):
    """One frame: its engine result, outline, handles, ports and badges."""

    def __init__(self, frame_id: str, kind: str, ctx):
        super().__init__()
        self.frame_id, self.kind, self.ctx = frame_id, kind, ctx
        self.rect = QRectF()
        self.prepared: PreparedFrame | None = None
        self.pickable = True            # False: a master frame, or on a hidden or locked layer
        self.deco = Deco()
        self.view_scale = self.zoom = 1.0
        self._margin = HANDLE
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges, True)
        self.in_port = PortItem(self, "in")
        self.out_port = PortItem(self, "out")
        self.badge = LabelItem("tr")
        self.jump_to = LabelItem("tr")
        self.jump_from = LabelItem("bl")
        #: ports and labels: scene-level items above all frames, placed by this frame
        self.decorations = [self.in_port, self.out_port, self.badge, self.jump_to,
                            self.jump_from]
        for child in self.decorations:
            child.setVisible(False)

    def itemChange(self, change, value):
        """Keep the ports and labels with the frame while it is dragged."""
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            self._place_children()
        return super().itemChange(change, value)

    def set_result(self, fr) -> None:
        """Show a new FrameResult, repainting only what changed in it."""
        rect = QRectF(*fr.rect)
        previous = self.prepared
        self.prepared = PreparedFrame(fr, self.ctx.fonts, self.ctx.colors,
                                      previous.memo if previous else None)
        turn = frame_transform(fr)
        if turn != self.transform():          # rotated: drawn and hit-tested turned
            self.prepareGeometryChange()
            self.setTransform(turn)
            self.rect = rect
            self._place_children()
            self.update()
            return
        if rect != self.rect:
            self.prepareGeometryChange()
            self.rect = rect
            self._place_children()
            self.update()
            return
        areas = self.prepared.changed_rects(previous)
        if areas is None:
            self.update()
            return
        for area in areas:
            self.update(area.adjusted(-1, -1, 1, 1))

    def set_deco(self, deco: Deco) -> None:
        """Show new decorations (selection, ports, badges)."""
        if deco == self.deco:
            return
        old = self.deco
        self.deco = deco
        self.in_port.state = deco.in_port or "empty"
        self.out_port.state = deco.out_port or "empty"
        show = not deco.preview
        self.in_port.setVisible(show and bool(deco.in_port))
        self.out_port.setVisible(show and bool(deco.out_port))
        self.in_port.update()
        self.out_port.update()
        self.badge.set_text(deco.badge if show else "", deco.badge_color or OVERSET)
        self.jump_to.set_text(deco.jump_to if show else "", QColor(90, 90, 90))
        self.jump_from.set_text(deco.jump_from if show else "", QColor(90, 90, 90))
        for label in (self.badge, self.jump_to, self.jump_from):
            label.set_view_scale(self.zoom)
        if (old.rotatable, old.group) != (deco.rotatable, deco.group):
            self.prepareGeometryChange()
        if (old.selected, old.locked, old.preview, old.rotatable, old.group) != (
                deco.selected, deco.locked, deco.preview, deco.rotatable, deco.group):
            self.update()

    def set_view_scale(self, scale: float, zoom: float = 1.0) -> None:
        """The view's scale (device px per pt) and zoom (1.0 = 100 %): the handles and the
        labels follow them."""
        self.view_scale = scale or 1.0
        self.zoom = zoom
        margin = max(2.0, HANDLE / self.view_scale / 2 + 1 / self.view_scale + 1)
        if margin != self._margin:
            self.prepareGeometryChange()      # handles drawn outside the old bounds leave fragments
            self._margin = margin
        for label in (self.badge, self.jump_to, self.jump_from):
            label.set_view_scale(self.zoom)

    def _place_children(self) -> None:
        r = self.rect.translated(self.pos())
        self.in_port.setPos(r.left(), r.top())
        self.out_port.setPos(r.right(), r.bottom())
        self.badge.setPos(r.right(), r.bottom() + 1)      # below the out port
        self.jump_to.setPos(r.right(), r.bottom() + 1)
        self.jump_from.setPos(r.left(), r.top() - 1)

    def boundingRect(self) -> QRectF:
        """The frame's rectangle with room for the selection outline, the handles (and the
        rotation handle above it)."""
        m = self._margin
        top = (ROTATE_GAP + HANDLE) / self.view_scale if self.deco.rotatable else m
        return self.rect.adjusted(-m, -max(m, top), m, m)

    def shape(self) -> QPainterPath:
        """The frame's rectangle (for hit tests; the item's transform turns it with a
        rotated frame, so the scene tests the rotated rectangle)."""
        path = QPainterPath()
        path.addRect(self.rect)
        return path

    def contains_scene(self, pos: QPointF) -> bool:
        """Whether a scene point lies in the frame (its rotated rectangle when turned)."""
        return self.shape().contains(self.mapFromScene(pos))

    def scene_rect(self) -> QRectF:
        """The rectangle the frame covers in the scene, rotation included."""
        return self.mapRectToScene(self.rect)

    def rotation_handle(self, scale: float) -> QPointF:
        """Where the rotation handle of a selected rotatable frame is (scene point): a
        little above the middle of its top edge, turned with the frame."""
        return self.mapToScene(QPointF(self.rect.center().x(), self.rect.top() - ROTATE_GAP / scale))

    def paint(self, p: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        """Draw the content that meets the exposed area, then the frame's outline."""
        if self.prepared is not None:
            self.prepared.paint(p, self.ctx.colors, self.ctx.images, option.exposedRect)
        d = self.deco
        if d.preview:
            return
        color = QColor(SELECT if d.selected else KIND_COLORS.get(self.kind, QColor(120, 120, 120)))
        pen = QPen(color, 0 if not d.selected else 1.5)
        pen.setCosmetic(True)
        if not d.selected:
            color.setAlpha(150)
            pen.setColor(color)
        if d.group:
            pen.setStyle(Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        scale = p.worldTransform().m11() or 1.0
        inner = 3 / scale                   # an area inside the frame: its outline not in it
        if not self.rect.adjusted(inner, inner, -inner, -inner).contains(option.exposedRect):
            p.drawRect(self.rect)
        pen.setStyle(Qt.PenStyle.SolidLine)
        p.setPen(pen)
        if d.selected and not d.locked:
            h = HANDLE / scale
            p.setBrush(Qt.GlobalColor.white)
            for pt in handle_points(self.rect).values():
                p.drawRect(QRectF(pt.x() - h / 2, pt.y() - h / 2, h, h))
            if d.rotatable:
                top = QPointF(self.rect.center().x(), self.rect.top())
                knob = QPointF(top.x(), top.y() - ROTATE_GAP / scale)
                p.drawLine(top, knob)
                p.drawEllipse(knob, h / 2, h / 2)
        if d.locked:
            self._paint_lock(p, scale)

    def _paint_lock(self, p: QPainter, scale: float) -> None:
        s = 1 / scale
        x, y = self.rect.left() + 3 * s, self.rect.top() + 3 * s
        p.setPen(QPen(QColor(90, 90, 90), 0))
        p.setBrush(QBrush(QColor(90, 90, 90)))
        p.drawRect(QRectF(x, y + 4 * s, 8 * s, 6 * s))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawArc(QRectF(x + 1.5 * s, y, 5 * s, 8 * s), 0, 180 * 16)


def handle_points(r: QRectF) -> dict[str, QPointF]:
    """The eight resize handles of a rectangle by name (n, ne, e, se, s, sw, w, nw)."""
    cx, cy = r.center().x(), r.center().y()
    return {"nw": r.topLeft(), "n": QPointF(cx, r.top()), "ne": r.topRight(),
            "e": QPointF(r.right(), cy), "se": r.bottomRight(), "s": QPointF(cx, r.bottom()),
            "sw": r.bottomLeft(), "w": QPointF(r.left(), cy)}
