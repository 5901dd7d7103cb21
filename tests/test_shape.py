"""长/扁 type: styles narrow or lower the glyphs; the breaker, the PDF and Qt agree."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from layout import model as m
from layout.compose import Composer
from layout.docfile import dump_issue, parse_issue
from support.standin import CJK_FONTS, StandInFace

TEXT = "职工之家建设工会服务职工中国新闻工作者协会" * 6


class _FaceSet:
    """Every role → one face (a real TrueType stand-in or the square test face)."""

    def __init__(self, face):
        self._face = face

    def faces(self, role):
        return [self._face]

    def primary(self, role):
        return self._face

    def face(self, key):
        assert key == self._face.key
        return self._face


def issue_with(shape: str, text: str = TEXT, cols: int = 1) -> m.Issue:
    iss = m.Issue(fonts=m.default_fonts(), paragraph_styles=m.default_styles())
    iss.paragraph_styles["body"] = dataclasses.replace(iss.paragraph_styles["body"], indent=0,
                                                       shape=shape)
    iss.stories["s"] = m.Story("s", paragraphs=[m.Paragraph("body", [m.Run(text)])],
                               thread=["t"])
    iss.pages = [m.Page(1, frames=[m.TextFrame("t", col=0, line=0, cols=cols, lines=30)])]
    return iss


def frame_of(result):
    return result.pages[0].frames[0]


@pytest.mark.parametrize("shape,scale", [("", (1.0, 1.0)), ("长1", (0.9, 1.0)),
                                         ("长二", (0.8, 1.0)), ("扁1", (1.0, 0.9)),
                                         ("扁4", (1.0, 0.6))])
def test_shape_names_give_the_fit_convention(shape, scale):
    assert m.shape_scale(shape) == scale


def test_long_type_sets_more_characters_per_line(square):
    normal = frame_of(Composer(issue_with(""), square).compose())
    narrow = frame_of(Composer(issue_with("长2"), square).compose())
    # a 13字 column: 13 characters of 9 pt; 长2 glyphs are 7.2 pt wide: 16 fit (16 × 7.2 = 115.2)
    assert {ln.end - ln.start for ln in normal.lines[:-1]} == {13}
    assert {ln.end - ln.start for ln in narrow.lines[:-1]} == {16}
    run = narrow.lines[0].runs[0]
    assert (run.size, run.hscale, run.vscale) == (9.0, 0.8, 1.0)       # font size kept
    assert abs(run.xs[1] - run.xs[0] - (7.2 + 1.8 / 15)) < 0.01        # scaled, justified
    assert abs(narrow.lines[0].right - (narrow.lines[0].x + 117.0)) < 0.01  # justified


def test_flat_type_keeps_widths(square):
    flat = frame_of(Composer(issue_with("扁2"), square).compose())
    assert {ln.end - ln.start for ln in flat.lines[:-1]} == {13}
    assert {(r.hscale, r.vscale) for ln in flat.lines for r in ln.runs} == {(1.0, 0.8)}


def test_char_style_shape_overrides_the_paragraph(square):
    iss = issue_with("")
    iss.char_styles["narrow"] = m.CharStyle(shape="长1")
    iss.stories["s"].paragraphs = [m.Paragraph("body", [m.Run("正常宽度"), m.Run("长一字", "narrow")])]
    runs = frame_of(Composer(iss, square).compose()).lines[0].runs
    assert [(r.text, r.hscale) for r in runs] == [("正常宽度", 1.0), ("长一字", 0.9)]


def test_shape_round_trips_through_yaml():
    iss = issue_with("长2")
    iss.char_styles["flat"] = m.CharStyle(shape="扁1")
    text = dump_issue(iss)
    assert "shape: 长2" in text and "shape: 扁1" in text
    again = parse_issue(text, "issue.yaml")
    assert again.paragraph_styles["body"].shape == "长2"
    assert again.char_styles["flat"].shape == "扁1"
    assert dump_issue(again) == text


def test_headline_tries_long_type_before_a_smaller_size(square):
    iss = issue_with("")
    iss.stories["s"].headline = m.Headline(title="深入学习贯彻总书记重要讲话")   # 13 characters
    iss.paragraph_styles["title"] = m.ParagraphStyle(font="headline", size="一号", leading=3,
                                                     indent=0, align="center")

    def title_runs(width_mm):
        frame = m.HeadlineFrame("h", box=["0mm", "0mm", f"{width_mm}mm", "36pt"], lines=3,
                                story="s", kicker_style="", subtitle_style="")
        iss.pages[0].frames[1:] = [frame]
        res = Composer(iss, square).compose()
        return res.pages[0].frames[1].runs, res.diagnostics
    # at 26 pt the 13 characters need 338 pt; 长一 304.2 pt; 长二 270.4 pt; one line fits
    runs, _ = title_runs(125)                            # 354 pt: as set
    assert {(r.size, r.hscale) for r in runs} == {(26.0, 1.0)} and len(runs) == 1
    runs, diags = title_runs(110)                        # 312 pt: 长一 of the same 号
    assert {(r.size, r.hscale) for r in runs} == {(26.0, 0.9)} and len(runs) == 1
    assert any(d.code == "headline-fit" and "长一" in d.message for d in diags)
    runs, _ = title_runs(98)                             # 278 pt: 长二
    assert {(r.size, r.hscale) for r in runs} == {(26.0, 0.8)}
    runs, _ = title_runs(90)                             # 255 pt: only a smaller 号
    assert {r.size for r in runs} == {24.0} and {r.hscale for r in runs} == {0.8}


def test_vertical_title_in_flat_type(square):
    iss = issue_with("")
    iss.stories["s"].headline = m.Headline(title="职工之家")
    iss.paragraph_styles["title"] = m.ParagraphStyle(font="headline", size="一号", leading=3,
                                                     indent=0, shape="扁2")
    iss.pages[0].frames.append(m.HeadlineFrame("v", col=0, line=0, cols=1, lines=20, story="s",
                                               vertical=True))
    fr = Composer(iss, square).compose().pages[0].frames[1]
    (run,) = fr.runs
    assert (run.size, run.hscale, run.vscale) == (26.0, 1.0, 0.8)
    steps = {round(b - a, 3) for a, b in zip(run.ys, run.ys[1:])}
    assert steps == {20.8}                               # each character 0.8 em down


@pytest.fixture(scope="module")
def cjk():
    for p in CJK_FONTS:
        if Path(p).exists() and p.endswith(".ttf"):
            face = StandInFace("BanmianTestKai", p)
            face.data = lambda: Path(p).read_bytes()     # what the Qt painter loads
            return face
    pytest.skip("no TrueType CJK font installed (fonts-lxgw-wenkai or fonts-wqy-zenhei)")


def test_pdf_text_matrix_scales_the_glyphs(tmp_path, cjk):
    pypdf = pytest.importorskip("pypdf")
    from pypdf.generic import ContentStream

    from output import PdfOptions, write_pdf
    fs = _FaceSet(cjk)
    paths = {}
    for shape in ("", "长2", "扁1"):
        res = Composer(issue_with(shape, TEXT[:10]), fs).compose()
        paths[shape] = tmp_path / f"s{shape or 'n'}.pdf"
        write_pdf(res, fs, str(paths[shape]), PdfOptions())
    mats = {}
    for shape, path in paths.items():
        reader = pypdf.PdfReader(str(path))
        ops = ContentStream(reader.pages[0].get_contents(), reader).operations
        mats[shape] = [tuple(float(v) for v in args[:4]) for args, op in ops if op == b"Tm"]
    # the body's runs carry the scale; the writer's own slug line stays unscaled
    assert mats[""] and set(mats[""]) == {(1, 0, 0, 1)}
    assert mats["长2"][0] == (0.8, 0, 0, 1) and set(mats["长2"]) == {(0.8, 0, 0, 1), (1, 0, 0, 1)}
    assert mats["扁1"][0] == (1, 0, 0, 0.9) and set(mats["扁1"]) == {(1, 0, 0, 0.9), (1, 0, 0, 1)}
    # the glyphs land where the layout put them: PyMuPDF's character origins
    fitz = pytest.importorskip("fitz")
    res = Composer(issue_with("长2", TEXT[:10]), fs).compose()
    run = frame_of(res).lines[0].runs[0]
    doc = fitz.open(str(paths["长2"]))
    chars = [c for b in doc[0].get_text("rawdict")["blocks"] for ln in b.get("lines", [])
             for sp in ln["spans"] for c in sp["chars"] if c["c"] in TEXT[:10]]
    xs = [c["origin"][0] for c in chars]
    steps = [b - a for a, b in zip(xs, xs[1:])]
    want = [b - a for a, b in zip(run.xs, run.xs[1:])]
    assert len(steps) == len(want)
    assert max(abs(a - b) for a, b in zip(steps, want)) < 0.01


def test_qt_draws_long_type_narrower(qapp, cjk):
    from PySide6.QtGui import QImage, QPainter, QColor

    from editor.render import FontCache, PreparedFrame
    fs = _FaceSet(cjk)

    def ink(shape):
        """(width, height) of the ink a frame of eight characters draws, at 3 px a point."""
        fr = frame_of(Composer(issue_with(shape, "国" * 8), fs).compose())
        img = QImage(400, 60, QImage.Format.Format_ARGB32)
        img.fill(QColor("white"))
        p = QPainter(img)
        p.scale(3.0, 3.0)
        p.translate(-fr.rect[0], -fr.rect[1])
        PreparedFrame(fr, FontCache(fs), {"black": (0, 0, 0, 1)}).paint(
            p, {"black": (0, 0, 0, 1)}, None)
        p.end()
        dark = [(x, y) for x in range(img.width()) for y in range(img.height())
                if img.pixelColor(x, y).lightness() < 128]
        assert dark, "nothing drawn"
        xs, ys = [x for x, _ in dark], [y for _, y in dark]
        return max(xs) - min(xs), max(ys) - min(ys), max(ys)

    normal, narrow, flat = ink(""), ink("长2"), ink("扁2")
    # eight characters with their gaps: 长2 ink spans 0.8 of the width at the same height
    assert abs(narrow[0] / normal[0] - 0.8) < 0.03, (normal, narrow)
    assert abs(narrow[1] - normal[1]) <= 1
    # 扁2: the same width, 0.8 of the height, standing on the same baseline
    assert abs(flat[0] - normal[0]) <= 1
    assert abs(flat[1] / normal[1] - 0.8) < 0.05, (normal, flat)
    assert abs(flat[2] - normal[2]) <= 2
