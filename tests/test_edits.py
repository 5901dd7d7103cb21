"""layout.edits without Qt: each edit and its undo; random edit sequences undone."""
from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from layout import edits as E
from layout import model as m


def small_issue() -> m.Issue:
    """Two pages, two stories, a few frames of each kind."""
    iss = m.Issue(fonts=m.default_fonts(), paragraph_styles=m.default_styles())
    iss.char_styles = {"bold": m.CharStyle(font="headline")}
    iss.stories["a"] = m.Story("a", name="lead", headline=m.Headline("引", "主题", "副"),
                               paragraphs=[m.Paragraph("body", [m.Run("本报讯 今天"),
                                                                m.Run("天气", "bold"),
                                                                m.Run("很好。")]),
                                           m.Paragraph("subhead", [m.Run("小标题")]),
                                           m.Paragraph("body", [m.Run("第三段文字。")])],
                               thread=["t1", "t2"])
    iss.stories["b"] = m.Story("b", paragraphs=[m.Paragraph("body", [m.Run("另一篇")])],
                               thread=["t3"])
    iss.pages = [
        m.Page(1, frames=[m.TextFrame("t1", col=0, line=10, cols=2, lines=20),
                          m.TextFrame("t2", col=2, line=10, cols=2, lines=20),
                          m.HeadlineFrame("h1", col=0, line=0, cols=4, lines=8, story="a"),
                          m.PhotoFrame("ph", col=4, line=0, cols=3, lines=20)]),
        m.Page(2, frames=[m.TextFrame("t3", col=0, line=0, cols=3, lines=30),
                          m.TextFrame("t4", col=3, line=0, cols=3, lines=30),
                          m.RuleFrame("r1", col=0, line=31, cols=6, lines=1)]),
    ]
    return iss


def text(iss, sid="a"):
    return E.plain_text(iss.stories[sid])


# ---------------------------------------------------------------- single edits
def test_insert_takes_the_style_of_the_character_before():
    iss = small_issue()
    E.InsertText("a", (0, 8), "真").apply(iss)     # right after 天气 (bold)
    runs = iss.stories["a"].paragraphs[0].runs
    assert [(r.text, r.style) for r in runs] == [("本报讯 今天", ""), ("天气真", "bold"),
                                                  ("很好。", "")]


def test_split_and_delete_join_paragraphs_back():
    iss = small_issue()
    before = copy.deepcopy(iss)
    E.SplitParagraph("a", (0, 3)).apply(iss)
    assert [p.text for p in iss.stories["a"].paragraphs[:2]] == ["本报讯", " 今天天气很好。"]
    assert iss.stories["a"].paragraphs[1].style == "body"
    E.DeleteText("a", (0, 3), (1, 0)).apply(iss)    # Backspace at the start of a paragraph
    assert iss == before


def test_delete_across_paragraphs_and_undo():
    iss = small_issue()
    before = copy.deepcopy(iss)
    e = E.DeleteText("a", (0, 4), (2, 2))
    e.apply(iss)
    assert text(iss) == "本报讯 段文字。"
    e.revert(iss)
    assert iss == before


def test_positions_and_indices_round_trip():
    story = small_issue().stories["a"]
    full = E.plain_text(story)
    for i in range(len(full) + 1):
        assert E.pos_to_index(story, E.index_to_pos(story, i)) == i
    assert E.step(story, (0, 11), 1) == (1, 0)
    assert E.step(story, (1, 0), -1) == (0, 11)


def test_char_style_over_two_paragraphs():
    iss = small_issue()
    E.SetCharStyle("a", (1, 1), (2, 2), "bold").apply(iss)
    p1, p2 = iss.stories["a"].paragraphs[1:3]
    assert [(r.text, r.style) for r in p1.runs] == [("小", ""), ("标题", "bold")]
    assert [(r.text, r.style) for r in p2.runs] == [("第三", "bold"), ("段文字。", "")]


def test_link_moves_a_frame_between_threads_and_unlink():
    iss = small_issue()
    before = copy.deepcopy(iss)
    e = E.link(iss, "t1", "t3")
    e.apply(iss)
    assert iss.stories["a"].thread == ["t1", "t3", "t2"]
    assert iss.stories["b"].thread == []
    e.revert(iss)
    assert iss == before
    u = E.unlink(iss, "t1")
    u.apply(iss)
    assert iss.stories["a"].thread == ["t2"]


def test_remove_frame_leaves_the_thread_and_comes_back():
    iss = small_issue()
    before = copy.deepcopy(iss)
    e = E.RemoveFrame("t1")
    t = e.apply(iss)
    assert iss.stories["a"].thread == ["t2"] and "a" in t.stories and t.structure
    e.revert(iss)
    assert iss == before


