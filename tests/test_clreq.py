"""The clreq rules as data (layout.chars): class table, pair rules, settings.

Pairs are asked of the rules directly; where a width matters the paragraph is
prepared with the square test font (every CJK character 9 pt, Latin 4.5 pt).
"""
from __future__ import annotations

import pytest

from support.fakefont import SquareFace, SquareFontSet
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
    brk, space, squeeze, gap, _ = pairs("年（")[0]
    assert brk == C.ALLOWED and space == 0.0 and squeeze == 0 and gap == 0.5
    assert breaks("（年") == [C.PROHIBITED]                   # an opener never ends a line


def test_number_range_breaks_only_after_the_dash_at_a_penalty():
    got = breaks("2018—2020")
    assert got[3] is C.PROHIBITED                           # 8|—: a dash never starts a line
    assert got[4] > 0                                       # —|2: a penalised break
    assert all(b is C.PROHIBITED for k, b in enumerate(got) if k != 4)
    assert breaks("2018—2020", C.Rules(number_range=None))[4] is C.PROHIBITED
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
    assert 5 not in prepared("2018—2020", rules=C.Rules(number_range=None)).nodes


def test_penalty_before_an_opening_bracket():
    rules = C.Rules(before_open=30.0)
    assert breaks("年（", rules) == [30.0]
    assert prepared("中年（中", rules=rules).penalty == {2: 30.0}


def test_no_han_digit_space_and_signs_part_of_the_number():
    rules = C.Rules(han_digit_space=0.0)
    assert pairs("年2", rules)[0].space == 0.0 and pairs("年a", rules)[0].space == 0.25
    # a sign ending a number is part of it: spaced from Han as the digits are
    assert pairs("5%中")[1].space == 0.25 and pairs("5%中", rules)[1].space == 0.0
    none = C.rules_for("mainland", "全身", "none")
    assert [pairs(t, none)[k].space for t, k in (("年2", 0), ("年a", 0), ("5%中", 1))] == [0] * 3


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


# ------------------------------------------------------------------ one convention per paper
def widths(text, width):
    """The room each mark of a paragraph on one long line takes (after a 中), in em."""
    p = prepared(text, rules=C.rules_for("mainland", width))
    (line,) = compose_lines(p, 40 * EM, 0, 0.0)
    ends = list(line.xs[1:]) + [line.right]
    return {text[i]: round((ends[i] - line.xs[i - 1] - EM) / EM, 3) for i in range(len(text))
            if text[i] in "，。、（）？"}


def test_punctuation_width_conventions():
    text = "中，中、中（中）中？中。"
    assert widths(text, "全身") == dict.fromkeys("，、（）？。", 1.0)
    assert widths(text, "开明") == {"，": 0.5, "、": 0.5, "（": 0.5, "）": 0.5, "？": 1.0, "。": 1.0}
    assert widths(text, "半身") == dict.fromkeys("，、（）？。", 0.5)
    # centred stops keep their box under 全身 ...
    assert prepared("中，中", rules=C.rules_for("centered", "全身")).natural(0, 3) == 3 * EM
    # ... and under 开明 / 半身 are set half width like the page's other marks, a quarter
    # em off each side, the mark in the middle of its half box (clreq)
    for width, marks in (("开明", "，、；："), ("半身", "，、；：。？！")):
        for mark in "，、；：。？！":
            c = prepared(f"中{mark}中", rules=C.rules_for("centered", width))
            (line,) = compose_lines(c, 40 * EM, 0, 0.0)
            if mark in marks:
                assert c.natural(0, 3) == 2.5 * EM
                assert line.xs == (0.0, EM - EM / 4, 1.5 * EM)   # drawn a quarter em left
                # ending a line it keeps its box (its ink stays clear of the column edge)
                assert c.natural(0, 2) == 2 * EM
            else:
                assert c.natural(0, 3) == 3 * EM and line.xs == (0.0, EM, 2 * EM)
    c = prepared("中" * 12 + "，" + "中" * 6, rules=C.rules_for("centered", "开明"))
    first, second = compose_lines(c, 13 * EM, 0, 0.0)
    assert (first.start, first.end, first.right) == (0, 13, 13 * EM)
    assert first.xs[-1] == 12 * EM and second.xs[0] == 0.0


