"""The importer (issue 7): the seed front page, repairs, Word files, encodings, refusals."""
from __future__ import annotations

import io
import random
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from importer import ImportFailure, apply, import_bytes, import_file, import_text
from importer.chars import is_han

SEED = Path(__file__).resolve().parent / "data" / "front-page.txt"
DUPLICATE = ("下，在年度救助限额、救助比例等方面出台倾斜政策，聚力解决深度贫困问题。要聚焦中央专项巡视"
             "反馈问题整改和基本医疗保障全覆盖、医疗保障政策完善和落实、“一站式”即时结算、跨省异地就"
             "医直接结算等重点工作任务，靠实工作责任，加强工作调度，有针对性地破难题、补短板。")


def han(text: str) -> Counter:
    """The multiset of Han characters of a text."""
    return Counter(c for c in text if is_han(c))


def all_text(result) -> str:
    """Every character the import kept: headlines, bylines, paragraphs, photo lines."""
    parts = []
    for s in result.stories:
        h = s.headline
        parts += [h.kicker, h.title, h.subtitle, s.byline] + [p.text for p in s.paragraphs]
    for p in result.photos:
        parts += [p.credit, p.caption]
    return "\n".join(parts)


def kinds(result, applied=None) -> Counter:
    """How many repairs of each kind (only applied or not applied ones when asked)."""
    return Counter(r.kind for r in result.repairs if applied is None or r.applied == applied)


@pytest.fixture(scope="module")
def seed():
    return import_file(SEED)


# ------------------------------------------------------------------ the seed page
def test_seed_has_one_story_per_article(seed):
    titles = [s.headline.title for s in seed.stories]
    assert titles == [
        "我省出台倾斜政策：聚力解决深度贫困问题",
        "金泥集团维护职工权益出实招",
        "白银平川区举行“就业援助月”活动",
        "“学习强国”确保党员理论学习教育全覆盖",
        "深入学习贯彻习近平总书记重要讲话精神",
        "临泽县总工会精准服务职工",
        "职工心里的“温暖之家”",
    ]
    ids = [s.id for s in seed.stories]
    assert len(set(ids)) == len(ids) and all(i.isascii() for i in ids)
    by_title = {s.headline.title: s for s in seed.stories}
    lead = by_title["深入学习贯彻习近平总书记重要讲话精神"]
    assert lead.headline.kicker == "吴明明在省总工会脱贫攻坚帮扶工作推进会上强调"
    assert lead.headline.subtitle == "奋力拼搏 迎难而上 坚决打赢脱贫攻坚战"
    assert lead.paragraphs[0].text.startswith("本报讯（记者 周鹏 石杰 实习生 戴东琦）3月15日上午，")
    assert seed.run_in_bylines[lead.id] == ["记者 周鹏 石杰 实习生 戴东琦"]
    assert lead.byline == ""          # the run-in byline is printed in the lead, not twice
    home = by_title["职工心里的“温暖之家”"]
    assert home.byline == "□本报记者 张小芳 石杰"
    assert home.headline.subtitle == "——中铁二十局市政公司模范职工之家建设略记"
    assert all(s.name for s in seed.stories)


def test_seed_misplaced_headline_goes_to_its_story(seed):
    story = next(s for s in seed.stories if s.headline.title == "金泥集团维护职工权益出实招")
    assert "金昌水泥集团" in story.paragraphs[0].text
    assert story.paragraphs[-1].text.endswith("温暖。（罗文锋）")
    rep = next(r for r in seed.repairs if r.kind == "misplaced_headline")
    assert rep.applied and rep.line == 21 and rep.story == story.id
    assert "集团" in rep.evidence and "权益" in rep.evidence


def test_seed_report_lists_every_repair(seed):
    k = kinds(seed)
    assert k["duplicate"] == 1 and k["misplaced_headline"] == 1
    assert k["misplaced_fragment"] == 1 and k["split"] == 2
    assert k["jump_marker"] == 1 and k["headline_split"] == 1 and k["photo_credit"] == 1
    assert k["signoff"] == 2
    assert not kinds(seed, applied=False), "every repair on the seed is clear"
    dup = next(r for r in seed.repairs if r.kind == "duplicate")
    assert dup.line == 11 and dup.before.startswith("下，在年度救助限额")
    splits = {r.line: r for r in seed.repairs if r.kind == "split"}
    assert set(splits) == {51, 75}
    assert "《甘肃" in splits[51].before and "方方面面" in splits[75].after
    frag = next(r for r in seed.repairs if r.kind == "misplaced_fragment")
    assert frag.line == 79 and "说着话工会" in frag.evidence
    for r in seed.repairs:
        assert r.id and r.kind and r.story and r.before and 0 <= r.confidence <= 1
    assert len({r.id for r in seed.repairs}) == len(seed.repairs)


