"""Which units of work an edit changes (``layout.edits.Edit.units``, every edit of
``layout.edits`` and ``layout.pagedesign``), checked against what really changed: the issue
split into units before and after the edit (``store.units``).  A desk checks them out
before the edit."""
from __future__ import annotations

import copy
import os
import uuid

import pytest

from layout import edits as E
from layout import model as m
from layout import pagedesign as P
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


def designed() -> m.Issue:
    """``two_pages`` with layers, two master pages, a hidden and a replaced master frame."""
    iss = two_pages()
    iss.layers = [m.Layer("正文"), m.Layer("广告"), m.Layer("注释", printable=False)]
    iss.masters["A"] = m.Master(frames=[
        m.RuleFrame("mr", col=0, line=0, cols=8, color="red"),
        m.BoxFrame("mb", col=0, line=60, cols=8, lines=3, layer="广告")])
    iss.masters["B"] = m.Master(frames=[m.RuleFrame("mr2", col=0, line=1, cols=8)])
    p1, p2 = iss.pages
    p1.master, p1.hide_master = "A", ["mr"]
    p2.master = "A"
    p2.frames.append(m.BoxFrame("ov", col=0, line=60, cols=8, lines=3, replaces="mb"))
    p2.frames[1].layer = "广告"          # bx, filled red
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
    ("paste", lambda i: E.InsertRuns("lead", StoryPos(0, 1), [[m.Run("甲")], [m.Run("乙")]])),
    ("char style def", lambda i: E.SetStyleDef("em", m.CharStyle(), "char_styles")),
    ("add page", lambda i: E.AddPage(m.Page(3, id="p9"))),
    ("add new page", lambda i: E.AddPage(m.Page(3))),
    ("duplicate page", lambda i: E.duplicate_page(i, 1)),
    # page design (layout.pagedesign)
    ("master def", lambda i: P.SetMasterDef("C", m.Master(frames=[
        m.RuleFrame("mc", col=0, line=2, cols=8)]))),
    ("master redefined", lambda i: P.SetMasterDef("A", m.Master(frames=[
        m.BoxFrame("mb", col=0, line=60, cols=8, lines=3, layer="广告")]))),
    ("master removed", lambda i: P.SetMasterDef("A", None)),
    ("unused master removed", lambda i: P.SetMasterDef("B", None)),
    ("master frame", lambda i: P.SetMasterFrame("mr", col=1)),
    ("add master frame", lambda i: P.AddMasterFrame("B", m.RuleFrame("m3", line=3, cols=8))),
    ("remove master frame", lambda i: P.RemoveMasterFrame("mb")),
    ("remove hidden master frame", lambda i: P.RemoveMasterFrame("mr")),
    ("page master", lambda i: P.SetPage(1, master="B")),
    ("page hides", lambda i: P.SetPage(2, hide_master=["mr"])),
    ("page section", lambda i: P.SetPage(2, section="要闻")),
    ("to master", lambda i: P.to_master(i, "bx", "B")),
    ("override", lambda i: P.override(i, 1, "mb")),
    ("layer renamed", lambda i: P.SetLayers(
        [m.Layer("正文"), m.Layer("广告位"), m.Layer("注释", printable=False)],
        {"广告": "广告位"})),
    ("layer hidden", lambda i: P.SetLayers(
        [m.Layer("正文", visible=False), m.Layer("广告"), m.Layer("注释", printable=False)])),
    ("layer removed", lambda i: P.SetLayers([m.Layer("正文"), m.Layer("注释")])),
    ("first layer", lambda i: P.SetLayers([m.Layer("广告"), m.Layer("正文"), m.Layer("注释")])),
    ("swatch", lambda i: P.SetColor("spot", [0.1, 0.2, 0.3, 0.0])),
    ("swatch removed", lambda i: P.RemoveColor("grey")),
    ("swatch renamed", lambda i: P.RenameColor("red", "朱红")),
]


def _kinds(edit: E.Edit):
    yield type(edit)
    for e in getattr(edit, "edits", ()):
        yield from _kinds(e)


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def test_every_edit_kind_is_checked():
    """Every concrete edit class is among the cases below (a new one must name its units)."""
    issue = designed()
    made = {k for _, make in EDITS for k in _kinds(make(issue))}
    concrete = {c for c in _all_subclasses(E.Edit) if not c.__name__.startswith("_")
                and c.__module__ in ("layout.edits", "layout.pagedesign")}
    assert concrete - made == set()


@pytest.mark.parametrize("name,make", EDITS, ids=[n for n, _ in EDITS])
def test_units_are_what_changes(name, make):
    issue = designed()
    before = split(issue)
    edit = make(issue)
    said = edit.units(issue)
    edit.apply(issue)
    unnamed = [p for p in issue.pages if not p.id]     # new pages: named by the split
    changed, removed = diff(before, split(issue))
    real = {(k.kind, k.name) for k in changed | removed} - {("page", p.id) for p in unnamed}
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
    dup = E.duplicate_page(issue, 1)      # the copy is new; page 2 becomes 3; stories copied
    assert dup.units(issue) == {("page", "p2"), ("story", "lead-2"), ("story", "brief-2")}
    dup.apply(issue)
    assert len({p.id for p in issue.pages}) == len(issue.pages)     # the copy has no id yet


def test_page_design_edits_are_checked_out_first(tmp_path, qtbot, monkeypatch):
    """A page-design edit on a desk document: the desk checks out the units it names
    before making it; held elsewhere, the edit is refused and the issue is as it was."""
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
        assert edit.units(a.doc.issue) == {("issue", ""), ("page", "p2")}
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


def test_a_desk_saves_what_its_edits_undo_and_redo_changed(tmp_path, qtbot, monkeypatch):
    """The desk's session is told the units of every edit, undo and redo (and of merged
    typing): each save leaves the store holding the issue as a whole split gives it."""
    monkeypatch.setenv("BANMIAN_CACHE_DIR", str(tmp_path / "cache"))
    from PySide6.QtCore import QSettings

    from editor.app import EditorApp
    from store.base import Change, Desk
    from store.memory import MemoryIssue, MemoryStore
    from support.fakefont import SquareFontSet
    shared = MemoryIssue("p")
    MemoryStore(shared, Desk("seed", "h", 1, "seed")).commit(
        [Change(k, t, 0) for k, t in split(designed()).items()])
    app = EditorApp(lambda issue: SquareFontSet(), ask_save=lambda w: "discard",
                    settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    try:
        w = app.open_store(None, store=MemoryStore(shared, Desk("a", "h", os.getpid(), "a")),
                           watch=False)
        doc = w.doc
        assert doc.desk.session.tracking

        def stored():
            return {k: d.text for k, d in MemoryStore(shared).read().items()}
        for i, ch in enumerate("工会职工"):          # merged typing: one undo step
            assert doc.push(E.InsertText("lead", StoryPos(0, i), ch), merge=True,
                            cursor_before=("lead", StoryPos(0, i)),
                            cursor_after=("lead", StoryPos(0, i + 1)))
        assert doc.push(P.RenameColor("red", "朱红"))
        assert doc.push(E.SetFrame("t3", col=4))
        doc.save_units()
        assert stored() == split(doc.issue)
        doc.undo.undo()
        doc.undo.undo()
        doc.undo.undo()                               # the typing too
        doc.save_units()
        assert stored() == split(doc.issue) == split(designed())
        doc.undo.redo()
        doc.undo.redo()
        doc.save_units()
        assert stored() == split(doc.issue) != split(designed())
    finally:
        for win in list(app.windows):
            win.close()
