"""Line breaking and justification by the clreq rules, with exact square metrics.

Every CJK character is 9 pt wide (one em at 小五), Latin letters and digits
4.5 pt, a space 2.25 pt; a basic column is 13 characters = 117 pt.
"""
from __future__ import annotations

from hypothesis import example, given, settings, strategies as st

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
LATIN = st.sampled_from(["2018年", "15.2%", "QQ", "wifi", "3月15日", "12.18万元", "GDP",
                        "Washington", "interoperability"])
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


# ------------------------------------------------------------ looser / tighter settings
def _looser_oracle(p, measure, count):
    """The cheapest setting in exactly ``count`` lines within the spacing limits,
    searched over every pair of break nodes with no shortcut (what break_counts
    must find with its shortcuts: the reach bound, one search for every count)."""
    from layout.breaking import INF, LOOSE_MAX_GAP, LOOSE_MAX_SPACE, _line_cost, _midline_need
    n, em = p.n, p.em
    limit, word_limit = min(p.limit, LOOSE_MAX_GAP * em), LOOSE_MAX_SPACE * em
    best = {(0, 0): (0.0, None)}
    for s in range(n):
        for e in p.nodes:
            if e <= s or e in p.last_hyph:
                continue
            last = e >= n
            nat = p.natural(s, e) + (p.hyphen_w if e in p.hyph else 0.0)
            delta = measure - nat
            # marks and spaces give what they may; Han–Latin/digit spaces may close
            # entirely as a last resort (rules.latin_space_close)
            if delta < -(p.squeeze(s, e) + p.pe[e] - p.pe[s + 1] + 0.01):
                continue
            if last and p.pc[e] - p.pc[s] <= 1 < p.pc[e]:
                continue
            if delta > 0.01 and not last:
                rest = delta - (p.po[e] - p.po[s + 1])
                slots = p.points_in(s, e)
                lim = limit if p.pgn[e] > p.pgn[s + 1] else word_limit
                if rest > 0.01 and (slots <= 0 or rest / slots > lim + 1e-6):
                    continue
            if delta < -0.01 and _midline_need(p, s, e, -delta) > 0.01:
                continue
            c = _line_cost(p, s, e, measure, last)
            if c == INF:
                continue
            nx = n if last else p.next_start(e)
            for k in range(count):
                got = best.get((s, k))
                if got is None or (nx == n) != (k + 1 == count):
                    continue
                if got[0] + c < best.get((nx, k + 1), (INF,))[0]:
                    best[(nx, k + 1)] = (got[0] + c, (s, e, k))
    if (n, count) not in best:
        return None
    out, key = [], (n, count)
    while best[key][1] is not None:
        s, e, k = best[key][1]
        out.append((s, e))
        key = (s, k)
    return out[::-1]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(["中国工人", "国", "，", "。", "、", "（", "）", "2018", " ",
                                 "ab", "Smith", "——", "的"]), min_size=20, max_size=80),
       st.sampled_from(["全身", "开明"]))
# a tighter setting that closes the ¼ em round "2018" (a last resort) in one line
@example(["中国工人"] * 12 + ["国", "2018", "中国工人", "中国工人", "国", "国", "国", "Smith"],
         "全身")
def test_break_counts_finds_what_an_exhaustive_search_finds(parts, width):
    square = SquareFontSet()
    text = "".join(parts).strip() or "中"
    sh = shape([RunSpec(text, "body", EM, "black")], square, EM)
    p = Prepared(sh, rules=C.rules_for("mainland", width), han=True)
    _check_counts(p, 13 * EM)


def _check_counts(p, measure):
    from layout.breaking import break_counts, break_paragraph, may_fit
    n0 = len(break_paragraph(p, measure))
    table = break_counts(p, measure, 0, 0.0, n0 + 3)
    found = 0
    for count in range(max(1, n0 - 2), n0 + 4):
        want = _looser_oracle(p, measure, count)
        assert table.get(count) == want
        # the same whatever the largest count asked
        assert break_counts(p, measure, 0, 0.0, count).get(count) == want
        # the quick test never rules out a setting that exists
        assert want is None or may_fit(p, measure, 0, 0.0, count)
        found += want is not None
    return found


def test_break_counts_on_a_news_paragraph(square):
    text = ("本报讯　近日，省总工会召开2018—2020年职工技能提升工作会议，"
            "部署“工匠精神”宣传活动。会议指出，要在Smith and Jones等专家指导下，"
            "完善职工（农民工）培训体系，全年培训职工12.5万人次，合格率达98%以上。") * 3
    sh = shape([RunSpec(text, "body", EM, "black")], square, EM)
    for width, measure in (("全身", 12), ("开明", 13)):
        p = Prepared(sh, rules=C.rules_for("mainland", width), han=True)
        assert _check_counts(p, measure * EM) >= 2      # a looser setting exists


def test_may_fit_rules_out_too_few_lines(square):
    from layout.breaking import break_counts, break_paragraph, may_fit
    text = "本报讯　近日，省总工会召开职工技能提升工作会议，部署“工匠精神”宣传活动。" * 4
    sh = shape([RunSpec(text, "body", EM, "black")], square, EM)
    p = Prepared(sh, rules=C.rules_for("mainland", "全身"), han=True)
    measure = 13 * EM
    n0 = len(break_paragraph(p, measure))
    table = break_counts(p, measure, 0, 2 * EM, n0 + 3)
    assert not may_fit(p, measure, 0, 2 * EM, n0 - 3)     # far too much text for the lines
    assert n0 - 3 not in table
    for count in table:                                    # every setting found passes
        assert may_fit(p, measure, 0, 2 * EM, count)
