"""A whole compose shared with forked children (``Composer(workers=N)``, as the command
line composes) equals the compose one process makes alone: the pages, copyfit and
findings, with and without the layout cache, and the PDFs drawn from them.  A child
that fails, or is killed, leaves its share to the parent; an error in the parent's own
share leaves no child behind.  The composes run in a fresh interpreter (a process with
Qt loaded never forks)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

import pytest

from common import forked as fk
from support.paths import MAIN

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork: Linux")

SCRIPT = r"""
import hashlib, json, os, signal, sys, tempfile
from pathlib import Path
from layout import compose as C
from layout.compose import Composer, compose_issue
from layout.diskcache import LayoutDiskCache
from fonts import FontSet, default_library
from support.bigissue import big_issue
from support.paths import SAMPLE

C.PARALLEL_MIN_CHARS = 0                 # a small issue shared all the same
mode, out_dir = sys.argv[1], Path(sys.argv[2])
issue = big_issue(6, vary=True)
fs = FontSet(issue.fonts, default_library())
base = str(SAMPLE.parent)


def digest(res):
    return hashlib.sha1(repr((res.pages, res.copyfit, res.diagnostics)).encode()).hexdigest()


if mode == "child-fails":
    real = Composer._child_share
    def failing(self, *a):
        raise RuntimeError("a child's share fails")
    Composer._child_share = failing
elif mode == "child-killed":          # after taking a part from the queue
    Composer._child_part = lambda self, *a: os.kill(os.getpid(), signal.SIGKILL)
elif mode == "parent-fails":
    real_pass = Composer._story_pass
    def story_pass(self, flow, story, *a):
        if story.id == next(iter(issue.stories)):
            raise RuntimeError("the parent's share fails")
        return real_pass(self, flow, story, *a)
    Composer._story_pass = story_pass
    try:
        Composer(issue, fs, base_dir=base, workers=2).compose()
    except RuntimeError as exc:
        left = []
        try:
            while True:
                pid, _ = os.waitpid(-1, os.WNOHANG)
                if pid == 0:
                    left.append("running")
                    break
                left.append(pid)
        except ChildProcessError:
            pass
        print(json.dumps({"error": str(exc), "children_left": left}))
    sys.exit(0)

alone = Composer(issue, fs, base_dir=base)
res1 = alone.compose()
shared = Composer(issue, fs, base_dir=base, workers=2)
res2 = shared.compose()
out = {"alone": digest(res1), "shared": digest(res2), "stats": shared.stats,
       "stats_alone": alone.stats, "pages": len(res2.pages)}
if mode == "plain":
    # an export's compose: the layout cache written by both processes, then read back
    # after an edit; the PDFs of both composes
    cache = out_dir / "cache"
    disk = LayoutDiskCache(cache / "layout")
    res3 = Composer(issue, fs, base_dir=base, workers=2, disk=disk).compose()
    out["disk"] = digest(res3)
    # its pages stored under the names a compose alone gives them (the writer knows a
    # page by it), each once
    res3_alone = Composer(issue, fs, base_dir=base,
                          disk=LayoutDiskCache(out_dir / "cache-alone")).compose()
    out["names"] = [p.composed_from for p in res3.pages]
    out["names_alone"] = [p.composed_from for p in res3_alone.pages]
    out["pages_written"] = len([k for k in disk.written if k.startswith("page-")])
    again = Composer(issue, fs, base_dir=base, workers=2, disk=LayoutDiskCache(cache / "layout"))
    out["disk_again"] = digest(again.compose())         # the whole result, as stored
    out["again_filled"] = again.stats["frames_filled"]
    out["disk_fills_written"] = len([k for k in disk.written if k.startswith("fill-")])
    out["disk_stats"] = dict(disk.stats)
    story = list(issue.stories.values())[-1]
    story.paragraphs[-1].runs[-1].text += "（补充一句。）"
    disk2 = LayoutDiskCache(cache / "layout")
    res4 = Composer(issue, fs, base_dir=base, workers=2, disk=disk2).compose()
    res5 = Composer(issue, fs, base_dir=base).compose()
    out["edited"], out["edited_alone"] = digest(res4), digest(res5)
    out["edited_fill_hits"] = disk2.stats["hits"]
    from output import PdfOptions, export_pdf
    for name, res in (("alone", res1), ("shared", res3)):
        export_pdf(res, fs, str(out_dir / f"{name}.pdf"), PdfOptions(mode="proof"), force=True)
