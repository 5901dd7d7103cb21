"""Results read from the layout cache stay encoded until read (layout.result.Lazy): a
page or frame held so is the one a fresh compose makes (the same value, walk and trace),
for an unchanged issue, after an edit in a story that jumps across pages and after a style
change; run styles and graphics answered undecoded are those of the decoded items; a
corrupt entry is a miss and the issue is composed."""
from __future__ import annotations

import copy
import os

import pytest

from layout import result as R
from layout.compose import Composer
from layout.diskcache import LayoutDiskCache
from layout.headline import Segmenter
from layout.trace import trace
from support.bigissue import big_issue
from support.paths import SAMPLE


@pytest.fixture(scope="module")
def issue():
    return big_issue(4)


@pytest.fixture(scope="module")
def fontset(issue, real_fontset_factory):
    return real_fontset_factory(issue.fonts)


def _compose(issue, fontset, disk=None):
    """A compose as an export makes it (a new composer, as a new process has)."""
    return Composer(issue, fontset, base_dir=str(SAMPLE.parent), segmenter=Segmenter(),
                    disk=disk).compose()


def _lazy(fr) -> bool:
    return type(R._ITEMS_SLOT.__get__(fr)) is R.Lazy


class _Log(R.Painter):
    """Every call ``walk`` makes, with its argument."""

    def __init__(self):
        self.calls = []

    def __getattribute__(self, name):
        if name in ("calls",) or name.startswith("__"):
            return object.__getattribute__(self, name)
        calls = object.__getattribute__(self, "calls")
        return lambda *args: calls.append((name, args))


def _same(got, fresh):
    """``got`` (partly undecoded) shows what ``fresh`` shows; checked before anything
    decodes it: its run styles and graphics, then its walk, trace and value."""
    for pg, pf in zip(got.pages, fresh.pages, strict=True):
        for fg, ff in zip(pg.frames, pf.frames, strict=True):
            assert R.run_styles(fg) == R.run_styles(ff)
            assert fg.graphics == ff.graphics
            assert (fg.frame_id, fg.rect, fg.columns, fg.start, fg.end, fg.layer) == \
                (ff.frame_id, ff.rect, ff.columns, ff.start, ff.end, ff.layer)
    a, b = _Log(), _Log()
    R.walk(got, a)
    R.walk(fresh, b)
    assert a.calls == b.calls
    assert trace(got) == trace(fresh)
    assert got == fresh
    for pg, pf in zip(got.pages, fresh.pages):
        for fg, ff in zip(pg.frames, pf.frames):
            assert fg.lines == ff.lines and fg.runs == ff.runs


def test_an_unchanged_issue_comes_back_undecoded_and_equal(issue, fontset, tmp_path):
    fresh = _compose(issue, fontset)
    _compose(issue, fontset, LayoutDiskCache(tmp_path))
    got = _compose(issue, fontset, LayoutDiskCache(tmp_path))
    frames = [fr for p in got.pages for fr in p.frames]
    assert frames and all(_lazy(fr) for fr in frames)        # nothing decoded yet
    assert all(p.composed_from for p in got.pages)
    _same(got, fresh)
    assert not any(_lazy(fr) for fr in frames)               # decoded once read


def _jumping(iss):
    page_of = {f.id: p.number for p in iss.pages for f in p.frames}
    return next(st for st in iss.stories.values()
                if st.thread and len({page_of[f] for f in st.thread}) > 1), page_of


def test_an_edit_in_a_story_that_jumps_keeps_the_other_pages_undecoded(
        issue, fontset, tmp_path):
    _compose(issue, fontset, LayoutDiskCache(tmp_path))
    iss = copy.deepcopy(issue)
    story, page_of = _jumping(iss)
    story.paragraphs[0].runs[0].text = "补一句开头的话，" + story.paragraphs[0].runs[0].text
    disk = LayoutDiskCache(tmp_path)
    got = _compose(iss, fontset, disk)
    touched = {page_of[f] for f in story.thread}
    for p in got.pages:                     # pages it is not on: their stored page pass
        if p.number not in touched:
            assert all(_lazy(fr) for fr in p.frames if fr.kind == "text"), p.number
    assert any(k.startswith("page-") for k in disk.written)
    _same(got, _compose(iss, fontset))
    again = _compose(iss, fontset, LayoutDiskCache(tmp_path))     # the edited issue, read
    _same(again, _compose(iss, fontset))


def test_a_style_change_composes_afresh_and_equal(issue, fontset, tmp_path):
    _compose(issue, fontset, LayoutDiskCache(tmp_path))
    iss = copy.deepcopy(issue)
    body = iss.stories[_jumping(iss)[0].id].paragraphs[0].style
    st = iss.paragraph_styles[body]
    st.size = "五号" if st.size != "五号" else "小五"
    got = _compose(iss, fontset, LayoutDiskCache(tmp_path))
    _same(got, _compose(iss, fontset))


@pytest.mark.parametrize("kind", ["page", "fill", "pagepass", "issue", "frame"])
@pytest.mark.parametrize("how", ["flip", "cut"])
def test_a_corrupt_entry_is_composed_again(issue, fontset, tmp_path, kind, how):
    fresh = _compose(issue, fontset)
    _compose(issue, fontset, LayoutDiskCache(tmp_path))
    iss = copy.deepcopy(issue)              # an edited issue: fills and page passes read
    story, _ = _jumping(iss)
    story.paragraphs[-1].runs[-1].text += "补一句。"
    _compose(iss, fontset, LayoutDiskCache(tmp_path))
    names = sorted(n for n in os.listdir(tmp_path) if n.startswith(kind + "-"))
    assert names
    for n in names:
        path = tmp_path / n
        data = bytearray(path.read_bytes())
        if how == "flip":                   # a byte deep inside (a frame's items, likely)
            data[len(data) * 2 // 3] ^= 0x55
        else:
            del data[len(data) // 2:]
        path.write_bytes(bytes(data))
    for model in (issue, iss):
        got = _compose(model, fontset, LayoutDiskCache(tmp_path))
        _same(got, fresh if model is issue else _compose(iss, fontset))


def test_an_unchanged_export_decodes_next_to_nothing(tmp_path, monkeypatch):
    """The command line's export of an issue exported before: the result from the cache,
    the pages from the writer's memo, the checks from run styles and graphics; of all its
    frames only the one the slug's face is looked up in is decoded."""
    import shutil

    import main
    from output import PdfOptions, export_pdf
    shutil.copy(SAMPLE.parent / "photo.jpg", tmp_path / "photo.jpg")
    shutil.copy(SAMPLE, tmp_path / "issue.yaml")
    monkeypatch.setenv("BANMIAN_CACHE_DIR", str(tmp_path / "cache"))

    def export(name):
        issue, fontset, result = main.compose(str(tmp_path / "issue.yaml"))
        export_pdf(result, fontset, str(tmp_path / name), PdfOptions.from_issue(issue, "proof"))
        return result
    export("first.pdf")
    decoded = []
    monkeypatch.setattr(R.Lazy, "get", lambda self, real=R.Lazy.get: decoded.append(self)
                        or real(self))
    res = export("again.pdf")
    frames = [fr for p in res.pages for fr in p.frames]
    assert len(frames) > 10 and len(decoded) <= 1
