"""Master pages (版式): the file format, composition with fields, overrides, the dock.

Composition is checked on the square test font (exact metrics, no files); the
editor is driven offscreen like a layout editor would: make a master from the
frames on a page, apply it to another page, edit it and see both pages follow.
"""
from __future__ import annotations

import copy
import dataclasses

import pytest

from support.fakefont import SquareFontSet
from support.paths import SAMPLE
from layout import edits as E
from layout import model as m
from layout import pagedesign as D
from layout.compose import Composer
from layout.docfile import DocumentError, dump_issue, load_issue, parse_issue, save_issue
from layout.trace import trace

DOC = """banmian: 1
info: {paper_name: 陇原职工报, date: 2019年3月20日, number: 第8号}
masters:
  内页:
    frames:
    - {type: caption, id: folio, cols: 3, lines: 2, text: '第{page_cn}版　{section}'}
    - {type: caption, id: when, col: 5, cols: 3, lines: 2, text: '{paper}　{date}　{number}'}
    - {type: rule, id: head-rule, line: 2, cols: 8, weight: 1pt, pattern: thick-thin}
pages:
- number: 2
  section: 要闻
  master: 内页
  frames:
  - {type: caption, id: body, line: 10, cols: 8, lines: 2, text: 正文}
- number: 12
  section: 经济
  master: 内页
  hide_master: [when]
  frames:
  - {type: caption, id: my-folio, cols: 3, lines: 2, text: '本版特刊 {page}', replaces: folio}
"""


def texts(result, number: int) -> dict[str, str]:
    """frame id → the text it shows, on one page."""
    page = result.page(number)
    return {fr.frame_id: "".join(r.text for r in fr.runs) for fr in page.frames}


def compose(issue):
    return Composer(issue, SquareFontSet()).compose()


def test_chinese_numerals_for_the_page_number():
    assert [m.chinese_number(n) for n in (1, 2, 10, 11, 12, 20, 21, 99, 100, 105, 110, 120)] == \
        ["一", "二", "十", "十一", "十二", "二十", "二十一", "九十九", "一百", "一百零五",
         "一百一十", "一百二十"]


def test_fields_fill_per_page_and_a_page_hides_or_replaces_master_frames():
    issue = parse_issue(DOC)
    res = compose(issue)
    p2, p12 = texts(res, 2), texts(res, 12)
    assert p2["folio"] == "第二版　要闻"
    assert p2["when"] == "陇原职工报　2019年3月20日　第8号"
    assert p2["body"] == "正文"
    # page 12 hides 'when' and shows its own folio in place of the master's
    assert "when" not in p12 and "folio" not in p12
    assert p12["my-folio"] == "本版特刊 12"
    # master frames come first (under the page's own), and say which master they are from
    page2 = res.page(2)
    assert [f.frame_id for f in page2.frames] == ["folio", "when", "head-rule", "body"]
    assert [f.master for f in page2.frames] == ["内页", "内页", "内页", ""]
    # the 文武线 rule: a thick line over a thin one
    rule = page2.frames[2].graphics
    assert [round(r.weight, 2) for r in rule] == [3.0, 1.0]
    assert rule[0].y0 < rule[1].y0


def test_editing_the_master_updates_every_page_and_undo_restores():
    issue = parse_issue(DOC)
    before = copy.deepcopy(issue)
    comp = Composer(issue, SquareFontSet())
    first = comp.compose()
    # composed once per page and kept: nothing changed, the same frame results come back
    again = comp.compose()
    assert all(a is b for a, b in zip(first.page(2).frames, again.page(2).frames))
    edit = D.SetMasterFrame("folio", text="{section}·第{page}版")
    touched = edit.apply(issue)
    assert touched.pages == {2, 12}
    res = comp.compose()
    assert texts(res, 2)["folio"] == "要闻·第2版"
    edit.revert(issue)
    assert issue == before
    assert texts(comp.compose(), 2)["folio"] == "第二版　要闻"


