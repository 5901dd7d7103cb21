"""store.merge: three-way merges of story texts (paragraph and character level)."""
from __future__ import annotations

import pytest

from layout import model as m
from store import units
from store.merge import (MergeClash, merge_sequences, merge_story, merge_story_units,
                         merge_text)


def story(*paras, **fields) -> m.Story:
    ps = []
    for p in paras:
        if isinstance(p, m.Paragraph):
            ps.append(p)
        else:
            ps.append(m.Paragraph("body", [m.Run(p)]))
    return m.Story("lead", paragraphs=ps, **fields)


def texts(st: m.Story) -> list[str]:
    return [p.text for p in st.paragraphs]


def test_sequences_take_both_sides_and_identical_changes_once():
    assert merge_sequences("abcdef", "aXbcdef", "abcdeYf") == list("aXbcdeYf")
    assert merge_sequences("abc", "aZc", "aZc") == list("aZc")
    assert merge_sequences("abc", "abc", "") == []


def test_text_clash_names_both_sides():
    with pytest.raises(MergeClash) as exc:
        merge_text("今天天气很好", "今天天气不错", "今天天气很差")
    c = exc.value.clashes[0]
    assert c.what == "text" and "不错" in c.mine and "差" in c.theirs
    # insertions at the same place clash too (which goes first is not known)
    with pytest.raises(MergeClash):
        merge_text("ab", "aXb", "aYb")


def test_character_level_inside_one_paragraph():
    base = story("本报讯 今天上午，市政府召开会议。会议由市长主持。", "第二段。")
    mine = story("本报讯 今天上午，市政府召开常务会议。会议由市长主持。", "第二段。")
    theirs = story("本报讯 今天上午，市政府召开会议。会议由副市长主持。", "第二段。")
    out = merge_story(base, mine, theirs)
    assert texts(out) == ["本报讯 今天上午，市政府召开常务会议。会议由副市长主持。", "第二段。"]


def test_paragraph_level_adds_and_removes():
    base = story("一。", "二。", "三。", "四。")
    mine = story("一。", "二改。", "三。", "四。", "五。")       # changes 二, adds 五
    theirs = story("零。", "一。", "二。", "四。")                # adds 零, removes 三
    assert texts(merge_story(base, mine, theirs)) == ["零。", "一。", "二改。", "四。", "五。"]


def test_split_paragraph_against_a_change_elsewhere_in_it():
    base = story("甲乙丙丁戊己庚辛")
    mine = story("甲乙丙丁", "戊己庚辛")                            # split after 丁
    theirs = story("甲乙丙丁戊己庚辛壬")                            # appended 壬
    assert texts(merge_story(base, mine, theirs)) == ["甲乙丙丁", "戊己庚辛壬"]


def test_char_styles_and_paragraph_styles_travel():
    base = story(m.Paragraph("body", [m.Run("加粗", "bold"), m.Run("正文")]))
    mine = story(m.Paragraph("body", [m.Run("加粗", "bold"), m.Run("正文内容")]))
    theirs = story(m.Paragraph("subhead", [m.Run("很加粗", "bold"), m.Run("正文")]))
    out = merge_story(base, mine, theirs)
    assert out.paragraphs == [m.Paragraph("subhead", [m.Run("很加粗", "bold"),
                                                      m.Run("正文内容")])]


def test_fields_merge_and_clash():
    base = story("正文。", byline="记者 甲")
    base.headline = m.Headline(title="主题", subtitle="副题")
    mine = story("正文。", byline="记者 乙")
    mine.headline = m.Headline(title="新主题", subtitle="副题")
    theirs = story("正文。", byline="记者 甲", thread=["t1"])
    theirs.headline = m.Headline(title="主题", subtitle="新副题")
    out = merge_story(base, mine, theirs)
    assert out.byline == "记者 乙" and out.thread == ["t1"]
    assert out.headline == m.Headline(title="新主题", subtitle="新副题")
    theirs.byline = "记者 丙"
    with pytest.raises(MergeClash) as exc:
        merge_story(base, mine, theirs)
    assert [c.what for c in exc.value.clashes] == ["byline"]


def test_overlapping_text_changes_clash_with_every_place():
    base = story("一二三。", "四五六。")
    mine = story("一二X。", "四五Y。")
    theirs = story("一二Z。", "四五六。")
    with pytest.raises(MergeClash) as exc:
        merge_story(base, mine, theirs)
    assert len(exc.value.clashes) == 1 and "X" in exc.value.clashes[0].mine


def test_story_units_round_trip():
    issue = m.Issue()
    issue.stories["lead"] = story("一段。", "二段。")
    key = units.UnitKey("story", "lead")
    base = units.split(issue)[key]
    issue.stories["lead"] = story("一段改。", "二段。")
    mine = units.split(issue)[key]
    issue.stories["lead"] = story("一段。", "二段改。")
    theirs = units.split(issue)[key]
    merged = merge_story_units(base, mine, theirs)
    issue.stories["lead"] = story("一段改。", "二段改。")
    assert merged == units.split(issue)[key]
