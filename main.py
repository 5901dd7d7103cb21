#!/usr/bin/env python3
"""Banmian (版面): lay out and edit newspaper print pages.

    python main.py                          open the editor
    python main.py open ISSUE.yaml          open an issue in the editor
    python main.py sample                   the bundled sample: the editor where there is a
                                            display, else its PDF export (front-page.pdf)
    python main.py export ISSUE.yaml -o OUT.pdf [--print|--proof] [--pages 1,2] [--force]
                                            [--allow-outside]
    python main.py export ISSUE.yaml --png --dpi 100 -o DIR
    python main.py check ISSUE.yaml [--json] [--allow-outside]
    python main.py fonts [ISSUE.yaml]
    python main.py import FILE [--into ISSUE.yaml] [--json] [--reject IDS] [--accept IDS]
    python main.py diff ISSUE.yaml --from N [--to M] [-o DIFF.pdf] [--json]
    python main.py annotations PROOF.pdf --into ISSUE.yaml [--json]
    python main.py epaper ISSUE.yaml -o SITE/

Exit codes: 0 fine, 1 problems found (check errors, refused print export),
2 bad input (a file that cannot be read or understood).
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE = HERE / "resources" / "samples" / "front-page" / "issue.yaml"

EXIT_OK, EXIT_PROBLEMS, EXIT_BAD_INPUT = 0, 1, 2


class UserError(Exception):
    """A mistake in what the user gave us: reported in one line, exit 2."""


def _cache_dir() -> str:
    from common.fs import cache_dir
    return str(cache_dir())


_LOADED: dict[str, tuple[int, int]] = {}     # issue path → (mtime_ns, size) when read


def load(path: str):
    """Read an issue; a bad file becomes a UserError naming file and line."""
    from layout.docfile import DocumentError, load_issue
    try:
        st = os.stat(path)
        _LOADED[path] = (st.st_mtime_ns, st.st_size)
    except OSError:
        pass
    import gc
    was = gc.isenabled()
    gc.disable()                # many small objects, no cycles: collections would find nothing
    try:
        return load_issue(path)
    except DocumentError as exc:
        raise UserError(str(exc)) from None
    finally:
        if was:
            gc.enable()


def fontset_for(issue, path: str | None = None):
    """The issue's font roles resolved on this machine (font file paths from its folder)."""
    from fonts import FontError, FontSet, default_library
    base = str(Path(path).resolve().parent) if path else None
    try:
        return FontSet(issue.fonts, default_library(), base_dir=base)
    except FontError as exc:
        raise UserError(f"{path}: {exc}" if path else str(exc)) from None


def compose(path: str, allow_outside: bool = False):
    """Load and compose an issue: (issue, fontset, result)."""
    from layout.compose import compose_issue
    issue = load(path)
    fontset = fontset_for(issue, path)
    result = compose_issue(issue, fontset, base_dir=str(Path(path).resolve().parent),
                           cache_dir=_cache_dir(), allow_outside=allow_outside)
    return issue, fontset, result


def source_text(path: str) -> str | None:
    """The text of the issue file as ``load`` read it (None if it changed since, or
    cannot be read): a proof round records it instead of writing the model out again."""
    try:
        st = os.stat(path)
        if _LOADED.get(path) != (st.st_mtime_ns, st.st_size):
            return None
        return Path(path).read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None


def _pages(spec: str | None, result) -> list[int] | None:
    if not spec:
        return None
    wanted = []
    have = {p.number for p in result.pages}
    for part in spec.split(","):
        try:
            if "-" in part:
                a, b = part.split("-", 1)
                a, b = int(a), int(b)
                if b - a > len(have):                 # more pages than the issue has
                    raise UserError(f"--pages {part}: the issue has {len(have)} page(s)")
                wanted.extend(range(a, b + 1))
            else:
                wanted.append(int(part))
        except ValueError:
            raise UserError(f"--pages {spec!r}: use page numbers such as 1,2 or 1-4") from None
    missing = [n for n in wanted if n not in have]
    if missing:
        raise UserError(f"--pages: the issue has no page {missing[0]} "
                        f"(pages: {', '.join(map(str, sorted(have)))})")
    return wanted


def _options(issue, mode: str, **extra):
    from output import PdfOptions
    return PdfOptions.from_issue(issue, mode, **extra)


