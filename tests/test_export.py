"""The sample issue exported headless, read back, and judged by the independent cjkcheck."""
from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys

import pytest

from support.paths import MAIN, ROOT, SAMPLE, SEED

#: the independent checker, an optional cross-check beside the project (not part of it)
CJKCHECK = ROOT.parent / "shared" / "tools" / "cjkcheck" / "cjkcheck.py"


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory):
    out = tmp_path_factory.mktemp("export") / "sample.pdf"
    proc = subprocess.run([sys.executable, str(MAIN), "export", str(SAMPLE),
                           "-o", str(out)], capture_output=True, text=True, timeout=900,
                          cwd=str(ROOT))
    assert proc.returncode == 0, proc.stderr
    return out


def test_three_pages_with_jump_lines_in_the_text_layer(sample_pdf):
    import pymupdf
    doc = pymupdf.open(sample_pdf)
    assert doc.page_count == 3
    p1, p2, p3 = (doc[i].get_text() for i in range(3))
    assert "（下转二版）" in p1
    assert "（上接一版）" in p2
    assert "骆进林 摄" in p1
    # the Traditional-character stories have a page of their own (港澳台), with its
    # running head and 「」 quotes; page 2 keeps none of them
    assert "港澳台" in p3 and "第3版" in p3 and "臺南老街修復完工" in p3 and "「" in p3
    assert "臺南" not in p2


def test_export_of_chosen_pages(tmp_path):
    import pymupdf
    out = tmp_path / "p2.pdf"
    proc = subprocess.run([sys.executable, str(MAIN), "export", str(SAMPLE), "--pages", "2",
                           "-o", str(out)], capture_output=True, text=True, timeout=900,
                          cwd=str(ROOT))
    assert proc.returncode == 0, proc.stderr
    doc = pymupdf.open(out)
    assert doc.page_count == 1 and "（上接一版）" in doc[0].get_text()


def test_every_font_embedded_no_helvetica(sample_pdf):
    if not shutil.which("pdffonts"):
        pytest.skip("poppler-utils not installed")
    out = subprocess.run(["pdffonts", str(sample_pdf)], capture_output=True, text=True).stdout
    rows = out.strip().splitlines()[2:]
    assert rows, out
    for row in rows:
        assert "Helvetica" not in row
        cols = row.split()
        assert cols[-5] == "yes", row          # the "emb" column


def _cjkcheck():
    if not CJKCHECK.exists():
        pytest.skip(f"the optional cross-check {CJKCHECK.relative_to(ROOT.parent)} is not "
                    "beside the project")
    spec = importlib.util.spec_from_file_location("cjkcheck", CJKCHECK)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_cjkcheck_figures_on_the_sample(sample_pdf, capsys):
    import json
    mod = _cjkcheck()
    mod.main([str(sample_pdf), "--source", str(SEED), "--json"])
    rep = json.loads(capsys.readouterr().out)
    pages = rep["pages"]
    for page in pages:
        assert page["kinsoku"]["total"] == 0, page["kinsoku"]["examples"]
        assert page["single_char_last_lines"]["count"] == 0, page["single_char_last_lines"]
        j = page["justification"]
        assert j["p95_dev_pt"] <= 0.05 and j["max_dev_pt"] <= 0.5, j["worst"]
        g = page["grid"]
        assert g["on_grid_fraction"] == 1.0
        if g.get("neighbour_aligned_fraction") is not None:
            assert g["neighbour_aligned_fraction"] >= 0.98
        assert page["glyphs"]["notdef_gid0"] == 0
    fid = rep["fidelity"]
    assert fid["paragraph_coverage_mean"] >= 0.98, fid
