"""Editor speed, second part: what the editor does later or once instead of on every key
(the story list's copyfit labels, font files), and the paths that keep a key cheap —
each checked against the plain way of doing the same thing."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from layout import edits as E
from layout.docfile import load_issue
from layout.position import StoryPos
from support.paths import SAMPLE
from support.standin import CJK_FONTS, StandInFace
from tests.test_editor_speed import lead_story, sample_window

pytestmark = pytest.mark.skipif(not SAMPLE.exists(), reason="the sample issue is missing")


class _OneFace:
    """A font set of one face, every key."""

    def __init__(self, face):
        self._face = face

    def face(self, key):
        return self._face


@pytest.fixture
def kai():
    for p in CJK_FONTS:
        if Path(p).exists() and p.endswith(".ttf"):
            face = StandInFace("BanmianTestKai", p)
            face.data = lambda: Path(p).read_bytes()
            return face
    pytest.skip("no TrueType CJK font installed (fonts-lxgw-wenkai or fonts-wqy-zenhei)")


def _drawn(raw, glyphs):
    """An image of glyphs drawn with a QRawFont, 40 px apart."""
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QColor, QGlyphRun, QImage, QPainter
    img = QImage(40 * len(glyphs) + 20, 60, QImage.Format.Format_ARGB32)
    img.fill(QColor("white"))
    gr = QGlyphRun()
    gr.setRawFont(raw)
    gr.setGlyphIndexes(glyphs)
    gr.setPositions([QPointF(10 + 40 * i, 45) for i in range(len(glyphs))])
    p = QPainter(img)
    p.drawGlyphRun(QPointF(0, 0), gr)
    p.end()
    return img


def test_a_face_at_another_size_draws_as_one_loaded_at_that_size(qapp, kai):
    """The font cache reads a face's file once and makes its other sizes from the first
    QRawFont: they draw exactly as a QRawFont loaded from the file at that size."""
    from PySide6.QtCore import QByteArray
    from PySide6.QtGui import QFont, QRawFont

    from editor.render import FontCache
    fonts = FontCache(_OneFace(kai))
    first = fonts.raw("kai", 10.5)
    other = fonts.raw("kai", 24.0)
    assert first is not None and other is not None
    assert fonts.raw("kai", 24.0) is other
    fresh = QRawFont(QByteArray(kai.data()), 24.0, QFont.HintingPreference.PreferNoHinting)
    glyphs = list(fresh.glyphIndexesForString("工会服务职工，"))
    assert other.pixelSize() == fresh.pixelSize() == 24.0
    assert other.advancesForGlyphIndexes(glyphs) == fresh.advancesForGlyphIndexes(glyphs)
    assert _drawn(other, glyphs) == _drawn(fresh, glyphs)
    assert _drawn(other, glyphs) != _drawn(first, glyphs)


def test_a_face_without_a_file_has_no_raw_font(qapp):
    from support.fakefont import SquareFontSet

    from editor.render import FontCache
    fonts = FontCache(SquareFontSet())
    assert fonts.raw("square", 12.0) is None
    assert fonts.raw("no-such-face", 12.0) is None


def test_the_story_list_follows_typing_a_moment_later(tmp_path, qtbot, monkeypatch):
    """Typing that changes only a copyfit label updates the story list once the keys
    pause (the page is repainted at once); a change of anything else shows at once."""
    with sample_window(tmp_path, monkeypatch) as win:
        doc, sl = win.doc, win.stories
        sid = lead_story(doc.issue)

        def label():
            for i in range(sl.topLevelItemCount()):
                it = sl.topLevelItem(i)
                if it.data(0, 0x0100) == sid:
                    return it.text(1)
        shown = label()
        n = 0
        while True:                          # type until the copyfit label changes
            assert doc.push(E.InsertText(sid, StoryPos(0, 3), "工会服务职工推进会强调" * 4),
                            "typing")
            n += 1
            assert n < 40, "the label never changed"
            if sl._rows() != list(sl._shown):
                break
        assert label() == shown              # not yet: the list waits for a pause
        assert sl._later.isActive()
        qtbot.waitUntil(lambda: label() != shown, timeout=3000)
        want = [r for r in sl._rows() if r[0] == sid][0][2]
        assert label() == want
        # renaming the story is not typing: the list shows it at once
        name = doc.issue.stories[sid].name
        assert doc.push(E.SetStory(sid, name=(name or sid) + "·"), "rename")
        assert any(sl.topLevelItem(i).text(0).endswith("·")
                   for i in range(sl.topLevelItemCount()))


def test_a_face_the_system_knows_is_that_face_and_draws_as_its_file(qapp, real_fontset_factory):
    """A face opened through the system's font database (its file mapped, not copied) is
    the very face of the font set — glyph for glyph it draws as the face's own bytes do;
    a face whose names lead the database to another face is read from its file."""
    from PySide6.QtCore import QByteArray
    from PySide6.QtGui import QFont, QRawFont

    import editor.render as R
    from layout.compose import Composer
    issue = load_issue(SAMPLE)
    try:
        fs = real_fontset_factory(issue.fonts)
        result = Composer(issue, fs, base_dir=str(SAMPLE.parent)).compose()
    except Exception as exc:                                     # no CJK fonts installed
        pytest.skip(f"real fonts not available: {exc}")
    fonts = R.FontCache(fs)
    used = sorted({(run.font, run.size) for run in result.pages[0].runs()})
    system = 0
    for key, size in used:
        got = fonts.raw(key, size)
        if got is None:
            continue
        face = fs.face(key)
        own = QRawFont(QByteArray(face.data()), size, QFont.HintingPreference.PreferNoHinting)
        glyphs = list(own.glyphIndexesForString("工会服务职工，推进会强调要深化。AbgQ"))
        assert got.pixelSize() == own.pixelSize()
        assert got.advancesForGlyphIndexes(glyphs) == own.advancesForGlyphIndexes(glyphs)
        assert _drawn(got, glyphs) == _drawn(own, glyphs), (key, size)
        system += fonts._system_raw(key, size) is not None
    if not system:
        pytest.skip("the system's font database knows none of the sample's faces")
    # a face whose family names another face is not taken from the system
    key = used[0][0]
    face = fs.face(key)
    other = next((f for f in fs.all_faces() if f.info.family != face.info.family), None)
    if other is not None:
        class Liar:
            def __init__(self):
                self.info = dataclasses.replace(face.info, family=other.info.family,
                                                style=other.info.style,
                                                weight=other.info.weight)
                self.path, self.index = face.path, face.index

            def data(self):
                return face.data()

        class OneFace:
            def face(self, _key):
                return Liar()
        assert R.FontCache(OneFace())._system_raw(key, 12.0) is None


def test_a_typed_key_leaves_the_collector_on_and_what_it_made_frozen(tmp_path, qtbot, monkeypatch):
    """Typing runs with the cyclic collector paused and freezes what the key made (no
    young-generation pass over the new lines in the next key); the collector is on
    again after it, also when the edit is refused."""
    import gc

    with sample_window(tmp_path, monkeypatch) as win:
        doc, text = win.doc, win.text
        try:
            sid = lead_story(doc.issue)
            text.start(sid, StoryPos(0, 3))
            seen = []
            monkeypatch.setattr(doc, "push", lambda *a, **k: seen.append(gc.isenabled())
                                or type(doc).push(doc, *a, **k))
            assert gc.isenabled()
            frozen = gc.get_freeze_count()
            before = len(doc.issue.stories[sid].paragraphs[0].text)
            text.insert("工")
            text.delete(forward=False)
            text.insert("会")
            assert seen == [False, False, False]         # set and shown with the collector paused
            assert gc.isenabled()
            assert gc.get_freeze_count() > frozen        # what the keys made is frozen
            assert len(doc.issue.stories[sid].paragraphs[0].text) == before + 1
            doc.read_only, doc.read_only_reason = True, "test"
            text.insert("服")                              # refused: still on afterwards
            assert gc.isenabled()
            assert len(doc.issue.stories[sid].paragraphs[0].text) == before + 1
        finally:
            doc.read_only = False
