"""The command line: ``import FILE [--into ISSUE.yaml] [--json] [--reject IDS] [--accept IDS]``.

Without ``--into`` nothing is written: the stories and the report are printed.
With it, the stories are added to the issue (created when the file does not
exist), Word images go to an ``images`` folder next to it, and the issue is
saved.  ``--reject`` undoes repairs (by id from the report, or by kind) and
``--accept`` makes proposed ones, as the editor's import dialog does.  Exit
status: 0 imported; 2 bad input (unreadable, undecodable or refused file, bad
issue file, bad arguments); 1 is reserved.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .errors import ImportFailure
from .result import KINDS, ImportResult

_MARK = {True: "✓", False: "?"}


def _emit(text: str, stream) -> None:
    """Write text, escaping what the stream's encoding cannot show."""
    try:
        stream.write(text)
    except UnicodeEncodeError:
        enc = getattr(stream, "encoding", None) or "ascii"
        stream.write(text.encode(enc, "backslashreplace").decode(enc))


def _parser() -> argparse.ArgumentParser:
    """The argument parser of the import command."""
    p = argparse.ArgumentParser(prog="banmian import",
                                description="导入稿件 Import stories from .txt/.md/.docx")
    p.add_argument("file", help="the text, Markdown or Word file")
    p.add_argument("--into", metavar="ISSUE.yaml", help="add the stories to this issue "
                   "(created when missing) and save it")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--reject", metavar="IDS", default="",
                   help="undo these repairs: ids (r003) or kinds (space), comma-separated")
    p.add_argument("--accept", metavar="IDS", default="",
                   help="also make these proposed repairs: ids or kinds, comma-separated")
    return p


def _choose(result: ImportResult, accept: str, reject: str) -> ImportResult:
    """The import again with repairs taken or undone by id or kind (ValueError: unknown)."""
    from .api import apply

    def ids(spec: str) -> set[str]:
        out: set[str] = set()
        for word in filter(None, (w.strip() for w in spec.split(","))):
            hit = {r.id for r in result.repairs if word in (r.id, r.kind) and r.actionable}
            if not hit and word not in KINDS and not any(r.id == word for r in result.repairs):
                raise ValueError(f"no repair or kind '{word}' (kinds: {', '.join(KINDS)})")
            out |= hit
        return out

    if not accept and not reject:
        return result
    return apply(result.report, (result.report.applied_ids() | ids(accept)) - ids(reject))


def format_report(result: ImportResult) -> str:
    """The human-readable report (Chinese and English) of an import."""
    rep = result.report
    todo = [r for r in rep.repairs if not r.applied]
    out = [f"导入 Import: {rep.source}  (编码 encoding: {rep.encoding})",
           f"稿件 stories: {len(result.stories)}   图片 photos: {len(result.photos)}   "
           f"修复 repairs: {len(rep.repairs)} (已修复 applied {len(rep.repairs) - len(todo)}, "
           f"待确认 to check {len(todo)})", "", "稿件 Stories:"]
    for s in result.stories:
        h = s.headline
        out.append(f"  {s.id}  {h.title or '(无标题 no headline)'}")
        if h.kicker:
            out.append(f"      引题 kicker: {h.kicker}")
        if h.subtitle:
            out.append(f"      副题 subtitle: {h.subtitle}")
        if s.byline:
            out.append(f"      署名 byline: {s.byline}")
        for extra in result.run_in_bylines.get(s.id, []):
            out.append(f"      文内署名 run-in: {extra}")
        if s.dateline:
            out.append(f"      电头 dateline: {s.dateline}")
        if s.credit:
            out.append(f"      图片署名 photo credit: {s.credit}")
        if s.editor:
            out.append(f"      责任编辑 desk editor: {s.editor}")
        styled = sorted({p.style for p in s.paragraphs} - {"body"})
        if styled:
            out.append(f"      段落样式 styles: {', '.join(styled)}")
        chars = sum(len(p.text) for p in s.paragraphs)
        out.append(f"      {len(s.paragraphs)} 段 paragraphs, {chars} 字 characters")
    if result.photos:
        out += ["", "图片 Photos:"]
        for p in result.photos:
            out.append(f"  {p.story}  署名 credit: {p.credit or '—'}  说明 caption: "
                       f"{p.caption or '—'}  文件 image: {p.image or '—'}")
    if rep.repairs:
        out += ["", "修复 Repairs (✓ 已修复 applied · ? 待确认 proposed or flagged; undo one "
                "with --reject r001, take one with --accept r002, or name a kind):"]
        for r in rep.repairs:
            where = f"{r.story} ¶{r.paragraph + 1}" if r.paragraph >= 0 else r.story
            out.append(f"  {r.id} {_MARK[r.applied]} {KINDS.get(r.kind, r.kind)} {r.kind}  "
                       f"{where}  line {r.line}  ({r.confidence:.2f})")
            change = f"「{r.before}」 → 「{r.after}」" if r.after else f"「{r.before}」"
            out.append(f"       {change}")
            if r.evidence:
                out.append(f"       {r.evidence}")
    for n in result.notes:
        out.append(f"注意 note: {n}")
    return "\n".join(out) + "\n"


