"""The clreq rules as data (layout.chars): class table, pair rules, settings.

Pairs are asked of the rules directly; where a width matters the paragraph is
prepared with the square test font (every CJK character 9 pt, Latin 4.5 pt).
"""
from __future__ import annotations

import pytest

from support.fakefont import SquareFontSet
from layout import chars as C
from layout.breaking import Prepared, compose_lines
from layout.headline import break_points
from layout.shaping import RunSpec, shape

EM = 9.0
MAINLAND = C.rules_for("mainland")
CENTERED = C.rules_for("centered")


def pairs(text, rules=MAINLAND):
    """The rules' answer for every neighbouring pair of ``text``, in context."""
    ks = C.kinds(text)
    return [rules.pair(ks[i - 1], ks[i]) for i in range(1, len(text))]


def breaks(text, rules=MAINLAND):
    return [p.brk for p in pairs(text, rules)]


def prepared(text, rules=None, **kw):
    sh = shape([RunSpec(text, "body", EM, "black")], SquareFontSet(), EM)
    return Prepared(sh, rules=rules, **kw)


# ------------------------------------------------------------------ the class table
@pytest.mark.parametrize("ch, group", [
    ("。", C.G_PERIOD), ("？", C.G_PERIOD), ("，", C.G_PAUSE), ("、", C.G_PAUSE),
    ("（", C.G_OPEN), ("“", C.G_OPEN), ("」", C.G_CLOSE), ("》", C.G_CLOSE),
    ("·", C.G_MIDDLE), ("—", C.G_DASH), ("…", C.G_DASH), ("%", C.G_NUMSIGN),
    ("(", C.G_HALF_OPEN), (")", C.G_HALF_CLOSE), ("中", C.G_NONE), ("a", C.G_NONE)])
def test_groups(ch, group):
    assert C.kind(ch).group == group


def test_kinds_of_letters_digits_and_han():
    assert C.kind("5").word and C.kind("5").digit and C.kind("5").spacing == C.S_DIGIT
    assert C.kind("a").word and not C.kind("a").digit and C.kind("a").spacing == C.S_LATIN
    assert C.kind("中").han and C.kind("中").spacing == C.S_HAN
    assert C.kind("２").digit and C.kind("２").han            # full-width digit: Han-like
    assert C.kind("%").spacing == C.S_SIGN and C.kind("，").spacing == C.S_MARK
    assert C.kind(" ").space and C.kind("\u3000").space


def test_a_dash_after_a_digit_is_a_range_dash_in_context():
    ks = C.kinds("2018—2020")
    assert C.KINDS[ks[4]].after_digit
    assert not C.KINDS[C.kinds("中—2")[1]].after_digit
    assert C.KINDS[ks[4]]._replace(after_digit=False) == C.kind("—")


# ------------------------------------------------------------------ pairs
def test_adjacent_marks_compress():
    # 。」: the stop gives up its right half (1.5 em for the two)
    (p,) = pairs("。」")
    assert p.squeeze == 1 and p.brk is C.PROHIBITED
    # 「『: two openers, the second gives up its left half
    assert pairs("「『")[0].squeeze == 2
    # （）: an opener then a closer: nothing to take
    assert pairs("（）")[0].squeeze == 0
    # centred stops keep their box; closing quotes still compress
    assert pairs("。」", CENTERED)[0].squeeze == 0
    assert pairs("」」", CENTERED)[0].squeeze == 1


def test_adjacent_marks_widths():
    p = prepared("中。」中")
    assert p.pair[2] == -EM / 2 and p.shrink[1] == 0.0       # 。 squeezed, nothing left
    assert p.shrink[2] == EM / 2                              # 」 may still give up half
    assert p.natural(0, 4) == 3.5 * EM
    c = prepared("中。」中", centered=True)
    assert c.natural(0, 4) == 4 * EM and c.shrink[1] == 0.0


def test_year_then_opening_bracket():
    brk, space, squeeze, gap = pairs("年（")[0]
    assert brk == C.ALLOWED and space == 0.0 and squeeze == 0 and gap == 0.5
    assert breaks("（年") == [C.PROHIBITED]                   # an opener never ends a line


def test_number_range_stays_whole():
    got = breaks("2018—2020")
    assert got[3] is C.PROHIBITED                           # 8|—: a dash never starts a line
    assert got[4] is C.PROHIBITED                           # —|2 inside a range
    assert all(b is C.PROHIBITED for b in got)
    assert breaks("中—2") == [C.PROHIBITED, C.ALLOWED]        # no range: the dash may end a line
    assert breaks("2018——2020")[5] == C.ALLOWED             # a —— is no range dash