def test_round_trip_and_equal_model():
    issue = parse_issue(DOC)
    text = dump_issue(issue)
    assert "masters:" in text and "master: 内页" in text and "replaces: folio" in text
    assert parse_issue(text) == issue


@pytest.mark.parametrize("change, message", [
    (("master: 内页", "master: 外页"), "no master '外页' (masters: 内页)"),
    (("hide_master: [when]", "hide_master: [nothing]"), "hide_master names 'nothing'"),
    (("replaces: folio", "replaces: nothing"), "replaces 'nothing', which is not a frame"),
    (("text: '第{page_cn}版　{section}'", "text: '第{pages}版'"), "unknown field {pages}"),
    (("- {type: rule, id: head-rule", "- {type: text, id: t9, cols: 2}\n    - {type: rule, id: head-rule"),
     "is a text frame"),
    (("id: body", "id: folio"), "frame id 'folio' is used twice"),
])
def test_mistakes_name_the_line(change, message, tmp_path):
    bad = DOC.replace(*change)
    assert bad != DOC
    path = tmp_path / "bad.yaml"
    path.write_text(bad, "utf-8")
    with pytest.raises(DocumentError) as exc:
        load_issue(path)
    assert message in str(exc.value)
    assert exc.value.line is not None and exc.value.line > 1


def test_master_frame_ids_stay_unique_for_new_frames():
    issue = parse_issue(DOC)
    fid = E.new_frame_id(issue, 2, "caption")
    assert fid not in {"folio", "when", "head-rule", "body", "my-folio"}
    with pytest.raises(E.EditError):
        E.AddFrame(2, m.CaptionFrame("folio")).apply(issue)


def _inline_masters(issue: m.Issue) -> m.Issue:
    """The same issue without masters: each page holds copies of its master's frames,
    their fields filled in (what the sample held before masters existed)."""
    out = copy.deepcopy(issue)
    for page in out.pages:
        master = out.masters.get(page.master)
        if master is None:
            continue
        values = m.master_fields(out, page)
        copies = [dataclasses.replace(fr, text=m.fill_fields(fr.text, values))
                  if hasattr(fr, "text") else copy.deepcopy(fr) for fr in master.frames]
        page.frames[:0] = copies
        page.master = ""
    out.masters = {}
    return out


def test_the_sample_uses_masters_and_composes_as_without_them():
    issue = load_issue(SAMPLE)
    assert [p.master for p in issue.pages] == ["头版", "内页", "内页"]
    assert all(not any(isinstance(f, m.CaptionFrame) and f.id in ("masthead", "p2-head")
                       for f in p.frames) for p in issue.pages)
    with_masters = trace(compose(issue))
    without = trace(compose(_inline_masters(issue)))
    assert with_masters == without
    res = compose(issue)
    assert texts(res, 1)["masthead"] == "陇原职工报"
    assert texts(res, 2)["p2-date"] == "2019年3月20日　星期三　第2版"


# ---------------------------------------------------------------------------- the dock
pytest.importorskip("pytestqt")


def design_issue() -> m.Issue:
    """对开 template with two pages: a head caption and a rule on page 1, a box on page 2."""
    from editor.app import TEMPLATES
    iss = load_issue(TEMPLATES / "duikai.yaml")
    iss.stories["lead"] = m.Story("lead", name="lead", paragraphs=[
        m.Paragraph("body", [m.Run("本报讯 " + "工会服务职工" * 8)])], thread=["t1"])
    iss.pages[0].frames += [
        m.CaptionFrame("head", cols=3, lines=2, text="{section}　第{page}版"),
        m.RuleFrame("head-rule", line=2, cols=8, weight="1pt"),
        m.TextFrame("t1", col=0, line=10, cols=2, lines=10),
        m.BoxFrame("bx", col=4, line=30, cols=3, lines=20, fill="red", stroke="0.5pt"),
        m.CaptionFrame("in-box", col=4, line=32, cols=3, lines=2, text="反白标题"),
    ]
    iss.pages.append(m.Page(2, section="经济", frames=[
        m.CaptionFrame("p2-note", col=0, line=20, cols=4, lines=2, text="二版正文")]))
    return iss


