"""A re-export after an edit, made the way the command line makes it (the model from the
file or the model cache, the result from the layout cache's whole results and frames,
the pages the writer keeps), equals an export from scratch (no layout cache, no kept
pages): the same text on every page and the same pixels.  Edits: a story whose thread
jumps across pages, a paragraph style, and none (an unchanged issue read back).
Also: the command line module behind main.py, and Pillow loaded only when used."""
from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import datetime

import pytest

from layout.docfile import load_issue, save_issue
from support.paths import MAIN, SAMPLE

WHEN = datetime(2026, 3, 1, 9, 30)          # the slug's time, fixed for both exports


def _export(tmp_path, monkeypatch, issue_file, cache, out, *, memo=True):
    """(the PDF, pages drawn) of ``issue_file`` exported as ``main.py export`` does."""
    import dataclasses

    import main
    import output.pdf as P
    from output import PdfOptions, export_pdf
    monkeypatch.setenv("BANMIAN_CACHE_DIR", str(cache))
    issue, fontset, result = main.compose(str(issue_file))
    if not memo:
        result = dataclasses.replace(result, pages=tuple(
            dataclasses.replace(p, composed_from="") for p in result.pages))
    drawn = []
    monkeypatch.setattr(P._Writer, "begin_page",
                        lambda self, page, real=P._Writer.begin_page: drawn.append(page.number)
                        or real(self, page))
    export_pdf(result, fontset, str(tmp_path / out),
               PdfOptions.from_issue(issue, "proof", export_time=WHEN))
    monkeypatch.setattr(P._Writer, "begin_page", P._Writer.begin_page)
    return tmp_path / out, drawn


def _same(pymupdf, a, b):
    with pymupdf.open(a) as da, pymupdf.open(b) as db:
        assert len(da) == len(db)
        for pa, pb in zip(da, db):
            assert pa.get_text() == pb.get_text()
            assert pa.get_pixmap(dpi=30).samples == pb.get_pixmap(dpi=30).samples


def _scratch(tmp_path, warm):
    """A cache folder with the fonts of ``warm`` known but nothing laid out or drawn."""
    fresh = tmp_path / f"scratch-{len(list(tmp_path.glob('scratch-*')))}"
    shutil.copytree(warm / "fonts", fresh / "fonts")
    return fresh


@pytest.fixture
def issue_file(tmp_path):
    shutil.copy(SAMPLE.parent / "photo.jpg", tmp_path / "photo.jpg")
    path = tmp_path / "issue.yaml"
    shutil.copy(SAMPLE, path)
    return path


def test_a_reexport_after_editing_a_story_that_jumps_equals_one_from_scratch(
        tmp_path, monkeypatch, issue_file):
    pymupdf = pytest.importorskip("pymupdf")
    cache = tmp_path / "cache"
    _export(tmp_path, monkeypatch, issue_file, cache, "first.pdf")
    iss = load_issue(issue_file)
    page_of = {f.id: p.number for p in iss.pages for f in p.frames}
    story = next(st for st in iss.stories.values()
                 if st.thread and len({page_of[f] for f in st.thread}) > 1)
    # text added at its start pushes every line after it on, across the jump
    story.paragraphs[0].runs[0].text = "补一句开头的话，" + story.paragraphs[0].runs[0].text
    save_issue(iss, issue_file)
    again, drawn = _export(tmp_path, monkeypatch, issue_file, cache, "again.pdf")
    assert set(drawn) >= {page_of[f] for f in story.thread}      # its pages drawn anew
    fresh, _ = _export(tmp_path, monkeypatch, issue_file, _scratch(tmp_path, cache),
                       "fresh.pdf", memo=False)
    _same(pymupdf, again, fresh)
    with pymupdf.open(again) as d:
        assert "补一句开头的话" in "".join(p.get_text() for p in d).replace("\n", "")


