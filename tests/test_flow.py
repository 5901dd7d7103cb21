"""Story flow through frames of different widths on different pages, jump lines, copyfit."""
from __future__ import annotations

import dataclasses

import pytest

from layout import model as m
from layout.compose import Composer
from layout.flow import page_label
from layout.position import StoryPos
from layout.result import Painter, walk


def issue_with(paragraphs, frames_by_page, thread):
    iss = m.Issue(fonts=m.default_fonts(), paragraph_styles=m.default_styles())
    iss.stories["s"] = m.Story("s", paragraphs=[m.Paragraph("body", [m.Run(t)])
                                                for t in paragraphs], thread=thread)
    iss.pages = [m.Page(n, frames=fr) for n, fr in frames_by_page]
    return iss


def story_text_from(result, sid="s"):
    """The story's characters as the frames show them, in thread order."""
    out = {}
    for page in result.pages:
        for fr in page.frames:
            for ln in fr.lines:
                out.setdefault(ln.para, []).append((ln.start, ln.end))
    return out


def test_three_frames_three_widths_three_pages(square):
    paras = ["中国新闻工作者协会" * 40, "职工之家建设" * 50, "工会服务职工" * 30]
    frames = [(1, [m.TextFrame("a", col=0, line=0, cols=3, lines=8, columns=1)]),
              (2, [m.TextFrame("b", col=0, line=0, cols=1, lines=20)]),
              (3, [m.TextFrame("c", col=0, line=0, cols=5, lines=40, columns=2)])]
    iss = issue_with(paras, frames, ["a", "b", "c"])
    res = Composer(iss, square).compose()
    # the lines joined give back the story, paragraph by paragraph
    spans = story_text_from(res)
    for i, text in enumerate(paras):
        got = "".join(text[s:e] for s, e in spans[i])
        assert got == text
    # three different measures were used
    widths = {round(ln.width, 2) for p in res.pages for fr in p.frames for ln in fr.lines}
    assert len(widths) == 3
    # jump lines: page 1 closes with 下转二版, page 2 opens with 上接一版 and closes 下转三版
    def jumps(page):
        return [r.text for fr in page.frames for r in fr.runs if r.source.part == "jump"]
    assert jumps(res.pages[0]) == ["（下转二版）"]
    assert jumps(res.pages[1]) == ["（上接一版）", "（下转三版）"]
    assert jumps(res.pages[2]) == ["（上接二版）"]
    # moving the last frame to page 12 renumbers the jump lines on the next layout
    frame_c = iss.pages[2].frames.pop()
    iss.pages.append(m.Page(12, frames=[frame_c]))
    res2 = Composer(iss, square).compose()
    assert jumps(res2.page(2)) == ["（上接一版）", "（下转十二版）"]
    assert jumps(res2.page(12)) == ["（上接二版）"]


def test_jump_line_is_reserved_inside_the_frame(square):
    frames = [(1, [m.TextFrame("a", col=0, line=0, cols=1, lines=5)]),
              (2, [m.TextFrame("b", col=0, line=0, cols=1, lines=30)])]
    iss = issue_with(["中" * 200], frames, ["a", "b"])
    res = Composer(iss, square).compose()
    fa = res.pages[0].frames[0]
    assert len(fa.lines) == 4                     # 5 grid lines, one for the jump line
    jump = [r for r in fa.runs if r.source.part == "jump"][0]
    assert jump.y > max(ln.y for ln in fa.lines)
    # right-aligned at the column's edge
    assert abs(jump.xs[-1] + 9.0 - (fa.rect[0] + fa.rect[2])) < 0.01


