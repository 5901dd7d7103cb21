"""Issue stores: units, sessions, and the contract every store keeps.

The contract tests run on every store the ``desks`` fixture knows: the memory store
always; the folder store; PostgreSQL when ``BANMIAN_TEST_PG`` names a server (see
tests/conftest.py).  Each test gets a factory of desks on one fresh issue.
"""
from __future__ import annotations

import copy
import os
import uuid

import pytest

from layout import model as m
from layout.docfile import DocumentError, dump_issue, load_issue, parse_issue
from store import parse_address
from store.base import (ISSUE_UNIT, Change, Conflict, Desk, HeldElsewhere, ReadOnly, StoreError,
                        UnitKey)
from store.memory import MemoryIssue, MemoryStore
from store.session import IssueSession
from store.units import join, split
from support.paths import SAMPLE

ODD = "a'b\";c/d\\e; DROP TABLE units;--"      # a story id no store may take as syntax


@pytest.fixture(scope="module")
def sample() -> m.Issue:
    return load_issue(SAMPLE)


def _desk(name: str) -> Desk:
    d = Desk.here(name)
    return d


# ---------------------------------------------------------------- the stores under test
def _memory_factory(tmp_path):
    shared = MemoryIssue("t")

    def make(user="a", read_only=False):
        return MemoryStore(shared, _desk(user), read_only=read_only)
    return make


def _folder_factory(tmp_path):
    folder = pytest.importorskip("store.folder", reason="no folder store yet")
    path = tmp_path / "issue-folder"

    def make(user="a", read_only=False):
        return folder.FolderStore(str(path), _desk(user), create=True, read_only=read_only)
    return make


def _pg_factory(tmp_path):
    url = os.environ.get("BANMIAN_TEST_PG")
    if not url:
        pytest.skip("no PostgreSQL server for the tests (BANMIAN_TEST_PG is not set; "
                    "tests/conftest.py starts one when Debian's postgresql is installed)")
    pg = pytest.importorskip("store.pg", reason="no PostgreSQL store yet")
    name = f"t-{uuid.uuid4().hex[:10]}"

    def make(user="a", read_only=False):
        return pg.PgStore(url, name, _desk(user), create=True, read_only=read_only)
    return make


STORES = {"memory": _memory_factory, "folder": _folder_factory, "pg": _pg_factory}


@pytest.fixture(params=sorted(STORES))
def desks(request, tmp_path):
    """A function making desks (stores seen by one user) on one new issue."""
    made = []
    factory = STORES[request.param](tmp_path)

    def make(user="a", read_only=False):
        st = factory(user, read_only=read_only)
        made.append(st)
        return st
    yield make
    for st in made:
        st.close()


def _push(store, issue: m.Issue):
    return IssueSession(store).save(copy.deepcopy(issue))


# ---------------------------------------------------------------- units
def test_split_join_round_trip(sample):
    issue = copy.deepcopy(sample)
    units = split(issue)
    assert ISSUE_UNIT in units
    assert {k.kind for k in units} == {"issue", "page", "story"}
    assert len([k for k in units if k.kind == "page"]) == len(issue.pages)
    assert {k.name for k in units if k.kind == "story"} == set(issue.stories)
    from store.base import UnitDoc, UnitInfo
    joined = join({k: UnitDoc(UnitInfo(k, 1), t) for k, t in units.items()})
    assert not joined.problems and not joined.left_out
    assert joined.issue == issue
    # and back to one file: the same issue
    assert parse_issue(dump_issue(joined.issue)) == issue


def test_pages_get_stable_ids(sample):
    issue = copy.deepcopy(sample)
    keys = [k for k in split(issue) if k.kind == "page"]
    assert [k.name for k in keys] == [f"p{p.number}" for p in issue.pages]
    issue.pages[0].number, issue.pages[1].number = 7, 1      # renumbered: same units
    assert {k for k in split(issue) if k.kind == "page"} == set(keys)


