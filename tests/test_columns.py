"""Even column feet: balanced frames end level, widow/orphan rules leave no holes,
the breaker's looseness, the overlap preflight and check --json's column figures."""
from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

from layout import model as m
from layout.breaking import LOOSE_MAX_GAP, Prepared, compose_lines
from layout.compose import Composer
from layout.docfile import save_issue
from layout.flow import column_feet, uneven_feet
from layout.grid import PageGeometry
from layout.shaping import RunSpec, shape

ROOT = Path(__file__).resolve().parent.parent


def issue_with(paragraphs, frames, thread, indent=2):
    iss = m.Issue(fonts=m.default_fonts(), paragraph_styles=m.default_styles())
    iss.paragraph_styles["body"] = dataclasses.replace(iss.paragraph_styles["body"],
                                                       indent=indent)
    iss.stories["s"] = m.Story("s", paragraphs=[m.Paragraph("body", [m.Run(t)])
                                                for t in paragraphs], thread=thread)
    iss.pages = [m.Page(1, frames=frames)]
    return iss


def feet(result, fid):
    pitch = PageGeometry.of(m.Paper()).pitch
    fr = next(f for p in result.pages for f in p.frames if f.frame_id == fid)
    return column_feet(fr, pitch)


def widest_gap_em(result, size=9.0):
    """The widest space between two neighbouring glyphs of a justified line (em)."""
    worst = 0.0
    for page in result.pages:
        for fr in page.frames:
            for ln in fr.lines:
                for r in ln.runs:
                    for x0, a, x1 in zip(r.xs, r.advances, r.xs[1:]):
                        worst = max(worst, (x1 - x0 - size) / size if a >= size - 0.01 else 0)
    return worst


def story_chars(result):
    return sum(ln.end - ln.start for p in result.pages for f in p.frames for ln in f.lines)


# ---------------------------------------------------------------- the breaker
def test_looseness_sets_a_paragraph_a_line_longer_within_the_limit(square):
    sh = shape([RunSpec("中" * 130, "body", 9.0, "black")], square, 9.0)
    p = Prepared(sh)
    best = compose_lines(p, 117.0)                      # 13 a line: 10 lines
    looser = compose_lines(p, 117.0, looseness=1)
    assert len(best) == 10 and len(looser) == 11
    assert sum(ln.end - ln.start for ln in looser) == 130
    for ln in looser[:-1]:                              # 12 characters spread over 13 places
        gaps = [b - a - 9.0 for a, b in zip(ln.xs, ln.xs[1:])]
        assert max(gaps) <= LOOSE_MAX_GAP * 9.0 + 1e-6
    # three lines more would need 0.2 em gaps: refused, not set loose
    assert compose_lines(p, 117.0, looseness=4) is None
    # no punctuation to compress: a line shorter cannot be had
    assert compose_lines(p, 117.0, looseness=-1) is None


# ---------------------------------------------------------------- balancing
def test_eight_columns_never_leave_the_last_one_empty(square):
    # 57 lines in 8 columns of 12: 8 × 7 + 1 would leave 7 + … + 7 + 1 (or an empty column)
    paras = ["中" * 12 * 13 + "中" * 13] * 4 + ["中" * 13 * 4]
    iss = issue_with(paras, [m.TextFrame("t", col=0, line=0, cols=8, lines=12,
                                         balance=True)], ["t"], indent=0)
    res = Composer(iss, square).compose()
    got = feet(res, "t")
    assert all(n for n, _ in got), got                  # no column empty
    assert uneven_feet(got) == 0, got
    assert story_chars(res) == sum(len(t) for t in paras)
    assert widest_gap_em(res) <= LOOSE_MAX_GAP + 1e-6


def test_three_line_module_ends_level(square):
    # 3-line-deep, 5 columns: 13 lines must not leave two columns short mid-row
    paras = ["中" * (13 * 4 - 2) + "。", "中" * 13 * 5, "中" * 13 * 4]
    iss = issue_with(paras, [m.TextFrame("t", col=0, line=0, cols=5, lines=3,
                                         balance=True)], ["t"], indent=0)
    res = Composer(iss, square).compose()
    got = feet(res, "t")
    assert uneven_feet(got) == 0, got
    assert [d for _, d in got][:-1] == [3, 3, 3, 3]
    assert story_chars(res) == sum(len(t) for t in paras)


def test_balanced_frame_that_cannot_even_says_so(square):
    # one line of text in three columns: nothing to re-break; the copyfit counts what is empty
    iss = issue_with(["中" * 13], [m.TextFrame("t", col=0, line=0, cols=3, lines=4,
                                               balance=True)], ["t"], indent=0)
    res = Composer(iss, square).compose()
    cf = res.copyfit["s"]
    assert cf.underset_lines == 12 - cf.lines and cf.label() == f"缺 {12 - cf.lines} 行"