def test_jump_lines_go_in_the_first_and_last_columns_with_room(square):
    """A frame whose first and last columns lie wholly under photos (图文互斥) still opens
    with 上接 and closes with 下转: in the first and the last column that has lines."""
    frames = [(1, [m.TextFrame("a", col=0, line=0, cols=1, lines=5)]),
              (2, [m.TextFrame("b", col=0, line=10, cols=4, lines=4, columns=4),
                   m.PhotoFrame("p1", col=0, line=8, cols=1, lines=8),
                   m.PhotoFrame("p4", col=3, line=8, cols=1, lines=8)]),
              (3, [m.TextFrame("c", col=0, line=0, cols=1, lines=30)])]
    iss = issue_with(["中" * 400], frames, ["a", "b", "c"])
    res = Composer(iss, square).compose()
    fb = res.page(2).frames[0]
    assert fb.columns[0][3] == 0 and fb.columns[3][3] == 0      # both columns blocked
    assert fb.lines                                             # text in the other two
    jumps = [r for r in fb.runs if r.source.part == "jump"]
    assert [r.text for r in jumps] == ["（上接一版）", "（下转三版）"]
    mid = (fb.columns[1][0], fb.columns[2][0])
    assert jumps[0].xs[0] >= mid[0] - 0.01 and jumps[0].xs[0] < mid[1]   # column 2
    assert jumps[1].xs[0] >= mid[1] - 0.01                               # column 3
    in_2 = [ln.y for ln in fb.lines if ln.x < mid[1]]
    in_3 = [ln.y for ln in fb.lines if ln.x >= mid[1] - 0.01]
    assert in_2 and in_3 and jumps[0].y < min(in_2) and max(in_3) < jumps[1].y


def test_copyfit_counts_by_hand(square):
    # one column of 13 characters, 3 lines; 50 characters, no indent:
    # 13 + 13 + 13 fit, 11 characters on 1 more line are overset
    iss = issue_with(["中" * 50], [(1, [m.TextFrame("a", col=0, line=0, cols=1, lines=3)])], ["a"])
    iss.paragraph_styles["body"] = dataclasses.replace(iss.paragraph_styles["body"], indent=0)
    res = Composer(iss, square).compose()
    c = res.copyfit["s"]
    assert (c.lines, c.overset_lines, c.overset_chars) == (3, 1, 11)
    assert c.label() == "超出 1 行 / 11 字"
    assert any(d.code == "overset" and d.story == "s" for d in res.errors())
    # underset: 20 characters in 2 columns × 5 lines: 2 lines used, 8 empty
    iss = issue_with(["中" * 20], [(1, [m.TextFrame("a", col=0, line=0, cols=2, lines=5)])], ["a"])
    iss.paragraph_styles["body"] = dataclasses.replace(iss.paragraph_styles["body"], indent=0)
    c = Composer(iss, square).compose().copyfit["s"]
    assert (c.lines, c.overset_lines, c.underset_lines) == (2, 0, 8)
    assert c.label() == "缺 8 行"


def test_subhead_keeps_with_next_and_two_line_rule(square):
    paras = [m.Paragraph("body", [m.Run("中" * 50)]),
             m.Paragraph("subhead", [m.Run("小标题")]),
             m.Paragraph("body", [m.Run("中" * 60)])]
    iss = issue_with([], [(1, [m.TextFrame("a", col=0, line=0, cols=2, lines=6)])], ["a"])
    iss.stories["s"].paragraphs = paras
    res = Composer(iss, square).compose()
    fr = res.pages[0].frames[0]
    col0 = [ln for ln in fr.lines if ln.x == fr.columns[0][0]]
    # a subhead never ends a column
    assert col0[-1].para != 1


def test_incremental_edit_reuses_later_frames(square):
    paras = ["中" * 100, "国" * 300]
    frames = [(1, [m.TextFrame("a", col=0, line=0, cols=2, lines=30)]),
              (2, [m.TextFrame("b", col=0, line=0, cols=2, lines=30)])]
    iss = issue_with(paras, frames, ["a", "b"])
    comp = Composer(iss, square)
    comp.compose()
    filled = comp.stats["frames_filled"]
    iss.stories["s"].paragraphs[0].runs[0].text = "中" * 99 + "字"   # same length, first frame
    comp.compose()
    assert comp.stats["frames_filled"] == filled + 1                # only frame a again
    assert comp.stats["frames_reused"] >= 1
    assert comp.setter.stats["shaped"] == 3


