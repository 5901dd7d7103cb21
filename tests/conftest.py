"""Shared fixtures: the square test font set, tiny issues, real fonts when needed."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from fakefont import SquareFontSet  # noqa: E402

SAMPLE = ROOT / "resources" / "samples" / "front-page" / "issue.yaml"
SEED = ROOT.parent / "shared" / "seed" / "front-page.txt"


@pytest.fixture
def square():
    """Fonts with exact square metrics."""
    return SquareFontSet()


@pytest.fixture(scope="session")
def real_fontset_factory():
    """Build a FontSet from the real installed fonts (converted and cached once)."""
    from fonts import FontSet, default_library
    lib = default_library()

    def make(roles):
        return FontSet(roles, lib)
    return make


def pytest_collection_modifyitems(config, items):
    """Tests marked ``slow`` (long fuzz and crash runs) run only when ``-m`` names them."""
    if "slow" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="slow: run with -m slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
