"""Crash safety: a save or an autosave killed (SIGKILL) at a random moment never loses the file.

A child Python saves a big issue in a loop — alternating between two versions
A and B — and is killed after a random delay.  Afterwards the file under the
real name must load, and hold exactly A or B; the only other files allowed
beside it are the save's own temporaries (``.<name>.*.tmp``), which
``layout.lockfile.clean_temporaries`` removes later.

The recovery file is the editor's (``editor.autosave``: ``recovery_path``,
``newer_recovery``, ``Autosaver.save_now``), exercised here in a child
process with a real ``editor.document.Document`` and undo stack.

Kills per test: ``BANMIAN_CRASH_KILLS`` (default 8); the ``slow`` variants
(``pytest -m slow``) kill 150 times.
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from common.fs import cache_dir
from layout.docfile import atomic_write, dump_issue, load_issue, save_issue
from layout.lockfile import clean_temporaries
from support.paths import ROOT

KILLS = int(os.environ.get("BANMIAN_CRASH_KILLS", "8"))
SLOW_KILLS = 150

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")

CHILD = r"""
import os, sys, time
mode, target, a, b = sys.argv[1:5]
from layout.docfile import atomic_write, load_issue, save_issue
if mode == "save":
    versions = [load_issue(b), load_issue(a)]
    step = lambda i: save_issue(versions[i % 2], target)
elif mode == "write":
    versions = [open(b, "rb").read(), open(a, "rb").read()]
    step = lambda i: atomic_write(target, versions[i % 2])
elif mode == "autosave":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication
    app = QCoreApplication([])
    from support.fakefont import SquareFontSet
    from layout import edits as E
    from editor.document import Document
    from editor.autosave import Autosaver
    issue_path = sys.argv[5]
    doc = Document(load_issue(a), SquareFontSet(), issue_path)
    saver = Autosaver(doc, os.environ["BANMIAN_CACHE_DIR"], interval_ms=10**9, every=10**9)
    assert str(saver.path) == target, (saver.path, target)
    fid = sys.argv[6]
    def step(i):
        locked = doc.issue.frame(fid)[1].locked
        doc.push(E.SetFrame(fid, locked=not locked))      # A -> B -> A ...
        assert saver.save_now()
print("ready", flush=True)
i = 0
while True:
    step(i)
    i += 1
    if i == 1:
        print("saved", flush=True)
