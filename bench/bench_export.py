#!/usr/bin/env python3
"""Export benchmark (prints figures; asserts nothing): whole-process time and peak memory.

* the two-page sample, proof and print, font caches warm;
* a 24-page issue built from the sample's stories (the sample's pages repeated,
  every story and frame renamed, threads and jump lines intact).

Each figure is the median of several runs of ``python main.py export`` in a
fresh process, measured with /usr/bin/time when present (peak resident memory).

Usage: .venv/bin/python bench/bench_export.py [--runs N]
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from layout.docfile import save_issue
from support.bigissue import big_issue
from support.paths import MAIN, SAMPLE


def run(issue: Path, out: Path, mode: str) -> tuple[float, float]:
    """(seconds, peak MB) of one export process."""
    cmd = [sys.executable, str(MAIN), "export", str(issue), "-o", str(out)]
    if mode == "print":
        cmd += ["--print", "--force"]
    timer = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    t = time.perf_counter()
    if timer:
        proc = subprocess.run([timer, "-f", "%M", *cmd], capture_output=True, text=True)
        took = time.perf_counter() - t
        peak = float(proc.stderr.strip().splitlines()[-1]) / 1024
    else:
        proc = subprocess.run(cmd, capture_output=True, text=True)
        took, peak = time.perf_counter() - t, float("nan")
    if proc.returncode != 0:
        raise SystemExit(f"export failed: {proc.stderr[-500:]}")
    return took, peak


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    big = tmp / "issue24.yaml"
    shutil.copy(SAMPLE.parent / "photo.jpg", tmp / "photo.jpg")
    save_issue(big_issue(24), big)
    run(SAMPLE, tmp / "warm.pdf", "proof")                # warm the caches
    for label, issue in (("sample (2 pages)", SAMPLE), ("24 pages", big)):
        for mode in ("proof", "print"):
            results = [run(issue, tmp / f"out-{mode}.pdf", mode) for _ in range(args.runs)]
            secs = statistics.median(r[0] for r in results)
            peak = max(r[1] for r in results)
            print(f"{label:17s} {mode:5s}: median {secs:6.2f} s   peak {peak:6.0f} MB   "
                  f"({args.runs} runs)")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
