"""The persistent layout cache: cached exports equal uncached ones; an edit refills only its frames."""
from __future__ import annotations

import copy
import os
import subprocess
import sys

import pytest

from layout import diskcache
from layout import result as r
from common.fs import cache_dir
from layout.compose import Composer
from layout.diskcache import LayoutDiskCache, decode, encode
from layout.headline import Segmenter
from layout.result import GlyphRun, LineBox
from support.bigissue import big_issue, sample_issue
from support.paths import MAIN, ROOT, SAMPLE


@pytest.fixture(scope="module")
def sample():
    return sample_issue()


@pytest.fixture(scope="module")
def fontset(sample, real_fontset_factory):
    return real_fontset_factory(sample.fonts)


def _compose(issue, fontset, disk=None):
    return Composer(issue, fontset, base_dir=str(SAMPLE.parent), segmenter=Segmenter(),
                    disk=disk).compose()


def _lines(result):
    """Every story line as (frame, start, end, glyphs, xs) — what the pages show."""
    out = []
    for page in result.pages:
        for fr in page.frames:
            for ln in fr.lines:
                out.append((fr.frame_id, ln.para, ln.start, ln.end,
                            tuple((r.font, r.glyphs, r.xs, r.y) for r in ln.runs)))
    return out


def test_encode_decode_gives_an_equal_result(sample, fontset):
    res = _compose(sample, fontset)
    back = decode(encode(res))
    assert back == res
    assert [p.frames for p in back.pages] == [p.frames for p in res.pages]
    fr = next(f for p in back.pages for f in p.frames if f.lines)
    assert isinstance(fr.lines[0], LineBox) and isinstance(fr.runs[0], GlyphRun)
    assert dict(back.copyfit) == dict(res.copyfit)


def test_cached_compose_equals_uncached(sample, fontset, tmp_path):
    plain = _compose(sample, fontset)
    disk = LayoutDiskCache(tmp_path)
    first = _compose(sample, fontset, disk)
    assert disk.stats["writes"] > 0 and disk.stats["hits"] == 0
    disk2 = LayoutDiskCache(tmp_path)                  # a new process, as the CLI is
    again = _compose(sample, fontset, disk2)
    assert disk2.stats == {"hits": 1, "misses": 0, "writes": 0}   # the whole result, composing nothing
    assert first == plain and again == plain
    assert _lines(again) == _lines(plain)


def test_an_edit_refills_only_the_frames_it_touches(fontset, tmp_path):
    issue = big_issue(4, vary=True)                      # two copies of the sample's pages
    _compose(issue, fontset, LayoutDiskCache(tmp_path))
    edited = copy.deepcopy(issue)
    story = max(edited.stories.values(), key=lambda s: len(s.thread))
    story.paragraphs[-1].runs[0].text += "新增一句。"
    disk = LayoutDiskCache(tmp_path)
    cached = _compose(edited, fontset, disk)
    assert cached == _compose(edited, fontset)          # the same pages as composing afresh
    refilled = [k for k in disk.written if k.startswith("fill-")]
    assert 1 <= len(refilled) <= len(story.thread)      # only frames of the edited story
    n_frames = sum(len(s.thread) for s in edited.stories.values())
    assert disk.stats["hits"] >= n_frames - len(refilled)   # every other frame came from disk
    assert "新增一句" in "".join(r.text for p in cached.pages for fr in p.frames
                                 for r in fr.runs if r.source.story == story.id)


def test_a_new_engine_or_style_misses(sample, fontset, tmp_path, monkeypatch):
    _compose(sample, fontset, LayoutDiskCache(tmp_path))
    monkeypatch.setattr(diskcache, "_ENGINE", "another-version")
    disk = LayoutDiskCache(tmp_path)
    _compose(sample, fontset, disk)
    assert disk.stats["hits"] == 0
    monkeypatch.undo()
    styled = copy.deepcopy(sample)
    styled.paragraph_styles["body"].indent = 0.0
    disk = LayoutDiskCache(tmp_path)
    res = _compose(styled, fontset, disk)
    assert disk.stats["hits"] == 0
    assert _lines(res) == _lines(_compose(styled, fontset))


