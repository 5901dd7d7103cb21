"""An OpenType font with CFF outlines, subset into a CID-keyed CFF font for a PDF.

The embedded program is a bare CFF font (``/FontFile3 /Subtype /CIDFontType0C``,
PDF 1.3) under a ``CIDFontType0`` descendant of a Type0 font.  Its glyphs are
in CID order: glyph n is CID n and the charset is the identity, so the PDF's
2-byte codes (Identity-H) are these CIDs.  A name-keyed source becomes
CID-keyed with one Font DICT holding its Private DICT; a CID-keyed source keeps
the Font DICTs its glyphs use.  Subroutines are inlined into the charstrings
of the glyphs kept, so the subset carries no subroutine it does not use.

Only the bytes of the glyphs asked for are read: opening a 65,535-glyph CJK
face reads a few headers.
"""
from __future__ import annotations

import struct

from .ttfont import FontFileError, SfntProgram, _assemble, _cmap4_empty

#: Top DICT operators copied into the subset (operand bytes unchanged)
_TOP_COPY = {5, 1201, 1202, 1203, 1204, 1205, 1208}   # FontBBox, isFixedPitch, ItalicAngle,
#                                 UnderlinePosition, UnderlineThickness, PaintType, StrokeWidth
_OP_PRIVATE, _OP_SUBRS, _OP_CHARSTRINGS, _OP_CHARSTRING_TYPE = 18, 19, 17, 1206
_OP_ROS, _OP_FDARRAY, _OP_FDSELECT, _OP_FONTMATRIX = 1230, 1236, 1237, 1207
_OP_CIDCOUNT, _OP_CHARSET = 1234, 15
#: Type 2 charstring operators that compute on the stack (the subset cannot follow them)
_ARITHMETIC = {1203, 1204, 1205, 1209, 1210, 1211, 1212, 1214, 1215, 1218, 1220, 1221, 1222,
               1223, 1224, 1226, 1227, 1228, 1229, 1230}
_MAX_DEPTH = 20


class _Window:
    """Bytes of a font file from ``base`` on, read as they are asked for (slices give bytes).

    The table's first ``HEAD`` bytes (its header and the Name, Top DICT and String
    INDEXes, which opening a face reads piece by piece) are read in one go when first
    asked for; anything further is read where it is."""

    __slots__ = ("source", "base", "head_size", "head")
    HEAD = 4096

    def __init__(self, source, base: int, length: int = 0):
        self.source, self.base = source, base
        self.head_size = min(self.HEAD, length)
        self.head: bytes | None = None

    def __getitem__(self, k):
        if isinstance(k, slice):
            if k.stop <= self.head_size:
                if self.head is None:
                    self.head = self.source[self.base:self.base + self.head_size]
                return self.head[k.start:k.stop]
            return self.source[self.base + k.start:self.base + k.stop]
        if k < self.head_size:
            if self.head is None:
                self.head = self.source[self.base:self.base + self.head_size]
            return self.head[k]
        return self.source[self.base + k:self.base + k + 1][0]


class _Index:
    """A CFF INDEX: its offsets read at once, item i read when asked for."""

    __slots__ = ("data", "count", "off_size", "offsets", "base", "end")

    def __init__(self, data, pos: int):
        self.data = data
        self.count = struct.unpack(">H", data[pos:pos + 2])[0]
        if self.count == 0:
            self.off_size = 0
            self.offsets = b""
            self.base = 0
            self.end = pos + 2
            return
        self.off_size = data[pos + 2]
        if not 1 <= self.off_size <= 4:
            raise ValueError(f"bad INDEX offset size {self.off_size}")
        self.offsets = data[pos + 3:pos + 3 + (self.count + 1) * self.off_size]
        self.base = pos + 3 + (self.count + 1) * self.off_size - 1
        self.end = self.base + self._offset(self.count)

    def _offset(self, i: int) -> int:
        p = i * self.off_size
        return int.from_bytes(self.offsets[p:p + self.off_size], "big")

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, i: int) -> bytes:
        if not 0 <= i < self.count:
            raise IndexError(i)
        return self.data[self.base + self._offset(i):self.base + self._offset(i + 1)]


