"""The border library: patterned strokes for boxes and rules, as vector paths.

Patterns (``model.BorderPattern``): ``solid``, ``double``, ``thick-thin`` and
``thin-thick`` (文武线: a line three times the weight beside one of the weight),
``dotted``, ``dashed``, ``wave``, and the 花边 repeat patterns ``diamonds``,
``dot-dash``, ``beads`` (large and small dots) and ``key`` (回纹: a running key
in a band eight weights wide).

A box's pattern is laid out side by side: on each side the number of repeats
is rounded so that whole motifs fit between the corners, and the motifs keep
their size (only the spacing changes) — or, for the continuous wave and key,
stretch along the side by less than half a motif.  Corners are drawn once,
separately (a dot, a diamond, a 回 square), so nothing is cut or squeezed there.
The result is ``PathItem``s (``RuleItem``/``BoxItem`` for the plain cases
composed before patterns existed), drawn alike by every painter.
"""
from __future__ import annotations

from .result import BoxItem, PathItem, Rect, RuleItem

_K = 0.5522847498        # cubic Bézier handle for a quarter circle

#: patterns made of separate filled motifs, and those stroked as lines
FILLED = ("dotted", "dashed", "diamonds", "dot-dash", "beads")
LINES = ("double", "thick-thin", "thin-thick")


def _r(v: float) -> float:
    return round(v, 4)


class _Side:
    """A straight run of the pattern: from ``origin`` along ``d`` for ``length``,
    with ``n`` the unit normal pointing into the box (or down/left of a rule)."""

    def __init__(self, origin, d, n, length: float):
        self.o, self.d, self.n, self.length = origin, d, n, length

    def at(self, u: float, v: float) -> tuple[float, float]:
        """The page point ``u`` along the side and ``v`` across it (inwards)."""
        return (_r(self.o[0] + u * self.d[0] + v * self.n[0]),
                _r(self.o[1] + u * self.d[1] + v * self.n[1]))


def _circle(ops: list, cx: float, cy: float, r: float) -> None:
    k = r * _K
    ops += [("M", _r(cx + r), _r(cy)),
            ("C", _r(cx + r), _r(cy + k), _r(cx + k), _r(cy + r), _r(cx), _r(cy + r)),
            ("C", _r(cx - k), _r(cy + r), _r(cx - r), _r(cy + k), _r(cx - r), _r(cy)),
            ("C", _r(cx - r), _r(cy - k), _r(cx - k), _r(cy - r), _r(cx), _r(cy - r)),
            ("C", _r(cx + k), _r(cy - r), _r(cx + r), _r(cy - k), _r(cx + r), _r(cy)),
            ("Z",)]


def _polygon(ops: list, pts) -> None:
    ops.append(("M", *pts[0]))
    ops.extend(("L", *p) for p in pts[1:])
    ops.append(("Z",))


def _diamond(ops: list, side: _Side, u: float, v: float, s: float) -> None:
    h = s / 2
    _polygon(ops, [side.at(u - h, v), side.at(u, v - h), side.at(u + h, v), side.at(u, v + h)])


def _bar(ops: list, side: _Side, u0: float, u1: float, v: float, w: float) -> None:
    h = w / 2
    _polygon(ops, [side.at(u0, v - h), side.at(u1, v - h), side.at(u1, v + h), side.at(u0, v + h)])


def _count(length: float, pitch: float, least: int = 1) -> int:
    return max(least, int(round(length / pitch))) if pitch > 0 else least