def test_a_corrupt_entry_is_a_miss(sample, fontset, tmp_path):
    _compose(sample, fontset, LayoutDiskCache(tmp_path))
    for name in os.listdir(tmp_path):
        (tmp_path / name).write_bytes(b"\x00garbage")
    disk = LayoutDiskCache(tmp_path)
    assert _compose(sample, fontset, disk) == _compose(sample, fontset)
    assert disk.stats["hits"] == 0


def _text_layer(path):
    import pymupdf
    doc = pymupdf.open(path)
    out = []
    for page in doc:
        for b in page.get_text("rawdict")["blocks"]:
            for ln in b.get("lines", []):
                for sp in ln["spans"]:
                    text = "".join(c["c"] for c in sp["chars"])
                    if "导出 " in text:                 # the proof slug's export time
                        text = text[:text.index("导出 ")]
                    out.append((sp["font"], round(sp["size"], 2), text,
                                tuple(tuple(round(v, 2) for v in c["origin"])
                                      for c in sp["chars"][:len(text)])))
    return out


def test_cached_export_pdf_is_the_uncached_one(tmp_path):
    pytest.importorskip("pymupdf")
    env = dict(os.environ, BANMIAN_CACHE_DIR=str(tmp_path / "cache"))
    fonts = cache_dir("fonts")
    (tmp_path / "cache").mkdir()
    if fonts.is_dir():                                   # warm font metrics: only layout is cold
        os.symlink(fonts, tmp_path / "cache" / "fonts")
    pdfs = []
    for i in range(2):
        out = tmp_path / f"out{i}.pdf"
        proc = subprocess.run([sys.executable, str(MAIN), "export", str(SAMPLE), "-o", str(out)],
                              capture_output=True, text=True, timeout=900, cwd=str(ROOT), env=env)
        assert proc.returncode == 0, proc.stderr
        pdfs.append(out)
    assert os.listdir(tmp_path / "cache" / "layout")
    a, b = _text_layer(pdfs[0]), _text_layer(pdfs[1])
    assert a and a == b


@pytest.mark.parametrize("mode", ["proof", "print"])
def test_writer_caches_give_the_same_fonts_and_images(sample, fontset, tmp_path, monkeypatch, mode):
    pymupdf = pytest.importorskip("pymupdf")
    from output import PdfOptions, write_pdf
    monkeypatch.setenv("BANMIAN_CACHE_DIR", str(tmp_path / "cache"))
    res = _compose(sample, fontset)
    streams = []
    for i in range(2):                                   # subsets and images made, then read back
        out = tmp_path / f"{mode}{i}.pdf"
        write_pdf(res, fontset, str(out), PdfOptions.from_issue(sample, mode, slug=False))
        doc = pymupdf.open(out)
        got = {}                                         # every stream: pages, fonts, images
        for xref in range(1, doc.xref_length()):
            if doc.xref_is_stream(xref):
                got[xref] = (doc.xref_get_key(xref, "Subtype")[1], doc.xref_stream(xref))
        streams.append(got)
    assert os.listdir(tmp_path / "cache" / "subsets") and os.listdir(tmp_path / "cache" / "images")
    kinds = {k for k, _ in streams[0].values()}
    assert "/Image" in kinds and ("/CIDFontType0C" in kinds or "null" in kinds)
    assert streams[0] == streams[1]


