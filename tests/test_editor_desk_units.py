"""Which units of work an edit changes (``layout.edits.Edit.units``), checked against what
really changed: the issue split into units before and after the edit (``store.units``).
And edits that do not say (``None``) are checked out after the fact by the desk."""
from __future__ import annotations

import copy
import os
import uuid

import pytest

from layout import edits as E
from layout import model as m
from layout.position import StoryPos
from store.units import diff, name_pages, split
from tests.test_editor import make_issue

pytest.importorskip("pytestqt")


def two_pages() -> m.Issue:
    iss = make_issue()
    iss.pages.append(m.Page(2, frames=[m.TextFrame("t3", col=0, line=0, cols=2, lines=30),
                                       m.BoxFrame("bx", col=3, line=0, cols=2, lines=5,
                                                  fill="red")]))
    iss.stories["lead"].thread = ["t1", "t3"]
    iss.stories["brief"] = m.Story("brief", paragraphs=[m.Paragraph("subhead", [
        m.Run("简讯", "bold")])], thread=["t2"])
    name_pages(iss)
    return iss


EDITS = [
    ("insert", lambda i: E.InsertText("lead", StoryPos(0, 2), "新")),
    ("delete", lambda i: E.DeleteText("lead", StoryPos(0, 0), StoryPos(0, 3))),
    ("split", lambda i: E.SplitParagraph("lead", StoryPos(0, 4))),
    ("para style", lambda i: E.SetParagraphStyle("lead", 0, 1, "subhead")),
    ("char style", lambda i: E.SetCharStyle("lead", StoryPos(0, 0), StoryPos(0, 2), "bold")),
    ("frame", lambda i: E.SetFrame("t3", col=4)),
    ("headline", lambda i: E.SetHeadline("lead", title="新主题")),
    ("story", lambda i: E.SetStory("brief", byline="记者 甲")),
    ("thread", lambda i: E.SetThread("lead", ["t1"])),
    ("style def", lambda i: E.SetParagraphStyleDef("body", m.ParagraphStyle(size="五号"))),
    ("colour", lambda i: E.SetColor("spot", [0.1, 0.2, 0.3, 0.0])),
    ("paper", lambda i: E.SetPaper(latin_spacing="none")),
    ("add frame", lambda i: E.AddFrame(2, m.RuleFrame("r9", col=0, line=40, cols=2))),
    ("remove frame", lambda i: E.RemoveFrame("t3")),
    ("add story", lambda i: E.AddStory(E.empty_story("s9"))),
    ("remove story", lambda i: E.RemoveStory("lead")),
    ("remove page", lambda i: E.RemovePage(2)),
    ("reorder pages", lambda i: E.ReorderPages([2, 1])),
    ("retarget", lambda i: E.RetargetStyle("subhead", "body")),
    ("retarget char", lambda i: E.RetargetStyle("bold", "", "char_styles")),
    ("page", lambda i: E.SetPage(2, section="要闻")),
    ("restack", lambda i: E.RestackFrame("t1", 1)),
    ("batch", lambda i: E.Batch([E.SetFrame("t1", col=1), E.InsertText("brief", StoryPos(0, 0),
                                                                       "甲")])),
    ("link", lambda i: E.link(i, "t1", "t2")),
    ("place", lambda i: E.place(i, "brief", "t3")),
]


@pytest.mark.parametrize("name,make", EDITS, ids=[n for n, _ in EDITS])
def test_units_are_what_changes(name, make):
    issue = two_pages()
    before = split(issue)
    edit = make(issue)
    said = edit.units(issue)
    edit.apply(issue)
    changed, removed = diff(before, split(issue))
    real = {(k.kind, k.name) for k in changed | removed}
    assert said == real, name
    # and undo gives the units back as they were
    edit.revert(issue)
    assert split(issue) == before


def test_a_new_page_is_named_by_nobody():
    issue = two_pages()
    page = m.Page(3, frames=[m.TextFrame("t9", col=0, line=0, cols=1, lines=5)])
    assert E.AddPage(page).units(issue) == set()         # no id yet: new, nobody holds it
    page.id = "extra"
    assert E.AddPage(page).units(issue) == {("page", "extra")}
    dup = E.duplicate_page(issue, 1)
    assert dup.units(issue) is not None


def test_edits_that_do_not_say_are_checked_out_after_the_fact(tmp_path, qtbot, monkeypatch):
    """A page-design edit (no ``units``) on a desk document: the desk compares the units
    and checks out what changed; held elsewhere, the edit is taken back."""
    monkeypatch.setenv("BANMIAN_CACHE_DIR", str(tmp_path / "cache"))
    from PySide6.QtCore import QSettings

    from editor.app import EditorApp
    from layout import pagedesign as P
    from store.base import Change, Desk, UnitKey
    from store.memory import MemoryIssue, MemoryStore
    from support.fakefont import SquareFontSet
    shared = MemoryIssue("p")
    seed = MemoryStore(shared, Desk("seed", "h", 1, "seed"))
    seed.commit([Change(k, t, 0) for k, t in split(two_pages()).items()])
    app = EditorApp(lambda issue: SquareFontSet(), ask_save=lambda w: "discard",
                    settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    try:
        def d(u):
            return MemoryStore(shared, Desk(u, "h-" + u, os.getpid(), uuid.uuid4().hex))
        a = app.open_store(None, store=d("alice"), watch=False)
        b = app.open_store(None, store=d("bob"), watch=False)
        edit = P.RenameColor("red", "朱红")
        assert edit.units(a.doc.issue) is None
        before = copy.deepcopy(a.doc.issue)
        assert a.doc.push(edit, "rename swatch")
        assert a.doc.desk.mine == {UnitKey("issue"), UnitKey("page", "p2")}
        assert a.doc.undo.command(0).units == a.doc.desk.mine
        # bob's rename of the same swatch touches units alice holds: refused, taken back
        b_before = copy.deepcopy(b.doc.issue)
        assert not b.doc.push(P.RenameColor("red", "大红"), "rename swatch")
        assert b.doc.issue == b_before and b.doc.undo.count() == 0
        assert "alice" in b.statusBar().currentMessage()
        a.doc.undo.undo()
        assert a.doc.issue == before
    finally:
        for w in list(app.windows):
            w.close()
