"""The diff PDF: the newer proof with its changes marked on the page, and a change list.

Inserted text is underlined in colour; deleted text stands in the nearer page
margin beside a caret at its place; moved frames are outlined with their old
place dashed; changed headlines, captions and photos are outlined and
labelled.  A last page lists every change.  Drawn with PyMuPDF over the proof
written by ``output``; proof pages have the trim at the top-left corner, so
page points are PyMuPDF points.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass

from layout.edits import pos_to_index

from . import layoutview as LV
from .diff import Change

INSERT_RGB = (0.0, 0.45, 0.85)
DELETE_RGB = (0.85, 0.1, 0.1)
FRAME_RGB = (0.95, 0.45, 0.0)
FONT = "bmcjk"


def _font(page) -> None:
    import pymupdf
    page.insert_font(fontname=FONT, fontbuffer=pymupdf.Font("china-s").buffer)


def _body_glyphs(result) -> dict:
    """Glyphs of story text by story: [(index in plain text, glyph)]."""
    out: dict[str, list] = {}
    for g in LV.glyphs(result):
        if g.story and g.part == "body" and g.offset >= 0:
            out.setdefault(g.story, []).append(g)
    return out


@dataclass(frozen=True)
class Mark:
    """One mark on a page, in page points: the PDF and the editor draw the same list."""
    shape: str               # underline | caret | rect | dashed | note | label
    geom: tuple              # underline: (x0, y, x1); caret: (x, y, size); rect/dashed: (x, y, w, h);
    #                          note: (x, y) the place it points at; label: (x, y)
    color: tuple[float, float, float]
    text: str = ""


def marks_for_page(changes: list[Change], result, new_issue, number: int) -> list[Mark]:
    """The marks of ``changes`` on page ``number`` of the newer layout."""
    glyphs = _body_glyphs(result)
    frames = {f.id: f for f in LV.frames(result, number)}
    all_glyphs = LV.glyphs(result, number)
    out: list[Mark] = []
    for ch in changes:
        if ch.kind == "text" and ch.story in new_issue.stories:
            story = new_issue.stories[ch.story]
            start = pos_to_index(story, (ch.para, ch.offset))
            end = start + len(ch.inserted)
            mine = [g for g in glyphs.get(ch.story, []) if g.page == number]
            for g in mine:
                if start <= pos_to_index(story, (g.para, g.offset)) < end:
                    x, y, w, h = g.box
                    out.append(Mark("underline", (x, y + h + 0.6, x + w), INSERT_RGB))
            if ch.deleted:
                at = next((g for g in mine if pos_to_index(story, (g.para, g.offset)) >= start),
                          None)
                if at is None and mine and ch.page == number:
                    at = mine[-1]
                if at is not None:
                    x, y, w, h = at.box
                    out.append(Mark("caret", (x, y + h, h), DELETE_RGB))
                    out.append(Mark("note", (x, y + h), DELETE_RGB, "删：" + ch.deleted))
        elif ch.kind in ("headline", "byline", "caption"):
            boxes = [g.box for g in all_glyphs
                     if (ch.story and g.story == ch.story and g.part == ch.part)
                     or (ch.frame and g.frame == ch.frame and g.part == ch.part)]
            if boxes:
                x0 = min(b[0] for b in boxes)
                y0 = min(b[1] for b in boxes)
                y1 = max(b[1] + b[3] for b in boxes)
                out.extend(Mark("underline", (b[0], b[1] + b[3] + 0.6, b[0] + b[2]), INSERT_RGB)
                           for b in boxes)
                out.append(Mark("note", (x0, (y0 + y1) / 2), DELETE_RGB,
                                "原：" + (ch.old or "（空）")))
        elif ch.kind in ("frame-moved", "frame-resized"):
            if ch.old_page == number and ch.old_rect:
                out.append(Mark("dashed", tuple(ch.old_rect), FRAME_RGB, f"{ch.frame} 原位置"))
            if ch.new_rect and ch.page == number:
                out.append(Mark("rect", tuple(ch.new_rect), FRAME_RGB, ch.frame))
        elif ch.kind == "frame-added" and ch.new_rect and ch.page == number:
            out.append(Mark("rect", tuple(ch.new_rect), INSERT_RGB, f"新增 {ch.frame}"))
        elif ch.kind == "frame-removed" and ch.old_page == number and ch.old_rect:
            out.append(Mark("dashed", tuple(ch.old_rect), DELETE_RGB, f"删去 {ch.frame}"))
        elif ch.kind in ("photo-replaced", "photo-recropped") and ch.frame in frames:
            out.append(Mark("rect", frames[ch.frame].rect, FRAME_RGB,
                            "换图" if ch.kind == "photo-replaced" else "重新裁切"))
        elif ch.kind.startswith("overset"):
            mine = [f for f in frames.values() if f.story == ch.story and f.kind == "text"]
            if mine:
                x, y, w, h = mine[-1].rect
                out.append(Mark("label", (x + 2, y + h - 2), DELETE_RGB, ch.describe()))
    return out


def mark_page(page, number: int, width: float, changes: list[Change], result, new_issue) -> None:
    """Draw the marks of ``changes`` on one PyMuPDF page of the newer proof."""
    import pymupdf
    for mk in marks_for_page(changes, result, new_issue, number):
        g, c = mk.geom, mk.color
        if mk.shape == "underline":
            page.draw_line((g[0], g[1]), (g[2], g[1]), color=c, width=1.0)
        elif mk.shape == "caret":
            x, y, size = g
            page.draw_polyline([(x - size * 0.3, y + size * 0.35), (x, y - size * 0.1),
                                (x + size * 0.3, y + size * 0.35)], color=c, width=0.8)
        elif mk.shape in ("rect", "dashed"):
            x, y, w, h = g
            page.draw_rect(pymupdf.Rect(x, y, x + w, y + h), color=c, width=1.0,
                           dashes="[3 2] 0" if mk.shape == "dashed" else None)
            if mk.text:
                page.insert_text((x + 2, max(8, y - 2)), mk.text, fontname=FONT, fontsize=7,
                                 color=c)
        elif mk.shape == "note":
            x, y = g
            left = x < width / 2
            mx0, mx1 = (2.0, 50.0) if left else (width - 50.0, width - 2.0)
            page.insert_textbox(pymupdf.Rect(mx0, y - 8, mx1, y + 40), mk.text, fontname=FONT,
                                fontsize=6.5, color=c)
            page.draw_line((mx1 if left else mx0, y - 4), (x, y - 4), color=c, width=0.3)
        elif mk.shape == "label":
            page.insert_text(g, mk.text, fontname=FONT, fontsize=7, color=c)


def change_list_page(doc, changes: list[Change], title: str, size) -> None:
    """Append pages listing the changes, one line each."""
    w, h = size
    lines = [title, ""] + [f"{i}. {c.describe()}" for i, c in enumerate(changes, 1)]
    if not changes:
        lines.append("没有改动。")
    per = max(10, int((h - 80) // 14))
    for start in range(0, len(lines), per):
        page = doc.new_page(width=w, height=h)
        _font(page)
        y = 50
        for line in lines[start:start + per]:
            size = 14 if line is title else 10
            room = int((w - 100) / size)
            page.insert_text((50, y), line if len(line) <= room else line[:room - 1] + "…",
                             fontname=FONT, fontsize=size)
            y += 14 if line is not title else 20


def write_diff_pdf(path: str, result, fontset, issue, changes: list[Change], title: str,
                   options=None) -> None:
    """The newer proof (``result`` of ``issue``) with ``changes`` marked, then the change list."""
    import pymupdf

    from output import PdfOptions, write_pdf
    from layout.docfile import atomic_write
    options = options or PdfOptions.from_issue(issue, "proof")
    sizes = LV.page_sizes(result)
    out_dir = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(suffix=".pdf", dir=out_dir, prefix=".banmian-diff-")
    os.close(fd)
    try:
        write_pdf(result, fontset, tmp, options)
        with pymupdf.open(tmp) as doc:
            numbers = [p.number for p in result.pages
                       if options.pages is None or p.number in options.pages]
            for pg, number in zip(doc, numbers):
                _font(pg)
                mark_page(pg, number, sizes[number][0], changes, result, issue)
            first = sizes[numbers[0]] if numbers else (595, 842)
            change_list_page(doc, changes, title, (min(first[0], 842), min(first[1], 1191)))
            doc.subset_fonts()
            data = doc.tobytes(garbage=3, deflate=True)
        atomic_write(path, data)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
