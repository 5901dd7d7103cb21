"""The editor fixture of test_editor.py for other test files (rotation, guides, groups,
wrap, tables): an EditorApp on square fonts with the small test issue saved beside it.
Load it with ``pytest_plugins = ["tests.editorenv"]``."""
from __future__ import annotations

from tests.test_editor import env  # noqa: F401  (the fixture itself, one definition)
