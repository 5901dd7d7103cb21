"""Snapping to the page grid: rectangles in points ↔ columns and grid lines (no Qt)."""
from __future__ import annotations

from dataclasses import dataclass

from layout.grid import PageGeometry


@dataclass(frozen=True)
class Cells:
    """A frame's grid placement: first column and line, size in columns and lines."""
    col: int
    line: int
    cols: int
    lines: int


def col_edge(geo: PageGeometry, x: float) -> int:
    """The column boundary (0 … columns) nearest to page x (left edges and right edges)."""
    step = geo.column + geo.gutter
    return max(0, min(geo.columns, int(round((x - geo.left + geo.gutter / 2) / step))))


def line_edge(geo: PageGeometry, y: float) -> int:
    """The grid line boundary (0 … lines) nearest to page y."""
    return max(0, min(geo.lines, int(round((y - geo.top) / geo.pitch))))


def cells_between(geo: PageGeometry, x0: float, y0: float, x1: float, y1: float) -> Cells:
    """The grid cells a drag from (x0, y0) to (x1, y1) covers, at least one of each."""
    a, b = sorted((col_edge(geo, x0), col_edge(geo, x1)))
    c, d = sorted((line_edge(geo, y0), line_edge(geo, y1)))
    if b == a:
        a, b = (a, a + 1) if a < geo.columns else (a - 1, a)
    if d == c:
        c, d = (c, c + 1) if c < geo.lines else (c - 1, c)
    return Cells(a, c, b - a, d - c)


def rect_of(geo: PageGeometry, cells: Cells) -> tuple[float, float, float, float]:
    """The rectangle (pt) of grid cells."""
    return (geo.col_x(cells.col), geo.line_y(cells.line), geo.span_width(cells.cols),
            cells.lines * geo.pitch)


def chars_across(geo: PageGeometry, cols: int) -> int:
    """How many body characters a span of columns holds (2 栏 = 27 字)."""
    return int(round(geo.span_width(cols) / geo.body))


def moved(geo: PageGeometry, cells: Cells, dx: float, dy: float) -> Cells:
    """The cells moved by a drag of (dx, dy) pt, snapped to whole columns and lines, kept on the grid."""
    dc = int(round(dx / (geo.column + geo.gutter)))
    dl = int(round(dy / geo.pitch))
    col = max(0, min(geo.columns - cells.cols, cells.col + dc))
    line = max(0, min(geo.lines - cells.lines, cells.line + dl))
    return Cells(col, line, cells.cols, cells.lines)


def resized(geo: PageGeometry, cells: Cells, handle: str, x: float, y: float) -> Cells:
    """The cells after dragging resize ``handle`` (n, se, w, …) to page point (x, y)."""
    left, right = cells.col, cells.col + cells.cols
    top, bottom = cells.line, cells.line + cells.lines
    if "w" in handle:
        left = min(col_edge(geo, x), right - 1)
    if "e" in handle:
        right = max(col_edge(geo, x), left + 1)
    if "n" in handle:
        top = min(line_edge(geo, y), bottom - 1)
    if "s" in handle:
        bottom = max(line_edge(geo, y), top + 1)
    return Cells(left, top, right - left, bottom - top)


def grid_position(geo: PageGeometry, x: float, y: float) -> tuple[int, int]:
    """The 1-based column and grid line under page point (x, y), for the status bar."""
    step = geo.column + geo.gutter
    return int((x - geo.left) // step) + 1, int((y - geo.top) // geo.pitch) + 1


# ---------------------------------------------------------------- guides and frame edges
@dataclass(frozen=True)
class Snapped:
    """A drag snapped to guides or frame edges: the correction to add and where the
    snap hint lines go (page x of a vertical line, page y of a horizontal one)."""
    dx: float = 0.0
    dy: float = 0.0
    hint_x: float | None = None
    hint_y: float | None = None


def guide_positions(geo: PageGeometry, page) -> tuple[list[float], list[float]]:
    """A page's user guides in page points (x of the vertical ones, y of the horizontal)."""
    guides = getattr(page, "guides", None)
    if guides is None:
        return [], []
    return [geo.length(v) for v in guides.x], [geo.length(v) for v in guides.y]


def edge_targets(rects) -> tuple[list[float], list[float]]:
    """The left, centre and right x and the top, middle and bottom y of rectangles."""
    xs, ys = [], []
    for x, y, w, h in rects:
        xs += [x, x + w / 2, x + w]
        ys += [y, y + h / 2, y + h]
    return xs, ys


def _nearest(values: list[float], targets: list[float], tol: float):
    best = None
    for v in values:
        for t in targets:
            d = t - v
            if abs(d) <= tol and (best is None or abs(d) < abs(best[0])):
                best = (d, t)
    return best


def snap_rect(rect, xs: list[float], ys: list[float], tol: float) -> Snapped:
    """Snap a rectangle's edges or centre to the nearest target within ``tol`` on each axis."""
    x, y, w, h = rect
    bx = _nearest([x, x + w / 2, x + w], xs, tol)
    by = _nearest([y, y + h / 2, y + h], ys, tol)
    return Snapped(bx[0] if bx else 0.0, by[0] if by else 0.0,
                   bx[1] if bx else None, by[1] if by else None)


def snap_value(v: float, targets: list[float], tol: float) -> tuple[float, bool]:
    """A position snapped to the nearest target within ``tol`` (and whether it snapped)."""
    best = _nearest([v], targets, tol)
    return (best[1], True) if best else (v, False)


def grid_targets(geo: PageGeometry) -> tuple[list[float], list[float]]:
    """Column edges (left and right of every column) and grid lines: where guides snap."""
    xs = [geo.col_x(c) for c in range(geo.columns)] + \
        [geo.col_x(c) + geo.column for c in range(geo.columns)]
    ys = [geo.line_y(r) for r in range(geo.lines + 1)]
    return xs, ys
