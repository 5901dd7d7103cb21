"""Arranging frames (no Qt): align, distribute, group and ungroup; each returns one edit or None.

Positions are worked out in page points on the frames' rectangles (a rotated
frame by its bounding box), then written back the way each frame is placed:
a grid frame moves to the nearest column and grid line, a free frame (``box``)
moves exactly.  Alignment is relative to the selection, the page or the type area.
"""
from __future__ import annotations

from layout import edits as E
from layout import model as m
from layout.grid import PageGeometry
from layout.result import rotated_bounds
from layout.units import mm

RELATIVE_TO = ("selection", "page", "area")
EDGES = ("left", "center", "right", "top", "middle", "bottom")


def _movable(issue: m.Issue, ids: list[str]) -> list[m.Frame]:
    return [fr for fr in (issue.frame(i)[1] for i in ids) if not fr.locked]


def bounds(geo: PageGeometry, frame: m.Frame) -> tuple[float, float, float, float]:
    """The rectangle a frame covers on the page (its rotation included)."""
    return rotated_bounds(geo.frame_rect(frame), getattr(frame, "rotate", 0.0))


def _mm(v: float) -> str:
    return f"{round(mm(v), 3):g}mm"


def moved_to(geo: PageGeometry, frame: m.Frame, x: float, y: float) -> dict:
    """The field changes putting the frame's rectangle's top-left corner at page (x, y):
    whole columns and grid lines for a grid frame, exact for a free one."""
    if frame.box:
        return {"box": [_mm(x - geo.left), _mm(y - geo.top), frame.box[2], frame.box[3]]}
    step = geo.column + geo.gutter
    col = max(0, min(geo.columns - frame.cols, int(round((x - geo.left) / step))))
    line = max(0, min(geo.lines - frame.lines, int(round((y - geo.top) / geo.pitch))))
    return {k: v for k, v in (("col", col), ("line", line)) if getattr(frame, k) != v}


def _shift(geo: PageGeometry, frame: m.Frame, dx: float, dy: float) -> dict:
    x, y, _, _ = geo.frame_rect(frame)
    changes = moved_to(geo, frame, x + dx, y + dy)
    if frame.box and changes.get("box") == frame.box:
        return {}
    return changes


def reference(geo: PageGeometry, rects: list, relative: str):
    """The rectangle aligned to: the selection's bounds, the page or the type area."""
    if relative == "page":
        return (0.0, 0.0, geo.width, geo.height)
    if relative == "area":
        return (geo.left, geo.top, geo.type_width, geo.type_height)
    x0 = min(r[0] for r in rects)
    y0 = min(r[1] for r in rects)
    x1 = max(r[0] + r[2] for r in rects)
    y1 = max(r[1] + r[3] for r in rects)
    return (x0, y0, x1 - x0, y1 - y0)


def align(issue: m.Issue, ids: list[str], edge: str, relative: str = "selection",
          geo: PageGeometry | None = None) -> E.Edit | None:
    """Line the frames up on ``edge`` (left, center, right, top, middle, bottom) of the
    selection's bounds, the page or the type area."""
    if edge not in EDGES or relative not in RELATIVE_TO:
        raise ValueError(f"cannot align {edge} relative to {relative}")
    geo = geo or PageGeometry.of(issue.paper)
    frames = _movable(issue, ids)
    if not frames or (relative == "selection" and len(frames) < 2):
        return None
    rects = [bounds(geo, f) for f in frames]
    rx, ry, rw, rh = reference(geo, rects, relative)
    edits = []
    for f, (x, y, w, h) in zip(frames, rects):
        dx = dy = 0.0
        if edge == "left":
            dx = rx - x
        elif edge == "center":
            dx = rx + (rw - w) / 2 - x
        elif edge == "right":
            dx = rx + rw - w - x
        elif edge == "top":
            dy = ry - y
        elif edge == "middle":
            dy = ry + (rh - h) / 2 - y
        else:
            dy = ry + rh - h - y
        changes = _shift(geo, f, dx, dy)
        if changes:
            edits.append(E.SetFrame(f.id, **changes))
    return E.Batch(edits, f"align {edge}") if edits else None


def distribute(issue: m.Issue, ids: list[str], axis: str = "x", relative: str = "selection",
               geo: PageGeometry | None = None) -> E.Edit | None:
    """Space the frames with equal gaps between them, horizontally (``x``) or vertically
    (``y``): between the outermost ones, or across the page or the type area."""
    geo = geo or PageGeometry.of(issue.paper)
    frames = _movable(issue, ids)
    if len(frames) < (3 if relative == "selection" else 2):
        return None
    a = 0 if axis == "x" else 1
    pairs = sorted(((bounds(geo, f), f) for f in frames), key=lambda p: p[0][a])
    ref = reference(geo, [r for r, _ in pairs], relative)
    start, span = ref[a], ref[a + 2]
    free = span - sum(r[a + 2] for r, _ in pairs)
    gap = free / (len(pairs) - 1)
    pos, edits = start, []
    for r, f in pairs:
        d = pos - r[a]
        changes = _shift(geo, f, d if a == 0 else 0.0, d if a == 1 else 0.0)
        if changes:
            edits.append(E.SetFrame(f.id, **changes))
        pos += r[a + 2] + gap
    return E.Batch(edits, "distribute") if edits else None


