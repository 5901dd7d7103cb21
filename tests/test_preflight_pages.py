"""The preflight of an export kept per page (output.preflight.kept_preflight): a page that
changed is checked again, an unchanged one keeps its findings, and the findings are those
of a whole preflight, in the same order."""
from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from layout.result import FrameResult, ImageItem, LayoutResult, PageResult
from output import PdfOptions
from support.standin import CJK_FONTS, COLORS, StandInFace, StandInFontSet, run

P = importlib.import_module("output.preflight")     # the module (output exports its function)


@pytest.fixture(scope="module")
def cjk():
    for p in CJK_FONTS:
        if Path(p).exists():
            return StandInFace("BanmianTestKai", p)
    pytest.skip("no TrueType CJK font installed (fonts-lxgw-wenkai or fonts-wqy-zenhei)")


def page(cjk, number: int, stamp: str, color: str = "black", image: str = "") -> PageResult:
    """A page of two text frames (the second's text in ``color``), perhaps a photo;
    ``stamp``: its composed_from (what the layout cache names it by)."""
    frames = [FrameResult("a%d" % number, "text", (36, 60, 200, 130), story="s1", items=(
        run(cjk, "本报讯全省职工技能竞赛", 40.0, 80.0),)),
        FrameResult("b%d" % number, "text", (36, 200, 200, 60), story="s1", items=(
            run(cjk, "竞赛组委会负责人说", 40.0, 220.0, color=color),))]
    if image:
        frames.append(FrameResult("p%d" % number, "photo", (260, 220, 120, 90), items=(
            ImageItem((260, 220, 120, 90), (260, 220, 120, 90), image, (400, 300), 200.0),)))
    p = PageResult(number, 420, 595, tuple(frames))
    object.__setattr__(p, "composed_from", stamp)
    return p


def result(*pages) -> LayoutResult:
    return LayoutResult(pages=tuple(pages), copyfit={}, colors=dict(COLORS))


def found(diags) -> list[tuple]:
    return [(d.level, d.code, d.message, d.page, d.frame, d.story) for d in diags]


def test_a_changed_page_is_checked_again_an_unchanged_one_keeps_its_findings(
        tmp_path, monkeypatch, cjk):
    monkeypatch.setenv("BANMIAN_CACHE_DIR", str(tmp_path / "cache"))
    fs = StandInFontSet([cjk])
    junk = tmp_path / "junk.jpg"
    junk.write_bytes(b"this is not an image")
    checked = []
    real = P._page_checks
    monkeypatch.setattr(P, "_page_checks", lambda pg, *a: checked.append(pg.number) or
                        real(pg, *a))
    for mode in ("proof", "print"):
        opts = PdfOptions(mode=mode)
        checked.clear()
        # page 1 uses a colour nobody defined; page 3 places an unreadable image
        res = result(page(cjk, 1, "one", "teal"), page(cjk, 2, "two"),
                     page(cjk, 3, "three", image=str(junk)))
        first = found(P.kept_preflight(res, fs, opts))
        assert first == found(P.preflight(res, fs, opts))
        assert ("warning", "color-unknown") in {d[:2] for d in first if d[3] == 1}
        assert ("error", "image-unreadable") in {d[:2] for d in first if d[3] == 3}
        assert checked == [1, 2, 3]
        # page 1 fixed, page 2 given the unknown colour, page 3 unchanged
        checked.clear()
        res = result(page(cjk, 1, "one-fixed"), page(cjk, 2, "two-teal", "teal"),
                     page(cjk, 3, "three", image=str(junk)))
        again = found(P.kept_preflight(res, fs, opts))
        assert again == found(P.preflight(res, fs, opts))
        assert checked == [1, 2]                   # page 3 kept its findings unchecked
        unknown = [d for d in again if d[1] == "color-unknown"]
        assert [(d[3], d[4]) for d in unknown] == [(2, "b2")]    # page 1 lost it, page 2 got it
        assert ("error", "image-unreadable") in {d[:2] for d in again if d[3] == 3}
        # the same pages again: the whole document's findings kept, no page checked
        checked.clear()
        assert found(P.kept_preflight(res, fs, opts)) == again and checked == []
    # the image file changed: its page is checked again (a sound image, no error now)
    from PIL import Image
    Image.new("RGB", (40, 30)).save(junk, "JPEG")
    checked.clear()
    opts = PdfOptions(mode="proof")
    got = found(P.kept_preflight(res, fs, opts))
    assert got == found(P.preflight(res, fs, opts))
    assert 3 in checked and not [d for d in got if d[1] == "image-unreadable"]
