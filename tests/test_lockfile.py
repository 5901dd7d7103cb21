"""Shared-folder locks (layout.lockfile): who holds an issue, dead and stale locks, races;
"changed on disk" fingerprints."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from layout import lockfile as L
from layout import model as m
from layout.docfile import load_issue, save_issue
from support.locks import dead_pid, forge

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def issue_path(tmp_path):
    p = tmp_path / "issue.yaml"
    save_issue(m.Issue(fonts=m.default_fonts(), paragraph_styles=m.default_styles()), p)
    return p


HOLDER = """
import sys
from layout import lockfile
got = lockfile.acquire(sys.argv[1])
print("LOCK" if isinstance(got, lockfile.Lock) else "HELD", flush=True)
sys.stdin.read()
if isinstance(got, lockfile.Lock):
    got.release()
"""


def holder_process(path, wait_for: Path | None = None):
    code = HOLDER
    if wait_for is not None:            # start together: spin until the start file appears
        code = code.replace("got = ", f"import os, time\nwhile not os.path.exists({str(wait_for)!r}):"
                                      f" time.sleep(0.001)\ngot = ", 1)
    return subprocess.Popen([sys.executable, "-c", code, str(path)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, cwd=str(ROOT))


# ------------------------------------------------------------------ locks
def test_lock_file_says_who_and_is_removed_on_release(issue_path):
    lock = L.acquire(issue_path)
    assert isinstance(lock, L.Lock)
    lp = issue_path.parent / ".issue.yaml.lock"
    assert lock.lock == lp and lp.exists()
    d = json.loads(lp.read_text("utf-8"))
    assert d["pid"] == os.getpid() and d["host"] == socket.gethostname()
    assert d["user"] and d["app"].startswith("banmian ") and abs(d["time"] - time.time()) < 60
    assert lock.held() and lock.touch()
    lock.release()
    assert not lp.exists()
    lock.release()                                  # idempotent
    assert [p.name for p in issue_path.parent.iterdir()] == ["issue.yaml"]   # no temporaries


def test_second_opener_gets_lock_held_with_the_holder(issue_path):
    with L.acquire(issue_path) as lock:
        held = L.acquire(issue_path)
        assert isinstance(held, L.LockHeld)
        assert held.info.token == lock.info.token and held.mine and not held.stale
        text = held.describe()
        assert held.info.user in text and socket.gethostname() in text and str(os.getpid()) in text
        assert L.holder(issue_path).pid == os.getpid()
    assert isinstance(L.acquire(issue_path), L.Lock)


def test_other_process_holds_then_dies(issue_path):
    proc = holder_process(issue_path)
    try:
        assert proc.stdout.readline().strip() == "LOCK"
        held = L.acquire(issue_path)
        assert isinstance(held, L.LockHeld) and not held.stale and not held.mine
        assert held.info.pid == proc.pid
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        lock = L.acquire(issue_path)               # dead holder on this host: cleared
        assert isinstance(lock, L.Lock)
        lock.release()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_dead_pid_on_this_host_is_cleared(issue_path):
    forge(issue_path, user="someone", pid=dead_pid(), started="")
    lock = L.acquire(issue_path)
    assert isinstance(lock, L.Lock)
    assert L.holder(issue_path).token == lock.info.token


def test_reused_pid_or_reboot_is_cleared(issue_path):
    forge(issue_path, pid=os.getpid(), started="1")        # our pid, but another process's start
    if L._start_ticks(os.getpid()):
        assert isinstance(L.acquire(issue_path), L.Lock)
        L.lock_path(issue_path).unlink()
    forge(issue_path, pid=os.getpid(), boot="another-boot")
    if L._boot_id():
        assert isinstance(L.acquire(issue_path), L.Lock)


def test_other_host_fresh_lock_is_held_not_stale(issue_path):
    forge(issue_path, host="desk-3.example", user="张三", pid=4242)
    held = L.acquire(issue_path)
    assert isinstance(held, L.LockHeld) and not held.stale
    assert "张三" in held.describe() and "desk-3.example" in held.describe()


def test_other_host_old_lock_is_stale_but_not_cleared(issue_path):
    info = forge(issue_path, host="desk-3.example", pid=4242, age_hours=13)
    held = L.acquire(issue_path, stale_hours=12)
    assert isinstance(held, L.LockHeld) and held.stale and "stale" in held.describe()
    assert L.holder(issue_path).token == info.token          # still there
    assert isinstance(L.acquire(issue_path, stale_hours=24), L.LockHeld)
    assert not L.acquire(issue_path, stale_hours=24).stale
    assert L.break_lock(issue_path, held)                     # the user chose to break it
    assert isinstance(L.acquire(issue_path), L.Lock)


def test_break_lock_refuses_a_lock_that_changed(issue_path):
    forge(issue_path, host="desk-3.example", age_hours=20)
    held = L.acquire(issue_path)
    newer = forge(issue_path, host="desk-4.example")          # someone else took it meanwhile
    assert not L.break_lock(issue_path, held)
    assert L.holder(issue_path).token == newer.token


def test_unreadable_lock_is_reported_stale(issue_path):
    lp = L.lock_path(issue_path)
    lp.write_bytes(b"")
    os.utime(lp, (time.time() - 60, time.time() - 60))
    held = L.acquire(issue_path)
    assert isinstance(held, L.LockHeld) and held.info is None and held.stale
    assert "unreadable" in held.describe()
    assert L.break_lock(issue_path, held)
    assert isinstance(L.acquire(issue_path), L.Lock)


def test_release_keeps_a_lock_someone_else_took_over(issue_path):
    lock = L.acquire(issue_path)
    L.lock_path(issue_path).unlink()                          # broken by a colleague
    other = forge(issue_path, host="desk-3.example")          # who then opened it
    assert not lock.held() and not lock.touch()
    lock.release()
    assert L.holder(issue_path).token == other.token


def test_touch_refreshes_the_heartbeat(issue_path):
    lock = L.acquire(issue_path)
    old = time.time() - 20 * 3600
    os.utime(lock.lock, (old, old))
    assert lock.touch()
    assert time.time() - lock.lock.stat().st_mtime < 60


def test_simultaneous_openers_exactly_one_wins(tmp_path, issue_path):
    go = tmp_path / "go"
    procs = [holder_process(issue_path, wait_for=go) for _ in range(8)]
    try:
        time.sleep(0.5)
        go.touch()
        results = [p.stdout.readline().strip() for p in procs]
        assert sorted(results) == ["HELD"] * 7 + ["LOCK"], results
    finally:
        for p in procs:
            p.stdin.close()
            p.wait(timeout=30)
    assert not L.lock_path(issue_path).exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith((".tmp", ".broken"))]


def test_lock_info_from_garbage_is_none():
    assert L.LockInfo.from_json(b"\xff\xfe") is None
    assert L.LockInfo.from_json(b"[1, 2]") is None
    info = L.LockInfo.from_json(b'{"pid": "x", "user": 3, "host": "h", "time": 5}')
    assert info == L.LockInfo(host="h", time=5.0)


# ------------------------------------------------------------------ changed on disk
def test_fingerprint_and_changed_since(issue_path):
    fp = L.fingerprint(issue_path)
    assert fp.size == issue_path.stat().st_size and len(fp.sha256) == 64
    assert not L.changed_since(issue_path, fp)
    os.utime(issue_path, (1, 1))                                # touched: same content
    assert not L.changed_since(issue_path, fp)
    issue_path.write_text(issue_path.read_text("utf-8") + "\n# edited\n", "utf-8")
    assert L.changed_since(issue_path, fp)
    with pytest.raises(L.ChangedOnDisk, match="changed on disk"):
        L.check_unchanged(issue_path, fp)
    issue_path.unlink()
    assert L.changed_since(issue_path, fp)
    with pytest.raises(L.ChangedOnDisk, match="deleted"):
        L.check_unchanged(issue_path, fp)
    assert L.fingerprint(issue_path) is None and not L.changed_since(issue_path, None)


def test_save_checked_refuses_to_overwrite_a_colleagues_save(issue_path):
    mine = load_issue(issue_path)
    seen = L.fingerprint(issue_path)
    theirs = load_issue(issue_path)
    theirs.info.paper_name = "他们的报"
    save_issue(theirs, issue_path)                              # a colleague saved meanwhile
    mine.info.paper_name = "我的报"
    with pytest.raises(L.ChangedOnDisk):
        L.save_checked(mine, issue_path, seen)
    assert load_issue(issue_path).info.paper_name == "他们的报"  # nothing lost
    seen = L.fingerprint(issue_path)
    seen = L.save_checked(mine, issue_path, seen)               # after reloading / choosing
    assert load_issue(issue_path).info.paper_name == "我的报"
    assert seen == L.fingerprint(issue_path)
