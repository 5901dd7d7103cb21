"""Import keeps what newsrooms send: credits, structure, wire datelines, meaningful spaces.

Every text here is a short constructed news text (issue 18)."""
from __future__ import annotations

import json

import pytest

from importer import apply, import_text
from importer.cli import main

ARTICLE = """## 数字经济与区域协调发展

编者按：数字经济正在重塑区域发展格局。本期刊发专家文章，敬请关注。

作者：王建国 李晓梅

一、引言

近年来，数字经济快速发展，成为推动区域协调发展的重要力量。

（二）数字基础设施建设

各地加快建设数字基础设施，成效明显。

1. 政策建议

各地应当因地制宜，统筹推进。

（作者单位：湖南大学 经济与贸易学院）

链接

数字经济是以数据资源为关键要素的经济形态。

（责任编辑 赵小刚）
"""

WIRE = """## 长沙举行春季招聘会

新华社长沙3月26日电 （记者 刘洋 陈明）26日，长沙市举行春季招聘会，200余家企业参加。

招聘会现场提供岗位1.2万个。

本报记者 张三 本报通讯员 李四 摄
"""


def only(text: str):
    res = import_text(text)
    assert len(res.stories) == 1, [s.headline for s in res.stories]
    return res, res.stories[0]


def styles_of(story) -> list[tuple[str, str]]:
    return [(p.style, p.text) for p in story.paragraphs]


def repair(res, kind: str, text: str = ""):
    found = [r for r in res.repairs if r.kind == kind and text in r.before]
    assert len(found) == 1, [(r.kind, r.before) for r in res.repairs]
    return found[0]


def test_structure_becomes_styles_and_fields():
    res, s = only(ARTICLE)
    assert s.byline == "作者：王建国 李晓梅"
    assert s.editor == "赵小刚"
    assert styles_of(s) == [
        ("note", "编者按：数字经济正在重塑区域发展格局。本期刊发专家文章，敬请关注。"),
        ("subhead", "一、引言"),
        ("body", "近年来，数字经济快速发展，成为推动区域协调发展的重要力量。"),
        ("subhead", "（二）数字基础设施建设"),
        ("body", "各地加快建设数字基础设施，成效明显。"),
        ("subhead", "1. 政策建议"),
        ("body", "各地应当因地制宜，统筹推进。"),
        ("affiliation", "（作者单位：湖南大学 经济与贸易学院）"),
        ("sidebar-head", "链接"),
        ("sidebar", "数字经济是以数据资源为关键要素的经济形态。"),
    ]
    for kind in ("editor_note", "author", "section_head", "affiliation", "sidebar",
                 "desk_editor"):
        r = [r for r in res.repairs if r.kind == kind][0]
        assert r.applied and r.actionable and r.evidence


@pytest.mark.parametrize("kind,text,back", [
    ("section_head", "一、引言", ("body", "一、引言")),
    ("affiliation", "作者单位", ("body", "（作者单位：湖南大学 经济与贸易学院）")),
    ("editor_note", "编者按", ("body", "编者按：数字经济正在重塑区域发展格局。本期刊发专家文章，敬请关注。")),
    ("sidebar", "链接", ("body", "链接")),
])
def test_each_structure_decision_can_be_undone_alone(kind, text, back):
    res, _ = only(ARTICLE)
    r = repair(res, kind, text)
    s = apply(res.report, res.report.applied_ids() - {r.id}).stories[0]
    assert back in styles_of(s)
    others = [(st, t) for st, t in styles_of(s) if st not in ("body",)]
    assert len(others) == len([p for p in res.stories[0].paragraphs if p.style != "body"]) - (
        2 if kind == "sidebar" else 1)


def test_author_and_desk_editor_undone_stay_in_the_text():
    res, _ = only(ARTICLE)
    ids = res.report.applied_ids() - {repair(res, "author").id, repair(res, "desk_editor").id}
    s = apply(res.report, ids).stories[0]
    assert s.byline == "" and s.editor == ""
    texts = [p.text for p in s.paragraphs]
    assert "作者：王建国 李晓梅" in texts and "（责任编辑 赵小刚）" in texts


def test_desk_editor_run_in_at_the_end_goes_to_the_field():
    res, s = only("## 标题\n\n本报讯 会议召开，部署全年工作。（责任编辑：赵小刚）\n")
    assert s.paragraphs[-1].text == "本报讯\u3000会议召开，部署全年工作。"
    assert s.editor == "赵小刚"


def test_author_line_after_the_text_is_an_author_paragraph():
    res, s = only("## 标题\n\n正文第一段，讲述基本情况。\n\n文/张小明\n")
    assert s.byline == ""
    assert s.paragraphs[-1].style == "author" and s.paragraphs[-1].text == "文/张小明"


