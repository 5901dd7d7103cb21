"""NewsML-G2 import: news items, packages, and refusal of DTDs and entities."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from importer import ImportFailure, import_bytes, import_file
from importer.cli import main

DATA = Path(__file__).resolve().parent / "data" / "newsml"

ITEM = """<?xml version="1.0" encoding="{enc}"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:test:{guid}" version="1"
          standard="NewsML-G2" standardversion="2.33" conformance="power">
  <itemMeta><itemClass qcode="ninat:text"/><provider qcode="nprov:TEST"/>
    <versionCreated>2026-03-26T10:00:00+08:00</versionCreated></itemMeta>
  <contentMeta>{meta}</contentMeta>
  <contentSet><inlineXML contenttype="application/xhtml+xml">
    <html xmlns="http://www.w3.org/1999/xhtml"><body>{body}</body></html>
  </inlineXML></contentSet>
</newsItem>
"""


def item(meta: str, body: str, enc: str = "UTF-8", guid: str = "a") -> str:
    return ITEM.format(meta=meta, body=body, enc=enc, guid=guid)


def test_a_text_item_becomes_a_story():
    res = import_file(DATA / "text-item.xml")
    assert res.report.encoding == "utf-8"
    (s,) = res.stories
    assert (s.headline.kicker, s.headline.title, s.headline.subtitle) == (
        "春季农业生产全面展开", "各地抢抓农时推进春耕备耕", "农机作业面积同比增长一成")
    assert s.name == "春耕备耕"                         # the slugline
    assert s.dateline == "新华社北京3月26日电（记者 王小明 李华）"   # creditline + located + date
    assert s.byline == ""                                # run in after the dateline
    assert [(p.style, p.text) for p in s.paragraphs[1:]] == [
        ("subhead", "农资供应充足"),
        ("body", "记者从有关部门了解到，今年化肥、种子等农资储备充足，价格总体平稳。"),
        ("subhead", "农机作业提速"),
        ("body", "各地组织农机手开展跨区作业，作业进度快于往年。")]
    first = s.paragraphs[0]
    assert [(r.text, r.style) for r in first.runs] == [
        ("新华社北京3月26日电（记者 王小明 李华）", "dateline"), ("当前，各地抢抓农时，春耕备耕工作", ""),
        ("有序推进", "bold"), ("。", "")]
    d = [r for r in res.repairs if r.kind == "dateline"][0]
    assert d.applied and "metadata" in d.evidence and d.line > 0


def test_by_goes_to_the_byline_without_a_dateline_and_h1_is_the_title():
    data = item("<by>本报记者 周敏</by>", "<h1>社区食堂开张</h1><p>社区食堂今天开张，老人吃饭更方便。</p>")
    (s,) = import_bytes(data.encode(), "x.xml").stories
    assert s.headline.title == "社区食堂开张" and s.byline == "本报记者 周敏"
    assert s.dateline == ""
    assert [p.text for p in s.paragraphs] == ["社区食堂今天开张，老人吃饭更方便。"]


def test_a_gb18030_declared_item_is_read():
    data = item("<headline>标题</headline>", "<p>正文一段。</p>", enc="GB18030")
    res = import_bytes(data.encode("gb18030"), "gb.xml")
    assert res.report.encoding == "gb18030"
    assert res.stories[0].paragraphs[0].text == "正文一段。"


def test_a_package_gives_several_stories_with_their_photos():
    res = import_file(DATA / "package.xml")
    a, b = res.stories
    assert a.headline.title == "湘江新区首批项目集中开工"
    assert a.dateline == "本报长沙3月26日电（记者 刘洋）"
    assert b.headline.title == "各地抢抓农时推进春耕备耕"       # text-item.xml, by href
    assert [(p.story, p.image, p.caption, p.credit) for p in res.photos] == [
        (a.id, "photos/spring-sowing.jpg", "3月26日，农民在田间驾驶播种机播种。", "新华社记者 赵刚 摄")]
    assert a.credit == "新华社记者 赵刚 摄"                    # picture-item.xml, by guid
    assert not res.notes


def test_a_package_whose_items_are_missing_says_so(tmp_path):
    shutil.copy(DATA / "package.xml", tmp_path / "package.xml")
    res = import_file(tmp_path / "package.xml")
    assert [s.headline.title for s in res.stories] == ["湘江新区首批项目集中开工"]
    assert len(res.notes) == 2 and all("not found" in n for n in res.notes)


def test_a_package_into_an_issue(tmp_path, capsys):
    docfile = pytest.importorskip("layout.docfile")
    issue = tmp_path / "issue.yaml"
    assert main(["import", str(DATA / "package.xml"), "--into", str(issue), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["encoding"] == "utf-8" and len(data["stories"]) == 2
    loaded = docfile.load_issue(issue)
    s1, s2 = loaded.stories.values()
    assert s1.credit == "新华社记者 赵刚 摄" and s2.dateline.startswith("新华社北京3月26日电")
    assert "subhead" in loaded.paragraph_styles and "dateline" in loaded.char_styles


@pytest.mark.parametrize("name", ["billion-laughs.xml", "external-entity.xml"])
def test_dtds_and_entities_are_refused_in_one_line(name, tmp_path, capsys):
    issue = tmp_path / "issue.yaml"
    assert main(["import", str(DATA / name), "--into", str(issue)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(DATA / name) in err
    assert "DOCTYPE on line 2" in err and "refused" in err
    assert not issue.exists()


def test_a_doctype_is_refused_in_any_encoding_and_without_newsml_markers():
    doc = ('<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM '
           '"file:///etc/hostname">]>\n<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/">'
           '<contentMeta><headline>&e;</headline></contentMeta></newsItem>')
    with pytest.raises(ImportFailure, match="DOCTYPE on line 2"):
        import_bytes(doc.encode("utf-16"), "wide.xml")
    with pytest.raises(ImportFailure, match="DOCTYPE"):
        import_bytes(b'<!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>', "plain.xml")


def test_an_undefined_entity_is_not_well_formed():
    data = item("<headline>&secret;</headline>", "<p>正文。</p>")
    with pytest.raises(ImportFailure, match="not well-formed XML"):
        import_bytes(data.encode(), "x.xml")


def test_other_xml_is_refused():
    with pytest.raises(ImportFailure, match="not NewsML-G2"):
        import_bytes(b'<?xml version="1.0"?><rss><channel/></rss>', "feed.xml")


def test_picture_only_item_is_a_photo_to_place():
    res = import_file(DATA / "picture-item.xml")
    assert [p.image for p in res.photos] == ["photos/spring-sowing.jpg"]
    assert res.stories[0].credit == "新华社记者 赵刚 摄"
