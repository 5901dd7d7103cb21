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
import uuid

import pytest

from layout import edits as E
from layout import model as m
from layout import pagedesign as P
from layout.docfile import validate
from layout.position import StoryPos
from store.base import Change, CommitRefused, Desk, UnitKey
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


# ---------------------------------------------------------------- refresh
def _stores(kind: str, tmp_path, request):
    """A function making desks' stores on one new issue of this kind of store."""
    if kind == "memory":
        shared = MemoryIssue("inc")
        return lambda user: MemoryStore(shared, Desk(user, "h", len(user), user))
    if kind == "folder":
        from store.folder import FolderStore
        return lambda user: FolderStore(str(tmp_path / "issue"), Desk(user, "h", len(user), user),
                                        create=True)
    from store.pg import PgStore
    url = request.getfixturevalue("pg_url")
    name = f"inc-{uuid.uuid4().hex[:8]}"
    return lambda user: PgStore(url, name, Desk(user, "h", len(user), user), create=True)


def _valid_edit(rng: random.Random, issue: m.Issue) -> "tuple[E.Edit, set] | None":
    """A random edit applied to ``issue`` when it leaves the issue valid (else undone):
    the edit and its units."""
    try:
        edit = _random_edit(rng, issue)
        keys = {UnitKey(*u) for u in edit.units(issue)}
        edit.apply(issue)
    except (E.EditError, KeyError, ValueError, IndexError):
        return None
    if validate(issue):
        edit.revert(issue)
        return None
    return edit, keys


def _twin(s: IssueSession) -> IssueSession:
    """A session in the same state on the same store that always splits and joins the
    whole issue on refresh (what ``refresh`` did before it took units in alone)."""
    t = IssueSession(s.store, where=s.where)
    t.base, t.cursor, t.tracking = dict(s.base), s.cursor, s.tracking
    t.left_out, t.held_back = set(s.left_out), set(s.held_back)
    t._marked = None if s._marked is None else set(s._marked)
    t._named = set(s._named)
    t._take_in = lambda *a: False

    def local(issue, keys):                   # the dirty check from the whole issue's split
        texts = split(issue)
        dirty = {c.key for c in t._changes(texts, set(texts))}
        return {k: k in dirty for k in keys}
    t._local = local
    return t


def _same_refresh(s: IssueSession, issue: m.Issue) -> tuple[m.Issue, bool]:
    """Refresh ``issue`` and check it against a whole split/join from the same state; the
    issue, and whether the units were taken in alone."""
    full, full_issue = _twin(s), copy.deepcopy(issue)
    alone = []
    take_in = s._take_in
    s._take_in = lambda *a: alone.append(take_in(*a)) or alone[-1]
    try:
        got = s.refresh(issue)
    finally:
        del s._take_in
    want = full.refresh(full_issue)
    assert (got.taken, got.both) == (want.taken, want.both)
    assert [str(p) for p in got.problems] == [str(p) for p in want.problems]
    assert issue == full_issue and list(issue.stories) == list(full_issue.stories)
    assert split(issue) == split(full_issue)
    assert (s.base, s.left_out, s.held_back, s.cursor) == (
        full.base, full.left_out, full.held_back, full.cursor)
    if full._marked is not None:              # (else the first look set them)
        assert (s._marked, s._named) == (full._marked, full._named)
    return issue, bool(alone and alone[0])


