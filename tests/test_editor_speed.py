"""Typing speed work, checked for behaviour: the layout a long-lived Composer hands back
after each key (its caches, the refill of only what changed, widow mending) is exactly
the layout a fresh Composer makes of the same text; the editor's idle-time collection
leaves nothing of its own behind."""
from __future__ import annotations

import contextlib
import copy
import gc
import weakref

import pytest

from layout import edits as E
from layout import gcpause
from layout.compose import Composer
from layout.docfile import load_issue
from layout.position import StoryPos
from support.fakefont import SquareFontSet
from support.paths import SAMPLE

pytestmark = pytest.mark.skipif(not SAMPLE.exists(), reason="the sample issue is missing")


def _keys(story: str):
    """A typing session in the lead story: keys, deletes, Enter and Backspace across a
    paragraph break, enough text to change the paragraph's line count and push the story
    on (and back) through its frames."""
    at = StoryPos(0, 12)
    out = []
    for i, ch in enumerate("工会服务职工，推进会强调要深化思想认识。" * 2):
        out.append(E.InsertText(story, StoryPos(at.para, at.offset + i), ch))
    end = StoryPos(0, 12 + 40)
    out += [E.DeleteText(story, StoryPos(0, 50), end),            # Backspace ×2
            E.DeleteText(story, StoryPos(0, 12), StoryPos(0, 30)),  # a selection deleted
            E.SplitParagraph(story, StoryPos(0, 20)),             # Enter
            E.InsertText(story, StoryPos(1, 0), "新段落开头"),
            E.DeleteText(story, StoryPos(0, 20), StoryPos(1, 0)),   # Backspace joins them
            E.InsertText(story, StoryPos(2, 5), "第三段插入的一句话，让它多出一行来。" * 3),
            E.DeleteText(story, StoryPos(2, 5), StoryPos(2, 59))]
    return out


def lead_story(issue) -> str:
    """The sample's lead story (its first story where it has none of that name)."""
    return "lead" if "lead" in issue.stories else next(iter(issue.stories))


def fontsets(fonts: str, issue, real_fontset_factory):
    """``issue`` → the font set a Composer gets: a new square set each time ("square"),
    or the one real set of the issue's fonts ("real"; the test skips without them)."""
    if fonts == "square":
        return lambda iss: SquareFontSet()
    try:
        fontset = real_fontset_factory(issue.fonts)
    except Exception as exc:                                 # no CJK fonts installed
        pytest.skip(f"real fonts not available: {exc}")
    return lambda iss: fontset