def test_page_labels():
    assert [page_label(n, "chinese") for n in (1, 2, 10, 12, 20, 24)] == \
        ["一", "二", "十", "十二", "二十", "二十四"]
    assert page_label(3, "arabic") == "3"


def test_balanced_columns_end_level(square):
    iss = issue_with(["中" * 100], [(1, [m.TextFrame("a", col=0, line=0, cols=3, lines=20,
                                                     balance=True)])], ["a"])
    iss.paragraph_styles["body"] = dataclasses.replace(iss.paragraph_styles["body"], indent=0)
    fr = Composer(iss, square).compose().pages[0].frames[0]
    per_col = {}
    for ln in fr.lines:
        per_col[ln.x] = per_col.get(ln.x, 0) + 1
    # 100 characters = 8 lines (7 × 13 + 9): not 8 + 0 + 0 but level columns; set one line
    # looser (at most 0.15 em between characters) the paragraph fills the module: 3 + 3 + 3
    assert sorted(per_col.values(), reverse=True) == [3, 3, 3]
    steps = {round(b - a, 3) for ln in fr.lines[:-1] for a, b in zip(ln.runs[0].xs, ln.runs[0].xs[1:])}
    assert max(steps) <= 9.0 * 1.15 and max(steps) > 9.0


def test_run_in_jump_line_ends_the_last_line(square):
    frames = [(1, [m.TextFrame("a", col=0, line=0, cols=1, lines=5)]),
              (2, [m.TextFrame("b", col=0, line=0, cols=1, lines=30)])]
    iss = issue_with(["中" * 200], frames, ["a", "b"])
    iss.paper.jumps.placement = "run-in"
    res = Composer(iss, square).compose()
    fa = res.pages[0].frames[0]
    assert len(fa.lines) == 5                          # no line given up for the jump
    jump = [r for r in fa.runs if r.source.part == "jump"][0]
    last = fa.lines[-1]
    assert abs(jump.y - last.y) < 0.01                 # on the last line, at its end
    assert abs(jump.xs[-1] + 9.0 - (fa.rect[0] + fa.rect[2])) < 0.01
    # the characters it displaced continue in the next frame: nothing lost
    spans = story_text_from(res)
    assert "".join("中" * (e - s) for s, e in spans[0]) == "中" * 200
    assert sum(e - s for s, e in spans[0]) == 200


def test_added_paragraphs_and_headlines_are_not_hidden_by_caches(square):
    iss = issue_with([], [(1, [m.HeadlineFrame("h", col=0, line=0, cols=4, lines=6, story="s"),
                               m.TextFrame("a", col=0, line=6, cols=2, lines=10)])], ["a"])
    comp = Composer(iss, square)
    assert comp.compose().pages[0].frames[1].lines == ()
    iss.stories["s"].paragraphs.append(m.Paragraph("body", [m.Run("新段落")]))
    iss.stories["s"].paragraphs.append(m.Paragraph("body", [m.Run("")]))
    res = comp.compose()
    assert len(res.pages[0].frames[1].lines) == 2       # the empty paragraph takes a line
    iss.stories["s"].headline.title = "新标题"           # changed in place
    res = comp.compose()
    assert "".join(r.text for r in res.pages[0].frames[0].runs) == "新标题"


# ---------------------------------------------------------------- the result as a value
def two_story_issue():
    iss = issue_with(["工会服务职工" * 20, "第二段，有标点。" * 6], [
        (1, [m.TextFrame("a", col=0, line=0, cols=2, lines=8),
             m.TextFrame("b", col=2, line=0, cols=2, lines=30),
             m.RuleFrame("r", col=0, line=40, cols=4),
             m.HeadlineFrame("h", col=4, line=0, cols=4, lines=6, story="s")])], ["a", "b"])
    iss.stories["t"] = m.Story("t", paragraphs=[m.Paragraph("body", [m.Run("另一篇稿件。" * 5)])],
                               thread=["c"])
    iss.pages[0].frames.append(m.TextFrame("c", col=4, line=10, cols=2, lines=20))
    iss.stories["s"].headline.title = "标题"
    return iss


