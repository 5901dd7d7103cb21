"""File → Import in the editor: the repair report reads in the UI language.

The importer writes its evidence (and the labels of its structure repairs) in
English; under a Chinese UI the report shows every phrase in Chinese — the seed
front page and constructed texts cover every kind of repair the importer makes.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QFileDialog  # noqa: E402

from tests import test_editor as TE  # noqa: E402
from tests.test_editor import open_window  # noqa: E402
from tests.test_import_structure import ARTICLE, WIRE  # noqa: E402

env = TE.env

SEED = Path(__file__).resolve().parent / "data" / "front-page.txt"
#: spaces, half-width punctuation, full-width letters, a jump line, a stack on one line
MESSY = ("## 省总工会强调 精准帮扶 确保脱贫\n\n本报长沙3月1日电 (记者 张三)  总工会 召开 会议,讨论 "
         "\"数字 经济\"(草案). 全文ＡＢＣ１２３共计 12 人。湖南 长沙  湘潭大学\n\n他说:好吗?\n\n"
         "（下转二版）\n")


def english(text: str) -> list[str]:
    """Latin words outside quoted source text (“…”)."""
    return re.findall(r"[A-Za-z]{2,}", re.sub(r"“[^”]*”", "", text))


def import_through_the_menu(win, src: Path, qtbot, monkeypatch, check) -> bool:
    """File → Import: the file chosen, the report shown, ``check`` run on it, OK pressed."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(src), ""))
    seen = {}

    def answer():
        dlg = QApplication.activeModalWidget()
        seen["ok"] = check(dlg)
        dlg.accept()
    QTimer.singleShot(200, answer)
    win.acts["import"].trigger()
    return seen.get("ok", False)


def rows(dlg):
    tree = dlg.tree
    return [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]


def test_the_import_report_is_chinese_in_the_chinese_ui(env, qtbot, tmp_path, monkeypatch):
    from importer import KINDS, import_file
    from editor.importing import DESCRIBED, ImportDialog
    app, path, _ = env
    win = open_window(app, path, qtbot)
    kinds, bad = set(), []
    texts = {"seed.txt": SEED.read_text("utf-8"), "article.txt": ARTICLE, "wire.txt": WIRE,
             "messy.txt": MESSY}
    for name, text in texts.items():
        src = tmp_path / name
        src.write_text(text, "utf-8")
        dlg = ImportDialog(import_file(str(src)), win)
        dlg.show()
        # the evidence column is in view beside the excerpts, not scrolled off to the right
        assert dlg.tree.columnViewportPosition(4) + 200 <= dlg.tree.viewport().width()
        for it, r in zip(rows(dlg), dlg.result.report.repairs):
            kinds.add(r.kind)
            assert it.text(0) == KINDS[r.kind]
            why = it.text(4)
            assert why and not english(why), (r.kind, r.evidence, why)
            # the table knows the phrase: no row falls back to "kind (confidence)"
            assert "把握" not in why, (r.kind, r.evidence)
            if r.kind in DESCRIBED:
                assert not english(it.text(3)), (r.kind, r.after, it.text(3))
            bad += english(dlg.tree.headerItem().text(4))
        dlg.reject()
    assert not bad
    # the texts cover the repairs a desk meets: structure, splits, characters, headlines
    assert {"split", "misplaced_fragment", "duplicate", "space", "punctuation", "fullwidth",
            "jump_marker", "dateline", "section_head", "author", "affiliation", "desk_editor",
            "editor_note", "sidebar", "photo_credit", "headline_split",
            "misplaced_headline"} <= kinds

    # and as a user meets it: File → Import, a repair unticked, OK; one undo step
    before = set(win.doc.issue.stories)
    src = tmp_path / "messy.txt"

    def check(dlg):
        texts = [it.text(4) for it in rows(dlg)]
        assert any("电头" in t for t in texts)
        space = next(it for it in rows(dlg) if it.text(0) == KINDS["space"] and
                     "召开" in it.text(4))
        space.setCheckState(0, Qt.CheckState.Unchecked)       # keep "总工会 召开" as sent
        return all(not english(t) for t in texts)
    assert import_through_the_menu(win, src, qtbot, monkeypatch, check)
    added = set(win.doc.issue.stories) - before
    assert len(added) == 1
    st = win.doc.issue.stories[added.pop()]
    from layout.edits import plain_text
    body = plain_text(st)
    assert "召开 会议" in body or "召开会议" in body
    assert win.doc.undo.undoText() == "导入稿件"
    win.doc.undo.undo()
    assert set(win.doc.issue.stories) == before


def test_the_import_report_keeps_the_importers_words_in_english(env, qtbot, tmp_path):
    from editor.i18n import set_language
    from editor.importing import ImportDialog
    from importer import import_file
    app, path, _ = env
    set_language("en")
    win = open_window(app, path, qtbot)
    src = tmp_path / "messy.txt"
    src.write_text(MESSY, "utf-8")
    dlg = ImportDialog(import_file(str(src)), win)
    for it, r in zip(rows(dlg), dlg.result.report.repairs):
        assert it.text(4) == r.evidence and it.text(3) == r.after[:60]
    dlg.reject()
