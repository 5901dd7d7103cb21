"""The document the PDF writer draws into (``output.pdf`` imports this module, and with it
ReportLab's ``pdfdoc``, only when it writes a file).

ReportLab's ``pdfdoc`` makes the file: its document, catalog, page tree, Info,
object numbers, cross-reference table and trailer.  The objects a page adds are
ours and format themselves with no per-key work: the page dictionary (``Page``),
its content streams and its image XObjects (``RawStream``: bytes already encoded
with a dictionary given as text).  ReportLab's own canvas (``pdfgen``) is not
used: it only wrapped the page dictionary and a stream of operators, and its
import and its page objects' formatting (a PDFName and a number formatter per key)
were a third of a warm export's writing.
"""
from __future__ import annotations

from . import pdfobjects
from .lazypil import defer_pil_image, defer_unused, reportlab_imported

defer_pil_image()     # before ReportLab, which imports it
defer_unused()        # (ast, ReportLab's restricted evaluator: likewise)

from reportlab.lib.rl_accel import fp_str  # noqa: E402
from reportlab.pdfbase import pdfdoc  # noqa: E402

reportlab_imported()

#: what ReportLab's canvas put in every page's stream first (no default font: no Helvetica)
PREAMBLE = "1 0 0 1 0 0 cm"
_PROCSET = b"[/PDF /Text /ImageB /ImageC /ImageI]"


def _ref(document, name: str) -> bytes:
    """``N 0 R`` of a registered object."""
    n, v = document.idToObjectNumberAndVersion[name]
    return b"%d %d R" % (n, v)


def _box(box) -> bytes:
    """A box's array, its numbers as ReportLab writes them (``fp_str``)."""
    return ("[" + fp_str(*box) + "]").encode("ascii")


class RawStream(pdfdoc.PDFObject):
    """A stream of bytes already encoded (``filter``: the filter name they are encoded
    with, or ""), with further dictionary entries given as PDF text (``entries``)."""
    __RefOnly__ = 1

    def __init__(self, data: bytes, filter: str = "", entries: str = ""):  # noqa: A002
        """Keep the bytes; nothing is formatted until the file is."""
        self.data = data
        self.head = (f" /Filter /{filter}" if filter else "") + (" " + entries if entries else "")

    def format(self, document) -> bytes:
        """``<< /Length … >> stream … endstream`` (no encryption: the writer never encrypts)."""
        data = self.data
        return (b"<< /Length %d%s >>\nstream\n" % (len(data), self.head.encode("latin-1"))
                + data + (b"endstream\n" if data.endswith(b"\n") else b"\nendstream\n"))


class RawDict(pdfdoc.PDFObject):
    """A dictionary of (key, value) pairs: a value is PDF text as it is, another object
    (written as a reference to it) or a list of objects (an array of references)."""
    __RefOnly__ = 1

    def __init__(self, items: list):
        """Keep the items; references are numbered when the file is formatted."""
        self.items = items

    def format(self, document) -> bytes:
        """``<< /Key value … >>``."""
        parts = []
        for key, value in self.items:
            if isinstance(value, str):
                text = value.encode("latin-1")
            elif isinstance(value, list):
                text = b"[" + b" ".join(document.Reference(v).format(document)
                                        for v in value) + b"]"
            else:
                text = document.Reference(value).format(document)
            parts.append(b"/" + key.encode("ascii") + b" " + text)
        return b"<< " + b"\n ".join(parts) + b" >>"


class Page(pdfdoc.PDFObject):
    """A page dictionary: boxes, the resources (the document's fonts, our images and
    ExtGStates) and its content streams, formatted in one go."""
    __RefOnly__ = 1

    def __init__(self, media: tuple, boxes: dict, contents: list, images: dict,
                 ext_gstates: bytes | None):
        """``contents``: the content streams' reference names, in order; ``images``:
        resource name → an image's reference name; ``ext_gstates``: the ExtGState
        dictionary's text or None."""
        self.media = media
        self.boxes = boxes
        self.contents = contents
        self.images = images
        self.ext_gstates = ext_gstates

    def format(self, document) -> bytes:
        """The page's dictionary."""
        parts = [b"<< /Type /Page /Parent ", document.Reference(document.Pages).format(document),
                 b"\n /MediaBox ", _box(self.media)]
        for key, box in self.boxes.items():
            parts += [b"\n /", key.encode("ascii"), b" ", _box(box)]
        parts += [b"\n /Resources << /Font ", _ref(document, pdfdoc.BasicFonts),
                  b" /ProcSet ", _PROCSET]
        if self.images:
            parts.append(b"\n /XObject << " + b" ".join(
                b"/%s %s" % (name.encode("ascii"), _ref(document, ref))
                for name, ref in self.images.items()) + b" >>")
        if self.ext_gstates:
            parts += [b"\n /ExtGState ", self.ext_gstates]
        contents = [_ref(document, c) for c in self.contents]
        parts += [b" >>\n /Contents ", contents[0] if len(contents) == 1
                  else b"[" + b" ".join(contents) + b"]", b"\n>>"]
        return b"".join(parts)