def test_seed_paragraph_repairs(seed):
    lead = seed.stories[4]
    merged = lead.paragraphs[-1].text
    assert "《甘肃省总工会脱贫攻坚三年行动意见》" in merged
    assert merged.endswith("带动作用。") and "下转" not in merged
    home = seed.stories[6]
    texts = [p.text for p in home.paragraphs]
    assert any("职工之家建设的方方面面，洗衣房" in t for t in texts)
    assert texts[-1].endswith("说着话工会就行动了起来，不几日就给职工发放了电影卡。"
                              "诸如此类“于细微处见真情”的事情工会组织做得不少。")
    assert not any(t.startswith("就行动了起来") for t in texts)
    first = seed.stories[0]
    assert len(first.paragraphs) == 2
    assert first.paragraphs[-1].text.endswith("补短板。（宗和）")
    assert "（2018—2020年）" in first.paragraphs[1].text
    assert first.paragraphs[0].text.startswith("本报讯\u3000近日")
    assert seed.photos[0].story == seed.stories[3].id
    assert seed.photos[0].credit == "骆进林 摄"
    assert not any("骆进林" in p.text for s in seed.stories for p in s.paragraphs)
    body = "".join(p.text for s in seed.stories for p in s.paragraphs)
    for kept in ("15.2%", "12.18万元", "QQ群", "wifi", "16.78%"):
        assert kept in body


def test_seed_keeps_every_han_character_but_the_duplicate_and_jump(seed):
    source = han(SEED.read_text("utf-8"))
    expected = source - han(DUPLICATE) - han("下转二版")
    assert han(all_text(seed)) == expected
    alnum = lambda t: Counter(c for c in t if c.isascii() and c.isalnum())  # noqa: E731
    assert alnum(all_text(seed)) == alnum(SEED.read_text("utf-8"))   # "15.2%", "QQ", "wifi"


def test_apply_nothing_keeps_the_text_as_found(seed):
    raw = apply(seed.report, [])
    assert han(all_text(raw)) == han(SEED.read_text("utf-8"))
    assert len(raw.stories) == 8          # the lone headline stays a story of its own
    assert not any(r.applied for r in raw.repairs)
    texts = [p.text for s in raw.stories for p in s.paragraphs]
    assert DUPLICATE in texts and "(宗和)" in texts and "骆进林 摄" in texts


def test_apply_a_choice(seed):
    frag = next(r for r in seed.repairs if r.kind == "misplaced_fragment")
    dup = next(r for r in seed.repairs if r.kind == "duplicate")
    keep = seed.report.applied_ids() - {frag.id, dup.id}
    res = apply(seed.report, keep)
    home = res.stories[6]
    assert home.paragraphs[-1].text.endswith("说着话工会")
    assert any(p.text.startswith("就行动了起来") for p in home.paragraphs)
    first = res.stories[0]
    assert [p.text for p in first.paragraphs][-1] == DUPLICATE + "（宗和）"
    assert [s.id for s in res.stories] == [s.id for s in seed.stories]
    assert res.report.get(frag.id).applied is False
    with pytest.raises(ValueError):
        apply(seed.report, ["r999"])


# ------------------------------------------------------------------ repairs, one by one
def only(text: str):
    """The single story of a small import."""
    res = import_text(text)
    assert len(res.stories) == 1, [s.headline for s in res.stories]
    return res, res.stories[0]


def test_punctuation_made_full_width_but_not_in_numbers_or_latin():
    res, s = only("## 标题\n\n按照《方案(2018—2020年)》执行,贫困发生率下降到15.2%,资金12.18万元,"
                  "加入QQ群,实现wifi全覆盖,共1,000人,10:30开会。他说:\"好\"")
    t = s.paragraphs[0].text
    assert "《方案（2018—2020年）》执行，贫困发生率下降到15.2%，资金12.18万元，加入QQ群，" in t
    assert "1,000人" in t and "10:30开会" in t and "他说：“好”" in t
    assert "wifi全覆盖" in t
    assert all(r.kind == "punctuation" for r in res.repairs)


