"""Faults with real processes: a desk killed (SIGKILL) inside a save, desks killed at random
times, a PostgreSQL server restarted under load, a unit file truncated on the shared folder.

After a kill the desk's check-outs are free again (folder: its lock files name a dead
process on this machine and are cleared; PostgreSQL: its advisory locks went with its
connection), every unit is whole — the old version or the new one, never a mix, and the
units of one commit all old or all new — and the issue opens and takes commits.
"""
from __future__ import annotations

import os
import random
import signal
import time
import uuid

import pytest

from store import open_store
from store.base import Desk, UnitKey
from store.session import IssueSession
from support import desks as D
from support.bigissue import big_issue

PAGES = [UnitKey("page", "p1"), UnitKey("page", "p2")]


@pytest.fixture
def address(store_address):
    """A new issue in each store (tests/conftest.py)."""
    return store_address


def _wait_for(log, event: str, proc, timeout: float = 90.0) -> dict:
    """The first record of ``event`` in a desk's log (fails when the desk ends first)."""
    end = time.time() + timeout
    while time.time() < end:
        for r in D.read_logs([log]):
            if r.get("event") == event:
                return r
        if proc.poll() is not None:
            err = open(str(log) + ".err", encoding="utf-8").read()[-800:]
            pytest.fail(f"the desk ended ({proc.returncode}) before '{event}': {err}")
        time.sleep(0.05)
    proc.kill()
    pytest.fail(f"no '{event}' from the desk in {timeout:.0f} s")


def _kill(proc) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL


def _free(address: str, keys) -> None:
    """Another desk can check every unit out (the dead desk's locks are gone)."""
    with open_store(address, Desk.here("after")) as st:
        end = time.time() + 15            # a server notices a dead client within moments
        while True:
            held = {k: h for k in keys if (h := st.checkout(k)) is not None}
            if not held or time.time() > end:
                break
            time.sleep(0.2)
        assert not held, {str(k): h.describe() for k, h in held.items()}
        for k in keys:
            st.release(k)


def _whole(address: str, initial) -> tuple[dict, object]:
    """The issue opens with every unit (nothing left out) and takes a commit."""
    with open_store(address, Desk.here("check")) as st:
        s = IssueSession(st)
        issue = s.open()
        assert not s.problems, [str(p) for p in s.problems]
        assert {p.id for p in issue.pages} == {k.name for k in initial if k.kind == "page"}
        docs = st.read()
        issue.stories["lead"].byline = f"本报记者 复查{uuid.uuid4().hex[:4]}"
        assert s.save(issue)                       # not wedged: no lock left behind
        return docs, issue


# (store, step inside the commit, what the two pages of the commit must show after the kill)
STOPS = [("folder", "tmp", "old"),            # temporaries written, no intent: not made
         ("folder", "intent", "new"),         # the commit point passed: finished on next open
         ("folder", "renamed:1", "new"),      # one of two files renamed: finished, never a mix
         ("folder", "journal", "new"),
         ("pg", "locked", "old"),             # inside the transaction: rolled back
         ("pg", "written", "old")]            # everything written, no COMMIT: rolled back


@pytest.mark.parametrize("kind,step,expect", [pytest.param(*s, id=f"{s[0]}-{s[1]}")
                                              for s in STOPS])