def test_a_reexport_after_changing_a_style_equals_one_from_scratch(
        tmp_path, monkeypatch, issue_file):
    pymupdf = pytest.importorskip("pymupdf")
    cache = tmp_path / "cache"
    _export(tmp_path, monkeypatch, issue_file, cache, "first.pdf")
    iss = load_issue(issue_file)
    used = {p.style for st in iss.stories.values() for p in st.paragraphs}
    name = next(n for n in iss.paragraph_styles if n in used)
    style = iss.paragraph_styles[name]
    style.indent += 1                                         # every paragraph in it moves
    save_issue(iss, issue_file)
    again, drawn = _export(tmp_path, monkeypatch, issue_file, cache, "again.pdf")
    assert drawn                                              # not replayed as it was
    fresh, _ = _export(tmp_path, monkeypatch, issue_file, _scratch(tmp_path, cache),
                       "fresh.pdf", memo=False)
    _same(pymupdf, again, fresh)
    with pymupdf.open(tmp_path / "first.pdf") as a, pymupdf.open(again) as b:
        assert [p.get_pixmap(dpi=30).samples for p in a] != \
            [p.get_pixmap(dpi=30).samples for p in b]               # the style told


def test_the_preflight_is_kept_while_nothing_it_checks_changes(tmp_path, monkeypatch,
                                                               issue_file):
    """An export of pages composed before reuses the preflight's findings (print: the
    RGB photo is found each time); a changed image file checks its page anew, an edit
    the pages it changed."""
    import os

    import main
    from output import PdfOptions, export_pdf
    PF = sys.modules["output.preflight"]      # (the package's ``preflight`` is the function)
    monkeypatch.setenv("BANMIAN_CACHE_DIR", str(tmp_path / "cache"))
    ran = []                                  # the pages checked
    monkeypatch.setattr(PF, "_page_checks", lambda page, *a, real=PF._page_checks:
                        ran.append(page.number) or real(page, *a))

    def export():
        ran.clear()
        issue, fontset, result = main.compose(str(issue_file))
        opts = PdfOptions.from_issue(issue, "print", export_time=WHEN)
        found = export_pdf(result, fontset, str(tmp_path / "p.pdf"), opts, force=True)
        return [(d.level, d.code, d.message, d.page, d.frame) for d in found], result
    first, result = export()
    numbers = [p.number for p in result.pages]
    assert ran == numbers and len(numbers) > 1
    rgb = [d for d in first if d[1] == "image-rgb-converted"]
    assert rgb
    assert export()[0] == first and ran == []                 # kept
    photo = tmp_path / "photo.jpg"
    st = photo.stat()
    os.utime(photo, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    found, before = export()
    assert found == first and ran == sorted({d[3] for d in rgb})   # its page again
    iss = load_issue(issue_file)
    story = next(st for st in iss.stories.values() if st.paragraphs)
    story.paragraphs[0].runs[0].text += "再补一句。"
    save_issue(iss, issue_file)
    _again, after = export()
    changed = [a.number for a, b in zip(before.pages, after.pages)
               if a.composed_from != b.composed_from]
    assert changed and ran == changed                         # the pages it changed


def test_an_unchanged_reexport_replays_every_page_and_equals_one_from_scratch(
        tmp_path, monkeypatch, issue_file):
    pymupdf = pytest.importorskip("pymupdf")
    cache = tmp_path / "cache"
    _export(tmp_path, monkeypatch, issue_file, cache, "first.pdf")
    again, drawn = _export(tmp_path, monkeypatch, issue_file, cache, "again.pdf")
    assert drawn == []                                        # every page replayed
    fresh, _ = _export(tmp_path, monkeypatch, issue_file, _scratch(tmp_path, cache),
                       "fresh.pdf", memo=False)
    _same(pymupdf, again, fresh)


def test_main_is_the_command_line_module():
    """``import main`` gives banmian_cli itself (so a test's monkeypatch of main reaches
    the commands), and ``python main.py`` runs it."""
    import banmian_cli
    import main
    assert main is banmian_cli
    out = subprocess.run([sys.executable, str(MAIN), "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "export" in out.stdout
    out = subprocess.run([sys.executable, str(MAIN), "export", "/nonexistent/x.yaml"],
                         capture_output=True, text=True)
    assert out.returncode == 2 and out.stderr.startswith("error:")
    assert "Traceback" not in out.stderr


def test_pillow_is_loaded_when_first_used_after_reportlab(tmp_path):
    """The writer's modules leave PIL.Image unloaded; the first use loads the real module
    (an image that must be converted is drawn)."""
    code = (
        "import sys\n"
        "import output.canvas, output.pdfx\n"
        "lazy = type(sys.modules['PIL.Image']).__name__\n"
        "from PIL import Image\n"
        "im = Image.new('RGB', (4, 3), (200, 10, 10))\n"
        "im.save(sys.argv[1])\n"
        "print(lazy, type(sys.modules['PIL.Image']).__name__, Image.open(sys.argv[1]).size)\n")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "x.png")],
                         capture_output=True, text=True, cwd=str(MAIN.parent))
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["_LazyModule", "module", "(4,", "3)"]


