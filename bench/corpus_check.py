#!/usr/bin/env python3
"""Set other real news texts with the sample's styles and judge them with cjkcheck.

The figures the typesetting issue asks for must hold on any real text, not
only the sample.  This script imports every text file of a folder (the
importer's Markdown form: ``## `` headline, blank-line paragraphs), lays each
story out on a broadsheet page in modules of different widths (3 basic
columns, 2 columns, and 5 columns re-divided as 3 — 五破三), exports one PDF
and prints cjkcheck's summary for it.  The texts are not part of this
repository: keep them in a folder of your own.

Usage: .venv/bin/python bench/corpus_check.py DIR [-o OUT.pdf]
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
from pathlib import Path

from fonts import FontSet, default_library
from importer import import_file
from layout import model as m
from layout.compose import Composer
from layout.docfile import load_issue
from output import PdfOptions, write_pdf
from support.paths import ROOT, SAMPLE

CJKCHECK = ROOT.parent / "shared" / "tools" / "cjkcheck" / "cjkcheck.py"

#: module layouts: (columns of the frame, text columns (0 = one per basic column))
MODULES = [(3, 0), (4, 0), (5, 3), (6, 0)]


def build_issue(stories: list[m.Story]) -> m.Issue:
    """One page per story, with the sample's paper, fonts and styles."""
    base = load_issue(SAMPLE)
    issue = m.Issue(info=base.info, paper=base.paper, fonts=base.fonts, colors=base.colors,
                    paragraph_styles=base.paragraph_styles, char_styles=base.char_styles)
    for n, story in enumerate(stories, start=1):
        cols, text_cols = MODULES[(n - 1) % len(MODULES)]
        sid = f"s{n:02d}"
        story.id, story.thread = sid, [f"t{n}"]
        issue.stories[sid] = story
        issue.pages.append(m.Page(n, frames=[
            m.HeadlineFrame(f"h{n}", col=0, line=0, cols=8, lines=8, story=sid,
                            title_style="title-3"),
            m.TextFrame(f"t{n}", col=0, line=8, cols=cols, lines=100, columns=text_cols)]))
    return issue


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder")
    ap.add_argument("-o", "--output")
    args = ap.parse_args()
    files = sorted(Path(args.folder).glob("*.txt"))
    if not files:
        print(f"no .txt files in {args.folder}")
        return 2
    stories = []
    for f in files:
        res = import_file(str(f))
        stories.extend(res.stories)
    issue = build_issue(stories)
    fontset = FontSet(issue.fonts, default_library())
    result = Composer(issue, fontset, base_dir=str(SAMPLE.parent)).compose()
    over = {sid: c.label() for sid, c in result.copyfit.items() if c.overset_lines}
    out = args.output or str(Path(tempfile.mkdtemp()) / "corpus.pdf")
    write_pdf(result, fontset, out, PdfOptions.from_issue(issue, "proof", slug=False))
    src = Path(tempfile.mkdtemp()) / "source.txt"
    src.write_text("\n\n".join(f.read_text("utf-8") for f in files), "utf-8")
    spec = importlib.util.spec_from_file_location("cjkcheck", CJKCHECK)
    cjk = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cjk)
    import contextlib
    import io
    with contextlib.redirect_stdout(io.StringIO()):
        rep = cjk.main([out, "--source", str(src), "--json", "--no-ink"])
    print(f"{len(files)} texts, {sum(len(p.text) for s in stories for p in s.paragraphs)} "
          f"characters, {len(issue.pages)} pages → {out}")
    if over:
        print("overset (frames too short for the text):", over)
    print(json.dumps(rep["summary"], ensure_ascii=False, indent=1))
    print("fidelity paragraph coverage mean:", rep["fidelity"]["paragraph_coverage_mean"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