def test_when_nothing_evens_the_feet_no_column_is_left_empty(square):
    # eighteen one-line paragraphs (none can be set a line longer or shorter) in 8 columns:
    # 18 lines never end level; the first columns take one line more, none stays empty
    iss = issue_with(["中" * 13] * 18, [m.TextFrame("t", col=0, line=0, cols=8, lines=4,
                                                    balance=True)], ["t"], indent=0)
    res = Composer(iss, square).compose()
    assert [d for _, d in feet(res, "t")] == [3, 3, 2, 2, 2, 2, 2, 2]
    assert res.copyfit["s"].label() == "缺 14 行"
    assert [(d.level, d.frame) for d in res.diagnostics if d.code == "uneven-feet"] == \
        [("warning", "t")]


# ---------------------------------------------------------------- widows and holes
def test_widow_rule_leaves_no_hole_mid_module(square):
    # column one holds 12; the second paragraph's 5 lines would leave 1 at the next head
    paras = ["中" * 13 * 8, "中" * 13 * 5, "中" * 13 * 6]
    iss = issue_with(paras, [m.TextFrame("t", col=0, line=0, cols=2, lines=12)], ["t"],
                     indent=0)
    res = Composer(iss, square).compose()
    got = feet(res, "t")
    assert got[0] == (12, 12), got                      # the first column ends at its foot
    fr = res.pages[0].frames[0]
    col2 = [ln for ln in fr.lines if ln.x > fr.lines[0].x + 1]
    first = col2[0]
    # the next column does not open with a paragraph's lone last line (a widow)
    rest = [ln for ln in fr.lines if ln.para == first.para]
    assert not (first.start > 0 and first is rest[-1])
    assert res.copyfit["s"].underset_lines == 24 - sum(n for n, _ in got)
    assert widest_gap_em(res) <= LOOSE_MAX_GAP + 1e-6


def test_a_hole_nothing_can_close_is_said_on_its_frame(square):
    # five characters a line: one character less would open 0.25 em gaps, so no paragraph
    # can be set a line longer or shorter.  A one-line paragraph, then five lines into four
    # free ones: the widow rule moves a line on and leaves a hole, which is reported
    def frames(lines_a, lines_b):
        return [m.TextFrame("a", box=["0pt", "0pt", "45pt", f"{12 * lines_a}pt"]),
                m.TextFrame("b", box=["100pt", "0pt", "45pt", f"{12 * lines_b}pt"])]
    iss = issue_with(["中" * 5, "中" * 25], frames(5, 2), ["a", "b"], indent=0)
    res = Composer(iss, square).compose()
    fa = res.pages[0].frames[0]
    assert feet(res, "a") == [(4, 4)] and fa.empty_lines == 1
    assert res.copyfit["s"].label() == "缺 1 行"
    warn = [d for d in res.diagnostics if d.code == "uneven-feet"]
    assert [(d.level, d.frame, d.page) for d in warn] == [("warning", "a", 1)]
    assert "缺 1 行" in warn[0].message
    # a frame one line shorter leaves no widow to avoid: no hole, no warning
    iss.pages[0].frames = frames(4, 2)
    res = Composer(iss, square).compose()
    assert res.pages[0].frames[0].empty_lines == 0 and res.copyfit["s"].label() == "正好"
    assert not [d for d in res.diagnostics if d.code == "uneven-feet"]


# ---------------------------------------------------------------- overlap preflight
def _codes(res):
    return sorted((d.level, d.code, d.frame) for d in res.diagnostics
                  if d.code in ("text-hidden", "frame-overlap"))


def test_text_frame_over_a_headline_is_an_error(square):
    iss = issue_with(["中" * 200], [
        m.HeadlineFrame("h", col=0, line=0, cols=3, lines=3, story="s"),
        m.TextFrame("t", col=0, line=1, cols=3, lines=10)], ["t"])
    iss.stories["s"].headline = m.Headline(title="标题文字")
    assert _codes(Composer(iss, square).compose()) == [("error", "text-hidden", "h")]


def test_photo_without_wrap_over_text_is_an_error_with_wrap_none(square, tmp_path):
    def compose(wrap):
        iss = issue_with(["中" * 400], [
            m.TextFrame("t", col=0, line=0, cols=3, lines=20),
            m.PhotoFrame("p", col=1, line=2, cols=1, lines=5,
                         wrap=m.Wrap(mode="frame" if wrap else "none"))], ["t"])
        return Composer(iss, square, base_dir=str(tmp_path)).compose()
    assert _codes(compose(False)) == [("error", "text-hidden", "t")]
    assert _codes(compose(True)) == []


def test_text_laid_over_a_photo_without_wrap_is_an_error(square, tmp_path):
    def compose(wrap):
        iss = issue_with(["中" * 400], [
            m.PhotoFrame("p", col=1, line=2, cols=1, lines=5,
                         wrap=m.Wrap(mode="frame" if wrap else "none")),
            m.TextFrame("t", col=0, line=0, cols=3, lines=20)], ["t"])
        return Composer(iss, square, base_dir=str(tmp_path)).compose()
    res = compose(False)
    assert _codes(res) == [("error", "text-hidden", "t")]
    assert "over photo frame 'p'" in next(d.message for d in res.diagnostics
                                          if d.code == "text-hidden")
    assert _codes(compose(True)) == []


