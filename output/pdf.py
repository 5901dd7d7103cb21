"""The PDF writer: draws a LayoutResult exactly as composed, as a proof or a print file.

It never measures layout text: glyph ids and pen positions come from the
result.  Page coordinates (pt, y down from the trim's top-left) are mapped to
PDF space (y up) here.  Fonts are embedded as subset CID fonts
(``fontembed``); text operators come from ``textops``; images from ``images``; the
file itself is written by ReportLab (``canvas``: its document, pages and
resources, our content streams), imported only when a file is written.
The file is written to a temporary name and moved into place.
"""
from __future__ import annotations

import io
import math

from dataclasses import replace

from common.fs import atomic_write
from layout.result import (BoxItem, GlyphRun, ImageItem, LayoutResult, Painter, PathItem,
                           RuleItem, walk)

from . import color as C
from . import marks, pdfobjects, textops
from .cache import ExportCache
from .fontembed import DocumentFonts
from .images import ImageError, jpeg_header, prepare
from .options import PdfOptions
from .outline import glyph_paths

_GS_OVERPRINT = "BMop"
_GS_KNOCKOUT = "BMko"


def _ext_gstates() -> dict:
    """Overprint on (black text and rules) and off; OPM 1 so 0% inks do not knock out."""
    from .canvas import ext_gstate
    return {_GS_OVERPRINT: ext_gstate(True), _GS_KNOCKOUT: ext_gstate(False)}


def write_pdf(result: LayoutResult, fontset, path: str, options: PdfOptions | None = None,
              *, cache: ExportCache | None = None) -> None:
    """Write ``result`` as a proof or print PDF to ``path`` (atomically).

    ``fontset.face(key)`` must give every face the runs name; a ``cache``
    kept by the caller reuses parsed fonts and converted images between exports.
    """
    _Writer(result, fontset, options or PdfOptions(), cache or ExportCache()).write(path)


def document_title(options: PdfOptions, numbers: list[int]) -> str:
    """The PDF's title: paper, date, the pages (第1–4版) and the 校次."""
    info = options.info
    span = "" if not numbers else (f"第{numbers[0]}版" if len(numbers) == 1
                                   else f"第{numbers[0]}–{numbers[-1]}版")
    return " ".join(s for s in (info.paper_name, info.date, span,
                                f"{info.version or 1}校") if s)


