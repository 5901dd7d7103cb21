"""Importing a file, bytes or text into stories; rebuilding with the editor's choice."""
from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable
from pathlib import Path

from .assemble import build
from .blocks import Block, Draft, Plan
from .encodings import _bad_char, decode
from .errors import ImportFailure
from .parse import segment, text_blocks
from .repairs import find_repairs, mark_traditional
from .result import ImportResult, Report, Repair

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_REFUSED = {b"%PDF-": "a PDF file", b"{\\rtf": "an RTF file (save it as .docx)",
            b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image"}


def _assign_keys(plan: Plan, later: set[int], existing: Iterable[str]) -> None:
    """Story ids story-01, story-02 … in source order, skipping ids the issue has;
    drafts whose headline may move to another story come last."""
    used = set(existing)
    n = 0
    for d in sorted(plan.drafts, key=lambda d: (d.index in later, d.index)):
        while True:
            n += 1
            key = f"story-{n:02d}"
            if key not in used:
                break
        used.add(key)
        d.key = key


def _result(plan: Plan, repairs: list[Repair], accepted: set[str]) -> ImportResult:
    """Build the stories with the accepted repairs and place each repair in them."""
    built = build(plan, repairs, accepted)
    placed = []
    for r in repairs:
        story, para = built.where.get(r.anchor, ("", -1))
        placed.append(dataclasses.replace(r, story=story, paragraph=para,
                                          applied=r.id in accepted))
    report = Report(plan.source, plan.encoding, placed, plan)
    return ImportResult(report, built.stories, built.photos, list(plan.images),
                        built.run_in_bylines, list(plan.notes))


def import_drafts(drafts: list[Draft], source: str, encoding: str, *,
                  existing_ids: Iterable[str] = (), images: list[str] | None = None,
                  notes: list[str] | None = None) -> ImportResult:
    """Stories from draft stories, with every repair found applied when confident."""
    plan = Plan(source, encoding, drafts, list(images or []), list(notes or []))
    plan.notes += mark_traditional(plan)
    repairs = find_repairs(plan)
    later = {op[1] for r in repairs for op in r.ops if op[0] == "headline"}
    _assign_keys(plan, later, existing_ids)
    repairs.sort(key=lambda r: r.line)
    repairs = [dataclasses.replace(r, id=f"r{i:03d}") for i, r in enumerate(repairs, 1)]
    result = _result(plan, repairs, {r.id for r in repairs if r.applied})
    if not result.stories and not result.photos:
        raise ImportFailure(source, "no text to import")
    return result


def import_blocks(blocks: list[Block], source: str, encoding: str, *,
                  existing_ids: Iterable[str] = (), images: list[str] | None = None,
                  notes: list[str] | None = None) -> ImportResult:
    """Stories from source blocks, with every repair found applied when confident."""
    return import_drafts(segment(blocks), source, encoding, existing_ids=existing_ids,
                         images=images, notes=notes)


def import_text(text: str, source: str = "<text>", *, existing_ids: Iterable[str] = (),
                encoding: str = "text") -> ImportResult:
    """Stories from plain text or Markdown."""
    text = text.removeprefix("\ufeff")
    bad = _bad_char(text)
    if bad >= 0:
        line = text.count("\n", 0, bad) + 1
        raise ImportFailure(source, f"not plain text: control character U+{ord(text[bad]):04X} "
                                    f"on line {line}")
    blocks, notes = text_blocks(text)
    return import_blocks(blocks, source, encoding, existing_ids=existing_ids, notes=notes)


def import_bytes(data: bytes, source: str = "<bytes>", *, issue_path: str | os.PathLike | None
                 = None, existing_ids: Iterable[str] = ()) -> ImportResult:
    """Stories from a file's bytes: a Word .docx, a NewsML-G2 XML file, or text in UTF-8,
    UTF-16, GB18030, Big5 or Big5-HKSCS."""
    if data.startswith(_OLE):
        raise ImportFailure(source, "an old Word .doc (or other OLE) file; save it as .docx")
    for magic, what in _REFUSED.items():
        if data.startswith(magic):
            raise ImportFailure(source, f"{what}, not a text or Word file")
    if data.startswith(_ZIP) or str(source).lower().endswith(".docx"):
        from .docxfile import docx_blocks
        image_dir = Path(issue_path).parent / "images" if issue_path is not None else None
        blocks, images, notes = docx_blocks(data, source, image_dir)
        return import_blocks(blocks, source, "docx", existing_ids=existing_ids,
                             images=images, notes=notes)
    from .newsml import looks_like_newsml, newsml_drafts
    if looks_like_newsml(data) or (str(source).lower().endswith(".xml")
                                   and data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")):
        drafts, encoding, notes = newsml_drafts(data, str(source))
        return import_drafts(drafts, source, encoding, existing_ids=existing_ids, notes=notes)
    text, encoding = decode(data, source)
    return import_text(text, source, existing_ids=existing_ids, encoding=encoding)


def import_file(path: str | os.PathLike, *, issue_path: str | os.PathLike | None = None,
                existing_ids: Iterable[str] = ()) -> ImportResult:
    """Stories from a file; Word images go to an "images" folder next to issue_path."""
    if Path(path).is_dir():
        raise ImportFailure(str(path), "is a folder; give the text, Markdown, Word or "
                                       "NewsML-G2 file to import")
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ImportFailure(str(path), f"cannot read: {exc.strerror or exc}") from None
    return import_bytes(data, str(path), issue_path=issue_path, existing_ids=existing_ids)


def apply(report: Report, accepted_ids: Iterable[str]) -> ImportResult:
    """The import again with only the accepted repairs (ValueError for unknown ids)."""
    accepted = set(accepted_ids)
    unknown = accepted - {r.id for r in report.repairs}
    if unknown:
        raise ValueError(f"unknown repair ids: {', '.join(sorted(unknown))}")
    return _result(report.plan, report.repairs, accepted)