def test_latin_parentheses_stay_half_width():
    _, s = only("## 标题\n\nThe ratio (a/b) is 15.2% here.")
    assert s.paragraphs[0].text == "The ratio (a/b) is 15.2% here."


def test_full_width_digits_and_latin_made_half_width():
    res, s = only("## 标题\n\n２０１９年，ＱＱ群增长１５．２％。")
    assert s.paragraphs[0].text == "2019年，QQ群增长15.2%。"
    assert kinds(res)["fullwidth"] == 3


def test_spaces_between_chinese_removed_and_the_lead_gap_kept():
    res, s = only("## 标题\n\n本报讯 近日， 省总工会 召开会议 。")
    assert s.paragraphs[0].text == "本报讯\u3000近日，省总工会召开会议。"
    _, s = only("## 标题\n\n本报讯近日召开。")
    assert s.paragraphs[0].text == "本报讯近日召开。"      # no gap is added where none was
    res, s = only("## 标题\n\n本报讯 (记者 周鹏 石杰)3月15日, 会议召开。")
    assert s.paragraphs[0].text == "本报讯（记者 周鹏 石杰）3月15日，会议召开。"
    assert all(r.applied for r in res.repairs)
    _, s = only("## 标题\n\nWe use wifi and QQ 群 here 中 文。")
    assert "We use wifi and QQ 群 here 中文。" == s.paragraphs[0].text


def test_split_paragraph_merged():
    res, s = only("## 标题\n\n公司一直坚持开始策划职工之家建设的\n\n方方面面，洗衣房都列入方案。")
    assert [p.text for p in s.paragraphs] == ["公司一直坚持开始策划职工之家建设的方方面面，洗衣房都列入方案。"]
    r = res.repairs[0]
    assert r.kind == "split" and r.applied and r.paragraph == 0 and r.line == 5
    raw = apply(res.report, [])
    assert len(raw.stories[0].paragraphs) == 2


def test_unclear_split_is_only_proposed():
    res, s = only("## 标题\n\n他说公司一直坚持开始策划工作\n\n公司领导表示同意。")
    assert len(s.paragraphs) == 2
    r = next(r for r in res.repairs if r.kind == "split")
    assert not r.applied and r.confidence < 0.6
    joined = apply(res.report, [r.id]).stories[0]
    assert len(joined.paragraphs) == 1


def test_duplicated_fragment_dropped_and_restorable():
    res, s = only("## 标题\n\n第一句话。各州市要在确保基金安全的前提下，在年度救助限额等方面出台政策。\n\n"
                  "下，在年度救助限额等方面出台政策。\n\n第三段。")
    assert [p.text for p in s.paragraphs] == [
        "第一句话。各州市要在确保基金安全的前提下，在年度救助限额等方面出台政策。", "第三段。"]
    r = next(r for r in res.repairs if r.kind == "duplicate")
    assert r.applied and r.before.startswith("下，")
    assert len(apply(res.report, []).stories[0].paragraphs) == 3


def test_misplaced_tail_fragment_moved():
    res, s = only("## 标题\n\n“听说电影特别火。”工会主席说。\n\n就行动了起来，发放了电影卡。\n\n"
                  "公司实现了全覆盖。\n\n“让职工也去看看呗……”说着话工会")
    assert s.paragraphs[-1].text == "“让职工也去看看呗……”说着话工会就行动了起来，发放了电影卡。"
    assert len(s.paragraphs) == 3
    r = next(r for r in res.repairs if r.kind == "misplaced_fragment")
    assert r.applied and "就" in r.evidence


def test_unfinished_story_flagged_not_changed():
    res, s = only("## 标题\n\n第一段。\n\n说着话工会")
    r = next(r for r in res.repairs if r.kind == "unfinished")
    assert not r.applied and not r.actionable
    assert s.paragraphs[-1].text == "说着话工会"


def test_lone_headline_without_evidence_is_only_flagged():
    res = import_text("本报讯 今年以来，公司开展了植树活动。\n\n## 学校举办春季运动会\n\n"
                      "## 第二篇\n\n本报讯 第二篇的正文。")
    r = next(r for r in res.repairs if r.kind == "misplaced_headline")
    assert not r.applied and r.confidence < 0.6
    assert [(s.id, s.headline.title) for s in res.stories] == [
        ("story-01", ""), ("story-03", "学校举办春季运动会"), ("story-02", "第二篇")]
    assert any(x.kind == "no_headline" for x in res.repairs)
    moved = apply(res.report, res.report.applied_ids() | {r.id})
    assert [s.headline.title for s in moved.stories] == ["学校举办春季运动会", "第二篇"]