class _Writer(Painter):
    """One export: the canvas, the document's fonts and the page being drawn.

    It is a painter of ``layout.result.walk``: pages, frames and their items
    arrive in drawing order.
    """

    def __init__(self, result: LayoutResult, fontset, options: PdfOptions, cache: ExportCache):
        self.result = result
        self.opt = options
        self.print = options.is_print
        self.cache = cache
        self.fonts = DocumentFonts(fontset, cache.fonts)
        self.fontset = fontset
        self.inks = C.Inks(result.colors, cmyk=self.print)
        self.profile = cache.profile(options.icc_profile, options.rendering_intent)
        self.notes: list[tuple[int, str, str]] = []     # (page, frame, note) from images
        self.slug_key = options.slug_font or first_font(result)
        self._buf: list[str] = []
        self._fill = None
        self._overprint = False
        self._memo: dict | None = None          # the pages drawn, for a later export
        self._page_key: str | None = None       # the memo key of the page being drawn
        self._replay_images: dict = {}
        self._page_images: list = []            # (resource name, image item fields, frame)
        self._frame = None
        self._page_number = 0
        self._over: list = []
        self._overset_by_page: dict[int, list] | None = None   # page → overset runs below it
        self._slug_glyphs: dict = {}            # the slug face's (glyph, advance in em) by character
        self._kept_frames: dict | None = None   # frame key → (drawing, fill, overprint after)
        self._new_frames: dict | None = None

    # ------------------------------------------------------------ document
    def write(self, path: str) -> None:
        """Draw every selected page and save the file atomically.

        Pages composed before (``PageResult.composed_from``) that an earlier export of
        the same document with the same options drew are replayed from it (its drawing,
        its fonts' CIDs, its images); only the slugs, which show the time, and the pages
        that changed are drawn anew (``_pages``)."""
        pages = [self._layered(p) for p in self.result.pages
                 if self.opt.pages is None or p.number in self.opt.pages]
        if not pages:
            raise ValueError("nothing to export: the result has none of the pages asked for")
        family, keys = self._memo_keys(pages)
        memo = _load_memo(family) if family else None
        if memo is not None:
            hits = sum(1 for k in keys if k in memo["pages"])
            if 2 * hits < len(pages) or memo.get("generation", 0) >= MEMO_GENERATIONS:
                memo = None                   # mostly new pages: the fonts start afresh
        cv, doc = self._canvas(pages)
        if memo is not None and not self._prepare_replay(pages, keys, memo):
            cv, doc = self._canvas(pages)     # a memo that does not fit: drawn anew
            self.fonts = DocumentFonts(self.fontset, self.cache.fonts)
            memo = None
        self._memo = {"pages": {}} if family else None
        if memo is not None and isinstance(memo.get("slug"), dict):
            self._slug_glyphs = memo["slug"]    # the slug face is not loaded to set the slugs
        # the frames of the pages drawn before under the memo's fonts (``_draw``), and those
        # this export draws
        kept = memo.get("frames") if memo is not None else None
        self._kept_frames = kept or None
        self._new_frames = {} if family else None
        self._pages(pages, keys, memo)
        if family:
            frames = dict(kept) if kept and (self._new_frames is None or len(kept) + len(
                self._new_frames) <= FRAME_MEMO_LIMIT) else {}
            frames.update(self._new_frames or {})
            if frames:
                self._memo["frames"] = frames
            self._memo["fonts"] = self.fonts.state()
            self._memo["slug"] = self._slug_glyphs
            same = memo is not None and self._memo["fonts"] == memo["fonts"] and \
                self._memo["pages"].keys() == memo["pages"].keys()
            if not same:                    # (an export that changed nothing keeps the file)
                self._memo["generation"] = memo.get("generation", 0) + 1 if memo else 0
                _store_memo(family, self._memo)
        self._finish(path, cv, doc)

    def _canvas(self, pages):
        """A new canvas and document, with the document's info and metadata."""
        from . import pdfx
        from .canvas import Canvas
        cv = Canvas(pdfx.PDF_VERSION if self.print else (1, 4), self.opt.compress, self.print)
        if self.print:
            cv.ext_gstates = _ext_gstates()
        self.cv = cv
        doc = cv._doc
        title = document_title(self.opt, [p.number for p in pages])
        pdfx.install_info(doc, title, self.opt.info.paper_name or "",
                          "print" if self.print else "proof", self.print and self.opt.pdfx,
                          self.opt.keywords)
        if self.opt.xmp:
            pdfx.add_metadata(doc, self.opt.xmp)
        return cv, doc

    def _memo_keys(self, pages) -> tuple[str | None, list]:
        """(the key of this document with these options, the key of each page's drawing);
        (None, []) when a page was not composed through the layout cache.

        The document: the options (but the time and the round, which only the slug and
        the title show), its colours, the slug face, its pages' frames, the writer's
        code.  A page: its composed frames and the overset text shown below it."""
        if not all(getattr(p, "composed_from", "") for p in pages):
            return None, []
        import hashlib

        def sha(value) -> str:
            return hashlib.sha1(repr(value).encode("utf-8", "surrogatepass")).hexdigest()
        opt = replace(self.opt, export_time=None, keywords="", xmp="",
                      info=replace(self.opt.info, version=0))
        family = sha((opt, sorted(self.result.colors.items()), self.slug_key, _writer_version(),
                      [(p.number, tuple(f.frame_id for f in p.frames)) for p in pages]))
        keys = []
        for p in pages:
            over = self._overset_runs(p) if (not self.print and self.opt.show_overset) else []
            keys.append(sha((p.composed_from, [(r, cf.story) for r, cf in over])))
        return family, keys

    def _finish(self, path: str, cv, doc) -> None:
        """The fonts, the output intent, and the file."""
        from . import pdfx
        self.fonts.add_objects(doc)
        if self.print and self.opt.pdfx:
            ident, cond = self.profile.condition
            if self.opt.output_condition:
                ident = self.opt.output_condition
            pdfx.add_output_intent(doc, self.profile.data, ident, cond, self.profile.description)
        # not fsynced (the issue itself is): an export is made again from the issue, and
        # the sync cost 15–40 ms an export on this machine
        atomic_write(path, cv.data(), sync=False)

    def _layered(self, page):
        """The page without the frames of layers this export leaves out: hidden layers
        always (unless ``layers`` is all), non-printing ones in print and by default."""
        which = "printing" if self.print else self.opt.layers
        keep = tuple(f for f in page.frames
                     if which == "all" or (f.visible and (f.printable or which == "visible")))
        return page if len(keep) == len(page.frames) else replace(page, frames=keep)

    # ------------------------------------------------------------ one page
    def begin_page(self, page) -> None:
        """Size the page (trim, bleed, room for overset text) and draw what goes under it."""
        self._geometry(page)
        if not self.print and self.opt.watermark:
            self._watermark(page)

    def _geometry(self, page) -> None:
        """Size the page: trim, bleed, room for overset text below a proof."""
        opt = self.opt
        over = self._overset_runs(page) if (not self.print and opt.show_overset) else []
        self._over = over
        self._page_number = page.number
        if self.print:
            g = marks.print_geometry(page.width, page.height, opt.bleed, opt.crop_marks)
        else:
            below = marks.PROOF_STRIP if opt.slug else 0.0
            if over:
                deepest = max(max(r.ys) if r.ys else r.y for r, _ in over)
                below += max(0.0, deepest + 8.0 - page.height)
            g = marks.proof_geometry(page.width, page.height, below)
        self.g = g
        cv = self.cv
        cv.setPageSize((g.media_w, g.media_h))
        cv.setTrimBox(g.trim_box)
        if self.print:
            cv.setBleedBox(g.bleed_box)
        self._fill = None
        self._overprint = False

    def begin_frame(self, frame) -> None:
        """Remember the frame (image notes name it); a rotated frame's drawing is wrapped
        in ``q … cm`` turning it about the frame's centre."""
        self._frame = frame
        if frame.rotation % 360:
            self._saved_state = (self._fill, self._overprint)
            self._buf.append(f"q {rotation_cm(frame, self.g.ox, self.g.top)} cm\n")

    def end_frame(self, frame) -> None:
        """Close a rotated frame's transform (the fill and overprint state come back)."""
        if frame.rotation % 360:
            self._buf.append("Q\n")
            self._fill, self._overprint = self._saved_state

    def end_page(self, page) -> None:
        """Proof furniture or print marks, then the slug, and the page is written."""
        opt = self.opt
        g = self.g
        over = self._over
        if not self.print:
            if opt.frame_outlines:
                self._outlines(page)
            for run, cf in over:
                self._run(run, fill=C.rgb_fill(C.OVERSET_RGB))
            self._overset_labels(over)
        else:
            self._knockout()
            if opt.crop_marks:
                self._buf.append(marks.crop_marks(g, C.cmyk_stroke(C.REGISTRATION)))
        body = "".join(self._buf)           # all but the slug (it has the time)
        self._buf.clear()
        fill, overprint = self._fill, self._overprint
        self._page_slug(page)
        self._flush()
        body_z = self.cv.showPage(body)
        if self._memo is not None and self._page_key:
            # compressed, the drawing is kept only as the bytes it was written as
            self._memo["pages"][self._page_key] = ("" if body_z is not None else body, fill,
                                                   overprint, self._page_images, body_z)
        self._over = []
        self._page_images = []

    def _page_slug(self, page) -> None:
        """The slug line of a page (proof: under it; print: outside the bleed)."""
        opt, g = self.opt, self.g
        if not self.print:
            if opt.slug:
                self._slug(page, g.oy - marks.PROOF_STRIP + 7.0, g.ox + 6.0, C.rgb_fill(C.SLUG_RGB))
        elif opt.crop_marks:
            off = max(marks.MARK_OFFSET, g.bleed)
            self._slug(page, g.oy - off - marks.MARK_LENGTH + 1.0,
                       g.ox + off + 4.0, C.cmyk_fill(C.BLACK),
                       extra="PDF/X-1a:2001" if opt.pdfx else "")

    # ------------------------------------------------------------ an unchanged issue again
    def _prepare_replay(self, pages, keys, memo) -> bool:
        """Take up the CIDs of the memo's fonts and make the images of the pages it holds
        (kept for ``_pages``); False when it does not fit (a changed image, a font)."""
        self._replay_images = {}
        try:
            for page, key in zip(pages, keys):
                entry = memo["pages"].get(key)
                if entry is None:
                    continue
                self._geometry(page)
                made = []
                for name, fields, _frame in entry[3]:
                    prep = self._prepared(ImageItem(*fields))
                    if prep is None:
                        return False
                    made.append((name, self._xobject(prep)))
                self._replay_images[key] = made
        except (ImageError, OSError, TypeError, ValueError, IndexError):
            return False
        return self.fonts.restore(memo["fonts"])

    def _pages(self, pages, keys, memo) -> None:
        """Each page: replayed from the memo, or drawn by walking its frames."""
        for i, page in enumerate(pages):
            key = keys[i] if keys else None
            entry = memo["pages"].get(key) if memo is not None else None
            if entry is None:
                self._page_key = key
                if self._kept_frames is None and self._new_frames is None:
                    walk(self.result, self, [page])
                else:
                    self._draw(page)
                continue
            body, fill, overprint, _images, body_z = entry
            self._geometry(page)
            for name, xo in self._replay_images[key]:
                self.cv.add_image(xo, name)
            self._fill, self._overprint = fill, overprint
            if self._memo is not None:
                self._memo["pages"][key] = entry
            self._page_slug(page)
            self._flush()
            self.cv.showPage(body, body_z if self.opt.compress else None)

    def _draw(self, page) -> None:
        """``walk`` of one page, its frames drawn before (under the memo's fonts, at the
        same place, from the same drawing state) written as they were drawn then; the
        frames drawn are kept for the next export (``_new_frames``, compressed)."""
        import zlib

        from layout.result import walk_frame
        kept, new = self._kept_frames or {}, self._new_frames
        self.begin_page(page)
        for frame in page.frames:
            key = self._frame_key(frame)
            got = kept.get(key) if key is not None else None
            if got is not None:
                self._frame = frame
                self._buf.append(zlib.decompress(got[0]).decode("utf-8", "surrogatepass"))
                self._fill, self._overprint = got[1], got[2]
            else:
                start = len(self._buf)
                walk_frame(frame, self)
                if key is not None:
                    got = (zlib.compress("".join(self._buf[start:]).encode(
                        "utf-8", "surrogatepass"), 1), self._fill, self._overprint)
            if key is not None and new is not None:
                new[key] = got
        self.end_page(page)

    def _frame_key(self, frame) -> str | None:
        """The key of a frame's drawing here: its items (by the layout cache's encoding of
        them), place and turn, the page's origin and the fill and overprint it starts
        from; None for a frame with images (they are resources of the page) or whose
        items' encoding is not known."""
        from layout.result import items_blob
        blob = items_blob(frame)
        if blob is None or type(blob[0]) not in (bytes, str) or \
                any(type(it) is ImageItem for it in frame.graphics):
            return None
        import hashlib

        from layout.diskcache import items_name
        # the items' bytes, or their SHA-1 (the name a page kept in the layout cache
        # gives them, its frames' items not read)
        name = blob[0] if type(blob[0]) is str else items_name(blob[0])
        return hashlib.sha1(repr((name, frame.rect, frame.rotation, self.g.ox, self.g.top,
                                  self._fill, self._overprint)).encode(
            "utf-8", "surrogatepass")).hexdigest()

    def _flush(self) -> None:
        if self._buf:
            self.cv.addLiteral("".join(self._buf))
            self._buf.clear()

    # ------------------------------------------------------------ state
    def _set_fill(self, op: str) -> None:
        if op != self._fill:
            self._buf.append(op + "\n")
            self._fill = op

    def _set_overprint(self, on: bool) -> None:
        if self.print and on != self._overprint:
            self._buf.append(f"/{_GS_OVERPRINT if on else _GS_KNOCKOUT} gs\n")
            self._overprint = on

    def _knockout(self) -> None:
        self._set_overprint(False)

    def _overprints(self, swatch: str) -> bool:
        return self.print and self.opt.overprint_black and self.inks.is_black(swatch)

    # ------------------------------------------------------------ text
    def glyph_run(self, run: GlyphRun, line) -> None:
        """Draw a run in its colour."""
        self._run(run)

    def _run(self, run: GlyphRun, fill: str | None = None) -> None:
        if not run.glyphs:
            return
        f, cids = self.fonts.encode(run.font, run.glyphs, run.text)
        self._set_overprint(fill is None and self._overprints(run.color))
        self._set_fill(fill or self.inks.fill(run.color))
        g = self.g
        if run.ys is not None:
            textops.vertical(self._buf, f.resource, run.size, cids, f.hexes, run.xs, run.ys,
                             run.rotate, g.ox, g.top, run.hscale, run.vscale)
        else:
            textops.horizontal(self._buf, f.resource, run.size, cids, f.widths, f.hexes,
                               run.xs, g.ox, g.top - run.y, run.hscale, run.vscale)

    def _text_line(self, text: str, size: float, x: float, y_pdf: float, fill: str) -> None:
        """Writer-owned text (slug, labels) in the slug face, baseline at PDF y."""
        if not self.slug_key:
            return
        gids, xs, kept = marks.set_line(lambda: self.fontset.face(self.slug_key), text, size, x,
                                        self._slug_glyphs)
        if not gids:
            return
        f, cids = self.fonts.encode(self.slug_key, gids, kept)
        self._set_fill(fill)
        textops.horizontal(self._buf, f.resource, size, cids, f.widths, f.hexes, xs, 0.0, y_pdf)

    # ------------------------------------------------------------ items
    def _xy(self, x: float, y: float) -> str:
        return f"{self.g.ox + x:.3f} {self.g.top - y:.3f}"

    def rule(self, r: RuleItem) -> None:
        """A straight line."""
        if r.weight <= 0:
            return
        self._set_overprint(self._overprints(r.color))
        dash = "[" + " ".join(f"{d:.3f}" for d in r.dash) + "] 0 d" if r.dash else "[] 0 d"
        self._buf.append(f"{r.weight:.3f} w {dash} {self.inks.stroke(r.color)} "
                         f"{self._xy(r.x0, r.y0)} m {self._xy(r.x1, r.y1)} l S\n")

    def box(self, b: BoxItem) -> None:
        """A rectangle, filled and/or stroked."""
        x, y, w, h = b.rect
        rect = f"{self.g.ox + x:.3f} {self.g.top - y - h:.3f} {w:.3f} {h:.3f} re"
        if b.fill:
            self._set_overprint(False)
            self._set_fill(self.inks.fill(b.fill))
            self._buf.append(rect + " f\n")
        if b.stroke > 0:
            self._set_overprint(self._overprints(b.color))
            self._buf.append(f"{b.stroke:.3f} w [] 0 d {self.inks.stroke(b.color)} {rect} S\n")

    def path(self, p: PathItem) -> None:
        """Vector outlines: patterned borders and rules, filled and/or stroked."""
        parts = []
        for op in p.ops:
            c = op[0]
            if c == "Z":
                parts.append("h")
                continue
            pts = " ".join(self._xy(op[i], op[i + 1]) for i in range(1, len(op), 2))
            parts.append(pts + {"M": " m", "L": " l", "C": " c"}[c])
        if not parts:
            return
        stroke = p.stroke > 0
        # line art in 100 % K overprints like rules; a fill of another colour knocks out
        self._set_overprint(self._overprints(p.color) and (not p.fill or p.fill == p.color))
        if p.fill:
            self._set_fill(self.inks.fill(p.fill))
        head = f"{p.stroke:.3f} w [] 0 d 0 J 0 j {self.inks.stroke(p.color)}\n" if stroke else ""
        paint = "B" if p.fill and stroke else ("f" if p.fill else "S")
        self._buf.append(head + "\n".join(parts) + f" {paint}\n")

    def image(self, item: ImageItem) -> None:
        """An image clipped to its frame (a placeholder when it cannot be drawn)."""
        page, fr = self._page_number, self._frame
        g = self.g
        try:
            prep = self._prepared(item)
        except ImageError as exc:
            self.notes.append((page, fr.frame_id, str(exc)))
            self._placeholder(item.clip)
            return
        if prep is None:
            return
        if prep.converted:
            self.notes.append((page, fr.frame_id, prep.converted))
        if self.print and prep.mode not in ("CMYK", "L"):
            raise AssertionError(f"print export got a {prep.mode} image")
        xo = self._xobject(prep)
        cx, cy, cw, ch = item.clip
        x, y, w, h = prep.rect
        self._set_overprint(False)
        name = self.cv.add_image(xo)
        self._page_images.append((name, tuple(getattr(item, n) for n in _IMAGE_FIELDS),
                                  fr.frame_id))
        self._buf.append(f"q {g.ox + cx:.3f} {g.top - cy - ch:.3f} {cw:.3f} {ch:.3f} re W n "
                         f"{w:.4f} 0 0 {h:.4f} {g.ox + x:.4f} {g.top - y - h:.4f} cm "
                         f"/{name} Do Q\n")

    def _prepared(self, item: ImageItem):
        """The image's pixels prepared for this export (kept in memory and on disk)."""
        g = self.g
        b = g.bleed
        area = (-b, -b, g.w + 2 * b, g.h + 2 * b)
        ceiling = self.opt.image_ppi_ceiling if self.print else self.opt.proof_image_ppi
        opt = self.opt
        params = (item.clip, item.rect, tuple(item.pixel_size), area, self.print, ceiling,
                  opt.downsample_threshold, self.profile.path, self.profile.intent,
                  opt.jpeg_quality, opt.max_image_pixels)
        return self.cache.image(item.path, params, lambda: _on_disk(item.path, params, lambda: prepare(
            item, area, cmyk=self.print, ppi_ceiling=ceiling, profile=self.profile,
            jpeg_quality=opt.jpeg_quality, max_pixels=opt.max_image_pixels,
            threshold=opt.downsample_threshold)))

    def _xobject(self, prep):
        """The image XObject of prepared pixels (JPEG passed through, or raw + Flate)."""
        if prep.jpeg is not None:
            head = jpeg_header(prep.jpeg)      # no image library for a passed-through JPEG
            if head is not None:
                size, adobe = head[:2], head[2]
            else:
                from PIL import Image
                with Image.open(io.BytesIO(prep.jpeg)) as im:
                    size, adobe = im.size, "adobe" in im.info
            return pdfobjects.image_xobject(size[0], size[1], prep.mode, prep.jpeg, True,
                                            inverted=adobe)
        im = prep.image
        return pdfobjects.image_xobject(im.size[0], im.size[1], prep.mode, im.tobytes(),
                                        False, self.opt.compress)

    def _placeholder(self, clip) -> None:
        """A crossed box where an image could not be drawn."""
        x, y, w, h = clip
        x0, y0 = self.g.ox + x, self.g.top - y - h
        op = C.cmyk_stroke(C.BLACK) if self.print else C.rgb_stroke((0.5, 0.5, 0.5))
        self._set_overprint(False)
        self._buf.append(f"q 0.5 w [] 0 d {op} {x0:.3f} {y0:.3f} {w:.3f} {h:.3f} re "
                         f"{x0:.3f} {y0:.3f} m {x0 + w:.3f} {y0 + h:.3f} l "
                         f"{x0:.3f} {y0 + h:.3f} m {x0 + w:.3f} {y0:.3f} l S Q\n")

    # ------------------------------------------------------------ proof furniture
    def _overset_runs(self, page) -> list:
        """(run, copyfit) of stories whose last frame is on this page."""
        by_page = self._overset_by_page
        if by_page is None:                 # (asked for each page, up to three times)
            last_page: dict[str, int] = {}
            for p in self.result.pages:
                for fr in p.frames:
                    if fr.story:
                        last_page[fr.story] = p.number
            by_page = self._overset_by_page = {}
            for sid, cf in self.result.copyfit.items():
                if cf.overset_runs and sid in last_page:
                    by_page.setdefault(last_page[sid], []).extend(
                        (r, cf) for r in cf.overset_runs)
        return list(by_page.get(page.number, ()))

    def _overset_labels(self, over) -> None:
        seen = set()
        for run, cf in over:
            if cf.story in seen or not run.xs:
                continue
            seen.add(cf.story)
            runs = [r for r, c in over if c is cf and r.xs]
            x0 = min(r.xs[0] for r in runs)
            x1 = max(r.right for r in runs)
            top = min(r.y for r in runs) - runs[0].size * 1.2
            bot = max(r.y for r in runs) + runs[0].size * 0.4
            g = self.g
            self._buf.append(f"q 0.6 w [2 1.5] 0 d {C.rgb_stroke(C.OVERSET_RGB)} "
                             f"{g.ox + x0 - 2:.3f} {g.top - bot:.3f} {x1 - x0 + 4:.3f} "
                             f"{bot - top:.3f} re S Q\n")
            self._fill = None
            self._text_line(f"{cf.label()}（{cf.story}）", 7.0, g.ox + x0 - 2,
                            g.top - (top - 2.0), C.rgb_fill(C.OVERSET_RGB))

    def _outlines(self, page) -> None:
        g = self.g
        ops = [f"q 0.3 w [3 2] 0 d {C.rgb_stroke(C.OUTLINE_RGB)}"]
        for fr in page.frames:
            x, y, w, h = fr.rect
            rect = f"{g.ox + x:.3f} {g.top - y - h:.3f} {w:.3f} {h:.3f} re S"
            turned = fr.rotation % 360
            ops.append(f"q {rotation_cm(fr, g.ox, g.top)} cm {rect} Q" if turned else rect)
        ops.append("Q\n")
        self._buf.append("\n".join(ops))

    def _watermark(self, page) -> None:
        """A light diagonal 校样 as filled outlines (kept out of the text layer)."""
        if not self.slug_key:
            return
        face = self.fontset.face(self.slug_key)
        text = self.opt.watermark_text
        size = min(page.width, page.height) / max(2, len(text) + 1)
        gids, xs, _ = marks.set_line(face, text, size, 0.0)
        if not gids:
            return
        import math
        width = xs[-1] + size
        ang = math.degrees(math.atan2(page.height, page.width)) * 0.6
        ca, sa = math.cos(math.radians(ang)), math.sin(math.radians(ang))
        cx, cy = self.g.ox + page.width / 2, self.g.oy + page.height / 2
        sx, sy = cx - ca * width / 2 + sa * size * 0.35, cy - sa * width / 2 - ca * size * 0.35
        origins = [(sx + ca * x, sy + sa * x) for x in xs]
        prog = self.fonts.face(self.slug_key).program
        paths = glyph_paths(prog, gids, origins, size, ang)
        self._buf.append(f"q {C.rgb_fill(C.WATERMARK_RGB)}\n{paths}\nf Q\n")

    def _slug(self, page, y_pdf: float, x: float, fill: str, extra: str = "") -> None:
        self._set_overprint(self.print and self.opt.overprint_black)   # K text, like the page's
        text = marks.slug_text(self.opt.info, page.number, self.opt.sections.get(page.number, ""),
                               self.opt.export_time, extra)
        self._text_line(text, marks.SLUG_SIZE, x, y_pdf, fill)


