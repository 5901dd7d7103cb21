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
    python main.py store init FOLDER | postgresql://USER@HOST/DB[#ISSUE]
    python main.py store push ISSUE URL [--replace]
    python main.py store pull URL -o DIR | -o FILE.yaml
    python main.py store who URL [--json]

Wherever ISSUE.yaml is taken, an issue folder or postgresql://USER@HOST/DB#ISSUE is
taken too (README: "Issue stores").

Exit codes: 0 fine, 1 problems found (check errors, refused print export),
2 bad input (a file that cannot be read or understood).
"""
from __future__ import annotations

import json
import os
import sys
import time

from common.argv import Options, read as read_argv
from common.lazymodule import defer, extension_exists

# modules a start imports only to hold them for later, whose code (5–6 ms in all) runs
# should anything use them: inspect (with dis, tokenize, linecache …), which dataclasses
# imports only to write the signature of a class without a docstring into its __doc__
# (ours have their own); ipaddress, which urllib.parse (pathlib's) uses for a bracketed
# host; textwrap, which ReportLab's rl_safe_eval uses to rewrite a class statement;
# tempfile (with shutil and random), which output.png imports for page images only; bz2
# and lzma, which shutil imports only to know that they are there (so where they are)
for _name in ("inspect", "ipaddress", "textwrap", "tempfile"):
    defer(_name)
for _name in ("bz2", "lzma"):
    if extension_exists("_" + _name):
        defer(_name)

from pathlib import Path  # noqa: E402  (after the modules deferred above)

HERE = Path(__file__).resolve().parent
SAMPLE = HERE / "resources" / "samples" / "front-page" / "issue.yaml"

EXIT_OK, EXIT_PROBLEMS, EXIT_BAD_INPUT = 0, 1, 2


class UserError(Exception):
    """A mistake in what the user gave us: reported in one line, exit 2."""


def _cache_dir() -> str:
    from common.fs import cache_dir
    return str(cache_dir())


_LOADED: dict[str, tuple[int, int]] = {}     # issue path → (mtime_ns, size) when read


class _FileAddress:
    """An issue file's address, told without importing the store package (15 ms of an
    export): ``store.parse_address`` gives the same kind and text for an existing file."""
    kind = "file"
    issue = ""

    def __init__(self, target: str):
        self.target = target

    def __str__(self) -> str:
        return self.target


def _plain_file(text) -> bool:
    """An existing regular file that is no database URL (parse_address: kind "file")."""
    s = os.fspath(text)
    return not s.lower().startswith(("postgresql://", "postgres://")) and \
        not s.endswith(("/", os.sep)) and os.path.isfile(s)


def _address(text: str):
    """What the user typed (a file, an issue folder, a database URL); UserError if neither."""
    if _plain_file(text):
        return _FileAddress(os.fspath(text))
    from store import parse_address
    from store.base import StoreError
    try:
        return parse_address(text)
    except StoreError as exc:
        raise UserError(str(exc)) from None


def shown(text: str) -> str:
    """An address as messages show it (never with a password)."""
    try:
        if _plain_file(text):
            return os.fspath(text)
        from store import parse_address
        return str(parse_address(text))
    except Exception:
        return text


def open_issue_store(text: str, *, read_only: bool = True, create: bool = False):
    """The store at an address (a folder or a database); UserError in one line."""
    from store import open_store
    from store.base import StoreError
    a = _address(text)
    if a.kind == "file":
        raise UserError(f"{a}: a single issue file, not a store (use an issue folder or "
                        f"postgresql://USER@HOST/DB#ISSUE; 'store push' copies a file into one)")
    try:
        return open_store(a, read_only=read_only, create=create)
    except StoreError as exc:
        msg = " ".join(str(exc).split())
        if a.kind == "postgresql":                   # never the password, always the address
            msg = msg.replace(a.target, str(a).rsplit("#", 1)[0])
            if str(a) not in msg:
                msg = f"{a}: {msg}"
        raise UserError(msg) from None
    except ImportError as exc:
        raise UserError(f"{a}: the PostgreSQL store is not available here ({exc}; install "
                        f"psycopg: pip install 'psycopg[binary]')") from None
    except OSError as exc:
        raise UserError(f"{a}: {exc.strerror or exc}") from None
    except Exception as exc:              # a driver's error: refused connection, no database
        raise UserError(f"{a}: cannot open: {' '.join(str(exc).split())[:300]}") from None


def load_from_store(path: str, *, read_only: bool = True):
    """(issue, session, problems) of an issue in a store: the units that do not read are
    left out (problems: one DocumentError each, naming the unit's file or name and line)."""
    from layout.docfile import DocumentError
    from store.base import StoreError
    from store.session import IssueSession
    st = open_issue_store(path, read_only=read_only)
    session = IssueSession(st)
    try:
        issue = session.open()
    except DocumentError as exc:
        st.close()
        raise UserError(str(exc)) from None
    except StoreError as exc:
        st.close()
        raise UserError(str(exc)) from None
    return issue, session, list(session.problems)


#: units left out when an issue was read from a store, by address (``check`` counts them)
LEFT_OUT: dict[str, list] = {}


def load(path: str):
    """Read an issue (a file, or an issue folder / database, read-only); a bad file becomes
    a UserError naming file and line.  Units of a store that do not read are left out, each
    named in a warning on stderr."""
    if _address(path).kind != "file":
        issue, session, problems = load_from_store(path)
        session.close()
        LEFT_OUT[path] = problems
        for p in problems:
            print(f"warning: {p} (left out)", file=sys.stderr)
        return issue
    try:
        st = os.stat(path)
        _LOADED[path] = (st.st_mtime_ns, st.st_size)
    except OSError:
        pass
    from layout.diskcache import load_issue_cached
    from layout.gcpause import gc_paused
    try:
        with gc_paused():       # many small objects, no cycles: collections would find nothing
            return load_issue_cached(path, _cache_dir())
    except Exception as exc:
        # a DocumentError comes from the loader, imported by then (a model read from the
        # cache imports neither it nor the YAML library)
        docfile = sys.modules.get("layout.docfile")
        if docfile is not None and isinstance(exc, docfile.DocumentError):
            raise UserError(str(exc)) from None
        raise


def base_dir(path: str) -> str:
    """The folder relative image, font and dictionary paths of an issue start from: a file's
    folder; an issue folder itself; for a database, the current directory."""
    a = _address(path)
    if a.kind == "file":
        return str(Path(path).resolve().parent)
    if a.kind == "folder":
        return str(Path(a.target).resolve())
    return os.getcwd()


def out_stem(path: str) -> str:
    """Where outputs go by default, without their suffix: beside the issue file
    (``issue`` of ``issue.yaml``), beside an issue folder (``FOLDER`` → ``FOLDER.pdf``), or
    in the current directory named after a database's issue."""
    a = _address(path)
    if a.kind == "file":
        return str(Path(path).with_suffix(""))
    if a.kind == "folder":
        return str(Path(a.target))
    from store.folder import encode_name
    return str(Path.cwd() / encode_name(a.issue))


def rounds_path(path: str) -> str:
    """The path ``proofs.rounds.RoundStore`` keys an issue's 校次 by: the file itself; for an
    issue folder, inside its ``.banmian/rounds/`` (shared with every desk on the folder); for
    a database, ``./.banmian/rounds/ISSUE/`` of the current directory."""
    a = _address(path)
    if a.kind == "file":
        return path
    if a.kind == "folder":
        folder = Path(a.target).resolve()
        return str(folder / (folder.name or "issue"))
    return out_stem(path)


def fontset_for(issue, path: str | None = None):
    """The issue's font roles resolved on this machine (font file paths from its folder)."""
    from fonts import FontError, FontSet, default_library
    base = base_dir(path) if path else None
    try:
        return FontSet(issue.fonts, default_library(), base_dir=base)
    except FontError as exc:
        raise UserError(f"{shown(path)}: {exc}" if path else str(exc)) from None


def compose(path: str, allow_outside: bool = False):
    """Load and compose an issue: (issue, fontset, result).  An issue composed before
    comes from the layout cache without starting the engine."""
    from common.forked import default_workers
    from layout.diskcache import compose_cached
    issue = load(path)
    fontset = fontset_for(issue, path)
    result = compose_cached(issue, fontset, _cache_dir(), base_dir(path), allow_outside,
                            just_loaded=_address(path).kind == "file",
                            workers=default_workers())
    return issue, fontset, result


def source_text(path: str) -> str | None:
    """The text of the issue file as ``load`` read it (None if it changed since, or
    cannot be read): a proof round records it instead of writing the model out again."""
    try:
        st = os.stat(path)
        if _LOADED.get(path) != (st.st_mtime_ns, st.st_size):
            return None
        from layout.diskcache import text_read
        got = text_read(path)       # the text as read, its digest (not read nor hashed again)
        if got is not None:
            from proofs.rounds import known_digest
            known_digest(*got)
            return got[0]
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
    # an export is one short process whose objects (the model, the result, the PDF's)
    # live to its end and make almost no cycles: the collector's passes over them, once
    # the engine or the cache has made them, would find nothing
    from layout.gcpause import gc_paused
    with gc_paused():
        code = _export(args)
        if getattr(args, "process_ends", False):
            # the collector, turned on again, would walk every object once more (5 ms
            # for the sample, 17 ms for 24 pages) just before the process ends: frozen,
            # they are out of its reach
            from layout import gcpause
            gcpause.freeze()
            import atexit
            atexit.register(_end_process, code)
        return code


def _end_process(code: int) -> None:
    """An export's process, at its end (an exit handler, registered when the export is
    done: the exit handlers registered after it, if any, ran before it): its output
    flushed, it ends without the interpreter's teardown, which would free every object
    and module one by one (3 ms of a 24-page export) and do nothing else an export needs
    (it registers no other exit handler; its files are written and closed).  Where the
    output cannot be flushed, or an uncaught error ends the process, it ends as usual."""
    if getattr(sys, "last_value", None) is not None:
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        return
    os._exit(code)


def _export(args) -> int:
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
    if LEFT_OUT.get(args.issue) and args.print and not args.force:
        print("print export refused: units of the issue do not read (above); fix them or "
              "use --force", file=sys.stderr)
        return EXIT_PROBLEMS
    pages = _pages(args.pages, result)
    if pages:
        import dataclasses
        result = dataclasses.replace(result, pages=tuple(p for p in result.pages if p.number in pages))
    from output import ExportRefused, export_pdf
    # page images go to a folder named after the issue ("issue-pages/"), never "issue.png/"
    out = args.output or out_stem(args.issue) + ("-pages" if args.png else ".pdf")
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
                _d, rnd = export_proof_round(issue, result, fontset, out,
                                             rounds_path(args.issue), opts,
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
    left_out = LEFT_OUT.get(args.issue, [])        # units of a store that did not read
    if args.json:
        from layout.chars import rules_of
        from output.preflight import loose_lines, midline_compressed
        squeezed = midline_compressed(result, rules_of(issue.paper))
        loose = loose_lines(result, rules_of(issue.paper))
        out = {
            "file": shown(args.issue),
            "errors": len(errors) + len(left_out),
            "left_out": [str(p) for p in left_out],
            "warnings": sum(1 for d in diags if d.level == "warning"),
            "diagnostics": [{"level": d.level, "code": d.code, "message": d.message,
                             "page": d.page, "frame": d.frame, "story": d.story,
                             "offset": list(d.offset) if d.offset else None} for d in diags],
            "stories": {sid: {"lines": c.lines, "chars": c.chars,
                              "overset_lines": c.overset_lines,
                              "overset_chars": c.overset_chars,
                              "underset_lines": c.underset_lines, "label": c.label(),
                              "midline_compressed": squeezed.get(sid, 0),
                              "loose_lines": [{"page": pg, "frame": fid, "gap_em": gap}
                                              for pg, fid, gap in loose.get(sid, [])]}
                        for sid, c in result.copyfit.items()},
            "missing_fonts": [list(x) for x in fontset.missing()],
            **_feet_report(issue, result),
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        from layout.chars import rules_of
        from output.preflight import loose_lines
        rules = rules_of(issue.paper)
        loose = loose_lines(result, rules)
        for sid, c in result.copyfit.items():
            print(f"story {sid}: {c.lines} 行 {c.chars} 字 — {c.label()}")
            for pg, fid, gap in loose.get(sid, []):
                print(f"  warning: a line of frame {fid} on page {pg} is spaced {gap:.2f} em between "
                      f"Han characters (the paper allows {rules.max_gap:g}): no setting "
                      "within the limits exists, edit the copy")
        for role, name in fontset.missing():
            print(f"warning: font role '{role}': '{name}' is not installed")
        for d in diags:
            where = f" [page {d.page} frame {d.frame}]" if d.frame else ""
            print(f"{d.level}: {d.message}{where}")
        for p in left_out:
            print(f"error: {p} (this unit was left out)")
        print(f"{len(errors) + len(left_out)} errors")
    return EXIT_PROBLEMS if errors or left_out else EXIT_OK


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
    from common.forked import default_workers
    from layout.compose import compose_issue
    return compose_issue(issue, fontset, base_dir=base_dir(path),
                         cache_dir=_cache_dir(), workers=default_workers())


def _ctx():
    import argparse
    return argparse.Namespace(compose=compose, load=load, fontset_for=fontset_for,
                              compose_model=compose_model, writable=_writable,
                              UserError=UserError, base_dir=base_dir, rounds_path=rounds_path)


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
    if args.into and _address(args.into).kind != "file":
        return _import_into_store(args)
    from importer.cli import main as import_main
    argv = [args.file] + (["--into", args.into] if args.into else []) + \
        (["--json"] if args.json else []) + \
        [f"--{k}={getattr(args, k)}" for k in ("accept", "reject") if getattr(args, k)]
    return import_main(argv)


def _import_into_store(args) -> int:
    """``import FILE --into FOLDER|postgresql://…``: the new stories committed as new units
    (and the settings, when styles were added); Word images go to ``images/`` of the issue
    folder (for a database: of the current directory)."""
    from importer.api import import_file
    from importer.cli import _add_to_issue, _choose, format_report
    from importer.errors import ImportFailure
    from store.base import CommitRefused, StoreError
    issue, session, problems = load_from_store(args.into, read_only=False)
    try:
        for p in problems:
            print(f"warning: {p} (left out; not changed)", file=sys.stderr)
        try:
            result = import_file(args.file, issue_path=Path(base_dir(args.into)) / "issue.yaml",
                                 existing_ids=issue.stories)
            result = _choose(result, args.accept, args.reject)
        except ImportFailure as exc:
            raise UserError(str(exc)) from None
        except ValueError as exc:
            raise UserError(f"--accept/--reject: {exc}") from None
        _add_to_issue(issue, result)
        try:
            session.save(issue)
        except (CommitRefused, StoreError) as exc:
            raise UserError(f"{shown(args.into)}: not saved: {exc}") from None
    finally:
        session.close()
    if args.json:
        data = result.to_dict()
        data["issue"] = shown(args.into)
        print(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        print(format_report(result) + f"已保存 saved: {shown(args.into)} "
              f"(+{len(result.stories)} 篇 stories: "
              f"{', '.join(s.id for s in result.stories)})")
    return EXIT_OK


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
        import argparse
        return cmd_open(argparse.Namespace(issue=str(SAMPLE)))
    out = args.output or "front-page.pdf"
    print("no display: exporting the sample issue instead of opening the editor")
    # the export command's own parser: every option at its default, whatever export grows
    return cmd_export(parser("export").parse_args(["export", str(SAMPLE), "-o", out, "--watermark"]))


# ---------------------------------------------------------------------- issue stores
def _pg_base(text: str) -> str | None:
    """A database URL without an issue name (``store init`` takes one), else None."""
    if text.lower().startswith(("postgresql://", "postgres://")) and "#" not in text:
        return text
    return None


def _shown_base(url: str) -> str:
    from store import Address
    return str(Address("postgresql", url, "-")).rsplit("#", 1)[0]


def cmd_store_init(args) -> int:
    base = _pg_base(args.url)
    a = _address(base + "#-" if base else args.url)
    if a.kind == "file":
        raise UserError(f"{a}: give a folder (a new or empty one) or a postgresql:// URL")
    if a.kind == "postgresql":
        try:
            from store.pg import init_schema
        except ImportError as exc:
            raise UserError(f"{_shown_base(a.target)}: the PostgreSQL store is not available "
                            f"here ({exc})") from None
        try:
            init_schema(a.target)
        except Exception as exc:
            raise UserError(f"{_shown_base(a.target)}: cannot make the store's tables: "
                            f"{' '.join(str(exc).split())[:300]}") from None
        print(f"made the issue store's tables in {_shown_base(a.target)}")
        if base:
            return EXIT_OK
    st = open_issue_store(args.url, read_only=False, create=True)
    try:
        n = len(st.units())
    finally:
        st.close()
    what = "an issue folder" if a.kind == "folder" else "the issue"
    print(f"{shown(args.url)}: {what} ready ({n} units; 'store push ISSUE.yaml "
          f"{shown(args.url)}' copies an issue in)")
    return EXIT_OK


def _whole_issue(path: str):
    """(issue, base folder) of a file or store to be copied: every unit must read."""
    a = _address(path)
    if a.kind == "file":
        if not Path(path).is_file():
            raise UserError(f"{path}: no such file")
        return load(path), base_dir(path)
    issue, session, problems = load_from_store(path)
    session.close()
    if problems:
        raise UserError(f"{problems[0]} ({len(problems)} unit(s) of {shown(path)} do not read; "
                        f"nothing copied)")
    return issue, base_dir(path)


def _asset_paths(issue) -> list[str]:
    """Files an issue names relative to its folder: images and the word list."""
    from layout import model as m
    names = {fr.image for _p, fr in issue.frames() if isinstance(fr, m.PhotoFrame) and fr.image}
    if issue.paper.dictionary:
        names.add(issue.paper.dictionary)
    return sorted(n for n in names
                  if not os.path.isabs(n) and ".." not in Path(n).parts)


def _copy_assets(issue, src: str, dst: str) -> int:
    """Copy the issue's relative files from folder ``src`` to ``dst``; how many."""
    import shutil
    n = 0
    if Path(src).resolve() == Path(dst).resolve():
        return 0
    for name in _asset_paths(issue):
        a, b = Path(src) / name, Path(dst) / name
        if not a.is_file() or (b.exists() and b.read_bytes() == a.read_bytes()):
            continue
        try:
            b.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(a, b)
            n += 1
        except OSError as exc:
            print(f"warning: {b}: not copied: {exc.strerror or exc}", file=sys.stderr)
    return n


def _copy_into_store(issue, target: str, replace: bool) -> dict:
    """Commit the whole issue into the store at ``target`` (made when missing)."""
    import copy
    from store.base import CommitRefused, StoreError
    from store.session import IssueSession
    st = open_issue_store(target, read_only=False, create=True)
    try:
        session = IssueSession(st)
        units = st.units()
        if units:
            if not replace:
                raise UserError(f"{shown(target)}: already holds an issue ({len(units)} units); "
                                f"--replace puts this one over it")
            session.base = st.read()            # every unit, whether it reads or not
        try:
            return session.save(copy.deepcopy(issue))
        except (CommitRefused, StoreError) as exc:
            raise UserError(f"{shown(target)}: nothing copied: {exc}") from None
    finally:
        st.close()


def cmd_store_push(args) -> int:
    issue, src_base = _whole_issue(args.issue)
    if _address(args.url).kind == "file":
        raise UserError(f"{args.url}: a single file is not a store; give an issue folder or "
                        f"postgresql://USER@HOST/DB#ISSUE")
    infos = _copy_into_store(issue, args.url, args.replace)
    copied = _copy_assets(issue, src_base, base_dir(args.url))
    print(f"pushed {shown(args.issue)} to {shown(args.url)}: {len(issue.pages)} pages, "
          f"{len(issue.stories)} stories ({len(infos)} units written"
          + (f"; {copied} image and word-list files copied" if copied else "") + ")")
    if _address(args.url).kind == "postgresql" and _asset_paths(issue):
        print(f"note: the {len(_asset_paths(issue))} image/word-list files stay files: exports "
              f"from the database find them relative to the current directory",
              file=sys.stderr)
    return EXIT_OK


def cmd_store_pull(args) -> int:
    if _address(args.url).kind == "file":
        raise UserError(f"{args.url}: a single issue file, not a store")
    issue, src_base = _whole_issue(args.url)
    out = args.output
    if out.lower().endswith((".yaml", ".yml")):
        from layout.docfile import save_issue
        if Path(out).exists() and not args.replace:
            raise UserError(f"{out}: exists; --replace overwrites it")
        _writable(out, "file")
        try:
            save_issue(issue, out)
        except OSError as exc:
            raise UserError(f"{out}: cannot write: {exc.strerror or exc}") from None
        copied = _copy_assets(issue, src_base, str(Path(out).resolve().parent))
        print(f"wrote {out} ({len(issue.pages)} pages, {len(issue.stories)} stories"
              + (f"; {copied} files copied" if copied else "") + ")")
        return EXIT_OK
    if Path(out).exists() and not Path(out).is_dir():
        raise UserError(f"{out}: is a file; give a folder, or a name ending in .yaml")
    infos = _copy_into_store(issue, out, args.replace)
    copied = _copy_assets(issue, src_base, out)
    print(f"pulled {shown(args.url)} into the issue folder {out}: {len(issue.pages)} pages, "
          f"{len(issue.stories)} stories ({len(infos)} units"
          + (f"; {copied} files copied" if copied else "") + ")")
    return EXIT_OK


def cmd_store_who(args) -> int:
    st = open_issue_store(args.url, read_only=True)
    try:
        units, holders = st.units(), st.holders()
    finally:
        st.close()

    def when(t: float) -> str:
        return time.strftime("%Y-%m-%d %H:%M", time.localtime(t)) if t else ""
    keys = sorted(set(units) | set(holders))
    if args.json:
        print(json.dumps({"store": shown(args.url), "units": [
            {"unit": str(k), "version": units[k].version if k in units else 0,
             "author": units[k].author if k in units else "",
             "time": units[k].time if k in units else None,
             "held_by": None if k not in holders else {
                 "user": holders[k].user, "host": holders[k].host, "pid": holders[k].pid,
                 "since": holders[k].since, "stale": holders[k].stale}}
            for k in keys]}, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"{shown(args.url)}: {len(units)} units, {len(holders)} checked out")
    for k in keys:
        info = units.get(k)
        what = f"v{info.version}  {info.author or '?'}  {when(info.time)}" if info else \
            "(not created yet)"
        held = f"  — held by {holders[k].describe()}" if k in holders else ""
        print(f"  {k.describe():<28} {what}{held}")
    return EXIT_OK


class _Retry(Exception):
    """A command line the parser of one command alone does not take (``parser(alone=True)``):
    the whole parser reads it again, for argparse's own message."""


def _alone_parser(**kw):
    import argparse

    class _AloneParser(argparse.ArgumentParser):
        def error(self, message):
            raise _Retry(message)
    return _AloneParser(**kw)


#: the export's arguments as ``parser`` takes them, for the plain command lines read by
#: hand (common/argv.py; a test compares it with the parser on many lines)
EXPORT_ARGS = Options(
    "export", ("issue",),
    flags={"--proof": "proof", "--print": "print", "--png": "png", "--force": "force",
           "--watermark": "watermark", "--outlines": "outlines",
           "--allow-outside": "allow_outside", "--no-round": "no_round"},
    values={"-o": ("output", None, None), "--output": ("output", None, None),
            "--pages": ("pages", None, None), "--dpi": ("dpi", int, None),
            "--layers": ("layers", None, ("printing", "visible", "all")),
            "--round": ("round", int, None)},
    defaults={"issue": None, "output": None, "pages": None, "proof": False, "print": False,
              "png": False, "dpi": 100, "force": False, "watermark": False,
              "outlines": False, "layers": "visible", "allow_outside": False,
              "round": None, "no_round": False},
    exclusive=(("proof", "print", "png"),))


def parser(only: str | None = None, alone: bool = False):
    """The command line's parser; ``only``: the command about to be parsed, whose
    arguments alone are added (every command is still named, for the errors and
    the help; argparse makes a help formatter for each argument: 5–10 ms for all).
    ``alone``: no other command is named either (a parser made of two instead of
    eleven: 2–3 ms of an export), and what it does not take raises ``_Retry``."""
    import argparse
    ap = (_alone_parser if alone else argparse.ArgumentParser)(
        prog="main.py", description="Banmian (版面) newspaper layout")
    sub = ap.add_subparsers(dest="command")

    def add(name, **kw):                # (a command left out is not named: None)
        return sub.add_parser(name, **kw) if not alone or name == only else None
    p = add("open", help="open an issue in the editor")
    if only in (None, "open"):
        p.add_argument("issue", nargs="?")
        p.set_defaults(func=cmd_open)
    p = add("sample", help="the bundled sample: editor, or PDF without a display")
    if only in (None, "sample"):
        p.add_argument("-o", "--output")
        p.add_argument("--pdf", action="store_true", help="export even where there is a display")
        p.set_defaults(func=cmd_sample)
    p = add("export", help="write a proof or print PDF, or page images")
    if only in (None, "export"):
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
        p.add_argument("--layers", choices=("printing", "visible", "all"), default="visible",
                       help="layers a proof draws: visible (default: what the editor shows, "
                            "ad placeholders on non-printing layers too), printing (only what "
                            "the press gets), all (hidden too); print files draw the printing "
                            "layers")
        p.add_argument("--allow-outside", action="store_true",
                       help="use images outside the issue's folder (absolute or ../ paths)")
        p.add_argument("--round", type=int, help="record this proof as 校次 N (default: the next)")
        p.add_argument("--no-round", action="store_true", help="do not record a proof round")
        p.set_defaults(func=cmd_export)
    p = add("check", help="preflight: overset, fonts, glyphs, images")
    if only in (None, "check"):
        p.add_argument("issue")
        p.add_argument("--json", action="store_true")
        p.add_argument("--allow-outside", action="store_true",
                       help="use images outside the issue's folder (absolute or ../ paths)")
        p.set_defaults(func=cmd_check)
    p = add("fonts", help="font roles, files and coverage")
    if only in (None, "fonts"):
        p.add_argument("issue", nargs="?")
        p.set_defaults(func=cmd_fonts)
    p = add("diff", help="what changed between two proof rounds (校次)")
    if only in (None, "diff"):
        p.add_argument("issue")
        p.add_argument("--from", dest="from_round", type=int, required=True, metavar="N")
        p.add_argument("--to", dest="to_round", type=int, metavar="M", help="default: the issue now")
        p.add_argument("-o", "--output", help="the newer proof with the changes marked (PDF)")
        p.add_argument("--json", action="store_true")
        p.set_defaults(func=cmd_diff)
    p = add("annotations", help="corrections marked on a proof PDF, as a list")
    if only in (None, "annotations"):
        p.add_argument("proof")
        p.add_argument("--into", required=True, metavar="ISSUE")
        p.add_argument("--json", action="store_true")
        p.set_defaults(func=cmd_annotations)
    p = add("epaper", help="the e-paper (数字报): a static site of the issue")
    if only in (None, "epaper"):
        p.add_argument("issue")
        p.add_argument("-o", "--output", required=True, metavar="SITE")
        p.add_argument("--dpi", type=int, default=72, help="page image resolution (and twice it)")
        p.set_defaults(func=cmd_epaper)
    p = add("import", help="import stories from text, Markdown or Word")
    if only in (None, "import"):
        p.add_argument("file")
        p.add_argument("--into")
        p.add_argument("--json", action="store_true")
        p.add_argument("--reject", default="", help="undo repairs: ids or kinds, comma-separated")
        p.add_argument("--accept", default="", help="take proposed repairs: ids or kinds")
        p.set_defaults(func=cmd_import)
    p = add("store", help="issue stores: an issue folder or PostgreSQL")
    if only in (None, "store"):
        ss = p.add_subparsers(dest="store_command", metavar="init|push|pull|who")
        ss.required = True
        q = ss.add_parser("init", help="make an issue folder, or the tables in a database")
        q.add_argument("url", metavar="FOLDER|postgresql://USER@HOST/DB[#ISSUE]")
        q.set_defaults(func=cmd_store_init)
        q = ss.add_parser("push", help="copy an issue (a .yaml file or a store) into a store")
        q.add_argument("issue", metavar="ISSUE")
        q.add_argument("url", metavar="FOLDER|postgresql://USER@HOST/DB#ISSUE")
        q.add_argument("--replace", action="store_true", help="over an issue already there")
        q.set_defaults(func=cmd_store_push)
        q = ss.add_parser("pull", help="copy an issue out of a store: a folder or one .yaml file")
        q.add_argument("url", metavar="FOLDER|postgresql://USER@HOST/DB#ISSUE")
        q.add_argument("-o", "--output", required=True, metavar="DIR|FILE.yaml")
        q.add_argument("--replace", action="store_true", help="over what -o already holds")
        q.set_defaults(func=cmd_store_pull)
        q = ss.add_parser("who", help="who holds which unit, versions and last authors")
        q.add_argument("url", metavar="FOLDER|postgresql://USER@HOST/DB#ISSUE")
        q.add_argument("--json", action="store_true")
        q.set_defaults(func=cmd_store_who)
    return ap


#: the commands (``parser`` names them all)
COMMANDS = ("open", "sample", "export", "check", "fonts", "diff", "annotations", "epaper",
            "import", "store")


def main(argv: list[str] | None = None) -> int:
    """Run one command; ``argv`` None: this process's own command line (``python main.py
    …``), which ends with it."""
    process = argv is None
    argv = sys.argv[1:] if argv is None else list(argv)
    first = next((a for a in argv if not a.startswith("-")), None)
    args = None
    plain = read_argv(argv, EXPORT_ARGS) if first == "export" else None
    if plain is not None:               # read by hand, as argparse reads it
        import types
        args = types.SimpleNamespace(**plain, func=cmd_export)
    elif first == "export" and not {"-h", "--help"} & set(argv):
        try:                            # an export's command line, read by its parser alone
            args = parser(first, alone=True).parse_args(argv)
        except _Retry:
            args = None
    if args is None:
        args = parser(first if first in COMMANDS else None).parse_args(argv)
    args.process_ends = process
    if not getattr(args, "command", None):
        import argparse
        args = argparse.Namespace(issue=None, func=cmd_open)
    try:
        return args.func(args)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except MemoryError:
        print(f"error: {shown(getattr(args, 'issue', None) or 'input')}: out of memory "
              "(an image or a story too large?)", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:              # a bug met on some input: one line, not a traceback
        if os.environ.get("BANMIAN_DEBUG"):
            raise
        what = shown(getattr(args, "issue", None) or getattr(args, "url", None) or
                     getattr(args, "file", None) or "input")
        text = " ".join(str(exc).split())[:300]
        print(f"error: {what}: internal error {type(exc).__name__}: {text} "
              "(please report it; BANMIAN_DEBUG=1 shows the details)", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
