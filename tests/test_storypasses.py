"""An export keeps its story passes (layout.compose ``_kept_pass``): a re-export after one
story's text changed passes only that story through its frames, and its result is the one
a compose from scratch gives; anything else changed, or a kept frame gone from the cache,
passes every story again.  Also: a page kept in the layout cache read without its items."""
from __future__ import annotations

import copy
import os

import pytest

from layout import compose as C
from layout.compose import Composer
from layout.diskcache import LayoutDiskCache
from layout.headline import Segmenter
from support.bigissue import big_issue, sample_issue
from support.paths import SAMPLE


@pytest.fixture(scope="module")
def fontset(real_fontset_factory):
    return real_fontset_factory(sample_issue().fonts)


@pytest.fixture(scope="module")
def issue():
    return big_issue(4, vary=True)


def _export(issue, fontset, folder, monkeypatch):
    """An export's compose (whole results, a fresh disk cache object as in a new process):
    (result, the stories passed through their frames)."""
    passed = []
    real = Composer._story_pass
    monkeypatch.setattr(Composer, "_story_pass", lambda self, flow, story, *a:
                        passed.append(story.id) or real(self, flow, story, *a))
    res = Composer(issue, fontset, base_dir=str(SAMPLE.parent), segmenter=Segmenter(),
                   disk=LayoutDiskCache(folder)).compose()
    monkeypatch.setattr(Composer, "_story_pass", real)
    return res, passed


def _fresh(issue, fontset):
    return Composer(issue, fontset, base_dir=str(SAMPLE.parent), segmenter=Segmenter()).compose()


def _same(a, b):
    assert a == b
    assert a.diagnostics == b.diagnostics and dict(a.copyfit) == dict(b.copyfit)
    assert [[(f.frame_id, f.items) for f in p.frames] for p in a.pages] == \
        [[(f.frame_id, f.items) for f in p.frames] for p in b.pages]


def test_a_text_edit_passes_only_its_story(issue, fontset, tmp_path, monkeypatch):
    _res, passed = _export(issue, fontset, tmp_path, monkeypatch)
    assert sorted(passed) == sorted(issue.stories)              # the first: every story
    edited = copy.deepcopy(issue)
    story = max(edited.stories.values(), key=lambda s: len(s.thread))
    story.paragraphs[-1].runs[-1].text += "（又补充了一句。）"
    res, passed = _export(edited, fontset, tmp_path, monkeypatch)
    assert passed == [story.id]
    _same(res, _fresh(edited, fontset))
    # another edit of the same story: only it again
    again = copy.deepcopy(edited)
    again.stories[story.id].paragraphs[0].runs[0].text += "补"
    res, passed = _export(again, fontset, tmp_path, monkeypatch)
    assert passed == [story.id]
    _same(res, _fresh(again, fontset))
    res, passed = _export(issue, fontset, tmp_path, monkeypatch)
    assert passed == []                                         # the whole result, kept
    _same(res, _fresh(issue, fontset))


def test_a_change_beside_the_text_passes_every_story(issue, fontset, tmp_path, monkeypatch):
    _export(issue, fontset, tmp_path, monkeypatch)
    moved = copy.deepcopy(issue)
    sid = next(s for s, st in moved.stories.items() if st.headline.title)
    moved.stories[sid].headline.title += "新"                 # a story's field, not its text
    res, passed = _export(moved, fontset, tmp_path, monkeypatch)
    assert sorted(passed) == sorted(moved.stories)
    _same(res, _fresh(moved, fontset))


def test_a_kept_frame_gone_from_the_cache_composes_again(issue, fontset, tmp_path,
                                                          monkeypatch):
    _export(issue, fontset, tmp_path, monkeypatch)
    edited = copy.deepcopy(issue)
    story = max(edited.stories.values(), key=lambda s: len(s.thread))
    story.paragraphs[-1].runs[-1].text += "再加一句。"
    for name in os.listdir(tmp_path):                         # every fill entry gone
        if name.startswith("fill-"):
            os.unlink(tmp_path / name)
    stale = []
    real = C._Flowed.get
    monkeypatch.setattr(C._Flowed, "get", lambda self, fid, default=None: _spy(
        real, self, fid, default, stale))
    res, _passed = _export(edited, fontset, tmp_path, monkeypatch)
    assert stale                                              # a kept frame was missed
    _same(res, _fresh(edited, fontset))


def _spy(real, flowed, fid, default, stale):
    try:
        return real(flowed, fid, default)
    except C._StaleEntry:
        stale.append(fid)
        raise


