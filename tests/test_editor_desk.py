"""The editor as a newsroom desk (issue 16): two windows on one issue in a store.

Each window is a desk of its own (its own user, its own check-outs) on one
``MemoryIssue``; a test drives them as users would — dragging frames with the mouse,
typing in the story editor, saving with the window's Save — and the watcher thread
carries each desk's commits to the other.  Every question is answered by a function the
test sets (no dialog ever blocks).
"""
from __future__ import annotations

import os
import uuid

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QSettings  # noqa: E402

from layout import edits as E  # noqa: E402
from layout import model as m  # noqa: E402
from layout.position import StoryPos  # noqa: E402
from store.base import Change, Desk, UnitKey  # noqa: E402
from store.memory import MemoryIssue, MemoryStore  # noqa: E402
from store.session import IssueSession  # noqa: E402
from store.units import split  # noqa: E402
from support.fakefont import SquareFontSet  # noqa: E402
from tests.test_editor import drag, make_issue, type_text  # noqa: E402

PAGE1 = UnitKey("page", "p1")
#: how long a desk may take to see another's work (it polls every 1.5 s, then refreshes
#: in the background: under a whole suite's load the 5 s once allowed ran out)
WAIT = 15_000
LEAD = UnitKey("story", "lead")


def desk(user: str) -> Desk:
    return Desk(user, f"host-{user}", os.getpid(), uuid.uuid4().hex[:12])


