"""An export keeps its story passes (layout.compose ``_kept_pass``): a re-export after one
story's text changed passes only that story through its frames, and its result is the one
a compose from scratch gives; anything else changed, or a kept frame gone from the cache,
passes every story again."""
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
