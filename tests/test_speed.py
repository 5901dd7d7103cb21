"""What the speed work changed, checked for behaviour: the PDF file written by ReportLab,
proof rounds stamped as written and recorded from the file's text, JPEG headers read
without a decoder, remembered image checks, kept layout findings, and an editor that
opens from the layout cache and repaints only what a typed key changed."""
from __future__ import annotations

import io
import shutil

import pytest
import yaml

from layout import model as m
from layout.compose import Composer
from layout.docfile import load_issue, save_issue
from support.fakefont import SquareFontSet
from support.paths import MAIN, SAMPLE


# ------------------------------------------------------------------ output/canvas.py
def test_reportlab_writes_the_file_readers_open(tmp_path):
    """The writer's canvas: ReportLab's document and pages, our Flate content streams,
    image resources and Info keys (a Chinese title with brackets and a backslash)."""
    pymupdf = pytest.importorskip("pymupdf")
    from output import canvas, pdfobjects, pdfx
    cv = canvas.Canvas((1, 4), True, False)
    pdfx.install_info(cv._doc, "陇原职工报 (第1版) \\ 1校", "陇原职工报", "proof", False,
                      "banmian-round=3 issue=a_b.yaml pages=1,2")
    for w in (300.0, 400.5):
        cv.setPageSize((w, 500))
        cv.setTrimBox((10, 10, w - 10, 490))
        name = cv.add_image(pdfobjects.image_xobject(1, 1, "RGB", bytes((255, 0, 0)), False))
        cv.addLiteral(f"0 0 1 rg 10 10 50 50 re f\nq 40 0 0 40 100 100 cm /{name} Do Q\n")
        cv.showPage()
    data = cv.data()
    assert data.startswith(b"%PDF-1.4\n")
    with pymupdf.open(stream=data, filetype="pdf") as d:
        assert d.page_count == 2
        assert d.metadata["title"] == "陇原职工报 (第1版) \\ 1校"
        assert d.metadata["keywords"].startswith("banmian-round=3")
        assert "ReportLab" in d.metadata["producer"]
        assert d[1].mediabox.width == pytest.approx(400.5)
        assert d[0].trimbox.x0 == pytest.approx(10)
        assert not d.is_repaired
        for page in d:
            assert len(page.get_images()) == 1
            assert d.xref_get_key(page.get_contents()[0], "Filter")[1] in (
                "/FlateDecode", "[/FlateDecode]")
            pix = page.get_pixmap(dpi=72)
            assert pix.pixel(30, 500 - 30) == (0, 0, 255)          # the literal fill
            assert pix.pixel(120, 500 - 120) == (255, 0, 0)        # the image
        assert b"Helvetica" not in d.tobytes()


def _modules_loaded(tmp_path, argv: list[str]) -> list[str]:
    """The modules of the heavy libraries a ``main.py`` command loads (run twice: the
    first fills the caches)."""
    import os
    import subprocess
    import sys
    code = ("import sys, runpy\n"
            "main = sys.argv[1]\n"
            "sys.argv = [main] + sys.argv[2:]\n"
            "try:\n    runpy.run_path(main, run_name='__main__')\nexcept SystemExit:\n    pass\n"
            "print(sorted({m.split('.')[0] for m, mod in sys.modules.items() if mod is not None "
            "and m.split('.')[0] in ('reportlab', 'fontTools', 'PySide6', 'jieba', 'pymupdf', "
            "'fitz')}))")     # main.py blocks pymupdf.layout with a None entry
    env = dict(os.environ, BANMIAN_CACHE_DIR=str(tmp_path / "cache"))
    for _ in range(2):
        out = subprocess.run([sys.executable, "-c", code, str(MAIN), *argv], capture_output=True,
                             text=True, cwd=str(MAIN.parent), env=env)
    return yaml.safe_load(out.stdout.strip().splitlines()[-1]) if out.stdout.strip() else \
        [out.stderr]


