"""Editor speed, third part (round 6): the cheaper ways of drawing and composing a key,
each checked against the plain way."""
from __future__ import annotations

import pytest

from tests.test_editor_speed import fontsets, lead_story, sample_window


def _outline_image(clip=None, aa=True):
    """A text frame's outline drawn (scaled as at fit zoom) into a white image, optionally
    clipped to a region; the painter's antialiasing hint before and after the paint."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QImage, QPainter, QTransform
    from PySide6.QtWidgets import QStyleOptionGraphicsItem

    from editor.items import FrameItem
    item = FrameItem("t1", "text", None)
    item.rect = QRectF(10.3, 12.7, 300.2, 220.5)
    img = QImage(320, 250, QImage.Format.Format_ARGB32)
    img.fill(QColor("white"))
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, aa)
    if clip is not None:
        p.setClipRegion(clip)
    p.setTransform(QTransform.fromScale(0.93, 0.93))
    opt = QStyleOptionGraphicsItem()
    opt.exposedRect = QRectF(0, 0, 400, 300) if clip is None else \
        p.transform().inverted()[0].mapRect(QRectF(clip.boundingRect()))
    item.paint(p, opt)
    after = p.testRenderHint(QPainter.RenderHint.Antialiasing)
    p.end()
    return img, after


def test_a_frame_outline_clipped_to_a_keys_areas_is_the_outline_drawn_whole(qapp):
    """A key repaints a few small areas (a clip region of several rectangles); a frame's
    outline drawn there is pixel for pixel the outline a whole paint draws, and the item
    leaves the painter's antialiasing as it found it (the view does not save its state).
    (Drawn without antialiasing or only in stretches, the outline cost as much in the
    editor: Qt's cost there is per primitive under a region clip.)"""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QRegion
    region = QRegion()
    for i in range(6):                       # line areas across the frame's left edge
        region += QRect(2, 20 + 25 * i, 60 - 7 * i, 9)
    region += QRect(250, 195, 40, 30)         # and one at its lower right corner
    whole, kept = _outline_image()
    assert kept is True
    part, kept = _outline_image(region)
    assert kept is True
    _, kept = _outline_image(region, aa=False)
    assert kept is False
    drawn = 0
    for r in region:
        for y in range(r.top(), r.bottom() + 1):
            for x in range(r.left(), r.right() + 1):
                assert part.pixel(x, y) == whole.pixel(x, y), (x, y)
                drawn += whole.pixel(x, y) != 0xFFFFFFFF
    assert drawn > 100                        # the outline runs through the areas


def test_typing_that_keeps_the_overset_count_leaves_the_status_bar_alone(tmp_path, qtbot,
                                                                         monkeypatch):
    """A key that does not change how many stories are overset does not restyle the
    status bar's overset label (restyled, the label was polished again and the status bar
    and window laid out and repainted on every key); when the count changes, the label
    says so in its colour."""
    from PySide6.QtCore import QEvent, QObject

    from layout import edits as E
    from layout.position import StoryPos
    from support.paths import SAMPLE
    if not SAMPLE.exists():
        pytest.skip("the sample issue is missing")
    seen = []

    class Watch(QObject):
        def eventFilter(self, obj, ev):
            if ev.type() == QEvent.Type.StyleChange:
                seen.append(ev.type())
            return False
    watch = Watch()
    with sample_window(tmp_path, monkeypatch) as win:
        doc, label = win.doc, win.overset_label
        sid = lead_story(doc.issue)
        label.installEventFilter(watch)
        try:
            before = len(doc.overset_stories())
            for i, ch in enumerate("工会服务职工"):
                assert doc.push(E.InsertText(sid, StoryPos(0, 3 + i), ch), "typing")
                if len(doc.overset_stories()) != before:
                    break
            else:
                assert seen == []
            # every story cut to nothing: none overset, the label plain; then one overset
            n_before = len(doc.overset_stories())
            red = "color: #c81e1e"
            assert (label.styleSheet() == red) == bool(n_before)
            text = "长" * 20000
            assert doc.push(E.InsertText(sid, StoryPos(0, 0), text), "typing")
            assert doc.overset_stories()
            assert label.styleSheet() == red
            doc.undo.undo()
            assert (label.styleSheet() == red) == bool(len(doc.overset_stories()))
        finally:
            label.removeEventFilter(watch)


def _text_keys(issue):
    """Typing in the lead story and in a second story in turn, with Enter, Backspace across
    a paragraph break, a paragraph style and a paste of formatted runs among the keys:
    (story, edit) in order."""
    from layout import edits as E
    from layout import model as m
    from layout.position import StoryPos
    lead = "lead" if "lead" in issue.stories else next(iter(issue.stories))
    other = next(s for s, st in issue.stories.items()
                 if s != lead and st.thread and st.paragraphs)
    out = []
    for i, ch in enumerate("工会服务职工，推进会强调要深化思想认识。" * 2):
        out.append(E.InsertText(lead, StoryPos(0, 12 + i), ch))
        if i % 5 == 0:
            out.append(E.InsertText(other, StoryPos(0, 2 + i // 5), "长"))
    out += [E.DeleteText(lead, StoryPos(0, 12), StoryPos(0, 30)),
            E.SplitParagraph(lead, StoryPos(0, 20)),
            E.InsertText(lead, StoryPos(1, 0), "新段落开头"),
            E.DeleteText(lead, StoryPos(0, 20), StoryPos(1, 0)),
            E.SetParagraphStyle(other, 0, 0, issue.stories[other].paragraphs[0].style),
            E.InsertRuns(other, StoryPos(0, 1), [[m.Run("粘贴的一句话，")], [m.Run("第二段")]]),
            E.InsertText(lead, StoryPos(1, 5), "第三段插入的一句话，让它多出一行来。" * 3)]
    return out


@pytest.mark.parametrize("fonts", ["square", "real"])
def test_a_compose_told_one_storys_text_changed_is_a_fresh_compose(fonts, real_fontset_factory,
                                                                   monkeypatch):
    """``compose(text_of=story)`` after each key — the other stories and the pages none of
    the story's frames is on taken from the last compose — is exactly what a fresh
    Composer makes of the same issue; a frame moved in between (a full compose) and a
    compose told nothing go on as before.  Only the typed story is set again."""
    import copy

    from layout import edits as E
    from layout.compose import Composer
    from layout.docfile import load_issue
    from support.paths import SAMPLE
    if not SAMPLE.exists():
        pytest.skip("the sample issue is missing")
    issue = load_issue(SAMPLE)
    make = fontsets(fonts, issue, real_fontset_factory)
    base = str(SAMPLE.parent)
    live = Composer(issue, make(issue), base_dir=base, whole=False)
    live.compose()
    passes = []
    plain = Composer._story_pass
    monkeypatch.setattr(Composer, "_story_pass",
                        lambda self, flow, story, *a: passes.append(story.id) or
                        plain(self, flow, story, *a))
    keys = _text_keys(issue)
    moved = len(keys) // 2
    photo = next(fr for fr in issue.pages[0].frames if fr.kind == "photo")
    for n, edit in enumerate(keys):
        if n == moved:                   # a frame moves: everything is composed
            E.SetFrame(photo.id, line=photo.line + 2).apply(issue)
            del passes[:]
            live.compose()
            assert len(passes) == len(issue.stories)
        edit.apply(issue)
        del passes[:]
        got = live.compose(edit.story)
        assert passes == [edit.story]
        want = Composer(copy.deepcopy(issue), make(issue), base_dir=base).compose()
        assert got == want, f"key {n + 1} ({type(edit).__name__} in {edit.story}): differs"
    del passes[:]
    assert live.compose() == want                # told nothing: all set again, the same
    assert len(passes) == len(issue.stories)


def test_typing_in_the_editor_composes_only_the_typed_story(tmp_path, qtbot, monkeypatch):
    """The document tells its composer which story a typed key changed (and nothing for
    any other edit, an undo or a redo); after each the layout is a fresh compose's."""
    import copy

    from layout import edits as E
    from layout.compose import Composer
    from support.fakefont import SquareFontSet
    from support.paths import SAMPLE
    if not SAMPLE.exists():
        pytest.skip("the sample issue is missing")
    told = []
    plain = Composer.compose
    monkeypatch.setattr(Composer, "compose",
                        lambda self, text_of=None: told.append(text_of) or plain(self, text_of))
    with sample_window(tmp_path, monkeypatch) as win:
        doc = win.doc

        def fresh():
            return Composer(copy.deepcopy(doc.issue), SquareFontSet(),
                            base_dir=str(SAMPLE.parent)).compose()
        keys = _text_keys(doc.issue)[:12]
        for edit in keys:
            del told[:]
            assert doc.push(edit, "typing")
            assert told == [edit.story]
            assert doc.result == fresh()
        photo = next(fr for fr in doc.issue.pages[0].frames if fr.kind == "photo")
        del told[:]
        assert doc.push(E.SetFrame(photo.id, line=photo.line + 1), "move")
        assert told == [None]
        assert doc.result == fresh()
        for step in (doc.undo.undo, doc.undo.undo, doc.undo.redo):
            del told[:]
            step()
            assert told == [None]
            assert doc.result == fresh()
