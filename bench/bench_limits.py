#!/usr/bin/env python3
"""Limits (prints figures; asserts nothing): how long a story and how big an issue stay usable.

* story length: compose time of a story of 10k … 200k characters (real fonts) in the
  sample's lead frames — in paragraphs of ~300 characters and as one paragraph — and
  of a one-character edit in it (the same Composer, as the editor keeps it), in the
  first paragraph (everything after it moves) and in the last one;
* issue size: an issue of 8 … 96 pages built from the sample's pages and stories
  (each copy's text rotated, so no cache serves one copy from another): save, load,
  compose and proof-export times (compose as the command line does it, in as many
  processes as ``common.forked.default_workers()`` gives, and in this one process alone),
  compose times with the persistent layout cache
  (an unchanged issue; after a one-paragraph edit); the resident memory once fonts and the word
  segmenter are loaded (base) and its peak while composing and exporting (each size
  runs in a fresh process so the peaks do not mix).

Usage: .venv/bin/python bench/bench_limits.py [--stories 10000,50000] [--pages 8,24] [--quick]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common.fs import cache_dir
from layout import model as m
from support.bigissue import big_issue, sample_issue
from support.paths import SAMPLE

HAN = None


def _han_text(n: int, seed: int = 1) -> str:
    """n characters drawn from the sample's own text (Han and punctuation)."""
    global HAN
    if HAN is None:
        iss = sample_issue()
        HAN = "".join(p.text for s in iss.stories.values() for p in s.paragraphs)
    rng = random.Random(seed)
    start = rng.randrange(len(HAN))
    out = []
    while sum(map(len, out)) < n:
        out.append(HAN[start:start + n])
        start = 0
    return "".join(out)[:n]


def _fontset(issue):
    from fonts import FontSet, default_library
    fs = FontSet(issue.fonts, default_library())
    for role in issue.fonts:
        fs.faces(role)
    return fs


def _segmenter():
    from layout.headline import Segmenter
    return Segmenter(cache_dir("segments.json"))


def story_limits(sizes: list[int]) -> None:
    from layout.compose import Composer
    base = sample_issue()
    fontset = _fontset(base)
    seg = _segmenter()
    Composer(base, fontset, base_dir=str(SAMPLE.parent), segmenter=seg).compose()   # warm up
    print("story length (lead story of the sample, real fonts; times in ms)")
    print(f"{'chars':>8} {'shape':>13} {'compose':>9} {'edit first':>11} {'edit last':>10} "
          f"{'overset lines':>14}")
    for n in sizes:
        for shape in ("paragraphs", "one paragraph"):
            issue = sample_issue()
            text = _han_text(n)
            if shape == "paragraphs":
                paras = [text[i:i + 300] for i in range(0, len(text), 300)]
            else:
                paras = [text]
            issue.stories["lead"].paragraphs = [m.Paragraph("body", [m.Run(t)]) for t in paras]
            comp = Composer(issue, fontset, base_dir=str(SAMPLE.parent), segmenter=seg)
            t = time.perf_counter()
            res = comp.compose()
            full = time.perf_counter() - t
            story = issue.stories["lead"]
            edits = []
            for which in (0, -1):
                run = story.paragraphs[which].runs[0]
                mid = len(run.text) // 2
                run.text = run.text[:mid] + "改" + run.text[mid:]
                t = time.perf_counter()
                comp.compose()
                edits.append(time.perf_counter() - t)
            print(f"{n:>8} {shape:>13} {full * 1000:>9.0f} {edits[0] * 1000:>11.1f} "
                  f"{edits[1] * 1000:>10.1f} {res.copyfit['lead'].overset_lines:>14}")


