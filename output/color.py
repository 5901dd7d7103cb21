"""Swatch names to PDF colour operators: CMYK for print, RGB for proofs.

A tint ("red 30%") is the swatch's inks scaled (``layout.model.color_value``),
written as a process CMYK value; "paper" (or "white") is no ink: reverse type
(反白) knocks out, it never overprints.
"""
from __future__ import annotations

from common.color import cmyk_to_rgb
from layout.model import color_value

from .pdfobjects import num

CMYK = tuple[float, float, float, float]
BLACK: CMYK = (0.0, 0.0, 0.0, 1.0)

#: proof-only colours (never in a print file)
OVERSET_RGB = (0.85, 0.0, 0.55)          # magenta: text that does not fit
OUTLINE_RGB = (0.2, 0.55, 0.95)          # frame outlines
WATERMARK_RGB = (0.93, 0.88, 0.88)       # the 校样 watermark, light
SLUG_RGB = (0.25, 0.25, 0.25)
REGISTRATION: CMYK = (1.0, 1.0, 1.0, 1.0)   # crop marks: on every plate


def rgb_fill(rgb) -> str:
    """The fill operator for an RGB colour (proof only)."""
    return f"{num(rgb[0])} {num(rgb[1])} {num(rgb[2])} rg"


def rgb_stroke(rgb) -> str:
    """The stroke operator for an RGB colour (proof only)."""
    return f"{num(rgb[0])} {num(rgb[1])} {num(rgb[2])} RG"


def cmyk_fill(c: CMYK) -> str:
    """The fill operator for a CMYK colour."""
    return " ".join(num(v) for v in c) + " k"


def cmyk_stroke(c: CMYK) -> str:
    """The stroke operator for a CMYK colour."""
    return " ".join(num(v) for v in c) + " K"


class Inks:
    """Resolves swatch names of a layout result to fill/stroke operators for one mode."""

    def __init__(self, colors: dict[str, tuple], cmyk: bool):
        """``colors`` maps swatch names to CMYK tuples (0..1); ``cmyk`` picks print output."""
        self.colors = {k: tuple(float(v) for v in c) for k, c in colors.items()}
        self.cmyk = cmyk
        self.unknown: set[str] = set()
        self._fill: dict[str, str] = {}
        self._stroke: dict[str, str] = {}
        self._black: dict[str, bool] = {}

    def value(self, name: str) -> CMYK:
        """The CMYK value of a swatch; unknown names draw black and are remembered."""
        c = self.colors.get(name)
        if c is None:
            c = color_value(self.colors, name)     # a tint ("red 30%") or the paper
        if c is None or len(c) != 4:
            if name not in ("black", ""):
                self.unknown.add(name)
            return BLACK
        return tuple(min(1.0, max(0.0, v)) for v in c)

    def is_black(self, name: str) -> bool:
        """True for a swatch of 100% K and no other ink (text and rules that overprint)."""
        b = self._black.get(name)
        if b is None:
            b = self._black[name] = self.value(name) == BLACK
        return b

    def fill(self, name: str) -> str:
        """The fill operator of a swatch."""
        op = self._fill.get(name)
        return op if op is not None else self._operator(name, self._fill, cmyk_fill, rgb_fill)

    def stroke(self, name: str) -> str:
        """The stroke operator of a swatch."""
        op = self._stroke.get(name)
        return op if op is not None else self._operator(name, self._stroke, cmyk_stroke,
                                                         rgb_stroke)

    def _operator(self, name: str, cache: dict, cmyk_op, rgb_op) -> str:
        c = self.value(name)
        op = cache[name] = cmyk_op(c) if self.cmyk else rgb_op(cmyk_to_rgb(c))
        return op
