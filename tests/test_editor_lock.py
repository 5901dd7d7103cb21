"""The editor and shared-folder locks (issue 8): read-only second opener, dead and stale
locks, "changed on disk" on save, the lock given back on close.

Driven offscreen on the square test fonts; every question the editor asks is
answered by a function the test sets (no dialog ever blocks).
"""
from __future__ import annotations

import copy
import getpass
import os
import socket
import subprocess
import sys
import time

import pytest

pytest.importorskip("pytestqt")

from layout import edits as E  # noqa: E402
from layout import lockfile as L  # noqa: E402
from layout.docfile import load_issue, save_issue  # noqa: E402
from support.locks import forge  # noqa: E402
from tests.test_editor import editor_app, make_issue, type_text  # noqa: E402


@pytest.fixture
def env(tmp_path, qtbot, monkeypatch):
    """An EditorApp whose questions are answered from ``answers`` and whose messages are kept."""
    from editor.mainwindow import MainWindow
    answers = {"break": False, "changed": "cancel", "asked": [], "told": [], "errors": []}

    def ask_break(_parent, text):
        answers["asked"].append(("break", text))
        return answers["break"]

    def ask_changed(_win, text):
        answers["asked"].append(("changed", text))
        return answers["changed"]
    monkeypatch.setattr(MainWindow, "show_error", lambda self, msg: answers["errors"].append(msg))
    with editor_app(tmp_path, monkeypatch, ask_recover=lambda _p, _r: False,
                    ask_break_lock=ask_break, ask_changed=ask_changed,
                    tell_read_only=lambda _w, text: answers["told"].append(text)) as (app, path):
        yield app, path, answers


def test_second_window_on_the_same_issue_is_read_only(env, qtbot):
    app, path, answers = env
    lock = L.lock_path(path)
    w1 = app.open(path)
    assert not w1.doc.read_only and lock.exists() and w1.acts["save"].isEnabled()
    assert L.holder(path).pid == os.getpid()
    w2 = app.open(path)
    doc = w2.doc
    assert doc.read_only and doc.lock is None
    # who has it: in the message box, the status bar and the title
    told = answers["told"][-1]
    assert getpass.getuser() in told and socket.gethostname() in told
    assert getpass.getuser() in w2.lock_label.toolTip() and w2.lock_label.isVisibleTo(w2)
    assert socket.gethostname() in w2.statusBar().currentMessage()
    assert "[只读]" in w2.windowTitle() and "[只读]" not in w1.windowTitle()
    from editor.i18n import set_language
    set_language("en")
    w2._title()
    assert "[read-only]" in w2.windowTitle()
    set_language("zh")
    # no edit gets in: typing on the page, the story editor, commands, menu actions
    before = copy.deepcopy(doc.issue)
    refused = []
    doc.refused.connect(refused.append)
    w2.view.set_tool("type")
    w2.text.start("lead", (1, 0))
    type_text(w2.view, "改动")
    assert not doc.push(E.SetFrame("t2", line=30))
    w2.add_page()
    w2.scene.set_selection(["t1", "t2"])
    w2.align_top()
    assert w2.story_editor.edit.isReadOnly()
    assert doc.issue == before and doc.undo.count() == 0 and not doc.is_modified()
    assert refused and all("只读" in r for r in refused)
    # Save is off (and refused if reached anyway); the file and its lock are untouched
    disk = open(path, "rb").read()
    assert not w2.acts["save"].isEnabled() and not w2.save()
    assert open(path, "rb").read() == disk and L.holder(path).pid == os.getpid()
    assert not answers["errors"]
    # the first window still edits and saves
    assert w1.doc.push(E.SetFrame("t2", line=30)) and w1.save()
    # closing the first window frees the file: opened again, it is editable
    w1.close()
    assert not lock.exists()
    w2.close()
    w3 = app.open(path)
    assert not w3.doc.read_only and w3.acts["save"].isEnabled() and lock.exists()
    assert "[只读]" not in w3.windowTitle()
    assert w3.doc.push(E.SetFrame("t2", line=31))