@contextlib.contextmanager
def sample_window(tmp_path, monkeypatch):
    """A window of an EditorApp on square fonts with the sample open (its questions
    answered without dialogs, its cache in ``tmp_path``); at the end every window's undo
    history is dropped and the window closed."""
    from PySide6.QtCore import QSettings

    from editor.app import EditorApp
    monkeypatch.setenv("BANMIAN_CACHE_DIR", str(tmp_path / "cache"))
    app = EditorApp(lambda issue: SquareFontSet(), ask_recover=lambda *a: False,
                    ask_save=lambda w: "discard",
                    settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    try:
        yield app.open(str(SAMPLE))
    finally:
        for w in list(app.windows):
            w.doc.undo.clear()
            w.close()


@pytest.mark.parametrize("fonts", ["square", "real"])
def test_each_key_composes_as_a_fresh_composer_would(fonts, real_fontset_factory):
    issue = load_issue(SAMPLE)
    make = fontsets(fonts, issue, real_fontset_factory)
    base = str(SAMPLE.parent)
    live = Composer(issue, make(issue), base_dir=base)
    live.compose()
    for frame in issue.pages[0].frames:                          # as the editor warms up
        live.warm(frame.id)
    sid = lead_story(issue)
    lines_seen = set()
    for n, edit in enumerate(_keys(sid)):
        edit.apply(issue)
        got = live.compose()
        want = Composer(copy.deepcopy(issue), make(issue), base_dir=base).compose()
        assert got == want, f"key {n + 1} ({type(edit).__name__}): the layout differs"
        lines_seen.add(sum(len(fr.lines) for p in got.pages for fr in p.frames
                           if fr.story == sid))
    assert len(lines_seen) > 1                  # the keys changed the story's line count
    assert live.stats["frames_reused"] > live.stats["frames_filled"]


class _Node:
    pass


def test_idle_collection_frees_cycles_that_were_frozen():
    """The pause's full pass collects cycles that died after a freeze (the editor freezes
    what it opened), and freezes what survives it."""
    from editor.view import collect_when_idle
    a = _Node()
    a.me = a                                    # a cycle: only the collector frees it
    gone = weakref.ref(a)
    gcpause.freeze()
    try:
        del a
        gc.collect()
        assert gone() is not None               # frozen: a full pass does not see it
        collect_when_idle()
        assert gone() is not None               # a pause's pass: what was made since
        collect_when_idle(full=True)
        assert gone() is None
        assert gc.isenabled() and gc.get_freeze_count() > 0
    finally:
        gcpause.unfreeze()


def _spy_resumes(monkeypatch) -> dict:
    """Count the mending trials that went on from a mark (not from the top)."""
    from layout.flow import Flow
    seen = {"resumed": 0}
    plain = Flow._resume_point

    def spy(self, resume, made):
        got = plain(self, resume, made)
        seen["resumed"] += got is not None
        return got
    monkeypatch.setattr(Flow, "_resume_point", spy)
    return seen


def _from_the_top(monkeypatch, issue, fontset, base="."):
    """What a fresh Composer makes of the issue with every mending trial filled from the
    frame's top."""
    from layout.flow import Flow
    monkeypatch.setattr(Flow, "resume_trials", False)
    try:
        return Composer(copy.deepcopy(issue), fontset, base_dir=base).compose()
    finally:
        monkeypatch.setattr(Flow, "resume_trials", True)


def test_mending_trials_that_go_on_equal_trials_from_the_top(monkeypatch):
    """Widows and orphans at column feet in frames of 2-4 columns, with jump lines (run in
    and on their own line), paragraphs of every length and subheads: the holes mended by
    trials that went on from where the fill stood are those trials from the top make."""
    import random

    from layout import model as m
    rng = random.Random(13)
    seen = _spy_resumes(monkeypatch)
    for case in range(30):
        iss = m.Issue(fonts=m.default_fonts(), paragraph_styles=m.default_styles())
        if case % 3 == 2:
            iss.paper.jumps.placement = "run-in"
        paras = []
        for i in range(rng.randint(6, 14)):
            style = "subhead" if i and rng.random() < 0.15 and "subhead" in \
                iss.paragraph_styles else "body"
            paras.append(m.Paragraph(style, [m.Run("职工之家建设，工会服务。"[:rng.randint(3, 12)]
                                                   * rng.randint(1, 9))]))
        cols = rng.randint(2, 4)
        iss.stories["s"] = m.Story("s", paragraphs=paras, thread=["a", "b"])
        iss.pages = [m.Page(1, frames=[m.TextFrame("a", col=0, line=0, cols=cols * 2,
                                                   lines=rng.randint(8, 20), columns=cols,
                                                   jump_lines=True)]),
                     m.Page(2, frames=[m.TextFrame("b", col=0, line=0, cols=4, lines=30,
                                                   columns=2, jump_lines=True)])]
        live = Composer(iss, SquareFontSet())
        for step in range(4):
            got = live.compose()
            assert got == _from_the_top(monkeypatch, iss, SquareFontSet()), (case, step)
            para = rng.randrange(len(iss.stories["s"].paragraphs))
            E.InsertText("s", StoryPos(para, 0), "新" * rng.randint(1, 9)).apply(iss)
    assert seen["resumed"] > 10


def test_sample_typing_mends_as_from_the_top(monkeypatch):
    issue = load_issue(SAMPLE)
    seen = _spy_resumes(monkeypatch)
    base = str(SAMPLE.parent)
    live = Composer(issue, SquareFontSet(), base_dir=base)
    live.compose()
    for n, edit in enumerate(_keys(lead_story(issue))[:24]):
        edit.apply(issue)
        assert live.compose() == _from_the_top(monkeypatch, issue, SquareFontSet(), base), n
    assert seen["resumed"]


def test_lines_pushed_down_are_drawn_as_a_fresh_paint_draws_them(tmp_path, qtbot, monkeypatch):
    """Typing that adds a line to a paragraph pushes the lines below it down; the editor
    draws them with the glyph runs it had made (moved), and the page looks exactly as
    when every frame is prepared afresh."""
    pytest.importorskip("pytestqt")
    from PySide6.QtCore import QEvent, QSettings, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    import editor.render as R
    from editor.app import EditorApp
    monkeypatch.setenv("BANMIAN_CACHE_DIR", str(tmp_path / "cache"))
    app = EditorApp(None, ask_recover=lambda *a: False, ask_save=lambda w: "discard",
                    settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    try:
        win = app.open(str(SAMPLE))
    except Exception as exc:                                     # no CJK fonts installed
        pytest.skip(f"the sample cannot open with real fonts: {exc}")
    moved = []
    plain = R._Run.moved.__func__
    monkeypatch.setattr(R._Run, "moved", classmethod(
        lambda cls, old, run: moved.append(run) or plain(cls, old, run)))
    try:
        view = win.view
        view.resize(900, 900)
        view.set_zoom(100)
        lead = lead_story(win.doc.issue)
        view.set_tool("type")
        win.text.start(lead, (0, 12))
        view.viewport().grab()
        for ch in "工会服务职工，推进会强调要深化思想认识。" * 2:
            QApplication.sendEvent(view, QKeyEvent(QEvent.Type.KeyPress, 0,
                                                   Qt.KeyboardModifier.NoModifier, ch))
            QApplication.processEvents()
        assert moved, "no line was pushed down"
        assert view._idle_collect.isActive()     # the collector waits for the pause
        if not any(p.glyphs is not None for item in win.scene.frames.values()
                   if item.prepared for p in item.prepared.runs):
            pytest.skip("the fonts have no files: boxes are drawn, not glyphs")
        view.centerOn(win.scene.frames[win.doc.issue.stories[lead].thread[0]])
        win.scene.cursor.setVisible(False)
        kept = view.viewport().grab().toImage()
        for item in win.scene.frames.values():
            if item.prepared is not None:
                item.prepared = R.PreparedFrame(item.prepared.result, win.scene.ctx.fonts,
                                                win.scene.ctx.colors)
        fresh = view.viewport().grab().toImage()
        assert kept == fresh
    finally:
        for w in list(app.windows):
            w.doc.undo.clear()
            w.close()


def test_the_areas_a_key_repaints_are_those_a_full_comparison_finds():
    """A frame prepared from the previous one's runs knows what it kept: the areas it
    repaints are the ones comparing every run with the previous frame's finds."""
    from editor.render import FontCache, PreparedFrame
    issue = load_issue(SAMPLE)
    live = Composer(issue, SquareFontSet(), base_dir=str(SAMPLE.parent))
    fonts, colors = FontCache(SquareFontSet()), {}
    sid = lead_story(issue)
    thread = set(issue.stories[sid].thread)

    def frames(res):
        return {fr.frame_id: fr for p in res.pages for fr in p.frames if fr.frame_id in thread}
    shown = {fid: PreparedFrame(fr, fonts, colors) for fid, fr in frames(live.compose()).items()}
    changed = 0
    for n, edit in enumerate(_keys(sid)):
        edit.apply(issue)
        for fid, fr in frames(live.compose()).items():
            before = shown[fid]
            now = PreparedFrame(fr, fonts, colors, before.memo)
            fast = now.changed_rects(before)
            now._base = None                                 # compare run by run
            full = now.changed_rects(before)
            as_set = lambda rects: sorted((r.x(), r.y(), r.width(), r.height())   # noqa: E731
                                          for r in rects)
            assert as_set(fast) == as_set(full), (n, fid)
            changed += bool(fast)
            shown[fid] = now
    assert changed