def test_failed_edit_changes_nothing():
    iss = small_issue()
    before = copy.deepcopy(iss)
    with pytest.raises(E.EditError):
        E.InsertText("a", (7, 0), "x").apply(iss)
    with pytest.raises(E.EditError):
        E.Batch([E.SetFrame("t1", col=3), E.SetThread("a", ["nope"])]).apply(iss)
    with pytest.raises(E.EditError):
        E.AddFrame(1, m.TextFrame("t2")).apply(iss)
    assert iss == before


def test_typing_into_an_empty_story_makes_a_paragraph():
    iss = small_issue()
    iss.stories["c"] = m.Story("c")
    E.InsertText("c", (0, 0), "新").apply(iss)
    assert text(iss, "c") == "新"


# ---------------------------------------------------------------- random sequences
FRAMES = ["t1", "t2", "t3", "t4", "h1", "ph", "r1"]
STORIES = ["a", "b"]
pos = st.tuples(st.integers(0, 4), st.integers(0, 14))
chars = st.text(alphabet="中文字，。 ab1", min_size=1, max_size=4)

ops = st.one_of(
    st.builds(lambda s, p, t: E.InsertText(s, p, t), st.sampled_from(STORIES), pos, chars),
    st.builds(lambda s, p, q: E.DeleteText(s, p, q), st.sampled_from(STORIES), pos, pos),
    st.builds(lambda s, p: E.SplitParagraph(s, p), st.sampled_from(STORIES), pos),
    st.builds(lambda s, a, b, y: E.SetParagraphStyle(s, a, b, y), st.sampled_from(STORIES),
              st.integers(0, 3), st.integers(0, 3), st.sampled_from(["body", "subhead", "lead"])),
    st.builds(lambda s, p, q, y: E.SetCharStyle(s, p, q, y), st.sampled_from(STORIES), pos, pos,
              st.sampled_from(["", "bold"])),
    st.builds(lambda f, c, ln: E.SetFrame(f, col=c, line=ln), st.sampled_from(FRAMES),
              st.integers(0, 7), st.integers(0, 40)),
    st.builds(lambda f, v: E.SetFrame(f, locked=v), st.sampled_from(FRAMES), st.booleans()),
    st.builds(lambda s, t: E.SetHeadline(s, title=t), st.sampled_from(STORIES), chars),
    st.builds(lambda f: E.RemoveFrame(f), st.sampled_from(FRAMES)),
    st.builds(lambda s, t: E.SetThread(s, t), st.sampled_from(STORIES),
              st.lists(st.sampled_from(["t1", "t2", "t3", "t4"]), max_size=3, unique=True)),
    st.builds(lambda n: E.AddFrame(1, m.TextFrame(f"new{n}", cols=2, lines=5)),
              st.integers(0, 3)),
    st.builds(lambda n: E.AddStory(m.Story(f"s{n}")), st.integers(0, 2)),
    st.builds(lambda a, b: ("link", a, b), st.sampled_from(FRAMES), st.sampled_from(FRAMES)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ops, min_size=1, max_size=25))
def test_random_edits_then_undo_all_gives_the_original(seq):
    iss = small_issue()
    original = copy.deepcopy(iss)
    done = []
    for op in seq:
        if isinstance(op, tuple):
            try:
                op = E.link(iss, op[1], op[2])
            except (E.EditError, KeyError):
                continue
        snapshot = copy.deepcopy(iss)
        try:
            op.apply(iss)
        except E.EditError:
            assert iss == snapshot          # a refused edit leaves the model alone
            continue
        done.append(op)
    final = copy.deepcopy(iss)
    for op in reversed(done):
        op.revert(iss)
    assert iss == original
    for op in done:                          # redo everything
        op.apply(iss)
    assert iss == final


def test_style_definitions_undo_in_place():
    iss = small_issue()
    before = copy.deepcopy(iss)
    e1 = E.SetStyleDef("italic", m.CharStyle(font="byline"), "char_styles")
    e2 = E.SetParagraphStyleDef("body", m.ParagraphStyle(size="五号"))
    e3 = E.SetParagraphStyleDef("kicker", None)
    for e in (e1, e2, e3):
        assert e.apply(iss).styles
    assert "italic" in iss.char_styles and "kicker" not in iss.paragraph_styles
    for e in (e3, e2, e1):
        e.revert(iss)
    assert iss == before
    assert list(iss.paragraph_styles) == list(before.paragraph_styles)