def midline_cut(p, lines):
    """Mid-line marks (no neighbouring mark, not at a line end) set narrower than the
    paper's convention sets them."""
    text, got = p.sh.text, []
    for ln in lines:
        ends = list(ln.xs[1:]) + [ln.right]
        for i in range(ln.start, ln.end - 1):
            if text[i] in C.STOPS and text[i - 1] not in C.OPENING | C.CLOSING | C.STOPS \
                    and text[i + 1] not in C.OPENING | C.CLOSING | C.STOPS:
                full = EM - (p.fixed[i] if p.fixed else 0.0)
                if ends[i - ln.start] - ln.xs[i - ln.start] < full - 0.01:
                    got.append(i)
    return got


def max_han_gap(p, ln):
    """The widest gap between two Han characters of a line, in em."""
    text, worst = p.sh.text, 0.0
    for k in range(1, ln.end - ln.start):
        i = ln.start + k
        if C.kind(text[i - 1]).han and C.kind(text[i]).han:
            worst = max(worst, (ln.xs[k] - ln.xs[k - 1] - EM) / EM)
    return worst


# constructed paragraphs (our own sentences) of the kinds that went wrong
PARAGRAPHS = [
    "会议要求各地严格按照《医疗保障扶贫三年行动实施方案（2018—2020年）》和"
    "《甘肃省医疗保障扶贫三年行动工作方案》（2018—2020年）提出的目标任务推进工作。",
    "本报兰州3月15日电（记者 王某）记者从省统计局获悉，全省去年城镇居民人均可支配收入"
    "增长8.1%，农村居民增长63.4%的县有12个，2019—2021年计划再增3.5亿元。",
    "据Smith and Jones 、Brown的研究，城市交通拥堵指数在2015—2018年间下降了约12%，"
    "研究者称之为interoperability问题，并建议各地加强协调（见表1）。（宗和）",
    "该公司坚持每年召开职工代表大会，建立健全配套的职代会管理制度，发挥职代会、"
    "平等协商集体合同等制度在职工利益诉求表达上的主渠道作用。（记者 周鹏 石杰）",
]


def feasible(p, measure, indent):
    """Whether some setting of the paragraph has every justified line within the
    spacing limit and no mark compressed inside a line (a plain search over the
    break nodes, independent of the breaker's costs)."""
    limit = p.rules.max_gap * p.em
    reach = {0}
    for s in range(p.n):
        if s not in reach:
            continue
        m = measure - (indent if s == 0 else 0.0)
        for e in p.nodes:
            if e <= s:
                continue
            delta = m - p.natural(s, e)
            if delta < -0.01:
                need = -delta - p.end_cut(e)
                soft = (p.ps[e] - p.ps[s] - (p.pm[e] - p.pm[s]) + p.pq[e] - p.pq[s + 1])
                if need > soft + 0.01:
                    continue
                delta = max(0.0, -need)
            rest = delta - (p.po[e] - p.po[s + 1])      # Han–Latin boundaries open first
            if e < p.n and rest > 0.01 and rest / max(1, p.points_in(s, e)) > limit:
                continue
            reach.add(e if e == p.n else p.next_start(e))
    return p.n in reach


@pytest.mark.parametrize("width", ["全身", "开明"])
@pytest.mark.parametrize("chars", range(10, 16))
def test_no_loose_lines_and_no_midline_compression_where_avoidable(width, chars):
    rules = C.rules_for("mainland", width, "quarter")
    from layout.compose import default_hyphenator
    checked = 0
    for text in PARAGRAPHS:
        p = prepared(text, rules=rules, hyphenate=default_hyphenator(), han=True)
        lines = compose_lines(p, chars * EM, 0, 2 * EM)
        assert "".join(p.sh.text[ln.start:ln.next] for ln in lines) == text
        for ln in lines[:-1]:
            assert abs(ln.right - chars * EM) < 0.02
        if not feasible(p, chars * EM, 2 * EM):
            continue                 # every setting has a loose line or a squeezed mark
        checked += 1
        for ln in lines[:-1]:
            assert max_han_gap(p, ln) <= 0.15 + 1e-6, (text[ln.start:ln.end], chars)
        assert midline_cut(p, lines) == [], (width, chars)
    assert checked >= 1


def test_range_breaks_after_its_dash_rather_than_spread_a_line():
    # 13 em: "…方案（2018—2020年）》" cannot stay whole without 0.5 em gaps
    text = "中" * 7 + "方案（2018—2020年）》和中中中中中中中中中中中中。"
    rules = C.rules_for("mainland", "全身", "quarter")
    p = prepared(text, rules=rules)
    lines = compose_lines(p, 13 * EM, 0, 0.0)
    got = [text[ln.start:ln.end] for ln in lines]
    assert got[0].endswith("2018—"), got
    assert all(max_han_gap(p, ln) <= 0.15 for ln in lines[:-1])
    whole = prepared(text, rules=C.Rules(number_range=None))
    assert max(max_han_gap(whole, ln) for ln in compose_lines(whole, 13 * EM, 0, 0.0)[:-1]) > 0.3


