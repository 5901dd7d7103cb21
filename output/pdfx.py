"""PDF/X-1a:2001 identification: the Info keys and the output intent ReportLab has no API for.

PDF/X-1a:2001 (ISO 15930-1) asks for: PDF 1.3; only CMYK, grey (and spot)
colour; every font embedded; no transparency; a TrimBox (or ArtBox) on every
page with the BleedBox inside the MediaBox; ``GTS_PDFXVersion`` "PDF/X-1:2001"
and ``GTS_PDFXConformance`` "PDF/X-1a:2001", ``Title``, dates and ``Trapped``
(True or False) in the Info dictionary; a document ID; and one output intent
of subtype GTS_PDFX naming the printing condition, with its ICC profile.
"""
from __future__ import annotations

from . import pdfdoc, pdfobjects

PDFX_VERSION = "PDF/X-1:2001"
PDFX_CONFORMANCE = "PDF/X-1a:2001"
PDF_VERSION = (1, 3)


def install_info(doc, title: str, author: str, subject: str, pdfx: bool,
                 keywords: str = "") -> pdfdoc.PDFDictionary:
    """Fill the document's Info dictionary; with ``pdfx`` add the PDF/X keys."""
    date = pdfdoc.PDFDate(doc.timestamp)
    info = doc.info
    info.dict.update({
        "Author": pdfdoc.PDFString(author), "CreationDate": date,
        "Creator": pdfdoc.PDFString("Banmian 版面"), "Keywords": pdfdoc.PDFString(keywords),
        "ModDate": date, "Producer": pdfdoc.PDFString(pdfdoc.PRODUCER),
        "Subject": pdfdoc.PDFString(subject), "Title": pdfdoc.PDFString(title or "untitled"),
        "Trapped": pdfdoc.PDFName("False")})
    if pdfx:
        info.dict["GTS_PDFXConformance"] = pdfdoc.PDFString(PDFX_CONFORMANCE)
        info.dict["GTS_PDFXVersion"] = pdfdoc.PDFString(PDFX_VERSION)
    return info


def add_metadata(doc, xmp: str) -> None:
    """Put an XMP packet in the catalog (``/Metadata``, uncompressed, as readers expect)."""
    stream = pdfdoc.PDFStream(content=xmp.encode("utf-8"), filters=[])
    stream.dictionary["Type"] = pdfdoc.PDFName("Metadata")
    stream.dictionary["Subtype"] = pdfdoc.PDFName("XML")
    doc.catalog["Metadata"] = doc.Reference(stream, "BanmianMetadata")


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
    doc.catalog["OutputIntents"] = pdfdoc.PDFArray([intent])