def test_a_desk_killed_inside_a_save(kind, step, expect, tmp_path, request):
    if kind == "pg":
        url = request.getfixturevalue("pg_url")
        pytest.importorskip("store.pg", reason="no PostgreSQL store yet")
        address = f"{url}#kill-{uuid.uuid4().hex[:8]}"
    else:
        pytest.importorskip("store.folder", reason="no folder store yet")
        address = str(tmp_path / "issue")
    initial = D.push_issue(address, big_issue(2))
    log = tmp_path / "desk.jsonl"
    # the desk's first save moves the continuation of 'lead' from page 2 to page 1: a commit
    # of two pages, both checked out
    proc = D.spawn(address, 0, total=1, seconds=60, seed=3, log=log,
                   extra=["--units", "page:p1,page:p2,story:lead", "--transfer", "t-lead2:p1",
                          "--checkout", "1", "--stop-at", step])
    _wait_for(log, "stopped", proc)
    _kill(proc)
    begin = [r for r in D.read_logs([log]) if r.get("event") == "begin"][-1]
    assert set(begin["units"]) == {"page:p1", "page:p2"}
    _free(address, PAGES + [UnitKey("story", "lead")])
    docs, issue = _whole(address, initial)
    states = {}
    for k, (base, sent) in begin["units"].items():
        key = UnitKey.parse(k)
        d = docs[key]
        if d.version == base and d.text == initial[key].text:
            states[k] = "old"
        elif d.version == base + 1 and D.text_hash(d.text) == sent:
            states[k] = "new"
        else:
            states[k] = f"neither (version {d.version}, base {base})"
    assert set(states.values()) == {expect}, states
    page_of = {fr.id: p.id for p in issue.pages for fr in p.frames}
    assert page_of["t-lead2"] == ("p1" if expect == "new" else "p2")
    verdict = D.check(initial, docs, D.read_logs([log]), killed={0})
    assert verdict.ok, verdict.problems


def test_desks_killed_at_random_times(address, tmp_path):
    """Kill a busy desk at random moments, again and again: each time its check-outs are
    free, the issue opens whole and the logs hold against the store."""
    initial = D.push_issue(address, big_issue(2))
    rng = random.Random(16)
    logs, killed = [], set()
    for n in range(5):
        log = tmp_path / f"desk{n}.jsonl"
        logs.append(log)
        proc = D.spawn(address, n, total=5, seconds=60, seed=n, log=log,
                       extra=["--units", "page:p1,page:p2,story:lead,story:wennuan",
                              "--checkout", "1"])
        _wait_for(log, "start", proc)
        time.sleep(rng.uniform(0.3, 2.5))
        _kill(proc)
        killed.add(n)
        records = D.read_logs(logs)
        _free(address, PAGES + [UnitKey("story", "lead"), UnitKey("story", "wennuan")])
        with open_store(address, Desk.here("check")) as st:
            s = IssueSession(st)
            s.open()
            assert not s.problems, [str(p) for p in s.problems]
            docs = st.read()
        verdict = D.check(initial, docs, records, killed=killed)
        assert verdict.ok, verdict.problems
    assert verdict.acked > 5                    # the desks did work between the kills


@pytest.mark.pg
def test_postgresql_restarts_under_load(tmp_path, capsys, pg_url, pg_cluster):
    """The server is stopped hard (as by a crash) and started again in the middle of a load
    run: the desks' connections are cut, they reconnect and go on, and nothing that was
    acknowledged is lost."""
    pytest.importorskip("store.pg", reason="no PostgreSQL store yet")
    address = f"{pg_url}#restart-{uuid.uuid4().hex[:8]}"
    back: list[float] = []

    def restart():
        pg_cluster.restart(down=1.0, mode="immediate")
        back.append(time.time())
    report = D.run_load(address, tmp_path / "logs", desks=8, seconds=20, seed=5,
                        name="postgresql, restarted", events=[(7.0, restart)])
    with capsys.disabled():
        print("\n" + report.line())
    assert back, "the server was not restarted"
    assert report.problems == [], "\n".join(report.problems[:20])
    assert report.lost == 0
    records = D.read_logs(sorted((tmp_path / "logs").glob("*.jsonl")))
    after = {r["desk"] for r in records if r.get("outcome") == "ok" and r.get("t", 0) > back[0]}
    assert len(after) >= 6, f"only desks {sorted(after)} got a change through after the restart"
    cut = {r["desk"] for r in records if r.get("event") == "reconnect"}
    assert len(cut) >= 6 and report.reconnects >= 6, (cut, report.reconnects)


