"""The proof round written into a proof PDF, and read back from one.

A proof carries its 校次 in the document info (``Keywords``: ``banmian-round=N
issue=NAME pages=1,2``) and in its XMP metadata, so a marked-up copy that
comes back can be mapped onto the round's recorded model and layout.
"""
from __future__ import annotations

import os
import re

from common.prebuilt import prebuilt_dataclass

from . import _methods as _dataclass_methods

# @dataclass, with the methods dataclasses would write generated ahead of time into
# proofs/_methods.py (see common/prebuilt.py)
dataclass = prebuilt_dataclass(_dataclass_methods)

NS = "https://banmian.invalid/ns/proof/1.0/"


@dataclass(frozen=True)
class Stamp:
    """What a proof PDF says about itself."""
    round: int
    issue: str = ""
    pages: tuple[int, ...] = ()


def escape(text: str) -> str:
    """Text for XML character data (&, < and > escaped)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def keywords(stamp: Stamp) -> str:
    """The document info's Keywords that say the round."""
    return (f"banmian-round={stamp.round} issue={stamp.issue.replace(' ', '_')}"
            f" pages={','.join(map(str, stamp.pages))}")


def xmp(stamp: Stamp, title: str) -> str:
    """The XMP packet that says the round (and the title)."""
    return _xmp(stamp, title)


def _xmp(stamp: Stamp, title: str) -> str:
    pages = ",".join(map(str, stamp.pages))
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f'<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        f'xmlns:bm="{NS}"><dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}'
        f'</rdf:li></rdf:Alt></dc:title><bm:round>{stamp.round}</bm:round>'
        f'<bm:issue>{escape(stamp.issue)}</bm:issue><bm:pages>{pages}</bm:pages>'
        '</rdf:Description></rdf:RDF></x:xmpmeta>\n<?xpacket end="w"?>')


def stamp_pdf(path: str, stamp: Stamp) -> None:
    """Write the round into the PDF at ``path`` (an incremental update; atomic).

    A proof export stamps as it writes (``PdfOptions.keywords`` and ``xmp``); this
    stamps a PDF written before."""
    import shutil
    import tempfile

    import pymupdf
    d = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(suffix=".pdf", dir=d, prefix=".banmian-stamp-")
    os.close(fd)
    try:
        shutil.copyfile(path, tmp)
        with pymupdf.open(tmp) as doc:
            meta = dict(doc.metadata or {})
            keep = {k: v for k, v in meta.items()
                    if k in ("title", "author", "subject", "creator", "producer",
                             "creationDate", "modDate") and v}
            keep["keywords"] = keywords(stamp)
            doc.set_metadata(keep)
            doc.set_xml_metadata(_xmp(stamp, keep.get("title", "")))
            doc.saveIncr()
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def read_stamp(doc) -> Stamp | None:
    """The round a proof (an open PyMuPDF document) was exported as; None if it says none."""
    kw = (doc.metadata or {}).get("keywords") or ""
    m = re.search(r"banmian-round=(\d+)", kw)
    if m:
        issue = re.search(r"issue=(\S+)", kw)
        pages = re.search(r"pages=([\d,]+)", kw)
        return Stamp(int(m.group(1)), issue.group(1) if issue else "",
                     tuple(int(p) for p in pages.group(1).split(",") if p) if pages else ())
    xml = doc.get_xml_metadata() or ""
    m = re.search(r"<bm:round>(\d+)</bm:round>", xml)
    if m:
        issue = re.search(r"<bm:issue>([^<]*)</bm:issue>", xml)
        pages = re.search(r"<bm:pages>([\d,]*)</bm:pages>", xml)
        return Stamp(int(m.group(1)), issue.group(1) if issue else "",
                     tuple(int(p) for p in pages.group(1).split(",") if p) if pages else ())
    return None
