"""Concurrency with real processes: two desks lay out different pages while a third edits a
story running on one of them; then one of them moves the story's continuation frame to
another page.  Everything each committed is in the final issue, and the jump lines the
layout engine sets (下转/上接) name the pages the story's frames are on.
"""
from __future__ import annotations

import time
import uuid

import pytest

from layout import model as m
from layout.compose import Composer
from layout.flow import page_label
from store import open_store
from store.base import Desk, UnitKey
from store.session import IssueSession
from support import desks as D
from support.bigissue import big_issue
from support.fakefont import SquareFontSet

SECONDS = 8.0
#: desk number → the units it works on: two layout desks on pages of their own (desk 1 moves
#: frames between its pages 2 and 5), an editor on the story that runs from page 1 to page 2
DESKS = {0: "page:p1", 1: "page:p2,page:p5", 2: "story:lead"}


@pytest.fixture
def address(store_address):
    """A new issue in each store (tests/conftest.py)."""
    return store_address


def _round(address: str, logs: dict, seed: int, first: dict[int, str] = {}) -> None:
    start_at = time.time() + 4
    procs = []
    for n, units in DESKS.items():
        extra = ["--units", units, "--checkout", "0.5"]
        if n in first:
            extra += ["--transfer", first[n]]
        procs.append(D.spawn(address, n, total=len(DESKS), seconds=SECONDS, seed=seed,
                             log=logs[n], start_at=start_at, extra=extra))
    for n, p in zip(DESKS, procs):
        assert p.wait(timeout=180) == 0, open(str(logs[n]) + ".err").read()[-800:]


def _final(address: str):
    with open_store(address, Desk.here("check")) as st:
        s = IssueSession(st)
        issue = s.open()
        assert not s.problems, [str(p) for p in s.problems]
        return issue, st.read()


def test_the_jump_check_sees_a_frame_on_another_page():
    issue = big_issue(6)
    res = Composer(issue, SquareFontSet()).compose()
    assert D.jump_mistakes(issue, res) == []
    p2 = issue.pages[1]
    # a later page with a photo on it
    there = next(p for p in issue.pages[2:] if any(isinstance(f, m.PhotoFrame) for f in p.frames))
    fr = next(f for f in p2.frames if f.id == "t-lead2")
    p2.frames.remove(fr)
    there.frames.append(fr)
    wrong = [f"lead: frame t-lead on page 1 shows ['（下转二版）'], "
             f"not ['（下转{page_label(there.number, 'chinese')}版）']"]
    assert D.jump_mistakes(issue, res) == wrong         # the jump lines of before
    assert D.jump_mistakes(issue) == []                 # composed again: right
    photo = next(f for f in there.frames if isinstance(f, m.PhotoFrame))
    fr.col, fr.line, fr.cols, fr.lines = photo.col + 1, photo.line + 2, 2, 4
    res = Composer(issue, SquareFontSet()).compose()    # under the photo: no room, no jump
    assert D.jump_lines(res)["t-lead2"] == [] and D.jump_mistakes(issue, res) == []
    assert D.jump_mistakes(issue, Composer(big_issue(6), SquareFontSet()).compose()) == wrong


def test_refresh_takes_a_commit_of_two_pages_whole():
    """A frame moved from page 4 to page 3 while another desk refreshes — between its look
    at the change feed and its read — is on exactly one page there (store.session)."""
    from store.memory import MemoryIssue, MemoryStore
    shared = MemoryIssue("t")
    a, b = MemoryStore(shared, Desk.here("甲")), MemoryStore(shared, Desk.here("乙"))
    IssueSession(a).save(big_issue(4))
    sa, sb = IssueSession(a), IssueSession(b)
    ia, ib = sa.open(), sb.open()
    ia.pages[2].section = "读者来信"
    sa.save(ia)                                      # in b's feed: page 3
    read, moved = b.read, []
    threaded = {f for st in ia.stories.values() for f in st.thread}
    fid = next(f.id for f in ia.pages[3].frames if f.id in threaded)

    def read_while_a_moves(keys=None):
        if keys is not None and not moved:
            fr = next(f for f in ia.pages[3].frames if f.id == fid)
            ia.pages[3].frames.remove(fr)
            ia.pages[2].frames.append(fr)
            moved.append(sa.save(ia))                # pages 3 and 4 in one commit
        return read(keys)
    b.read = read_while_a_moves
    got = sb.refresh(ib)
    assert moved and not got.problems, [str(p) for p in got.problems]
    assert [p.id for p in ib.pages if any(f.id == fid for f in p.frames)] == ["p3"]
    assert ib == IssueSession(MemoryStore(shared, Desk.here("丙"))).open()