def rotation_cm(frame, ox: float, top: float) -> str:
    """The six ``cm`` operands turning a frame by its rotation about its centre.

    The result's y grows downwards and its angles turn clockwise; PDF's y grows
    upwards, so the same visual turn is the negative angle there.
    """
    cx, cy = frame.center
    px, py = ox + cx, top - cy
    a = math.radians(-frame.rotation)
    c, s = math.cos(a), math.sin(a)
    e, f = px - c * px + s * py, py - s * px - c * py
    return f"{c:.6f} {s:.6f} {-s:.6f} {c:.6f} {e:.4f} {f:.4f}"


_IMAGE_FIELDS = ("clip", "rect", "path", "pixel_size", "effective_ppi")
_WRITER: str | None = None
MEMO_FORMAT = 5
MEMO_GENERATIONS = 20       # exports that add to one memo's fonts before they start afresh
FRAME_MEMO_LIMIT = 2000     # frames kept at most (then those of the last export alone)


def _writer_version() -> str:
    """A digest of the output package's source files (read once per process)."""
    global _WRITER
    if _WRITER is None:
        import hashlib
        from pathlib import Path

        from layout.diskcache import _sources_digest
        # the name and bytes of each source file, kept in the cache folder by the files'
        # names, sizes and times (the sources are read only when one changed)
        _WRITER = _sources_digest(Path(__file__).resolve().parent,
                                  hashlib.sha1(b"banmian-writer-%d" % MEMO_FORMAT))
    return _WRITER


