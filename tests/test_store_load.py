"""Load: 20 simulated desks (separate processes) edit a 24-page issue for 60 s, on the folder
store and on PostgreSQL.

Every acknowledged change must be in the store at the end (each unit's final text is the
text of the last commit acknowledged for it: the desks log its hash), every version in the
store must have been acknowledged to some desk (nothing else changed; units nobody touched
are as pushed), and every refusal must have reached its desk, naming the unit and who
stood in the way.  The figures (edits/s, commit latency) are printed, never asserted.

``BANMIAN_LOAD_DESKS`` and ``BANMIAN_LOAD_SECONDS`` shorten a run while working on it.
"""
from __future__ import annotations

import copy
import os
import threading
import uuid

import pytest

from store.base import Desk, UnitDoc, UnitInfo, UnitKey
from store.memory import MemoryIssue, MemoryStore
from store.session import IssueSession
from store.units import split
from support import desks as D
from support.bigissue import big_issue

DESKS = int(os.environ.get("BANMIAN_LOAD_DESKS", "20"))
SECONDS = float(os.environ.get("BANMIAN_LOAD_SECONDS", "60"))


def _say(capsys, text: str) -> None:
    with capsys.disabled():
        print("\n" + text)


def _assert_clean(report: D.LoadReport) -> None:
    assert report.problems == [], "\n".join(report.problems[:20])
    assert report.lost == 0 and report.unreported == 0
    assert report.acked > report.desks            # every desk got work through
    assert report.refused > 0                     # neighbours met on their shared page


def _jumps_right(address: str) -> None:
    """Frames moved between pages by the desks: the final issue's jump lines, composed,
    name the pages its stories' frames are on."""
    issue, problems = D.open_final(address)
    assert problems == []
    assert D.jump_mistakes(issue) == []


# ---------------------------------------------------------------- the checker itself
def _docs(texts: dict[UnitKey, tuple[int, str]]) -> dict[UnitKey, UnitDoc]:
    return {k: UnitDoc(UnitInfo(k, v, "x"), t) for k, (v, t) in texts.items()}


def test_the_check_finds_lost_and_unreported_changes():
    a, b = UnitKey("page", "p1"), UnitKey("story", "lead")
    initial = _docs({a: (1, "a1"), b: (1, "b1")})
    ok = [{"event": "start", "desk": 0, "user": "desk00"},
          {"event": "start", "desk": 1, "user": "desk01"},
          {"desk": 0, "attempt": 1, "outcome": "ok", "units": {"page:p1": [1, 2, D.text_hash("a2")]}},
          {"desk": 1, "attempt": 1, "outcome": "refused", "refused": "Conflict", "unit": "page:p1",
           "message": "page p1 was changed by desk00 on h (version 2, you started from version 1)"}]
    assert D.check(initial, _docs({a: (2, "a2"), b: (1, "b1")}), ok).ok
    # the acknowledged text is not the one in the store
    bad = D.check(initial, _docs({a: (2, "other"), b: (1, "b1")}), ok)
    assert bad.lost == 1 and "page:p1" in bad.problems[0]
    # the store is behind what was acknowledged
    assert D.check(initial, _docs({a: (1, "a1"), b: (1, "b1")}), ok).lost == 1
    # a version nobody was told about, and a unit changed that nobody committed
    extra = D.check(initial, _docs({a: (3, "a3"), b: (1, "b1 changed")}), ok)
    assert extra.unreported == 1 and len(extra.problems) == 2
    # a refusal naming a version no desk made, or the wrong desk
    lie = copy.deepcopy(ok)
    lie[3]["message"] = "page p1 was changed by desk01 on h (version 2, you started from version 1)"
    assert not D.check(initial, _docs({a: (2, "a2"), b: (1, "b1")}), lie).ok
    lie[3]["message"] = "page p1 was changed by desk00 on h (version 5, you started from version 1)"
    assert not D.check(initial, _docs({a: (2, "a2"), b: (1, "b1")}), lie).ok
    # a check-out named in a refusal: the holder must be another desk working on the unit
    held = ok + [{"desk": 1, "attempt": 2, "outcome": "refused", "refused": "HeldElsewhere",
                  "unit": "page:p1", "message": "page p1 is checked out by desk00 on h since 09:20"}]
    fine = _docs({a: (2, "a2"), b: (1, "b1")})
    assert not D.check(initial, fine, held).ok                   # desk 0 named no units
    held[0]["units"] = ["page:p1"]
    assert D.check(initial, fine, held).ok
    held[-1]["message"] = "page p1 is checked out by desk01 on h since 09:20"
    assert not D.check(initial, fine, held).ok                   # by itself?
    # a commit sent and never answered
    silent = ok + [{"desk": 1, "attempt": 2, "event": "begin", "units": {"story:lead": [1, "h"]}}]
    assert "never answered" in D.check(initial, _docs({a: (2, "a2"), b: (1, "b1")}),
                                       silent).problems[0]
    # ... unless its desk was killed: then its text may be there, or not
    killed = D.check(initial, _docs({a: (2, "a2"), b: (2, "h2")}), silent, killed={1})
    assert killed.unreported == 1                       # not that text
    silent[-1]["units"] = {"story:lead": [1, D.text_hash("h2")]}
    assert D.check(initial, _docs({a: (2, "a2"), b: (2, "h2")}), silent, killed={1}).ok
    assert D.check(initial, _docs({a: (2, "a2"), b: (1, "b1")}), silent, killed={1}).ok