def test_an_export_loads_reportlab_only_to_write(tmp_path):
    """A warm export (its caches filled by a first one) loads ReportLab to write the file
    but neither fontTools, Qt, jieba nor PyMuPDF; a preflight check loads no ReportLab."""
    shutil.copy(SAMPLE.parent / "photo.jpg", tmp_path / "photo.jpg")
    shutil.copy(SAMPLE, tmp_path / "issue.yaml")
    issue, out = str(tmp_path / "issue.yaml"), str(tmp_path / "o.pdf")
    assert _modules_loaded(tmp_path, ["export", issue, "-o", out, "--no-round"]) == ["reportlab"]
    assert (tmp_path / "o.pdf").stat().st_size > 10000
    assert (tmp_path / "o.pdf").read_bytes().startswith(b"%PDF-1.4")
    assert _modules_loaded(tmp_path, ["check", issue]) == []


# ------------------------------------------------------------------ proof rounds
def test_proof_round_is_stamped_as_written_and_recorded_from_the_file(tmp_path):
    pymupdf = pytest.importorskip("pymupdf")
    from fonts import FontSet, default_library
    from layout.compose import compose_issue
    from output import PdfOptions
    from proofs.export import export_proof_round
    from proofs.rounds import RoundStore
    from proofs.stamp import read_stamp
    path = tmp_path / "issue.yaml"
    iss = m.Issue(pages=[m.Page(1)])
    iss.stories["s"] = m.Story("s", paragraphs=[m.Paragraph("body", [m.Run("正文一段。")])],
                               thread=["t"])
    iss.pages[0].frames.append(m.TextFrame("t", col=0, line=10, cols=2, lines=10))
    save_issue(iss, path)
    text = path.read_text("utf-8")
    iss = load_issue(path)
    fs = FontSet(iss.fonts, default_library())
    res = compose_issue(iss, fs, str(tmp_path))
    out = tmp_path / "p.pdf"
    _d, rnd = export_proof_round(iss, res, fs, str(out), str(path), PdfOptions(),
                                 source_text=text)
    assert rnd.number == 1 and rnd.model_text == text
    with pymupdf.open(out) as d:
        st = read_stamp(d)
        assert (st.round, st.issue, st.pages) == (1, "issue.yaml", (1,))
        assert "<bm:round>1</bm:round>" in d.get_xml_metadata()
    head = open(rnd.path, encoding="utf-8").read(4096)
    assert "\nsource: file\n" in head
    store = RoundStore(path)
    assert store.next_number(iss, text) == 1                 # the same file: the same round
    assert store.next_number(iss) == 1                       # the same model
    assert store.load(1).summary == rnd.summary              # the hand-written summary loads
    iss.stories["s"].paragraphs[0].runs[0].text += "又一句。"
    assert store.next_number(iss, text + "# changed\n") == 2


def test_flow_yaml_loads_back_equal():
    from proofs.rounds import flow_yaml
    value = {1: {"t-lead": {"kind": "text", "rect": [53.29, 1e16, 1.5e-7, -0.0],
                            "story": None, "x: y": "'q' \"r\" #", "ok": True}},
             "版": [1, 2.5, "null", "1", "", "a\nb"], "inf": [float("inf"), float("-inf")]}
    assert yaml.safe_load("v: " + flow_yaml(value))["v"] == value


# ------------------------------------------------------------------ images
@pytest.mark.parametrize("mode", ["RGB", "CMYK", "L"])
def test_jpeg_header_reads_what_pillow_reads(mode):
    from PIL import Image
    from output.images import jpeg_header
    buf = io.BytesIO()
    Image.new(mode, (37, 21)).save(buf, "JPEG")
    data = buf.getvalue()
    with Image.open(io.BytesIO(data)) as im:
        assert jpeg_header(data) == (37, 21, "adobe" in im.info)
    assert jpeg_header(b"not a jpeg") is None
    assert jpeg_header(data[:40]) is None                    # cut before the frame header