def _add_to_issue(issue, result: ImportResult) -> None:
    """Add the stories to the issue, with the styles they use when it lacks them."""
    from layout.model import CharStyle, default_styles

    from .styles import import_char_styles, import_styles
    known = {**import_styles(), **default_styles()}
    chars = import_char_styles()
    for s in result.stories:
        issue.stories[s.id] = s
        for p in s.paragraphs:
            if p.style not in issue.paragraph_styles:
                style = known.get(p.style)
                if style is not None:
                    if style.font not in issue.fonts:
                        style.font = "body"
                    issue.paragraph_styles[p.style] = style
            for run in p.runs:
                if run.style and run.style not in issue.char_styles:
                    style = chars.get(run.style, CharStyle())
                    if style.font not in issue.fonts:
                        style.font = ""
                    issue.char_styles[run.style] = style


def main(argv: list[str]) -> int:
    """Run ``import FILE [--into ISSUE.yaml] [--json]``; the exit status."""
    argv = list(argv)
    if len(argv) > 1 and argv[0] == "import":
        argv = argv[1:]
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 2
    issue = None
    issue_path = Path(args.into) if args.into else None
    if issue_path is not None:
        try:
            from layout.docfile import DocumentError, load_issue, save_issue
            from layout.model import Issue, default_fonts, default_styles
        except ImportError as exc:
            _emit(f"错误 error: cannot read or write issues here ({exc})\n", sys.stderr)
            return 2
        if issue_path.is_dir():
            _emit(f"错误 error: --into {issue_path}: is a folder, not an issue file; give a "
                  f"file such as {issue_path / 'issue.yaml'}\n", sys.stderr)
            return 2
        if not issue_path.parent.resolve().is_dir():
            _emit(f"错误 error: --into {issue_path}: the folder {issue_path.parent} does not "
                  "exist\n", sys.stderr)
            return 2
        if issue_path.exists():
            try:
                issue = load_issue(issue_path)
            except DocumentError as exc:
                _emit(f"错误 error: {exc}\n", sys.stderr)
                return 2
        else:
            issue = Issue(paragraph_styles=default_styles(), fonts=default_fonts())
    try:
        from .api import import_file
        result = import_file(args.file, issue_path=issue_path,
                             existing_ids=issue.stories if issue is not None else ())
    except ImportFailure as exc:
        _emit(f"错误 error: {exc}\n", sys.stderr)
        return 2
    try:
        result = _choose(result, args.accept, args.reject)
    except ValueError as exc:
        _emit(f"错误 error: --accept/--reject: {exc}\n", sys.stderr)
        return 2
    if issue is not None:
        _add_to_issue(issue, result)
        try:
            save_issue(issue, issue_path)
        except (DocumentError, OSError) as exc:
            _emit(f"错误 error: cannot save {issue_path}: {exc}\n", sys.stderr)
            return 2
    if args.json:
        data = result.to_dict()
        data["issue"] = str(issue_path) if issue_path is not None else None
        _emit(json.dumps(data, ensure_ascii=False, indent=1) + "\n", sys.stdout)
    else:
        text = format_report(result)
        if issue_path is not None:
            text += (f"已保存 saved: {issue_path} (+{len(result.stories)} 篇 stories: "
                     f"{', '.join(s.id for s in result.stories)})\n")
        _emit(text, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