@pytest.fixture
def design(tmp_path, qtbot, monkeypatch):
    """An editor window on ``design_issue`` (square fonts, Chinese UI)."""
    monkeypatch.setenv("BANMIAN_CACHE_DIR", str(tmp_path / "cache"))
    from PySide6.QtCore import QSettings
    from editor.app import EditorApp
    from editor.i18n import set_language
    set_language("zh")
    app = EditorApp(lambda issue: SquareFontSet(), ask_recover=lambda *_a: False,
                    ask_save=lambda w: "discard",
                    settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    path = tmp_path / "issue.yaml"
    save_issue(design_issue(), path)
    win = app.open(str(path))
    win.view.resize(1000, 800)
    win.view.actual_size()
    yield win
    for w in list(app.windows):
        w.close()
    set_language(None)


def undo_all(doc):
    while doc.undo.canUndo():
        doc.undo.undo()


def test_make_a_master_from_the_page_apply_it_and_edit_it(design, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    win = design
    doc, dock = win.doc, win.masters
    original = copy.deepcopy(doc.issue)
    # a new master, and the running head moved onto it from page 1
    dock.buttons["master.new"].click()
    name = dock.current()
    assert name in doc.issue.masters
    win.scene.set_selection(["head", "head-rule"])
    dock.buttons["master.to_master"].click()
    assert [f.id for f in doc.issue.masters[name].frames] == ["head", "head-rule"]
    assert all(f.id not in ("head", "head-rule") for f in doc.page(1).frames)
    # page 1 had no master: it takes this one, so the running head stays in view
    assert doc.page(1).master == name and texts(doc.result, 1)["head"] == "要闻　第1版"
    # apply it to page 2 too: both show the running head with their own fields
    win.show_page(2)
    dock.select(name)
    dock.buttons["master.apply"].click()
    assert [p.master for p in doc.issue.pages] == [name, name]
    assert texts(doc.result, 1)["head"] == "要闻　第1版"
    assert texts(doc.result, 2)["head"] == "经济　第2版"
    # edit the master frame's text in the dock: every page follows
    dock.select_frame("head")
    dock.text.setFocus()
    dock.text.selectAll()
    QTest.keyClicks(dock.text, "{section} {page_cn}")
    QTest.keyClick(dock.text, Qt.Key.Key_Return)
    assert texts(doc.result, 1)["head"] == "要闻 一"
    assert texts(doc.result, 2)["head"] == "经济 二"
    # master frames are not picked on the page: a click there selects nothing
    item = win.scene.frames["head"]
    assert not item.pickable
    assert win.scene.frame_at(item.rect.center()) is None
    # hide it on page 2 alone, then override it there with a local copy
    assert dock.current_frame() == "head" and dock.buttons["master.hide"].isEnabled()
    dock.buttons["master.hide"].click()
    assert "head" not in texts(doc.result, 2) and "head" in texts(doc.result, 1)
    dock.buttons["master.hide"].click()
    dock.buttons["master.override"].click()
    local = next(f for f in doc.page(2).frames if f.replaces == "head")
    assert texts(doc.result, 2)[local.id] == "经济 二" and "head" not in texts(doc.result, 2)
    # saved and read back: equal
    again = parse_issue(dump_issue(doc.issue))
    assert again == doc.issue
    undo_all(doc)
    assert doc.issue == original


def test_removing_or_switching_a_master_keeps_the_file_valid():
    issue = parse_issue(DOC)
    before = copy.deepcopy(issue)
    for edit in (D.SetMasterDef("内页", None), D.RemoveMasterFrame("folio"),
                 D.SetPage(12, master=""),
                 D.SetMasterDef("内页", m.Master([m.RuleFrame("only-rule", cols=8)]))):
        edit.apply(issue)
        # page 12's hide_master and its frame replacing 'folio' no longer point nowhere
        assert parse_issue(dump_issue(issue)) == issue
        edit.revert(issue)
        assert issue == before
