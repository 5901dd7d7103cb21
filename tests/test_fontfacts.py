"""What an export reads of a face without parsing its font (``FontPrograms.facts``): kept in
the cache folder by the font file's stamp, made again when the file changes; a document
whose CIDs are taken up again (``DocumentFonts.restore``, the writer's memo) parses a font
only when a new glyph or a new subset needs it."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from output import fontembed
from output.fontembed import DocumentFonts, FontPrograms
from support.standin import LATIN_FONT, StandInFace, StandInFontSet


@pytest.fixture
def font(tmp_path, monkeypatch):
    """A copy of a TrueType face (its stamp ours to change), the cache folder in tmp_path,
    and the names of the fonts parsed from then on."""
    if not Path(LATIN_FONT).exists():
        pytest.skip("DejaVu Sans is not installed")
    path = tmp_path / "face.ttf"
    shutil.copy(LATIN_FONT, path)
    monkeypatch.setenv("BANMIAN_CACHE_DIR", str(tmp_path / "cache"))
    parsed: list[str] = []
    real = fontembed.open_program
    monkeypatch.setattr(fontembed, "open_program",
                        lambda data, index=0, name="font": parsed.append(name) or
                        real(data, index, name))
    return path, parsed


def test_facts_are_kept_by_the_file_stamp_and_made_again_when_it_changes(font):
    path, parsed = font
    first = FontPrograms().facts(str(path), 0, "face")
    assert parsed == ["face"]
    cff, problem, metrics = first
    prog = FontPrograms().get(str(path), 0, "face")
    assert (cff, problem, metrics) == (False, prog.embedding_problem(), prog.metrics())
    parsed.clear()
    assert FontPrograms().facts(str(path), 0, "face") == first     # a new process: kept
    assert parsed == []
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))     # the file changed
    assert FontPrograms().facts(str(path), 0, "face") == first
    assert parsed == ["face"]


def test_a_restored_document_parses_a_font_only_for_a_new_glyph(font):
    path, parsed = font
    fontset = StandInFontSet([StandInFace("Face", str(path))])
    key = fontset.face("Face").key
    before = DocumentFonts(fontset, FontPrograms())
    f, cids = before.encode(key, [36, 37], "AB")
    state = before.state()
    FontPrograms().facts(str(path), 0, key)                         # (as its preflight)
    parsed.clear()
    again = DocumentFonts(fontset, FontPrograms())                  # the next export
    assert again.restore(state)
    f2, cids2 = again.encode(key, [36, 37], "AB")                   # the same CIDs, unparsed
    assert cids2 == cids and parsed == []
    assert again._facts(f2) == before._facts(f)
    assert again.encode(key, [38], "C")[1] == [3]                   # a new glyph: parsed
    assert parsed == [key]
