"""The editor fixture of test_editor.py for other test files (rotation, guides, groups,
wrap, tables): an EditorApp on square fonts with the small test issue saved beside it."""
from __future__ import annotations

import pytest


@pytest.fixture
def env(tmp_path, qtbot, monkeypatch):
    """(app, issue path, answers) as in test_editor.py."""
    from PySide6.QtCore import QSettings

    from editor.app import EditorApp
    from editor.i18n import set_language
    from layout.docfile import save_issue
    from support.fakefont import SquareFontSet
    from tests.test_editor import make_issue
    monkeypatch.setenv("BANMIAN_CACHE_DIR", str(tmp_path / "cache"))
    set_language("zh")
    answers = {"recover": True, "asked": 0}
    app = EditorApp(lambda issue: SquareFontSet(), ask_recover=lambda _p, _path: True,
                    ask_save=lambda w: "discard",
                    settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    path = tmp_path / "issue.yaml"
    save_issue(make_issue(), path)
    yield app, str(path), answers
    for w in list(app.windows):
        w.close()
    set_language(None)