def _read_back(issue, fontset, folder, monkeypatch):
    """(the whole result read back from the layout cache in ``folder``, the names of the
    entries that reading opened, in order (the list grows as later reads open more), the
    cache read from)."""
    from layout import diskcache as D
    opened = []
    real = D.cache_read_checked
    monkeypatch.setattr(D, "cache_read_checked", lambda p: opened.append(os.path.basename(p))
                        or real(p))
    disk = LayoutDiskCache(folder)
    return disk.get_issue_result(disk.begin(_Probe(issue, fontset))), opened, disk


def test_pages_are_read_without_their_items_until_drawn(issue, fontset, tmp_path,
                                                         monkeypatch):
    """A page is kept as its frames (a few KB, its items named) and its items apart: a
    whole result read back opens no items until a frame's are read, and then they are
    the composed ones; a page whose items are gone is a miss."""
    import time

    res, _ = _export(issue, fontset, tmp_path, monkeypatch)
    pages = [n for n in os.listdir(tmp_path) if n.startswith("page-")]
    assert len(pages) == len(res.pages)
    for n in pages:
        items = tmp_path / ("pageitems-" + n[5:])
        assert (tmp_path / n).stat().st_size * 4 < items.stat().st_size
    back, opened, disk = _read_back(issue, fontset, tmp_path, monkeypatch)
    assert back is not None and not [n for n in opened if n.startswith("pageitems-")]
    assert back == res                      # reading the items opens them
    assert len([n for n in opened if n.startswith("pageitems-")]) == len(res.pages)
    # stored again (a whole result of these pages): not written again
    assert disk._put_page(back.pages[0]) == back.pages[0].composed_from
    # a page's items used while its page is: pruned only with it
    old = time.time() - 40 * 86400
    items = tmp_path / ("pageitems-" + pages[0][5:])
    os.utime(items, (old, old))
    assert disk.prune() == 0 and items.exists()
    os.utime(tmp_path / pages[0], (old, old))
    assert disk.prune() == 2 and not items.exists()
    # the items of another page gone: that page is a miss, the result composed again
    os.unlink(tmp_path / ("pageitems-" + pages[1][5:]))
    disk = LayoutDiskCache(tmp_path)
    assert disk.get_issue_result(disk.begin(_Probe(issue, fontset))) is None
    res2, _passed = _export(issue, fontset, tmp_path, monkeypatch)
    _same(res2, res)


class _Probe:
    def __init__(self, issue, fontset):
        self.issue, self.fontset = issue, fontset
        self.base_dir, self.allow_outside = str(SAMPLE.parent), False


def test_a_text_edit_works_out_the_photo_wraps_of_its_pages_alone(issue, fontset, tmp_path,
                                                                    monkeypatch):
    """A re-export after a story's text changed works out the grid lines photos and boxes
    take (``Composer._blocked``) only on the pages of that story's frames, and composes as
    a compose from scratch does (the story chosen runs beside a wrapped photo)."""
    _export(issue, fontset, tmp_path, monkeypatch)
    edited = copy.deepcopy(issue)
    page_of = {fr.id: page for page in edited.pages for fr in page.frames}
    wrapped = {page.number for page in edited.pages for fr in page.frames
               if getattr(getattr(fr, "wrap", None), "mode", "none") != "none"}
    story = next(st for st in edited.stories.values()
                 if st.thread and page_of[st.thread[0]].number in wrapped)
    story.paragraphs[-1].runs[-1].text += "（绕排的一段又加了一句。）"
    asked = []
    real = Composer._blocked
    monkeypatch.setattr(Composer, "_blocked", lambda self, page, *a:
                        asked.append(page.number) or real(self, page, *a))
    res, passed = _export(edited, fontset, tmp_path, monkeypatch)
    assert passed == [story.id]
    assert sorted(set(asked)) == sorted({page_of[fid].number for fid in story.thread})
    assert len(asked) == len(set(asked))                    # each page's once
    monkeypatch.setattr(Composer, "_blocked", real)
    _same(res, _fresh(edited, fontset))


def test_the_first_face_is_told_without_decoding_a_page(issue, fontset, tmp_path,
                                                        monkeypatch):
    """``output.pdf.first_font`` (the slug's face, part of the preflight's and the writer's
    keys) of a whole result read from the layout cache opens no page's items, and is the
    face of its first glyph run."""
    from output.pdf import first_font
    res, _ = _export(issue, fontset, tmp_path, monkeypatch)
    back, opened, _ = _read_back(issue, fontset, tmp_path, monkeypatch)
    face = first_font(back)
    assert not [n for n in opened if n.startswith("pageitems-")]
    assert face == next(run.font for p in res.pages for run in p.runs()) == first_font(res)