def test_han_digit_spaces_shrink_before_the_line_is_spread():
    # a dateline then an opening bracket that may not end a line: the ¼ em spaces
    # round the digits give way rather than the line being spread
    from layout.breaking import _line_cost, set_line
    text = "本报兰州3月15日电（记者 王某）" + "中" * 20
    p = prepared(text, rules=C.rules_for("mainland", "全身", "quarter"))
    nat = p.natural(0, 9)
    assert p.squeeze(0, 9) == EM / 2                         # four ¼ em spaces, half each
    m = nat - EM / 8
    assert _line_cost(p, 0, 9, m, False) < _line_cost(p, 0, 8, m, False)
    line = set_line(p, 0, 9, m, False)
    assert abs(line.right - m) < 1e-6
    assert [round(b - a, 6) for a, b in zip(line.xs[:4], line.xs[1:4])] == [EM] * 3
    assert abs(line.xs[4] - line.xs[3] - (EM + EM / 4 - EM / 32)) < 1e-6


@pytest.mark.parametrize("pad", range(0, 14))
def test_a_closing_tag_is_never_broken(pad):
    for tag in ("（记者 王某）", "（宗和）", "（记者 周鹏 石杰）"):
        text = "中" * (20 + pad) + "。" + tag
        p = prepared(text)
        assert C.closing_tag(text) == (21 + pad, len(text))
        lines = compose_lines(p, 13 * EM, 0, 0.0)
        starts = {ln.start for ln in lines} | {ln.next for ln in lines}
        a = text.index("（")
        assert not any(a < s < len(text) for s in starts), (pad, tag)
    assert C.closing_tag("他说（见下文）的事。") is None
    assert C.closing_tag("中（一）（二）") == (4, 7)


def test_no_space_before_a_chinese_mark_and_no_break_there():
    p = prepared("据Jones 、Brown的研究")
    i = p.sh.text.index(" ")
    assert p.natural(0, len(p.sh.text)) == prepared("据Jones、Brown的研究").natural(0, 15)
    assert i not in p.nodes
    (line,) = compose_lines(p, 40 * EM, 0, 0.0)
    assert line.xs[i + 1] == line.xs[i]                    # 、 sits right after the word


def test_latin_words_in_chinese_lines():
    from layout.compose import default_hyphenator
    hy = default_hyphenator()
    text = "研究者称之为interoperability问题，来自Massachusetts的学者"
    p = prepared(text, hyphenate=hy, han=True)
    assert p.hyph - p.last_hyph and all(text.index("interoperability") < b < text.index("问")
                                        for b in p.hyph - p.last_hyph)
    assert all(p.penalty[b] == MAINLAND.hyphen_in_han for b in p.hyph - p.last_hyph)
    # Massachusetts (a proper noun) only at a letter, as a last resort, 3 letters kept
    m = text.index("Massachusetts")
    assert p.last_hyph and all(m + 3 <= b <= m + 10 for b in p.last_hyph)
    assert all(MAINLAND.letter_break <= p.penalty[b] < MAINLAND.loose_penalty
               for b in p.last_hyph)
    assert prepared(text, hyphenate=hy).hyph >= p.hyph - p.last_hyph
    # a mixed line is spaced at its Han gaps too, not only at its word spaces
    q = prepared("中中Smith and Jones中中")
    assert q.points_in(0, q.n) == 2 + 2 + 2              # 中|中, 中|S, s|中, 中|中 … and 2 spaces


def test_check_counts_marks_compressed_inside_a_line():
    # "据Smith and Jones 、Brown" in 13 em, with words that may not be set closer: the
    # proper noun may not be hyphenated, so the 、 is squeezed as a last resort — and counted
    from layout.result import FrameResult, LayoutResult, LineBox, PageResult, Source
    from layout.setter import line_runs
    from output.preflight import midline_compressed
    text = PARAGRAPHS[2]
    rules = C.Rules(number_track=0.0)
    p = prepared(text, rules=rules, han=True)
    lines = compose_lines(p, 13 * EM, 0, 2 * EM)
    want = midline_cut(p, lines)
    assert want
    boxes = [LineBox(0.0, 12.0 * (k + 1), 13 * EM, ln.start, ln.end, 0, "s", 0.0, 0.0,
                     tuple(line_runs(p, ln, 0.0, 12.0 * (k + 1), Source("s", 0))))
             for k, ln in enumerate(lines)]
    res = LayoutResult((PageResult(1, 500.0, 500.0, (FrameResult("t", "text", (0, 0, 9, 9),
                                                                  tuple(boxes), story="s"),)),))
    assert midline_compressed(res, rules) == {"s": len(want)}
    assert midline_compressed(res, C.rules_for("mainland", "半身")) == {}


