"""Small PDF object builders on top of ReportLab's pdfdoc: streams and image XObjects.

Our streams carry their own filters (Flate at a chosen level, or DCT passed
through), so ReportLab's global ASCII85 setting never slows or bloats them.
ReportLab is imported when an object is made (``num``, used by the content
stream operators, needs none).
"""
from __future__ import annotations

import zlib
TYPE_CHECKING = False        # (typing's, without importing typing)
if TYPE_CHECKING:
    from reportlab.pdfbase import pdfdoc


def num(v: float, places: int = 4) -> str:
    """A number for a PDF content stream: at most ``places`` (1 or more) decimals,
    trailing zeros dropped, and never ``-0``."""
    s = "%.*f" % (places, v)
    s = s.rstrip("0").rstrip(".")
    return s if s not in ("", "-0") else "0"


class Flate:
    """The FlateDecode filter at a given zlib level (ReportLab's stream filter protocol)."""
    pdfname = "FlateDecode"

    def __init__(self, level: int = 6):
        """Compress with this zlib level (1 fast .. 9 small)."""
        self.level = level

    def encode(self, data) -> bytes:
        """Compressed bytes of ``data`` (str is Latin-1 encoded first: PDF operators)."""
        if isinstance(data, str):
            data = data.encode("latin-1")
        return zlib.compress(data, self.level)


def stream(content, compress: bool = True, level: int = 6, **entries) -> pdfdoc.PDFStream:
    """A stream object with extra dictionary entries, Flate-compressed when asked."""
    from reportlab.pdfbase import pdfdoc
    s = pdfdoc.PDFStream(content=content, filters=[Flate(level)] if compress else [])
    for k, v in entries.items():
        s.dictionary[k] = v
    return s


def image_xobject(width: int, height: int, mode: str, data: bytes, jpeg: bool,
                  compress: bool = True, inverted: bool = False):
    """An image XObject: 8-bit DeviceCMYK, DeviceRGB or DeviceGray; JPEG data or raw pixels
    (a ``canvas.RawStream``: its dictionary written as text, no per-key formatting).

    ``inverted``: a CMYK JPEG with an Adobe marker, stored inverted (Photoshop, Pillow).
    """
    from .canvas import RawStream
    space = {"CMYK": "DeviceCMYK", "RGB": "DeviceRGB", "L": "DeviceGray"}[mode]
    if jpeg:
        filter_ = "DCTDecode"
    elif compress:
        data, filter_ = Flate(6).encode(data), "FlateDecode"
    else:
        filter_ = ""
    decode = " /Decode [1 0 1 0 1 0 1 0]" if jpeg and mode == "CMYK" and inverted else ""
    return RawStream(data, filter_, f"/Type /XObject /Subtype /Image /Width {int(width)} "
                                    f"/Height {int(height)} /ColorSpace /{space} "
                                    f"/BitsPerComponent 8{decode}")
