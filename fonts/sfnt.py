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
    version, entries = _directory(data, _face_base(data, path, index), path)
    num = len(entries)
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



def _face_base(head: bytes, path: str, index: int) -> int:
    """Where face ``index``'s table directory starts; ``head`` holds at least the file's
    header (for a collection, its face offsets too)."""
    if head[:4] != b"ttcf":
        if index:
            raise FontError(path, f"has no face {index}")
        return 0
    try:
        count = struct.unpack_from(">I", head, 8)[0]
        if not 0 <= index < count:
            raise FontError(path, f"has no face {index}")
        return struct.unpack_from(">I", head, 12 + 4 * index)[0]
    except struct.error:
        raise FontError(path, "damaged font collection header") from None


def _directory(data: bytes, base: int, path: str) -> tuple[int, list[tuple[bytes, int, int, int]]]:
    """(sfnt version, [(tag, checksum, offset, length)]) of the table directory at ``base``."""
    try:
        version, num = struct.unpack_from(">IH", data, base)
        return version, [struct.unpack_from(">4sIII", data, base + 12 + 16 * i) for i in range(num)]
    except struct.error:
        raise FontError(path, "damaged font table directory") from None


def face_tables(path: str, index: int, tags: tuple[bytes, ...]) -> dict[bytes, bytes]:
    """Some tables of face ``index`` of an OpenType file or collection, as they are, read
    without loading the file; FontError when it cannot be read or the face lacks one."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(12)
            if head[:4] == b"ttcf" and len(head) == 12:      # then the faces' offsets
                head += fh.read(4 * struct.unpack_from(">I", head, 8)[0])
            fh.seek(_face_base(head, path, index))
            directory = fh.read(12)
            if len(directory) == 12:
                directory += fh.read(16 * struct.unpack_from(">H", directory, 4)[0])
            _version, entries = _directory(directory, 0, path)
            where = {tag: (off, length) for tag, _check, off, length in entries}
            out = {}
            for tag in tags:
                if tag not in where:
                    raise FontError(path, f"face {index} has no {tag.decode('latin-1')!r} table")
                fh.seek(where[tag][0])
                out[tag] = fh.read(where[tag][1])
            return out
    except OSError as e:
        raise FontError(path, f"cannot read font file ({e.strerror or e})") from None
