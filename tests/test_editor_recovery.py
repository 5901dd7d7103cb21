"""Recovery after kill -9: the copy is written a few seconds after the last change.

A child editor (offscreen, square fonts) opens an issue, types a few characters
and keeps running its event loop — no 20 commands, no minute passes.  It is
killed with SIGKILL once the recovery copy appears; the next editor opens the
issue, is offered the copy with its time and a summary (pages, stories, the
stories that changed), and gets the typed text back.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QSettings  # noqa: E402

from layout import model as m  # noqa: E402
from layout.docfile import load_issue, save_issue  # noqa: E402
from support.fakefont import SquareFontSet  # noqa: E402
from support.paths import ROOT  # noqa: E402

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")

CHILD = r"""
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication
qapp = QApplication([])
from support.fakefont import SquareFontSet
from editor.app import EditorApp
path, settings = sys.argv[1:3]
app = EditorApp(lambda issue: SquareFontSet(), ask_recover=lambda *a: False,
                ask_save=lambda w: "discard",
                settings=QSettings(settings, QSettings.Format.IniFormat))
win = app.open(path)
def typing():
    win.text.start("lead", (0, 0))
    for ch in "急稿":
        win.text.insert(ch)
    print("typed", win.autosaver.path, flush=True)
QTimer.singleShot(0, typing)
qapp.exec()
"""


def make_issue() -> m.Issue:
    from editor.app import TEMPLATES
    iss = load_issue(TEMPLATES / "duikai.yaml")
    iss.stories["lead"] = m.Story("lead", name="头条",
                                  paragraphs=[m.Paragraph("body", [m.Run("本报讯 正文。")])],
                                  thread=["t1"])
    iss.stories["other"] = m.Story("other", name="二条",
                                   paragraphs=[m.Paragraph("body", [m.Run("另一篇。")])],
                                   thread=["t2"])
    iss.pages[0].frames += [m.TextFrame("t1", col=0, line=0, cols=2, lines=20),
                            m.TextFrame("t2", col=3, line=0, cols=2, lines=20)]
    return iss


def test_text_typed_seconds_before_a_kill_is_recovered_with_time_and_summary(
        tmp_path, qtbot, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("BANMIAN_CACHE_DIR", str(cache))
    path = tmp_path / "issue.yaml"
    save_issue(make_issue(), path)
    os.utime(path, (time.time() - 60, time.time() - 60))
    env = dict(os.environ, BANMIAN_CACHE_DIR=str(cache), QT_QPA_PLATFORM="offscreen")
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(path), str(tmp_path / "c.ini")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            cwd=str(ROOT))
    try:
        line = proc.stdout.readline()
        assert line.startswith("typed"), proc.stderr.read()
        rec = Path(line.split(" ", 1)[1].strip())
        typed_at = time.monotonic()
        while not rec.exists() and time.monotonic() - typed_at < 30:
            time.sleep(0.1)
        waited = time.monotonic() - typed_at
        assert rec.exists(), "no recovery copy 30 s after typing"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    assert waited < 20            # a few seconds after the change, not the minute's timer
    assert load_issue(path).stories["lead"].paragraphs[0].text == "本报讯 正文。"

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox
    from editor.app import EditorApp, ask_recover_dialog
    from editor.i18n import set_language
    set_language("zh")
    asked = []

    def answer():
        """The question as the user sees it: its text and buttons; 恢复 is clicked."""
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, answer)
            return
        asked.append(box.text())
        buttons = {b.text(): b for b in box.buttons()}
        assert set(buttons) == {"恢复", "不恢复"}
        buttons["恢复"].click()
    QTimer.singleShot(50, answer)
    app = EditorApp(lambda issue: SquareFontSet(), ask_recover=ask_recover_dialog,
                    ask_save=lambda w: "discard",
                    settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    try:
        win = app.open(str(path))
        assert win.doc.issue.stories["lead"].paragraphs[0].text == "急稿本报讯 正文。"
        assert len(asked) == 1
        summary = asked[0]
        assert "保存于" in summary and "秒前" in summary
        assert "共 1 版、2 篇稿件" in summary
        assert "头条" in summary and "二条" not in summary     # only the changed story
    finally:
        for w in list(app.windows):
            w.close()
        set_language(None)


def test_the_quiet_timer_restarts_with_every_change(tmp_path, qtbot, monkeypatch):
    monkeypatch.setenv("BANMIAN_CACHE_DIR", str(tmp_path / "cache"))
    from layout import edits as E
    from editor.autosave import Autosaver
    from editor.document import Document
    path = tmp_path / "issue.yaml"
    save_issue(make_issue(), path)
    doc = Document(load_issue(path), SquareFontSet(), str(path))
    saver = Autosaver(doc, str(tmp_path / "cache"), interval_ms=10**8, every=10**6, quiet_ms=300)
    for i in range(4):
        doc.push(E.SetFrame("t2", line=i + 1))
        qtbot.wait(120)                       # changes closer together than the quiet time
        assert not saver.path.exists()
    qtbot.waitUntil(saver.path.exists, timeout=3000)
    assert load_issue(saver.path).frame("t2")[1].line == 4
    saver.stop()
    saver.discard()