def test_number_keeps_its_unit_and_has_a_quarter_em():
    got = pairs("3.5亿")
    assert [p.brk for p in got] == [C.PROHIBITED, C.PROHIBITED, C.PROHIBITED]
    assert got[2].space == 0.25 and got[0].space == 0.0
    assert got[0].gap == 0.0 and got[2].gap == 0.5           # no stretch inside a number
    p = prepared("中3.5亿")
    assert p.pair[1] == EM / 4 and p.pair[4] == EM / 4
    assert p.nodes == [1, 5]                                  # 中|3.5亿, and the end


def test_latin_before_a_chinese_mark():
    (p,) = pairs("A、")
    assert p.brk is C.PROHIBITED and p.space == 0.0 and p.squeeze == 0


def test_opening_bracket_before_a_number():
    (p,) = pairs("（2018")[:1]
    assert p.brk is C.PROHIBITED and p.space == 0.0
    assert pairs("年2018")[0].space == 0.25 and pairs("年2018")[0].brk == C.ALLOWED


def test_spaces_break_before_the_first_and_are_not_spaced():
    assert breaks("ab  cd") == [C.PROHIBITED, C.ALLOWED, C.PROHIBITED, C.PROHIBITED,
                                C.PROHIBITED]
    p = prepared("ab  cd")
    w = p.sh.adv[2]
    assert p.next_start(2) == 4 and p.shrink[2] == w / 3 and p.shrink[1] == 0.0
    assert p.stretch(0, 6) == w               # half of each space; nothing inside the words


def test_headline_breaks_use_the_same_prohibitions():
    assert C.may_break_between_words("年", "（")
    assert not C.may_break_between_words("（", "年")
    assert not C.may_break_between_words("年", "。")
    assert not C.may_break_between_words("a", "b")
    assert break_points("中国“就业”援助", [2, 3, 5, 6]) == {2: 2, 6: 6}


def test_importer_no_start_comes_from_the_layout():
    from importer.chars import NO_START
    for ch in "，。」）”),":
        assert ch in NO_START and C.no_break_before(ch)
    for ch in "——…·":
        assert ch not in NO_START          # a 副题 opens with ——


# ------------------------------------------------------------------ settings
def test_a_penalised_range_break_is_a_node_with_its_penalty():
    rules = C.Rules(number_range=50.0)
    assert breaks("2018—2020", rules)[4] == 50.0
    p = prepared("2018—2020", rules=rules)
    assert 5 in p.nodes and p.penalty == {5: 50.0}
    # a measure that cannot hold the range: it breaks at the penalised point
    lines = compose_lines(p, 5 * EM / 2 + EM, 0, 0.0)
    assert [(ln.start, ln.end) for ln in lines] == [(0, 5), (5, 9)]
    assert 5 not in prepared("2018—2020").nodes


def test_penalty_before_an_opening_bracket():
    rules = C.Rules(before_open=30.0)
    assert breaks("年（", rules) == [30.0]
    assert prepared("中年（中", rules=rules).penalty == {2: 30.0}


def test_no_han_digit_space_and_signs_part_of_the_number():
    rules = C.Rules(han_digit_space=0.0)
    assert pairs("年2", rules)[0].space == 0.0 and pairs("年a", rules)[0].space == 0.25
    signs = C.Rules(spacing={(C.S_SIGN, C.S_HAN): 0.25})
    assert pairs("5%中", signs)[1].space == 0.25 and pairs("5%中")[1].space == 0.0


def test_a_convention_with_half_width_marks():
    half = C.Convention(compressible=frozenset({C.G_PERIOD}),
                        half=frozenset({C.G_OPEN, C.G_CLOSE, C.G_PAUSE}))
    rules = C.Rules(convention=half)
    p = prepared("中，中（中）。", rules=rules)
    assert p.natural(0, 7) == 5.5 * EM             # ， （ ） half; 。 full
    assert p.shrink[6] == EM / 2 and p.shrink[1] == 0.0
    (line,) = compose_lines(p, 20 * EM, 0, 0.0)
    # the opening bracket's glyph moves left by its blank half
    assert line.xs == (0.0, EM, 1.5 * EM, 2.0 * EM, 3.0 * EM, 4.0 * EM, 4.5 * EM)
    assert line.right == 5.5 * EM
    assert prepared("中，中").natural(0, 3) == 3 * EM  # today's mainland: full width
