"""Rulers along the page view, in mm or in 字/栏 (switchable); guides are dragged out of them.

The horizontal ruler runs along the top of the view, the vertical one down
its left side.  In mm they count from the trim's top-left corner; in 字/栏
the top ruler marks every body character (字) from the type area's left edge
and numbers the columns (栏), the left ruler marks the grid lines (行).
Pressing on a ruler and dragging into the page draws a new guide (horizontal
from the top ruler, vertical from the left one); letting go over the page adds
it (one undo command).
"""
from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QWidget

from .i18n import tr

SIZE = 20                    # px: the rulers' thickness
UNITS = ("mm", "zi")         # zi: 字/栏


class Ruler(QWidget):
    """One ruler; ``axis`` x (along the top: it measures x and makes horizontal guides)
    or y (down the left side: vertical guides)."""

    def __init__(self, view, axis: str):
        super().__init__(view)
        self.view, self.axis = view, axis
        self.unit = "mm"
        self.guide_axis = "y" if axis == "x" else "x"     # the guides it makes
        self._dragging = False
        self.setMouseTracking(True)
        self.setCursor(Qt.CursorShape.SplitVCursor if axis == "x" else Qt.CursorShape.SplitHCursor)

    def set_unit(self, unit: str) -> None:
        """Count in mm or in 字/栏."""
        if unit not in UNITS:
            raise ValueError(unit)
        self.unit = unit
        self.update()

    # ------------------------------------------------------------ drawing
    def _to_px(self, v: float) -> float:
        """A page coordinate (pt) as a position along this ruler (px)."""
        pt = self.view.mapFromScene(QPointF(v, 0) if self.axis == "x" else QPointF(0, v))
        offset = self.view.viewport().geometry().topLeft()
        return (pt.x() + offset.x() - self.geometry().x()) if self.axis == "x" \
            else (pt.y() + offset.y() - self.geometry().y())

    def ticks(self) -> list[tuple[float, int, str]]:
        """(page pt, tick length 1–3, label) of the visible ticks."""
        g = self.view.doc.geometry
        scale = self.view.transform().m11() or 1.0
        vis = self.view.mapToScene(self.view.viewport().rect()).boundingRect()
        lo, hi = (vis.left(), vis.right()) if self.axis == "x" else (vis.top(), vis.bottom())
        out = []
        if self.unit == "mm":
            unit = 72 / 25.4 * scale             # px per mm
            step = next((v for v in (1, 2, 5, 10, 20, 50, 100) if v * unit >= 5), 100)
            label = next((v for v in (10, 20, 50, 100, 200, 500, 1000)
                          if v * unit >= 40 and v % step == 0), 1000)
            i = int(lo * 25.4 / 72 // step) * step
            while i * 72 / 25.4 <= hi:
                level = 3 if i % label == 0 else (2 if i % (step * 5) == 0 else 1)
                out.append((i * 72 / 25.4, level, str(i) if level == 3 else ""))
                i += step
            return out
        if self.axis == "x":             # 字 from the type area's left edge, 栏 numbered
            every = next((s for s in (1, 2, 5, 10, 20) if s * g.body * scale >= 4), 20)
            i = int((lo - g.left) / g.body // every) * every
            while g.left + i * g.body <= hi:
                out.append((g.left + i * g.body, 2 if i % 10 == 0 else 1, ""))
                i += every
            for c in range(g.columns):
                x = g.col_x(c)
                out.append((x, 3, tr("ruler.column", n=c + 1)))
            return out
        every = next((s for s in (1, 2, 5, 10, 20, 50) if s * g.pitch * scale >= 4), 50)
        i = int((lo - g.top) / g.pitch // every) * every
        while g.top + i * g.pitch <= hi:
            big = i % (every * 5) == 0
            out.append((g.top + i * g.pitch, 3 if big else 1, tr("ruler.line", n=i) if big and i >= 0 else ""))
            i += every
        return out

    def paintEvent(self, ev) -> None:
        """Ticks, labels and the mouse position."""
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(238, 238, 238))
        p.setPen(QPen(QColor(90, 90, 90), 1))
        font = QFont()
        font.setPixelSize(9)
        p.setFont(font)
        length = self.width() if self.axis == "x" else self.height()
        for v, level, label in self.ticks():
            px = self._to_px(v)
            if px < 0 or px > length:
                continue
            t = (4, 7, SIZE)[level - 1]
            if self.axis == "x":
                p.drawLine(QPointF(px, SIZE - t), QPointF(px, SIZE))
                if label:
                    p.drawText(QPointF(px + 2, 9), label)
            else:
                p.drawLine(QPointF(SIZE - t, px), QPointF(SIZE, px))
                if label:
                    p.save()
                    p.translate(9, px + 2)
                    p.rotate(90)
                    p.drawText(QPointF(0, 0), label)
                    p.restore()
        p.end()

    # ------------------------------------------------------------ dragging a guide out
    def _scene_pos(self, ev) -> QPointF:
        gp = self.mapTo(self.view, ev.position().toPoint())
        vp = self.view.viewport().mapFrom(self.view, gp)
        return self.view.mapToScene(vp)

    def _over_page(self, ev) -> bool:
        gp = self.mapTo(self.view, ev.position().toPoint())
        return self.view.viewport().geometry().contains(gp)

    def mousePressEvent(self, ev) -> None:
        """Start a new guide."""
        if ev.button() == Qt.MouseButton.LeftButton:
            self._dragging = True
            self.view.guide_drag(self.guide_axis, None)

    def mouseMoveEvent(self, ev) -> None:
        """Show the new guide where the mouse is (snapped to columns, grid lines, frames)."""
        if self._dragging:
            self.view.guide_drag(self.guide_axis,
                                 self._scene_pos(ev) if self._over_page(ev) else None)

    def mouseReleaseEvent(self, ev) -> None:
        """Add the guide when let go over the page."""
        if self._dragging and ev.button() == Qt.MouseButton.LeftButton:
            self._dragging = False
            self.view.guide_drop(self.guide_axis, self._scene_pos(ev) if self._over_page(ev)
                                 else None, self.unit)