# ------------------------------------------------------------------ motifs along one side
def _motifs(ops: list, side: _Side, pattern: str, w: float, ends: bool) -> None:
    """Filled motifs along a side; the end points get motifs only when ``ends`` (a rule)."""
    L = side.length
    if pattern == "dotted":
        r = w
        n = _count(L, 4 * w)
        for i in range(0 if ends else 1, n + 1 if ends else n):
            _circle(ops, *side.at(L * i / n, 0.0), r)
    elif pattern == "diamonds":
        s = 4 * w
        n = _count(L, 1.6 * s)
        for i in range(0 if ends else 1, n + 1 if ends else n):
            _diamond(ops, side, L * i / n, 0.0, s)
    elif pattern == "beads":
        big, small = 1.6 * w, 0.8 * w
        n = 2 * _count(L, 8 * w)          # even: big dots at both ends
        for i in range(0 if ends else 1, n + 1 if ends else n):
            _circle(ops, *side.at(L * i / n, 0.0), big if i % 2 == 0 else small)
    elif pattern == "dot-dash":
        n = _count(L, 10 * w)
        q = L / (2 * n)
        dash = min(5 * w, q * 1.2)
        for i in range(0 if ends else 1, 2 * n + 1 if ends else 2 * n):
            u = q * i
            if i % 2:
                _bar(ops, side, u - dash / 2, u + dash / 2, 0.0, w)
            else:
                _circle(ops, *side.at(u, 0.0), w)
    elif pattern == "dashed":
        dash, gap = 6 * w, 3 * w
        n = max(1, int(round((L + gap) / (dash + gap))))
        gap = (L - n * dash) / (n - 1) if n > 1 else 0.0
        if n > 1 and gap < dash / 4:
            n -= 1
            gap = (L - n * dash) / (n - 1) if n > 1 else 0.0
        if n == 1:
            dash = L
        ext = 0.0 if ends else w / 2       # dashes meet in an L at a box's corners
        for i in range(n):
            u0 = i * (dash + gap)
            _bar(ops, side, u0 - (ext if i == 0 else 0.0),
                 u0 + dash + (ext if i == n - 1 else 0.0), 0.0, w)


def _wave(ops: list, side: _Side, w: float, first: bool) -> None:
    """Whole periods of a wave (half-sine arches as cubics) along the side."""
    L = side.length
    n = _count(L, 8 * w)
    a = 1.5 * w
    half = L / (2 * n)
    if first:
        ops.append(("M", *side.at(0.0, 0.0)))
    for i in range(2 * n):
        u = i * half
        amp = -a if i % 2 == 0 else a
        c = amp * 4 / 3
        ops.append(("C", *side.at(u + half * 0.3642, c), *side.at(u + half * 0.6358, c),
                    *side.at(u + half, 0.0)))


def _key(ops: list, side: _Side, band: float, c0: float, length: float) -> None:
    """A running key (回纹): a square spiral per cell rising from a continuous base line."""
    n = _count(length, band)
    cell = length / n
    g, q = cell / 5, band / 5
    spiral = [(0, 5), (0, 0), (4, 0), (4, 4), (1, 4), (1, 1), (3, 1), (3, 3), (2, 3)]
    for i in range(n):
        u0 = c0 + i * cell
        ops.append(("M", *side.at(u0 + spiral[0][0] * g, spiral[0][1] * q)))
        ops.extend(("L", *side.at(u0 + a * g, b * q)) for a, b in spiral[1:])
    # the base line, along the inner edge of the band
    ops += [("M", *side.at(c0, band)), ("L", *side.at(c0 + length, band))]


def _hui(ops: list, x: float, y: float, s: float) -> None:
    """A 回 corner: a square with a square inside."""
    for inset in (0.0, s * 0.3):
        _polygon(ops, [(_r(x + inset), _r(y + inset)), (_r(x + s - inset), _r(y + inset)),
                       (_r(x + s - inset), _r(y + s - inset)), (_r(x + inset), _r(y + s - inset))])


def _rect_path(ops: list, x: float, y: float, w: float, h: float) -> None:
    _polygon(ops, [(_r(x), _r(y)), (_r(x + w), _r(y)), (_r(x + w), _r(y + h)), (_r(x), _r(y + h))])


def line_offsets(pattern: str, w: float) -> list[tuple[float, float]]:
    """The parallel lines of double and 文武线 patterns: (offset from the outer edge's
    line to the line's centre, line weight), outer line first."""
    thick = 3 * w
    if pattern == "double":
        return [(0.0, w), (2 * w, w)]
    if pattern == "thick-thin":
        return [(0.0, thick), (thick / 2 + w + w / 2, w)]
    if pattern == "thin-thick":
        return [(0.0, w), (w / 2 + w + thick / 2, thick)]
    return [(0.0, w)]


def band_width(pattern: str, w: float) -> float:
    """How far a pattern reaches in from the box's edge line (the key's band, 8 weights)."""
    if pattern == "key":
        return max(3.0, 8 * w)
    if pattern in LINES:
        off, lw = line_offsets(pattern, w)[-1]
        return off + lw / 2
    return w