# ---------------------------------------------------------------------- commands
def _writable(out: str, what: str) -> None:
    """Refuse an output path that cannot be written, before the work is done."""
    parent = Path(out).resolve().parent
    if Path(out).is_dir() and what == "file":
        raise UserError(f"{out}: is a folder; give a file name such as {Path(out) / 'out.pdf'}")
    if not parent.is_dir():
        raise UserError(f"{out}: the folder {parent} does not exist")


def cmd_export(args) -> int:
    t0 = time.perf_counter()
    if args.png and not 10 <= args.dpi <= 600:
        raise UserError(f"--dpi {args.dpi}: use 10 to 600")
    if args.output:
        _writable(args.output, "folder" if args.png else "file")
    # PyMuPDF (stamping a proof round, page images) imports pymupdf.layout and pymupdf4llm
    # when they are installed: numpy and onnxruntime, 2 s, for page analysis and Markdown
    # an export never does
    if "pymupdf" not in sys.modules:
        for name in ("pymupdf.layout", "pymupdf4llm"):
            sys.modules.setdefault(name, None)
    issue, fontset, result = compose(args.issue, getattr(args, "allow_outside", False))
    pages = _pages(args.pages, result)
    if pages:
        result = dataclasses.replace(result, pages=tuple(p for p in result.pages if p.number in pages))
    from output import ExportRefused, export_pdf
    # page images go to a folder named after the issue ("issue-pages/"), never "issue.png/"
    out = args.output or str(Path(args.issue).with_name(Path(args.issue).stem + "-pages")
                             if args.png else Path(args.issue).with_suffix(".pdf"))
    missing = fontset.missing()
    if missing:
        print("warning: fonts not installed (a fallback is used): " + "; ".join(
            f"role '{role}': '{name}'" for role, name in missing), file=sys.stderr)
    if args.png:
        from output.png import write_pngs
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            pdf = os.path.join(tmp, "proof.pdf")
            export_pdf(result, fontset, pdf, _options(issue, "proof", slug=False), force=True)
            try:
                os.makedirs(out, exist_ok=True)
                files = write_pngs(pdf, out, args.dpi)
            except OSError as exc:
                raise UserError(f"{out}: cannot write page images: "
                                f"{exc.strerror or exc}") from None
        print(f"wrote {len(files)} page images to {out}")
        return EXIT_OK
    mode = "print" if args.print else "proof"
    try:
        opts = _options(issue, mode, watermark=args.watermark, frame_outlines=args.outlines,
                        layers=args.layers)
        if mode == "proof" and not getattr(args, "no_round", True) and \
                Path(args.issue).resolve() != SAMPLE:               # records 校次 N
            from proofs.export import RoundNotRecorded, export_proof_round
            try:
                _d, rnd = export_proof_round(issue, result, fontset, out, args.issue, opts,
                                             getattr(args, "round", None), force=args.force,
                                             source_text=source_text(args.issue))
                print(f"recorded 校次 {rnd.number} in {rnd.path}")
            except RoundNotRecorded as exc:
                print(f"warning: {exc}", file=sys.stderr)
        else:
            export_pdf(result, fontset, out, opts, force=args.force)
    except OSError as exc:
        mine = not exc.filename or Path(exc.filename).resolve().parent == Path(out).resolve().parent
        raise UserError(f"{out}: cannot write: {exc.strerror or exc}" if mine
                        else f"{exc.filename}: {exc.strerror or exc}") from None
    except ExportRefused as exc:
        seen = set()
        for d in exc.diagnostics:
            if d.level == "error" and d.message not in seen:
                seen.add(d.message)
                where = f" [page {d.page} frame {d.frame}]" if d.frame else ""
                print(f"error: {d.message}{where}", file=sys.stderr)
        print("print export refused: fix the errors above or use --force", file=sys.stderr)
        return EXIT_PROBLEMS
    for d in result.diagnostics:
        if d.level in ("error", "warning"):
            print(f"{d.level}: {d.message}", file=sys.stderr)
    print(f"wrote {out} ({len(result.pages)} pages, {mode}) in "
          f"{time.perf_counter() - t0:.2f} s")
    return EXIT_OK