def test_overlapping_text_frames_are_a_warning(square):
    iss = issue_with(["中" * 20], [
        m.TextFrame("a", col=0, line=0, cols=2, lines=10),
        m.TextFrame("b", col=1, line=5, cols=2, lines=10)], ["a"])
    # frame a holds two lines; b is empty but overlaps it: a warning, no glyph hidden
    assert _codes(Composer(iss, square).compose()) == [("warning", "frame-overlap", "b")]
    iss.stories["s2"] = m.Story("s2", paragraphs=[m.Paragraph("body", [m.Run("中" * 30)])],
                                thread=["b"])
    res = Composer(iss, square).compose()
    assert _codes(res) == [("warning", "frame-overlap", "b")]


def test_filled_box_over_text_hides_it_and_a_box_below_does_not(square):
    below = issue_with(["中" * 100], [m.BoxFrame("x", col=0, line=0, cols=3, lines=10, fill="grey"),
                                      m.TextFrame("t", col=0, line=0, cols=3, lines=10)], ["t"])
    assert _codes(Composer(below, square).compose()) == []
    above = issue_with(["中" * 100], [m.TextFrame("t", col=0, line=0, cols=3, lines=10),
                                      m.BoxFrame("x", col=0, line=0, cols=3, lines=10, fill="grey")],
                       ["t"])
    assert _codes(Composer(above, square).compose()) == [("error", "text-hidden", "t")]


def test_order_follows_layers_and_non_printing_frames_hide_nothing(square):
    # the box is listed after the text but sits on the lower layer: drawn below, no error
    iss = issue_with(["中" * 100], [m.TextFrame("t", col=0, line=0, cols=3, lines=10),
                                    m.BoxFrame("x", col=0, line=0, cols=3, lines=10, fill="grey",
                                               layer="底")], ["t"])
    iss.layers = [m.Layer("底"), m.Layer("文")]
    iss.pages[0].frames[0].layer = "文"
    assert _codes(Composer(iss, square).compose()) == []
    # on top, but on a layer that never prints (a placeholder ad): it hides nothing in print
    iss.layers = [m.Layer("文"), m.Layer("底", printable=False)]
    assert _codes(Composer(iss, square).compose()) == []
    iss.layers = [m.Layer("文"), m.Layer("底")]
    assert _codes(Composer(iss, square).compose()) == [("error", "text-hidden", "t")]


# ---------------------------------------------------------------- check --json
def test_check_json_reports_lines_per_column(tmp_path):
    iss = issue_with(["中国新闻工作者协会" * 30, "职工之家建设" * 20],
                     [m.TextFrame("t", col=0, line=0, cols=4, lines=10, balance=True),
                      m.HeadlineFrame("h", col=4, line=0, cols=4, lines=3, story="s"),
                      m.TextFrame("over", col=4, line=1, cols=4, lines=10)], ["t"])
    iss.stories["s"].headline = m.Headline(title="标题文字" * 5)
    iss.stories["o"] = m.Story("o", paragraphs=[m.Paragraph("body", [m.Run("正文" * 60)])],
                               thread=["over"])
    path = tmp_path / "issue.yaml"
    save_issue(iss, path)
    out = subprocess.run([sys.executable, str(ROOT / "main.py"), "check", str(path), "--json"],
                         capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert out.returncode == 1, out.stderr                 # the hidden headline is an error
    data = json.loads(out.stdout)
    t = data["frames"]["t"]
    assert len(t["columns"]) == 4 and sum(t["columns"]) == data["stories"]["s"]["lines"]
    assert t["uneven_feet"] == 0 and data["uneven_feet"] >= 0
    assert max(t["depths"]) - min(t["depths"][:-1]) == 0
    hidden = [d for d in data["diagnostics"] if d["code"] == "text-hidden"]
    assert hidden and hidden[0]["frame"] == "h" and hidden[0]["page"] == 1


def test_jump_lines_count_in_their_column(square):
    # own line: the 下转 line is one of the column's lines; run in: it shares the last line
    for placement, want in (("own-line", [(5, 5)]), ("run-in", [(5, 5)])):
        iss = issue_with(["中" * 200], [m.TextFrame("a", col=0, line=0, cols=1, lines=5)], ["a"])
        iss.pages.append(m.Page(2, frames=[m.TextFrame("b", col=0, line=0, cols=1, lines=30)]))
        iss.stories["s"].thread = ["a", "b"]
        iss.paper.jumps.placement = placement
        res = Composer(iss, square).compose()
        assert feet(res, "a") == want, placement
        got = feet(res, "b")
        assert got[0][0] == len(res.pages[1].frames[0].lines) + 1     # 上接 opens it