def test_old_entries_are_pruned_once_a_day(tmp_path):
    import time
    disk = LayoutDiskCache(tmp_path / "layout")
    disk.store("fill-old", (1,))
    disk.store("fill-new", (2,))
    other = tmp_path / "subsets"
    other.mkdir()
    (other / "old.bin").write_bytes(b"x")
    month = time.time() - 31 * 86400
    for p in (tmp_path / "layout" / "fill-old.marshal", other / "old.bin"):
        os.utime(p, (month, month))
    assert disk.maybe_prune([other]) == 2
    assert disk.load("fill-new") == (2,) and disk.load("fill-old") is None
    assert not (other / "old.bin").exists()
    disk.store("fill-old", (1,))
    old = tmp_path / "layout" / "fill-old.marshal"
    os.utime(old, (month, month))
    assert disk.maybe_prune([other]) == 0 and old.exists()     # not twice a day


def test_a_story_field_a_frame_shows_misses(sample, fontset, tmp_path):
    """A photo frame naming a story shows the story's credit: a new credit is never
    served from disk (nor a new headline)."""
    _compose(sample, fontset, LayoutDiskCache(tmp_path))
    edited = copy.deepcopy(sample)
    story = next(s for s in edited.stories.values() if s.credit)
    story.credit = "新的摄影者 摄"
    res = _compose(edited, fontset, LayoutDiskCache(tmp_path))
    assert res == _compose(edited, fontset)
    assert "新的摄影者" in "".join(r.text for p in res.pages for fr in p.frames for r in fr.runs)


def test_a_story_setting_refills_its_frames(sample, fontset, tmp_path):
    """Story-level settings (its language) change how its paragraphs are set: no fill of
    the story comes from disk after they change."""
    from dataclasses import fields as dc_fields
    _compose(sample, fontset, LayoutDiskCache(tmp_path))
    edited = copy.deepcopy(sample)
    story = max(edited.stories.values(), key=lambda s: len(s.thread))
    names = {f.name for f in dc_fields(story)}
    if "language" not in names:
        pytest.skip("stories have no language setting")
    story.language = "zh-Hant-TW"
    disk = LayoutDiskCache(tmp_path)
    res = _compose(edited, fontset, disk)
    assert res == _compose(edited, fontset)
    assert len([k for k in disk.written if k.startswith("fill-")]) == len(story.thread)


def test_an_export_and_the_editor_find_the_same_entries(fontset, tmp_path):
    """An export (compose_cached) works each story's digests out once; its entries are
    keyed exactly as the editor's (which works them out every time), so either finds
    what the other stored, and an in-place edit between two composes is seen."""
    issue = big_issue(4, vary=True)
    base = str(SAMPLE.parent)
    exported = diskcache.compose_cached(issue, fontset, str(tmp_path), base)
    disk = LayoutDiskCache(tmp_path / "layout")
    again = Composer(issue, fontset, base_dir=base, segmenter=Segmenter(), disk=disk,
                     whole=False).compose()
    assert not disk.model_fixed and disk.stats["writes"] == 0 and disk.stats["hits"] > 0
    assert _lines(again) == _lines(exported)
    story = max(issue.stories.values(), key=lambda s: len(s.thread))
    story.paragraphs[-1].runs[0].text += "再加一句。"      # edited in place, as the editor may
    disk2 = LayoutDiskCache(tmp_path / "layout")
    edited = Composer(issue, fontset, base_dir=base, segmenter=Segmenter(), disk=disk2,
                      whole=False).compose()
    assert any(k.startswith("fill-") for k in disk2.written)
    assert _lines(edited) == _lines(_compose(issue, fontset))
    assert _lines(diskcache.compose_cached(issue, fontset, str(tmp_path), base)) == _lines(edited)


def test_checked_cache_files_read_back_whole_or_not_at_all(tmp_path):
    """``cache_write_checked`` / ``cache_read_checked``: the data back as written; a file
    missing, cut, altered or written without the checksum reads as None."""
    from common.fs import cache_read_checked, cache_write, cache_write_checked
    path = tmp_path / "sub" / "entry.bin"
    assert cache_read_checked(path) is None
    data = bytes(range(256)) * 3
    cache_write_checked(path, data)
    assert bytes(cache_read_checked(path)) == data
    whole = path.read_bytes()
    path.write_bytes(whole[:-1])                                    # cut
    assert cache_read_checked(path) is None
    path.write_bytes(whole[:40] + bytes([whole[40] ^ 1]) + whole[41:])   # altered
    assert cache_read_checked(path) is None
    cache_write(path, data)                                         # no checksum
    assert cache_read_checked(path) is None
    cache_write_checked(path, b"")                                  # nothing but a checksum
    assert cache_read_checked(path) is None