def cmd_check(args) -> int:
    issue, fontset, result = compose(args.issue, args.allow_outside)
    from output import preflight
    diags = list(result.diagnostics) + list(preflight(result, fontset, _options(issue, "print"),
                                                      issue=issue))
    errors = [d for d in diags if d.level == "error"]
    if args.json:
        from layout.chars import rules_of
        from output.preflight import midline_compressed
        squeezed = midline_compressed(result, rules_of(issue.paper))
        out = {
            "file": args.issue,
            "errors": len(errors),
            "warnings": sum(1 for d in diags if d.level == "warning"),
            "diagnostics": [{"level": d.level, "code": d.code, "message": d.message,
                             "page": d.page, "frame": d.frame, "story": d.story,
                             "offset": list(d.offset) if d.offset else None} for d in diags],
            "stories": {sid: {"lines": c.lines, "chars": c.chars,
                              "overset_lines": c.overset_lines,
                              "overset_chars": c.overset_chars,
                              "underset_lines": c.underset_lines, "label": c.label(),
                              "midline_compressed": squeezed.get(sid, 0)}
                        for sid, c in result.copyfit.items()},
            "missing_fonts": [list(x) for x in fontset.missing()],
            **_feet_report(issue, result),
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        for sid, c in result.copyfit.items():
            print(f"story {sid}: {c.lines} 行 {c.chars} 字 — {c.label()}")
        for role, name in fontset.missing():
            print(f"warning: font role '{role}': '{name}' is not installed")
        for d in diags:
            where = f" [page {d.page} frame {d.frame}]" if d.frame else ""
            print(f"{d.level}: {d.message}{where}")
        print(f"{len(errors)} errors")
    return EXIT_PROBLEMS if errors else EXIT_OK


def _feet_report(issue, result) -> dict:
    """Per text frame the lines in each column and its uneven feet; the page's total."""
    from layout.flow import column_feet, uneven_feet
    from layout.grid import PageGeometry
    pitch = PageGeometry.of(issue.paper).pitch
    frames, total = {}, 0
    for page in result.pages:
        for fr in page.frames:
            if fr.kind != "text":
                continue
            feet = column_feet(fr, pitch)
            bad = uneven_feet(feet)
            total += bad
            frames[fr.frame_id] = {"page": page.number, "story": fr.story,
                                   "columns": [n for n, _ in feet],
                                   "depths": [d for _, d in feet], "uneven_feet": bad}
    return {"uneven_feet": total, "frames": frames}


def cmd_fonts(args) -> int:
    from fonts import FontError, default_library, fonts_report
    if args.issue:
        fonts = fontset_for(load(args.issue), args.issue)
        lib = fonts.library
    else:
        from layout.model import default_fonts
        fonts, lib = default_fonts(), default_library()
    try:
        print(fonts_report(fonts, lib))
    except FontError as exc:
        raise UserError(str(exc)) from None
    return EXIT_OK


def compose_model(issue, fontset, path: str):
    """Compose a model (a recorded round) as if it were the issue at ``path``."""
    from layout.compose import compose_issue
    return compose_issue(issue, fontset, base_dir=str(Path(path).resolve().parent),
                         cache_dir=_cache_dir())


def _ctx():
    return argparse.Namespace(compose=compose, load=load, fontset_for=fontset_for,
                              compose_model=compose_model, writable=_writable,
                              UserError=UserError)


def cmd_diff(args) -> int:
    from proofs.cli import cmd_diff as run
    return run(args, _ctx())


def cmd_annotations(args) -> int:
    from proofs.cli import cmd_annotations as run
    return run(args, _ctx())


def cmd_epaper(args) -> int:
    from epaper.cli import cmd_epaper as run
    return run(args, _ctx())


def cmd_import(args) -> int:
    from importer.cli import main as import_main
    argv = [args.file] + (["--into", args.into] if args.into else []) + \
        (["--json"] if args.json else []) + \
        [f"--{k}={getattr(args, k)}" for k in ("accept", "reject") if getattr(args, k)]
    return import_main(argv)


def has_display() -> bool:
    """Whether a window can be shown."""
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        return False
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def cmd_open(args) -> int:
    if args.issue:
        load(args.issue)                    # a bad file: a clear message, not a window
    from editor.app import run_editor
    return run_editor(args.issue)


def cmd_sample(args) -> int:
    if has_display() and not args.pdf:
        return cmd_open(argparse.Namespace(issue=str(SAMPLE)))
    out = args.output or "front-page.pdf"
    print("no display: exporting the sample issue instead of opening the editor")
    return cmd_export(argparse.Namespace(issue=str(SAMPLE), output=out, pages=None, png=False,
                                         dpi=100, print=False, force=False, watermark=True,
                                         outlines=False))


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="main.py", description="Banmian (版面) newspaper layout")
    sub = ap.add_subparsers(dest="command")
    p = sub.add_parser("open", help="open an issue in the editor")
    p.add_argument("issue", nargs="?")
    p.set_defaults(func=cmd_open)
    p = sub.add_parser("sample", help="the bundled sample: editor, or PDF without a display")
    p.add_argument("-o", "--output")
    p.add_argument("--pdf", action="store_true", help="export even where there is a display")
    p.set_defaults(func=cmd_sample)
    p = sub.add_parser("export", help="write a proof or print PDF, or page images")
    p.add_argument("issue")
    p.add_argument("-o", "--output")
    p.add_argument("--pages", help="page numbers, e.g. 1,2 or 1-4")
    kind = p.add_mutually_exclusive_group()
    kind.add_argument("--proof", action="store_true", help="proof PDF for editors (default)")
    kind.add_argument("--print", action="store_true", help="print-ready CMYK PDF/X")
    kind.add_argument("--png", action="store_true", help="one PNG per page into -o DIR")
    p.add_argument("--dpi", type=int, default=100)
    p.add_argument("--force", action="store_true", help="print export despite errors")
    p.add_argument("--watermark", action="store_true", help="校样 watermark on proofs")
    p.add_argument("--outlines", action="store_true", help="frame outlines on proofs")
    p.add_argument("--layers", choices=("printing", "visible", "all"), default="printing",
                   help="layers a proof draws: printing (default), visible (non-printing "
                        "too), all (hidden too); print files draw the printing layers")
    p.add_argument("--allow-outside", action="store_true",
                   help="use images outside the issue's folder (absolute or ../ paths)")
    p.add_argument("--round", type=int, help="record this proof as 校次 N (default: the next)")
    p.add_argument("--no-round", action="store_true", help="do not record a proof round")
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("check", help="preflight: overset, fonts, glyphs, images")
    p.add_argument("issue")
    p.add_argument("--json", action="store_true")
    p.add_argument("--allow-outside", action="store_true",
                   help="use images outside the issue's folder (absolute or ../ paths)")
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("fonts", help="font roles, files and coverage")
    p.add_argument("issue", nargs="?")
    p.set_defaults(func=cmd_fonts)
    p = sub.add_parser("diff", help="what changed between two proof rounds (校次)")
    p.add_argument("issue")
    p.add_argument("--from", dest="from_round", type=int, required=True, metavar="N")
    p.add_argument("--to", dest="to_round", type=int, metavar="M", help="default: the issue now")
    p.add_argument("-o", "--output", help="the newer proof with the changes marked (PDF)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_diff)
    p = sub.add_parser("annotations", help="corrections marked on a proof PDF, as a list")
    p.add_argument("proof")
    p.add_argument("--into", required=True, metavar="ISSUE")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_annotations)
    p = sub.add_parser("epaper", help="the e-paper (数字报): a static site of the issue")
    p.add_argument("issue")
    p.add_argument("-o", "--output", required=True, metavar="SITE")
    p.add_argument("--dpi", type=int, default=72, help="page image resolution (and twice it)")
    p.set_defaults(func=cmd_epaper)
    p = sub.add_parser("import", help="import stories from text, Markdown or Word")
    p.add_argument("file")
    p.add_argument("--into")
    p.add_argument("--json", action="store_true")
    p.add_argument("--reject", default="", help="undo repairs: ids or kinds, comma-separated")
    p.add_argument("--accept", default="", help="take proposed repairs: ids or kinds")
    p.set_defaults(func=cmd_import)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if not getattr(args, "command", None):
        args = argparse.Namespace(issue=None, func=cmd_open)
    try:
        return args.func(args)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except MemoryError:
        print(f"error: {getattr(args, 'issue', None) or 'input'}: out of memory "
              "(an image or a story too large?)", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:              # a bug met on some input: one line, not a traceback
        if os.environ.get("BANMIAN_DEBUG"):
            raise
        what = getattr(args, "issue", None) or getattr(args, "file", None) or "input"
        text = " ".join(str(exc).split())[:300]
        print(f"error: {what}: internal error {type(exc).__name__}: {text} "
              "(please report it; BANMIAN_DEBUG=1 shows the details)", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
