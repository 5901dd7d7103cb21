"""Golden traces: small named composition cases, set with the square test font.

Each case is two files in tests/golden/trace/: ``NAME.yaml``, a small issue
(its comment says what must happen), and ``NAME.expected``, its trace
(``layout.trace``).  Adding a case is adding those two files.  After a
deliberate change, regenerate the expectations with BANMIAN_UPDATE_GOLDEN=1
and read the diff.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from support.fakefont import SquareFontSet
from layout.compose import Composer
from layout.docfile import load_issue
from layout.trace import trace

CASES = Path(__file__).parent / "golden" / "trace"
UPDATE = bool(os.environ.get("BANMIAN_UPDATE_GOLDEN"))


def case_names() -> list[str]:
    """Every case in the folder: each NAME.yaml."""
    return sorted(p.stem for p in CASES.glob("*.yaml"))


def test_there_are_cases():
    assert len(case_names()) >= 6


@pytest.mark.parametrize("name", case_names())
def test_golden_trace(name):
    issue = load_issue(CASES / f"{name}.yaml")
    text = trace(Composer(issue, SquareFontSet(), base_dir=str(CASES)).compose())
    expected = CASES / f"{name}.expected"
    if UPDATE:
        expected.write_text(text, "utf-8")
    assert expected.exists(), f"{expected.name} is missing: run with BANMIAN_UPDATE_GOLDEN=1"
    assert text == expected.read_text("utf-8")
