"""A proof export that records its round: 校次 N in the slug, the round store and the PDF."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from .rounds import Round, RoundStore
from .stamp import Stamp, stamp_pdf


def export_proof_round(issue, result, fontset, out: str, issue_path: str, options,
                       number: int | None = None, *, force: bool = False, cache=None):
    """Export a proof as the next round (or round ``number``); (diagnostics, Round).

    The options' ``info.version`` becomes the round, so the slug and title show
    it; the round is recorded only after the PDF is written.
    """
    from output import export_pdf
    store = RoundStore(issue_path)
    n = int(number) if number else store.next_number(issue)
    options = dataclasses.replace(options, info=dataclasses.replace(options.info, version=n))
    diags = export_pdf(result, fontset, out, options, force=force,
                       **({"cache": cache} if cache is not None else {}))
    pages = tuple(p.number for p in result.pages
                  if options.pages is None or p.number in options.pages)
    try:
        stamp_pdf(out, Stamp(n, Path(issue_path).name, pages))
        rnd: Round = store.record(issue, result, n, pdf=str(Path(out).resolve()))
    except Exception as exc:                # the proof is written; only the record failed
        why = getattr(exc, "strerror", None) or " ".join(str(exc).split())[:200]
        raise RoundNotRecorded(f"{store.dir}: the proof is written but 校次 {n} could not be "
                               f"recorded: {why}", diags) from None
    return diags, rnd


class RoundNotRecorded(Exception):
    """The proof PDF was written, but its round could not be recorded (a warning)."""

    def __init__(self, message: str, diagnostics=()):
        super().__init__(message)
        self.diagnostics = list(diagnostics)
