"""The folder store beyond the contract: file names, lock files, damaged files, crashes."""
from __future__ import annotations

import copy
import dataclasses
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import unicodedata
from pathlib import Path

import pytest

from layout.docfile import load_issue
from layout.lockfile import LockInfo
from store import folder as fs
from store.base import ISSUE_UNIT, Change, Desk, HeldElsewhere, ReadOnly, StoreError, UnitKey
from store.folder import FolderStore, UnitLockInfo, decode_name, encode_name, file_name
from store.session import IssueSession
from support.paths import SAMPLE

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def sample():
    return load_issue(SAMPLE)


@pytest.fixture
def where(tmp_path):
    return tmp_path / "issue"


def _store(path, user="a", **kw) -> FolderStore:
    return FolderStore(path, Desk.here(user), create=kw.pop("create", True), **kw)


def _push(path, issue):
    with _store(path, "pusher") as st:
        IssueSession(st).save(copy.deepcopy(issue))


ODD_IDS = ["../../etc/passwd", "..", ".", "a'b\";c/d\\e; DROP TABLE units;--", "Lead", "lead",
           "LEAD", "头条", "頭條", "caf\u00e9", "cafe\u0301", "con", "CON.txt", "nul", "a:b",
           "x" * 300, "长" * 200, "%41", "A", "tab\there", " space ", "末尾."]


# ---------------------------------------------------------------- file names
def test_names_round_trip_and_never_meet():
    names = [encode_name(n) for n in ODD_IDS]
    folded = {unicodedata.normalize("NFD", n).casefold() for n in names}
    assert len(folded) == len(ODD_IDS)                   # no two meet, whatever the share
    for n, e in zip(ODD_IDS, names):
        assert "/" not in e and "\\" not in e and ":" not in e and not e.startswith(".")
        assert e.split("%2e")[0] not in ("con", "nul", "aux", "prn")
        assert len(e.encode("utf-8")) <= 160
        assert decode_name(e) in (n, None)
        if len(n) < 40:
            assert decode_name(e) == n
    assert encode_name("头条") == "头条"                 # Chinese ids stay readable
    assert encode_name("p1") == "p1" and encode_name("Lead") == "%4cead"
    assert file_name(ISSUE_UNIT) == "settings.yaml"


def test_odd_ids_stay_inside_the_folder(where):
    a = _store(where)
    keys = [UnitKey("story", n) for n in ODD_IDS] + [UnitKey("page", n) for n in ODD_IDS[:6]]
    a.commit([Change(k, f"banmian: 1\n# {i}\n", 0) for i, k in enumerate(keys)])
    root = where.resolve()
    files = [p for p in root.rglob("*.yaml") if ".banmian" not in p.parts]
    assert len(files) == len(keys)
    assert all(p.resolve().is_relative_to(root) for p in files)
    assert not (where.parent / "etc").exists()
    b = _store(where, "b")
    got = b.read()
    assert set(got) == set(keys)
    for i, k in enumerate(keys):
        assert got[k].text == f"banmian: 1\n# {i}\n" and got[k].version == 1
    # the id inside the file decides, even when the file was renamed by hand
    src = where / file_name(UnitKey("story", "头条"))
    src.rename(src.with_name("renamed.yaml"))
    assert UnitKey("story", "头条") in b.units() and UnitKey("story", "renamed") not in b.units()


def test_unit_file_format(where):
    a = _store(where, "甲")
    a.commit([Change(UnitKey("story", "s"), "banmian: 1\nstories:\n  s: {}\n", 0),
              Change(UnitKey("story", "t"), "- odd first line\n", 0)])
    first = (where / "stories" / "s.yaml").read_text("utf-8").splitlines()
    assert first[0].startswith("banmian: 1  # banmian-unit ") and first[1] == "stories:"
    head = json.loads(first[0].split("# banmian-unit ", 1)[1])
    assert head["key"] == "story:s" and head["version"] == 1 and head["author"].startswith("甲 ")
    assert a.read()[UnitKey("story", "t")].text == "- odd first line\n"