"""


def _child(mode: str, target: Path, a: Path, b: Path, *extra: str) -> subprocess.Popen:
    env = dict(os.environ, BANMIAN_CACHE_DIR=str(cache_dir()))
    return subprocess.Popen([sys.executable, "-c", CHILD, mode, str(target), str(a), str(b), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            cwd=str(ROOT))


def _versions(tmp_path: Path, pages: int = 24):
    """Two versions of a big issue as files a.yaml, b.yaml, and their models and bytes."""
    from support.bigissue import big_issue
    a = big_issue(pages)
    b = big_issue(pages)
    fid = b.pages[0].frames[0].id
    b.frame(fid)[1].locked = True                 # B = A with one frame locked
    pa, pb = tmp_path / "a.yaml", tmp_path / "b.yaml"
    save_issue(a, pa)
    save_issue(b, pb)
    return pa, pb, load_issue(pa), load_issue(pb), pa.read_bytes(), pb.read_bytes(), fid


def _kill_loop(tmp_path, mode, target: Path, kills: int, window: float, *extra: str,
               a_b=None, after=None):
    """Start the child ``kills`` times, kill it after a random delay, check the target."""
    pa, pb, ma, mb, ba, bb = a_b
    rng = random.Random(int(os.environ.get("BANMIAN_CRASH_SEED", "8")))
    seen = {"A": 0, "B": 0}
    for k in range(kills):
        proc = _child(mode, target, pa, pb, *extra)
        try:
            line = proc.stdout.readline()
            assert line.strip() == "ready", proc.stderr.read()
            if k % 4 == 0:                         # sometimes wait for a complete save first
                assert proc.stdout.readline().strip() == "saved", proc.stderr.read()
            time.sleep(rng.uniform(0, window))
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=60)
            assert proc.returncode == -signal.SIGKILL, proc.stderr.read()
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stdout.close()
            proc.stderr.close()
        data = target.read_bytes()
        assert data in (ba, bb), f"kill {k}: a half-written {target.name} ({len(data)} bytes)"
        got = load_issue(target)
        assert got in (ma, mb)
        seen["A" if got == ma else "B"] += 1
        strays = [p.name for p in target.parent.iterdir()
                  if p.name.startswith(".") and p.name not in (target.name,)
                  and not p.name.startswith(f".{target.name}.")]
        assert not [s for s in strays if not s.endswith((".yaml", ".lock"))], strays
        if after is not None:
            after(k)
    # the loop did overwrite the file: the first kill waited for the child's first save,
    # which writes B; which version a later kill leaves is chance (A and B alternate), so
    # only a long run must have found both under the real name
    assert seen["B"] > 0 or kills < 20, seen
    return seen


@pytest.fixture
def versions(tmp_path):
    return _versions(tmp_path)


def _issue_dir(tmp_path, versions) -> Path:
    pa, pb, ma, mb, ba, bb, fid = versions
    d = tmp_path / "shared"
    d.mkdir()
    (d / "issue.yaml").write_bytes(ba)
    return d / "issue.yaml"


def _run_save(tmp_path, versions, mode, kills):
    target = _issue_dir(tmp_path, versions)
    pa, pb, ma, mb, ba, bb, fid = versions
    window = 1.0 if mode == "save" else 0.3
    _kill_loop(tmp_path, mode, target, kills, window, a_b=(pa, pb, ma, mb, ba, bb))
    # leftovers are only the save's temporaries, and clean_temporaries removes them
    left = [p for p in target.parent.iterdir() if p != target]
    assert all(p.name.startswith(".issue.yaml.") and p.name.endswith(".tmp") for p in left), left
    assert sorted(clean_temporaries(target, older_than=0)) == sorted(left)
    assert [p.name for p in target.parent.iterdir()] == ["issue.yaml"]


def test_killed_save_leaves_old_or_new_issue(tmp_path, versions):
    _run_save(tmp_path, versions, "save", KILLS)


def test_killed_atomic_write_leaves_old_or_new_issue(tmp_path, versions):
    # precomputed bytes: the kills land in write / fsync / rename, not in YAML dumping
    _run_save(tmp_path, versions, "write", KILLS)


@pytest.mark.slow
def test_killed_save_many_times(tmp_path, versions):
    _run_save(tmp_path, versions, "save", SLOW_KILLS)


@pytest.mark.slow
def test_killed_atomic_write_many_times(tmp_path, versions):
    _run_save(tmp_path, versions, "write", SLOW_KILLS)


def _run_autosave(tmp_path, versions, kills):
    pytest.importorskip("PySide6")
    from editor.autosave import newer_recovery, recovery_path
    issue = _issue_dir(tmp_path, versions)
    pa, pb, ma, mb, ba, bb, fid = versions
    rec = recovery_path(str(issue), "")
    assert rec.parent == issue.parent and rec.name == ".issue.banmian-recovery.yaml"
    rec.write_bytes(ba)
    old = time.time() - 3600
    os.utime(issue, (old, old))                    # the issue was saved an hour ago

    def after(k):
        assert issue.read_bytes() == ba            # autosave never touches the issue itself
        assert newer_recovery(str(issue)) == rec   # and the editor would offer to recover
        rec.write_bytes(ba)                        # the next child starts from A again

    _kill_loop(tmp_path, "autosave", rec, kills, 1.0, str(issue), fid,
               a_b=(pa, pb, ma, mb, ba, bb), after=after)
    left = [p for p in issue.parent.iterdir() if p not in (issue, rec)]
    assert all(p.name.startswith(f".{rec.name}.") and p.name.endswith(".tmp") for p in left), left
    clean_temporaries(rec, older_than=0)
    assert sorted(p.name for p in issue.parent.iterdir()) == [rec.name, "issue.yaml"]


def test_killed_autosave_leaves_a_loadable_recovery_file(tmp_path, versions):
    _run_autosave(tmp_path, versions, max(4, KILLS // 2))


@pytest.mark.slow
def test_killed_autosave_many_times(tmp_path, versions):
    _run_autosave(tmp_path, versions, SLOW_KILLS // 2)


# ------------------------------------------------------------------ atomic_write itself
def test_atomic_write_failure_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "issue.yaml"
    target.write_bytes(b"old")

    def boom(fd):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(OSError):
        atomic_write(target, b"new" * 1000)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["issue.yaml"]    # temporary removed


def test_atomic_write_keeps_the_files_permissions(tmp_path):
    # mkstemp makes 0600 files: a shared issue must stay readable for colleagues
    target = tmp_path / "issue.yaml"
    target.write_bytes(b"old")
    os.chmod(target, 0o664)
    atomic_write(target, b"new")
    assert target.stat().st_mode & 0o777 == 0o664
    new = tmp_path / "new.yaml"
    mask = os.umask(0o022)
    try:
        atomic_write(new, b"x")
    finally:
        os.umask(mask)
    assert new.stat().st_mode & 0o777 == 0o644


def test_clean_temporaries_keeps_young_ones_and_other_files(tmp_path):
    target = tmp_path / "issue.yaml"
    target.write_bytes(b"x")
    young = tmp_path / ".issue.yaml.abc.tmp"
    old = tmp_path / ".issue.yaml.def.tmp"
    other = tmp_path / ".other.yaml.ghi.tmp"
    for p in (young, old, other):
        p.write_bytes(b"half")
    t = time.time() - 3600
    os.utime(old, (t, t))
    os.utime(other, (t, t))
    assert clean_temporaries(target) == [old]
    assert young.exists() and other.exists() and not old.exists()
    assert dump_issue is not None
