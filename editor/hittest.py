"""Where story positions are on the page, and which position a click means.

Works on the engine's LineBoxes and glyph runs only (no Qt, no measuring):
a click maps to the nearest line, then to the nearest glyph edge; a story
position maps back to a caret x on its line.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

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


def frame_lines(fr: FrameResult, advance=None) -> list[LineGlyphs]:
    """The frame's lines with their glyphs, in reading order.

    ``advance(run, i)`` gives the advance of glyph ``i`` of a run (pt) from the
    engine's font metrics, used for the right edge of the last glyph.
    """
    out = []
    runs = [r for r in fr.runs if r.source.part == "body" and r.ys is None]
    for lb in fr.lines:
        xs, offs, right = [], [], lb.x
        for r in runs:
            if r.source.para != lb.para or abs(r.y - lb.y) > 0.01:
                continue
            if not r.offsets or r.offsets[0] >= lb.end or r.offsets[-1] < lb.start:
                continue
            if r.xs[0] < lb.x - 0.5 or r.xs[0] > lb.x + lb.width + 0.5:
                continue
            for i, (x, o) in enumerate(zip(r.xs, r.offsets)):
                if lb.start <= o < lb.end:
                    xs.append(x)
                    offs.append(o)
                    adv = advance(r, i) if advance else r.size
                    right = max(right, x + adv)
        order = sorted(range(len(xs)), key=xs.__getitem__)
        out.append(LineGlyphs(lb, [xs[i] for i in order], [offs[i] for i in order],
                              right if xs else lb.x))
    return out


def hit(lines: list[LineGlyphs], x: float, y: float) -> tuple[int, int] | None:
    """The story position (para, offset) nearest to page point (x, y), or None."""
    if not lines:
        return None

    def dist(lg: LineGlyphs) -> tuple[float, float]:
        b = lg.box
        dy = 0.0 if b.top <= y <= b.bottom else min(abs(y - b.top), abs(y - b.bottom))
        dx = 0.0 if b.x <= x <= b.x + b.width else min(abs(x - b.x), abs(x - b.x - b.width))
        return (dx, dy)
    best = min(lines, key=lambda lg: (dist(lg)[0] > 1.0, dist(lg)[1], dist(lg)[0]))
    return (best.box.para, offset_at(best, x))


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


def caret(frames: list[tuple[str, list[LineGlyphs]]], pos: tuple[int, int]) -> Caret | None:
    """Where the caret for story position ``pos`` goes, over the story's frames in order."""
    para, off = pos
    fallback = None
    for fid, lines in frames:
        for lg in lines:
            b = lg.box
            if b.para != para:
                continue
            if b.start <= off < b.end or (off == b.end and off == b.start):
                return Caret(fid, _x_of(lg, off), b.y, b.top, b.bottom)
            if off == b.end:
                fallback = Caret(fid, _x_of(lg, off), b.y, b.top, b.bottom)
    return fallback


def _x_of(lg: LineGlyphs, off: int) -> float:
    for x, o in zip(lg.xs, lg.offsets):
        if o == off:
            return x
    if lg.xs and off >= lg.box.end:
        return lg.right
    return lg.box.x if not lg.xs else lg.xs[0]


def line_index(lines: list[LineGlyphs], pos: tuple[int, int]) -> int:
    """The index of the line showing ``pos`` (-1 when none does)."""
    para, off = pos
    found = -1
    for i, lg in enumerate(lines):
        b = lg.box
        if b.para == para and (b.start <= off < b.end or off == b.end):
            if b.start <= off < b.end:
                return i
            found = i
    return found


def selection_rects(frames: list[tuple[str, list[LineGlyphs]]], start: tuple[int, int],
                    end: tuple[int, int]) -> list[tuple[float, float, float, float]]:
    """Rectangles covering the story text from ``start`` to ``end`` (page pt)."""
    out = []
    for _, lines in frames:
        for lg in lines:
            b = lg.box
            if (b.para, b.end) <= start or (b.para, b.start) >= end:
                continue
            a = max(start, (b.para, b.start))[1] if start[0] == b.para else b.start
            z = min(end, (b.para, b.end))[1] if end[0] == b.para else b.end
            x0 = _x_of(lg, a)
            x1 = _x_of(lg, z) if z < b.end else lg.right
            if x1 > x0:
                out.append((x0, b.top, x1 - x0, b.bottom - b.top))
    return out
