"""The ReportLab canvas the PDF writer draws on (``output.pdf`` imports this module,
and with it ReportLab, only when it writes a file).

ReportLab's ``pdfdoc`` makes the file: its document, catalog, page tree, pages,
resources, cross-reference table and trailer.  The writer gives each page its
content as literal operators (``addLiteral``); the page's content stream is a
stream of ours (Flate at the writer's level), and its ExtGState and image XObject
resources are ours too.
"""
from __future__ import annotations

import io

from . import pdfobjects
from .lazypil import defer_pil_image

defer_pil_image()     # before ReportLab, which imports it

from reportlab.pdfbase import pdfdoc  # noqa: E402
from reportlab.pdfgen import canvas as rl_canvas  # noqa: E402



class Canvas(rl_canvas.Canvas):
    """A ReportLab canvas with no default font in the page preamble (so no Helvetica),
    our own ExtGState and image resources, and page streams compressed by us."""

    ext_gstates: dict | None = None
    compress_pages: bool = True

    def __init__(self, version: tuple[int, int] | None, compress: bool, cmyk: bool):
        """A document of this PDF ``version`` (None: ReportLab's); Flate-compressed
        streams when ``compress``; ``cmyk``: ReportLab refuses RGB colours of its own."""
        self._out = io.BytesIO()
        super().__init__(self._out, pagesize=(595, 842), pageCompression=0,
                         pdfVersion=version, enforceColorSpace="cmyk" if cmyk else None)
        self._doc.compression = 1 if compress else 0
        self.compress_pages = compress
        self._images: dict[str, object] = {}
        self._image_count = 0

    def _make_preamble(self):
        self._preamble = "1 0 0 1 0 0 cm"

    def _setExtGState(self, obj):               # noqa: N802 (ReportLab's name)
        if self.ext_gstates:
            obj.ExtGState = pdfdoc.PDFDictionary(dict(self.ext_gstates))
        else:
            super()._setExtGState(obj)

    def _setXObjects(self, thing):              # noqa: N802
        thing.XObjects = pdfdoc.PDFDictionary(dict(self._images)) if self._images else None

    def add_image(self, xobject, name: str | None = None) -> str:
        """Register an image XObject for the current page (under ``name`` when given,
        as a replayed page's drawing names it); its resource name."""
        self._image_count += 1
        name = name or f"Im{self._image_count}"
        self._images[name] = self._doc.Reference(xobject)
        self._currentPageHasImages = 1
        return name

    def showPage(self, body: str | None = None, body_z: bytes | None = None):  # noqa: N802
        """End the page, giving it Flate-compressed content streams of our own.

        ``body``: the page's drawing but its slug (which ``addLiteral`` gave): it goes
        in a stream of its own before the rest, so that a page drawn before reuses its
        compressed bytes (``body_z``, as this call returned them); the two streams are
        the page's ``Contents`` array, which a reader joins into one.  Returns the
        body's compressed bytes (None when streams are not compressed or no body)."""
        super().showPage()
        page = self._doc.Pages.pages[-1]
        self._images = {}
        if body is None:
            page.Contents = pdfobjects.stream(page.stream, self.compress_pages, level=4)
            page.stream = None
            return None
        head = self._preamble + "\n" + body + "\n"
        rest = page.stream[len(self._preamble) + 1:]      # the slug, and ReportLab's " \n"
        if self.compress_pages:
            if body_z is None:
                body_z = pdfobjects.Flate(4).encode(head)
            first = pdfdoc.PDFStream(content=body_z, filters=[pdfobjects.Encoded("FlateDecode")])
        else:
            body_z = None
            first = pdfobjects.stream(head, False)
        doc = self._doc
        page.Contents = pdfdoc.PDFArray([doc.Reference(first), doc.Reference(
            pdfobjects.stream(rest, self.compress_pages, level=4))])
        page.stream = None
        return body_z

    def data(self) -> bytes:
        """The whole file (the canvas is finished)."""
        return self.getpdfdata()


def ext_gstate(on: bool):
    """An ExtGState with overprint on or off (OPM 1 with it, so 0% inks do not knock out)."""
    v = "true" if on else "false"
    return pdfdoc.PDFDictionary({"Type": pdfdoc.PDFName("ExtGState"), "OP": v, "op": v,
                                 "OPM": 1 if on else 0})