# ------------------------------------------------------------------ boxes
def box_items(rect: Rect, pattern: str, weight: float, color: str, fill: str) -> list:
    """A box's fill and patterned border as result items."""
    x, y, w, h = rect
    if pattern == "solid" or weight <= 0 or w <= 0 or h <= 0:
        return [BoxItem(rect, weight, color, fill)]
    out: list = [BoxItem(rect, 0.0, color, fill)] if fill else []
    if pattern in LINES:
        by_weight: dict[float, list] = {}
        for off, lw in line_offsets(pattern, weight):
            if 2 * off < min(w, h):
                _rect_path(by_weight.setdefault(lw, []), x + off, y + off, w - 2 * off, h - 2 * off)
        out.extend(PathItem(tuple(ops), lw, color) for lw, ops in by_weight.items())
        return out
    corners = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
    dirs = [(1, 0), (0, 1), (-1, 0), (0, -1)]
    normals = [(0, 1), (-1, 0), (0, -1), (1, 0)]
    lengths = [w, h, w, h]
    ops: list = []
    if pattern == "key":
        s = min(band_width(pattern, weight), w / 3, h / 3)
        for (cx, cy), d, n, L in zip(corners, dirs, normals, lengths):
            side = _Side((cx, cy), d, n, L)
            _key(ops, side, s, s, L - 2 * s)
        for cx, cy in ((x, y), (x + w - s, y), (x + w - s, y + h - s), (x, y + h - s)):
            _hui(ops, cx, cy, s)
        out.append(PathItem(tuple(ops), weight, color))
        return out
    sides = [_Side(c, d, n, L) for c, d, n, L in zip(corners, dirs, normals, lengths)]
    if pattern == "wave":
        for i, side in enumerate(sides):
            _wave(ops, side, weight, i == 0)
        ops.append(("Z",))
        out.append(PathItem(tuple(ops), weight, color))
        return out
    # filled motifs: one at each corner, then along each side between them
    for cx, cy in corners:
        if pattern == "diamonds":
            _diamond(ops, _Side((cx, cy), (1, 0), (0, 1), 0), 0.0, 0.0, 4 * weight)
        elif pattern == "dashed":
            pass                          # the side dashes meet there
        else:
            _circle(ops, cx, cy, 1.6 * weight if pattern == "beads" else weight)
    for side in sides:
        _motifs(ops, side, pattern, weight, False)
    out.append(PathItem(tuple(ops), 0.0, color, color))
    return out


# ------------------------------------------------------------------ rules
def rule_items(rect: Rect, pattern: str, weight: float, color: str) -> list:
    """A rule frame's line: horizontal when wider than tall, else vertical."""
    x, y, w, h = rect
    horizontal = w >= h
    if pattern in ("solid", "dotted", "double") or weight <= 0:
        dash = (1.0, 2.0) if pattern == "dotted" else ()
        if horizontal:
            ym = y + h / 2
            if pattern == "double":
                return [RuleItem(x, ym - weight, x + w, ym - weight, weight, color),
                        RuleItem(x, ym + weight, x + w, ym + weight, weight, color)]
            return [RuleItem(x, ym, x + w, ym, weight, color, dash)]
        xm = x + w / 2
        return [RuleItem(xm, y, xm, y + h, weight, color, dash)]
    first = line_offsets(pattern, weight)[0][1]
    band = {"key": band_width(pattern, weight)}.get(pattern, 0.0)
    if pattern in LINES:
        band = band_width(pattern, weight) + first / 2     # outer edge to inner edge
    if horizontal:
        side = _Side((x, y + h / 2 - band / 2), (1, 0), (0, 1), w)
    else:
        side = _Side((x + w / 2 + band / 2, y), (0, 1), (-1, 0), h)
    ops: list = []
    if pattern in LINES:
        out = []
        for off, lw in line_offsets(pattern, weight):
            v = off + first / 2
            out.append(RuleItem(*side.at(0.0, v), *side.at(side.length, v), lw, color))
        return out
    if pattern == "wave":
        _wave(ops, side, weight, True)
        return [PathItem(tuple(ops), weight, color)]
    if pattern == "key":
        _key(ops, side, band, 0.0, side.length)
        ops += [("M", *side.at(0.0, 0.0)), ("L", *side.at(side.length, 0.0))]
        return [PathItem(tuple(ops), weight, color)]
    _motifs(ops, side, pattern, weight, True)
    return [PathItem(tuple(ops), 0.0, color, color)]


def path_bounds(ops) -> tuple[float, float, float, float]:
    """The bounding box of a path's points (control points included)."""
    xs, ys = [], []
    for op in ops:
        pts = op[1:]
        xs.extend(pts[0::2])
        ys.extend(pts[1::2])
    if not xs:
        return (0.0, 0.0, 0.0, 0.0)
    return (min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))

