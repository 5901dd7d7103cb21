"""Time write_pdf: two full pages (~20,000 characters) as proof and print, cold and warm.

    python bench/bench_pdf.py            # synthetic pages, an installed TrueType CJK font
    python bench/bench_pdf.py --sample   # also the sample issue through the real pipeline
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from output import ExportCache, PdfOptions, write_pdf
from support.paths import SAMPLE
from support.standin import CJK_FONTS, StandInFace, StandInFontSet, big_result


def timed(fn, repeat: int = 5) -> tuple[float, float]:
    """(first, best of the rest) wall times of fn() in seconds."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return times[0], min(times[1:])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sample", action="store_true", help="also export the sample issue")
    args = ap.parse_args()
    font = next((p for p in CJK_FONTS if Path(p).exists()), None)
    if not font:
        print("no TrueType CJK font installed (fonts-lxgw-wenkai)")
        return 1
    face = StandInFace("BenchKai", font)
    fs = StandInFontSet([face])
    res = big_result(face)
    n = sum(len(r.text) for p in res.pages for r in p.runs())
    with tempfile.TemporaryDirectory() as tmp:
        for mode in ("proof", "print"):
            cache = ExportCache()
            out = str(Path(tmp) / f"{mode}.pdf")
            first, best = timed(lambda: write_pdf(res, fs, out, PdfOptions(mode=mode),
                                                  cache=cache))
            size = Path(out).stat().st_size
            print(f"{mode:5}  {len(res.pages)} pages, {n} chars: first {first * 1000:.0f} ms, "
                  f"warm {best * 1000:.0f} ms, {size / 1024:.0f} KiB")
        if args.sample:
            from common.fs import cache_dir
            from fonts import FontSet, default_library
            from layout.compose import compose_issue
            from layout.docfile import load_issue
            issue = load_issue(SAMPLE)
            fontset = FontSet(issue.fonts, default_library())
            result = compose_issue(issue, fontset, base_dir=str(SAMPLE.parent),
                                   cache_dir=str(cache_dir()))
            n = sum(len(r.text) for p in result.pages for r in p.runs())
            for mode in ("proof", "print"):
                cache = ExportCache()
                out = str(Path(tmp) / f"sample-{mode}.pdf")
                opt = PdfOptions.from_issue(issue, mode)
                first, best = timed(lambda: write_pdf(result, fontset, out, opt, cache=cache))
                print(f"sample {mode:5} {len(result.pages)} pages, {n} chars, photo: "
                      f"first {first * 1000:.0f} ms, warm {best * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
