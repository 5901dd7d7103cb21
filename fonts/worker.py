"""Convert a chunk of CFF/CFF2 glyphs to TrueType glyf data (runs in worker processes or in-process)."""
from __future__ import annotations

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


def convert_chunk(path: str, index: int, collection: bool, location: tuple, stamp: int,
                  gids: list[int]) -> list[tuple]:
    """[(gid, glyf bytes, xMin, yMin, xMax, yMax, points, contours)] for the given glyph ids."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    gs, order = _glyph_set(path, index, collection, location, stamp)
    out = []
    for g in gids:
        pen = TTGlyphPen(None)
        gs[order[g]].draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
        glyph = pen.glyph()
        if glyph.numberOfContours <= 0:
            out.append((g, b"", 0, 0, 0, 0, 0, 0))
            continue
        glyph.recalcBounds(None)
        data = glyph.compile(None, recalcBBoxes=False)
        out.append((g, data, glyph.xMin, glyph.yMin, glyph.xMax, glyph.yMax,
                    len(glyph.coordinates), glyph.numberOfContours))
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