def test_save_as_from_a_read_only_window_takes_the_new_file(env, qtbot, tmp_path, monkeypatch):
    from editor import mainwindow
    app, path, answers = env
    w1 = app.open(path)
    w1.doc.push(E.SetFrame("t2", line=12))
    assert w1.autosaver.save_now()
    rec = w1.autosaver.path                        # the holder's recovery file
    w2 = app.open(path)
    assert w2.doc.read_only
    other = tmp_path / "mine.yaml"
    monkeypatch.setattr(mainwindow.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(other), "")))
    # Save As onto the locked file itself is refused
    monkeypatch.setattr(mainwindow.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (path, "")))
    assert not w2.save_as() and answers["errors"] and w2.doc.read_only
    monkeypatch.setattr(mainwindow.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(other), "")))
    assert w2.save_as()
    assert not w2.doc.read_only and w2.acts["save"].isEnabled()
    assert "[只读]" not in w2.windowTitle() and not w2.lock_label.isVisibleTo(w2)
    assert L.lock_path(other).exists() and w2.doc.path == str(other.resolve())
    assert w2.doc.push(E.SetFrame("t2", line=40)) and w2.save()
    assert load_issue(other).frame("t2")[1].line == 40
    assert rec.exists(), "the holder's autosave is not the read-only window's to remove"
    w2.close()
    assert not L.lock_path(other).exists() and L.lock_path(path).exists()


def test_a_dead_process_lock_is_cleared(env, qtbot):
    app, path, answers = env
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    forge(path, user="张三", host=socket.gethostname(), pid=proc.pid, started="")
    win = app.open(path)
    assert not win.doc.read_only and not answers["told"] and not answers["asked"]
    assert L.holder(path).pid == os.getpid() and L.holder(path).user != "张三"


def test_a_stale_lock_from_another_machine_is_broken_only_when_the_user_says(env, qtbot):
    app, path, answers = env
    forge(path, age_hours=13, user="张三", host="desk-3.invalid", pid=4242)
    win = app.open(path)                            # answer: keep it
    assert win.doc.read_only and answers["asked"][-1][0] == "break"
    assert "张三" in answers["asked"][-1][1] and "desk-3.invalid" in answers["told"][-1]
    win.close()
    assert L.holder(path).user == "张三"           # a read-only window leaves the lock alone
    answers["break"] = True
    win = app.open(path)
    assert not win.doc.read_only and L.holder(path).pid == os.getpid()


def test_file_changed_on_disk_is_not_silently_overwritten(env, qtbot):
    app, path, answers = env
    win = app.open(path)
    assert win.doc.push(E.SetFrame("t2", line=33))
    theirs = make_issue()
    theirs.pages[0].frames[-1].caption = "同事改过的说明"
    save_issue(theirs, path)                         # someone else, meanwhile
    disk = open(path, "rb").read()
    answers["changed"] = "cancel"
    assert not win.save()
    assert answers["asked"][-1][0] == "changed" and "issue.yaml" in answers["asked"][-1][1]
    assert open(path, "rb").read() == disk and win.doc.is_modified()
    answers["changed"] = "overwrite"
    assert win.save() and not win.doc.is_modified()
    ours = load_issue(path)
    assert ours.frame("t2")[1].line == 33 and ours.frame("ph")[1].caption == "图片说明"
    # the new fingerprint is ours: the next save goes through without a question
    n = len(answers["asked"])
    assert win.doc.push(E.SetFrame("t2", line=34)) and win.save()
    assert len(answers["asked"]) == n and load_issue(path).frame("t2")[1].line == 34


def test_save_refreshes_the_lock_and_closing_removes_it(env, qtbot):
    app, path, _ = env
    lock = L.lock_path(path)
    win = app.open(path)
    os.utime(lock, (1_000_000, 1_000_000))
    assert win.touch_lock() and lock.stat().st_mtime > time.time() - 60
    os.utime(lock, (1_000_000, 1_000_000))
    assert win.doc.push(E.SetFrame("t2", line=20)) and win.save()
    assert lock.stat().st_mtime > time.time() - 60
    assert win.lock_timer.isActive() and win.lock_timer.interval() == app.lock_touch_ms
    win.close()
    assert not lock.exists()
    # app exit (quit_all) too, and an untitled document has no lock until saved
    win = app.open(path)
    new = app.new_from_template("sikai")
    assert new.doc.lock is None and not new.doc.read_only
    app.quit_all()
    assert not lock.exists() and not app.windows
