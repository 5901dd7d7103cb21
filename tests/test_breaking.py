"""Line breaking and justification by the clreq rules, with exact square metrics.

Every CJK character is 9 pt wide (one em at 小五), Latin letters and digits
4.5 pt, a space 2.25 pt; a basic column is 13 characters = 117 pt.
"""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from support.fakefont import SquareFontSet
from layout import chars as C
from layout.breaking import Prepared, compose_lines
from layout.shaping import RunSpec, shape

EM = 9.0
MEASURE = 13 * EM


def lines_of(text, fs, measure=MEASURE, indent=0.0, latin=False):
    from layout.compose import default_hyphenator
    sh = shape([RunSpec(text, "body", EM, "black")], fs, EM)
    p = Prepared(sh, hyphenate=default_hyphenator() if latin else None)
    return p, compose_lines(p, measure, 0, indent)


def texts(p, lines):
    return [p.sh.text[ln.start:ln.end] for ln in lines]


def test_exact_fit_lines_are_unchanged(square):
    text = "中" * 26
    p, lines = lines_of(text, square)
    assert texts(p, lines) == ["中" * 13, "中" * 13]
    assert lines[0].xs == tuple(i * EM for i in range(13))


def test_line_start_prohibition_pushes_in_at_the_line_end(square):
    # a full stop that may not start the next line is pushed in, set half width
    text = "中" * 12 + "。" + "中" * 13
    p, lines = lines_of(text, square, measure=12.5 * EM)
    assert texts(p, lines)[0] == "中" * 12 + "。"
    assert abs(lines[0].right - 12.5 * EM) < 0.01


def test_midline_marks_are_not_squeezed_to_push_in(square):
    # 13 characters then a full stop: compressing the comma inside the line would
    # let all 14 stay, but a mark squeezed mid-line reads like a Latin comma; the
    # line pushes a character out instead, spaced within the 0.15 em limit
    text = "中中中中，中中中中中中中中。" + "中" * 13
    p, lines = lines_of(text, square)
    t = texts(p, lines)
    assert t[0] == "中中中中，中中中中中中中"
    assert abs(lines[0].right - MEASURE) < 0.01
    assert lines[0].xs[5] - lines[0].xs[4] > EM              # the comma keeps its em
    gaps = [b - a - EM for a, b in zip(lines[0].xs, lines[0].xs[1:])]
    assert max(gaps) <= 0.15 * EM
    assert all(s[0] not in C.STOPS for s in t)


def test_push_out_when_nothing_can_be_compressed(square):
    text = "中" * 13 + "。" + "中" * 20
    p, lines = lines_of(text, square)
    t = texts(p, lines)
    assert not t[1].startswith("。")
    # the last character of line 1 went down with the stop; line 1 is spaced out
    assert t[0] == "中" * 12 or t[0] == "中" * 13 + "。"
    assert abs(lines[0].right - MEASURE) < 0.01


def test_line_end_prohibition_for_opening_marks(square):
    text = "中" * 12 + "《书名》" + "中" * 13
    p, lines = lines_of(text, square)
    assert not texts(p, lines)[0].endswith("《")


def test_numbers_units_dashes_and_latin_words_stay_whole(square):
    for unit in ("2018年", "15.2%", "12.18万元", "——", "……", "wifi", "GDP", "2018—2020年"):
        for pad in range(8, 14):
            text = "中" * pad + unit + "中" * 30
            p, lines = lines_of(text, square)
            joined = "|".join(texts(p, lines))
            bare = unit if unit != "12.18万元" else "12.18万"
            assert bare in joined.replace("|", ""), (unit, pad, joined)
            # whole, or a range broken after its dash (a penalised break)
            assert bare in joined or unit == "2018—2020年" and "2018—|2020年" in joined, \
                (unit, pad, joined)


def test_adjacent_punctuation_takes_one_and_a_half_em(square):
    text = "中。”中"
    p, lines = lines_of(text, square, measure=40 * EM)
    xs = lines[0].xs
    assert xs[1] == EM
    assert abs(xs[2] - (EM + EM / 2)) < 1e-9       # 。 gave up its right half
    assert abs(xs[3] - (EM + EM / 2 + EM)) < 1e-9


def test_quarter_em_between_han_and_latin(square):
    p, lines = lines_of("中ab中", square, measure=40 * EM)
    xs = lines[0].xs
    assert abs(xs[1] - (EM + EM / 4)) < 1e-9
    assert abs(xs[3] - (EM + EM / 4 + 2 * EM / 2 + EM / 4)) < 1e-9


def test_last_line_flush_left_and_indent(square):
    p, lines = lines_of("中" * 30, square, indent=2 * EM)
    assert lines[0].xs[0] == 2 * EM
    assert lines[-1].last and lines[-1].xs == tuple(i * EM for i in range(len(lines[-1].xs)))


def test_no_lone_character_on_the_last_line(square):
    # 27 characters: greedy would leave one alone on line 3
    p, lines = lines_of("中" * 26 + "字。", square)
    last = texts(p, lines)[-1]
    assert len([c for c in last if c not in "。"]) > 1


def test_latin_paragraph_is_justified_with_word_spaces_and_hyphens(square):
    text = ("Newspapers set their columns justified, with even word spaces and the "
            "occasional hyphenation where a long word would otherwise leave a loose line "
            "in a narrow newspaper column of international correspondence.")
    p, lines = lines_of(text, square, measure=30 * EM / 2, latin=True)
    for ln in lines[:-1]:
        assert abs(ln.right - 30 * EM / 2) < 0.02
    assert p.sh.text[lines[0].start] == "N"


# ---------------------------------------------------------------- properties
HAN = st.sampled_from(list("中国新闻工会职工社会经济发展建设记者报道"))
PUNCT = st.sampled_from(list("，。、；：？！“”《》（）——……"))
LATIN = st.sampled_from(["2018年", "15.2%", "QQ", "wifi", "3月15日", "12.18万元", "GDP"])
PIECE = st.one_of(HAN, HAN, HAN, HAN, PUNCT, LATIN)


@settings(max_examples=150, deadline=None)
@given(st.lists(PIECE, min_size=1, max_size=220), st.integers(6, 30))
def test_properties_of_chinese_paragraphs(pieces, width_chars):
    square = SquareFontSet()
    text = "".join(pieces)
    measure = width_chars * EM
    p, lines = lines_of(text, square, measure=measure, indent=2 * EM)
    # the lines joined give back the text
    assert "".join(texts(p, lines)) == text
    nodes = set(p.nodes)
    for k, ln in enumerate(lines):
        forced = ln.end not in nodes          # no legal break fitted: broken by force
        if not forced:
            # no line wider than its measure
            assert ln.right <= measure + 0.02, (text, k)
            # no prohibited character at either side of a legal break
            assert not C.no_break_after(text[ln.end - 1]) or ln.end == len(text)
            if k + 1 < len(lines):
                assert not C.no_break_before(text[lines[k + 1].start])
        if not ln.last and not forced:
            has_gap = any(p.gap[i] > 0 for i in range(ln.start + 1, ln.end))
            if has_gap:
                assert abs(ln.right - measure) < 0.02, (text, k, ln.right)
