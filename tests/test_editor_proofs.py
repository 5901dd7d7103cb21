"""The editor's proofing: 校对 menu, changes since a round on the page, the corrections dock."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")
pymupdf = pytest.importorskip("pymupdf")

from PySide6.QtCore import QSettings  # noqa: E402

import main  # noqa: E402
from layout import edits as E  # noqa: E402
from layout.edits import plain_text  # noqa: E402
from proofs import RoundStore  # noqa: E402
from proofs import layoutview as LV  # noqa: E402

SAMPLE_DIR = Path(main.SAMPLE).parent


@pytest.fixture
def win(tmp_path, qtbot, monkeypatch):
    """The sample issue (a copy) open in an editor window, in Chinese, on the real fonts."""
    monkeypatch.setenv("BANMIAN_CACHE_DIR", str(Path.home() / ".cache" / "banmian"))
    from editor.app import EditorApp
    from editor.i18n import set_language
    from fonts import FontSet, default_library
    set_language("zh")
    lib = default_library()
    d = tmp_path / "issue"
    shutil.copytree(SAMPLE_DIR, d)
    app = EditorApp(lambda issue: FontSet(issue.fonts, lib), ask_recover=lambda *_a: False,
                    ask_save=lambda w: "discard",
                    settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    w = app.open(str(d / "issue.yaml"))
    yield w
    for x in list(app.windows):
        x.close()
    set_language(None)


def record_round(w, out: Path) -> int:
    from output import PdfOptions
    from proofs.export import export_proof_round
    doc = w.doc
    _d, rnd = export_proof_round(doc.issue, doc.result, doc.fontset, str(out), doc.path,
                                 PdfOptions.from_issue(doc.issue, "proof"))
    return rnd.number


def test_proof_menu_and_file_entry_are_chinese(win):
    bar = win.menuBar()
    titles = [a.text() for a in bar.actions()]
    assert "校对(&P)" in titles
    assert titles.index("校对(&P)") < titles.index("窗口(&W)")
    names = [a.text() for a in win.proofing.menu.actions()]
    assert names == ["与校次比较（显示改动）…", "隐藏改动标记", "导入校对意见…", "导出数字报…"]
    file_menu = next(a.menu() for a in bar.actions() if a.text() == "文件(&F)")
    assert "导出数字报…" in [a.text() for a in file_menu.actions()]
    docks = {d.windowTitle() for d in (win.proofing.dock_changes, win.proofing.dock_corrections)}
    assert docks == {"改动", "校对意见"}


def test_changes_since_a_round_are_marked_on_the_page(win, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QInputDialog
    assert record_round(win, tmp_path / "p1.pdf") == 1
    doc = win.doc
    para = doc.issue.stories["yibao"].paragraphs[0].text
    at = para.index("召开")
    assert doc.push(E.InsertText("yibao", (0, at), "隆重"))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("1校", True))
    win.proofing.acts["proof.changes"].trigger()
    p = win.proofing
    assert [c.kind for c in p.changes] == ["text"]
    assert (p.changes[0].inserted, p.changes[0].offset) == ("隆重", at)
    assert p.dock_changes.isVisible() or not win.isVisible()
    assert p.changes_view.count() == 2 and "隆重" in p.changes_view.item(1).text()
    win.show_page(1)
    under = [m for m in p.marks.marks if m.shape == "underline"]
    assert len(under) == 2 and p.marks.isVisible()
    glyph = next(g for g in LV.glyphs(doc.result, 1)
                 if g.story == "yibao" and g.para == 0 and g.offset == at)
    assert under[0].geom[0] == pytest.approx(glyph.box[0])
    win.show_page(2)                                  # nothing changed on page 2
    assert p.marks.marks == []
    doc.undo.undo()                                   # back to the round: no changes
    assert p.changes == [] and p.changes_view.item(0).text() == "没有改动"
    p.acts["proof.hide_changes"].trigger()
    assert not p.marks.isVisible()


def _mark(proof: Path, out: Path, doc) -> None:
    """A strike-out with a replacement and a highlight on page 1 of the proof."""
    para = doc.issue.stories["yibao"].paragraphs[0].text
    glyphs = [g for g in LV.glyphs(doc.result, 1) if g.story == "yibao" and g.para == 0]

    def rect(start, n):
        bs = [g.box for g in glyphs if start <= g.offset < start + n]
        return pymupdf.Rect(min(b[0] for b in bs), min(b[1] for b in bs),
                            max(b[0] + b[2] for b in bs), max(b[1] + b[3] for b in bs))
    with pymupdf.open(proof) as pdf:
        page = pdf[0]
        a = page.add_strikeout_annot(rect(para.index("召开"), 2))
        a.set_info(content="举行", title="李校对")
        a.update()
        a = page.add_highlight_annot(rect(para.index("全省医保"), 4))
        a.set_info(content="核实", title="张编辑")
        a.update()
        pdf.save(out)


def test_corrections_dock_jumps_applies_as_one_undo_and_flags_stale(win, tmp_path,
                                                                     monkeypatch):
    from PySide6.QtWidgets import QFileDialog
    record_round(win, tmp_path / "p1.pdf")
    doc = win.doc
    _mark(tmp_path / "p1.pdf", tmp_path / "marked.pdf", doc)
    win.show_page(2)
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *a, **k: (str(tmp_path / "marked.pdf"), ""))
    win.proofing.acts["proof.annotations"].trigger()
    dock = win.proofing.corrections
    assert dock.tree.topLevelItemCount() == 2
    kinds = [dock.tree.topLevelItem(i).text(2) for i in range(2)]
    assert sorted(kinds) == ["改为", "标注"]
    row = kinds.index("改为")
    dock.tree.setCurrentItem(dock.tree.topLevelItem(row))      # select: jump to page 1
    assert win.scene.page_number == 1 and win.scene.selection == ["t-yibao"]
    assert dock.apply_btn.isEnabled()
    before = doc.undo.count()
    assert dock.apply_current()
    assert "在兰州举行" in plain_text(doc.issue.stories["yibao"])
    assert doc.undo.count() == before + 1                       # one undo step
    assert dock.tree.topLevelItem(row).text(0).startswith("已应用")
    assert not dock.apply_btn.isEnabled()
    doc.undo.undo()
    assert "在兰州召开" in plain_text(doc.issue.stories["yibao"])
    hl = 1 - row
    dock.tree.setCurrentItem(dock.tree.topLevelItem(hl))
    assert not dock.apply_btn.isEnabled() and dock.reject_btn.isEnabled()   # a highlight
    dock.reject_current()
    assert dock.tree.topLevelItem(hl).text(0).startswith("已驳回")
    # the story changes under the marks: reading them again flags the stale one
    para = doc.issue.stories["yibao"].paragraphs[0].text
    i = para.index("全省医保")
    assert doc.push(E.DeleteText("yibao", (0, i), (0, i + 2)))
    assert win.proofing.import_annotations(str(tmp_path / "marked.pdf"))
    status = {dock.tree.topLevelItem(i).text(2): dock.tree.topLevelItem(i).text(0)
              for i in range(2)}
    assert status["标注"] == "原文已改动，请人工核对"
    assert status["改为"].startswith("待处理")


def test_epaper_from_the_file_menu(win, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(site))
    win.proofing.acts["proof.epaper"].trigger()
    assert (site / "index.html").is_file() and (site / "page-02.html").is_file()
    assert RoundStore(win.doc.path).numbers() == []         # the e-paper records no round