def test_jump_marker_dropped_and_signoff_run_in():
    res, s = only("## 标题\n\n正文结束。（下转第二版）\n\n(宗和)")
    assert s.paragraphs[-1].text == "正文结束。（宗和）"
    assert {"jump_marker", "signoff", "punctuation"} <= set(kinds(res))


def test_kicker_and_subtitle_lines():
    res = import_text("### 引题在这里\n## 主标题\n### ——副标题\n\n正文。\n\n### 小标题\n\n正文二。")
    s = res.stories[0]
    assert (s.headline.kicker, s.headline.title, s.headline.subtitle) == (
        "引题在这里", "主标题", "——副标题")
    assert [p.style for p in s.paragraphs] == ["body", "subhead", "body"]


def test_headline_split_after_kicker_verb_only():
    res = import_text("## 某某在会上指出 主题文字 副题文字\n\n正文。\n\n## 奋力拼搏 迎难而上\n\n正文。")
    a, b = res.stories
    assert (a.headline.kicker, a.headline.title, a.headline.subtitle) == (
        "某某在会上指出", "主题文字", "副题文字")
    assert b.headline.title == "奋力拼搏 迎难而上" and not b.headline.kicker


def test_plain_text_without_markup():
    res = import_text("临泽县总工会精准服务职工\n本报讯 去年以来，临泽县总工会做好精准服务。\n"
                      "同时，开展法律援助服务。(王照乐)\n")
    s = res.stories[0]
    assert s.headline.title == "临泽县总工会精准服务职工"
    assert [p.text for p in s.paragraphs][-1] == "同时，开展法律援助服务。（王照乐）"
    assert res.notes


def test_story_ids_avoid_existing_ones():
    res = import_text("## 甲\n\n正文。\n\n## 乙\n\n正文。", existing_ids={"story-01", "story-03"})
    assert [s.id for s in res.stories] == ["story-02", "story-04"]


# ------------------------------------------------------------------ Word files
def make_docx(path: Path) -> None:
    """A small Word file: kicker, headings, bold/italic runs, an image with caption, a credit."""
    docx = pytest.importorskip("docx")
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Inches
    from PIL import Image
    doc = docx.Document()
    doc.styles.add_style("Kicker", WD_STYLE_TYPE.PARAGRAPH)
    doc.add_paragraph("吴明明在推进会上强调", style="Kicker")
    doc.add_heading("深入学习贯彻重要讲话精神", level=1)
    doc.add_heading("奋力拼搏 迎难而上", level=2)
    p = doc.add_paragraph("本报讯 省总工会")
    p.add_run("召开").bold = True
    p.add_run("推进会，")
    p.add_run("强调").italic = True
    p.add_run("要深化认识。")
    png = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(png, "PNG")
    png.seek(0)
    doc.add_picture(png, width=Inches(1))
    doc.add_paragraph("帮扶干部入户走访。", style="Caption")
    doc.add_paragraph("骆进林 摄")
    doc.add_heading("帮扶成效", level=3)
    doc.add_paragraph("去年脱贫36户，贫困发生率下降到15.2%。")
    doc.add_heading("第二篇稿件", level=1)
    doc.add_paragraph("第二篇的正文。")
    doc.save(str(path))


def test_docx_import(tmp_path):
    src = tmp_path / "稿件.docx"
    make_docx(src)
    issue = tmp_path / "issue" / "issue.yaml"
    res = import_file(src, issue_path=issue)
    assert res.report.encoding == "docx"
    a, b = res.stories
    assert (a.headline.kicker, a.headline.title, a.headline.subtitle) == (
        "吴明明在推进会上强调", "深入学习贯彻重要讲话精神", "奋力拼搏 迎难而上")
    first = a.paragraphs[0]
    assert first.text == "本报讯\u3000省总工会召开推进会，强调要深化认识。"
    assert [(r.text, r.style) for r in first.runs] == [
        ("本报讯\u3000省总工会", ""), ("召开", "bold"), ("推进会，", ""), ("强调", "italic"),
        ("要深化认识。", "")]
    assert [p.style for p in a.paragraphs] == ["body", "subhead", "body"]
    assert b.headline.title == "第二篇稿件" and b.paragraphs[0].text == "第二篇的正文。"
    assert len(res.images) == 1
    img = Path(res.images[0])
    assert img.exists() and img.parent == issue.parent / "images" and img.suffix == ".png"
    assert img.read_bytes().startswith(b"\x89PNG")
    (photo,) = res.photos
    assert photo.story == a.id and photo.credit == "骆进林 摄"
    assert photo.caption == "帮扶干部入户走访。" and photo.image == f"images/{img.name}"


