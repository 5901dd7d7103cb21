"""Find and replace across the issue: the search rules, and the dock driven by keys and clicks."""
from __future__ import annotations

import copy

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from editor.findreplace import Options, find, replace_edit  # noqa: E402
from layout import model as m  # noqa: E402
from layout.docfile import save_issue  # noqa: E402
from tests import test_editor as TE  # noqa: E402
from tests.test_editor import make_issue, open_window  # noqa: E402
from tests.test_editor_clipboard import CTRL, keys, show  # noqa: E402

from editor.i18n import set_language  # noqa: E402

env = TE.env                      # the editor fixture of test_editor


class Words:
    """A stand-in word segmenter: boundaries after the words it is given."""

    def __init__(self, *words):
        self.words = words

    def boundaries(self, text):
        out, i = set(), 0
        while i < len(text):
            w = next((w for w in self.words if text.startswith(w, i)), text[i])
            i += len(w)
            out.add(i)
        return sorted(b for b in out if 0 < b < len(text))


def issue():
    iss = make_issue()
    iss.stories["lead"].paragraphs.append(
        m.Paragraph("body", [m.Run("ＡＢＣ公司２０２４年,工会会员ABC123人。abcd")]))
    iss.stories["lead"].paragraphs.append(m.Paragraph("body", [m.Run("全国总工会发文。")]))
    iss.stories["lead"].byline = "本报记者 工会"
    iss.pages[0].frames.append(m.CaptionFrame("cap", col=0, line=40, cols=2, lines=2,
                                              text="工会活动现场"))
    return iss


def test_targets_and_width_folding():
    iss = issue()
    hits = find(iss, "工会", Options())
    kinds = {(h.target.kind, h.target.field) for h in hits}
    assert ("headline", "title") not in kinds
    assert {("para", 0), ("para", 2), ("story", "byline"), ("frame", "text")} <= kinds
    assert any(h.target.kind == "frame" and h.target.owner == "cap" for h in hits)
    # 全角/半角: ＡＢＣ and ２０２４ are found by half-width text, and "," by "，"
    hits = find(iss, "abc2", Options(fold_width=True))
    assert not hits
    hits = find(iss, "ABC", Options(fold_width=True))
    assert [h.found for h in hits] == ["ＡＢＣ", "ABC", "abc"]
    assert [h.found for h in find(iss, "ABC", Options(fold_width=True, case=True))] == \
        ["ＡＢＣ", "ABC"]
    assert [h.found for h in find(iss, "ABC", Options(fold_width=False, case=True))] == ["ABC"]
    assert [h.found for h in find(iss, "2024年，", Options())] == ["２０２４年,"]
    assert find(iss, "2024年，", Options(fold_width=False)) == []


def test_whole_words_and_regular_expressions():
    iss = issue()
    seg = Words("总工会", "工会", "会员", "服务", "职工", "现场", "活动")
    plain = find(iss, "工会", Options(), seg)
    whole = find(iss, "工会", Options(whole_word=True), seg)
    assert [(h.target.field, h.start) for h in plain if h not in whole] == [(3, 3)], \
        "工会 inside 总工会 is not a whole word"
    # "ABC" inside "ABC123" is not a whole word; "ＡＢＣ" before 公司 is
    latin = find(iss, "abc", Options(whole_word=True), seg)
    assert [h.found for h in latin] == ["ＡＢＣ"]
    rx = find(iss, r"(\d+)人", Options(regex=True), seg, replacement=r"\1名")
    assert [(h.found, h.replacement) for h in rx] == [("123人", "123名")]
    with pytest.raises(ValueError, match="正则表达式"):
        set_language("zh")
        find(iss, "(未闭合", Options(regex=True))
    set_language(None)


def test_replace_all_is_one_edit_that_reverts():
    iss = issue()
    before = copy.deepcopy(iss)
    hits = find(iss, "工会", Options())
    edit = replace_edit(iss, hits, "总工会")
    edit.apply(iss)
    assert len(find(iss, "总工会", Options())) == len(hits)
    assert iss.stories["lead"].byline == "本报记者 总工会"
    assert iss.frame("cap")[1].text == "总工会活动现场"
    assert "总工会服务职工" in iss.stories["lead"].paragraphs[0].text
    edit.revert(iss)
    assert iss == before


def test_find_dock_selects_each_hit_and_replaces_in_one_undo_step(env, qtbot):
    app, path, _ = env
    save_issue(issue(), path)
    win = show(open_window(app, path, qtbot), qtbot)
    doc, view = win.doc, win.view
    original = copy.deepcopy(doc.issue)
    keys(view, Qt.Key.Key_F, CTRL)
    panel = win.find_panel
    assert win.dock_find.isVisible() and panel.find_edit.hasFocus()
    QTest.keyClicks(panel.find_edit, "ABC")
    QTest.keyClick(panel.find_edit, Qt.Key.Key_Return)
    assert panel.results.topLevelItemCount() == 3
    # the first hit is selected in its story, on its page
    assert win.text.story == "lead"
    assert win.text.selection() == ((2, 0), (2, 3))
    assert win.scene.page_number == doc.page_of_frame("t1")
    assert "3" in panel.status.text()
    # click the second result
    item = panel.results.topLevelItem(1)
    rect = panel.results.visualItemRect(item)
    QTest.mouseClick(panel.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert win.text.selection() == ((2, 15), (2, 18))
    # a hit whose text changed since the search: searched again, nothing wrong selected
    doc.issue.stories["lead"].paragraphs[2].runs[0].text = "改" + \
        doc.issue.stories["lead"].paragraphs[2].runs[0].text
    panel.results.setCurrentItem(panel.results.topLevelItem(2))
    assert win.text.selection() == ((2, 1), (2, 4)), "searched again: the first hit, moved"
    doc.issue.stories["lead"].paragraphs[2].runs[0].text = \
        doc.issue.stories["lead"].paragraphs[2].runs[0].text[1:]
    # a caption hit selects its frame
    panel.find_edit.setText("活动现场")
    panel.find_all()
    assert win.scene.selection == ["cap"] and not win.text.active
    # Ctrl+H: replace all, one undo step
    keys(view, Qt.Key.Key_H, CTRL)
    assert win.dock_find.isVisible()
    panel.find_edit.setText("工会")
    panel.replace_edit.setText("工联")
    steps = doc.undo.index()
    QTest.mouseClick(panel.replace_all_btn, Qt.MouseButton.LeftButton)
    assert doc.undo.index() == steps + 1
    assert not find(doc.issue, "工会", Options())
    assert doc.issue.stories["lead"].byline == "本报记者 工联"
    assert doc.undo.undoText() and not doc.undo.undoText().isascii()
    doc.undo.undo()
    assert doc.issue == original
    # replace one: only the current hit
    panel.find_edit.setText("工会")
    panel.find_all()
    n = panel.results.topLevelItemCount()
    QTest.mouseClick(panel.replace_btn, Qt.MouseButton.LeftButton)
    assert panel.results.topLevelItemCount() == n - 1
    # a bad expression says so and changes nothing
    panel.regex.setChecked(True)
    panel.find_edit.setText("([")
    assert panel.replace_all() == 0 and "正则" in panel.status.text()