def _memo_file(key: str):
    from common.fs import cache_dir
    return cache_dir("pages", key + ".marshal")


def _load_memo(key: str) -> dict | None:
    """The pages an earlier export drew under ``key`` (None: none, or unreadable)."""
    import marshal

    from common.fs import cache_read_checked
    try:
        fmt, memo = marshal.loads(cache_read_checked(_memo_file(key)))
        if fmt != MEMO_FORMAT or not isinstance(memo, dict) or \
                not isinstance(memo.get("fonts"), list) or \
                not isinstance(memo.get("pages"), dict) or \
                not all(isinstance(e, tuple) and len(e) == 5 and isinstance(e[0], str)
                        and isinstance(e[4], (bytes, type(None)))
                        for e in memo["pages"].values()) or \
                not all(type(v) is tuple and len(v) == 2 and type(v[0]) is int
                        and type(v[1]) is float for v in memo.get("slug", {}).values()) or \
                not isinstance(memo.get("frames", {}), dict) or \
                not all(type(v) is tuple and len(v) == 3 and type(v[0]) is bytes
                        and type(v[2]) is bool for v in memo.get("frames", {}).values()):
            return None                       # not one of ours
        return memo
    except (OSError, EOFError, ValueError, TypeError, AttributeError):
        return None


def _store_memo(key: str, memo: dict) -> None:
    """Keep the pages drawn under ``key`` (a failed write is skipped): checked and written
    in place (half a MB: a temporary file renamed over the last one frees that one's
    blocks, 4 times dearer here), a reader meeting it half written finds no memo."""
    import marshal

    from common.fs import cache_write_checked
    try:
        cache_write_checked(_memo_file(key), marshal.dumps((MEMO_FORMAT, memo)))
    except (OSError, ValueError):
        pass