def test_only_a_process_of_its_own_freezes_the_collector_at_its_end(tmp_path, monkeypatch):
    """``python main.py export`` ends with its objects frozen out of the collector's
    reach (no last pass over them); an export called in a process that goes on (a test,
    ``main.main([...])``) leaves the collector as it found it."""
    import gc
    import os

    import main
    monkeypatch.setenv("BANMIAN_CACHE_DIR", str(tmp_path / "cache"))
    shutil.copy(SAMPLE.parent / "photo.jpg", tmp_path / "photo.jpg")
    shutil.copy(SAMPLE, tmp_path / "issue.yaml")
    frozen, enabled = gc.get_freeze_count(), gc.isenabled()
    assert main.main(["export", str(tmp_path / "issue.yaml"), "-o", str(tmp_path / "a.pdf"),
                      "--no-round"]) == 0
    # nothing newly frozen, nor thawed (an object frozen before, by an earlier test of
    # the same process, may have been freed meanwhile: the count may drop, never to 0)
    after = gc.get_freeze_count()
    assert after <= frozen and (after == 0) == (frozen == 0)
    assert gc.isenabled() == enabled
    code = ("import gc, runpy, sys\nsys.argv = sys.argv[1:]\n"
            "try:\n    runpy.run_path(sys.argv[0], run_name='__main__')\n"
            "except SystemExit as e:\n    print('exit', e.code, gc.get_freeze_count() > 0)\n")
    out = subprocess.run([sys.executable, "-c", code, str(MAIN), "export",
                          str(tmp_path / "issue.yaml"), "-o", str(tmp_path / "b.pdf")],
                         capture_output=True, text=True, cwd=str(MAIN.parent),
                         env=dict(os.environ, BANMIAN_CACHE_DIR=str(tmp_path / "cache")))
    assert out.stdout.strip().splitlines()[-1] == "exit 0 True", out.stderr


def test_a_page_drawn_again_writes_its_unchanged_frames_as_drawn_before(
        tmp_path, monkeypatch, issue_file):
    """The writer keeps the frames of the few pages it draws: a page an edit changed is
    drawn again with its other frames written as drawn then, byte for byte the PDF
    drawn without them."""
    import re

    import output.pdf as P
    from layout import result as R
    cache = tmp_path / "cache"
    _export(tmp_path, monkeypatch, issue_file, cache, "first.pdf")
    iss = load_issue(issue_file)
    page_of = {f.id: p.number for p in iss.pages for f in p.frames}
    story = next(st for st in iss.stories.values()
                 if st.thread and st.paragraphs and len({page_of[f] for f in st.thread}) == 1)
    story.paragraphs[-1].runs[-1].text += "再补一句。"
    save_issue(iss, issue_file)
    shutil.copytree(cache, tmp_path / "cache2")
    walked = []
    monkeypatch.setattr(R, "walk_frame", lambda fr, painter, real=R.walk_frame:
                        walked.append(fr.frame_id) or real(fr, painter))
    again, drawn = _export(tmp_path, monkeypatch, issue_file, cache, "again.pdf")
    assert drawn == [page_of[story.thread[0]]]
    replayed = list(walked)
    walked.clear()
    monkeypatch.setattr(P._Writer, "_frame_key", lambda self, frame: None)
    plain, drawn = _export(tmp_path, monkeypatch, issue_file, tmp_path / "cache2", "plain.pdf")
    assert drawn == [page_of[story.thread[0]]]
    assert set(story.thread) <= set(replayed) and len(replayed) < len(walked)

    def body(path):
        return re.sub(rb"/(CreationDate|ModDate) \([^)]*\)|/ID\s*\[[^\]]*\]", b"",
                      path.read_bytes())
    assert body(again) == body(plain)
