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


def _margin_note(page, width: float, x: float, y: float, text: str, color) -> None:
    """Text in the nearer side margin at height y, with a hairline to x."""
    import pymupdf
    left = x < width / 2
    mx0, mx1 = (2.0, 50.0) if left else (width - 50.0, width - 2.0)
    rect = pymupdf.Rect(mx0, y - 8, mx1, y + 40)
    page.insert_textbox(rect, text, fontname=FONT, fontsize=6.5, color=color)
    page.draw_line((mx1 if left else mx0, y - 4), (x, y - 4), color=color, width=0.3)


def _caret(page, x: float, y: float, size: float, color) -> None:
    page.draw_polyline([(x - size * 0.3, y + size * 0.35), (x, y - size * 0.1),
                        (x + size * 0.3, y + size * 0.35)], color=color, width=0.8)


def _outline(page, rect, color, dashed: bool = False, label: str = "") -> None:
    import pymupdf
    x, y, w, h = rect
    r = pymupdf.Rect(x, y, x + w, y + h)
    page.draw_rect(r, color=color, width=1.0, dashes="[3 2] 0" if dashed else None)
    if label:
        page.insert_text((x + 2, max(8, y - 2)), label, fontname=FONT, fontsize=7, color=color)


def mark_page(page, number: int, width: float, changes: list[Change], result, new_issue) -> None:
    """Draw the marks of ``changes`` on one PyMuPDF page of the newer proof."""
    glyphs = _body_glyphs(result)
    frames = {f.id: f for f in LV.frames(result, number)}
    all_glyphs = [g for g in LV.glyphs(result, number)]
    for ch in changes:
        if ch.kind == "text" and ch.story in new_issue.stories:
            story = new_issue.stories[ch.story]
            start = pos_to_index(story, (ch.para, ch.offset))
            end = start + len(ch.inserted)
            mine = [g for g in glyphs.get(ch.story, []) if g.page == number]
            for g in mine:
                if start <= pos_to_index(story, (g.para, g.offset)) < end:
                    x, y, w, h = g.box
                    page.draw_line((x, y + h + 0.6), (x + w, y + h + 0.6), color=INSERT_RGB,
                                   width=1.0)
            if ch.deleted:
                at = next((g for g in mine if pos_to_index(story, (g.para, g.offset)) >= start),
                          None)
                if at is None and mine and ch.page == number:
                    at = mine[-1]
                if at is not None:
                    x, y, w, h = at.box
                    _caret(page, x, y + h, h, DELETE_RGB)
                    _margin_note(page, width, x, y + h, "删：" + ch.deleted, DELETE_RGB)
        elif ch.kind in ("headline", "byline", "caption"):
            boxes = [g.box for g in all_glyphs
                     if (ch.story and g.story == ch.story and g.part == ch.part)
                     or (ch.frame and g.frame == ch.frame and g.part == ch.part)]
            if boxes:
                x0 = min(b[0] for b in boxes)
                y0 = min(b[1] for b in boxes)
                x1 = max(b[0] + b[2] for b in boxes)
                y1 = max(b[1] + b[3] for b in boxes)
                for b in boxes:
                    page.draw_line((b[0], b[1] + b[3] + 0.6), (b[0] + b[2], b[1] + b[3] + 0.6),
                                   color=INSERT_RGB, width=1.0)
                _margin_note(page, width, x0, (y0 + y1) / 2, "原：" + (ch.old or "（空）"),
                             DELETE_RGB)
                del x1
        elif ch.kind in ("frame-moved", "frame-resized"):
            if ch.old_page == number and ch.old_rect:
                _outline(page, ch.old_rect, FRAME_RGB, dashed=True, label=f"{ch.frame} 原位置")
            if ch.new_rect:
                _outline(page, ch.new_rect, FRAME_RGB, label=ch.frame)
        elif ch.kind == "frame-added" and ch.new_rect:
            _outline(page, ch.new_rect, INSERT_RGB, label=f"新增 {ch.frame}")
        elif ch.kind == "frame-removed" and ch.old_page == number and ch.old_rect:
            _outline(page, ch.old_rect, DELETE_RGB, dashed=True, label=f"删去 {ch.frame}")
        elif ch.kind in ("photo-replaced", "photo-recropped") and ch.frame in frames:
            _outline(page, frames[ch.frame].rect, FRAME_RGB,
                     label="换图" if ch.kind == "photo-replaced" else "重新裁切")
        elif ch.kind.startswith("overset"):
            mine = [f for f in frames.values() if f.story == ch.story and f.kind == "text"]
            if mine:
                f = mine[-1]
                x, y, w, h = f.rect
                page.insert_text((x + 2, y + h - 2), ch.describe(), fontname=FONT, fontsize=7,
                                 color=DELETE_RGB)


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