def test_a_broken_unit_is_left_out_with_its_line(sample):
    from store.base import UnitDoc, UnitInfo
    issue = copy.deepcopy(sample)
    units = split(issue)
    page2 = UnitKey("page", issue.pages[1].id)
    text = units[page2]
    units[page2] = text[: len(text) // 2]                    # truncated on the shared folder
    lines = units[page2].count("\n")
    joined = join({k: UnitDoc(UnitInfo(k, 1), t) for k, t in units.items()},
                  address="/news/issue")
    assert page2 in joined.left_out and len(joined.problems) == 1
    assert str(page2) in str(joined.problems[0])
    assert joined.problems[0].line is not None and 1 <= joined.problems[0].line <= lines + 2
    assert [p.number for p in joined.issue.pages] == [1, 3]   # the rest opens
    # stories running into that page set in what is left; they are not written back
    on_p2 = {sid for sid, st in issue.stories.items()
             if any(issue.frame(f)[0] is issue.pages[1] for f in st.thread)}
    assert on_p2 and {UnitKey("story", s) for s in on_p2} == joined.held_back
    assert joined.issue.stories["lead"].thread and set(joined.issue.stories) == set(issue.stories)


def test_a_broken_story_stands_in_empty(sample):
    from store.base import UnitDoc, UnitInfo
    units = split(copy.deepcopy(sample))
    key = UnitKey("story", "lead")
    units[key] = units[key].replace("paragraphs:", "paragraphs: {", 1)
    joined = join({k: UnitDoc(UnitInfo(k, 1), t) for k, t in units.items()}, address="x")
    assert joined.left_out == {key} and "story:lead" in str(joined.problems[0])
    assert joined.issue.stories["lead"].paragraphs == []
    assert len(joined.issue.pages) == len(sample.pages)


def test_settings_that_do_not_read_refuse_the_issue(sample):
    from store.base import UnitDoc, UnitInfo
    units = split(copy.deepcopy(sample))
    units[ISSUE_UNIT] = "banmian: 1\npaper: [\n"
    with pytest.raises(DocumentError, match=r"\[issue\]"):
        join({k: UnitDoc(UnitInfo(k, 1), t) for k, t in units.items()}, address="x")


def test_addresses():
    a = parse_address("postgresql://desk:secret@db.example/paper#2026-12-02%20%E4%B8%80")
    assert (a.kind, a.issue) == ("postgresql", "2026-12-02 一")
    assert "secret" not in str(a) and str(a).startswith("postgresql://desk@db.example/paper#")
    with pytest.raises(StoreError, match="#"):
        parse_address("postgresql://db/paper")
    assert parse_address("some/issue.yaml").kind == "file"
    assert parse_address("some/new-issue/").kind == "folder"


# ---------------------------------------------------------------- the contract
def test_push_open_equal(desks, sample):
    a = desks("a")
    _push(a, sample)
    issue = IssueSession(desks("b")).open()
    assert issue == split_named(sample)


def split_named(issue: m.Issue) -> m.Issue:
    out = copy.deepcopy(issue)
    split(out)
    return out


def test_versions_and_conflicts(desks, sample):
    a, b = desks("甲"), desks("乙")
    _push(a, sample)
    sa, sb = IssueSession(a), IssueSession(b)
    ia, ib = sa.open(), sb.open()
    sid = next(iter(ia.stories))
    ia.stories[sid].byline = "本报记者 甲"
    ib.stories[sid].byline = "本报记者 乙"
    infos = sa.save(ia)
    assert infos[UnitKey("story", sid)].version == 2
    with pytest.raises(Conflict) as exc:
        sb.save(ib)
    assert "甲" in str(exc.value) and sid in str(exc.value)
    # nothing of the refused save was written
    assert IssueSession(desks("c")).open().stories[sid].byline == "本报记者 甲"


def test_commit_is_all_or_nothing(desks, sample):
    a, b = desks("a"), desks("b")
    _push(a, sample)
    sa, sb = IssueSession(a), IssueSession(b)
    ia, ib = sa.open(), sb.open()
    s1, s2 = list(ia.stories)[:2]
    ia.stories[s2].byline = "x"
    sa.save(ia)
    ib.stories[s1].byline = "new 1"          # fine on its own
    ib.stories[s2].byline = "new 2"          # conflicts
    with pytest.raises(Conflict):
        sb.save(ib)
    fresh = IssueSession(desks("c")).open()
    assert fresh.stories[s1].byline == sample.stories[s1].byline


def test_checkout_keeps_others_away(desks, sample):
    a, b = desks("甲"), desks("乙")
    _push(a, sample)
    sa, sb = IssueSession(a), IssueSession(b)
    ia, ib = sa.open(), sb.open()
    page = UnitKey("page", ia.pages[0].id)
    assert sa.checkout(page) is None
    assert sa.checkout(page) is None                     # again: still ours
    h = sb.checkout(page)
    assert h is not None and h.user == "甲"
    assert page in sa.mine() and sb.others()[page].user == "甲"
    ib.pages[0].section = "乙改"
    with pytest.raises(HeldElsewhere, match="甲"):
        sb.save(ib)
    ia.pages[0].section = "甲改"
    sa.save(ia)
    sa.release(page)
    assert sb.checkout(page) is None


def test_layout_and_text_at_once(desks, sample):
    """A layout person moves a story's frame while an editor rewrites its text."""
    lay, ed = desks("美编"), desks("编辑")
    _push(lay, sample)
    sl, se = IssueSession(lay), IssueSession(ed)
    il, ie = sl.open(), se.open()
    sid, story = next((s, st) for s, st in il.stories.items() if st.thread)
    fid = story.thread[0]
    page, _ = il.frame(fid)
    assert sl.checkout(UnitKey("page", page.id)) is None
    assert se.checkout(UnitKey("story", sid)) is None
    il.frame(fid)[1].lines -= 2
    ie.stories[sid].paragraphs[0].runs[0].text += "补充一句。"
    sl.save(il)
    se.save(ie)
    got_l, got_e = sl.refresh(il), se.refresh(ie)
    assert UnitKey("story", sid) in got_l.taken and UnitKey("page", page.id) in got_e.taken
    assert il == ie
    assert il.stories[sid].paragraphs[0].runs[0].text.endswith("补充一句。")
    assert il.frame(fid)[1].lines == sample.frame(fid)[1].lines - 2


def test_refresh_keeps_unsaved_work(desks, sample):
    a, b = desks("a"), desks("b")
    _push(a, sample)
    sa, sb = IssueSession(a), IssueSession(b)
    ia, ib = sa.open(), sb.open()
    sid = next(iter(ia.stories))
    ia.stories[sid].byline = "theirs"
    sa.save(ia)
    ib.stories[sid].byline = "mine, unsaved"
    got = sb.refresh(ib)
    assert [i.key for i in got.both] == [UnitKey("story", sid)]
    assert ib.stories[sid].byline == "mine, unsaved"


def test_new_and_removed_units(desks, sample):
    a, b = desks("a"), desks("b")
    _push(a, sample)
    sa, sb = IssueSession(a), IssueSession(b)
    ia, ib = sa.open(), sb.open()
    gone = "../../etc/passwd"
    ia.stories[gone] = m.Story(gone, paragraphs=[m.Paragraph("body", [m.Run("待删")])])
    sa.save(ia)
    assert sb.refresh(ib).taken == [UnitKey("story", gone)] and gone in ib.stories
    ia.stories[ODD] = m.Story(ODD, paragraphs=[m.Paragraph("body", [m.Run("引号；分号/斜杠")])])
    del ia.stories[gone]
    sa.save(ia)
    got = sb.refresh(ib)
    assert UnitKey("story", ODD) in got.taken and UnitKey("story", gone) in got.taken
    assert ib.stories[ODD].paragraphs[0].runs[0].text == "引号；分号/斜杠"
    assert gone not in ib.stories
    assert IssueSession(desks("c")).open() == ib


def test_read_only_desk(desks, sample):
    a = desks("a")
    _push(a, sample)
    r = desks("reader", read_only=True)
    sr = IssueSession(r)
    ir = sr.open()
    ir.info.number = "9999"
    with pytest.raises(ReadOnly):
        sr.save(ir)


def test_change_feed(desks, sample):
    a, b = desks("a"), desks("b")
    _push(a, sample)
    cursor, seen = b.changes(None)
    assert seen == []
    sa = IssueSession(a)
    ia = sa.open()
    ia.info.number = "42"
    sa.save(ia)
    assert b.wait(5.0) in (True, False)
    cursor, seen = b.changes(cursor)
    assert [i.key for i in seen] == [ISSUE_UNIT] and seen[0].author.startswith("a ")
    assert b.changes(cursor)[1] == []


def test_commit_creates_only_new_units(desks):
    a, b = desks("a"), desks("b")
    key = UnitKey("story", ODD)
    a.commit([Change(key, "banmian: 1\n", 0)])
    with pytest.raises(Conflict, match="already exists"):
        b.commit([Change(key, "banmian: 1\n", 0)])
    assert a.read([key])[key].text == "banmian: 1\n"
