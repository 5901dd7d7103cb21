"""What the layout engine asks of fonts: the small protocol a font set satisfies.

``layout`` never imports ``fonts`` (import-linter checks it): whoever composes
an issue passes in a font set — ``fonts.FontSet`` in the application,
``support.fakefont.SquareFontSet`` in tests — and layout uses only what is
written here.  A face in this sense is one font (one weight of one family).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable


@runtime_checkable
class FontFace(Protocol):
    """One face as layout uses it: glyph ids and advances in font units."""

    #: stable identifier; glyph runs name their face by it (the PDF and Qt look it up)
    key: str
    #: human-readable name, for diagnostics ("set in fallback face …")
    name: str
    #: font units per em: advances divided by it, times the size in pt, are pt
    units_per_em: int

    def gid(self, ch: str) -> int:
        """The glyph id of a character; 0 (.notdef) when the face lacks it."""
        ...

    def advance(self, gid: int) -> float:
        """The horizontal advance of a glyph, in font units."""
        ...


@runtime_checkable
class VerticalFace(FontFace, Protocol):
    """A face that also knows vertical forms (optional: used when a frame sets text vertically)."""

    def vert(self, gid: int) -> int:
        """The glyph id of the vertical form of a glyph (the glyph itself when it has none)."""
        ...


@runtime_checkable
class FontSet(Protocol):
    """Faces by role (body, headline, caption …), best first: the first is the
    role's primary face, later ones are fallbacks for characters it lacks."""

    def faces(self, role: str) -> Sequence[FontFace]:
        """The faces of a role, primary first (never empty)."""
        ...
