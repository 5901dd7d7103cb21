"""Traditional-character pages: language keys, fonts, centred marks, Big5 import, check."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from layout import model as m
from layout.docfile import DocumentError, dump_issue, load_issue
from layout.hanzi import looks_traditional, traditional_share
from support.fakefont import SquareFace, SquareFontSet
from support.paths import MAIN, ROOT, SAMPLE

NOTO_SERIF = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")

TW_TEXT = ("本報訊　臺北捷運環狀線第二階段今天正式通車，沿線居民表示交通將更加便利。"
           "市長說：“這條路線經過十年規劃，終於完成了。”局長指出，‘轉乘優惠’將持續到年底。")
HANS_TEXT = ("本报讯　北京市政府今天宣布，自下个月起将调整公交票价。市长表示，这项政策经过多次"
             "讨论，希望兼顾群众负担与运营成本。")

ISSUE = """banmian: 1
paper: {{width: 200mm, height: 150mm, grid: {{columns: 4}}{paper}}}
{fonts}stories:
  s:
{story}    thread: [t1]
    paragraphs:
    - {text}
pages:
- number: 1
  frames:
  - {{type: text, id: t1, cols: 4, lines: 10}}
"""


def _issue(tmp_path, text, paper="", story="", fonts="") -> Path:
    path = tmp_path / "issue.yaml"
    path.write_text(ISSUE.format(paper=paper, story=story, fonts=fonts, text=text),
                    encoding="utf-8")
    return path


# ------------------------------------------------------------------ language → fonts
def test_traditional_language_picks_tc_and_hk_roles():
    tw, hk, zh = m.default_fonts("zh-Hant-TW"), m.default_fonts("zh-Hant-HK"), m.default_fonts()
    assert tw["body"][0] == "Noto Serif CJK TC" and hk["body"][0] == "Noto Serif CJK HK"
    assert tw["headline"][0] == "Noto Sans CJK TC Bold"
    assert zh["body"][0] == "Noto Serif CJK SC" == m.default_fonts("zh-Hans")["body"][0]
    assert tw["latin"][0] == "Liberation Serif"            # Latin roles keep their Latin font
    assert "Noto Serif CJK SC" in tw["body"]               # SC stays behind as a fallback


def test_issue_language_sets_the_roles_the_file_leaves_out(tmp_path):
    path = _issue(tmp_path, TW_TEXT, paper=", language: zh-Hant-TW",
                  fonts="fonts:\n  caption: [Noto Sans CJK SC]\n")
    issue = load_issue(path)
    assert issue.fonts["body"][0] == "Noto Serif CJK TC"
    assert issue.fonts["caption"] == ["Noto Sans CJK SC"]          # given: kept
    assert load_issue(path).fonts == issue.fonts


def test_tc_names_resolve_to_tc_faces():
    if not NOTO_SERIF.exists():
        pytest.skip("fonts-noto-cjk is not installed")
    from fonts import FontSet, default_library
    fs = FontSet(m.default_fonts("zh-Hant-TW"), default_library())
    assert fs.primary("body").name == "Noto Serif CJK TC"
    assert fs.primary("headline").name == "Noto Sans CJK TC Bold"
    fs = FontSet(m.default_fonts("zh-Hant-HK"), default_library())
    assert fs.primary("body").name == "Noto Serif CJK HK"


# ------------------------------------------------------------------ file format
def test_language_keys_round_trip(tmp_path):
    path = _issue(tmp_path, TW_TEXT, paper=", language: zh-Hant-HK, punctuation: centered",
                  story="    language: zh-Hant-TW\n",
                  fonts="fonts:\n  body@zh-Hant-TW: [Noto Serif CJK TC]\n")
    a = load_issue(path)
    assert a.paper.language == "zh-Hant-HK" and a.stories["s"].language == "zh-Hant-TW"
    assert a.fonts["body@zh-Hant-TW"] == ["Noto Serif CJK TC"]
    text = dump_issue(a)
    assert "language: zh-Hant-TW" in text
    again = tmp_path / "again.yaml"
    again.write_text(text, encoding="utf-8")
    assert load_issue(again) == a
    # zh (the old value) still reads, and still means Simplified
    b = load_issue(_issue(tmp_path, HANS_TEXT, paper=", language: zh"))
    assert m.story_language(b, b.stories["s"]) == "zh-Hans"


def test_unknown_language_is_one_line_with_the_file_and_line(tmp_path):
    path = _issue(tmp_path, TW_TEXT, story="    language: zh-TW\n")
    with pytest.raises(DocumentError) as err:
        load_issue(path)
    msg = str(err.value)
    assert "issue.yaml:5" in msg and "zh-Hant-TW" in msg and "\n" not in msg


# ------------------------------------------------------------------ glyph forms
class LoclFace(SquareFace):
    """A square face whose 'locl' for ZHT moves ，。： to other glyph ids (as Noto CJK SC's
    does: to the centred forms) and 説 to a Traditional form."""
    MAP = {ord("，"): 0xF0001, ord("。"): 0xF0002, ord("："): 0xF0003, ord("说"): 0xF0004}

    def localized(self, language):
        return self.MAP if language == "ZHT" else {}

    def advance(self, gid):
        return 1000 if gid >= 0xF0000 else super().advance(gid)


def _compose(issue):
    from layout.compose import compose_issue
    return compose_issue(issue, SquareFontSet([LoclFace()]))


def _glyphs(result, story="s"):
    out = {}
    for page in result.pages:
        for fr in page.frames:
            for run in fr.runs:
                if run.source.story == story:
                    out.update(zip(run.text, run.glyphs))
    return out


def _tiny(language="", punctuation="mainland", text="他说：好，走。"):
    issue = m.Issue(fonts=m.default_fonts(), paragraph_styles=m.default_styles())
    issue.paper = m.Paper(width="200mm", height="150mm", punctuation=punctuation,
                          grid=m.GridSpec(columns=4))
    issue.stories["s"] = m.Story("s", language=language, thread=["t1"],
                                 paragraphs=[m.Paragraph(runs=[m.Run(text)])])
    issue.pages = [m.Page(1, frames=[m.TextFrame("t1", cols=4, lines=10)])]
    return issue


def test_traditional_story_takes_the_locl_forms():
    g = _glyphs(_compose(_tiny("zh-Hant-TW")))
    assert g["，"] == 0xF0001 and g["。"] == 0xF0002 and g["说"] == 0xF0004


def test_centred_punctuation_takes_only_the_centred_marks():
    g = _glyphs(_compose(_tiny("", "centered")))
    assert g["，"] == 0xF0001 and g["："] == 0xF0003
    assert g["说"] == ord("说")                      # Simplified glyph forms stay


def test_mainland_text_is_untouched():
    g = _glyphs(_compose(_tiny()))
    assert g["，"] == ord("，") and g["说"] == ord("说")


def test_noto_sc_locl_gives_the_tc_faces_centred_marks():
    if not NOTO_SERIF.exists():
        pytest.skip("fonts-noto-cjk is not installed")
    from fontTools.ttLib import TTFont

    from fonts.locl import locl_map
    faces = {}
    for i in range(5):
        f = TTFont(str(NOTO_SERIF), fontNumber=i, lazy=True)
        faces[f["name"].getDebugName(1).split()[-1]] = f
    sc, tc = faces["SC"], faces["TC"]
    order = sc.getGlyphOrder()
    ids = {n: i for i, n in enumerate(order)}
    zht = locl_map(sc, "ZHT")
    sc_cmap, tc_cmap = sc.getBestCmap(), tc.getBestCmap()
    for ch in "，。、：；！？":
        assert order[zht[ids[sc_cmap[ord(ch)]]]] == tc_cmap[ord(ch)], ch
    assert locl_map(tc, "ZHT").get(ids[tc_cmap[ord("，")]]) is None     # TC: already centred


# ------------------------------------------------------------------ centred in the PDF
def _ink_centres(pdf: Path, chars: str) -> list[float]:
    """Where the ink of each of these characters sits across its advance box (0 left, 1 right)."""
    import pymupdf
    doc = pymupdf.open(pdf)
    out = []
    for page in doc:
        for block in page.get_text("rawdict")["blocks"]:
            for line in block.get("lines", []):
                for span in line["spans"]:
                    for c in span["chars"]:
                        if c["c"] not in chars:
                            continue
                        x0, y0, x1, y1 = c["bbox"]
                        size = span["size"]
                        box = pymupdf.Rect(x0, y0, x0 + size, y1)     # the em box
                        pix = page.get_pixmap(clip=box, dpi=600, colorspace=pymupdf.csGRAY)
                        cols = [x for x in range(pix.width)
                                if any(pix.pixel(x, y)[0] < 128 for y in range(pix.height))]
                        if cols:
                            out.append((cols[0] + cols[-1] + 1) / 2 / pix.width)
    doc.close()
    return out


def _export(path: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out.pdf"
    proc = subprocess.run([sys.executable, str(MAIN), "export", str(path), "-o", str(out)],
                          capture_output=True, text=True, timeout=900, cwd=str(ROOT))
    assert proc.returncode == 0, proc.stderr
    return out


def test_traditional_issue_sets_centred_marks_in_the_pdf(tmp_path):
    if not NOTO_SERIF.exists():
        pytest.skip("fonts-noto-cjk is not installed")
    tw = _ink_centres(_export(_issue(tmp_path, TW_TEXT.replace("“", "「").replace("”", "」"),
                                     paper=", language: zh-Hant-TW"), tmp_path), "，。：")
    assert len(tw) >= 5 and all(0.38 < c < 0.62 for c in tw), tw
    # a zh-Hant story in the SC fonts: their 'locl' (ZHT) forms, centred too
    sc = _ink_centres(_export(_issue(tmp_path, TW_TEXT, story="    language: zh-Hant-TW\n"),
                              tmp_path), "，。：")
    assert len(sc) >= 5 and all(0.38 < c < 0.62 for c in sc), sc
    # Simplified text on a paper with centred punctuation, SC fonts: centred marks
    cen = _ink_centres(_export(_issue(tmp_path, HANS_TEXT, paper=", punctuation: centered"),
                               tmp_path), "，。")
    assert len(cen) >= 3 and all(0.38 < c < 0.62 for c in cen), cen
    # the control: the same marks in Simplified text sit in the left half of their box
    hans = _ink_centres(_export(_issue(tmp_path, HANS_TEXT), tmp_path), "，。")
    assert len(hans) >= 3 and all(c < 0.36 for c in hans), hans


# ------------------------------------------------------------------ detection
def test_traditional_detection_figures():
    assert looks_traditional(TW_TEXT) and traditional_share(TW_TEXT) > 0.15
    assert not looks_traditional(HANS_TEXT) and traditional_share(HANS_TEXT) == 0.0
    sample = load_issue(SAMPLE)
    hant = {sid for sid, st in sample.stories.items() if st.language.startswith("zh-Hant")}
    assert hant == {"tainan", "gongcan", "gongche", "zhaopai"}
    for sid, story in sample.stories.items():
        for p in story.paragraphs:
            assert looks_traditional(p.text) == (sid in hant), (sid, p.text[:20])


# ------------------------------------------------------------------ import
@pytest.mark.parametrize("codec, found, lang", [("big5", "big5", "zh-Hant-TW"),
                                                ("big5hkscs", "big5", "zh-Hant-TW"),
                                                ("utf-8", "utf-8", "zh-Hant-TW")])
def test_big5_files_import_as_traditional_stories(codec, found, lang):
    from importer import import_bytes
    data = ("## 臺北捷運新線通車\n\n" + TW_TEXT + "\n").encode(codec)
    res = import_bytes(data, "wire.txt")
    assert res.report.encoding == found
    (story,) = res.stories
    assert story.language == lang
    text = story.paragraphs[0].text
    assert "「這條路線" in text and "了。」" in text and "『轉乘優惠』" in text
    assert "“" not in text and "‘" not in text
    assert any(r.kind == "quotes" and r.applied for r in res.repairs)
    assert any("Traditional" in n and lang in n for n in res.notes)


def test_big5_hkscs_file_is_named_and_hong_kong():
    from importer import import_bytes
    text = "## 深水埗重建\n\n香港特區政府今日公布，深水埗及屯門區重建計劃將於明年展開，滙豐銀行表示支持。\n"
    with pytest.raises(UnicodeEncodeError):
        text.encode("big5")                      # 埗 and 滙 are HKSCS characters
    res = import_bytes(text.encode("big5hkscs"), "hk.txt")
    assert res.report.encoding == "big5-hkscs"
    assert res.stories[0].language == "zh-Hant-HK"


def test_simplified_gb_files_stay_gb18030_and_unmarked():
    from importer import import_bytes
    res = import_bytes(("## 公交票价调整\n\n" + HANS_TEXT + "“好”\n").encode("gb18030"), "gb.txt")
    assert res.report.encoding == "gb18030"
    assert res.stories[0].language == ""
    assert "“好”" in res.stories[0].paragraphs[0].text
    assert not any(r.kind == "quotes" for r in res.repairs)


def test_import_json_reports_encoding_and_language(tmp_path):
    src = tmp_path / "wire.txt"
    src.write_bytes(("## 臺北捷運新線通車\n\n" + TW_TEXT + "\n").encode("big5"))
    proc = subprocess.run([sys.executable, str(MAIN), "import", str(src), "--json"],
                          capture_output=True, text=True, timeout=300, cwd=str(ROOT))
    assert proc.returncode == 0, proc.stderr
    rep = json.loads(proc.stdout)
    assert rep["encoding"] == "big5" and rep["stories"][0]["language"] == "zh-Hant-TW"


# ------------------------------------------------------------------ check
def _check(path: Path) -> list[dict]:
    env = dict(os.environ)
    proc = subprocess.run([sys.executable, str(MAIN), "check", str(path), "--json"],
                          capture_output=True, text=True, timeout=900, cwd=str(ROOT), env=env)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)["diagnostics"]


def test_check_warns_traditional_text_in_sc_fonts(tmp_path):
    if not NOTO_SERIF.exists():
        pytest.skip("fonts-noto-cjk is not installed")
    diags = _check(_issue(tmp_path, TW_TEXT))
    warn = [d for d in diags if d["code"] == "traditional-with-sc-font"]
    assert len(warn) == 1 and warn[0]["level"] == "warning"
    assert "story 's' paragraph 1" in warn[0]["message"] and "Noto Serif CJK SC" in warn[0]["message"]
    assert warn[0]["story"] == "s" and warn[0]["frame"] == "t1"
    # in a TC font, or declared Traditional, there is nothing to warn about
    diags = _check(_issue(tmp_path, TW_TEXT, paper=", language: zh-Hant-TW"))
    assert not [d for d in diags if d["code"] in ("traditional-with-sc-font", "marks-not-centred")]
    diags_sc = _check(_issue(tmp_path, TW_TEXT, story="    language: zh-Hant-TW\n"))
    assert not [d for d in diags_sc if d["code"] in ("traditional-with-sc-font",
                                                     "marks-not-centred")]   # SC + 'locl'
    # ... but its “” quotes are pointed out, with the story
    (q,) = [d for d in diags if d["code"] == "quotes-hant"]
    assert q["story"] == "s" and "「」" in q["message"]
    # Simplified text in SC fonts: no language finding at all
    diags = _check(_issue(tmp_path, HANS_TEXT))
    assert not [d for d in diags if d["code"] in ("traditional-with-sc-font", "marks-not-centred",
                                                  "quotes-hant")]


def test_check_warns_when_centred_marks_are_wanted_but_not_given():
    from layout.compose import compose_issue
    from output.preflight import check_language

    class Info:
        sc = True

    class ScFace(SquareFace):                  # an SC face without 'locl' forms
        info = Info()
        name = "Square SC"

    issue = _tiny("", "centered")
    result = compose_issue(issue, SquareFontSet([ScFace("sq")]))
    found = check_language(issue, result, SquareFontSet([ScFace("sq")]))
    assert [d.code for d in found] == ["marks-not-centred"]
    assert "story 's' paragraph 1" in found[0].message and "centered" in found[0].message
    issue.paper.punctuation = "mainland"
    assert check_language(issue, compose_issue(issue, SquareFontSet([ScFace("sq")])),
                          SquareFontSet([ScFace("sq")])) == []


def test_sample_traditional_story_checks_clean():
    if not NOTO_SERIF.exists():
        pytest.skip("fonts-noto-cjk is not installed")
    sample = load_issue(SAMPLE)
    story = sample.stories["tainan"]
    assert story.language == "zh-Hant-TW"
    text = "".join(p.text for p in story.paragraphs)
    assert "「" in text and "『" in text and "“" not in text
    # one convention a page: every Traditional story is on the 港澳台 page, alone there
    hant = {sid for sid, st in sample.stories.items() if st.language.startswith("zh-Hant")}
    on_page = {p.number: {getattr(f, "story", "") for f in p.frames} - {""}
               for p in sample.pages}
    assert hant and on_page[3] == hant
    assert not any(on_page[n] & hant for n in on_page if n != 3)
    assert {p.number: p.section for p in sample.pages}[3] == "港澳台"
    codes = {d["code"] for d in _check(SAMPLE)}
    assert not codes & {"traditional-with-sc-font", "marks-not-centred", "quotes-hant"}, codes
