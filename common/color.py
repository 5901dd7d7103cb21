"""Colour arithmetic shared by the screen and the PDF proof."""
from __future__ import annotations


def cmyk_to_rgb(c) -> tuple[float, float, float]:
    """A plain CMYK -> RGB conversion (0..1) for screen and proof colours; black stays black."""
    cy, m, y, k = c
    return (1 - cy) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)
