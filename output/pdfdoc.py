"""The PDF file itself: objects, pages, cross-reference table and trailer.

A small serializer of our own (the writer needs a handful of object kinds and
writes its content streams itself), so an export loads no PDF library.  The
names follow the part of ReportLab's ``pdfdoc`` the writer used before:
``PDFName``, ``PDFString``, ``PDFArray``, ``PDFDictionary`` (``.dict``),
``PDFStream`` (``.dictionary``, filters with ``pdfname`` and ``encode``), and
``Document.Reference(obj, name)`` for indirect objects.  A Python ``str`` in an
object is written as it is (a ready-made PDF token such as ``true`` or a ``W``
array); numbers with at most five decimals.
"""
from __future__ import annotations

import hashlib
import time

PRODUCER = "Banmian 版面"
_DELIMS = frozenset(b"()<>[]{}/%#")


class PDFName(str):
    """A name object (``/Type``); characters outside the regular set are #-escaped."""

    def pdf(self) -> bytes:
        out = bytearray(b"/")
        for b in self.encode("utf-8"):
            if b < 0x21 or b > 0x7E or b in _DELIMS:
                out += b"#%02X" % b
            else:
                out.append(b)
        return bytes(out)


class PDFString:
    """A text string: PDFDocEncoding-safe ASCII as a literal, anything else in UTF-16BE."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = "" if text is None else str(text)

    def pdf(self) -> bytes:
        t = self.text
        if all(" " <= c <= "~" for c in t):
            raw = t.encode("ascii")
        else:
            raw = "\ufeff".encode("utf-16-be") + t.encode("utf-16-be", "surrogatepass")
        out = bytearray(b"(")
        for b in raw:
            if b in b"()\\":
                out += b"\\" + bytes((b,))
            elif b < 0x20 or b > 0x7E:
                out += b"\\%03o" % b
            else:
                out.append(b)
        out += b")"
        return bytes(out)


def pdf_date(ts: float | None = None) -> str:
    """A PDF date (``D:YYYYMMDDHHmmSS+00'00'``, UTC) of a time stamp (default: now)."""
    return time.strftime("D:%Y%m%d%H%M%S+00'00'", time.gmtime(time.time() if ts is None else ts))


class PDFDate(PDFString):
    """A date string (UTC) of a time stamp."""

    def __init__(self, ts: float | None = None, dateFormatter=None):     # noqa: N803
        super().__init__(pdf_date(ts))


class PDFArray(list):
    """An array object."""


class PDFDictionary:
    """A dictionary object; its entries are in ``dict``."""

    def __init__(self, entries: dict | None = None):
        self.dict = dict(entries or {})

    def __setitem__(self, key, value):
        self.dict[key] = value

    def __getitem__(self, key):
        return self.dict[key]

    def __contains__(self, key) -> bool:
        return key in self.dict


class PDFStream:
    """A stream: ``content`` (bytes, or str written as Latin-1) encoded by ``filters`` in
    order (each has ``pdfname`` and ``encode(data)``); ``dictionary`` holds extra entries."""

    def __init__(self, content=b"", filters=None, dictionary: dict | None = None):
        self.content = content
        self.filters = list(filters or [])
        self.dictionary = PDFDictionary(dictionary)


class Ref:
    """An indirect reference (``n 0 R``)."""

    __slots__ = ("number",)

    def __init__(self, number: int):
        self.number = number

    def pdf(self) -> bytes:
        return b"%d 0 R" % self.number


def _num(v: float) -> bytes:
    if v == int(v) and abs(v) < 1e15:
        return b"%d" % int(v)
    s = ("%.5f" % v).rstrip("0").rstrip(".")
    return (s if s not in ("", "-0") else "0").encode("ascii")


def fmt(obj) -> bytes:
    """An object's PDF syntax (direct; streams only through a reference)."""
    t = type(obj)
    if t is Ref or t is PDFName or t is PDFString or t is PDFDate:
        return obj.pdf()
    if t is str:
        return obj.encode("latin-1")
    if t is bool:
        return b"true" if obj else b"false"
    if t is int:
        return b"%d" % obj
    if t is float:
        return _num(obj)
    if obj is None:
        return b"null"
    if isinstance(obj, PDFDictionary):
        return _dict(obj.dict)
    if isinstance(obj, dict):
        return _dict(obj)
    if isinstance(obj, (list, tuple)):
        return b"[ " + b" ".join(fmt(v) for v in obj) + b" ]"
    if isinstance(obj, (PDFName, PDFString, Ref)):
        return obj.pdf()
    if isinstance(obj, (int, float)):
        return fmt(float(obj)) if isinstance(obj, float) else b"%d" % obj
    raise TypeError(f"cannot write a {t.__name__} into a PDF")