def _parse_dict(data: bytes) -> list[tuple[int, bytes, list]]:
    """(operator, raw operand bytes, operand values) of every DICT entry, in order."""
    out = []
    i, start, vals = 0, 0, []
    n = len(data)
    while i < n:
        b = data[i]
        if b <= 21:
            if b == 12:
                op = 1200 + data[i + 1]
                i += 2
            else:
                op = b
                i += 1
            out.append((op, data[start:i - (2 if op >= 1200 else 1)], vals))
            start, vals = i, []
        elif b == 28:
            vals.append(struct.unpack_from(">h", data, i + 1)[0])
            i += 3
        elif b == 29:
            vals.append(struct.unpack_from(">i", data, i + 1)[0])
            i += 5
        elif b == 30:                                   # real: nibbles up to an 0xF nibble
            i += 1
            while i < n and (data[i] & 0x0F) != 0x0F and (data[i] >> 4) != 0x0F:
                i += 1
            i += 1
            vals.append(0.0)
        elif 32 <= b <= 246:
            vals.append(b - 139)
            i += 1
        elif 247 <= b <= 250:
            vals.append((b - 247) * 256 + data[i + 1] + 108)
            i += 2
        elif 251 <= b <= 254:
            vals.append(-(b - 251) * 256 - data[i + 1] - 108)
            i += 2
        else:
            raise ValueError(f"bad DICT byte {b}")
    return out


def _int(v: int) -> bytes:
    """A DICT integer in its shortest form."""
    if -107 <= v <= 107:
        return bytes((v + 139,))
    if 108 <= v <= 1131:
        v -= 108
        return bytes((247 + (v >> 8), v & 0xFF))
    if -1131 <= v <= -108:
        v = -v - 108
        return bytes((251 + (v >> 8), v & 0xFF))
    if -32768 <= v <= 32767:
        return b"\x1c" + struct.pack(">h", v)
    return b"\x1d" + struct.pack(">i", v)


def _int5(v: int) -> bytes:
    """A DICT integer always 5 bytes long (for offsets known only after layout)."""
    return b"\x1d" + struct.pack(">i", v)


def _op(op: int) -> bytes:
    return bytes((12, op - 1200)) if op >= 1200 else bytes((op,))


def _index(items: list[bytes]) -> bytes:
    """A CFF INDEX of the items."""
    if not items:
        return b"\0\0"
    total = sum(len(x) for x in items) + 1
    size = 1 if total < 0x100 else 2 if total < 0x10000 else 3 if total < 0x1000000 else 4
    offs = bytearray()
    pos = 1
    offs += pos.to_bytes(size, "big")
    for x in items:
        pos += len(x)
        offs += pos.to_bytes(size, "big")
    return struct.pack(">HB", len(items), size) + bytes(offs) + b"".join(items)


def _bias(count: int) -> int:
    return 107 if count < 1240 else 1131 if count < 33900 else 32768


class _FontDict:
    """One Font DICT of the source: its own entries, Private DICT and local subroutines.

    The Private DICT and its subroutines are read when a subset first asks for them: a CJK
    face has some twenty Font DICTs, and an export whose subsets are all made before
    (the pages it replays) reads none of them."""

    __slots__ = ("entries", "_cff", "_private_entry", "_private", "_subrs", "_bias")

    def __init__(self, cff: _Window, entries, private_entry):
        self.entries = entries
        self._cff = cff
        self._private_entry = private_entry
        self._private: list | None = None
        self._subrs: _Index | None = None
        self._bias = 0

    def _read(self) -> list:
        if self._private is None:
            private: list = []
            if self._private_entry is not None:
                size, off = self._private_entry
                cff = self._cff
                private = _parse_dict(cff[off:off + size])
                for op, _raw, vals in private:
                    if op == _OP_SUBRS and vals:
                        self._subrs = _Index(cff, off + int(vals[0]))
                        self._bias = _bias(len(self._subrs))
            self._private = private
        return self._private

    @property
    def private(self) -> list:
        """The Private DICT's entries: (operator, raw operand bytes, operand values)."""
        return self._read()

    @property
    def subrs(self) -> _Index | None:
        """The local subroutines (None: none)."""
        self._read()
        return self._subrs

    @property
    def bias(self) -> int:
        """The local subroutines' bias."""
        self._read()
        return self._bias


