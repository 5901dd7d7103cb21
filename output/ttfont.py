"""A TrueType (glyf) font file read just far enough to subset it by glyph id.

The PDF writer never looks characters up: layout hands it glyph ids.  So this
reader skips the cmap entirely and keeps only what subsetting and widths need
(table directory, loca, hmtx, a few header fields), read with ``array`` so a
30,000-glyph CJK font opens in a few milliseconds.
"""
from __future__ import annotations

import os
import struct
import sys
from array import array

from common.prebuilt import prebuilt_dataclass

from . import _methods as _dataclass_methods

# @dataclass, with the methods dataclasses would write generated ahead of time into
# output/_methods.py (see common/prebuilt.py)
dataclass = prebuilt_dataclass(_dataclass_methods)

# composite glyph flags (OpenType 'glyf')
_ARG_WORDS = 0x0001
_HAVE_SCALE = 0x0008
_MORE = 0x0020
_HAVE_XY_SCALE = 0x0040
_HAVE_2X2 = 0x0080

#: tables copied unchanged into a subset (hinting programs keep hinted glyphs valid)
_COPY_TABLES = ("OS/2", "cvt ", "fpgm", "prep", "gasp", "name")


class FontFileError(ValueError):
    """A font file the PDF writer cannot embed (not TrueType, damaged, restricted)."""


@dataclass(frozen=True, slots=True)
class FontMetrics:
    """The numbers a PDF FontDescriptor needs, in 1/1000 em."""
    ascent: float
    descent: float
    cap_height: float
    bbox: tuple[float, float, float, float]
    italic_angle: float
    stem_v: int
    fixed_pitch: bool
    bold: bool


def _u16_array(data: bytes) -> array:
    a = array("H", data)
    if sys.byteorder == "little":
        a.byteswap()
    return a


def _u32_array(data: bytes) -> array:
    a = array("I", data)
    if a.itemsize != 4:                     # pragma: no cover - exotic platforms
        a = array("L", data)
    if sys.byteorder == "little":
        a.byteswap()
    return a


def _checksum(data: bytes) -> int:
    if len(data) % 4:
        data = data + b"\0" * (4 - len(data) % 4)
    return sum(_u32_array(data)) & 0xFFFFFFFF