def test_a_unit_file_truncated_on_the_shared_folder(tmp_path):
    """A page file cut short while desks work: it is refused with its file and line by every
    desk that opens the issue, never written back, and the rest of the issue opens and goes
    on being edited."""
    folder = pytest.importorskip("store.folder", reason="no folder store yet")
    address = str(tmp_path / "issue")
    initial = D.push_issue(address, big_issue(4))
    p4 = UnitKey("page", "p4")
    with folder.FolderStore(address, Desk.here("look")) as st:
        path = st.where(address, p4)
    start_at = time.time() + 4
    # desks 0 and 1 of 4 work on pages 1-3; page 4 is nobody's until desk 3 opens
    procs = [D.spawn(address, n, total=4, seconds=8, seed=4, log=tmp_path / f"d{n}.jsonl",
                     start_at=start_at) for n in (0, 1)]
    while time.time() < start_at + 2:
        time.sleep(0.1)
    data = open(path, "rb").read()
    cut = data[: len(data) // 2]
    with open(path, "wb") as fh:
        fh.write(cut)
    late = D.spawn(address, 3, total=4, seconds=8, seed=4, log=tmp_path / "d3.jsonl")
    for p in [*procs, late]:
        assert p.wait(timeout=120) == 0, open(str(p.args[p.args.index("--log") + 1]) + ".err").read()
    records = D.read_logs(sorted(tmp_path.glob("d*.jsonl")))
    seen = [r["error"] for r in records if r.get("event") == "problem" and r["desk"] == 3]
    assert seen and path in seen[0] and ":" in seen[0].split(path, 1)[1][:8], seen
    assert any(r.get("outcome") == "ok" and r["desk"] == 3 for r in records)
    assert open(path, "rb").read() == cut                # never written back
    with open_store(address, Desk.here("check")) as st:
        s = IssueSession(st)
        issue = s.open()
        assert [e.path for e in s.problems] == [path] and s.problems[0].line
        assert [p.number for p in issue.pages] == [1, 2, 3]
        final = st.read()
    rest = {k: d for k, d in initial.items() if k != p4}
    verdict = D.check(rest, {k: d for k, d in final.items() if k != p4}, records)
    assert verdict.ok, verdict.problems


def test_a_desk_rides_out_a_store_that_goes_away(tmp_path):
    """Commits cut before they are made and after (the desk cannot tell which): the desk
    reconnects with back-off, finds out which, logs the made ones as acknowledged and makes
    the others again; the logs hold against the store."""
    from store.base import StoreError
    from store.memory import MemoryIssue, MemoryStore

    class Flaky(MemoryStore):
        plan = {2: "after", 4: "before", 7: "after", 9: "before"}
        commits, down_until = 0, 0.0

        def _away(self):
            if time.time() < Flaky.down_until:
                raise StoreError(f"{self.address}: the server is away")

        def commit(self, changes):
            self._away()
            Flaky.commits += 1
            cut = self.plan.get(Flaky.commits)
            if cut == "before":
                Flaky.down_until = time.time() + 0.4
                raise StoreError(f"{self.address}: connection lost")
            out = super().commit(changes)
            if cut == "after":
                Flaky.down_until = time.time() + 0.4
                raise StoreError(f"{self.address}: connection lost during COMMIT")
            return out

        def read(self, keys=None):
            self._away()
            return super().read(keys)

        def changes(self, cursor):
            self._away()
            return super().changes(cursor)

    shared = MemoryIssue("flaky")
    push = MemoryStore(shared, Desk.here("push"))
    IssueSession(push).save(big_issue(2))
    initial = push.read()
    log = tmp_path / "desk.jsonl"
    end = D.SimDesk(lambda desk: Flaky(shared, desk), 0, total=1, seed=9,
                    log=D.Log(log)).run(5.0)
    records = D.read_logs([log])
    assert Flaky.commits >= 10, Flaky.commits
    assert end["reconnects"] == 4 and end["recovered"] == 2 and end["retried"] == 2, end
    made = [r for r in records if r.get("outcome") and r.get("recovered")]
    assert len(made) == 2 and all(r["outcome"] == "ok" for r in made)
    verdict = D.check(initial, push.read(), records)
    assert verdict.ok, verdict.problems
    assert verdict.acked == end["ok"]
