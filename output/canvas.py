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

from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen import canvas as rl_canvas

from . import pdfobjects


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

    def showPage(self):                         # noqa: N802
        """End the page, giving it a Flate-compressed content stream of our own."""
        super().showPage()
        page = self._doc.Pages.pages[-1]
        page.Contents = pdfobjects.stream(page.stream, self.compress_pages, level=4)
        page.stream = None
        self._images = {}

    def data(self) -> bytes:
        """The whole file (the canvas is finished)."""
        return self.getpdfdata()


def ext_gstate(on: bool):
    """An ExtGState with overprint on or off (OPM 1 with it, so 0% inks do not knock out)."""
    v = "true" if on else "false"
    return pdfdoc.PDFDictionary({"Type": pdfdoc.PDFName("ExtGState"), "OP": v, "op": v,
                                 "OPM": 1 if on else 0})
