#!/usr/bin/env python3
"""Layout benchmark (prints figures; asserts nothing).

* composing the whole sample issue from scratch (a new Composer each run, fonts loaded);
* re-composing after a one-character edit in the lead story (the same Composer);
* a one-character edit in a threaded story whose change stays inside its first
  frame: how many frames are filled again (later frames must be reused);
* characters per second.

Usage: .venv/bin/python bench/bench_layout.py [ISSUE.yaml] [--runs N]
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from common.fs import cache_dir
from fonts import FontSet, default_library
from layout.compose import Composer
from layout.docfile import load_issue
from layout.headline import Segmenter
from support.paths import SAMPLE


def ms(values):
    """Median and p95 in milliseconds."""
    v = sorted(values)
    return statistics.median(v) * 1000, v[min(len(v) - 1, int(round(0.95 * (len(v) - 1))))] * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("issue", nargs="?", default=str(SAMPLE))
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    issue = load_issue(args.issue)
    base = str(Path(args.issue).resolve().parent)
    t = time.perf_counter()
    fontset = FontSet(issue.fonts, default_library())
    for role in issue.fonts:
        fontset.faces(role)
    font_ms = (time.perf_counter() - t) * 1000
    seg = Segmenter(cache_dir("segments.json"))
    chars = sum(len(p.text) for s in issue.stories.values() for p in s.paragraphs)

    scratch = []
    for _ in range(args.runs):
        t = time.perf_counter()
        Composer(issue, fontset, base_dir=base, segmenter=seg).compose()
        scratch.append(time.perf_counter() - t)
    med, p95 = ms(scratch)
    print(f"sample: {len(issue.pages)} pages, {len(issue.stories)} stories, {chars} characters")
    print(f"fonts loaded (warm cache):            {font_ms:8.1f} ms")
    print(f"compose from scratch:   median {med:8.1f} ms   p95 {p95:8.1f} ms   "
          f"{chars / (med / 1000):,.0f} chars/s")

    comp = Composer(issue, fontset, base_dir=base, segmenter=seg)
    comp.compose()
    lead = max(issue.stories.values(), key=lambda s: len(s.thread))
    para = lead.paragraphs[0]
    edits = []
    for i in range(args.runs * 4):
        run = para.runs[0]
        run.text = run.text[:10] + ("字" if i % 2 == 0 else "") + run.text[10 + (i % 2):]
        t = time.perf_counter()
        comp.compose()
        edits.append(time.perf_counter() - t)
    med, p95 = ms(edits)
    print(f"one-character edit in the lead story '{lead.id}' (threaded through "
          f"{len(lead.thread)} frames): median {med:6.2f} ms   p95 {p95:6.2f} ms")
    before = dict(comp.stats)
    run = para.runs[0]
    run.text = run.text[:10] + ("词" if run.text[10] != "词" else "字") + run.text[11:]
    comp.compose()
    filled = comp.stats["frames_filled"] - before["frames_filled"]
    reused = comp.stats["frames_reused"] - before["frames_reused"]
    print(f"frames re-filled after replacing one character of its first paragraph: {filled} (of {sum(len(s.thread) for s in issue.stories.values())} "
          f"text frames; {reused} reused)")


if __name__ == "__main__":
    main()