class Canvas:
    """Pages drawn as literal operators into ReportLab's document, with our own page,
    content stream, ExtGState and image objects (the methods keep the names of
    ReportLab's canvas, which this once was)."""

    ext_gstates: dict | None = None
    compress_pages: bool = True

    def __init__(self, version: tuple[int, int] | None, compress: bool, cmyk: bool):
        """A document of this PDF ``version`` (None: ReportLab's); Flate-compressed
        streams when ``compress``; ``cmyk``: the print file (no RGB of our own either)."""
        self._doc = pdfdoc.PDFDocument(compression=1 if compress else 0,
                                       pdfVersion=version or pdfdoc.PDF_VERSION_DEFAULT)
        self.compress_pages = compress
        self.cmyk = cmyk
        self._images: dict[str, str] = {}
        self._image_count = 0
        self._code: list[str] = []
        self._pagesize = (595, 842)
        self._boxes: dict[str, tuple] = {}
        self._gstates_text: bytes | None = None

    # ------------------------------------------------------------ page settings
    def setPageSize(self, size) -> None:            # noqa: N802 (ReportLab's names)
        """The media box of this and later pages: (width, height)."""
        self._pagesize = (size[0], size[1])

    def setTrimBox(self, box) -> None:              # noqa: N802
        """The trim box of this and later pages (x0, y0, x1, y1)."""
        self._boxes["TrimBox"] = tuple(box)

    def setBleedBox(self, box) -> None:             # noqa: N802
        """The bleed box of this and later pages (x0, y0, x1, y1)."""
        self._boxes["BleedBox"] = tuple(box)

    def addLiteral(self, text: str) -> None:        # noqa: N802
        """Operators for the page's stream, as they are."""
        self._code.append(text)

    def add_image(self, xobject, name: str | None = None) -> str:
        """Register an image XObject for the current page (under ``name`` when given,
        as a replayed page's drawing names it); its resource name."""
        self._image_count += 1
        name = name or f"Im{self._image_count}"
        self._images[name] = self._doc.Reference(xobject).name
        return name

    def _stream(self, data: str) -> str:
        """A content stream of ``data`` registered in the document (compressed when the
        pages are); its reference name."""
        if self.compress_pages:
            s = RawStream(pdfobjects.Flate(4).encode(data), "FlateDecode")
        else:
            s = RawStream(data.encode("latin-1"))
        return self._doc.Reference(s).name

    def showPage(self, body: str | None = None, body_z: bytes | None = None):  # noqa: N802
        """End the page, giving it Flate-compressed content streams of our own.

        ``body``: the page's drawing but its slug (which ``addLiteral`` gave): it goes
        in a stream of its own before the rest, so that a page drawn before reuses its
        compressed bytes (``body_z``, as this call returned them); the two streams are
        the page's ``Contents`` array, which a reader joins into one.  Returns the
        body's compressed bytes (None when streams are not compressed or no body)."""
        doc = self._doc
        rest = "".join(self._code) + " \n"
        contents = []
        if body is None:
            contents.append(self._stream(PREAMBLE + "\n" + rest))
        elif self.compress_pages:
            if body_z is None:
                body_z = pdfobjects.Flate(4).encode(PREAMBLE + "\n" + body + "\n")
            contents.append(doc.Reference(RawStream(body_z, "FlateDecode")).name)
        else:
            body_z = None
            contents.append(self._stream(PREAMBLE + "\n" + body + "\n"))
        if body is not None:
            contents.append(self._stream(rest))
        if self.ext_gstates and self._gstates_text is None:
            self._gstates_text = pdfdoc.PDFDictionary(dict(self.ext_gstates)).format(doc)
        w, h = self._pagesize
        page = Page((0, 0, w, h), dict(self._boxes), contents, self._images,
                    self._gstates_text)
        doc.addPage(page)
        self._images = {}
        self._code = []
        return body_z

    def data(self) -> bytes:
        """The whole file (the canvas is finished)."""
        s = self._doc.GetPDFData(self)
        return s.encode("latin-1") if isinstance(s, str) else s


def ext_gstate(on: bool):
    """An ExtGState with overprint on or off (OPM 1 with it, so 0% inks do not knock out)."""
    v = "true" if on else "false"
    return pdfdoc.PDFDictionary({"Type": pdfdoc.PDFName("ExtGState"), "OP": v, "op": v,
                                 "OPM": 1 if on else 0})