class FileBytes:
    """A font file read where it is asked for (``os.pread``): slices give bytes, the file is never read whole.

    A 26 MB Noto CJK collection costs the few hundred kilobytes a subset reads.  The file stays
    open while this object lives.
    """

    def __init__(self, path: str):
        """Open ``path`` for reading."""
        self._fd = os.open(path, os.O_RDONLY)
        self.size = os.fstat(self._fd).st_size

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, k):
        if isinstance(k, slice):
            start, stop, _ = k.indices(self.size)
            return os.pread(self._fd, stop - start, start) if stop > start else b""
        if not 0 <= k < self.size:
            raise IndexError(k)
        return os.pread(self._fd, 1, k)[0]

    def close(self) -> None:
        """Close the file."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __del__(self):
        self.close()


def read_font_file(path: str):
    """The bytes of a font file: a FileBytes where ``os.pread`` exists, else the whole file."""
    if hasattr(os, "pread"):
        return FileBytes(path)
    with open(path, "rb") as f:
        return f.read()


def face_offset(data: bytes, index: int, name: str) -> tuple[int, bytes]:
    """(offset of the face's table directory, its sfnt version tag); ``index`` picks a collection face."""
    base = 0
    tag = data[:4]
    if tag == b"ttcf":
        count = struct.unpack(">I", data[8:12])[0]
        if not 0 <= index < count:
            raise FontFileError(f"{name}: collection has {count} faces, not index {index}")
        base = struct.unpack(">I", data[12 + 4 * index:16 + 4 * index])[0]
        tag = data[base:base + 4]
    return base, tag


class SfntProgram:
    """What every OpenType face gives the PDF writer: tables, units, advances, licence, metrics."""

    #: tables the face must have
    REQUIRED = ("head", "hhea", "hmtx", "maxp")

    def __init__(self, data: bytes, index: int = 0, name: str = "font"):
        """Parse the tables of ``data``; ``index`` picks a face of a collection."""
        self.name = name
        self.data = data
        base, tag = face_offset(data, index, name)
        self._check_tag(tag)
        num = struct.unpack(">H", data[base + 4:base + 6])[0]
        self.tables: dict[str, tuple[int, int]] = {}
        directory = data[base + 12:base + 12 + 16 * num]      # one read, not one a table
        if len(directory) < 16 * num:
            raise FontFileError(f"{name}: its table directory is cut short")
        for t, _, o, ln in struct.iter_unpack(">4sIII", directory):
            self.tables[t.decode("latin-1")] = (o, ln)
        for need in self.REQUIRED:
            if need not in self.tables:
                raise FontFileError(f"{name}: no '{need}' table ({self._missing_hint})")
        head = self.table("head")
        self.units_per_em = struct.unpack(">H", head[18:20])[0]
        self._bbox = struct.unpack(">4h", head[36:44])
        self.num_glyphs = struct.unpack(">H", self.table("maxp")[4:6])[0]
        hhea = self.table("hhea")
        self._hhea_ascent, self._hhea_descent = struct.unpack(">hh", hhea[4:8])
        self._n_hmetrics = struct.unpack(">H", hhea[34:36])[0]
        self._hmtx: tuple | None = None
        self.fs_type = 0
        self._os2 = None
        if "OS/2" in self.tables:
            os2 = self.table("OS/2")
            self.fs_type = struct.unpack(">H", os2[8:10])[0]
            self._os2 = os2

    _missing_hint = "is it an OpenType font?"

    def _metrics_table(self) -> tuple:
        """(advances, left side bearings) of every glyph, read from ``hmtx`` when first
        asked for: an export whose glyphs all have CIDs from before (the pages it
        replays) needs neither, and a CJK face's table is 256 KB (1 ms a face)."""
        if self._hmtx is None:
            n_hmetrics = self._n_hmetrics
            hm = _u16_array(self.table("hmtx")[:4 * n_hmetrics])
            adv = hm[0::2]
            lsb = array("h", hm[1::2].tobytes())
            rest = self.num_glyphs - n_hmetrics
            if rest > 0:
                extra = _u16_array(self.table("hmtx")[4 * n_hmetrics:4 * n_hmetrics + 2 * rest])
                adv.extend([adv[-1]] * rest)
                lsb.extend(array("h", extra.tobytes()))
            self._hmtx = (adv, lsb)
        return self._hmtx

    @property
    def advances(self):
        """The advance width of every glyph, in font units."""
        return self._metrics_table()[0]

    @property
    def lsbs(self):
        """The left side bearing of every glyph, in font units."""
        return self._metrics_table()[1]

    def _check_tag(self, tag: bytes) -> None:
        if tag not in (b"\x00\x01\x00\x00", b"true", b"OTTO"):
            raise FontFileError(f"{self.name}: not an OpenType font")

    def table(self, tag: str) -> bytes:
        """The raw bytes of one table."""
        off, ln = self.tables[tag]
        return self.data[off:off + ln]

    def advance(self, gid: int) -> int:
        """The advance width of a glyph in font units."""
        adv = self._hmtx[0] if self._hmtx is not None else self._metrics_table()[0]
        return adv[gid] if 0 <= gid < self.num_glyphs else adv[0]

    def embedding_problem(self) -> str:
        """Why the licence (OS/2 fsType) forbids embedding a subset, or "" when it allows it."""
        t = self.fs_type
        if t & 0x000F == 0x0002:
            return "restricted licence: the font may not be embedded (OS/2 fsType 0x0002)"
        if t & 0x0200:
            return "bitmap embedding only (OS/2 fsType 0x0200)"
        if t & 0x0100:
            return "the font may not be subset (OS/2 fsType 0x0100)"
        return ""

    def metrics(self) -> FontMetrics:
        """FontDescriptor numbers in 1/1000 em."""
        s = 1000.0 / self.units_per_em
        ascent, descent, cap, weight = self._hhea_ascent, self._hhea_descent, 0, 400
        if self._os2 is not None and len(self._os2) >= 72:
            version, = struct.unpack(">H", self._os2[0:2])
            weight, = struct.unpack(">H", self._os2[4:6])
            ascent, descent = struct.unpack(">hh", self._os2[68:72])
            if version >= 2 and len(self._os2) >= 90:
                cap, = struct.unpack(">h", self._os2[88:90])
        cap = cap or ascent
        italic, fixed = 0.0, False
        if "post" in self.tables:
            post = self.table("post")
            ip, fp = struct.unpack(">hH", post[4:8])
            italic = ip + fp / 65536.0
            fixed = struct.unpack(">I", post[12:16])[0] != 0
        x0, y0, x1, y1 = self._bbox
        return FontMetrics(round(ascent * s, 3), round(descent * s, 3), round(cap * s, 3),
                           (round(x0 * s), round(y0 * s), round(x1 * s), round(y1 * s)),
                           italic, 50 + int((weight / 65.0) ** 2), fixed, weight >= 600)


class TrueTypeProgram(SfntProgram):
    """One TrueType font (a .ttf, or one face of a .ttc) ready for subsetting."""

    REQUIRED = SfntProgram.REQUIRED + ("loca", "glyf")
    _missing_hint = "is it a glyf TrueType font?"

    def __init__(self, data: bytes, index: int = 0, name: str = "font"):
        """Parse the tables of ``data``; ``index`` picks a face of a collection."""
        super().__init__(data, index, name)
        head = self.table("head")
        loca_long = struct.unpack(">h", head[50:52])[0] == 1
        loca = self.table("loca")
        if loca_long:
            self.loca = _u32_array(loca[:4 * (self.num_glyphs + 1)])
        else:
            self.loca = array("I", (2 * v for v in _u16_array(loca[:2 * (self.num_glyphs + 1)])))
        self.glyf_offset = self.tables["glyf"][0]

    def _check_tag(self, tag: bytes) -> None:
        if tag == b"OTTO":
            raise FontFileError(f"{self.name}: PostScript (CFF) outlines, not TrueType")
        if tag not in (b"\x00\x01\x00\x00", b"true"):
            raise FontFileError(f"{self.name}: not a TrueType font")

    # ------------------------------------------------------------ subsetting
    def _glyph(self, gid: int) -> bytes:
        start, end = self.loca[gid], self.loca[gid + 1]
        if end <= start:
            return b""
        o = self.glyf_offset
        return self.data[o + start:o + end]

    @staticmethod
    def _components(g: bytes):
        """(offset of the glyph-index field, component gid) for a composite glyph."""
        pos = 10
        flags = _MORE
        while flags & _MORE:
            flags, gid = struct.unpack(">HH", g[pos:pos + 4])
            yield pos + 2, gid
            pos += 4 + (4 if flags & _ARG_WORDS else 2)
            if flags & _HAVE_SCALE:
                pos += 2
            elif flags & _HAVE_XY_SCALE:
                pos += 4
            elif flags & _HAVE_2X2:
                pos += 8

    def subset(self, gids: list[int]) -> bytes:
        """A TrueType font holding .notdef then ``gids`` in order (new gid i+1 for gids[i]).

        Glyphs used only as parts of composites are appended after them.  No
        cmap lookups are needed: a CID font maps CIDs to these glyph ids.
        """
        order = [0]
        new_id = {0: 0}
        for g in gids:
            if g in new_id or not 0 <= g < self.num_glyphs:
                raise FontFileError(f"{self.name}: bad or repeated glyph id {g} in subset")
            new_id[g] = len(order)
            order.append(g)
        glyphs = []
        i = 0
        while i < len(order):
            data = self._glyph(order[i])
            if len(data) > 10 and struct.unpack(">h", data[:2])[0] < 0:
                buf = bytearray(data)
                for pos, comp in self._components(data):
                    if comp not in new_id:
                        new_id[comp] = len(order)
                        order.append(comp)
                    struct.pack_into(">H", buf, pos, new_id[comp])
                data = bytes(buf)
            glyphs.append(data)
            i += 1
        n = len(order)
        glyf = bytearray()
        offsets = array("I")
        for data in glyphs:
            offsets.append(len(glyf))
            glyf += data
            if len(glyf) % 4:
                glyf += b"\0" * (4 - len(glyf) % 4)
        offsets.append(len(glyf))
        long_loca = len(glyf) > 0x1FFFE
        if long_loca:
            loca = offsets
        else:
            loca = array("H", (o >> 1 for o in offsets))
        if sys.byteorder == "little":
            loca.byteswap()
        hm = array("H")
        advances, lsbs = self._metrics_table()
        for g in order:
            hm.append(advances[g])
            hm.append(lsbs[g] & 0xFFFF)
        if sys.byteorder == "little":
            hm.byteswap()
        head = bytearray(self.table("head"))
        struct.pack_into(">I", head, 8, 0)                      # checkSumAdjustment
        struct.pack_into(">h", head, 50, 1 if long_loca else 0)
        hhea = bytearray(self.table("hhea"))
        struct.pack_into(">H", hhea, 34, n)
        maxp = bytearray(self.table("maxp"))
        struct.pack_into(">H", maxp, 4, n)
        post = b"\x00\x03\x00\x00" + (self.table("post")[4:16] if "post" in self.tables
                                      else b"\0" * 12) + b"\0" * 16
        # an empty (3,1) format-4 cmap: glyphs are reached through CIDToGIDMap
        tables = {"head": bytes(head), "hhea": bytes(hhea), "maxp": bytes(maxp),
                  "hmtx": hm.tobytes(), "loca": loca.tobytes(), "glyf": bytes(glyf),
                  "post": post, "cmap": _cmap4_empty()}
        for tag in _COPY_TABLES:
            if tag in self.tables:
                tables[tag] = self.table(tag)
        return _assemble(tables)


def _cmap4_empty() -> bytes:
    """A cmap with one (3,1) format-4 subtable that maps nothing."""
    sub = struct.pack(">HHHHHHH", 4, 24, 0, 2, 2, 0, 0)       # format, length, lang, segX2...
    sub += struct.pack(">H", 0xFFFF) + b"\0\0" + struct.pack(">H", 0xFFFF)
    sub += struct.pack(">h", 1) + struct.pack(">H", 0)
    return struct.pack(">HHHHI", 0, 1, 3, 1, 12) + sub


def _assemble(tables: dict[str, bytes], version: int = 0x00010000) -> bytes:
    """An sfnt file from its tables, with the directory and checksums filled in."""
    tags = sorted(tables)
    num = len(tags)
    es = max(k for k in range(16) if 2 ** k <= num)
    header = struct.pack(">IHHHH", version, num, 16 * 2 ** es, es, 16 * num - 16 * 2 ** es)
    offset = 12 + 16 * num
    directory = bytearray()
    body = bytearray()
    head_at = 0
    total = 0
    for tag in tags:
        data = tables[tag]
        if tag == "head":
            head_at = offset + len(body)
        check = _checksum(data)
        total += check
        directory += struct.pack(">4sIII", tag.encode("latin-1"), check,
                                 offset + len(body), len(data))
        body += data
        if len(body) % 4:
            body += b"\0" * (4 - len(body) % 4)
    font = bytearray(header + directory + body)
    # whole-font checksum = header + directory + every (padded) table
    total += _checksum(bytes(header + directory))
    adj = (0xB1B0AFBA - total) & 0xFFFFFFFF
    struct.pack_into(">I", font, head_at + 8, adj)
    return bytes(font)
