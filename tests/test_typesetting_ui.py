"""Editor controls for the typesetting settings (issue 12): a style's 长/扁 shape, a story's
language, the paper's punctuation and Han–Latin spacing — each one undo step, set again
on the page, saved; their names in Chinese and in English; the typesetting diagnostics
in Chinese."""
from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtWidgets import QComboBox  # noqa: E402

from layout import model as m  # noqa: E402
from layout.docfile import load_issue  # noqa: E402
from layout.model import shape_scale  # noqa: E402
from tests.test_editor import open_window  # noqa: E402
from tests.test_styles_panel import fill  # noqa: E402

pytest_plugins = ["tests.editorenv"]          # the editor fixture `env`


def _runs(win, story):
    return [r for p in win.doc.result.pages for f in p.frames for r in f.runs
            if r.source.story == story and r.source.part == "body"]


def _choose(combo: QComboBox, value) -> None:
    """What a user's pick does: the item, then the activated signal."""
    i = combo.findData(value)
    assert i >= 0, value
    combo.setCurrentIndex(i)
    combo.activated.emit(i)


def test_shape_of_a_paragraph_style_through_the_dialog_and_undo(env, qtbot):
    app, path, _ = env
    win = open_window(app, path, qtbot)
    panel, doc = win.styles_panel, win.doc
    assert {r.hscale for r in _runs(win, "lead")} == {1.0}
    panel.run_dialog = fill(shape="长2")
    assert panel.edit_style("paragraph_styles", "body")
    assert doc.issue.paragraph_styles["body"].shape == "长2"
    assert {r.hscale for r in _runs(win, "lead")} == {0.8}     # drawn 80 % wide
    doc.undo.undo()
    assert doc.issue.paragraph_styles["body"].shape == ""
    assert {r.hscale for r in _runs(win, "lead")} == {1.0}
    doc.undo.redo()
    doc.save()
    assert load_issue(path).paragraph_styles["body"].shape == "长2"


def test_shape_of_a_character_style_offers_the_paragraphs_own(env, qtbot):
    from editor.styles import CHAR, StyleDialog
    app, path, _ = env
    win = open_window(app, path, qtbot)
    issue = win.doc.issue
    issue.char_styles.setdefault("bold", m.CharStyle(font="headline"))
    dlg = StyleDialog(issue, CHAR, "bold", issue.char_styles["bold"])
    assert dlg.shape.currentData() == "" and dlg.shape.currentText() == "（随段落）"
    assert dlg.shape.count() == 9
    dlg.shape.setCurrentIndex(dlg.shape.findData("扁1"))
    assert dlg.style().shape == "扁1" and shape_scale(dlg.style().shape) == (1.0, 0.9)


def test_a_shape_written_with_a_chinese_numeral_is_kept(env, qtbot):
    from editor.styles import PARA, StyleDialog
    app, path, _ = env
    win = open_window(app, path, qtbot)
    st = m.ParagraphStyle(size="初号", shape="长二")
    dlg = StyleDialog(win.doc.issue, PARA, "x", st)
    assert dlg.shape.currentData() == "长2" and dlg.shape.currentText() == "长二（字宽 80%）"
    assert dlg.style().shape == "长二"                # unchanged: written as it was


def test_story_language_in_the_properties_dock(env, qtbot):
    app, path, _ = env
    win = open_window(app, path, qtbot)
    doc, props = win.doc, win.props
    win.scene.set_selection(["t1"])
    assert props.language.isVisibleTo(props) and props.language.currentData() == ""
    fonts_before = {r.font for r in _runs(win, "lead")}
    _choose(props.language, "zh-Hant-TW")
    assert doc.issue.stories["lead"].language == "zh-Hant-TW"
    assert props.language.currentData() == "zh-Hant-TW"
    doc.undo.undo()
    assert doc.issue.stories["lead"].language == ""
    assert {r.font for r in _runs(win, "lead")} == fonts_before
    doc.undo.redo()
    doc.save()
    assert load_issue(path).stories["lead"].language == "zh-Hant-TW"