print(json.dumps(out))
"""


def _run(tmp_path, mode: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(MAIN.parent), BANMIAN_CACHE_DIR=str(tmp_path / "c"))
    env.pop("QT_QPA_PLATFORM", None)
    proc = subprocess.run([sys.executable, "-c", SCRIPT, mode, str(tmp_path)], env=env,
                          cwd=str(MAIN.parent), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_a_shared_compose_equals_one_made_alone_and_so_do_its_pdfs(tmp_path):
    got = _run(tmp_path, "plain")
    assert got["pages"] == 6
    # the child passed stories and whole pages of its own
    assert got["stats"]["stories_forked"] >= 2 and got["stats"]["pages_forked"] >= 2
    assert got["stats_alone"]["stories_forked"] == 0
    assert got["shared"] == got["alone"]
    # with the layout cache: the same result; the child's fills are in the cache (their
    # names came back), and after a one-paragraph edit a shared compose reads them
    assert got["disk"] == got["alone"] == got["disk_again"]
    assert got["again_filled"] == 0
    assert got["names"] == got["names_alone"] and all(got["names"])
    assert got["pages_written"] == 6
    assert got["disk_fills_written"] >= 6
    assert got["edited"] == got["edited_alone"] != got["alone"]
    assert got["edited_fill_hits"] > 0
    pymupdf = pytest.importorskip("pymupdf")
    with pymupdf.open(tmp_path / "alone.pdf") as a, pymupdf.open(tmp_path / "shared.pdf") as b:
        assert len(a) == len(b) == 6
        for pa, pb in zip(a, b):
            assert pa.get_text() == pb.get_text()
            assert pa.get_pixmap(dpi=30).samples == pb.get_pixmap(dpi=30).samples


@pytest.mark.parametrize("mode", ["child-fails", "child-killed"])
def test_a_childs_share_that_does_not_come_back_is_done_by_the_parent(tmp_path, mode):
    got = _run(tmp_path, mode)
    assert got["shared"] == got["alone"]
    assert got["stats"]["stories_forked"] == 0 and got["stats"]["pages_forked"] == 0


def test_an_error_in_the_parents_share_leaves_no_child(tmp_path):
    got = _run(tmp_path, "parent-fails")
    assert got == {"error": "the parent's share fails", "children_left": []}


def test_the_queue_hands_each_number_out_once_across_processes():
    queue = fk.Queue(3000)

    def work():
        return ",".join(str(i) for i in queue.taken()).encode()
    children = fk.Forked(2, work, queue)
    try:
        here = list(queue.taken())
        got = children.results()
    finally:
        children.close()
    theirs = [int(x) for data in got for x in data.decode().split(",") if x]
    assert sorted(here + theirs) == list(range(3000))
    assert here == sorted(here)                 # each process takes them in order
    with pytest.raises(ValueError):
        fk.Queue(fk.Queue.MAX + 1)


def test_workers_follow_the_environment(monkeypatch):
    monkeypatch.setenv(fk.WORKERS_ENV, "3")
    assert fk.default_workers() == 3
    monkeypatch.setenv(fk.WORKERS_ENV, "0")
    assert fk.default_workers() == 1
    monkeypatch.setenv(fk.WORKERS_ENV, "lots")
    assert 1 <= fk.default_workers() <= fk.MAX_WORKERS
    monkeypatch.delenv(fk.WORKERS_ENV)
    assert 1 <= fk.default_workers() <= min(fk.MAX_WORKERS, os.cpu_count() or 1)


def test_no_fork_beside_another_thread():
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        assert not fk.can_fork()
    finally:
        stop.set()
        t.join()


def test_forked_children_send_bytes_back_and_failures_as_none():
    queue = fk.Queue(3)

    def work():                                     # one number each
        i = next(queue.taken())
        if i == 1:
            raise ValueError("boom")
        return str(i).encode() * 100_000          # more than a pipe holds

    children = fk.Forked(3, work, queue)
    try:
        got = children.results()
    finally:
        children.close()
    assert [g is None for g in got].count(True) == 1   # the child that took 1
    sent = sorted(g[:1] for g in got if g is not None)
    assert sent == [b"0", b"2"]
    assert all(g == g[:1] * 100_000 for g in got if g is not None)


def test_the_command_line_exports_the_same_pdf_in_one_process_or_more(tmp_path):
    """``main.py export`` of a 12-page issue (enough text to share) with
    ``BANMIAN_WORKERS`` 2 and 1: the same text and pixels on every page."""
    from layout.docfile import save_issue
    from support.bigissue import big_issue
    from support.paths import SAMPLE
    issue = big_issue(12, vary=True)
    assert sum(len(p.text) for s in issue.stories.values() for p in s.paragraphs) >= 20_000
    save_issue(issue, tmp_path / "big.yaml")
    (tmp_path / "photo.jpg").write_bytes((SAMPLE.parent / "photo.jpg").read_bytes())
    pdfs = {}
    for n in ("1", "2"):
        env = dict(os.environ, BANMIAN_WORKERS=n, BANMIAN_CACHE_DIR=str(tmp_path / "cache"))
        env.pop("QT_QPA_PLATFORM", None)
        out = tmp_path / f"w{n}.pdf"
        if (tmp_path / "cache" / "layout").exists():     # the fonts kept, no layout
            import shutil
            shutil.rmtree(tmp_path / "cache" / "layout")
            shutil.rmtree(tmp_path / "cache" / "pages", ignore_errors=True)
        got = subprocess.run([sys.executable, str(MAIN), "export", str(tmp_path / "big.yaml"),
                              "-o", str(out), "--no-round"], env=env, capture_output=True,
                             text=True, timeout=600)
        assert got.returncode == 0, got.stderr[-2000:]
        pdfs[n] = out
    pymupdf = pytest.importorskip("pymupdf")
    with pymupdf.open(pdfs["1"]) as a, pymupdf.open(pdfs["2"]) as b:
        assert len(a) == len(b) == 12
        for pa, pb in zip(a, b):
            assert pa.get_text() == pb.get_text()
            assert pa.get_pixmap(dpi=30).samples == pb.get_pixmap(dpi=30).samples
