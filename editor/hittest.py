"""Where story positions are on the page, and which position a click means.

Works on the engine's LineBoxes and their glyph runs only (no Qt, no
measuring): a click maps to the nearest line, then to the nearest glyph edge;
a story position maps back to a caret x on its line.  Glyph edges are the pen
x of each glyph and, after the last one, its pen x plus the advance the
engine gave it (``GlyphRun.advances``).  ``FrameLines`` builds a line's glyph
list only when it is asked for, so placing the caret after a keystroke looks
at one line, not the frame.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from layout.position import StoryPos
from layout.result import FrameResult, LineBox


@dataclass
class LineGlyphs:
    """One composed line with the pen x and story offset of each glyph on it."""
    box: LineBox
    xs: list[float]
    offsets: list[int]
    right: float                 # where the last glyph ends (pt)


@dataclass
class Caret:
    """A caret: frame id, x, baseline y, top and bottom (page pt)."""
    frame: str
    x: float
    y: float
    top: float
    bottom: float


class FrameLines:
    """A frame's composed lines, with each line's glyphs built on demand."""

    def __init__(self, fr: FrameResult):
        self.frame_id = fr.frame_id
        self.boxes: tuple[LineBox, ...] = fr.lines
        self._memo: dict[int, LineGlyphs] = {}

    def __len__(self) -> int:
        return len(self.boxes)

    def glyphs(self, i: int) -> LineGlyphs:
        """Line ``i`` with its glyph positions and offsets, left to right."""
        got = self._memo.get(i)
        if got is None:
            got = self._memo[i] = _line_glyphs(self.boxes[i])
        return got


def _line_glyphs(lb: LineBox) -> LineGlyphs:
    """A line's glyphs that show its own characters, with where the last one ends."""
    xs, offs = [], []
    right = None
    for r in lb.runs:
        if r.ys is not None:
            continue
        for x, o, a in zip(r.xs, r.offsets, r.advances):
            if lb.start <= o < lb.end:
                xs.append(x)
                offs.append(o)
                if right is None or x + a > right:
                    right = x + a
    if right is None:
        return LineGlyphs(lb, [], [], lb.x)
    if any(a > b for a, b in zip(xs, xs[1:])):
        order = sorted(range(len(xs)), key=xs.__getitem__)
        xs, offs = [xs[i] for i in order], [offs[i] for i in order]
    return LineGlyphs(lb, xs, offs, right)


def hit(fl: FrameLines, x: float, y: float) -> StoryPos | None:
    """The story position (para, offset) nearest to page point (x, y), or None."""
    if not len(fl):
        return None

    def score(i: int):
        """Lines the point is beside (not past the ends) first, then the nearest."""
        b = fl.boxes[i]
        dy = 0.0 if b.top <= y <= b.bottom else min(abs(y - b.top), abs(y - b.bottom))
        dx = 0.0 if b.x <= x <= b.x + b.width else min(abs(x - b.x), abs(x - b.x - b.width))
        return (dx > 1.0, dy, dx)
    best = min(range(len(fl)), key=score)
    return StoryPos(fl.boxes[best].para, offset_at(fl.glyphs(best), x))


def offset_at(lg: LineGlyphs, x: float) -> int:
    """The offset of the glyph edge nearest to x on a line."""
    b = lg.box
    if not lg.xs:
        return b.start
    edges = lg.xs + [lg.right]
    mids = [(edges[i] + edges[i + 1]) / 2 for i in range(len(lg.xs))]
    i = bisect_right(mids, x)
    if i < len(lg.offsets):
        return lg.offsets[i]
    return b.end


def locate(frames: list[FrameLines], pos: StoryPos) -> tuple[FrameLines, int] | None:
    """The frame and line showing ``pos`` (the line it starts, else the one it ends)."""
    para, off = pos
    fallback = None
    for fl in frames:
        for i, b in enumerate(fl.boxes):
            if b.para != para:
                continue
            if b.start <= off < b.end or (off == b.end and off == b.start):
                return fl, i
            if off == b.end:
                fallback = (fl, i)
    return fallback


def caret(frames: list[FrameLines], pos: StoryPos) -> Caret | None:
    """Where the caret for story position ``pos`` goes, over the story's frames in order."""
    found = locate(frames, pos)
    if found is None:
        return None
    fl, i = found
    lg = fl.glyphs(i)
    b = lg.box
    return Caret(fl.frame_id, x_of(lg, pos[1]), b.y, b.top, b.bottom)


def x_of(lg: LineGlyphs, off: int) -> float:
    """The pen x of offset ``off`` on a line (its right edge past the last glyph)."""
    for x, o in zip(lg.xs, lg.offsets):
        if o == off:
            return x
    if lg.xs and off >= lg.box.end:
        return lg.right
    return lg.box.x if not lg.xs else lg.xs[0]


def selection_rects(frames: list[FrameLines], start: StoryPos, end: StoryPos
                    ) -> list[tuple[float, float, float, float]]:
    """Rectangles covering the story text from ``start`` to ``end`` (page pt)."""
    out = []
    for fl in frames:
        for i, b in enumerate(fl.boxes):
            if (b.para, b.end) <= start or (b.para, b.start) >= end:
                continue
            lg = fl.glyphs(i)
            a = max(start[1], b.start) if start[0] == b.para else b.start
            z = min(end[1], b.end) if end[0] == b.para else b.end
            x0 = x_of(lg, a)
            x1 = x_of(lg, z) if z < b.end else lg.right
            if x1 > x0:
                out.append((x0, b.top, x1 - x0, b.bottom - b.top))
    return out
