"""Incremental saving (``IssueSession.track`` / ``mark``): a session told the units of every
edit, undo and redo splits only those, and its store ends up holding exactly what a
save splitting the whole issue would have written.

The safety net is a random walk: edits of every kind (text, frames, pages added,
copied, removed and moved, stories, masters, layers, swatches), undo and redo as the
editor's stack does them, saves at random moments.  At every step what the session
would commit is compared with the full split's answer, and after every save the store
holds the full split of the issue.
"""
from __future__ import annotations

import copy
import random

import pytest

from layout import edits as E
from layout import model as m
from layout import pagedesign as P
from layout.position import StoryPos
from store.base import Change, Desk, UnitKey
from store.memory import MemoryIssue, MemoryStore
from store.session import IssueSession
from store.units import split
from support.bigissue import big_issue


def _session(issue: m.Issue) -> tuple[IssueSession, m.Issue]:
    shared = MemoryIssue("inc")
    MemoryStore(shared, Desk("seed", "h", 1, "seed")).commit(
        [Change(k, t, 0) for k, t in split(issue).items()])
    s = IssueSession(MemoryStore(shared, Desk("desk", "h", 2, "desk")))
    opened = s.open()
    s.track()
    return s, opened


def _full(s: IssueSession, issue: m.Issue) -> list[Change]:
    """What a save splitting the whole issue would commit."""
    texts = split(issue)
    return s._changes(texts, set(texts))


def _stored(s: IssueSession) -> dict[UnitKey, str]:
    return {k: d.text for k, d in s.store.read().items()}


def _random_edit(rng: random.Random, issue: m.Issue) -> E.Edit:
    frames = [fr for _, fr in issue.frames()]
    texts = [fr for fr in frames if isinstance(fr, m.TextFrame)]
    stories = [st for st in issue.stories.values()]
    numbers = [p.number for p in issue.pages]
    masters = list(issue.masters)
    master_frames = [fr.id for ms in issue.masters.values() for fr in ms.frames]
    st = rng.choice(stories)
    n = rng.choice(numbers)
    kind = rng.randrange(22)
    if kind < 4:
        if not st.paragraphs:
            return E.AddStory(E.empty_story(E.new_story_id(issue)))
        return E.InsertText(st.id, StoryPos(0, 0), rng.choice("新闻工会职工"))
    if kind == 4 and st.paragraphs and E.para_len(st, 0) > 2:
        return E.DeleteText(st.id, StoryPos(0, 0), StoryPos(0, 2))
    if kind == 5:
        return E.SetFrame(rng.choice(frames).id, col=rng.randrange(3))
    if kind == 6:
        return E.RemoveFrame(rng.choice(frames).id)
    if kind == 7:
        return E.AddPage(m.Page(max(numbers) + 1, section="新"))       # no id: a new unit
    if kind == 8:
        return E.duplicate_page(issue, n)
    if kind == 9:
        return E.RemovePage(n)
    if kind == 10:
        order = list(numbers)
        rng.shuffle(order)
        return E.ReorderPages(order)
    if kind == 11:
        return E.RemoveStory(st.id)
    if kind == 12 and texts:
        return E.place(issue, st.id, rng.choice(texts).id)
    if kind == 13:
        return E.SetStory(st.id, byline=f"记者 {rng.randrange(99)}")
    if kind == 14:
        return P.SetPage(n, master=rng.choice(masters + [""]),
                         hide_master=rng.sample(master_frames, min(2, len(master_frames))))
    if kind == 15 and master_frames:
        return P.RemoveMasterFrame(rng.choice(master_frames))
    if kind == 16:
        name = rng.choice(masters + ["新版式"])
        old = issue.masters.get(name, m.Master())
        return P.SetMasterDef(name, m.Master(frames=old.frames[1:]) if rng.random() < 0.7
                              else None)
    if kind == 17:
        return P.SetLayers(list(reversed(issue.layers)) if rng.random() < 0.5
                           else issue.layers[:1])
    if kind == 18:
        swatches = [c for c in issue.colors if c not in m.PAPER_NAMES]
        return P.RenameColor(rng.choice(swatches), f"色{rng.randrange(1000)}")
    if kind == 19:
        return E.SetParagraphStyleDef("body", m.ParagraphStyle(size=rng.choice(["五号", "小五"])))
    if kind == 20:
        return E.SetPaper(latin_spacing=rng.choice(["none", "quarter"]))
    if kind == 21 and rng.random() < 0.5:
        return E.AddFrame(n, m.RuleFrame(E.new_frame_id(issue, n, "rule"), line=rng.randrange(9),
                                         cols=2))
    return E.RestackFrame(rng.choice(frames).id, rng.choice([-1, 1]))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_marked_saves_write_what_a_full_split_writes(seed):
    rng = random.Random(seed)
    s, issue = _session(big_issue(4))
    done: list[tuple[E.Edit, set]] = []         # the undo stack: (edit, its units)
    undone: list[tuple[E.Edit, set]] = []
    saves = looked = 0
    for _ in range(160):
        r = rng.random()
        if r < 0.15 and done:                     # undo
            edit, keys = done.pop()
            edit.revert(issue)
            s.mark(keys)
            undone.append((edit, keys))
        elif r < 0.25 and undone:                 # redo
            edit, keys = undone.pop()
            edit.apply(issue)
            s.mark(keys)
            done.append((edit, keys))
        else:
            try:
                edit = _random_edit(rng, issue)
                keys = {UnitKey(*u) for u in edit.units(issue)}
                edit.apply(issue)
            except (E.EditError, KeyError, ValueError, IndexError):
                continue
            s.mark(keys)
            done.append((edit, keys))
            undone.clear()                        # a new edit drops what could be redone
        if rng.random() < 0.3:
            assert s.pending(issue) == _full(s, issue)
            looked += 1
        if rng.random() < 0.25:
            s.save(issue)
            saves += 1
            assert _stored(s) == split(issue)
    s.save(issue)
    assert _stored(s) == split(issue)
    assert saves > 10 and looked > 10