def test_desks_share_pages_and_stories():
    issue = big_issue(24)
    units = [D.desk_units(issue, n, 20) for n in range(20)]
    pages = [{k.name for k in u if k.kind == "page"} for u in units]
    assert pages[0] == {"p1", "p2"} and pages[19] == {"p20", "p21"}
    assert pages[3] & pages[4] == {"p5"}                 # neighbours meet on one page
    nobody = {p.id for p in issue.pages} - set().union(*pages)
    assert nobody == {"p22", "p23", "p24"}
    assert all(any(k.kind == "story" for k in u) for u in units)


def test_edits_are_valid_and_change_their_unit():
    from layout.docfile import validate
    issue = big_issue(4)
    mine = D.desk_units(issue, 0, 4)
    rng = D.random.Random(5)
    kinds = set()
    before = split(issue)
    for i in range(150):
        edit = D.random_edit(rng, issue, mine, str(i))
        if edit is None:
            continue
        assert edit.apply(issue)
        kinds.add(edit.kind)
        assert validate(issue) == [], edit
        after = split(issue)
        assert {k for k, t in after.items() if before[k] != t} == set(edit.keys), edit
        before = after
    assert kinds == {"move", "resize", "transfer", "text", "headline", "byline", "pair"}


def test_desks_in_threads_on_the_memory_store(tmp_path):
    """The desks and the check on the reference store (one process, threads)."""
    shared = MemoryIssue("load")
    push = MemoryStore(shared, Desk.here("push"))
    IssueSession(push).save(big_issue(8))
    initial = push.read()
    logs = [tmp_path / f"d{n}.jsonl" for n in range(6)]

    def go(n):
        D.SimDesk(lambda desk: MemoryStore(shared, desk), n, total=6, seed=2,
                  log=D.Log(logs[n])).run(4.0)
    threads = [threading.Thread(target=go, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    records = D.read_logs(logs)
    verdict = D.check(initial, push.read(), records)
    assert verdict.ok, verdict.problems[:10]
    assert verdict.acked >= 6 and verdict.refused > 0
    assert {r["desk"] for r in records if r.get("event") == "end"} == set(range(6))
    assert all(r["attempts"] >= 1 for r in records if r.get("event") == "end")


# ---------------------------------------------------------------- the real stores
def test_load_on_the_folder_store(tmp_path, capsys):
    pytest.importorskip("store.folder", reason="no folder store yet")
    report = D.run_load(str(tmp_path / "issue"), tmp_path / "logs", desks=DESKS,
                        seconds=SECONDS, seed=11, name="folder")
    _say(capsys, report.line())
    _assert_clean(report)
    _jumps_right(str(tmp_path / "issue"))


@pytest.mark.pg
def test_load_on_postgresql(tmp_path, capsys, pg_url):
    pytest.importorskip("store.pg", reason="no PostgreSQL store yet")
    address = f"{pg_url}#load-{uuid.uuid4().hex[:8]}"
    report = D.run_load(address, tmp_path / "logs", desks=DESKS, seconds=SECONDS, seed=12,
                        name="postgresql")
    _say(capsys, report.line())
    _assert_clean(report)
    _jumps_right(address)
