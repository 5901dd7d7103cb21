"""The ``diff`` and ``annotations`` commands (main.py passes its loading helpers in ``ctx``).

``ctx`` gives ``compose(path) -> (issue, fontset, result)``, ``fontset_for(issue, path)``,
``compose_model(issue, fontset, path) -> result`` and ``UserError``.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from .annotations import AnnotationError, check_against, read_annotations
from .diff import Side, diff, locate
from .rounds import RoundError, RoundStore, summarize
from .stamp import read_stamp


def _round_side(ctx, store: RoundStore, number: int, path: str):
    try:
        rnd = store.load(number)
        issue = rnd.issue()
    except RoundError as exc:
        raise ctx.UserError(str(exc)) from None
    fontset = ctx.fontset_for(issue, path)
    result = ctx.compose_model(issue, fontset, path)
    return Side(issue, rnd.summary, f"{_numeral(number)}校"), fontset, result


def _numeral(n: int) -> str:
    from layout.units import chinese_numeral
    return chinese_numeral(max(1, int(n)))


def cmd_diff(args, ctx) -> int:
    """What changed between two rounds; a list, --json, or a marked-up PDF."""
    store = RoundStore(getattr(ctx, "rounds_path", str)(args.issue))
    if args.output:
        ctx.writable(args.output, "file")
    old, _fs, _res = _round_side(ctx, store, args.from_round, args.issue)
    if args.to_round:
        new, fontset, result = _round_side(ctx, store, args.to_round, args.issue)
    else:
        issue, fontset, result = ctx.compose(args.issue)
        new = Side(issue, summarize(issue, result), "当前")
    changes = diff(old, new)
    locate(changes, result)
    title = f"{old.label} → {new.label}：{len(changes)} 处改动"
    if args.output:
        from output import PdfOptions

        from .markup import write_diff_pdf
        import dataclasses
        opts = PdfOptions.from_issue(new.issue, "proof")
        if args.to_round:
            opts = dataclasses.replace(opts, info=dataclasses.replace(opts.info,
                                                                      version=args.to_round))
        try:
            write_diff_pdf(args.output, result, fontset, new.issue, changes, title, opts)
        except OSError as exc:
            raise ctx.UserError(f"{args.output}: cannot write: {exc.strerror or exc}") from None
    if args.json:
        print(json.dumps({"from": args.from_round, "to": args.to_round or "current",
                          "changes": [c.as_dict() for c in changes]},
                         ensure_ascii=False, indent=2))
    else:
        print(title)
        for i, c in enumerate(changes, 1):
            print(f"{i:3}. {c.describe()}")
        if args.output:
            print(f"wrote {args.output}")
    return 0


def cmd_annotations(args, ctx) -> int:
    """The corrections marked on a proof, mapped to stories and checked against the issue."""
    import pymupdf
    if not Path(args.proof).is_file():
        raise ctx.UserError(f"{args.proof}: no such file")
    try:
        with pymupdf.open(args.proof) as doc:
            stamp = read_stamp(doc)
    except Exception as exc:                      # not a PDF, damaged
        raise ctx.UserError(f"{args.proof}: cannot read the PDF: "
                            f"{' '.join(str(exc).split())[:200]}") from None
    if stamp is None:
        raise ctx.UserError(f"{args.proof}: not a Banmian proof with a recorded 校次 "
                            "(export the proof again with this version)")
    side, _fs, result = _round_side(ctx, RoundStore(getattr(ctx, "rounds_path", str)(args.into)),
                                  stamp.round, args.into)
    try:
        found = read_annotations(args.proof, side.issue, result, stamp.pages)
    except AnnotationError as exc:
        raise ctx.UserError(str(exc)) from None
    check_against(found, ctx.load(args.into))
    if args.json:
        print(json.dumps({"proof": args.proof, "round": stamp.round,
                          "corrections": [c.as_dict() for c in found]},
                         ensure_ascii=False, indent=2))
        return 0
    print(f"{args.proof}: {_numeral(stamp.round)}校, {len(found)} 条校对意见")
    for c in found:
        where = (f"{c.story or c.frame} {c.part} 第{c.para + 1}段 第{c.offset + 1}字"
                 if c.story or c.frame else "（未能定位）")
        extra = f" → “{c.replacement}”" if c.replacement else ""
        note = f" 批注：{c.comment}" if c.comment and c.comment != c.replacement else ""
        flag = "" if c.status in ("ok",) else f" [{c.status}]"
        print(f"{c.id:3}. 第{c.page}版 {c.kind} {where} “{c.text}”{extra}{note}"
              f"{' — ' + c.author if c.author else ''}{flag}")
    if any(c.status == "changed" for c in found):
        print("note: [changed] marks text that has changed since the proof; check it by hand",
              file=sys.stderr)
    return 0
