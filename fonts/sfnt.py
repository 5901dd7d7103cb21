"""One face of a font file as a standalone OpenType font in memory (tables copied as they are)."""
from __future__ import annotations

import struct

from .errors import FontError


def face_data(path: str, index: int = 0) -> bytes:
    """The bytes of an OpenType font holding face ``index`` of the file at ``path``.

    A single-face file is returned as it is.  A face of a .ttc/.otc collection is
    rebuilt as a font of its own: the same tables, byte for byte, behind a new table
    directory (for readers such as Qt's QRawFont that open only a collection's first
    face).  Nothing is converted; the shared CFF table of a Noto CJK collection is
    copied once.
    """
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as e:
        raise FontError(path, f"cannot read font file ({e.strerror or e})") from None
    if data[:4] != b"ttcf":
        if index:
            raise FontError(path, f"has no face {index}")
        return data
    try:
        count = struct.unpack_from(">I", data, 8)[0]
        if not 0 <= index < count:
            raise FontError(path, f"has no face {index}")
        base = struct.unpack_from(">I", data, 12 + 4 * index)[0]
        version, num = struct.unpack_from(">IH", data, base)
        entries = [struct.unpack_from(">4sIII", data, base + 12 + 16 * i) for i in range(num)]
    except struct.error:
        raise FontError(path, "damaged font collection header") from None
    es = max(k for k in range(16) if 2 ** k <= max(num, 1))
    header = struct.pack(">IHHHH", version, num, 16 * 2 ** es, es, 16 * num - 16 * 2 ** es)
    offset = 12 + 16 * num
    directory, body = [], []
    view = memoryview(data)             # tables copied once, by the join below
    for tag, check, off, length in sorted(entries):
        if off + length > len(data):
            raise FontError(path, f"table {tag.decode('latin-1')!r} of face {index} runs past the end of the file")
        directory.append(struct.pack(">4sIII", tag, check, offset, length))
        pad = (-length) % 4
        body.append(view[off:off + length])
        if pad:
            body.append(b"\0" * pad)
        offset += length + pad
    return b"".join([header, *directory, *body])
