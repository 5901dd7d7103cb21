"""A font set over installed TrueType files, and full synthetic pages of glyph runs.

The PDF writer needs real font files to embed; these stand-ins read one with
fontTools (key, path, gid, advance, units_per_em) without the font library.
"""
from __future__ import annotations

from layout.result import FrameResult, GlyphRun, LayoutResult, PageResult, Source

CJK_FONTS = ["/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf",
             "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"]
LATIN_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
COLORS = {"black": (0, 0, 0, 1), "red": (0, 1, 1, 0), "grey": (0, 0, 0, 0.15)}


class StandInFace:
    """A FontFace stand-in over a real TrueType file (key, path, gid, advance, units_per_em)."""

    def __init__(self, key: str, path: str, index: int = 0):
        from fontTools.ttLib import TTFont
        ft = TTFont(path, fontNumber=index, lazy=True)
        self.key, self.path, self.index = key, path, index
        self.units_per_em = ft["head"].unitsPerEm
        order = ft.getGlyphOrder()
        ids = {n: i for i, n in enumerate(order)}
        self._cmap = {c: ids[n] for c, n in ft.getBestCmap().items()}
        hm = ft["hmtx"].metrics
        self._adv = [hm[n][0] for n in order]

    def gid(self, ch: str) -> int:
        """Glyph id of a character, 0 when missing."""
        return self._cmap.get(ord(ch), 0)

    def advance(self, gid: int) -> int:
        """Advance width in font units."""
        return self._adv[gid]


class StandInFontSet:
    """A FontSet stand-in: face(key)."""

    def __init__(self, faces):
        self._faces = {f.key: f for f in faces}

    def face(self, key: str):
        """The face with this key (KeyError when unknown)."""
        return self._faces[key]


def run(face, text, x, y, size=9.0, color="black", gap=0.0, jitter=(), story="s1", **kw):
    """A glyph run with its own pen positions: advances + gap (+ jitter per glyph)."""
    gids, xs, advances = [], [], []
    for i, ch in enumerate(text):
        g = face.gid(ch)
        gids.append(g)
        xs.append(x)
        advances.append(face.advance(g) * size / face.units_per_em)
        x += advances[-1] + gap
        x += jitter[i % len(jitter)] if jitter else 0.0
    return GlyphRun(face.key, size, tuple(gids), tuple(xs), y, text, tuple(range(len(text))),
                    tuple(advances), Source(story, 0), color, **kw)


def big_result(cjk, pages=2, chars_per_page=10_000, text: str = "") -> LayoutResult:
    """Full pages of 9 pt body text in 8 columns (the PDF benchmark's input).

    The characters are those of ``text`` the face has, then the first 3,000
    ideographs it has.
    """
    pool = [c for c in text if cjk.gid(c)]
    pool += [chr(c) for c in range(0x4E00, 0x4E00 + 3000) if cjk.gid(chr(c))]
    out = []
    n = 0
    for pn in range(1, pages + 1):
        frames = []
        lines = chars_per_page // (8 * 13)
        for col in range(8):
            runs = []
            for line in range(lines):
                chunk = "".join(pool[(n + i * 7) % len(pool)] for i in range(13))
                n += 13
                x0 = 30 + col * 126
                runs.append(run(cjk, chunk, x0, 40 + 12 * line, gap=0.02 * (line % 5)))
            frames.append(FrameResult(f"f{pn}.{col}", "text", (30 + col * 126, 30, 117, 1000),
                                      items=tuple(runs)))
        out.append(PageResult(pn, 1105, 1530, frames))
    return LayoutResult(pages=out, colors=dict(COLORS))