def test_a_remembered_image_check_sees_the_file_change(tmp_path, monkeypatch):
    monkeypatch.setenv("BANMIAN_CACHE_DIR", str(tmp_path / "cache"))
    from layout.result import FrameResult, ImageItem, LayoutResult, PageResult
    from output import PdfOptions
    from output.preflight import check_images
    img = tmp_path / "p.jpg"
    shutil.copy(SAMPLE.parent / "photo.jpg", img)
    item = ImageItem((0, 0, 100, 50), (0, 0, 100, 50), str(img), (2600, 1150), 300.0)
    res = LayoutResult((PageResult(1, 500, 500, (FrameResult("ph", "photo", (0, 0, 100, 50),
                                                             (item,)),)),), {}, (), {})
    assert not [d for d in check_images(res, PdfOptions()) if d.level == "error"]
    assert (tmp_path / "cache" / "image-checks.json").exists()
    img.write_bytes(img.read_bytes()[:5000])                 # cut short: damaged now
    found = [d.code for d in check_images(res, PdfOptions()) if d.level == "error"]
    assert found == ["image-unreadable"]


# ------------------------------------------------------------------ compose
def test_kept_findings_follow_the_text_and_the_frames():
    from support.fakefont import SquareFace
    fonts = SquareFontSet([SquareFace(missing="\u2603")])
    iss = load_issue(SAMPLE)
    comp = Composer(iss, fonts, base_dir=str(SAMPLE.parent))
    codes = lambda res: sorted(d.code for d in res.diagnostics)     # noqa: E731
    before = codes(comp.compose())
    run = iss.stories["lead"].paragraphs[0].runs[0]
    run.text += "\u2603"                                      # a character no face has
    assert "missing-glyph" in codes(comp.compose())
    run.text = run.text[:-1]
    assert codes(comp.compose()) == before
    page, photo = next((p, f) for p, f in iss.frames() if isinstance(f, m.PhotoFrame))
    text = next(f for f in page.frames if isinstance(f, m.TextFrame) and f.id != photo.id)
    photo.wrap = m.Wrap(mode="none")
    photo.col, photo.line, photo.cols, photo.lines = text.col, text.line, text.cols, text.lines
    assert "text-hidden" in codes(comp.compose())
    fresh = Composer(iss, fonts, base_dir=str(SAMPLE.parent))
    assert codes(fresh.compose()) == codes(comp.compose())


# ------------------------------------------------------------------ the editor
pytest.importorskip("pytestqt")


def test_the_editor_opens_from_the_layout_cache(tmp_path, qtbot, monkeypatch):
    monkeypatch.setenv("BANMIAN_CACHE_DIR", str(tmp_path / "cache"))
    from editor.document import Document
    iss = load_issue(SAMPLE)
    shutil.copy(SAMPLE.parent / "photo.jpg", tmp_path / "photo.jpg")
    save_issue(iss, tmp_path / "issue.yaml")
    first = Document(load_issue(tmp_path / "issue.yaml"), SquareFontSet(),
                     str(tmp_path / "issue.yaml"))
    assert first.composer.disk.stats["writes"] > 0
    again = Document(load_issue(tmp_path / "issue.yaml"), SquareFontSet(),
                     str(tmp_path / "issue.yaml"))
    disk = again.composer.disk
    assert disk.stats["hits"] > 0 and disk.stats["misses"] == 0     # every frame from it
    assert again.result == first.result
    from layout import edits as E
    filled, written = again.composer.stats["frames_filled"], len(disk.written)
    again.push(E.InsertText("lead", (0, 3), "加"), "typing")  # refilled, not stored
    assert again.composer.stats["frames_filled"] > filled
    assert len(disk.written) == written
    fresh = Composer(again.issue, SquareFontSet(), base_dir=str(tmp_path))
    assert fresh.compose() == again.result


