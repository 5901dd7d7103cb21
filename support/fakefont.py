"""A square test face: every CJK character one em, Latin half an em, space a quarter.

Exact metrics make hand-computed expectations possible (as WeasyPrint tests do
with its square-glyph font).
"""
from __future__ import annotations


class SquareFace:
    """A FontFace stand-in with exact, simple metrics."""

    def __init__(self, key="square", missing="", western=False):
        self.key = self.name = key
        self._western = western        # a Latin face: quotes and dashes half an em
        self.path = ""
        self.units_per_em = 1000
        self.ascender, self.descender = 880, -120
        self._missing = set(missing)

    def gid(self, ch):
        return 0 if ch in self._missing else ord(ch)

    def has(self, ch):
        return ch not in self._missing

    def advance(self, gid):
        if gid == 0:
            return 1000
        ch = chr(gid)
        if ch == " ":
            return 250
        if ch in "“”‘’—…" and not self._western:   # full width in Chinese fonts (Noto CJK SC)
            return 1000
        return 500 if ord(ch) < 0x2E80 else 1000


class SquareFontSet:
    """A FontSet stand-in: every role maps to the square face(s)."""

    def __init__(self, faces=None):
        self._faces = faces or [SquareFace()]

    def faces(self, role):
        return self._faces

    def primary(self, role):
        return self._faces[0]

    def face(self, key):
        return next(f for f in self._faces if f.key == key)