# ---------------------------------------------------------------- locks
def _write_lock(store: FolderStore, key: UnitKey, *, host: str, pid: int, age: float,
                user="张三", session="s-old") -> None:
    info = UnitLockInfo(user=user, host=host, pid=pid, time=time.time() - age, token="t" * 32,
                        session=session, unit=str(key))
    lock = store._lock_path(key)
    lock.write_bytes(info.to_json())
    os.utime(lock, (time.time() - age, time.time() - age))


def test_a_dead_local_holder_is_cleared(where, sample):
    _push(where, sample)
    key = UnitKey("page", "p1")
    code = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(ROOT)!r})
        from store.folder import FolderStore
        from store.base import Desk, UnitKey
        st = FolderStore({str(where)!r}, Desk.here("李四"))
        assert st.checkout(UnitKey("page", "p1")) is None
        os._exit(0)                       # gone without releasing
    """)
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    a = _store(where, "a")
    assert json.loads(a._lock_path(key).read_text("utf-8"))["user"] == "李四"
    assert a.checkout(key) is None                      # the dead holder's lock went
    assert a.holders()[key].user == "a"


def test_a_stale_remote_holder_is_only_broken_on_request(where, sample):
    _push(where, sample)
    a = _store(where, "a")
    key = UnitKey("story", "lead")
    _write_lock(a, key, host="desk-in-another-city", pid=os.getpid(), age=13 * 3600)
    h = a.checkout(key)
    assert h is not None and h.stale and h.user == "张三"
    assert a.holders()[key].stale
    with pytest.raises(HeldElsewhere, match="张三"):
        a.commit([Change(key, "banmian: 1\n", a.units()[key].version)])
    assert not a.break_checkout(key, dataclasses.replace(h, since=h.since + 1))   # not it
    assert a.break_checkout(key, h)
    assert a.checkout(key) is None


def test_a_fresh_remote_holder_is_not_stale(where):
    a = _store(where, "a")
    key = UnitKey("page", "p9")
    _write_lock(a, key, host="desk-7", pid=1, age=60)
    h = a.checkout(key)
    assert h is not None and not h.stale and h.host == "desk-7"


def test_checkout_is_per_desk_and_released_on_close(where):
    a, b = _store(where, "a"), _store(where, "b")
    key = UnitKey("story", "x")
    assert a.checkout(key) is None and a.checkout(key) is None
    assert b.checkout(key).user == "a"
    a.close()
    assert b.checkout(key) is None
    info = json.loads(b._lock_path(key).read_text("utf-8"))
    assert info["session"] == b.desk.session and info["unit"] == "story:x"
    assert LockInfo.from_json(b._lock_path(key).read_bytes()).user == "b"


def test_heartbeat_refreshes_the_lock(where):
    a = _store(where, "a")
    key = UnitKey("page", "p1")
    a.checkout(key)
    lock = a._lock_path(key)
    os.utime(lock, (time.time() - 7200, time.time() - 7200))
    assert a.heartbeat() == []
    assert time.time() - lock.stat().st_mtime < 60
    lock.unlink()                                        # broken by someone
    assert a.heartbeat() == [key]


# ---------------------------------------------------------------- damaged files
def test_a_truncated_unit_file_is_refused_with_its_name_and_line(where, sample):
    _push(where, sample)
    page2 = where / file_name(UnitKey("page", "p2"))
    data = page2.read_bytes()
    page2.write_bytes(data[: len(data) // 2])
    lines = page2.read_text("utf-8").count("\n") + 1
    s = IssueSession(_store(where, "b"))
    issue = s.open()
    assert [p.number for p in issue.pages] == [1, 3]
    assert len(s.problems) == 1
    err = s.problems[0]
    assert err.path == str(page2) and str(page2) in str(err)
    assert err.line is not None and 1 <= err.line <= lines
    assert UnitKey("page", "p2") in s.left_out
    assert set(issue.stories) == set(sample.stories)


def test_a_folder_that_is_not_a_store(tmp_path):
    with pytest.raises(StoreError, match="no such issue folder"):
        FolderStore(tmp_path / "nothing", Desk.here("a"))
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "issue.yaml").write_text("banmian: 1\n")
    with pytest.raises(StoreError, match="not an issue store"):
        FolderStore(tmp_path / "plain", Desk.here("a"))
    bad = tmp_path / "bad"
    (bad / ".banmian").mkdir(parents=True)
    (bad / ".banmian" / "store.json").write_text("{ no")
    with pytest.raises(StoreError, match="store.json"):
        FolderStore(bad, Desk.here("a"))


def test_read_only_when_asked_or_unwritable(where, sample, monkeypatch):
    _push(where, sample)
    r = _store(where, "r", read_only=True)
    with pytest.raises(ReadOnly, match="read-only"):
        r.commit([Change(ISSUE_UNIT, "banmian: 1\n", 1)])
    monkeypatch.setattr(fs.os, "access", lambda p, mode: False)
    u = _store(where, "u", create=False)
    assert u.read_only and u.folder_read_only
    assert IssueSession(u).open().pages
    with pytest.raises(ReadOnly, match="cannot be written"):
        u.commit([Change(ISSUE_UNIT, "banmian: 1\n", 1)])


# ---------------------------------------------------------------- crashes
def _two_changes(st):
    got = st.read([UnitKey("story", "s1"), UnitKey("story", "s2")])
    return [Change(k, got[k].text.replace("old", "new"), got[k].version) for k in sorted(got)]


def _texts(path):
    got = _store(path, "check").read()
    return {k.name: d.text for k, d in got.items()}


@pytest.fixture
def two(where):
    a = _store(where, "a")
    a.commit([Change(UnitKey("story", n), f"banmian: 1\n# old {n}\n", 0) for n in ("s1", "s2")])
    return where


class Boom(Exception):
    pass


@pytest.mark.parametrize("step,after", [("tmp", "old"), ("intent", "new"), ("renamed", "new"),
                                        ("journal", "new")])
def test_a_commit_failing_at_a_step_is_all_or_nothing(two, monkeypatch, step, after):
    a = _store(two, "a")

    def hook(name):
        if name == step:
            raise Boom(name)
    monkeypatch.setattr(fs, "_hook", hook)
    with pytest.raises(Boom):
        a.commit(_two_changes(a))
    monkeypatch.setattr(fs, "_hook", None)
    if step == "renamed":              # one file renamed, the other not: on disk, a mix…
        raw = {n: (two / "stories" / f"{n}.yaml").read_text() for n in ("s1", "s2")}
        assert sum("new" in t for t in raw.values()) == 1
    texts = _texts(two)                # …that nobody reads: the next open finishes it
    assert texts == {n: f"banmian: 1\n# {after} {n}\n" for n in ("s1", "s2")}
    assert not (two / ".banmian" / "intent.json").exists()
    versions = {k.name: i.version for k, i in _store(two, "c").units().items()}
    assert versions == ({"s1": 1, "s2": 1} if after == "old" else {"s1": 2, "s2": 2})
    if after == "old":
        assert not os.listdir(two / ".banmian" / "tmp")
    b = _store(two, "b")
    b.commit(_two_changes(b))          # the commit lock was let go
    _, seen = b.changes(0)
    assert [(i.key.name, i.version) for i in seen][-2:] == \
        [("s1", versions["s1"] + 1), ("s2", versions["s2"] + 1)]
    assert len(seen) == (6 if after == "new" else 4)      # the interrupted commit's: once


@pytest.mark.parametrize("step,after", [("tmp", "old"), ("renamed", "new")])
def test_a_desk_killed_mid_commit(two, step, after):
    code = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(ROOT)!r})
        from store import folder
        from store.base import Change, Desk, UnitKey
        st = folder.FolderStore({str(two)!r}, Desk.here("killed"))
        st.checkout(UnitKey("story", "s1"))
        def hook(name):
            if name == {step!r}:
                os.kill(os.getpid(), signal.SIGKILL)
        folder._hook = hook
        got = st.read()
        st.commit([Change(k, d.text.replace("old", "new"), d.version)
                   for k, d in sorted(got.items())])
    """)
    p = subprocess.run([sys.executable, "-c", code], timeout=60)
    assert p.returncode == -signal.SIGKILL
    assert (two / ".banmian" / "commit.lock").exists()            # left by the dead desk
    b = _store(two, "b")
    assert _texts(two) == {n: f"banmian: 1\n# {after} {n}\n" for n in ("s1", "s2")}
    assert b.checkout(UnitKey("story", "s1")) is None               # its check-out went too
    b.commit(_two_changes(b))                                       # and its commit lock
    assert set(_texts(two).values()) == {f"banmian: 1\n# new {n}\n" for n in ("s1", "s2")}