def test_a_number_keeps_its_unit_but_not_any_han_after_it():
    assert breaks("777年")[2] is C.PROHIBITED and breaks("18个")[1] is C.PROHIBITED
    assert breaks("777和")[2] == MAINLAND.number_han > 0        # "波音777|和": penalised
    assert C.Rules(number_han=None).brk(C.kind("7"), C.kind("和")) is C.PROHIBITED


def test_han_latin_boundaries_open_before_han_gaps():
    # a line short by 1 em with two Han–digit boundaries: they open ¼ em each first,
    # the remaining ½ em goes evenly to every gap
    from layout.breaking import set_line
    p = prepared("中中中中中中12中中中中", rules=C.rules_for("mainland", "全身", "none"))
    m = p.natural(0, p.n) + EM
    line = set_line(p, 0, p.n, m, False)
    assert abs(line.right - m) < 1e-6
    han_gap = line.xs[1] - line.xs[0] - EM
    assert abs(han_gap - EM / 2 / p.points_in(0, p.n)) < 1e-6
    assert abs(line.xs[6] - line.xs[5] - EM - EM / 4 - han_gap) < 1e-6


def test_numbers_in_chinese_lines_may_set_a_little_closer():
    p = prepared("中12345中", han=True)
    assert p.squeeze(0, 7) == pytest.approx(2 * EM / 4 * MAINLAND.latin_space_shrink
                                            + 4 * MAINLAND.number_track * EM)
    assert prepared("中12345中").squeeze(0, 7) == pytest.approx(EM / 4)   # Latin style: not


def test_han_digit_spaces_close_before_a_line_is_spread_or_a_mark_squeezed():
    # "……面积56.1万" at the end of a line: with half of each ¼ em space gone it is still
    # too long, ending before the number leaves a line spread 0.3 em a gap; closing the
    # spaces round the number (a last resort, as a national daily sets them) fits it
    from layout.breaking import LOOSE_MAX_GAP
    text = "中" * 10 + "56.1万" + "中" * 13
    rules = C.rules_for("mainland", "全身", "quarter")
    p = prepared(text, rules=rules, han=True)
    first, second = compose_lines(p, 13 * EM, 0, 0.0)
    assert (first.start, first.end) == (0, 15) and abs(first.right - 13 * EM) < 1e-6
    gaps = [b - a - EM for a, b in zip(first.xs[:10], first.xs[1:10])]
    assert max(gaps) <= 1e-6                                   # the Han stay solid
    assert first.xs[10] - first.xs[9] < EM + EM / 8            # the space mostly closed
    # without the last resort the line before the number is spread instead
    strict = C.Rules("mainland", width="全身", latin_space_close=0.5)
    q = prepared(text, rules=strict, han=True)
    loose = compose_lines(q, 13 * EM, 0, 0.0)[0]
    assert loose.end == 10
    assert max(b - a - EM for a, b in zip(loose.xs, loose.xs[1:])) > LOOSE_MAX_GAP * EM


def _han_gap(p, lines):
    """The widest gap between two Han characters of the justified lines, in em."""
    worst = 0.0
    for ln in lines:
        if ln.last:
            continue
        for i in range(ln.start, ln.end - 1):
            if C.kinds(p.sh.text[i:i + 2]) == C.kinds("中中"):
                worst = max(worst, (ln.xs[i + 1 - ln.start] - ln.xs[i - ln.start] - EM) / EM)
    return worst


def test_a_long_odd_latin_word_breaks_at_a_letter_before_a_line_goes_loose():
    # "（BauhiniaMonandrA）" in a Chinese line: capitalised, so pyphen's points are not
    # taken; without a break inside it the line before it is letter-spaced
    never = C.Rules("mainland", letter_break=None)
    loose_before = 0
    for pad in range(14):
        text = "中" * pad + "植物（BauhiniaMonandrA）具有" + "中" * 30
        p0 = prepared(text, rules=never, han=True)
        l0 = compose_lines(p0, 13 * EM, 0, 0.0)
        p = prepared(text, rules=MAINLAND, han=True)
        lines = compose_lines(p, 13 * EM, 0, 0.0)
        assert "".join(p.sh.text[ln.start:ln.end] for ln in lines) == text
        broken = [ln for ln in lines if ln.hyphen_x >= 0]
        if _han_gap(p0, l0) > 0.15:
            loose_before += 1
            if _han_gap(p, lines) <= 0.15:
                # broken inside the word, a hyphen drawn, 3 letters kept each side
                (ln,) = broken
                w = text.index("B")
                assert w + 3 <= ln.end <= w + 13 and ln.end in p.last_hyph
                assert abs(ln.right - 13 * EM) < 0.02
        else:
            # a word that fits is never split: the setting is the one without the rule
            assert not broken and [(a.start, a.end) for a in lines] == \
                [(b.start, b.end) for b in l0]
    assert loose_before >= 5


