"""User guides on the page, the snap hint, and the edits that add, move and remove guides.

Guides are saved with their page (``guides: {x: [...], y: [...]}``), each a
length from the trim's top-left corner in mm or 字 (the ruler's unit when it
was dragged out); a master page's guides show (dotted) on every page using it,
and a page's guides can be moved onto its master.  A guide is dragged out of a ruler, moved by dragging it
with the Selection tool, and removed by dragging it off the page.
"""
from __future__ import annotations

import copy

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem

from layout import edits as E
from layout import model as m
from layout.grid import PageGeometry
from layout.units import mm

from . import snap as S

GUIDE = QColor(0, 170, 220)
HINT = QColor(230, 0, 150)
GUIDE_Z = 9000            # above frames, below ports and labels
PICK = 4.0                # px: how near a guide the mouse must be to take it


def spec(geo: PageGeometry, value: float, unit: str = "mm") -> str:
    """A guide position (pt) written in the ruler's unit: '123.5mm' or '12.25字'."""
    if unit == "zi":
        return f"{round(value / geo.body, 2):g}字"
    return f"{round(mm(value), 2):g}mm"


def _with(page: m.Page, axis: str, values: list[str]) -> m.Guides:
    g = copy.deepcopy(page.guides)
    setattr(g, axis, values)
    return g


def add_guide(page: m.Page, axis: str, text: str) -> E.Edit:
    """Add a guide (axis x: a vertical guide at that x; y: a horizontal one)."""
    return E.SetPage(page.number, guides=_with(page, axis, getattr(page.guides, axis) + [text]))


def guides_to_master(issue: m.Issue, page: m.Page) -> E.Edit | None:
    """Move a page's guides onto its master (every page using the master shows them)."""
    from layout.pagedesign import SetMasterDef
    master = issue.masters.get(page.master) if page.master else None
    if master is None or page.guides == m.Guides():
        return None
    new = copy.deepcopy(master)
    new.guides.x += [v for v in page.guides.x if v not in new.guides.x]
    new.guides.y += [v for v in page.guides.y if v not in new.guides.y]
    return E.Batch([SetMasterDef(page.master, new), E.SetPage(page.number, guides=m.Guides())],
                   "guides to master")


def move_guide(page: m.Page, axis: str, index: int, text: str) -> E.Edit:
    """Move guide ``index`` of an axis to a new position."""
    values = list(getattr(page.guides, axis))
    values[index] = text
    return E.SetPage(page.number, guides=_with(page, axis, values))


def remove_guide(page: m.Page, axis: str, index: int) -> E.Edit:
    """Take a guide away."""
    values = list(getattr(page.guides, axis))
    del values[index]
    return E.SetPage(page.number, guides=_with(page, axis, values))


class GuideLayer(QGraphicsItem):
    """The shown page's user guides as thin lines across the pasteboard, and the guide
    being dragged (``drag``: axis and position)."""

    def __init__(self, geo: PageGeometry):
        super().__init__()
        self.geo = geo
        self.xs: list[float] = []
        self.ys: list[float] = []
        self.master_xs: list[float] = []      # the page's master's guides: shown, not moved
        self.master_ys: list[float] = []
        self.drag: tuple[str, float] | None = None
        self.moving: tuple[str, int] | None = None     # the guide being moved is drawn as drag
        self.setZValue(GUIDE_Z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_guides(self, geo: PageGeometry, xs: list[float], ys: list[float],
                   master: tuple[list[float], list[float]] = ([], [])) -> None:
        """Show these guides (page points), and the master's (drawn dotted)."""
        self.prepareGeometryChange()
        self.geo, self.xs, self.ys = geo, xs, ys
        self.master_xs, self.master_ys = master
        self.update()

    def all_guides(self) -> tuple[list[float], list[float]]:
        """Every guide shown (the page's and its master's): where drags snap."""
        return self.xs + self.master_xs, self.ys + self.master_ys

    def set_drag(self, drag: tuple[str, float] | None, moving: tuple[str, int] | None = None):
        """Show a guide being dragged (None: none)."""
        self.drag, self.moving = drag, moving
        self.update()

    def boundingRect(self) -> QRectF:
        """The page and its pasteboard margin."""
        g = self.geo
        return QRectF(-g.width * 0.5, -g.height * 0.1, g.width * 2, g.height * 1.2)

    def shape(self):
        """Nothing to hit: guides are picked by ``guide_at``."""
        from PySide6.QtGui import QPainterPath
        return QPainterPath()

    def paint(self, p: QPainter, option, widget=None) -> None:
        """Draw every guide, and the dragged one."""
        r = self.boundingRect()
        pen = QPen(GUIDE, 0)
        p.setPen(pen)
        for i, x in enumerate(self.xs):
            if self.moving != ("x", i):
                p.drawLine(QLineF(x, r.top(), x, r.bottom()))
        for i, y in enumerate(self.ys):
            if self.moving != ("y", i):
                p.drawLine(QLineF(r.left(), y, r.right(), y))
        p.setPen(QPen(GUIDE, 0, Qt.PenStyle.DotLine))
        for x in self.master_xs:
            p.drawLine(QLineF(x, r.top(), x, r.bottom()))
        for y in self.master_ys:
            p.drawLine(QLineF(r.left(), y, r.right(), y))
        if self.drag is not None:
            axis, v = self.drag
            pen = QPen(GUIDE, 0, Qt.PenStyle.DashLine)
            p.setPen(pen)
            if axis == "x":
                p.drawLine(QLineF(v, r.top(), v, r.bottom()))
            else:
                p.drawLine(QLineF(r.left(), v, r.right(), v))

    def guide_at(self, pos: QPointF, tol: float) -> tuple[str, int] | None:
        """The guide under a scene point (axis, index), within ``tol`` points."""
        best = None
        for axis, values, v in (("x", self.xs, pos.x()), ("y", self.ys, pos.y())):
            for i, g in enumerate(values):
                d = abs(g - v)
                if d <= tol and (best is None or d < best[0]):
                    best = (d, axis, i)
        return (best[1], best[2]) if best else None


class SnapHint(QGraphicsItem):
    """The snap hint: a magenta line across the page where a drag snapped."""

    def __init__(self, geo: PageGeometry):
        super().__init__()
        self.geo = geo
        self.hint_x: float | None = None
        self.hint_y: float | None = None
        self.setZValue(GUIDE_Z + 1)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setVisible(False)

    def show_hint(self, snapped: S.Snapped | None) -> None:
        """Show the lines of a snap (hidden when nothing snapped)."""
        hx = snapped.hint_x if snapped is not None else None
        hy = snapped.hint_y if snapped is not None else None
        if (hx, hy) != (self.hint_x, self.hint_y):
            self.hint_x, self.hint_y = hx, hy
            self.update()
        self.setVisible(hx is not None or hy is not None)

    def boundingRect(self) -> QRectF:
        """The page."""
        g = self.geo
        return QRectF(-g.bleed - 20, -g.bleed - 20, g.width + 2 * g.bleed + 40,
                      g.height + 2 * g.bleed + 40)

    def shape(self):
        """Nothing to hit."""
        from PySide6.QtGui import QPainterPath
        return QPainterPath()

    def paint(self, p: QPainter, option, widget=None) -> None:
        """Draw the hint lines over the page."""
        g = self.geo
        p.setPen(QPen(HINT, 0))
        if self.hint_x is not None:
            p.drawLine(QLineF(self.hint_x, -g.bleed, self.hint_x, g.height + g.bleed))
        if self.hint_y is not None:
            p.drawLine(QLineF(-g.bleed, self.hint_y, g.width + g.bleed, self.hint_y))
