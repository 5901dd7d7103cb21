"""Headlines break between words, into balanced lines, never leaving a character alone."""
from __future__ import annotations

from support.fakefont import SquareFontSet
from layout.breaking import Prepared
from layout.headline import Segmenter, balanced_breaks
from layout.shaping import RunSpec, shape


def lines(text, chars_per_line, seg):
    fs = SquareFontSet()
    sh = shape([RunSpec(text, "headline", 10.0, "black")], fs, 10.0)
    p = Prepared(sh)
    spans = balanced_breaks(p, chars_per_line * 10.0, seg.boundaries(text))
    return [text[s:e] for s, e in spans or ()]


def test_breaks_fall_between_words_and_lines_balance(tmp_path):
    seg = Segmenter(tmp_path / "seg.json")
    text = "深入学习贯彻习近平总书记重要讲话精神"
    got = lines(text, 12, seg)
    assert "".join(got) == text and len(got) == 2
    words = seg.boundaries(text)
    assert len(got[0]) in words                       # the break is a word boundary
    assert abs(len(got[0]) - len(got[1])) <= 4        # balanced, not 12 + 6
    seg.save()
    assert Segmenter(tmp_path / "seg.json").boundaries(text) == words   # cached


def test_phrase_spaces_are_preferred_breaks(tmp_path):
    seg = Segmenter(tmp_path / "seg.json")
    got = lines("奋力拼搏 迎难而上 坚决打赢脱贫攻坚战", 12, seg)
    assert got == ["奋力拼搏 迎难而上", "坚决打赢脱贫攻坚战"]


def test_no_lone_character(tmp_path):
    seg = Segmenter(tmp_path / "seg.json")
    for text in ("金泥集团维护职工权益出实招", "临泽县总工会精准服务职工", "白银平川区举行“就业援助月”活动"):
        for width in range(5, 14):
            got = lines(text, width, seg)
            if got:
                assert all(len(t.strip()) > 1 for t in got), (text, width, got)
                assert "".join(got).replace(" ", "") == text.replace(" ", "")


def test_vertical_title_runs_top_to_bottom():
    from layout import model as m
    from layout.compose import Composer
    iss = m.Issue(fonts=m.default_fonts(), paragraph_styles=m.default_styles())
    iss.stories["s"] = m.Story("s", headline=m.Headline(title="坚决打赢脱贫攻坚战"))
    iss.pages = [m.Page(1, frames=[m.HeadlineFrame("h", col=0, line=0, cols=2, lines=40,
                                                   story="s", vertical=True)])]
    fr = Composer(iss, SquareFontSet()).compose().pages[0].frames[0]
    (run,) = fr.runs
    assert run.text == "坚决打赢脱贫攻坚战" and run.ys is not None
    steps = {round(b - a, 3) for a, b in zip(run.ys, run.ys[1:])}
    assert steps == {run.size}                       # one em per character, downwards
    assert len(set(run.xs)) == 1                     # one column
    x, y, w, h = fr.rect
    assert x < run.xs[0] < x + w and run.ys[-1] < y + h


def test_no_line_starts_with_a_particle(tmp_path):
    from layout import chars as C
    seg = Segmenter(tmp_path / "seg.json")
    for text in ("推动职工技能提升的若干措施", "全省职工技能大赛和劳动竞赛落下帷幕",
                 "我省表彰劳动模范与先进工作者", "抓好春耕生产等各项工作"):
        for width in range(4, len(text)):
            got = lines(text, width, seg)
            if got:
                for t in got[1:]:
                    words = seg.boundaries(text)
                    b = text.index(t)
                    nxt = min([w for w in words if w > b] + [len(text)])
                    assert text[b:nxt] not in C.NO_HEADLINE_START, (text, width, got)


def test_a_word_is_split_only_when_no_setting_between_words_fits(tmp_path):
    seg = Segmenter(tmp_path / "seg.json")
    text = "全国总工会表彰劳动模范"
    words = seg.boundaries(text)
    got = lines(text, 6, seg)
    assert [len("".join(got[:k])) in words for k in range(1, len(got))] == [True] * (len(got) - 1)
    # 3 a line: no word setting fits in four lines; split inside a word rather than overflow
    got = lines("中华人民共和国劳动法", 3, seg)
    assert got and "".join(got) == "中华人民共和国劳动法" and all(len(t) <= 3 for t in got)


def test_the_papers_dictionary_keeps_its_words_whole(tmp_path):
    (tmp_path / "words.txt").write_text("# names and terms\n平川区总工会 10 nt\n援助月\n", "utf-8")
    seg = Segmenter(tmp_path / "seg.json")
    assert seg.use_dictionary("words.txt", str(tmp_path)) == ""
    assert seg.words == ("平川区总工会", "援助月")
    text = "平川区总工会举办就业援助月活动"
    got = seg.boundaries(text)
    assert not any(0 < b < 6 for b in got) and not any(10 < b < 13 for b in got)
    for width in range(6, 12):
        spans = lines(text, width, seg)
        assert spans and all(not (0 < len("".join(spans[:k])) < 6) for k in range(1, len(spans)))
    msg = seg.use_dictionary("missing.txt", str(tmp_path))
    assert "missing.txt" in msg and "\n" not in msg and seg.words == ()


def test_paper_dictionary_round_trips_and_reaches_the_headline(tmp_path):
    from layout import model as m
    from layout.docfile import load_issue, save_issue
    from layout.compose import Composer
    iss = m.Issue(fonts=m.default_fonts(), paragraph_styles=m.default_styles())
    iss.paper.dictionary = "words.txt"
    iss.paper.punctuation_width = "开明"
    iss.paper.latin_spacing = "none"
    path = tmp_path / "issue.yaml"
    save_issue(iss, str(path))
    back = load_issue(str(path))
    assert (back.paper.dictionary, back.paper.punctuation_width, back.paper.latin_spacing) == \
        ("words.txt", "开明", "none")
    res = Composer(back, SquareFontSet(), base_dir=str(tmp_path),
                   segmenter=Segmenter(tmp_path / "seg.json")).compose()
    assert [d.code for d in res.diagnostics] == ["dictionary"]
    assert "words.txt" in res.diagnostics[0].message


def test_a_foreign_name_stays_whole_or_breaks_after_its_middle_dot(tmp_path):
    # a middle dot may end a line of text (GB/T 15834), but a headline keeps a name
    # whole while a setting between words fits, and breaks after a dot before inside a part
    seg = Segmenter(tmp_path / "seg.json")
    text = "苏丹总统奥马尔·哈桑·艾哈迈德·巴希尔强调实现全国和解"
    a, b = text.index("奥"), text.index("强")
    for n in (18, 20):
        assert lines(text, n, seg) == ["苏丹总统奥马尔·哈桑·艾哈迈德·巴希尔", "强调实现全国和解"]
    for n in (8, 10, 12):
        got = lines(text, n, seg)
        assert "".join(got) == text
        ends = [len("".join(got[:k])) for k in range(1, len(got))]
        inside = [e for e in ends if a < e < b]
        assert inside and all(text[e - 1] == "·" for e in inside), got