def test_a_typed_key_repaints_only_what_it_changed(tmp_path, qtbot, monkeypatch):
    from tests.test_editor import make_issue, open_window, type_text
    from editor.app import EditorApp
    from PySide6.QtCore import QSettings
    monkeypatch.setenv("BANMIAN_CACHE_DIR", str(tmp_path / "cache"))
    app = EditorApp(lambda issue: SquareFontSet(), ask_recover=lambda *a: False,
                    ask_save=lambda w: "discard",
                    settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    path = tmp_path / "issue.yaml"
    save_issue(make_issue(), path)
    win = open_window(app, str(path), qtbot)
    try:
        view = win.view
        view.set_tool("type")
        win.text.start("lead", (0, 3))
        swatches = win.findChildren(type(win.swatches))[0] if hasattr(win, "swatches") else None
        loads = []
        if swatches is not None:
            monkeypatch.setattr(swatches, "load", lambda: loads.append(1))
        view.viewport().grab()                               # the first paint, done
        qtbot.wait(5)
        areas = []
        win.scene.changed.connect(lambda rects: areas.extend(rects))
        type_text(view, "加")
        qtbot.wait(1)
        assert areas, "the key repainted nothing"
        whole = win.scene.sceneRect()
        t1 = win.scene.frames["t1"].sceneBoundingRect()
        assert all(r.width() < whole.width() / 2 for r in areas), areas
        assert all(t1.adjusted(-4, -4, 4, 4).contains(r) or r.width() < 20 for r in areas), \
            (areas, t1)
        assert not loads                                     # the swatches dock kept its list
    finally:
        win.doc.undo.clear()
        win.close()


# ------------------------------------------------------------------ the writer's page memo
@pytest.mark.parametrize("mode", ["proof", "print"])
def test_an_unchanged_export_replays_its_pages_with_a_new_slug(tmp_path, monkeypatch, mode):
    """A second export of a result composed before draws only the slugs again: its pages
    are those of an export drawn from scratch at that time (text and pixels)."""
    pymupdf = pytest.importorskip("pymupdf")
    import dataclasses
    from datetime import datetime
    monkeypatch.setenv("BANMIAN_CACHE_DIR", str(tmp_path / "cache"))
    from fonts import FontSet, default_library
    from layout.compose import compose_issue
    from output import PdfOptions, write_pdf
    import output.pdf as P
    shutil.copy(SAMPLE.parent / "photo.jpg", tmp_path / "photo.jpg")
    iss = load_issue(SAMPLE)
    fs = FontSet(iss.fonts, default_library())
    res = compose_issue(iss, fs, str(SAMPLE.parent), str(tmp_path / "cache"))
    assert all(p.composed_from for p in res.pages)

    def export(name, when, memo=True):
        opt = PdfOptions.from_issue(iss, mode, export_time=when, watermark=mode == "proof")
        r = res if memo else dataclasses.replace(res, pages=tuple(
            dataclasses.replace(p, composed_from="") for p in res.pages))
        write_pdf(r, fs, str(tmp_path / name), opt)
        return pymupdf.open(tmp_path / name)

    drawn = []
    monkeypatch.setattr(P._Writer, "begin_page",
                        lambda self, page, real=P._Writer.begin_page: drawn.append(page.number)
                        or real(self, page))
    numbers = [p.number for p in res.pages]
    export("a.pdf", datetime(2026, 1, 1, 8, 0))
    assert drawn == numbers
    again = export("b.pdf", datetime(2027, 9, 9, 9, 59))       # new digits in the slug
    assert drawn == numbers                                   # replayed, not drawn
    fresh = export("c.pdf", datetime(2027, 9, 9, 9, 59), memo=False)
    assert "2027" in again[0].get_text()
    for pa, pb in zip(again, fresh):
        assert pa.get_text() == pb.get_text()
        assert pa.get_pixmap(dpi=30).samples == pb.get_pixmap(dpi=30).samples
    assert again.metadata["format"] == fresh.metadata["format"]
    # an edit on one page: the other pages are replayed, the page it touched drawn anew
    page_of = {f.id: p.number for p in iss.pages for f in p.frames}
    story = next(st for st in iss.stories.values()
                 if st.thread and {page_of[f] for f in st.thread} == {2})
    story.paragraphs[-1].runs[-1].text += "补一句。"
    res = compose_issue(iss, fs, str(SAMPLE.parent), str(tmp_path / "cache"))
    drawn.clear()
    edited = export("d.pdf", datetime(2027, 9, 9, 9, 59))
    assert drawn == [2]
    fresh = export("e.pdf", datetime(2027, 9, 9, 9, 59), memo=False)
    for pa, pb in zip(edited, fresh):
        assert pa.get_text() == pb.get_text()
        assert pa.get_pixmap(dpi=30).samples == pb.get_pixmap(dpi=30).samples


def test_a_page_opened_from_the_cache_is_ready_for_typing(tmp_path, qtbot, monkeypatch):
    """Frames read from the layout cache are set again once the page is painted: the
    first key then shapes only the paragraph it is typed in."""
    from tests.test_editor import make_issue, open_window, type_text
    from editor.app import EditorApp
    from PySide6.QtCore import QSettings
    monkeypatch.setenv("BANMIAN_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "issue.yaml"
    save_issue(make_issue(), path)

    def app():
        return EditorApp(lambda issue: SquareFontSet(), ask_recover=lambda *a: False,
                         ask_save=lambda w: "discard",
                         settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    first = app()
    open_window(first, str(path), qtbot).close()
    win = open_window(app(), str(path), qtbot)
    try:
        setter = win.doc.composer.setter
        assert setter.stats["shaped"] < 2             # the page came from the cache
        win.view.viewport().grab()
        qtbot.waitUntil(lambda: win.scene._warm_pending is None, timeout=2000)
        qtbot.wait(10)
        shaped = setter.stats["shaped"]
        assert shaped >= 2                            # both paragraphs of t1 known now
        win.view.set_tool("type")
        win.text.start("lead", (0, 3))
        type_text(win.view, "加")
        assert setter.stats["shaped"] == shaped + 1   # only the edited paragraph
    finally:
        win.doc.undo.clear()
        win.close()


def test_a_damaged_page_memo_is_drawn_anew(tmp_path, monkeypatch):
    pymupdf = pytest.importorskip("pymupdf")
    import marshal
    monkeypatch.setenv("BANMIAN_CACHE_DIR", str(tmp_path / "cache"))
    from fonts import FontSet, default_library
    from layout.compose import compose_issue
    from output import PdfOptions, write_pdf
    iss = load_issue(SAMPLE)
    fs = FontSet(iss.fonts, default_library())
    res = compose_issue(iss, fs, str(SAMPLE.parent), str(tmp_path / "cache"))
    when = __import__("datetime").datetime(2026, 1, 1, 8, 0)      # the slug's time, fixed
    write_pdf(res, fs, str(tmp_path / "a.pdf"), PdfOptions.from_issue(iss, export_time=when))
    memo = next((tmp_path / "cache" / "pages").glob("*.marshal"))
    from common.fs import cache_write_checked
    whole = memo.read_bytes()
    foreign = marshal.dumps((2, {"fonts": [], "pages": {"x": (1, 2)}}))
    for junk in (b"\x00cut", foreign, None, whole[:len(whole) // 2]):
        if junk is None:                    # checked, but not a memo of this version
            cache_write_checked(memo, foreign)
        else:
            memo.write_bytes(junk)
        write_pdf(res, fs, str(tmp_path / "b.pdf"), PdfOptions.from_issue(iss, export_time=when))
        with pymupdf.open(tmp_path / "a.pdf") as a, pymupdf.open(tmp_path / "b.pdf") as b:
            assert [p.get_text() for p in a] == [p.get_text() for p in b]


# ------------------------------------------------------------------ the export's fast paths
def test_an_unchanged_issue_comes_from_the_cache_without_the_engine(tmp_path):
    """``cached_issue_result`` finds what ``compose_issue`` stored (equal, with its pages'
    digests), misses after an edit or for other fonts; a warm export of an unchanged issue
    then imports neither the engine, the YAML library nor the store package."""
    pymupdf = pytest.importorskip("pymupdf")
    import os
    import subprocess
    import sys
    from fonts import FontSet, default_library
    from layout.compose import compose_issue
    from layout.diskcache import cached_issue_result
    cache = str(tmp_path / "cache")
    iss = load_issue(SAMPLE)
    fs = FontSet(iss.fonts, default_library())
    base = str(SAMPLE.parent)
    assert cached_issue_result(iss, fs, cache, base) is None          # nothing stored yet
    res = compose_issue(iss, fs, base, cache)
    got = cached_issue_result(iss, fs, cache, base)
    assert got == res
    assert [p.composed_from for p in got.pages] == [p.composed_from for p in res.pages]
    assert all(p.composed_from for p in got.pages)
    assert cached_issue_result(iss, fs, cache, str(tmp_path)) is None     # another folder
    assert cached_issue_result(iss, SquareFontSet(), cache, base) is None  # other fonts
    iss.stories[next(iter(iss.stories))].paragraphs[-1].runs[-1].text += "补一句。"
    assert cached_issue_result(iss, fs, cache, base) is None

    shutil.copy(SAMPLE.parent / "photo.jpg", tmp_path / "photo.jpg")
    shutil.copy(SAMPLE, tmp_path / "issue.yaml")
    code = ("import sys, runpy\nsys.argv = sys.argv[1:]\n"
            "try:\n    runpy.run_path(sys.argv[0], run_name='__main__')\nexcept SystemExit:\n"
            "    pass\nprint(sorted(m for m in ('layout.compose', 'yaml', 'store', "
            "'layout.docfile') if m in sys.modules))")
    env = dict(os.environ, BANMIAN_CACHE_DIR=cache)

    def loaded():
        out = subprocess.run([sys.executable, "-c", code, str(MAIN), "export",
                              str(tmp_path / "issue.yaml"), "-o", str(tmp_path / "o.pdf")],
                             capture_output=True, text=True, cwd=str(MAIN.parent), env=env)
        assert "wrote" in out.stdout, out.stderr
        return yaml.safe_load(out.stdout.strip().splitlines()[-1])
    assert "layout.compose" in loaded()           # composed (the cache knew another folder)
    assert loaded() == []                         # from the cache: no engine, loader, YAML
    text = (tmp_path / "issue.yaml").read_text("utf-8")
    (tmp_path / "issue.yaml").write_text(text.replace("。", "。补。", 1), "utf-8")
    assert "layout.compose" in loaded()           # an edit starts the engine again
    with pymupdf.open(tmp_path / "o.pdf") as d:
        assert "补。" in "".join(p.get_text() for p in d)


def test_the_model_cache_follows_the_file(tmp_path):
    """``load_issue_cached``: the model ``load_issue`` reads, from the cache the second
    time; a changed file is read again, a damaged entry is a miss, and a bad file is the
    loader's DocumentError naming its line."""
    from layout.diskcache import load_issue_cached
    from layout.docfile import DocumentError
    path, cache = tmp_path / "issue.yaml", tmp_path / "cache"
    shutil.copy(SAMPLE, path)
    first = load_issue_cached(path, str(cache))
    entries = list((cache / "layout").glob("model-*.pickle"))
    assert first == load_issue(path) and len(entries) == 1
    assert load_issue_cached(path, str(cache)) == first
    text = path.read_text("utf-8")
    path.write_text(text.replace("陇原职工报", "陇原晚报", 1), "utf-8")
    changed = load_issue_cached(path, str(cache))
    assert changed.info.paper_name == "陇原晚报" and changed == load_issue(path)
    for junk in (b"", b"\x00" * 40, entries[0].read_bytes()[:-7]):
        entries[0].write_bytes(junk)
        path.write_text(text, "utf-8")
        assert load_issue_cached(path, str(cache)) == first
    import collections
    import hashlib
    import pickle

    class Evil:
        def __reduce__(self):
            return (shutil.rmtree, (str(tmp_path / "victim"),))
    (tmp_path / "victim").mkdir()
    for blob in (pickle.dumps(collections.OrderedDict()), pickle.dumps(Evil())):
        entries[0].write_bytes(hashlib.sha1(blob).digest() + blob)     # well formed, foreign
        assert load_issue_cached(path, str(cache)) == first
    assert (tmp_path / "victim").is_dir()
    path.write_text(text + "stories: [\n", "utf-8")
    with pytest.raises(DocumentError) as exc:
        load_issue_cached(path, str(cache))
    assert str(path) in str(exc.value) and ":" in str(exc.value)
    path.write_bytes(b"banmian: 1\n\xff\xfe\n")
    with pytest.raises(DocumentError, match="not UTF-8"):
        load_issue_cached(path, str(cache))


def test_a_round_file_written_without_the_yaml_library_loads_back(tmp_path):
    """A round records the issue file's text as it is, whatever characters it holds
    (YAML 1.1 line breaks, characters YAML cannot hold unescaped)."""
    from proofs.rounds import RoundStore
    from layout.result import LayoutResult
    iss = m.Issue(pages=[m.Page(1)])
    path = tmp_path / "issue.yaml"
    save_issue(iss, path)
    text = path.read_text("utf-8") + "# \u2028\x85\u2029\x7f\ufeff\t'\"\\ 中文\n"
    store = RoundStore(path)
    rnd = store.record(iss, LayoutResult(pages=()), model_text=text, user="编辑")
    back = store.load(rnd.number)
    assert back.model_text == text and back.user == "编辑" and back.summary == rnd.summary
    assert store.next_number(iss, text) == rnd.number


def test_colour_checks_name_the_first_run_of_each_colour():
    """check_colors: an undefined swatch where it is first used; rich black text under
    12 pt in print only, where the first such run is (a larger run before it does not count)."""
    from layout.result import FrameResult, GlyphRun, LayoutResult, PageResult
    from output import PdfOptions
    from output.preflight import check_colors

    def run(color, size):
        return GlyphRun("f", size, (1,), (0.0,), 10.0, "字", (0,), (size,), color=color)

    def frame(fid, *runs):
        return FrameResult(fid, "text", (0, 0, 100, 100), items=runs)
    res = LayoutResult(pages=(
        PageResult(1, 500, 700, (frame("a", run("black", 9), run("rich", 14)),
                                 frame("b", run("nope", 9)))),
        PageResult(2, 500, 700, (frame("c", run("rich", 9), run("rich", 8)),))),
        colors={"black": (0, 0, 0, 1), "rich": (0.4, 0.3, 0.3, 1.0)})
    got = {(d.code, d.page, d.frame) for d in check_colors(res, PdfOptions(mode="print"))}
    assert got == {("color-unknown", 1, "b"), ("rich-black-text", 2, "c")}
    got = {(d.code, d.page, d.frame) for d in check_colors(res, PdfOptions())}
    assert got == {("color-unknown", 1, "b")}


def test_compose_cached_works_the_whole_key_out_once(tmp_path, monkeypatch):
    """An export of an edited issue: the cache misses, the engine composes, and the key
    of the whole result (a digest of the whole model) is worked out once, not again by
    the composer; the result is the one composed without any cache, and is found next."""
    from fonts import FontSet, default_library
    from layout import diskcache as D
    from layout.compose import compose_issue
    cache = str(tmp_path / "cache")
    iss = load_issue(SAMPLE)
    fs = FontSet(iss.fonts, default_library())
    base = str(SAMPLE.parent)
    compose_issue(iss, fs, base, cache)
    iss.stories[next(iter(iss.stories))].paragraphs[-1].runs[-1].text += "补一句。"
    kinds = []
    monkeypatch.setattr(D.LayoutDiskCache, "key", lambda self, kind, *parts, real=D.LayoutDiskCache.key:
                        kinds.append(kind) or real(self, kind, *parts))
    got = D.compose_cached(iss, fs, cache, base)
    assert kinds.count("issue") == 1 and "fill" in kinds
    assert got == compose_issue(iss, fs, base, None)
    assert not D._HANDOFF
    kinds.clear()
    again = D.compose_cached(iss, fs, cache, base)
    assert again == got and kinds == ["issue"]
    assert [p.composed_from for p in again.pages] == [p.composed_from for p in got.pages]
