"""Convert a chunk of CFF/CFF2 glyphs to TrueType glyf data (runs in worker processes or in-process)."""
from __future__ import annotations

import sys

MAX_ERR = 1.0          # cu2qu approximation error, font units (the otf2ttf recipe's default)

_open_fonts: dict = {}


def _glyph_set(path: str, index: int, collection: bool, location: tuple, stamp: int):
    """(glyph set, glyph order) of a face, opened once per worker process."""
    key = (path, index, location, stamp)
    hit = _open_fonts.get(key)
    if hit is None:
        from fontTools.ttLib import TTFont
        font = TTFont(path, fontNumber=index if collection else -1, lazy=True)
        gs = font.getGlyphSet(location=dict(location)) if location else font.getGlyphSet()
        hit = _open_fonts[key] = (gs, font.getGlyphOrder(), font)
    return hit[0], hit[1]


def clear() -> None:
    """Forget the fonts this process opened."""
    _open_fonts.clear()


class QuadPen:
    """Pen collecting TrueType contours: cubics through cu2qu, each contour reversed (clockwise), as TTGlyphPen would."""

    __slots__ = ("contours", "cur", "max_err", "_c2q")

    def __init__(self, max_err: float = MAX_ERR):
        from fontTools.cu2qu import curve_to_quadratic
        self._c2q = curve_to_quadratic
        self.contours: list[list[tuple]] = []
        self.cur: list[tuple] | None = None
        self.max_err = max_err

    def moveTo(self, pt):
        """Start a contour."""
        self.cur = [(pt, True)]

    def lineTo(self, pt):
        """Straight segment."""
        self.cur.append((pt, True))

    def curveTo(self, *pts):
        """Cubic segment, approximated by quadratic splines within max_err."""
        if len(pts) != 3:
            raise ValueError(f"curveTo with {len(pts)} points")
        cur = self.cur
        q = self._c2q((cur[-1][0],) + pts, self.max_err)
        for off in q[1:-1]:
            cur.append((off, False))
        cur.append((q[-1], True))

    def qCurveTo(self, *pts):
        """Quadratic spline (passed through)."""
        for off in pts[:-1]:
            self.cur.append((off, False))
        self.cur.append((pts[-1], True))

    def closePath(self):
        """End the contour: drop a duplicate closing point, reverse, keep; one-point contours are dropped."""
        cur = self.cur
        if cur and len(cur) > 1 and cur[-1][0] == cur[0][0]:
            cur.pop()
        if cur and len(cur) > 1:
            self.contours.append([cur[0]] + cur[:0:-1])
        self.cur = None

    endPath = closePath

    def addComponent(self, glyphName, transformation):
        """CFF has no components."""
        raise ValueError("components are not supported in CFF conversion")


def encode_simple_glyph(contours) -> tuple[bytes, tuple[int, int, int, int], int, int]:
    """glyf bytes of a simple glyph (no instructions), its box, point count and contour count."""
    import struct
    from array import array
    from math import floor
    xs, ys, ons, ends = [], [], [], []
    for contour in contours:
        for (x, y), on in contour:
            xs.append(floor(x + 0.5))                 # fontTools' otRound
            ys.append(floor(y + 0.5))
            ons.append(on)
        ends.append(len(xs) - 1)
    n = len(xs)
    if n == 0:
        return b"", (0, 0, 0, 0), 0, 0
    flags = bytearray()
    xb, yb = bytearray(), bytearray()
    px = py = 0
    pack_h = struct.Struct(">h").pack
    for i in range(n):
        f = 1 if ons[i] else 0
        dx, dy = xs[i] - px, ys[i] - py
        px, py = xs[i], ys[i]
        if dx == 0:
            f |= 0x10
        elif -255 <= dx <= 255:
            f |= 0x02
            if dx > 0:
                f |= 0x10
                xb.append(dx)
            else:
                xb.append(-dx)
        else:
            xb += pack_h(dx)
        if dy == 0:
            f |= 0x20
        elif -255 <= dy <= 255:
            f |= 0x04
            if dy > 0:
                f |= 0x20
                yb.append(dy)
            else:
                yb.append(-dy)
        else:
            yb += pack_h(dy)
        flags.append(f)
    packed = bytearray()
    i = 0
    while i < n:                                    # run-length encode repeated flags
        f, j = flags[i], i + 1
        while j < n and flags[j] == f and j - i < 256:
            j += 1
        if j - i > 2:
            packed += bytes((f | 0x08, j - i - 1))
        else:
            packed += flags[i:j]
        i = j
    box = (min(xs), min(ys), max(xs), max(ys))
    end_pts = array("H", ends)
    if sys.byteorder == "little":
        end_pts.byteswap()
    data = b"".join((struct.pack(">5h", len(ends), *box), end_pts.tobytes(), b"\0\0",
                     bytes(packed), bytes(xb), bytes(yb)))
    return data, box, n, len(ends)


def convert_chunk(path: str, index: int, collection: bool, location: tuple, stamp: int,
                  gids: list[int]) -> list[tuple]:
    """[(gid, glyf bytes, xMin, yMin, xMax, yMax, points, contours)] for the given glyph ids."""
    gs, order = _glyph_set(path, index, collection, location, stamp)
    out = []
    for g in gids:
        pen = QuadPen()
        gs[order[g]].draw(pen)
        data, (x0, y0, x1, y1), points, contours = encode_simple_glyph(pen.contours)
        out.append((g, data, x0, y0, x1, y1, points, contours))
    return out


def main() -> None:
    """Worker loop for `python -m fonts.worker`: read pickled chunks on stdin, write pickled results on stdout."""
    import pickle
    import sys
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr                    # keep stray prints out of the result stream
    pickle.dump(("ready", None), out)
    out.flush()
    while True:
        try:
            args = pickle.load(inp)
        except (EOFError, OSError):
            break
        try:
            reply = ("ok", convert_chunk(*args))
        except Exception as e:                 # reported to the parent, which names the font file
            reply = ("error", f"{type(e).__name__}: {e}")
        try:
            pickle.dump(reply, out, protocol=pickle.HIGHEST_PROTOCOL)
            out.flush()
        except (BrokenPipeError, OSError):
            break


if __name__ == "__main__":
    main()