def test_paper_settings_with_nothing_selected(env, qtbot):
    from layout.docfile import save_issue
    app, path, _ = env
    iss = load_issue(path)
    iss.stories["lead"].paragraphs[0] = m.Paragraph("body", [m.Run("工会，服务、职工。" * 4)])
    save_issue(iss, path)
    win = open_window(app, path, qtbot)
    doc, props = win.doc, win.props
    win.scene.set_selection([])
    assert props.paper_box.isVisibleTo(props)
    fields = props.paper_fields
    assert fields["punctuation_width"].currentData() == doc.issue.paper.punctuation_width
    width = lambda: sum(a for r in _runs(win, "lead") for a in r.advances)  # noqa: E731
    before = width()
    _choose(fields["punctuation_width"], "半身")
    assert doc.issue.paper.punctuation_width == "半身"
    assert width() < before - 1.0             # the page is set again: marks half width
    _choose(fields["latin_spacing"], "none")
    assert doc.issue.paper.latin_spacing == "none"
    assert doc.undo.count() >= 2 and doc.undo.undoText() == "报纸设置"
    doc.undo.undo()
    assert doc.issue.paper.latin_spacing == "quarter"
    doc.undo.undo()
    assert doc.issue.paper.punctuation_width == "全身"
    assert abs(width() - before) < 0.01
    assert fields["punctuation_width"].currentData() == "全身"     # the dock follows undo
    doc.undo.redo()
    doc.save()
    assert load_issue(path).paper.punctuation_width == "半身"
    # a frame selected: its own fields, not the paper's
    win.scene.set_selection(["t1"])
    assert not props.paper_box.isVisibleTo(props)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_new_controls_speak_the_ui_language(env, qtbot, lang):
    import re
    from editor.i18n import set_language
    from editor.styles import SHAPES, shape_label
    app, path, _ = env
    set_language(lang)
    try:
        win = open_window(app, path, qtbot)
        props = win.props
        texts = [shape_label(s) for s in SHAPES]
        for combo in [props.language, *props.paper_fields.values()]:
            texts += [combo.itemText(i) for i in range(combo.count())]
        for t in texts:
            if lang == "zh":
                assert not re.search(r"[A-Za-z]{3,}", t.replace("Noto CJK", "")), t
            else:
                assert not re.search(r"[\u3400-\u9fff]", t), t
    finally:
        set_language("zh")


def test_typesetting_diagnostics_are_chinese_in_the_chinese_ui():
    from editor.i18n import diag_text, set_language
    from layout.result import Diagnostic
    found = [
        Diagnostic("warning", "uneven-feet", "frame 't-a' (story 'a'): columns end unevenly "
                   "(5, 4, 4 lines deep, 缺 1 行): no re-break within the spacing limits "
                   "evens them", page=1, frame="t-a", story="a"),
        Diagnostic("warning", "traditional-with-sc-font", "story 'tn' paragraph 1: Traditional "
                   "characters (臺、灣 …) set in the Simplified font 'Noto Serif CJK SC' "
                   "(mainland forms, marks low left); set the story's language to zh-Hant-TW "
                   "or zh-Hant-HK, or use a TC font", 2, "t-tn", "tn"),
        Diagnostic("warning", "marks-not-centred", "story 'tn' paragraph 1: '，' is set low "
                   "left by 'Noto Serif SC', which has no centred form, though its language "
                   "is zh-Hant-TW; use Noto Serif/Sans CJK TC or HK for this text", 2),
        Diagnostic("info", "quotes-hant", "story 'tn' paragraph 2: “” in zh-Hant-TW text; "
                   "Taiwan and Hong Kong quote with 「」 and 『』", 2),
        Diagnostic("error", "text-hidden", "page 1: text of text frame 't1' is hidden under "
                   "photo frame 'ph' (it does not wrap text)", 1, "t1"),
        Diagnostic("warning", "frame-overlap", "page 1: text frames 't1' and 't2' overlap",
                   1, "t2"),
        Diagnostic("warning", "table-fit", "table frame 'tb' needs 7 lines, it has 5", 1),
        Diagnostic("warning", "dictionary", "words.txt: cannot read the paper's dictionary: "
                   "No such file or directory"),
        Diagnostic("info", "headline-fit", "headline of story 's01' does not fit at 42 pt; "
                   "set 长一 (90% width)", 1, "h1", "s01"),
        Diagnostic("warning", "headline-fit", "headline of story 's01' does not fit at 42 pt; "
                   "set at 36 pt (suggested size)", 1, "h1", "s01"),
    ]
    set_language("zh")
    got = {d.code: diag_text(d) for d in found}
    fits = [diag_text(d) for d in found if d.code == "headline-fit"]
    assert fits == ["稿件“s01”的标题在 42 pt 放不下，改排长一",
                    "稿件“s01”的标题在 42 pt 放不下，改排 36 pt（建议字号）"]
    assert "“t-a”" in got["uneven-feet"] and "“a”" in got["uneven-feet"]
    assert "简体字体“Noto Serif CJK SC”" in got["traditional-with-sc-font"]
    assert "“，”" in got["marks-not-centred"] and "“Noto Serif SC”" in got["marks-not-centred"]
    assert "「」" in got["quotes-hant"] and "『』" in got["quotes-hant"]
    assert "“t1”" in got["text-hidden"] and "“ph”" in got["text-hidden"]
    assert got["frame-overlap"] == "文字块“t1”和“t2”重叠"
    assert not any(t.startswith("发现问题") for t in got.values())
    for code, text in got.items():
        rest = text
        for word in ("Noto Serif CJK SC", "Noto Serif SC", "Noto CJK", "words.txt"):
            rest = rest.replace(word, "")
        assert not any(w for w in __import__("re").findall(r"[A-Za-z]{3,}", rest)), (code, text)
    set_language("en")
    try:
        assert diag_text(found[0]) == found[0].message
    finally:
        set_language("zh")