class CFFProgram(SfntProgram):
    """One OpenType face with CFF outlines (an .otf, or one face of an .otc/.ttc) ready for subsetting."""

    REQUIRED = SfntProgram.REQUIRED + ("CFF ",)
    _missing_hint = "is it a CFF OpenType font?"

    def __init__(self, data: bytes, index: int = 0, name: str = "font"):
        """Parse the CFF table's headers; charstrings are read when a subset needs them."""
        super().__init__(data, index, name)
        try:
            self._parse_cff()
        except FontFileError:
            raise
        except (ValueError, IndexError, struct.error) as exc:
            raise FontFileError(f"{name}: damaged CFF table ({exc})") from None
        self._memo: dict = {}            # flattened subroutines that do not depend on the hint state
        self.flat: dict[int, bytes] = {}  # glyph -> flattened charstring (kept; fontembed stores it)

    def _check_tag(self, tag: bytes) -> None:
        if tag != b"OTTO":
            raise FontFileError(f"{self.name}: not an OpenType font with CFF outlines")

    def _parse_cff(self) -> None:
        off, ln = self.tables["CFF "]
        cff = self.cff = _Window(self.data, off, ln)
        if cff[0] != 1:
            raise FontFileError(f"{self.name}: CFF version {cff[0]} is not supported")
        names = _Index(cff, cff[2])
        tops = _Index(names.data, names.end)
        strings = _Index(cff, tops.end)
        self.gsubrs = _Index(cff, strings.end)
        self.gbias = _bias(len(self.gsubrs))
        top = _parse_dict(tops[0])
        self.top = top
        found = {op: vals for op, _raw, vals in top}
        if found.get(_OP_CHARSTRING_TYPE, [2])[0] != 2:
            raise FontFileError(f"{self.name}: only Type 2 charstrings are supported")
        if _OP_CHARSTRINGS not in found:
            raise FontFileError(f"{self.name}: CFF table without CharStrings")
        self.charstrings = _Index(cff, found[_OP_CHARSTRINGS][0])
        if len(self.charstrings) < self.num_glyphs:
            raise FontFileError(f"{self.name}: CFF has {len(self.charstrings)} glyphs, maxp {self.num_glyphs}")
        self.cid_keyed = _OP_ROS in found
        self.font_matrix = next((raw for op, raw, _v in top if op == _OP_FONTMATRIX), None)
        if self.cid_keyed:
            fdarray = _Index(cff, found[_OP_FDARRAY][0])
            self.fds = []
            for i in range(len(fdarray)):
                entries = _parse_dict(fdarray[i])
                priv = next(((int(v[0]), int(v[1])) for op, _r, v in entries if op == _OP_PRIVATE), None)
                self.fds.append(_FontDict(cff, entries, priv))
            self._fdselect_at = found[_OP_FDSELECT][0]
            self._fd_of: bytes | None = None
        else:
            priv = found.get(_OP_PRIVATE)
            self.fds = [_FontDict(cff, [], (int(priv[0]), int(priv[1])) if priv else None)]
            self._fd_of = bytes(len(self.charstrings))

    def fd_of(self, gid: int) -> int:
        """The Font DICT index of a glyph."""
        if self._fd_of is None:
            self._fd_of = self._read_fdselect()
        return self._fd_of[gid]

    def _read_fdselect(self) -> bytes:
        cff, pos, n = self.cff, self._fdselect_at, len(self.charstrings)
        fmt = cff[pos]
        if fmt == 0:
            return bytes(cff[pos + 1:pos + 1 + n])
        if fmt != 3:
            raise FontFileError(f"{self.name}: FDSelect format {fmt} is not supported")
        nranges = struct.unpack(">H", cff[pos + 1:pos + 3])[0]
        ranges = cff[pos + 3:pos + 3 + 3 * nranges + 2]
        out = bytearray(n)
        for r in range(nranges):
            first, fd, last = struct.unpack_from(">HBH", ranges, 3 * r)   # last: next range's first
            out[first:min(last, n)] = bytes((fd,)) * (min(last, n) - first)
        return bytes(out)

    # ------------------------------------------------------------ charstrings
    def charstring(self, gid: int) -> bytes:
        """The glyph's Type 2 charstring with every subroutine call replaced by the subroutine's body."""
        fd = self.fds[self.fd_of(gid)]
        out = bytearray()
        # stems, operands on the stack, start of the last number and its value, ended, hint and other operators
        state = [0, 0, -1, 0, False, 0, 0]
        try:
            self._flatten(self.charstrings[gid], out, fd, state, 0)
        except (IndexError, ValueError, struct.error) as exc:
            raise FontFileError(f"{self.name}: glyph {gid}: bad charstring ({exc})") from None
        if not state[4]:
            out.append(14)                # endchar
        return bytes(out)

    def _flatten(self, cs: bytes, out: bytearray, fd: _FontDict, st: list, depth: int) -> None:
        if depth > _MAX_DEPTH:
            raise ValueError("subroutines nested too deeply")
        i, n = 0, len(cs)
        while i < n:
            b = cs[i]
            if b >= 32 or b == 28:                        # a number
                if b == 28:
                    v, ln = struct.unpack_from(">h", cs, i + 1)[0], 3
                elif b <= 246:
                    v, ln = b - 139, 1
                elif b <= 250:
                    v, ln = (b - 247) * 256 + cs[i + 1] + 108, 2
                elif b <= 254:
                    v, ln = -(b - 251) * 256 - cs[i + 1] - 108, 2
                else:
                    v, ln = None, 5                        # 16.16 fixed
                st[2], st[3] = len(out), v
                out += cs[i:i + ln]
                st[1] += 1
                i += ln
                continue
            i += 1
            if b == 10 or b == 29:                        # callsubr, callgsubr
                if st[2] < 0 or st[3] is None:
                    raise ValueError("subroutine number is not a constant")
                del out[st[2]:]
                num = st[3]
                st[1] -= 1
                st[2] = -1
                if b == 10:
                    if fd.subrs is None:
                        raise ValueError("callsubr without local subroutines")
                    key = (id(fd), num)
                else:
                    key = num
                hit = self._memo.get(key)
                if hit is not None:                       # a subroutine that does not depend on the hints
                    body, resets, args, ended = hit
                    out += body
                    if resets:
                        st[1] = args
                        st[6] += 1
                    else:
                        st[1] += args
                    if ended:
                        st[4] = True
                        return
                    continue
                start, args0, hints0, ops0 = len(out), st[1], st[5], st[6]
                body = fd.subrs[num + fd.bias] if b == 10 else self.gsubrs[num + self.gbias]
                self._flatten(body, out, fd, st, depth + 1)
                if st[5] == hints0 and st[2] < start:     # no hint operator, no number left for a call
                    resets = st[6] > ops0
                    self._memo[key] = (bytes(out[start:]), resets, st[1] if resets else st[1] - args0, st[4])
                if st[4]:
                    return
                continue
            st[2] = -1
            if b == 11:                                   # return
                return
            st[6] += 1
            if b == 14:                                   # endchar
                out.append(14)
                st[4] = True
                return
            if b == 12:
                op = 1200 + cs[i]
                i += 1
                if op in _ARITHMETIC:
                    raise ValueError(f"arithmetic operator 12 {op - 1200} is not supported")
                out += bytes((12, op - 1200))
                st[1] = 0
                continue
            if b in (1, 3, 18, 23):                       # hstem, vstem, hstemhm, vstemhm
                st[0] += st[1] // 2
                st[5] += 1
            elif b == 19 or b == 20:                      # hintmask, cntrmask (+ implied vstem)
                st[0] += st[1] // 2
                st[5] += 1
                mask = (st[0] + 7) // 8
                out.append(b)
                out += cs[i:i + mask]
                i += mask
                st[1] = 0
                continue
            out.append(b)
            st[1] = 0

    # ------------------------------------------------------------ subsetting
    def cid_font(self, glyphs: list[int], name: str) -> bytes:
        """A CID-keyed CFF font whose glyph (and CID) n is the source glyph ``glyphs[n]``.

        ``glyphs[0]`` is the .notdef glyph; a glyph may appear more than once.
        """
        if not glyphs or glyphs[0] != 0:
            glyphs = [0] + list(glyphs)
        for g in glyphs:
            if not 0 <= g < self.num_glyphs:
                raise FontFileError(f"{self.name}: bad glyph id {g} in subset")
        n = len(glyphs)
        fd_new: dict[int, int] = {}
        select = bytearray()
        charstrings = []
        memo = self.flat
        for g in glyphs:
            fd = self.fd_of(g)
            select.append(fd_new.setdefault(fd, len(fd_new)))
            cs = memo.get(g)
            if cs is None:
                cs = memo[g] = self.charstring(g)
            charstrings.append(cs)
        used = sorted(fd_new, key=fd_new.get)

        matrix_in_fd = not self.cid_keyed and self.font_matrix is not None
        top_fixed = bytearray(_int(391) + _int(392) + _int(0) + _op(_OP_ROS))
        if matrix_in_fd:
            top_fixed += b"".join(_int(v) for v in (1, 0, 0, 1, 0, 0)) + _op(_OP_FONTMATRIX)
        elif self.font_matrix is not None:
            top_fixed += self.font_matrix + _op(_OP_FONTMATRIX)
        for op, raw, _vals in self.top:
            if op in _TOP_COPY:
                top_fixed += raw + _op(op)
        top_fixed += _int(n) + _op(_OP_CIDCOUNT)
        top_len = len(top_fixed) + 4 * 5 + len(_op(_OP_CHARSET) + _op(_OP_FDSELECT) + _op(_OP_CHARSTRINGS)
                                               + _op(_OP_FDARRAY))    # + those four offsets
        header = b"\x01\x00\x04\x04"
        name_index = _index([name.encode("latin-1", "replace")[:127]])
        strings = _index([b"Adobe", b"Identity"])
        gsubrs = _index([])
        top_index_len = len(_index([bytes(top_len)]))
        pos = len(header) + len(name_index) + top_index_len + len(strings) + len(gsubrs)

        charset = b"\x02" + (struct.pack(">HH", 1, n - 2) if n > 1 else b"")
        fdselect = b"\x00" + bytes(select)
        cs_index = _index(charstrings)
        privates = []
        for fd in used:
            src = self.fds[fd]
            privates.append(b"".join(raw + _op(op) for op, raw, _v in src.private if op != _OP_SUBRS))
        at_charset = pos
        at_fdselect = at_charset + len(charset)
        at_cs = at_fdselect + len(fdselect)
        after_cs = at_cs + len(cs_index)
        fd_dicts_len = []
        for fd, priv in zip(used, privates):
            base = b"".join(raw + _op(op) for op, raw, _v in self.fds[fd].entries
                            if op not in (_OP_PRIVATE, 1238))              # FontName needs strings
            if matrix_in_fd:
                base += self.font_matrix + _op(_OP_FONTMATRIX)
            fd_dicts_len.append((base, len(priv)))
        # Font DICTs end with a 5+5-byte Private entry, so their length is known before the offsets
        fd_index_len = len(_index([b + bytes(10 + 1) for b, _l in fd_dicts_len]))
        at_fdarray = after_cs
        at_private = at_fdarray + fd_index_len
        fd_dicts = []
        p = at_private
        for (base, plen), priv in zip(fd_dicts_len, privates):
            fd_dicts.append(base + _int5(plen) + _int5(p) + _op(_OP_PRIVATE))
            p += plen
        fdarray = _index(fd_dicts)
        top = bytes(top_fixed) + _int5(at_charset) + _op(_OP_CHARSET) + _int5(at_fdselect) + \
            _op(_OP_FDSELECT) + _int5(at_cs) + _op(_OP_CHARSTRINGS) + _int5(at_fdarray) + _op(_OP_FDARRAY)
        assert len(top) == top_len and len(fdarray) == fd_index_len
        out = b"".join((header, name_index, _index([top]), strings, gsubrs, charset, fdselect,
                        cs_index, fdarray, *privates))
        return out

    def subset(self, gids: list[int]) -> bytes:
        """An OpenType (CFF) font holding .notdef then ``gids`` in order (new gid i+1 for gids[i])."""
        glyphs = [0] + list(gids)
        cff = self.cid_font(glyphs, self.name)
        n = len(glyphs)
        hm = bytearray()
        advances, lsbs = self._metrics_table()
        for g in glyphs:
            hm += struct.pack(">Hh", advances[g], lsbs[g])
        head = bytearray(self.table("head"))
        struct.pack_into(">I", head, 8, 0)
        hhea = bytearray(self.table("hhea"))
        struct.pack_into(">H", hhea, 34, n)
        maxp = struct.pack(">IH", 0x00005000, n)
        post = b"\x00\x03\x00\x00" + (self.table("post")[4:16] if "post" in self.tables
                                      else b"\0" * 12) + b"\0" * 16
        tables = {"CFF ": cff, "head": bytes(head), "hhea": bytes(hhea), "hmtx": bytes(hm),
                  "maxp": maxp, "post": post, "cmap": _cmap4_empty()}
        if "OS/2" in self.tables:
            tables["OS/2"] = self.table("OS/2")
        return _assemble(tables, 0x4F54544F)