def test_results_are_frozen_and_unchanged_frames_are_the_same_objects(square):
    iss = two_story_issue()
    comp = Composer(iss, square)
    first = comp.compose()
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.pages[0].frames[0].story = "x"
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.pages[0].number = 9
    with pytest.raises(TypeError):
        first.copyfit["s"] = None
    assert isinstance(first.pages, tuple) and isinstance(first.pages[0].frames, tuple)
    # an edit in story t: its frame is new, every other frame is the very same object
    iss.stories["t"].paragraphs[0] = m.Paragraph("body", [m.Run("改过的稿件。" * 5)])
    second = comp.compose()
    old = {fr.frame_id: fr for fr in first.pages[0].frames}
    new = {fr.frame_id: fr for fr in second.pages[0].frames}
    assert new["c"] is not old["c"] and new["c"] != old["c"]
    for fid in ("a", "b", "r", "h"):
        assert new[fid] is old[fid], fid


def test_runs_carry_advances_and_hang_under_their_lines(square):
    iss = two_story_issue()
    res = Composer(iss, square).compose()
    fr = res.pages[0].frames[0]
    assert fr.start == StoryPos(0, 0) and fr.end > fr.start and isinstance(fr.end, StoryPos)
    nxt = res.pages[0].frames[1]
    assert nxt.start == fr.end                      # the next frame starts where this one ended
    for ln in fr.lines:
        assert ln.runs and all(r.source.para == ln.para for r in ln.runs)
        offsets = [o for r in ln.runs for o in r.offsets]
        assert offsets == list(range(ln.start, ln.end))
        for r in ln.runs:
            assert len(r.advances) == len(r.glyphs) == len(r.xs)
            # the square face: every CJK glyph one em (9 pt) unless compressed
            assert all(0 < a <= r.size + 1e-9 for a in r.advances)
        # justified CJK lines (all but a paragraph's last) end at the column's right edge
        if ln.end < len(iss.stories["s"].paragraphs[ln.para].text):
            assert ln.right == pytest.approx(ln.x + ln.width)
    assert fr.runs == tuple(r for ln in fr.lines for r in ln.runs)


def test_a_compressed_stop_at_a_line_end_has_half_an_em(square):
    iss = issue_with(["中中中中中中中中中中ab中。国国国"],
                     [(1, [m.TextFrame("a", col=0, line=0, cols=1, lines=4)])], ["a"])
    iss.paragraph_styles["body"] = dataclasses.replace(iss.paragraph_styles["body"], indent=0)
    ln = Composer(iss, square).compose().pages[0].frames[0].lines[0]
    last = ln.runs[-1]
    assert last.text.endswith("。") and last.advances[-1] == pytest.approx(4.5)
    assert last.right == pytest.approx(ln.x + ln.width)


def test_walk_visits_pages_frames_and_items_in_drawing_order(square):
    res = Composer(two_story_issue(), square).compose()
    calls = []

    class Recorder(Painter):
        def begin_page(self, page):
            calls.append(("page", page.number))

        def end_page(self, page):
            calls.append(("/page", page.number))

        def begin_frame(self, frame):
            calls.append(("frame", frame.frame_id))

        def end_frame(self, frame):
            calls.append(("/frame", frame.frame_id))

        def line(self, line):
            calls.append(("line", line.para, line.start))

        def glyph_run(self, run, line):
            calls.append(("run", run.text, line is not None))

        def rule(self, rule):
            calls.append(("rule",))

    walk(res, Recorder())
    assert calls[0] == ("page", 1) and calls[-1] == ("/page", 1)
    frames = [c[1] for c in calls if c[0] == "frame"]
    assert frames == [fr.frame_id for fr in res.pages[0].frames]
    assert ("rule",) in calls
    runs = [c for c in calls if c[0] == "run"]
    assert len(runs) == sum(len(fr.runs) for fr in res.pages[0].frames)
    assert len([c for c in calls if c[0] == "line"]) == sum(len(fr.lines)
                                                          for fr in res.pages[0].frames)
    # headline runs belong to no line
    assert any(not in_line for _, _, in_line in runs)


