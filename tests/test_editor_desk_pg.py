"""The editor on an issue in PostgreSQL (issue 16): two windows, as two users, on one
issue in the test cluster (``BANMIAN_TEST_PG``, started by tests/conftest.py when
Debian's postgresql is installed) — the same moves as test_editor_desk on the memory
and folder stores: check-outs as advisory locks, LISTEN/NOTIFY waking the watcher."""
from __future__ import annotations

import os
import uuid

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QSettings  # noqa: E402

from layout import edits as E  # noqa: E402
from layout.position import StoryPos  # noqa: E402
from store.base import Change, Desk, UnitKey  # noqa: E402
from store.session import IssueSession  # noqa: E402
from store.units import split  # noqa: E402
from support.fakefont import SquareFontSet  # noqa: E402
from tests.test_editor import make_issue  # noqa: E402


@pytest.fixture
def pg_issue(tmp_path, qtbot, monkeypatch):
    url = os.environ.get("BANMIAN_TEST_PG")
    if not url:
        pytest.skip("no PostgreSQL server for the tests (BANMIAN_TEST_PG is not set; "
                    "tests/conftest.py starts one when Debian's postgresql is installed)")
    pg = pytest.importorskip("store.pg", reason="no PostgreSQL store")
    name = f"desk-{uuid.uuid4().hex[:8]}"
    seed = pg.PgStore(url, name, Desk("seed", "h", os.getpid(), uuid.uuid4().hex), create=True)
    seed.commit([Change(k, t, 0) for k, t in split(make_issue()).items()])
    seed.close()
    monkeypatch.setenv("BANMIAN_CACHE_DIR", str(tmp_path / "cache"))
    from editor.app import EditorApp
    from editor.i18n import set_language
    set_language("zh")
    app = EditorApp(lambda issue: SquareFontSet(), ask_save=lambda w: "discard",
                    ask_conflict=lambda _w, _t, _c: "merge",
                    settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    base = url.split("#")[0]
    yield app, f"{base}#{name}", pg, (base, name)
    for w in list(app.windows):
        w.close()
    set_language(None)


def test_two_windows_on_an_issue_in_postgresql(pg_issue, qtbot, monkeypatch):
    app, address, pg, (url, name) = pg_issue
    monkeypatch.setenv("BANMIAN_USER", "alice")
    a = app.open(address)
    monkeypatch.setenv("BANMIAN_USER", "bob")
    b = app.open(address)
    assert a is not None and b is not None and a.doc.desk is not None
    assert a.doc.push(E.SetFrame("t2", col=3), "move")
    assert b.doc.push(E.InsertText("lead", StoryPos(1, 0), "新"), "typing")
    assert not b.doc.push(E.SetFrame("t1", col=4), "move")
    assert "alice" in b.statusBar().currentMessage() and b.doc.undo.count() == 1
    qtbot.waitUntil(lambda: "alice" in b.pages.item(0).text(), timeout=8000)
    assert a.save() and b.save()
    qtbot.waitUntil(lambda: b.doc.issue.frame("t2")[1].col == 3, timeout=8000)
    qtbot.waitUntil(lambda: a.doc.issue.stories["lead"].paragraphs[1].text == "新第二段。",
                    timeout=8000)
    a.close()
    b.close()
    reader = pg.PgStore(url, name, Desk("r", "h", os.getpid(), uuid.uuid4().hex))
    try:
        assert reader.holders() == {}            # closing gave the check-outs back
        issue = IssueSession(reader).open()
        assert issue.frame("t2")[1].col == 3
        assert issue.stories["lead"].paragraphs[1].text == "新第二段。"
        assert reader.units()[UnitKey("page", "p1")].author.startswith("alice")
    finally:
        reader.close()