def test_docx_without_target_issue_writes_nothing(tmp_path):
    src = tmp_path / "a.docx"
    make_docx(src)
    res = import_file(src)
    assert res.images == [] and res.photos[0].image == "" and res.notes
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.docx"]


def test_damaged_docx_refused(tmp_path):
    src = tmp_path / "bad.docx"
    make_docx(src)
    data = src.read_bytes()
    src.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImportFailure, match="bad.docx"):
        import_file(src)


# ------------------------------------------------------------------ encodings
TEXT = "## 临泽县总工会精准服务职工\n\n本报讯 去年以来，发放生活救助资金12.18万元。\n"


@pytest.mark.parametrize("encoding,data", [
    ("utf-8", TEXT.encode("utf-8")),
    ("utf-8 (BOM)", b"\xef\xbb\xbf" + TEXT.encode("utf-8")),
    ("gb18030", TEXT.encode("gb18030")),
    ("gb18030", TEXT.encode("gbk")),
    ("utf-16 (BOM)", TEXT.encode("utf-16")),
    ("utf-16 (BOM)", b"\xfe\xff" + TEXT.encode("utf-16-be")),
    ("utf-16-le", TEXT.encode("utf-16-le")),
    ("utf-16-be", TEXT.encode("utf-16-be")),
])
def test_encodings(tmp_path, encoding, data):
    path = tmp_path / "in.txt"
    path.write_bytes(data)
    res = import_file(path)
    assert res.report.encoding == encoding
    s = res.stories[0]
    assert s.headline.title == "临泽县总工会精准服务职工"
    assert s.paragraphs[0].text == "本报讯\u3000去年以来，发放生活救助资金12.18万元。"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_bomless_utf16_with_many_nul_low_bytes(tmp_path, encoding):
    text = "## 一一得一\n\n一万一千一百一十一，一一对应。一一一一一一一一一一。\n"   # 一 is U+4E00
    path = tmp_path / "one.txt"
    path.write_bytes(text.encode(encoding))
    res = import_file(path)
    assert res.report.encoding == encoding
    assert res.stories[0].paragraphs[0].text == "一万一千一百一十一，一一对应。一一一一一一一一一一。"


def png_bytes() -> bytes:
    from PIL import Image
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 0, 0)).save(buf, "PNG")
    return buf.getvalue()


@pytest.mark.parametrize("name,data", [
    ("photo.png", png_bytes()),
    ("photo.txt", png_bytes()),
    ("noise.txt", bytes(random.Random(7).randrange(256) for _ in range(4000))),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)),
    ("zip.txt", b"PK\x03\x04" + bytes(100)),
    ("ctl.txt", "正文\x01二".encode("utf-8")),
    ("empty.txt", b""),
    ("blank.txt", b"\n\n  \n"),
])
def test_non_text_refused_with_a_clear_message(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ImportFailure) as info:
        import_file(path)
    msg = str(info.value)
    assert msg.startswith(str(path)) and len(msg) > len(str(path)) + 5


def test_missing_file_refused(tmp_path):
    with pytest.raises(ImportFailure, match="cannot read"):
        import_file(tmp_path / "nope.txt")


# ------------------------------------------------------------------ never anything else
SEED_LINES = SEED.read_text("utf-8").splitlines()
pieces = st.one_of(st.sampled_from(SEED_LINES), st.text(max_size=30),
                   st.sampled_from(["## ", "### ", "(宗和)", "骆进林 摄", "□本报记者 张三",
                                    "本报讯 ", "（下转二版）", "\n", "\n\n", "(", ")", "，", ",",
                                    "\u3000", "——", "《", "》", "“", "”", "的", "就"]))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(pieces, max_size=25).map("".join))
def test_text_import_only_ever_raises_import_failure(text):
    try:
        res = import_text(text)
    except ImportFailure:
        return
    han_in = han(text)
    assert han(all_text(apply(res.report, []))) == han_in
    assert han(all_text(res)) <= han_in


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400), st.sampled_from(["x.txt", "x.md", "x.docx", "x"]))
def test_bytes_import_only_ever_raises_import_failure(data, name):
    try:
        import_bytes(data, name)
    except ImportFailure as exc:
        assert name in str(exc)
