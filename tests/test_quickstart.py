"""The README's first quick-start command on a machine without a display: `make run` ends
in `main.py sample`, which exports the sample issue as a proof PDF."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pymupdf

ROOT = Path(__file__).resolve().parent.parent


def test_sample_without_a_display_writes_the_proof(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    out = tmp_path / "front-page.pdf"
    run = subprocess.run([sys.executable, str(ROOT / "main.py"), "sample", "-o", str(out)],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "no display" in run.stdout and "error" not in run.stderr
    with pymupdf.open(out) as doc:
        assert doc.page_count >= 2
        text = doc[0].get_text()
        assert "陇原职工报" in text and "深入学习贯彻习近平总书记重要讲话精神" in text
        slug = text.strip().splitlines()[-1]                       # the proof's slug line
        assert "第1版" in slug and "一校" in slug and "第第" not in slug, slug