def test_correspondent_lines_are_bylines():
    res, s = only("□本报记者 王芳 特约通讯员 刘强\n\n## 乡村学校有了新操场\n\n"
                  "本报讯 新学期，山区小学的孩子们用上了新操场。\n")
    assert s.byline == "□本报记者 王芳 特约通讯员 刘强"
    res, s = only("## 乡村学校有了新操场\n\n本报特约通讯员 刘强\n\n本报讯 新学期开学了。\n")
    assert s.byline == "本报特约通讯员 刘强"


def test_list_items_and_long_numbered_sentences_stay_body_text():
    res, s = only("## 标题\n\n一、加强组织领导，明确责任分工，确保各项措施落到实处。\n\n"
                  "二、完善制度。\n")
    assert [p.style for p in s.paragraphs] == ["body", "body"]


def test_wire_dateline_is_a_field_and_a_first_run():
    res, s = only(WIRE)
    assert s.dateline == "新华社长沙3月26日电（记者 刘洋 陈明）"
    first = s.paragraphs[0]
    assert first.text == "新华社长沙3月26日电（记者 刘洋 陈明）26日，长沙市举行春季招聘会，200余家企业参加。"
    assert (first.runs[0].text, first.runs[0].style) == ("新华社长沙3月26日电（记者 刘洋 陈明）",
                                                          "dateline")
    assert first.runs[1].style == ""
    assert res.run_in_bylines[s.id] == ["记者 刘洋 陈明"]
    gap = repair(res, "space", "电 （")
    assert "dateline '新华社长沙3月26日电'" in gap.evidence and "本报讯" not in gap.evidence
    s2 = apply(res.report, res.report.applied_ids() - {repair(res, "dateline").id}).stories[0]
    assert s2.dateline == "" and all(r.style != "dateline" for r in s2.paragraphs[0].runs)


@pytest.mark.parametrize("lead,dateline", [
    ("本报北京3月26日电 记者从有关部门获悉，春运平稳。", "本报北京3月26日电"),
    ("据新华社北京3月26日电 春季植树活动展开。", "据新华社北京3月26日电"),
    ("中新社上海3月26日电（记者 陈静）上海发布新政策。", "中新社上海3月26日电（记者 陈静）"),
])
def test_other_datelines(lead, dateline):
    res, s = only(f"## 标题\n\n{lead}\n")
    assert s.dateline == dateline and s.paragraphs[0].runs[0].style == "dateline"


def test_benbao_xun_is_no_wire_dateline():
    res, s = only("## 标题\n\n本报讯（记者 周鹏）3月15日上午，会议召开。\n")
    assert s.dateline == "" and not any(r.kind == "dateline" for r in res.repairs)
    assert [r.style for r in s.paragraphs[0].runs] == [""]


def test_photo_credit_is_kept_on_the_story(tmp_path, capsys):
    res, s = only(WIRE)
    assert s.credit == "本报记者 张三 本报通讯员 李四 摄"
    assert [p.credit for p in res.photos] == ["本报记者 张三 本报通讯员 李四 摄"]
    docfile = pytest.importorskip("layout.docfile")
    src, issue = tmp_path / "wire.txt", tmp_path / "issue.yaml"
    src.write_text(WIRE, "utf-8")
    assert main(["import", str(src), "--into", str(issue)]) == 0
    saved = docfile.load_issue(issue).stories["story-01"]
    assert saved.credit == "本报记者 张三 本报通讯员 李四 摄"
    assert saved.dateline == "新华社长沙3月26日电（记者 刘洋 陈明）"
    out = capsys.readouterr().out
    assert "图片署名 photo credit: 本报记者 张三 本报通讯员 李四 摄" in out