@pytest.fixture
def news(tmp_path, qtbot, monkeypatch):
    """An EditorApp on square fonts and an issue in a memory store, with ``open(user)``."""
    monkeypatch.setenv("BANMIAN_CACHE_DIR", str(tmp_path / "cache"))
    from editor.app import EditorApp
    from editor.i18n import set_language
    from editor.mainwindow import MainWindow
    set_language("zh")
    answers = {"conflict": ["merge"], "asked": [], "errors": [], "recover": True}

    def ask_conflict(_win, text, choices):
        answers["asked"].append((text, choices))
        return answers["conflict"].pop(0)

    def ask_recover_units(_parent, text):
        answers["asked"].append((text, None))
        return answers["recover"]
    monkeypatch.setattr(MainWindow, "show_error", lambda self, msg: answers["errors"].append(msg))
    def ask_break(_parent, text):
        answers["asked"].append((text, "break"))
        return answers.get("break", False)
    app = EditorApp(lambda issue: SquareFontSet(), ask_recover=lambda _p, _r: False,
                    ask_save=lambda w: "discard", ask_conflict=ask_conflict,
                    ask_break_lock=ask_break,
                    ask_recover_units=ask_recover_units,
                    settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    shared = MemoryIssue("paper")
    seed = MemoryStore(shared, desk("seed"))
    seed.commit([Change(k, t, 0) for k, t in split(make_issue()).items()])

    class News:
        pass
    n = News()
    n.app, n.shared, n.answers = app, shared, answers

    def open_as(user, story=None):
        store = MemoryStore(shared, desk(user))
        if story is not None:
            return app.open_story(None, story, store=store)
        win = app.open_store(None, store=store)
        win.view.resize(1000, 800)
        win.view.actual_size()
        return win
    n.open = open_as
    n.store = lambda user: MemoryStore(shared, desk(user))
    yield n
    for w in list(app.windows) + list(app.story_windows):
        w.close()
    set_language(None)


def stored_story(shared, sid="lead") -> m.Story:
    s = IssueSession(MemoryStore(shared, desk("reader")))
    return s.open().stories[sid]


def test_two_desks_see_each_others_work_live(news, qtbot):
    """A layout person moves a frame while an editor rewrites the story running through it."""
    a, b = news.open("alice"), news.open("bob")
    # alice drags text frame t2 one column to the right with the selection tool
    view, g = a.view, a.doc.geometry
    view.set_tool("select")
    x, y, w, h = g.frame_rect(a.doc.issue.frame("t2")[1])
    drag(view, (x + 10, y + 10), (x + 10 + g.column + g.gutter + 3, y + 10))
    assert a.doc.issue.frame("t2")[1].col == 3
    assert a.doc.desk.mine == {PAGE1}               # the page, not the story
    # bob, the editor, types into the story in the story editor: it checks out only it
    b.story_open("lead")
    ed = b.story_editor
    cur = ed.edit.textCursor()
    cur.setPosition(0)
    ed.edit.setTextCursor(cur)
    type_text(ed.edit, "新华社电")
    assert b.doc.issue.stories["lead"].paragraphs[0].text.startswith("新华社电本报讯")
    assert b.doc.desk.mine == {LEAD}
    # the docks show who holds what, on both sides (name and badge; tooltip with version)
    qtbot.waitUntil(lambda: "alice" in b.pages.item(0).text(), timeout=WAIT)
    assert "alice" in b.pages.item(0).toolTip() and "版本 1" in b.pages.item(0).toolTip()
    qtbot.waitUntil(lambda: _holder_cell(a, "lead") == "bob", timeout=WAIT)
    assert _holder_cell(b, "lead") == "我" and "我" in a.pages.item(0).text()
    # each saves; the other sees the change without reopening
    def frame_result(win, fid):
        return next(f for f in win.doc.result.page(1).frames if f.frame_id == fid)
    photo = frame_result(b, "ph")
    assert a.save() and b.save()
    qtbot.waitUntil(lambda: b.doc.issue.frame("t2")[1].col == 3, timeout=WAIT)
    # only what changed was composed again: the photo's result is the same object
    assert frame_result(b, "ph") is photo
    assert b.scene.frames["t2"].prepared.result is frame_result(b, "t2")   # and drawn
    qtbot.waitUntil(lambda: a.doc.issue.stories["lead"].paragraphs[0].text.startswith(
        "新华社电"), timeout=WAIT)
    # both desks now compose the same issue: the same layout of the story's frame
    assert frame_result(a, "t1") == frame_result(b, "t1")
    assert "第1版" in b.statusBar().currentMessage() or b.doc.issue.frame("t2")[1].col == 3
    assert not a.doc.is_modified() and not b.doc.is_modified()
    # what the store holds: both changes
    final = IssueSession(news.store("reader")).open()
    assert final.frame("t2")[1].col == 3
    assert final.stories["lead"].paragraphs[0].text.startswith("新华社电本报讯")


def _holder_cell(win, sid):
    st = win.stories
    for i in range(st.topLevelItemCount()):
        it = st.topLevelItem(i)
        if it.data(0, 0x0100) == sid:
            return it.text(3)
    return None


def test_an_edit_on_a_page_held_elsewhere_is_refused(news, qtbot):
    a, b = news.open("alice"), news.open("bob")
    assert a.doc.push(E.SetFrame("t2", lines=18), "resize")
    qtbot.waitUntil(lambda: b.doc.desk.held_by_other(PAGE1) is not None, timeout=WAIT)
    # the frames of that page cannot be picked in bob's window …
    assert not any(item.pickable for item in b.scene.frames.values())
    view, g = b.view, b.doc.geometry
    view.set_tool("select")
    x, y, w, h = g.frame_rect(b.doc.issue.frame("t1")[1])
    drag(view, (x + 5, y + 5), (x + 5 + 2 * (g.column + g.gutter), y + 5))
    assert b.doc.issue.frame("t1")[1].col == 0
    # … and an edit that gets to the document anyway is refused, naming who holds it
    assert not b.doc.push(E.SetFrame("t1", col=3), "move")
    msg = b.statusBar().currentMessage()
    assert "alice" in msg and "host-alice" in msg and "第1版" in msg
    assert b.doc.undo.count() == 0 and b.doc.issue.frame("t1")[1].col == 0
    # the story running through the page is still free: bob may edit its text
    assert b.doc.push(E.InsertText("lead", StoryPos(1, 0), "补"), "typing")
    # alice gives the page back (saving it first): bob may move frames now
    from editor.desk import give_back_ui
    assert give_back_ui(a, {PAGE1})
    assert a.doc.desk.mine == set() and a.doc.undo.count() == 0
    qtbot.waitUntil(lambda: b.doc.issue.frame("t2")[1].lines == 18, timeout=WAIT)
    qtbot.waitUntil(lambda: b.doc.desk.held_by_other(PAGE1) is None, timeout=WAIT)
    assert b.scene.frames["t1"].pickable                # pickable again
    assert b.doc.push(E.SetFrame("t1", col=3), "move")
    assert b.doc.desk.mine == {PAGE1, LEAD}


def test_others_commits_drop_undo_steps_on_their_units(news, qtbot):
    a, b = news.open("alice"), news.open("bob")
    assert a.doc.push(E.SetFrame("t2", col=4), "move")
    assert a.doc.push(E.InsertText("lead", StoryPos(1, 0), "甲"), "typing")
    assert a.save()
    a.doc.give_back({LEAD})                  # the page stays with alice
    assert a.doc.undo.count() == 1           # the step on the story went with it
    # bob takes the story and changes it; alice's window takes it in
    assert b.doc.push(E.InsertText("lead", StoryPos(1, 0), "乙"), "typing")
    assert b.save()
    qtbot.waitUntil(lambda: a.doc.issue.stories["lead"].paragraphs[1].text == "乙甲第二段。",
                    timeout=WAIT)
    # alice's undo still takes back her move (a unit nobody else changed)
    a.doc.undo.undo()
    assert a.doc.issue.frame("t2")[1].col == 2
    assert a.doc.issue.stories["lead"].paragraphs[1].text == "乙甲第二段。"
    # another commit of the story leaves her redo of the move alone
    assert b.doc.push(E.InsertText("lead", StoryPos(1, 0), "丙"), "typing") and b.save()
    qtbot.waitUntil(lambda: a.doc.issue.stories["lead"].paragraphs[1].text.startswith("丙"),
                    timeout=WAIT)
    assert a.doc.undo.canRedo()
    a.doc.undo.redo()
    assert a.doc.issue.frame("t2")[1].col == 4


def test_save_conflict_merges_a_story_whose_changes_do_not_overlap(news, qtbot):
    b = news.open("bob")
    said = []
    b.doc.desk.message.connect(said.append)
    assert b.doc.push(E.InsertText("lead", StoryPos(1, 0), "编辑改："), "typing")
    # the chief editor takes the story from bob (a broken check-out) and fixes the 1st para
    chief = news.store("chief")
    h = chief.holders()[LEAD]
    assert chief.break_checkout(LEAD, h)
    s = IssueSession(chief)
    iss = s.open()
    p0 = iss.stories["lead"].paragraphs[0]
    iss.stories["lead"].paragraphs[0] = m.Paragraph(p0.style, [m.Run("【主编】" + p0.text)])
    s.save(iss)
    # bob is told at once: the story was taken over, and changed while he has changes too
    qtbot.waitUntil(lambda: any("chief" in t and "你也有未保存的修改" in t for t in said),
                    timeout=WAIT)
    qtbot.waitUntil(lambda: any("解除" in t for t in said), timeout=WAIT)
    news.answers["conflict"] = ["merge"]
    assert b.save()
    text, choices = news.answers["asked"][-1]
    assert "chief" in text and "版本 2" in text and choices[0] == "merge"
    st = stored_story(news.shared)
    assert st.paragraphs[0].text.startswith("【主编】本报讯")
    assert st.paragraphs[1].text == "编辑改：第二段。"
    assert b.doc.issue.stories["lead"] == st and not b.doc.is_modified()


def test_save_conflict_on_the_same_words_keeps_mine_as_a_new_story(news, qtbot):
    b = news.open("bob")
    assert b.doc.push(E.InsertText("lead", StoryPos(1, 0), "乙"), "typing")
    chief = news.store("chief")
    assert chief.break_checkout(LEAD, chief.holders()[LEAD])
    s = IssueSession(chief)
    iss = s.open()
    iss.stories["lead"].paragraphs[1] = m.Paragraph("body", [m.Run("丙第二段。")])
    s.save(iss)
    news.answers["conflict"] = ["merge", "copy"]
    assert not b.save()                     # the merge clashed: told, nothing saved
    assert news.answers["errors"] and "无法自动合并" in news.answers["errors"][-1]
    assert b.save()                         # asked again: keep mine as a new story
    st = stored_story(news.shared)
    assert st.paragraphs[1].text == "丙第二段。"
    copy_id = next(sid for sid in b.doc.issue.stories if sid.startswith("lead-mine"))
    mine = stored_story(news.shared, copy_id)
    assert mine.paragraphs[1].text == "乙第二段。" and mine.thread == []
    assert mine.name.endswith("（我的）")


def test_conflict_reload_takes_theirs(news, qtbot):
    a = news.open("alice")
    assert a.doc.push(E.SetFrame("t2", col=5), "move")
    other = news.store("chief")
    assert other.break_checkout(PAGE1, other.holders()[PAGE1])
    s = IssueSession(other)
    iss = s.open()
    iss.frame("t1")[1].lines = 9
    s.save(iss)
    news.answers["conflict"] = ["reload"]
    assert a.save()
    text, choices = news.answers["asked"][-1]
    assert choices == ["reload", "cancel"] and "第1版" in text
    assert a.doc.issue.frame("t1")[1].lines == 9 and a.doc.issue.frame("t2")[1].col == 2
    assert a.doc.undo.count() == 0


def test_story_editor_on_its_own(news, qtbot):
    """An editor opens one story: live copyfit, check-out of the story only, saves only it."""
    lay = news.open("alice")
    assert lay.doc.push(E.SetFrame("t2", col=3), "move")       # alice lays out page 1
    sw = news.open("bob", story="lead")
    ed = sw.editor
    assert ed.copyfit.text().startswith("超出")                 # t1 is small for the story
    before = ed.copyfit.text()
    cur = ed.edit.textCursor()
    cur.setPosition(len(ed.edit.toPlainText()))
    ed.edit.setTextCursor(cur)
    type_text(ed.edit, "补充" * 30)
    assert ed.copyfit.text() != before and ed.copyfit.text().startswith("超出")
    assert sw.doc.desk.mine == {LEAD}           # page 1 is alice's; the story is bob's
    assert sw.save_story()
    st = stored_story(news.shared)
    assert st.paragraphs[-1].text.endswith("补充补充")
    qtbot.waitUntil(lambda: lay.doc.issue.stories["lead"] == st, timeout=WAIT)
    # alice's page was not saved by bob's story save
    assert IssueSession(news.store("r")).open().frame("t2")[1].col == 2
    # read-only while someone else holds the story
    sw.doc.give_back({LEAD})
    assert lay.doc.push(E.InsertText("lead", StoryPos(0, 0), "甲"), "typing")
    qtbot.waitUntil(lambda: ed.edit.isReadOnly(), timeout=WAIT)
    assert "alice" in ed.holder.text()


def test_recovery_per_unit_never_overwrites_a_newer_version(news, qtbot):
    a = news.open("alice")
    assert a.doc.push(E.SetFrame("t2", col=6), "move")
    assert a.doc.push(E.InsertText("lead", StoryPos(1, 0), "甲"), "typing")
    assert a.autosaver.save_now()
    assert len(list(a.autosaver.path.glob("*.json"))) == 2
    # alice's editor dies: no clean close, the copies stay; her check-outs time out
    a.autosaver.stop()
    a.autosaver.discard = lambda: None
    a.close()
    # meanwhile the chief changes the story (another paragraph)
    chief = news.store("chief")
    s = IssueSession(chief)
    iss = s.open()
    p0 = iss.stories["lead"].paragraphs[0]
    iss.stories["lead"].paragraphs[0] = m.Paragraph(p0.style, [m.Run("【主编】" + p0.text)])
    s.save(iss)
    chief.close()
    # alice opens again as the same user: offered; the page comes back, the story merges
    store = MemoryStore(news.shared, Desk("alice", "host-alice", os.getpid(), "again"))
    w = news.app.open_store(None, store=store)
    text, _ = news.answers["asked"][-1]
    assert "第1版" in text and "chief" in text
    assert w.doc.issue.frame("t2")[1].col == 6
    assert w.doc.issue.stories["lead"].paragraphs[0].text.startswith("【主编】")
    assert w.doc.issue.stories["lead"].paragraphs[1].text == "甲第二段。"
    assert w.doc.is_modified() and w.doc.desk.mine == {PAGE1, LEAD}
    assert w.save()
    st = stored_story(news.shared)
    assert st.paragraphs[0].text.startswith("【主编】") and st.paragraphs[1].text == "甲第二段。"
    assert not list(w.autosaver.path.glob("*.json"))


def test_closing_gives_back_and_single_files_keep_their_lock(news, qtbot, tmp_path):
    a = news.open("alice")
    assert a.doc.push(E.SetFrame("t2", col=3), "move")
    assert news.shared.held
    a.save()
    a.close()
    assert not news.shared.held
    # a single .yaml file opens as before: one lock, no desk
    from layout.docfile import save_issue
    path = tmp_path / "one.yaml"
    save_issue(make_issue(), path)
    w = news.app.open(str(path))
    assert w.doc.desk is None and w.doc.lock is not None
    assert w.doc.push(E.SetFrame("t2", col=3), "move") and w.save()
    # Save As a file from a store's window: the check-outs go back, it is that file's now
    from editor.autosave import Autosaver
    from layout.docfile import load_issue
    b = news.open("bob")
    assert b.doc.push(E.InsertText("lead", StoryPos(1, 0), "乙"), "typing")
    assert news.shared.held
    out = tmp_path / "out.yaml"
    assert b._save_to(str(out))
    assert b.doc.desk is None and not news.shared.held and isinstance(b.autosaver, Autosaver)
    assert load_issue(out).stories["lead"].paragraphs[1].text == "乙第二段。"
    assert b.doc.push(E.SetFrame("t2", col=5), "move")


def test_chinese_and_english_desk_strings(news, qtbot):
    from editor.i18n import set_language
    a, b = news.open("alice"), news.open("bob")
    assert a.doc.push(E.SetFrame("t2", col=3), "move")
    assert not b.doc.push(E.SetFrame("t1", col=3), "move")
    zh = b.statusBar().currentMessage()
    assert "签出" in zh and "checked out" not in zh
    set_language("en")
    assert not b.doc.push(E.SetFrame("t1", col=3), "move")
    en = b.statusBar().currentMessage()
    assert "page 1 is checked out by alice on host-alice" in en
    import re
    assert not re.search(r"[\u4e00-\u9fff]", en.replace("版", ""))


def test_two_windows_on_an_issue_folder(news, qtbot, tmp_path, monkeypatch):
    """The same with the real folder store: File ▸ Open on a folder, check-outs as lock
    files, the watcher polling the folder's journal."""
    from store import open_store
    folder = tmp_path / "paper-issue"
    st = open_store(str(folder), desk("seed"), create=True)
    st.commit([Change(k, t, 0) for k, t in split(make_issue()).items()])
    st.close()
    monkeypatch.setenv("BANMIAN_USER", "alice")
    a = news.app.open(str(folder))
    monkeypatch.setenv("BANMIAN_USER", "bob")
    b = news.app.open(str(folder))
    assert a.doc.desk is not None and a.doc.base_dir == str(folder.resolve())
    assert a.doc.name == "paper-issue"
    assert a.doc.push(E.SetFrame("t2", col=3), "move")
    assert b.doc.push(E.InsertText("lead", StoryPos(1, 0), "新"), "typing")
    assert not b.doc.push(E.SetFrame("t1", col=4), "move")
    assert "alice" in b.statusBar().currentMessage()
    qtbot.waitUntil(lambda: "alice" in b.pages.item(0).text(), timeout=WAIT)
    qtbot.waitUntil(lambda: _holder_cell(a, "lead") == "bob", timeout=WAIT)
    assert a.save() and b.save()
    qtbot.waitUntil(lambda: b.doc.issue.frame("t2")[1].col == 3, timeout=WAIT)
    qtbot.waitUntil(lambda: a.doc.issue.stories["lead"].paragraphs[1].text == "新第二段。",
                    timeout=WAIT)
    a.close()
    b.close()
    again = open_store(str(folder), desk("reader"))
    assert again.holders() == {}                    # closing gave the check-outs back
    issue = IssueSession(again).open()
    assert issue.frame("t2")[1].col == 3
    assert issue.stories["lead"].paragraphs[1].text == "新第二段。"
    again.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_desk_ui_speaks_one_language(news, qtbot, lang):
    """Everything the desk adds — menus, dock columns and tooltips, the story editor, the
    status messages, the conflict question — in the UI's language only."""
    from editor.desk import conflict_text, describe_holder
    from editor.i18n import set_language
    from store.base import Conflict
    from tests.test_editor_i18n import chinese_in, data_words, english_in, texts_of
    set_language(lang)
    a, b = news.open("alice"), news.open("bob")
    said = []
    for w in (a, b):
        w.doc.desk.message.connect(said.append)
        w.doc.refused.connect(said.append)
    assert a.doc.push(E.SetFrame("t2", col=3), "move")
    assert b.doc.push(E.InsertText("lead", StoryPos(1, 0), "新"), "typing")
    assert not b.doc.push(E.SetFrame("t1", col=4), "move")
    qtbot.waitUntil(lambda: b.doc.desk.held_by_other(PAGE1) is not None, timeout=WAIT)
    qtbot.waitUntil(lambda: a.doc.desk.held_by_other(LEAD) is not None, timeout=WAIT)
    assert a.save() and b.save()
    qtbot.waitUntil(lambda: len([t for t in said if t]) >= 3, timeout=WAIT)
    b.story_open("lead")
    sw = news.open("carol", story="lead")
    texts = said + [w.statusBar().currentMessage() for w in (a, b)]
    for w in (a, b):
        texts += texts_of(w)
        texts += [w.pages.item(i).toolTip() for i in range(w.pages.count())]
        st = w.stories
        texts += [st.topLevelItem(i).toolTip(3) for i in range(st.topLevelItemCount())]
        texts += [a_.text() for a_ in w.desk_acts.values()]
    texts += texts_of(sw) + [sw.editor.holder.toolTip()]
    info = news.store("x").units()[LEAD]
    texts.append(conflict_text(Conflict(LEAD, 1, info), b.doc.issue))
    texts.append(describe_holder(a.doc.desk.held[PAGE1]))
    from layout.units import DEFAULT_HAO               # 号 sizes: the newspaper's own terms
    data = data_words(a.doc.issue, extra=[*DEFAULT_HAO, "校样", "标题", "alice", "bob", "carol", "host-alice", "host-bob",
                                          "host-carol", "host-seed", "seed", "memory:paper"])
    bad = english_in(texts, data) if lang == "zh" else chinese_in(texts, data)
    assert not bad, bad[:10]


def test_save_refused_while_someone_else_holds_the_unit(news, qtbot):
    b = news.open("bob")
    assert b.doc.push(E.InsertText("lead", StoryPos(1, 0), "乙"), "typing")
    chief = news.store("chief")
    assert chief.break_checkout(LEAD, chief.holders()[LEAD])
    assert chief.checkout(LEAD) is None                  # and keeps it
    assert not b.save()
    msg = news.answers["errors"][-1]
    assert "未保存" in msg and "chief" in msg and "稿件《lead》" in msg
    assert b.doc.is_modified()
    assert stored_story(news.shared).paragraphs[1].text == "第二段。"


def test_recovery_keeps_someone_elses_newer_page(news, qtbot):
    a = news.open("alice")
    assert a.doc.push(E.SetFrame("t2", col=6), "move")
    assert a.autosaver.save_now()
    a.autosaver.stop()
    a.autosaver.discard = lambda: None
    a.close()
    chief = news.store("chief")
    s = IssueSession(chief)
    iss = s.open()
    iss.frame("t1")[1].lines = 7
    s.save(iss)
    store = MemoryStore(news.shared, Desk("alice", "host-alice", os.getpid(), "again"))
    w = news.app.open_store(None, store=store)
    # the page someone saved since is theirs; alice's copy stays on disk, named
    assert w.doc.issue.frame("t1")[1].lines == 7 and w.doc.issue.frame("t2")[1].col == 2
    assert not w.doc.is_modified() and w.doc.desk.mine == set()
    msg = w.statusBar().currentMessage()
    left = list(w.autosaver.path.glob("*.json"))
    assert len(left) == 1 and str(left[0]) in msg and "保留他人的版本" in msg


def test_recovery_declined_removes_the_copies(news, qtbot):
    a = news.open("alice")
    assert a.doc.push(E.InsertText("lead", StoryPos(1, 0), "甲"), "typing")
    assert a.autosaver.save_now()
    folder = a.autosaver.path
    a.autosaver.stop()
    a.autosaver.discard = lambda: None
    a.close()
    news.answers["recover"] = False
    store = MemoryStore(news.shared, Desk("alice", "host-alice", os.getpid(), "again"))
    w = news.app.open_store(None, store=store)
    assert news.answers["asked"] and not list(folder.glob("*.json"))
    assert w.doc.issue.stories["lead"].paragraphs[1].text == "第二段。"


def test_open_from_server_dialog_and_dock_menus(news, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QInputDialog, QMessageBox

    from editor import desk as D
    from store import open_store
    folder = tmp_path / "issue-folder"
    st = open_store(str(folder), desk("seed"), create=True)
    st.commit([Change(k, t, 0) for k, t in split(make_issue()).items()])
    st.close()
    a = news.open("alice")
    # File ▸ Open from Server…: an address without the issue's name is refused in one line
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warned.append(text))
    monkeypatch.setattr(QInputDialog, "getText",
                        lambda *a_, **k: ("postgresql://desk@db.example/paper", True))
    D.open_server_dialog(a)
    assert warned and "#" in warned[-1] and len(news.app.windows) == 1
    # … the address typed is opened and remembered (a folder here: no server in this test)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a_, **k: (str(folder), True))
    D.open_server_dialog(a)
    assert len(news.app.windows) == 2 and news.app.windows[-1].doc.desk.address == str(folder)
    assert news.app.settings.value("server") == str(folder)
    # picking the folder's settings.yaml in File ▸ Open opens the folder
    w = news.app.open(str(folder / "settings.yaml"))
    assert w.doc.desk is not None and w.doc.desk.address == str(folder)
    # the docks' menus: give back what this desk holds; a story in its own window
    f = news.app.windows[1]
    assert f.doc.push(E.SetFrame("t2", col=3), "move")
    assert f.doc.push(E.InsertText("lead", StoryPos(1, 0), "新"), "typing")
    f.pages.menuRequested.emit(1, f.pages.mapToGlobal(f.pages.rect().center()))
    labels = [x.text() for x in f.context_menu.actions()]
    assert "交还签出" in labels
    f.stories.menuRequested.emit("lead", f.stories.mapToGlobal(f.stories.rect().center()))
    acts = {x.text(): x for x in f.context_menu.actions()}
    assert "交还签出" in acts and "在单独窗口中编辑稿件" in acts
    acts["交还签出"].trigger()                       # saves the story, then gives it back
    assert f.doc.desk.mine == {UnitKey("page", "p1")}
    acts["在单独窗口中编辑稿件"].trigger()
    sw = news.app.story_windows[-1]
    assert sw.editor.story == "lead" and sw.doc.desk.address == str(folder)
    f.context_menu.close()


def test_a_stale_check_out_is_broken_only_when_the_user_says_so(news, qtbot):
    import time

    from store.base import Holder
    a = news.open("alice")
    gone = Holder("dave", "desk-far", 4242, "dead-session", time.time() - 86400, stale=True)
    news.shared.held[PAGE1] = gone
    news.answers["break"] = False
    assert not a.doc.push(E.SetFrame("t2", col=3), "move")
    text, what = news.answers["asked"][-1]
    assert what == "break" and "dave" in text and "第1版" in text
    assert news.shared.held[PAGE1] == gone and a.doc.undo.count() == 0
    news.answers["break"] = True
    assert a.doc.push(E.SetFrame("t2", col=3), "move")
    assert news.shared.held[PAGE1].user == "alice" and a.doc.desk.mine == {PAGE1}
