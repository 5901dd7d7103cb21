"""Shared fixtures: the square test font set, tiny issues, real fonts when needed.

Helpers shared with the benchmark scripts live in the ``support`` package
(installed with the project); the seed page is the fixture ``tests/data/front-page.txt``.
"""
from __future__ import annotations

import os

import pytest

from support.fakefont import SquareFontSet

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


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