def test_layout_and_editing_at_once(address, tmp_path):
    initial = D.push_issue(address, big_issue(6))
    logs = {n: tmp_path / f"desk{n}.jsonl" for n in DESKS}
    # round 1: everyone at work at once
    _round(address, logs, seed=1)
    issue, final = _final(address)
    records = D.read_logs(logs.values())
    verdict = D.check(initial, final, records)
    assert verdict.ok, verdict.problems
    by = {n: [r for r in records if r.get("outcome") == "ok" and r["desk"] == n] for n in DESKS}
    assert all(by.values()), {n: len(v) for n, v in by.items()}      # each got work through
    for n, units in DESKS.items():                                    # ... on its own units
        assert {k for r in by[n] for k in r["units"]} <= set(units.split(","))
    assert D.jump_mistakes(issue) == []
    lead = issue.stories["lead"]
    page_of = {fr.id: p.id for p in issue.pages for fr in p.frames}
    assert page_of[lead.thread[0]] == "p1"
    # round 2: the layout desk of pages 2 and 5 first moves the continuation of 'lead' to its
    # other page, then all go on; the jump lines follow it
    there = page_of["t-lead2"]
    target = "p5" if there == "p2" else "p2"
    _round(address, logs, seed=2, first={1: f"t-lead2:{target}"})
    issue, final = _final(address)
    records = D.read_logs(logs.values())
    verdict = D.check(initial, final, records)
    assert verdict.ok, verdict.problems
    moved = [r for r in records if r["desk"] == 1 and r.get("kind") == "transfer"
             and r.get("outcome") == "ok" and r["t"] > by[1][-1]["t"]]
    assert moved, "the continuation frame was not moved"
    assert D.jump_mistakes(issue) == []
    page_of = {fr.id: p for p in issue.pages for fr in p.frames}
    res = Composer(issue, SquareFontSet()).compose()
    got = D.jump_lines(res)
    second = page_of["t-lead2"].number
    assert second in (2, 5)
    first_frame = next(fr for p in res.pages for fr in p.frames if fr.frame_id == "t-lead")
    if first_frame.lines and first_frame.end.para < len(issue.stories["lead"].paragraphs):
        assert got["t-lead"] == [f"（下转{page_label(second, 'chinese')}版）"]   # it runs on
    if next(fr for p in res.pages for fr in p.frames if fr.frame_id == "t-lead2").lines:
        assert got["t-lead2"] == ["（上接一版）"]
    # the editor's last text is the story's text
    last = [r for r in records if r["desk"] == 2 and r.get("outcome") == "ok"][-1]
    assert D.text_hash(final[UnitKey("story", "lead")].text) == last["units"]["story:lead"][2]


@pytest.mark.pg
def test_a_refusal_names_a_desk_checking_out_that_moment(pg_url):
    """A commit meets a check-out taken a moment ago, before its holder's name is written
    (the load run found such refusals naming "someone"): it names the desk."""
    import threading

    from store.base import Change, HeldElsewhere
    pg = pytest.importorskip("store.pg", reason="no PostgreSQL store yet")
    name = f"moment-{uuid.uuid4().hex[:8]}"
    a = pg.PgStore(pg_url, name, Desk.here("甲"), create=True)
    b = pg.PgStore(pg_url, name, Desk.here("乙"))
    key = UnitKey("page", "p1")
    b.commit([Change(key, "banmian: 1\n", 0)])
    locked = threading.Event()

    def take():                 # the lock first, the row ("甲 on …") 0.3 s later
        k = pg.lock_key(a.issue_id, key)
        a._conn.execute("SELECT pg_advisory_lock(%s)", (k,))
        locked.set()
        time.sleep(0.3)
        assert a.checkout(key) is None
        a._conn.execute("SELECT pg_advisory_unlock(%s)", (k,))
    t = threading.Thread(target=take)
    t.start()
    try:
        assert locked.wait(10)
        with pytest.raises(HeldElsewhere, match="甲"):
            b.commit([Change(key, "banmian: 1\n# 乙\n", 1)])
    finally:
        t.join()
        a.close()
        b.close()
