"""Image files made on the fly for tests: real small ones, and bombs' headers."""
from __future__ import annotations

import io
import struct
import zlib


def png_header(w: int, h: int) -> bytes:
    """A PNG that claims w × h pixels but holds almost no data (a decompression bomb's header)."""
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 100)) + chunk(b"IEND", b""))


def jpeg(w: int = 400, h: int = 300, color=(200, 10, 10)) -> bytes:
    """A small, valid RGB JPEG."""
    from PIL import Image
    buf = io.BytesIO()
    Image.new("RGB", (w, h), color).save(buf, "JPEG")
    return buf.getvalue()
