"""layout.fontapi: the protocol is all layout uses, and the font sets given to it satisfy it."""
from __future__ import annotations

from layout import fontapi
from layout.compose import Composer
from layout.docfile import load_issue
from support.fakefont import SquareFace, SquareFontSet
from support.paths import SAMPLE

FACE_MEMBERS = {"key", "name", "units_per_em", "gid", "advance"}


class _Strict:
    """Exposes only the named members of the object it wraps (anything else: AttributeError)."""

    def __init__(self, inner, members):
        self._inner, self._members, self.used = inner, set(members), set()

    def __getattr__(self, name):
        if name not in self._members:
            raise AttributeError(f"layout used {name!r}, which layout.fontapi does not name")
        self.used.add(name)
        return getattr(self._inner, name)


class _StrictFontSet:
    """A font set that offers layout nothing beyond layout.fontapi.FontSet."""

    def __init__(self, inner):
        self._inner, self.faces_asked = inner, 0
        self._faces = {}

    def faces(self, role):
        self.faces_asked += 1
        got = self._inner.faces(role)
        return [self._faces.setdefault(id(f), _Strict(f, FACE_MEMBERS | (
            {"vert"} if hasattr(f, "vert") else set()))) for f in got]


def test_the_square_test_fonts_satisfy_the_protocol():
    fs, face = SquareFontSet(), SquareFace()
    assert isinstance(fs, fontapi.FontSet)
    assert isinstance(face, fontapi.FontFace)
    assert all(isinstance(f, fontapi.FontFace) for f in fs.faces("body"))


def test_something_without_advances_is_not_a_face():
    class NoAdvance:
        key = name = "x"
        units_per_em = 1000

        def gid(self, ch):
            return 1
    assert not isinstance(NoAdvance(), fontapi.FontFace)


def test_the_application_font_set_offers_what_layout_asks():
    from fonts import FontFace, FontSet
    assert callable(getattr(FontSet, "faces", None))
    for member in ("gid", "advance", "vert"):
        assert callable(getattr(FontFace, member, None)), member


def test_composing_the_sample_uses_nothing_beyond_the_protocol():
    issue = load_issue(SAMPLE)
    fs = _StrictFontSet(SquareFontSet())
    result = Composer(issue, fs, base_dir=str(SAMPLE.parent)).compose()
    assert result.pages and fs.faces_asked
    used = set().union(*(f.used for f in fs._faces.values()))
    assert {"gid", "advance", "units_per_em", "key"} <= used <= FACE_MEMBERS | {"vert"}
