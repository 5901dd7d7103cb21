"""PDF/X-1a:2001 identification: the Info keys and the output intent ReportLab has no API for.

PDF/X-1a:2001 (ISO 15930-1) asks for: PDF 1.3; only CMYK, grey (and spot)
colour; every font embedded; no transparency; a TrimBox (or ArtBox) on every
page with the BleedBox inside the MediaBox; ``GTS_PDFXVersion`` "PDF/X-1:2001"
and ``GTS_PDFXConformance`` "PDF/X-1a:2001", ``Title``, dates and ``Trapped``
(True or False) in the Info dictionary; a document ID; and one output intent
of subtype GTS_PDFX naming the printing condition, with its ICC profile.

This module loads ReportLab: ``output.pdf`` imports it only when it writes a file.
"""
from __future__ import annotations

from . import pdfobjects
from .lazypil import defer_pil_image, defer_unused, reportlab_imported

defer_pil_image()     # before ReportLab, which imports it
defer_unused()        # (ast, ReportLab's restricted evaluator: likewise)

from reportlab.pdfbase import pdfdoc  # noqa: E402

reportlab_imported()


PDFX_VERSION = "PDF/X-1:2001"
PDFX_CONFORMANCE = "PDF/X-1a:2001"
PDF_VERSION = (1, 3)


class Info(pdfdoc.PDFInfo):
    """ReportLab's Info dictionary plus extra keys (GTS_PDFXVersion and the like)."""

    def __init__(self, extra: dict[str, str] | None = None, names: dict[str, str] | None = None):
        """``extra`` string values and ``names`` (PDF name values) are added to the dictionary."""
        super().__init__()
        self.extra = dict(extra or {})
        self.names = dict(names or {})

    def format(self, document):
        """The Info dictionary as PDF bytes."""
        d = {
            "Title": pdfdoc.PDFString(self.title),
            "Author": pdfdoc.PDFString(self.author),
            "Producer": pdfdoc.PDFString(self.producer),
            "Creator": pdfdoc.PDFString(self.creator),
            "Subject": pdfdoc.PDFString(self.subject),
            "Keywords": pdfdoc.PDFString(self.keywords),
            "Trapped": pdfdoc.PDFName(self.trapped),
        }
        d["ModDate"] = d["CreationDate"] = pdfdoc.PDFDate(ts=document._timeStamp,
                                                          dateFormatter=self._dateFormatter)
        for k, v in self.extra.items():
            d[k] = pdfdoc.PDFString(v)
        for k, v in self.names.items():
            d[k] = pdfdoc.PDFName(v)
        return pdfdoc.PDFDictionary(d).format(document)


def install_info(doc, title: str, author: str, subject: str, pdfx: bool,
                 keywords: str = "") -> Info:
    """Replace the document's Info dictionary; with ``pdfx`` add the PDF/X keys."""
    info = Info({"GTS_PDFXVersion": PDFX_VERSION, "GTS_PDFXConformance": PDFX_CONFORMANCE}
                if pdfx else None)
    info.title, info.author, info.subject = title or "untitled", author, subject
    info.creator = "Banmian 版面"
    info.keywords = keywords
    info.trapped = "False"
    doc.info = info
    return info


def _catalog_entry(doc, key: str, value) -> None:
    """Set a catalog key ReportLab's catalog does not write by default."""
    cat = doc.Catalog
    setattr(cat, key, value)
    if key not in cat.__NoDefault__:
        cat.__NoDefault__ = list(cat.__NoDefault__) + [key]


def add_metadata(doc, xmp: str) -> None:
    """Put an XMP packet in the catalog (``/Metadata``, uncompressed, as readers expect)."""
    stream = pdfdoc.PDFStream(content=xmp.encode("utf-8"), filters=[])
    stream.dictionary["Type"] = pdfdoc.PDFName("Metadata")
    stream.dictionary["Subtype"] = pdfdoc.PDFName("XML")
    _catalog_entry(doc, "Metadata", doc.Reference(stream, "BanmianMetadata"))


def add_output_intent(doc, profile_data: bytes, identifier: str, condition: str,
                      info: str, registry: str = "http://www.color.org") -> None:
    """Put a GTS_PDFX OutputIntents array with the embedded profile into the catalog."""
    stream = pdfobjects.stream(profile_data, bool(doc.compression), N=4)
    intent = pdfdoc.PDFDictionary({
        "Type": pdfdoc.PDFName("OutputIntent"),
        "S": pdfdoc.PDFName("GTS_PDFX"),
        "OutputConditionIdentifier": pdfdoc.PDFString(identifier),
        "OutputCondition": pdfdoc.PDFString(condition),
        "RegistryName": pdfdoc.PDFString(registry),
        "Info": pdfdoc.PDFString(info),
        "DestOutputProfile": doc.Reference(stream, "BanmianOutputProfile"),
    })
    _catalog_entry(doc, "OutputIntents", pdfdoc.PDFArray([intent]))