def test_into_an_issue_keeps_styles_and_fields_and_reloads_equal(tmp_path, capsys):
    docfile = pytest.importorskip("layout.docfile")
    from importer.styles import import_char_styles, import_styles
    src, issue = tmp_path / "article.md", tmp_path / "issue.yaml"
    src.write_text(ARTICLE + "\n" + WIRE, "utf-8")
    assert main(["import", str(src), "--into", str(issue), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["encoding"] == "utf-8"
    assert data["stories"][0]["editor"] == "赵小刚"
    assert set(data["stories"][0]["styles"]) >= {"note", "subhead", "affiliation", "sidebar"}
    loaded = docfile.load_issue(issue)
    for name in ("note", "affiliation", "sidebar-head", "sidebar"):
        assert loaded.paragraph_styles[name] == import_styles()[name]
    assert loaded.char_styles["dateline"] == import_char_styles()["dateline"]
    docfile.save_issue(loaded, tmp_path / "again.yaml")
    assert docfile.load_issue(tmp_path / "again.yaml") == loaded


def test_templates_define_the_import_styles():
    docfile = pytest.importorskip("layout.docfile")
    from pathlib import Path

    from importer.styles import import_char_styles, import_styles
    root = Path(__file__).resolve().parent.parent / "resources" / "templates"
    for name in ("duikai.yaml", "sikai.yaml"):
        t = docfile.load_issue(root / name)
        for style, value in import_styles().items():
            assert t.paragraph_styles[style] == value, (name, style)
        assert t.char_styles["dateline"] == import_char_styles()["dateline"]


# ------------------------------------------------------------------ spaces
def test_meaningful_spaces_are_kept_and_damage_removed():
    res, s = only("## 标题\n\n湖南 长沙等地加快建设数 字基础设施，省总工会 召开会议。\n\n"
                  "（作者单位：某某大学 经济学院）\n\n北京  朝阳区的居民参加活动。\n")
    texts = [p.text for p in s.paragraphs]
    assert texts[0] == "湖南 长沙等地加快建设数字基础设施，省总工会召开会议。"
    assert texts[1] == "（作者单位：某某大学 经济学院）"
    assert texts[2] == "北京 朝阳区的居民参加活动。"
    spaces = {r.before: r for r in res.repairs if r.kind == "space"}
    kept = [r for r in spaces.values() if not r.applied]
    assert {r.evidence.split("'")[1] for r in kept} >= {"湖南", "大学"}
    assert all(r.evidence.startswith("kept:") and r.actionable for r in kept)
    inside = [r for r in spaces.values() if "inside the word '数字'" in r.evidence]
    assert len(inside) == 1 and inside[0].applied
    assert any("'总工会' and '召开' inside a sentence" in r.evidence and r.applied
               for r in spaces.values())
    assert any("doubled space" in r.evidence and r.applied for r in spaces.values())
    # a kept space removed when the editor accepts the proposal
    ids = res.report.applied_ids() | {r.id for r in kept}
    s2 = apply(res.report, ids).stories[0]
    assert s2.paragraphs[0].text.startswith("湖南长沙")


def test_spaces_in_author_lines_are_left_alone():
    res, s = only("## 标题\n\n作者：王建国 李晓梅\n\n正文一段。\n")
    assert s.byline == "作者：王建国 李晓梅"
    assert not [r for r in res.repairs if r.kind == "space"]


def test_the_editor_import_keeps_fields_and_styles():
    pytest.importorskip("PySide6")
    from editor.importing import import_edit
    from importer.styles import import_styles
    from layout import model as m
    res = import_text(ARTICLE + "\n" + WIRE)
    issue = m.Issue(paragraph_styles=m.default_styles(), fonts=m.default_fonts())
    import_edit(issue, res).apply(issue)
    a, b = issue.stories.values()
    assert (a.byline, a.editor) == ("作者：王建国 李晓梅", "赵小刚")
    assert b.dateline.startswith("新华社长沙") and b.credit.endswith("摄") and b.thread == []
    assert issue.paragraph_styles["note"] == import_styles()["note"]
    assert issue.char_styles["dateline"].font == "headline"


def test_look_alikes_are_left_as_body_text():
    res, s = only("## 标题\n\n本报记者从市供电公司获悉，春季检修已经完成。\n\n编辑部主任张三\n\n"
                  "背景下，各项工作稳步推进。\n")
    assert s.dateline == "" and s.editor == ""
    assert [p.style for p in s.paragraphs] == ["body", "body", "body"]
    assert not any(r.kind in ("dateline", "desk_editor", "sidebar") for r in res.repairs)


def test_the_seed_page_keeps_what_it_did_and_gains_the_credit():
    from pathlib import Path
    seed = Path(__file__).resolve().parent / "data" / "front-page.txt"
    if not seed.exists():
        pytest.skip("tests/data/front-page.txt is not in this checkout yet")
    from importer import import_file
    res = import_file(seed)
    assert len(res.stories) == 7
    assert [s.credit for s in res.stories] == ["", "", "", "骆进林 摄", "", "", ""]
    assert all(s.dateline == "" and s.editor == "" for s in res.stories)
    assert not {r.kind for r in res.repairs} & {"dateline", "section_head", "author",
                                                 "affiliation", "editor_note", "sidebar",
                                                 "desk_editor"}
    assert all(p.style in ("body", "subhead") for s in res.stories for p in s.paragraphs)