def first_font(result: LayoutResult) -> str:
    """The face of the first glyph run in the result (slug and labels use it), told by
    each frame's run styles (``result.run_styles``: a frame read from the layout cache
    and not drawn is not decoded for it)."""
    from layout.result import run_styles
    for p in result.pages:
        for fr in p.frames:
            styles = run_styles(fr)
            if styles:
                return styles[0][0]
    for cf in result.copyfit.values():
        for run in cf.overset_runs:
            return run.font
    return ""


def _on_disk(path: str, params: tuple, make):
    """A prepared image from the cache directory (``images/``), or ``make()`` stored there.

    Keyed by the image file's path, size and time and the preparation parameters;
    images over 32 MB of pixels are not kept.
    """
    import hashlib
    import marshal
    import os

    from common.fs import cache_dir, cache_read_checked, cache_write_checked

    from .images import PreparedImage
    try:
        st = os.stat(path)
    except OSError:
        return make()
    key = repr((1, os.path.abspath(path), st.st_size, st.st_mtime_ns, params))
    file = cache_dir("images", hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest())
    try:
        blob = cache_read_checked(file)
        if blob is not None:
            jpeg, pixels, rect, mode, converted = marshal.loads(blob)
            image = None
            if pixels is not None:
                from PIL import Image
                image = Image.frombytes(pixels[0], tuple(pixels[1]), pixels[2])
            return PreparedImage(image, jpeg, tuple(rect), mode, converted)
    except (OSError, EOFError, ValueError, TypeError):
        pass
    prep = make()
    if prep is None:
        return prep
    im = prep.image
    pixels = (im.mode, tuple(im.size), im.tobytes()) if im is not None else None
    if (pixels is None or len(pixels[2]) <= 32 << 20) and (im is None or im.mode in (
            "1", "L", "RGB", "CMYK")):
        try:
            cache_write_checked(file, marshal.dumps((prep.jpeg, pixels, tuple(prep.rect),
                                                     prep.mode, prep.converted)))
        except (OSError, ValueError):
            pass
    return prep
