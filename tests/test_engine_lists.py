"""The rules' answers kept as lists by kind and pair id (what Prepared reads per
character) agree with the answers themselves, and the repeated unpruned search of
a paragraph with a last-resort line finds what a search with no bound finds."""
from __future__ import annotations

from pathlib import Path

import pytest

from support.fakefont import SquareFontSet
from layout import chars as C
from layout.breaking import Prepared, _line_cost, break_paragraph
from layout.shaping import RunSpec, shape

EM = 9.0
DATA = Path(__file__).parent / "data"

TEXT = ("本报讯　近日，省总工会召开2018—2020年职工技能提升工作会议，部署“工匠精神”宣传活动。"
        "会议指出，要在Smith and Jones等专家指导下，完善职工（农民工）培训体系……"
        "全年培训职工12.5万人次，合格率达98%以上。「引号」、《书名》：“好！”")


@pytest.mark.parametrize("punctuation,width", [("mainland", "全身"), ("mainland", "开明"),
                                               ("centered", "全身")])
def test_kind_and_pair_lists_agree_with_the_rules(punctuation, width):
    rules = C.rules_for(punctuation, width)
    sh = shape([RunSpec(TEXT, "body", EM, "black")], SquareFontSet(), EM)
    p = Prepared(sh, rules=rules, han=True)
    shrink, marks, space, half, marky, counts, left, word = rules.kind_table()
    assert len(word) == len(C.KINDS)
    for k in set(p.kinds):
        kind = C.KINDS[k]
        assert shrink[k] == rules.shrink_of(k) and marks[k] == bool(rules.shrink_of(k))
        assert space[k] == (kind.cls == C.SPACE)
        assert half[k] == (rules.half_of(k) if rules.has_half else 0.0)
        assert marky[k] == (kind.group in (C.G_OPEN, C.G_CLOSE, C.G_PERIOD, C.G_PAUSE))
        assert counts[k] == (1 if kind.counts else 0)
        assert left[k] == rules.blank_left(k)
        assert word[k] == kind.word
        assert rules.shrink_at(EM)[k] == (shrink[k] * EM if shrink[k] else 0.0)
        assert rules.half_at(EM)[k] == (half[k] * EM if half[k] else 0.0)
    gap, opens, gapped, opened, brk, pen, odd, odd_han, words = rules.pair_table(EM)
    assert len(words) == len(rules.pair_of)
    for q, a in enumerate(rules.pair_of):
        ka, kb = rules.pair_kinds[q]
        w = C.KINDS[ka].word and C.KINDS[kb].word
        assert gap[q] == (a.gap * EM if a.gap else 0.0)
        assert opens[q] == (a.open * EM if a.open else 0.0)
        assert gapped[q] == (1 if a.gap else 0) and opened[q] == (1 if gap[q] > 0 else 0)
        assert brk[q] == (a.brk is not None) and pen[q] == bool(a.brk)
        assert odd[q] == bool(a.space or a.squeeze)
        assert odd_han[q] == bool(a.space or a.squeeze or w) and words[q] == w
    # the tables read off the lists: a gap (and a point to space out) wherever the
    # pair has one, a break node wherever the pair allows one
    pids = rules.pair_ids(list(p.kinds))
    assert [i for i in range(1, p.n) if rules.pair_of[pids[i - 1]].brk is not None] == \
        [e for e in p.nodes if e < p.n and e not in p.hyph]
    assert list(p.gap[1:p.n]) == [gap[q] for q in pids]


def test_lone_marks_are_the_marks_with_no_mark_beside_them():
    sh = shape([RunSpec(TEXT, "body", EM, "black")], SquareFontSet(), EM)
    p = Prepared(sh, rules=C.rules_for("mainland", "全身"), han=True)
    marky = [C.KINDS[k].group in (C.G_OPEN, C.G_CLOSE, C.G_PERIOD, C.G_PAUSE)
             for k in p.kinds] + [False]
    lone = [p.shrink[i] if p.mark[i] and not marky[i - 1] and not marky[i + 1] else 0.0
            for i in range(p.n)]
    sums = [0.0]
    for v in lone:
        sums.append(sums[-1] + v)
    assert list(p.lone()) == pytest.approx(sums)
    assert p.lone() is p.lone()
    assert any(lone) and lone != [p.shrink[i] if p.mark[i] else 0.0 for i in range(p.n)]


def test_a_search_bounded_by_a_setting_s_cost_finds_the_unbounded_answer():
    """The search repeated without pruning (a setting with a last-resort line: narrow
    measures leave lines spaced past the limit) skips the starts reached at more than a
    setting's whole cost; bounded by the cheapest setting's cost (or more), it finds
    what the search with no bound finds."""
    fs = SquareFontSet()
    paras = [ln.strip() for ln in (DATA / "front-page.txt").read_text().splitlines()
             if ln.strip()][:12] + [TEXT]
    last_resort = 0
    for text in paras:
        sh = shape([RunSpec(text, "body", EM, "black")], fs, EM)
        p = Prepared(sh, rules=C.rules_for("mainland", "全身"), han=True)
        for chars in (3.4, 4, 5.5, 7, 9.3, 13):
            measure, indent = chars * EM, 2 * EM
            best = break_paragraph(p, measure, 0, indent, prune=False)
            if any(e < p.n and e not in p.nodes for _, e in best):
                continue                 # (a line broken by force: costed otherwise)
            total, worst = 0.0, 0.0
            for s, e in best:
                c = _line_cost(p, s, e, measure - (indent if s == 0 else 0.0), e >= p.n)
                total += c
                worst = max(worst, c)
            last_resort += worst >= 300.0
            for slack in (1e-6, 50.0, 1e4):
                assert break_paragraph(p, measure, 0, indent, prune=False,
                                       within=total * (1 + 1e-12) + slack) == best
    assert last_resort >= 3          # the case the bound serves was met
