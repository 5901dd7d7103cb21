"""Font names resolved before among the same faces are not matched again
(``FontLibrary._names_known``): kept in the cache folder by the identity of the faces
found, and matched anew when a face comes, goes or changes."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from fonts import library as L
from support.standin import LATIN_FONT


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A font folder with one face, and the number of name indexes built from then on."""
    if not Path(LATIN_FONT).exists():
        pytest.skip("DejaVu Sans is not installed")
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    shutil.copy(LATIN_FONT, fonts / "a.ttf")
    built = []
    real = L.NameIndex
    monkeypatch.setattr(L, "NameIndex", lambda infos: built.append(len(infos)) or real(infos))
    return fonts, built


def _library(tmp_path, fonts):
    return L.FontLibrary([fonts], cache_dir=tmp_path / "cache", system=False, user=False,
                         bundled=False)


def test_names_resolved_before_among_the_same_faces_are_not_matched_again(tmp_path, folder):
    fonts, built = folder
    first = _library(tmp_path, fonts)
    face = first.resolve("DejaVu Sans")
    assert face is not None and first.resolve("No Such Font") is None and built == [1]
    again = _library(tmp_path, fonts)                       # the next process
    assert again.resolve("DejaVu Sans").key == face.key
    assert again.resolve("No Such Font") is None
    assert built == [1]
    again.resolve("DejaVu Sans Bold")                       # a name not asked for before
    assert built == [1, 1]
    shutil.copy(LATIN_FONT, fonts / "b.ttf")                # another face: matched anew
    later = _library(tmp_path, fonts)
    got = later.resolve("DejaVu Sans")
    assert built == [1, 1, 2]
    assert got.key == face.key                              # (a.ttf comes first)
    st = (fonts / "a.ttf").stat()                           # a face's file changed
    os.utime(fonts / "a.ttf", ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    _library(tmp_path, fonts).resolve("DejaVu Sans")
    assert built == [1, 1, 2, 2]