def _dict(d: dict) -> bytes:
    parts = [b"<<"]
    for k, v in d.items():
        if v is None:
            continue
        parts.append(PDFName(k).pdf() + b" " + fmt(v))
    parts.append(b">>")
    return b"\n".join(parts)


def _stream(s: PDFStream) -> bytes:
    data = s.content
    if isinstance(data, str):
        data = data.encode("latin-1")
    for f in s.filters:
        data = f.encode(data)
    d = dict(s.dictionary.dict)
    if s.filters:
        names = [PDFName(f.pdfname) for f in reversed(s.filters)]
        d["Filter"] = names[0] if len(names) == 1 else PDFArray(names)
    d["Length"] = len(data)
    return _dict(d) + b"\nstream\n" + data + b"\nendstream"


class Page:
    """One page: its boxes, resources and content stream (written by ``Document``)."""

    def __init__(self, media: tuple, content, trim=None, bleed=None, xobjects=None,
                 ext_gstates=None, compress: bool = True):
        self.media, self.trim, self.bleed = media, trim, bleed
        self.content = content
        self.xobjects = dict(xobjects or {})
        self.ext_gstates = ext_gstates
        self.compress = compress


class Document:
    """A PDF document being assembled: indirect objects, pages, catalog, info, fonts.

    ``fonts`` is the one font resource dictionary every page shares (filled once
    the pages are drawn); ``catalog`` and ``info`` take extra entries.
    """

    def __init__(self, version: tuple[int, int] = (1, 4), compression: bool = True):
        self.version = version
        self.compression = compression
        self._objects: list = [None]            # object n at index n
        self._named: dict[str, Ref] = {}
        self.pages: list[Page] = []
        self.fonts = PDFDictionary()
        self.catalog = PDFDictionary()
        self.info = PDFDictionary()
        self.timestamp = time.time()

    def Reference(self, obj, name: str | None = None) -> Ref:     # noqa: N802 (pdfdoc's name)
        """An indirect reference to ``obj`` (the same one again for a ``name`` given before)."""
        if name is not None:
            got = self._named.get(name)
            if got is not None:
                return got
        self._objects.append(obj)
        ref = Ref(len(self._objects) - 1)
        if name is not None:
            self._named[name] = ref
        return ref

    def add_page(self, page: Page) -> None:
        """Append a page."""
        self.pages.append(page)

    def write(self) -> bytes:
        """The whole file."""
        from .pdfobjects import Flate

        fonts = self.Reference(self.fonts)
        pages_ref = self.Reference(None)                 # filled below
        kids = []
        for page in self.pages:
            content = PDFStream(page.content, [Flate(4)] if page.compress else [])
            resources = {"ExtGState": PDFDictionary(page.ext_gstates) if page.ext_gstates
                         else None,
                         "Font": fonts,
                         "ProcSet": PDFArray([PDFName(n) for n in
                                              ("PDF", "Text", "ImageB", "ImageC", "ImageI")]),
                         "XObject": PDFDictionary(page.xobjects) if page.xobjects else None}
            kids.append(self.Reference(PDFDictionary({
                "Type": PDFName("Page"), "Parent": pages_ref,
                "MediaBox": PDFArray(page.media), "TrimBox": PDFArray(page.trim)
                if page.trim else None, "BleedBox": PDFArray(page.bleed) if page.bleed else None,
                "Resources": PDFDictionary(resources), "Contents": self.Reference(content),
                "Rotate": 0})))
        self._objects[pages_ref.number] = PDFDictionary(
            {"Type": PDFName("Pages"), "Count": len(kids), "Kids": PDFArray(kids)})
        catalog = self.Reference(PDFDictionary(
            {"Type": PDFName("Catalog"), "Pages": pages_ref, "PageMode": PDFName("UseNone"),
             **self.catalog.dict}))
        info = self.Reference(self.info)
        out = [b"%%PDF-%d.%d\n%%\x93\x8c\x8b\x9e Banmian\n" % self.version]
        size = sum(map(len, out))
        offsets = [0]
        for n in range(1, len(self._objects)):
            obj = self._objects[n]
            body = _stream(obj) if isinstance(obj, PDFStream) else fmt(obj)
            chunk = b"%d 0 obj\n" % n + body + b"\nendobj\n"
            offsets.append(size)
            out.append(chunk)
            size += len(chunk)
        ident = hashlib.md5(b"%r %d %d" % (self.timestamp, size, len(self._objects))).hexdigest()
        xref = [b"xref\n0 %d\n0000000000 65535 f \n" % len(offsets)]
        xref += [b"%010d 00000 n \n" % off for off in offsets[1:]]
        trailer = (b"trailer\n" + _dict({"ID": PDFArray([f"<{ident}>", f"<{ident}>"]),
                                         "Info": info, "Root": catalog,
                                         "Size": len(offsets)})
                   + b"\nstartxref\n%d\n%%%%EOF\n" % size)
        return b"".join(out + xref + [trailer])