def one_issue(pages: int) -> dict:
    """Build, save, load, compose and export one issue of ``pages`` pages (in this process)."""
    from layout.compose import Composer
    from layout.docfile import load_issue, save_issue
    from output import PdfOptions, export_pdf
    from common.forked import default_workers
    out: dict = {"pages": pages, "workers": default_workers()}
    issue = big_issue(pages, vary=True)
    out["chars"] = sum(len(p.text) for s in issue.stories.values() for p in s.paragraphs)
    out["frames"] = sum(len(p.frames) for p in issue.pages)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "issue.yaml"
        (Path(tmp) / "photo.jpg").write_bytes((SAMPLE.parent / "photo.jpg").read_bytes())
        t = time.perf_counter()
        save_issue(issue, path)
        out["save_s"] = time.perf_counter() - t
        out["yaml_kb"] = path.stat().st_size / 1024
        t = time.perf_counter()
        issue = load_issue(path)
        out["load_s"] = time.perf_counter() - t
        fontset = _fontset(issue)
        seg = _segmenter()
        seg.boundaries("预热分词词典" + str(time.time()))       # load jieba outside the timing
        # hyphenation points from the cache file the command line keeps (pyphen's
        # dictionary, 70 ms to load, is opened only for a word the cache lacks)
        from layout.compose import default_hyphenator
        hyph = default_hyphenator(cache_file=cache_dir("hyphenation-en_US.json"))
        out["base_mb"] = _rss("VmRSS")
        try:                                   # reset the peak: measure compose + export only
            Path("/proc/self/clear_refs").write_text("5")
        except OSError:
            pass
        t = time.perf_counter()
        res = Composer(issue, fontset, base_dir=tmp, segmenter=seg, hyphenator=hyph,
                       workers=out["workers"]).compose()
        out["compose_s"] = time.perf_counter() - t
        hyph.save()
        t = time.perf_counter()
        export_pdf(res, fontset, str(Path(tmp) / "out.pdf"), PdfOptions(mode="proof"), force=True)
        out["export_s"] = time.perf_counter() - t
        out["pdf_mb"] = (Path(tmp) / "out.pdf").stat().st_size / 2**20
        peak = _rss("VmHWM")                   # compose + export, before the cache runs below
        t = time.perf_counter()                # the same compose in one process
        Composer(issue, fontset, base_dir=tmp, segmenter=seg, hyphenator=hyph).compose()
        out["compose_one_s"] = time.perf_counter() - t
        # the persistent layout cache (as the CLI uses it): filled once, then read by a new
        # Composer (an unchanged issue), then after a one-paragraph edit
        import copy

        from layout.diskcache import LayoutDiskCache
        folder = Path(tmp) / "layout-cache"
        Composer(issue, fontset, base_dir=tmp, segmenter=seg, hyphenator=hyph,
                 disk=LayoutDiskCache(folder)).compose()
        t = time.perf_counter()
        Composer(issue, fontset, base_dir=tmp, segmenter=seg, hyphenator=hyph,
                 disk=LayoutDiskCache(folder)).compose()
        out["compose_cached_s"] = time.perf_counter() - t
        edited = copy.deepcopy(issue)
        story = list(edited.stories.values())[len(edited.stories) // 2]
        story.paragraphs[-1].runs[-1].text += "（补充一句。）"
        t = time.perf_counter()
        Composer(edited, fontset, base_dir=tmp, segmenter=seg, hyphenator=hyph,
                 disk=LayoutDiskCache(folder)).compose()
        out["compose_edit_s"] = time.perf_counter() - t
    out["peak_mb"] = peak or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def _rss(field: str) -> float:
    """A memory figure of this process in MB from /proc (0 where there is none)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def issue_limits(sizes: list[int]) -> None:
    print("issue size (the sample's two pages repeated; real fonts; proof PDF)")
    print(f"{'pages':>6} {'frames':>7} {'chars':>9} {'YAML KB':>8} {'save s':>7} {'load s':>7} "
          f"{'compose s':>10} {'1 proc s':>9} {'cached s':>9} {'edit s':>7} {'export s':>9} "
          f"{'PDF MB':>7} {'base MB':>8} {'peak MB':>8}")
    for n in sizes:
        proc = subprocess.run([sys.executable, __file__, "--one", str(n)], capture_output=True,
                              text=True, timeout=3600)
        if proc.returncode:
            print(f"{n:>6} failed: {proc.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        print(f"{r['pages']:>6} {r['frames']:>7} {r['chars']:>9,} {r['yaml_kb']:>8.0f} "
              f"{r['save_s']:>7.2f} {r['load_s']:>7.2f} {r['compose_s']:>10.2f} "
              f"{r['compose_one_s']:>9.2f} {r['compose_cached_s']:>9.2f} {r['compose_edit_s']:>7.2f} "
              f"{r['export_s']:>9.2f} {r['pdf_mb']:>7.1f} {r['base_mb']:>8.0f} "
              f"{r['peak_mb']:>8.0f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stories", default="10000,50000,100000,200000")
    ap.add_argument("--pages", default="8,24,48,96")
    ap.add_argument("--quick", action="store_true", help="10k/50k characters, 8/24 pages")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one_issue(args.one)))
        return 0
    if args.quick:
        args.stories, args.pages = "10000,50000", "8,24"
    from common.forked import default_workers
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
          f"{default_workers()} compose processes")
    if args.stories:
        story_limits([int(x) for x in args.stories.split(",")])
        print()
    if args.pages:
        issue_limits([int(x) for x in args.pages.split(",")])
    return 0


if __name__ == "__main__":
    sys.exit(main())