def test_letter_breaks_only_in_long_words_and_never_to_even_a_foot():
    p = prepared("中国Smith和Jones说", han=True)
    assert not p.last_hyph                               # 5 letters: whole
    text = "中" * 8 + "Washington" + "中" * 40
    p = prepared(text, han=True)
    w = text.index("W")
    assert p.last_hyph == set(range(w + 3, w + 8))
    from layout.breaking import break_counts
    for spans in break_counts(p, 13 * EM, 0, 0.0, 8).values():
        assert not {e for _, e in spans} & p.last_hyph
    assert not prepared(text, rules=C.Rules(letter_break=None), han=True).last_hyph
    assert not prepared(text).last_hyph                  # a Latin paragraph: pyphen only


def test_a_middle_dot_may_end_a_line_but_never_start_one():
    # GB/T 15834 and clreq: 间隔号 never starts a line; it may end one
    assert breaks("尔·哈") == [C.PROHIBITED, MAINLAND.after_middle]
    assert C.may_break_between_words("·", "哈") and not C.may_break_between_words("尔", "·")
    # a foreign name in a first line (13 em, 2 em indent): broken after a dot rather
    # than the line before it spread to 0.25 em
    text = "本报讯甲国总统奥马尔·哈桑·艾哈迈德·巴希尔日前发表谈话指出，" + "中" * 20 + "。"
    got = {}
    for after in (MAINLAND.after_middle, None):
        rules = C.Rules("mainland", width="开明", han_latin_space=0.0, han_digit_space=0.0,
                        after_middle=after)
        p = prepared(text, rules=rules)
        lines = compose_lines(p, 13 * EM, 0, 2 * EM)
        assert "".join(text[ln.start:ln.next] for ln in lines) == text
        assert not any(text[ln.start] == "·" for ln in lines)
        got[after] = (text[lines[0].start:lines[0].end],
                      max(max_han_gap(p, ln) for ln in lines[:-1]))
    assert got[MAINLAND.after_middle][0] == "本报讯甲国总统奥马尔·"
    assert got[MAINLAND.after_middle][1] <= 0.15 < got[None][1]


def test_curly_quotes_set_by_a_latin_face_are_western_punctuation():
    """In an English story the Latin face draws “ ” ‘ ’ at their own narrow width: they
    are not Chinese brackets with a blank half to take away (the sample's In brief set
    "model“workers' home”last", each quote pulled half an em into its neighbour)."""
    text = "The company was named a national model “workers’ home” last year; its ‘union’ " \
        "runs “laundries” and “reading rooms” at every site."
    latin = SquareFontSet([SquareFace(western=True)])     # quotes half an em
    p = Prepared(shape([RunSpec(text, "body", EM, "black")], latin, EM), rules=MAINLAND)
    lines = compose_lines(p, 11 * EM, 0, 0.0)
    assert len(lines) > 2
    for ln in lines:                        # justified or not, no glyph pulled into another
        for k in range(1, ln.end - ln.start):
            i = ln.start + k
            if text[i - 1] == " " or text[i] == " ":     # word spaces shrink and stretch
                continue
            assert ln.xs[k] >= ln.xs[k - 1] + p.sh.adv[i - 1] - 1e-6, (text[i - 1], text[i])
            if text[i] in "“”‘’" or text[i - 1] in "“”‘’":   # no justification space there
                assert ln.xs[k] == pytest.approx(ln.xs[k - 1] + p.sh.adv[i - 1])
    # the quote stays with the word it quotes: no break after “ or before ”, none in workers’
    for o in (i for i, ch in enumerate(text) if ch in "“‘"):
        assert o + 1 not in p.nodes
    for c in (i for i, ch in enumerate(text) if ch in "”’"):
        assert c not in p.nodes
    # set by a CJK face (a full em), the same marks stay Chinese brackets
    wide = C.kinds("“")
    C.western_quotes("“", wide, [EM], [EM])
    assert C.KINDS[wide[0]].group == C.G_OPEN