def test_a_page_stored_is_hashed_once_and_another_page_anew(sample, fontset, tmp_path,
                                                           monkeypatch):
    """A page a page pass stored is not made into bytes and hashed again when the whole
    result names it (``_put_page``); another page object (a changed page) is stored anew."""
    import dataclasses
    res = _compose(sample, fontset)
    made = []
    real = diskcache.encode
    monkeypatch.setattr(diskcache, "encode", lambda obj: (
        made.append(obj) if type(obj) is r.PageResult else None) or real(obj))
    disk = LayoutDiskCache(tmp_path)
    page = res.pages[0]
    d = disk._put_page(page)
    assert disk._put_page(page) == d and made == [page]
    assert os.path.exists(os.path.join(tmp_path, f"page-{d}.marshal"))
    changed = dataclasses.replace(page, width=page.width + 1.0)
    d2 = disk._put_page(changed)
    assert d2 != d and made == [page, changed]
    assert decode_page(disk, d2).width == page.width + 1.0


def decode_page(disk, digest):
    return LayoutDiskCache(disk.folder).get_page(digest)


def test_a_stored_pages_items_are_hashed_once_and_named_by_their_bytes(sample, fontset,
                                                                      tmp_path, monkeypatch):
    """``_put_page`` names each frame's items by the SHA-1 of their bytes, once per bytes
    object (``items_name``: the PDF writer's frame keys take the same names); equal bytes
    in another object get the same name, changed bytes another."""
    import hashlib
    import marshal
    res = _compose(sample, fontset)
    page = res.pages[0]
    disk = LayoutDiskCache(tmp_path)
    d = disk._put_page(page)
    named = marshal.loads(open(os.path.join(tmp_path, f"page-{d}.marshal"), "rb").read()[8:])
    assert hashlib.sha1(marshal.dumps(named, 2)).hexdigest() == d
    hashed = []
    real = hashlib.sha1
    monkeypatch.setattr(hashlib, "sha1", lambda *a: hashed.append(a) or real(*a))
    for fr in page.frames:
        data = r.items_blob(fr)[0]
        assert diskcache.items_name(data) == real(data).hexdigest()
    assert hashed == []                             # named when the page was stored
    data = r.items_blob(page.frames[0])[0]
    copy = bytes(bytearray(data))
    assert diskcache.items_name(copy) == diskcache.items_name(data) and len(hashed) == 1
    assert diskcache.items_name(copy + b"x") != diskcache.items_name(data)


def test_the_items_names_table_holds_a_bounded_amount_of_bytes(monkeypatch):
    """``items_name`` keeps the bytes it named alive (their ids stay theirs); past
    ``_ITEM_NAMES_LIMIT`` bytes it starts afresh, every name still the bytes' SHA-1."""
    import hashlib
    monkeypatch.setattr(diskcache, "_ITEM_NAMES", {})
    monkeypatch.setattr(diskcache, "_ITEM_NAMES_HELD", [0])
    monkeypatch.setattr(diskcache, "_ITEM_NAMES_LIMIT", 10_000)
    blobs = [bytes([i]) * 3_000 for i in range(12)]
    for b in blobs:
        assert diskcache.items_name(b) == hashlib.sha1(b).hexdigest()
        held = sum(len(v[0]) for v in diskcache._ITEM_NAMES.values())
        assert held == diskcache._ITEM_NAMES_HELD[0] <= 10_000
    assert len(diskcache._ITEM_NAMES) == 3 and diskcache.items_name(blobs[-1]) == \
        hashlib.sha1(blobs[-1]).hexdigest()