def test_only_marked_units_are_split(monkeypatch):
    """After the first look, a save splits the units marked, not the whole issue."""
    import store.session as S
    s, issue = _session(big_issue(24))
    s.save(issue)                                  # the first look splits everything
    asked = []

    def spy(iss, keys=None):
        asked.append(keys)
        return split(iss, keys)
    monkeypatch.setattr(S, "split", spy)
    sid = next(sid for sid, st in issue.stories.items() if st.paragraphs)
    edit = E.InsertText(sid, StoryPos(0, 0), "新")
    keys = {UnitKey(*u) for u in edit.units(issue)}
    edit.apply(issue)
    s.mark(keys)
    infos = s.save(issue)
    assert set(infos) == {UnitKey("story", sid)}
    assert asked == [{UnitKey("story", sid)}]
    assert s.pending(issue) == [] and asked[-1] == set()      # nothing marked any more


def test_edits_on_a_page_not_named_yet():
    """An edit on a new page names no unit (the page has no id until a look names it); the
    page is still looked at after it was saved, so undoing that edit is saved too."""
    s, issue = _session(big_issue(4))
    stack = []
    for make in (lambda: E.AddPage(m.Page(5, section="新")),
                 lambda: E.AddFrame(5, m.RuleFrame("r-new", line=3, cols=2))):
        edit = make()
        keys = {UnitKey(*u) for u in edit.units(issue)}
        assert keys == set()
        edit.apply(issue)
        s.mark(keys)
        stack.append((edit, keys))
    s.save(issue)
    assert _stored(s) == split(issue)
    edit, keys = stack.pop()
    edit.revert(issue)                              # the rule goes from the saved new page
    s.mark(keys)
    assert set(s.save(issue)) == {UnitKey("page", "p5")}
    assert _stored(s) == split(issue)


def test_a_session_not_tracking_splits_everything():
    """Without ``track`` (the command line, changes made to the issue directly) every
    change is found, marked or not."""
    shared = MemoryIssue("inc")
    issue = big_issue(4)
    MemoryStore(shared).commit([Change(k, t, 0) for k, t in split(issue).items()])
    s = IssueSession(MemoryStore(shared))
    issue = s.open()
    s.save(issue)
    issue.pages[1].section = "改"
    next(iter(issue.stories.values())).name = "改"
    before = copy.deepcopy(issue)
    infos = s.save(issue)
    assert len(infos) == 2 and _stored(s) == split(before)