def test_story_positions_are_ordered_values():
    assert StoryPos(0, 5) < StoryPos(1, 0) < StoryPos(1, 2)
    assert StoryPos.of((2, 3)) == StoryPos(2, 3) and StoryPos.of((2, 3)).para == 2
    with pytest.raises(AttributeError):
        StoryPos(1, 2).para = 3


# ------------------------------------------------ a balanced module sized to its copy
def _module(square, paras, cols, lines, indent=None):
    from layout.flow import column_feet
    from layout.grid import PageGeometry
    iss = issue_with(paras, [(1, [m.TextFrame("t", col=0, line=0, cols=cols, lines=lines,
                                              balance=True)])], ["t"])
    if indent is not None:
        iss.paragraph_styles["body"] = dataclasses.replace(iss.paragraph_styles["body"],
                                                           indent=indent)
    res = Composer(iss, square).compose()
    fr = res.pages[0].frames[0]
    return res, column_feet(fr, PageGeometry.of(iss.paper).pitch)


# a paragraph of 6 lines that can be set in 5 (its line-end marks give up their blank half)
TIGHTENS = ("中、中中中中中中中。中、中中中，中，中中中中，中、中中中中中、中。中中中中中中中，中中中中，"
            "中中。中中中中，、中、中。中中中中")


@pytest.mark.parametrize("paras", [
    # 5 + 4 + 3 lines: the first paragraph's last line would be a widow at the head of
    # column 2; set a line longer to avoid it, the story no longer goes in
    ["中" * 63, "中" * 50, "中" * 37],
    # 6 + 4 + 3 lines, one too many: the first paragraph set a line tighter
    [TIGHTENS, "中" * 50, "中" * 37],
    # 5 + 6 + 2 lines: the widow mended (a line longer) and a paragraph tighter would
    # still be one too many; without that mend, the second paragraph a line tighter fits
    ["中" * 63, TIGHTENS, "中" * 24],
])
def test_a_balanced_frame_as_deep_as_its_module_holds_the_copy(square, paras):
    # a layout person sizes the module to the depth the copy balances to (4 lines, as a
    # deeper frame shows): it holds the copy, every column level, nothing overset
    res, feet = _module(square, paras, 3, 4)
    assert res.copyfit["s"].label() == "正好", res.copyfit["s"]
    assert feet == [(4, 4)] * 3
    spans = story_text_from(res)
    assert ["".join(t[s:e] for s, e in spans[i]) for i, t in enumerate(paras)] == paras
    assert not [d for d in res.diagnostics if d.code in ("overset", "uneven-feet")]


def test_a_balanced_module_that_cannot_end_level_says_how_many_lines_it_lacks(square):
    # eighteen one-line paragraphs (none can be set a line longer or shorter) in a module
    # 8 columns wide and 3 lines deep: no setting ends level; the first columns take a
    # line more and the copyfit says what the module lacks: 24 - 18 = 6 lines
    res, feet = _module(square, ["中" * 13] * 18, 8, 3, indent=0)
    assert [d for _, d in feet] == [3, 3, 2, 2, 2, 2, 2, 2]
    assert res.copyfit["s"].label() == "缺 6 行"
    warn = [d for d in res.diagnostics if d.code == "uneven-feet"]
    assert [(d.level, d.frame) for d in warn] == [("warning", "t")] and "缺 6 行" in warn[0].message


def test_a_far_overset_balanced_frame_tries_no_tighter_settings(square, monkeypatch):
    # re-breaking a line tighter wins back one line a column: a story that overfills its
    # balanced frame by more is not refilled for it (an editor composes this on every key)
    from layout.flow import Flow
    called = []
    monkeypatch.setattr(Flow, "_tighten", lambda self, fill, *a: called.append(1) or
                        (fill, a[-1]))
    res, _ = _module(square, [TIGHTENS, "中" * 50, "中" * 37] * 3, 3, 4)
    assert res.copyfit["s"].overset_lines > 3 and not called
    res, _ = _module(square, [TIGHTENS, "中" * 50, "中" * 37], 3, 4)
    assert called                     # one line over: tried (and not taken, as patched)