@pytest.mark.parametrize("kind", ["memory", "folder", pytest.param("pg", marks=pytest.mark.pg)])
@pytest.mark.parametrize("seed", [1, 2])
def test_refresh_takes_in_what_a_full_join_gives(kind, seed, tmp_path, request):
    """Random local edits (undo, redo), saves, and another desk's commits — edits of every
    kind, units that do not read, units removed — then refresh: the issue, the session's
    bases and what it reports are those of a refresh splitting and joining everything."""
    rng = random.Random(seed)
    make = _stores(kind, tmp_path, request)
    make("seed").commit([Change(k, t, 0) for k, t in split(big_issue(4)).items()])
    s = IssueSession(make("desk"))
    issue = s.open()
    s.track()
    other = IssueSession(make("other"))
    theirs = other.open()
    done: list[tuple[E.Edit, set]] = []
    undone: list[tuple[E.Edit, set]] = []
    alone = whole = 0
    broken: dict[UnitKey, str] = {}            # units the other desk wrote unreadable: their text
    for step in range(150):
        r = rng.random()
        if r < 0.35:                               # the other desk commits
            other.refresh(theirs)
            if broken and rng.random() < 0.5:      # puts a unit it broke right again
                k, text = broken.popitem()
                v = other.store.read([k])[k].version
                other.store.commit([Change(k, text, v)])
            elif rng.random() < 0.08:              # or writes one that does not read
                k = rng.choice(sorted(k for k in other.base if k.kind != "issue"))
                broken[k] = other.base[k].text
                other.store.commit([Change(k, "banmian: 1\nstories: [\n", other.base[k].version)])
            else:
                for _ in range(rng.randrange(1, 4)):
                    _valid_edit(rng, theirs)
                try:
                    other.save(theirs)
                except CommitRefused:
                    pass
            if rng.random() < 0.3:
                theirs = other.open()
        elif r < 0.45 and done:                    # undo here
            edit, keys = done.pop()
            try:
                edit.revert(issue)
            except (E.EditError, KeyError, ValueError, IndexError):
                done.clear()
                continue
            s.mark(keys)
            undone.append((edit, keys))
        elif r < 0.75:                             # an edit here
            if (made := _valid_edit(rng, issue)) is None:
                continue
            edit, keys = made
            s.mark(keys)
            done.append((edit, keys))
            undone.clear()
        elif r < 0.85:                             # a save here
            try:
                s.save(issue)
            except CommitRefused:                  # changed on both sides: start again
                issue = s.open()
                done.clear()
                undone.clear()
        else:                                      # others' commits taken in
            issue, by_units = _same_refresh(s, issue)
            alone += by_units
            whole += not by_units
            done.clear()                           # (the editor's stack does not span a refresh)
            undone.clear()
            if s.left_out and rng.random() < 0.5:  # the desk reloads what was left out
                issue = s.open()
    issue, by_units = _same_refresh(s, issue)
    assert alone >= 2 and whole >= 1
    s.close()
    other.close()


@pytest.mark.parametrize("tracking", [False, True])
def test_refresh_of_a_story_reads_only_that_unit(monkeypatch, tracking):
    """Another desk's story commit: refresh splits that story only to see whether it was
    changed here (a tracking session, after its first look: not even that — it was not
    marked), parses only that unit, and keeps the objects of everything else."""
    import store.session as S
    s, issue = _session(big_issue(24))
    s.tracking = tracking
    s.save(issue)                                  # the first look
    other = IssueSession(MemoryStore(s.store.shared, Desk("other", "h", 3, "other")))
    theirs = other.open()
    sid = next(sid for sid, st in theirs.stories.items() if st.paragraphs)
    theirs.stories[sid].byline = "记者 甲"
    other.save(theirs)
    split_asked = []
    monkeypatch.setattr(S, "split", lambda iss, keys=None: split_asked.append(keys)
                        or split(iss, keys))
    monkeypatch.setattr(S, "join", lambda *a, **k: pytest.fail("the whole issue was joined"))
    pages = list(issue.pages)
    before = {k: v for k, v in issue.stories.items() if k != sid}
    got = s.refresh(issue)
    assert got.taken == [UnitKey("story", sid)] and not got.both and not got.problems
    assert split_asked == ([] if tracking else [{UnitKey("story", sid)}])
    assert issue.stories[sid].byline == "记者 甲"
    assert all(a is b for a, b in zip(issue.pages, pages)) and len(issue.pages) == len(pages)
    assert all(issue.stories[k] is v for k, v in before.items())
    assert split(issue) == split(theirs)


def test_refresh_keeps_a_unit_changed_here():
    """A story changed here and not saved is reported, not overwritten; the rest is taken."""
    s, issue = _session(big_issue(4))
    other = IssueSession(MemoryStore(s.store.shared, Desk("other", "h", 3, "other")))
    theirs = other.open()
    sids = [sid for sid, st in theirs.stories.items() if st.paragraphs][:2]
    for sid in sids:
        theirs.stories[sid].byline = "他们"
    theirs.pages[0].section = "他们的"
    other.save(theirs)
    edit = E.SetStory(sids[0], byline="我们")
    keys = {UnitKey(*u) for u in edit.units(issue)}
    edit.apply(issue)
    s.mark(keys)
    got = s.refresh(issue)
    assert [i.key for i in got.both] == [UnitKey("story", sids[0])]
    assert set(got.taken) == {UnitKey("story", sids[1]), UnitKey("page", theirs.pages[0].id)}
    assert issue.stories[sids[0]].byline == "我们" and issue.stories[sids[1]].byline == "他们"
    assert issue.pages[0].section == "他们的"
    assert [c.key for c in s.pending(issue)] == [UnitKey("story", sids[0])]
