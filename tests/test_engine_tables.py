"""The engine's per-paragraph tables and shortcuts agree with what they stand for:
pair ids with the pair rules, the node table with a bisect, glyph-run change points
with the shaped cells, Setter.can_set with Setter.lines, a shaping memo with none."""
from __future__ import annotations

from bisect import bisect_left

import pytest

from layout import chars as C
from layout import model as m
from layout.breaking import Prepared, break_paragraph, set_spans
from layout.setter import Setter, line_runs
from layout.result import Source
from layout.shaping import RunSpec, shape
from support.fakefont import SquareFace, SquareFontSet

EM = 9.0
TEXTS = [
    "新华社北京3月20日电（记者 王某）国务院总理今天主持召开常务会议，部署推进“放管服”改革。",
    "2018—2020年，GDP增长6.5%，其中第三产业占比提高……“我们要坚持，”他说。",
    "The committee met on Tuesday, and agreed to extend the programme until 2030.",
    "奥马尔·哈桑在APEC会议上说：「合作共赢！」",
    "",
    "中",
]


@pytest.mark.parametrize("text", TEXTS)
def test_pair_ids_name_the_pair_rules(text):
    rules = C.rules_for("mainland", "开明")
    ks = C.kinds(text)
    ids = rules.pair_ids(ks)
    assert len(ids) == max(0, len(ks) - 1)
    for i, q in enumerate(ids):
        assert rules.pair_kinds[q] == (ks[i], ks[i + 1])
        assert rules.pair_of[q] == rules.pair(ks[i], ks[i + 1])


@pytest.mark.parametrize("text", TEXTS)
def test_node_after_is_a_bisect_of_the_nodes(text):
    sh = shape([RunSpec(text, "body", EM, "black")], SquareFontSet(), EM)
    p = Prepared(sh, han=True)
    after = p.node_after()
    assert len(after) == p.n + 2
    assert list(after) == [bisect_left(p.nodes, x) for x in range(p.n + 2)]


def test_run_starts_split_where_face_size_or_colour_changes():
    faces = [SquareFace("a", missing="国"), SquareFace("b")]
    fs = SquareFontSet(faces)
    runs = [RunSpec("中国人民", "body", EM, "black"), RunSpec("日报", "body", EM, "red"),
            RunSpec("社论", "body", 12.0, "red")]
    sh = shape(runs, fs, EM)
    assert sh.fallbacks == [(1, "b")]
    assert sh.run_starts() == [1, 2, 4, 6]
    one = shape([RunSpec("中国人民日报", "body", EM, "black")], SquareFontSet(), EM)
    assert one.run_starts() == []
    # the glyph runs of a line are cut exactly there
    p = Prepared(sh, han=True)
    lines = set_spans(p, break_paragraph(p, 100 * EM), 100 * EM)
    got = line_runs(p, lines[0], 10.0, 20.0, Source("s", 0))
    assert [r.text for r in got] == ["中", "国", "人民", "日报", "社论"]
    assert [r.font for r in got] == ["a", "b", "a", "a", "a"]
    assert [r.size for r in got] == [EM, EM, EM, EM, 12.0]


def test_a_shaping_memo_gives_the_same_cells_as_none():
    fs = SquareFontSet([SquareFace("a", missing="国"), SquareFace("b")])
    memo: dict = {}
    for text in TEXTS + ["国中", "中 国"]:
        runs = [RunSpec(text, "body", EM, "black"), RunSpec(text[:3], "body", 7.5, "red",
                                                            hscale=0.8)]
        a, b = shape(runs, fs, EM), shape(runs, fs, EM, memo)
        for name in ("text", "faces", "sizes", "gids", "adv", "cls", "colors", "fallbacks",
                     "missing", "xoff", "hs", "vs"):
            assert getattr(a, name) == getattr(b, name), name


def _issue(text: str) -> m.Issue:
    iss = m.Issue()
    iss.paragraph_styles["body"] = m.ParagraphStyle(size="5")
    iss.stories["s"] = m.Story("s", paragraphs=[m.Paragraph("body", [m.Run(text)])])
    return iss


@pytest.mark.parametrize("text", [t for t in TEXTS if t] + ["很长的段落，" * 40])
def test_can_set_agrees_with_lines(text):
    iss = _issue(text)
    for width in (10 * EM, 13 * EM, 21 * EM):
        setter = Setter(iss, SquareFontSet())
        st = setter.style("body")
        p = setter.prepare(setter.run_specs(iss.stories["s"].paragraphs[0], st), st)
        asked = {lv: setter.can_set(p, width, 0, st.indent, st.align, lv)
                 for lv in (-3, -2, -1, 0, 1, 2, 3)}
        fresh = Setter(iss, SquareFontSet())
        q = fresh.prepare(fresh.run_specs(iss.stories["s"].paragraphs[0], st), st)
        for lv, can in asked.items():
            assert can == (fresh.lines(q, width, 0, st.indent, st.align, lv) is not None), lv
            # and once the lines are set, the answer comes from them
            assert setter.can_set(p, width, 0, st.indent, st.align, lv) == can