def test_a_cut_journal_line_is_dropped(where):
    a = _store(where, "a")
    key = UnitKey("story", "s")
    a.commit([Change(key, "banmian: 1\n", 0)])
    cursor = a.changes(None)[0]
    with open(where / ".banmian" / "journal.jsonl", "ab") as fh:
        fh.write(b'{"key": "story:s", "vers')               # a crash mid-append
    assert a.changes(cursor) == (cursor, [])
    a.commit([Change(key, "banmian: 1\n# 2\n", 1)])
    _, seen = a.changes(cursor)
    assert [(i.key, i.version) for i in seen] == [(key, 2)]


def test_wait_sees_another_process_commit(where):
    a = _store(where, "a")
    a.wait(0)
    code = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from store.folder import FolderStore
        from store.base import Change, Desk, UnitKey
        time.sleep(0.3)
        FolderStore({str(where)!r}, Desk.here("b")).commit(
            [Change(UnitKey("story", "n"), "banmian: 1\\n", 0)])
    """)
    proc = subprocess.Popen([sys.executable, "-c", code])
    try:
        t0 = time.monotonic()
        assert a.wait(30.0)
        assert time.monotonic() - t0 < 25
    finally:
        proc.wait(60)
    assert UnitKey("story", "n") in a.units()


def test_removed_units_keep_counting_versions(where):
    a, b = _store(where, "甲"), _store(where, "乙")
    key = UnitKey("story", "gone")
    a.commit([Change(key, "banmian: 1\n", 0)])
    a.commit([Change(key, None, 1)])
    with pytest.raises(Exception, match="removed by 甲"):
        b.commit([Change(key, "banmian: 1\n# b\n", 1)])
    info = b.commit([Change(key, "banmian: 1\n# again\n", 0)])[key]
    assert info.version == 3                 # never 1 again: an old base cannot sneak in


def test_a_folder_it_cannot_write_sees_a_crashed_commit_as_done(two, monkeypatch):
    a = _store(two, "a")

    def hook(name):
        if name == "renamed":
            raise Boom(name)
    monkeypatch.setattr(fs, "_hook", hook)
    with pytest.raises(Boom):
        a.commit(_two_changes(a))
    monkeypatch.setattr(fs, "_hook", None)
    monkeypatch.setattr(fs.os, "access", lambda p, mode: False)
    r = _store(two, "r", create=False)
    assert r.folder_read_only
    got = r.read()
    assert {k.name: d.text for k, d in got.items()} == \
        {n: f"banmian: 1\n# new {n}\n" for n in ("s1", "s2")}
    assert {i.version for i in r.units().values()} == {2}
    assert (two / ".banmian" / "intent.json").exists()         # nothing written by it


def test_readers_never_see_half_a_commit(two):
    """A process commits both units again and again; every read here shows them equal."""
    code = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from store.folder import FolderStore
        from store.base import Change, Desk, UnitKey
        st = FolderStore({str(two)!r}, Desk.here("w"))
        keys = [UnitKey("story", "s1"), UnitKey("story", "s2")]
        for n in range(1, 121):
            got = st.read(keys)
            st.commit([Change(k, f"banmian: 1\\n# {{n}}\\n", got[k].version) for k in keys])
            time.sleep(0.01)      # room for the reader on a busy machine: it must see many states
    """)
    proc = subprocess.Popen([sys.executable, "-c", code])
    r = _store(two, "r")
    seen = set()
    try:
        while proc.poll() is None:
            got = r.read()
            texts = {d.text.replace(f" {k.name}", "") for k, d in got.items()}   # "old s1"…
            assert len(texts) == 1, texts
            seen |= texts
    finally:
        assert proc.wait(120) == 0
    assert len(seen) > 3 and r.units()[UnitKey("story", "s1")].version == 121
