"""Where things are in the project tree (tests and benchmarks use these, never absolute paths)."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAIN = ROOT / "main.py"
SAMPLE = ROOT / "resources" / "samples" / "front-page" / "issue.yaml"
TEMPLATES = ROOT / "resources" / "templates"
TEST_DATA = ROOT / "tests" / "data"
#: the seed front page (a real newspaper page as the wire sends it), a test fixture
SEED = TEST_DATA / "front-page.txt"


def seed_text() -> str:
    """The seed front page's text."""
    return SEED.read_text("utf-8")
