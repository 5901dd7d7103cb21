"""A proof export that records its round: 校次 N in the slug, the round store and the PDF."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from .rounds import Round, RoundStore
from .stamp import Stamp, keywords, xmp


def export_proof_round(issue, result, fontset, out: str, issue_path: str, options,
                       number: int | None = None, *, force: bool = False, cache=None,
                       source_text: str | None = None):
    """Export a proof as the next round (or round ``number``); (diagnostics, Round).

    The options' ``info.version`` becomes the round, so the slug and title show
    it, and the PDF carries its stamp (``proofs.stamp``) as it is written; the
    round is recorded only after the PDF is written.  ``source_text``: the text
    of the issue file ``issue`` was just read from (the command line), recorded
    as the round's model instead of writing the model out again.
    """
    from output import export_pdf
    from output.pdf import document_title
    store = RoundStore(issue_path)
    n = int(number) if number else store.next_number(issue, source_text)
    options = dataclasses.replace(options, info=dataclasses.replace(options.info, version=n))
    pages = tuple(p.number for p in result.pages
                  if options.pages is None or p.number in options.pages)
    stamp = Stamp(n, Path(issue_path).name, pages)
    options = dataclasses.replace(options, keywords=keywords(stamp),
                                  xmp=xmp(stamp, document_title(options, list(pages))))
    diags = export_pdf(result, fontset, out, options, force=force,
                       **({"cache": cache} if cache is not None else {}))
    try:
        rnd: Round = store.record(issue, result, n, pdf=str(Path(out).resolve()),
                                  model_text=source_text)
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
