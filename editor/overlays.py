"""Overlay items: thread arrows, the text caret and selection, the drag rectangle."""
from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem

THREAD = QColor(40, 120, 230)


class ThreadItem(QGraphicsItem):
    """Arrows from each frame of a story's thread to the next one on the page."""

    def __init__(self):
        super().__init__()
        self.segments: list[tuple[QPointF, QPointF]] = []
        self.setZValue(9000)
        self._bounds = QRectF()

    def set_segments(self, segments: list[tuple[QPointF, QPointF]]) -> None:
        """Show arrows between these (out port, in port) point pairs."""
        if segments == self.segments:
            return
        self.prepareGeometryChange()
        self.segments = segments
        r = QRectF()
        for a, b in segments:
            r = r.united(QRectF(a, b).normalized())
        self._bounds = r.adjusted(-20, -20, 20, 20)
        self.update()

    def boundingRect(self) -> QRectF:
        """Around all arrows."""
        return self._bounds

    def paint(self, p: QPainter, option, widget=None) -> None:
        """Draw each arrow as a curve with a head."""
        pen = QPen(THREAD, 1.5)
        pen.setCosmetic(True)
        p.setPen(pen)
        scale = p.worldTransform().m11() or 1.0
        for a, b in self.segments:
            path = QPainterPath(a)
            mid = QPointF((a.x() + b.x()) / 2, (a.y() + b.y()) / 2 - 20 / scale)
            path.quadTo(mid, b)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(path)
            ang = math.atan2(b.y() - mid.y(), b.x() - mid.x())
            s = 7 / scale
            head = QPainterPath(b)
            head.lineTo(b - QPointF(math.cos(ang - 0.4) * s, math.sin(ang - 0.4) * s))
            head.lineTo(b - QPointF(math.cos(ang + 0.4) * s, math.sin(ang + 0.4) * s))
            head.closeSubpath()
            p.setBrush(THREAD)
            p.drawPath(head)


class CursorItem(QGraphicsItem):
    """The text caret, the selected text's highlight and the input method's preedit."""

    def __init__(self):
        super().__init__()
        self.caret = QRectF()              # x, top, 0, height
        self.selection: list[QRectF] = []
        self.preedit = ""
        self.blink_on = True
        self._bounds = QRectF()
        self.setZValue(9800)

    def set_state(self, caret: QRectF, selection: list[QRectF], preedit: str = "") -> None:
        """Move the caret, set the highlight and the preedit text."""
        self.prepareGeometryChange()
        self.caret, self.selection, self.preedit = caret, selection, preedit
        r = QRectF(caret.x() - 2, caret.y() - 2, 4, caret.height() + 4)
        if preedit:
            r = r.united(QRectF(caret.x(), caret.y() - caret.height() * 1.5,
                                caret.height() * (len(preedit) + 1), caret.height() * 3))
        for s in selection:
            r = r.united(s)
        self._bounds = r
        self.blink_on = True
        self.update()

    def boundingRect(self) -> QRectF:
        """Around caret, highlight and preedit."""
        return self._bounds

    def paint(self, p: QPainter, option, widget=None) -> None:
        """Draw highlight, preedit and caret."""
        for s in self.selection:
            p.fillRect(s, QColor(60, 130, 255, 70))
        if self.preedit:
            h = self.caret.height()
            font = QFont()
            font.setPointSizeF(max(1.0, h * 0.8))
            fm = QFontMetricsF(font)
            w = fm.horizontalAdvance(self.preedit)
            box = QRectF(self.caret.x(), self.caret.top(), w + 2, h)
            p.fillRect(box, QColor(255, 255, 210))
            p.setFont(font)
            p.setPen(QColor(0, 0, 0))
            p.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                       self.preedit)
            p.drawLine(box.bottomLeft(), box.bottomRight())
        if self.blink_on and self.caret.height() > 0:
            pen = QPen(QColor(0, 0, 0), 1.5)
            pen.setCosmetic(True)
            p.setPen(pen)
            x = self.caret.x()
            p.drawLine(QPointF(x, self.caret.top()), QPointF(x, self.caret.bottom()))


class GhostItem(QGraphicsItem):
    """A dashed rectangle for a frame being drawn, moved or resized, with a size label."""

    def __init__(self):
        super().__init__()
        self.rect = QRectF()
        self.setZValue(9900)
        self.setVisible(False)

    def set_rect(self, rect: QRectF) -> None:
        """Show the rectangle."""
        self.prepareGeometryChange()
        self.rect = rect
        self.setVisible(True)
        self.update()

    def boundingRect(self) -> QRectF:
        """Around the rectangle."""
        return self.rect.adjusted(-2, -2, 2, 2)

    def paint(self, p: QPainter, option, widget=None) -> None:
        """Draw the dashed rectangle."""
        pen = QPen(QColor(30, 110, 255), 1, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        p.setPen(pen)
        p.setBrush(QColor(30, 110, 255, 25))
        p.drawRect(self.rect)


class TipItem(QGraphicsItem):
    """A grey box with a short text that follows the mouse ("3栏 × 42行 (41字)")."""

    def __init__(self):
        super().__init__()
        self.text = ""
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.setZValue(9950)
        self.setVisible(False)
        self._rect = QRectF()

    def show_text(self, pos: QPointF, text: str) -> None:
        """Show ``text`` next to scene point ``pos``."""
        if text != self.text:
            self.prepareGeometryChange()
            self.text = text
            fm = QFontMetricsF(QFont())
            self._rect = QRectF(14, 14, fm.horizontalAdvance(text) + 12, fm.height() + 6)
        self.setPos(pos)
        self.setVisible(True)
        self.update()

    def boundingRect(self) -> QRectF:
        """The box."""
        return self._rect

    def paint(self, p: QPainter, option, widget=None) -> None:
        """Draw the box and text."""
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(60, 60, 60, 220))
        p.drawRoundedRect(self._rect, 3, 3)
        p.setPen(Qt.GlobalColor.white)
        p.setFont(QFont())
        p.drawText(self._rect, Qt.AlignmentFlag.AlignCenter, self.text)