def align_left(issue: m.Issue, ids: list[str]) -> E.Edit | None:
    """Give the frames the leftmost frame's left edge."""
    return align(issue, ids, "left")


def align_top(issue: m.Issue, ids: list[str]) -> E.Edit | None:
    """Give the frames the topmost frame's top edge."""
    return align(issue, ids, "top")


def distribute_horizontally(issue: m.Issue, ids: list[str]) -> E.Edit | None:
    """Space the frames evenly between the leftmost and the rightmost."""
    return distribute(issue, ids, "x")


def toggle_lock(issue: m.Issue, ids: list[str]) -> E.Edit | None:
    """Lock the frames (or unlock them when all are locked)."""
    frames = [issue.frame(i)[1] for i in ids]
    if not frames:
        return None
    lock = not all(f.locked for f in frames)
    return E.Batch([E.SetFrame(f.id, locked=lock) for f in frames if f.locked != lock],
                   "lock" if lock else "unlock")


# ---------------------------------------------------------------- groups
def new_group_id(issue: m.Issue) -> str:
    """A group id no frame uses yet (g1, g2 …)."""
    used = {fr.group for _, fr in issue.frames()}
    n = 1
    while f"g{n}" in used:
        n += 1
    return f"g{n}"


def members(issue: m.Issue, frame_id: str) -> list[str]:
    """The frames moving with this one: its group's frames on its page (itself alone
    when it is in no group), in page order."""
    page, fr = issue.frame(frame_id)
    if not fr.group:
        return [frame_id]
    return [f.id for f in page.frames if f.group == fr.group]


def expand(issue: m.Issue, ids: list[str]) -> list[str]:
    """A selection with every group it touches made whole."""
    out: list[str] = []
    for fid in ids:
        for g in members(issue, fid):
            if g not in out:
                out.append(g)
    return out


def group(issue: m.Issue, ids: list[str]) -> E.Edit | None:
    """Make the frames (and the groups they are in) one group (Ctrl+G)."""
    ids = expand(issue, ids)
    if len(ids) < 2:
        return None
    gid = new_group_id(issue)
    return E.Batch([E.SetFrame(f, group=gid) for f in ids], "group")


def ungroup(issue: m.Issue, ids: list[str]) -> E.Edit | None:
    """Dissolve the groups of the frames (Ctrl+Shift+G)."""
    ids = [f for f in expand(issue, ids) if issue.frame(f)[1].group]
    return E.Batch([E.SetFrame(f, group="") for f in ids], "ungroup") if ids else None


def group_cells(issue: m.Issue, ids: list[str]) -> tuple[int, int, int, int]:
    """The grid cells (col, line, cols, lines) the frames span together."""
    frames = [issue.frame(i)[1] for i in ids]
    c0 = min(f.col for f in frames)
    l0 = min(f.line for f in frames)
    c1 = max(f.col + f.cols for f in frames)
    l1 = max(f.line + f.lines for f in frames)
    return c0, l0, c1 - c0, l1 - l0


def resize_group(issue: m.Issue, ids: list[str], new: tuple[int, int, int, int]
                 ) -> E.Edit | None:
    """Resize a module as one: every grid frame's edges scale with the group's cells
    from ``group_cells`` to ``new`` (col, line, cols, lines), rounded to whole cells."""
    frames = [issue.frame(i)[1] for i in ids if not issue.frame(i)[1].box]
    if not frames:
        return None
    c0, l0, cw, lh = group_cells(issue, [f.id for f in frames])
    nc, nl, ncw, nlh = new

    def mapc(c):
        return nc + int(round((c - c0) * ncw / cw))

    def mapl(r):
        return nl + int(round((r - l0) * nlh / lh))
    edits = []
    for f in frames:
        col, right = mapc(f.col), mapc(f.col + f.cols)
        line, bottom = mapl(f.line), mapl(f.line + f.lines)
        cells = {"col": col, "line": line, "cols": max(1, right - col),
                 "lines": max(1, bottom - line)}
        changes = {k: v for k, v in cells.items() if getattr(f, k) != v}
        if changes:
            edits.append(E.SetFrame(f.id, **changes))
    return E.Batch(edits, "resize group") if edits else None
