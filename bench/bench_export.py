#!/usr/bin/env python3
"""Export benchmark (prints figures; asserts nothing): whole-process time and peak memory.

Every figure is the median over ``--runs`` runs of ``python main.py export``, each
in a fresh process, timed from outside with /usr/bin/time when present (peak
resident memory).  The processes run as an installed program does: Python
writes and reuses its bytecode (in a private ``PYTHONPYCACHEPREFIX``, so the
tree is not touched, even where ``PYTHONDONTWRITEBYTECODE`` is set).

* ``sample_s``: the sample issue, proof, caches warm (fonts, layout, subsets);
* ``issue24_s``: a 24-page issue built from the sample (its pages repeated, every
  story and frame renamed, the text of each copy varied), caches warm;
* ``issue24_cold_layout_s``: the same with the layout cache (and the pages the writer
  keeps) emptied before each run (font caches warm): composing and drawing all 24 pages;
* ``reexport24_s``: the 24-page issue re-exported after a one-paragraph edit (a
  different edit each run, so only the frames it touches are composed and only the
  pages it touches drawn);
* ``first_run_s``: the sample with an empty ``BANMIAN_CACHE_DIR`` (fonts scanned,
  metrics read, nothing cached); ``first_tc_s``: then the sample set in the
  traditional-character faces (Noto CJK TC) for the first time;
* ``peak_mb``: the largest peak resident memory of the 24-page runs.

``--typst`` also runs Typst's Python package (``pip install '.[bench]'``) on the
seed text (tests/data/front-page.txt) set on the same paper in the same grid
(8 columns, 9 pt on a 12 pt pitch, Noto CJK) over two pages (about the text
the sample's two pages hold), and 12 times (the text rotated per copy) as a
24-page document; Banmian and Typst run in turn, and
the ratios are printed.

Usage: python bench/bench_export.py [--runs N] [--first-runs N] [--typst] [--json]
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from layout.docfile import save_issue  # noqa: E402
from support.bigissue import big_issue, sample_issue  # noqa: E402
from support.paths import MAIN, SAMPLE, seed_text  # noqa: E402

TIMER = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)


def run(cmd: list[str], env: dict) -> tuple[float, float]:
    """(seconds, peak MB) of one process."""
    t = time.perf_counter()
    if TIMER:
        proc = subprocess.run([TIMER, "-f", "%M", *cmd], capture_output=True, text=True, env=env)
        took = time.perf_counter() - t
        try:
            peak = float(proc.stderr.strip().splitlines()[-1]) / 1024
        except (IndexError, ValueError):
            peak = float("nan")
    else:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
        took, peak = time.perf_counter() - t, float("nan")
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:4])} … failed: {proc.stderr[-800:]}")
    return took, peak


def export_cmd(issue: Path, out: Path) -> list[str]:
    """The command line of one proof export."""
    return [sys.executable, str(MAIN), "export", str(issue), "-o", str(out)]


def typst_cmd(doc: Path, out: Path) -> list[str]:
    """The command line of one Typst compilation through its Python package."""
    return [sys.executable, "-c", "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2])",
            str(doc), str(out)]


# ---------------------------------------------------------------- documents
def _typst_string(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def typst_document(copies: int) -> str:
    """The seed text on the sample's paper and grid: two pages per copy (text rotated per copy).

    The seed (≈5,900 characters) is about as much text as the sample's two pages
    hold (≈6,200 characters beside its headlines, photo and ads).
    """
    iss = sample_issue()
    p = iss.paper
    head = [
        f"#set page(width: {p.width}, height: {p.height}, columns: 8, "
        f"margin: (top: {p.margin_top}, bottom: {p.margin_bottom}, x: {p.margin_inside}))",
        "#set columns(gutter: 9pt)",
        '#set text(font: "Noto Serif CJK SC", size: 9pt, lang: "zh", region: "cn")',
        "#set par(justify: true, leading: 3pt, spacing: 3pt, "
        "first-line-indent: (amount: 2em, all: true))",
        '#show heading: set text(font: "Noto Sans CJK SC", weight: "bold", size: 14pt)',
        "",
    ]
    blocks = [b.strip() for b in seed_text().split("\n\n") if b.strip()]
    body = []
    half = len(blocks) // 2
    for k in range(copies):
        for j, b in enumerate(blocks):
            if j == half:                   # the seed's text over two pages, as the sample's
                body.append("#pagebreak()")
                body.append("")
            if b.startswith("#"):
                body.append(f"#heading(level: 2, {_typst_string(b.lstrip('#').strip())})")
            else:
                text = b.replace("\n", "")
                r = (7 * k) % max(1, len(text))
                body.append("#" + _typst_string(text[r:] + text[:r]))
            body.append("")
        if k + 1 < copies:
            body.append("#pagebreak()")
            body.append("")
    return "\n".join(head + body) + "\n"


def tc_issue(path: Path) -> None:
    """The sample with every font role set in the traditional-character (TC) faces."""
    iss = sample_issue()
    iss.fonts = {role: [n.replace("CJK SC", "CJK TC").replace(" SC", " TC") for n in names]
                 for role, names in iss.fonts.items()}
    save_issue(iss, path)


def edited(base, i: int):
    """``base`` with one paragraph changed (a different sentence for each ``i``)."""
    iss = copy.deepcopy(base)
    story = list(iss.stories.values())[len(iss.stories) // 2]
    story.paragraphs[-1].runs[-1].text += f"（第{i + 1}次补充。）"
    return iss


# ---------------------------------------------------------------- main
def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--first-runs", type=int, default=1, help="runs with an empty cache (slow)")
    ap.add_argument("--typst", action="store_true", help="run Typst side by side")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON only")
    args = ap.parse_args()
    if args.typst:
        try:
            import typst  # noqa: F401
        except ImportError:
            raise SystemExit("--typst: install the bench extra (pip install '.[bench]')") from None
    tmp = Path(tempfile.mkdtemp(prefix="banmian-bench-"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(tmp / "pyc")
    env["BANMIAN_CACHE_DIR"] = str(tmp / "cache")
    log = (lambda *a: None) if args.json else print
    try:
        shutil.copy(SAMPLE.parent / "photo.jpg", tmp / "photo.jpg")
        big = big_issue(24, vary=True)
        issue24 = tmp / "issue24.yaml"
        save_issue(big, issue24)
        edits = []
        for i in range(args.runs):
            edits.append(tmp / f"issue24-edit{i}.yaml")
            save_issue(edited(big, i), edits[-1])
        tc = tmp / "issue-tc.yaml"
        tc_issue(tc)
        shutil.copy(SAMPLE.parent / "photo.jpg", tmp / "photo.jpg")
        out = tmp / "out.pdf"

        # first runs: an empty cache directory each time
        first, first_tc = [], []
        for i in range(args.first_runs):
            env1 = dict(env, BANMIAN_CACHE_DIR=str(tmp / f"cache-first{i}"))
            first.append(run(export_cmd(SAMPLE, out), env1)[0])
            first_tc.append(run(export_cmd(tc, out), env1)[0])
            log(f"first export, empty cache: {first[-1]:.2f} s; then TC faces: {first_tc[-1]:.2f} s")
        shutil.copytree(tmp / "cache-first0", tmp / "cache")   # fonts known: the warm cache
        for doc in (SAMPLE, issue24):                           # warm the layout and subsets
            run(export_cmd(doc, out), env)

        typ2, typ24 = tmp / "seed.typ", tmp / "seed24.typ"
        typ2.write_text(typst_document(1), "utf-8")
        typ24.write_text(typst_document(12), "utf-8")
        if args.typst:
            run(typst_cmd(typ2, tmp / "t.pdf"), env)          # Typst's font scan warmed too

        res: dict[str, list] = {k: [] for k in (
            "sample", "issue24", "cold24", "reexport24", "typst2", "typst24")}
        for i in range(args.runs):
            # first the 24 pages with the layout cache (and the writer's pages) emptied,
            # then everything warm again (the sample once more, unmeasured, refills its own)
            for folder in ("layout", "pages"):
                shutil.rmtree(tmp / "cache" / folder, ignore_errors=True)
            res["cold24"].append(run(export_cmd(issue24, out), env))
            run(export_cmd(SAMPLE, out), env)
            res["sample"].append(run(export_cmd(SAMPLE, out), env))
            if args.typst:
                res["typst2"].append(run(typst_cmd(typ2, tmp / "t2.pdf"), env))
            res["issue24"].append(run(export_cmd(issue24, out), env))
            if args.typst:
                res["typst24"].append(run(typst_cmd(typ24, tmp / "t24.pdf"), env))
            res["reexport24"].append(run(export_cmd(edits[i], out), env))
            log(f"run {i + 1}: " + ", ".join(f"{k} {v[-1][0]:.2f} s" for k, v in res.items() if v))

        def med(k):
            return round(statistics.median(r[0] for r in res[k]), 3) if res[k] else None

        def peak(k):
            return round(max(r[1] for r in res[k]), 1) if res[k] else None

        figures = {
            "sample_s": med("sample"), "issue24_s": med("issue24"),
            "reexport24_s": med("reexport24"),
            "first_run_s": round(statistics.median(first), 2) if first else None,
            "peak_mb": max(peak("issue24"), peak("cold24"), peak("reexport24")),
            "first_tc_s": round(statistics.median(first_tc), 2) if first_tc else None,
            "issue24_cold_layout_s": med("cold24"),
            "sample_peak_mb": peak("sample"),
            "runs": args.runs,
        }
        if args.typst:
            import pymupdf
            import typst
            figures.update({
                "typst_version": getattr(typst, "__version__", "?"),
                "typst_seed_s": med("typst2"), "typst24_s": med("typst24"),
                "typst_seed_pages": pymupdf.open(tmp / "t2.pdf").page_count,
                "typst24_pages": pymupdf.open(tmp / "t24.pdf").page_count,
                "typst_seed_peak_mb": peak("typst2"), "typst24_peak_mb": peak("typst24"),
                "ratio_sample": round(med("sample") / med("typst2"), 2),
                "ratio_issue24": round(med("issue24") / med("typst24"), 2),
                "ratio_issue24_cold_layout": round(med("cold24") / med("typst24"), 2),
                "ratio_reexport24": round(med("reexport24") / med("typst24"), 2),
            })
        if args.json:
            print(json.dumps(figures))
        else:
            for k, v in figures.items():
                print(f"{k:28s} {v}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
