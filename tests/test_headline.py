"""Headlines break between words, into balanced lines, never leaving a character alone."""
from __future__ import annotations

from support.fakefont import SquareFontSet
from layout.breaking import Prepared
from layout.headline import Segmenter, balanced_breaks
from layout.shaping import RunSpec, shape


def lines(text, chars_per_line, seg):
    fs = SquareFontSet()
    sh = shape([RunSpec(text, "headline", 10.0, "black")], fs, 10.0)
    p = Prepared(sh)
    spans = balanced_breaks(p, chars_per_line * 10.0, seg.boundaries(text))
    return [text[s:e] for s, e in spans]


def test_breaks_fall_between_words_and_lines_balance(tmp_path):
    seg = Segmenter(tmp_path / "seg.json")
    text = "深入学习贯彻习近平总书记重要讲话精神"
    got = lines(text, 12, seg)
    assert "".join(got) == text and len(got) == 2
    words = seg.boundaries(text)
    assert len(got[0]) in words                       # the break is a word boundary
    assert abs(len(got[0]) - len(got[1])) <= 4        # balanced, not 12 + 6
    seg.save()
    assert Segmenter(tmp_path / "seg.json").boundaries(text) == words   # cached


def test_phrase_spaces_are_preferred_breaks(tmp_path):
    seg = Segmenter(tmp_path / "seg.json")
    got = lines("奋力拼搏 迎难而上 坚决打赢脱贫攻坚战", 12, seg)
    assert got == ["奋力拼搏 迎难而上", "坚决打赢脱贫攻坚战"]


def test_no_lone_character(tmp_path):
    seg = Segmenter(tmp_path / "seg.json")
    for text in ("金泥集团维护职工权益出实招", "临泽县总工会精准服务职工", "白银平川区举行“就业援助月”活动"):
        for width in range(5, 14):
            got = lines(text, width, seg)
            if got:
                assert all(len(t.strip()) > 1 for t in got), (text, width, got)
                assert "".join(got).replace(" ", "") == text.replace(" ", "")


def test_vertical_title_runs_top_to_bottom():
    from layout import model as m
    from layout.compose import Composer
    iss = m.Issue(fonts=m.default_fonts(), paragraph_styles=m.default_styles())
    iss.stories["s"] = m.Story("s", headline=m.Headline(title="坚决打赢脱贫攻坚战"))
    iss.pages = [m.Page(1, frames=[m.HeadlineFrame("h", col=0, line=0, cols=2, lines=40,
                                                   story="s", vertical=True)])]
    fr = Composer(iss, SquareFontSet()).compose().pages[0].frames[0]
    (run,) = fr.runs
    assert run.text == "坚决打赢脱贫攻坚战" and run.ys is not None
    steps = {round(b - a, 3) for a, b in zip(run.ys, run.ys[1:])}
    assert steps == {run.size}                       # one em per character, downwards
    assert len(set(run.xs)) == 1                     # one column
    x, y, w, h = fr.rect
    assert x < run.xs[0] < x + w and run.ys[-1] < y + h
