"""Glyphs drawn as filled paths: for marks that must stay out of the text layer (watermark)."""
from __future__ import annotations

import io
import math

from .ttfont import TrueTypeProgram

_PEN = None


def _pen_class():
    """The fontTools pen writing PDF path operators (fontTools imported on first use:
    only a watermarked proof draws outlines)."""
    global _PEN
    if _PEN is not None:
        return _PEN
    from fontTools.pens.basePen import BasePen

    class _PdfPen(BasePen):
        """A fontTools pen writing PDF path operators through an affine transform."""

        def __init__(self, out: list, m: tuple[float, ...]):
            super().__init__(None)
            self.out, self.m = out, m

        def _p(self, pt) -> str:
            a, b, c, d, e, f = self.m
            x, y = pt
            return f"{a * x + c * y + e:.3f} {b * x + d * y + f:.3f}"

        def _moveTo(self, pt):
            self.out.append(self._p(pt) + " m")

        def _lineTo(self, pt):
            self.out.append(self._p(pt) + " l")

        def _curveToOne(self, p1, p2, p3):
            self.out.append(f"{self._p(p1)} {self._p(p2)} {self._p(p3)} c")

        def _closePath(self):
            self.out.append("h")

    _PEN = _PdfPen
    return _PEN


def glyph_paths(program: TrueTypeProgram, gids: list[int], origins: list[tuple[float, float]],
                size: float, angle_deg: float = 0.0) -> str:
    """Path operators (no paint operator) for glyphs at PDF-space origins, rotated by angle."""
    uniq = [g for g in dict.fromkeys(gids) if g]
    if not uniq:
        return ""
    from fontTools.ttLib import TTFont
    pen = _pen_class()
    font = TTFont(io.BytesIO(program.subset(uniq)))
    order = font.getGlyphOrder()
    gs = font.getGlyphSet()
    new = {g: order[i + 1] for i, g in enumerate(uniq)}
    s = size / program.units_per_em
    ca, sa = math.cos(math.radians(angle_deg)), math.sin(math.radians(angle_deg))
    out: list[str] = []
    for g, (ox, oy) in zip(gids, origins):
        if g:
            gs[new[g]].draw(pen(out, (s * ca, s * sa, -s * sa, s * ca, ox, oy)))
    return "\n".join(out)
