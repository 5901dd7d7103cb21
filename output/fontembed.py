"""Fonts of one PDF document: one embedded, subset CID font per face.

Each face becomes a Type0 font (Identity-H) whose 2-byte codes are CIDs handed
out in order of first use.  A TrueType face becomes a CIDFontType2 whose
embedded subset (FontFile2) holds the used glyphs in that same order, so CID n
is glyph n (CIDToGIDMap /Identity).  A CFF face (.otf, or a face of a .ttc)
becomes a CIDFontType0 whose embedded CID-keyed CFF subset (FontFile3
/CIDFontType0C) holds glyph n for CID n, straight from the font's own
outlines (output/cfffont.py).  When one glyph is shown for two different
characters (a shared glyph), the second gets a CID of its own mapped to the
same glyph, so the ToUnicode map can give each its own text.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import field

from common.prebuilt import prebuilt_dataclass

from . import pdfobjects
from .cfffont import CFFProgram
from .ttfont import FontFileError, SfntProgram, TrueTypeProgram, face_offset, read_font_file
from . import _methods as _dataclass_methods

# @dataclass, with the methods dataclasses would write generated ahead of time into
# output/_methods.py (see common/prebuilt.py)
dataclass = prebuilt_dataclass(_dataclass_methods)


def open_program(data: bytes, index: int = 0, name: str = "font") -> SfntProgram:
    """The program of one face: TrueTypeProgram (glyf) or CFFProgram (CFF outlines)."""
    _base, tag = face_offset(data, index, name)
    if tag == b"OTTO":
        return CFFProgram(data, index, name)
    return TrueTypeProgram(data, index, name)


def _num(v: float) -> str:
    """A PDF number with at most 3 decimals."""
    return pdfobjects.num(v, 3)


_IDENTITY_SYSTEM = "<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"


def _widths(widths) -> str:
    """The W array of CIDs 1… (a CJK face's widths are mostly one value: each distinct
    value is formatted once)."""
    text: dict = {}
    return "[1 [" + " ".join([text[w] if w in text else text.setdefault(w, _num(w))
                              for w in widths[1:]]) + "]]"


class FontPrograms:
    """Parsed font files, kept between exports (owned by the caller, not global)."""

    def __init__(self) -> None:
        """An empty cache."""
        self._cache: dict[tuple, SfntProgram] = {}
        self._facts: dict | None = None     # (``facts``: read when first asked)

    def get(self, path: str, index: int = 0, name: str = "") -> SfntProgram:
        """The parsed program of a font file (re-read when the file changed)."""
        st = os.stat(path)
        key = (os.path.abspath(path), index, st.st_mtime_ns, st.st_size)
        prog = self._cache.get(key)
        if prog is None:
            prog = open_program(read_font_file(path), index, name or os.path.basename(path))
            self._cache[key] = prog
        return prog

    def facts(self, path: str, index: int = 0, name: str = "") -> tuple:
        """(whether the face has CFF outlines, why its licence forbids embedding a subset
        or "", its FontDescriptor numbers): what an export reads of a face whose subset
        and CIDs it keeps, without parsing the font.  Kept in the cache folder by the
        file's path, face, size and time (``font-facts.marshal``); a face not known
        there, or whose file changed, is parsed (``get``).  OSError, FontFileError as
        ``get`` raises them."""
        st = os.stat(path)
        key = (os.path.abspath(path), index, st.st_mtime_ns, st.st_size)
        prog = self._cache.get(key)
        known = self._known_facts()
        name_ = repr(key)
        if prog is None:
            got = known.get(name_)
            if type(got) is tuple and len(got) == 3 and type(got[0]) is bool and \
                    type(got[1]) is str and type(got[2]) is tuple and len(got[2]) == 8:
                from .ttfont import FontMetrics
                try:
                    return got[0], got[1], FontMetrics(*got[2])
                except TypeError:
                    pass
            prog = self.get(path, index, name)
        m = prog.metrics()
        out = (isinstance(prog, CFFProgram), prog.embedding_problem(), m)
        if name_ not in known:
            known[name_] = (out[0], out[1], (m.ascent, m.descent, m.cap_height, tuple(m.bbox),
                                             m.italic_angle, m.stem_v, m.fixed_pitch, m.bold))
            self._save_facts(known)
        return out

    _FACTS_FORMAT = 1
    _FACTS_LIMIT = 500                  # faces kept (then the file starts afresh)

    def _known_facts(self) -> dict:
        held = self._facts
        if held is None:
            import marshal

            from common.fs import cache_dir, cache_read_checked
            held = {}
            try:
                got = marshal.loads(cache_read_checked(cache_dir("subsets",
                                                                 "font-facts.marshal")))
                if type(got) is tuple and len(got) == 2 and got[0] == self._FACTS_FORMAT \
                        and type(got[1]) is dict:
                    held = got[1]
            except (OSError, TypeError, ValueError, EOFError):
                pass
            self._facts = held
        return held

    def _save_facts(self, known: dict) -> None:
        import marshal

        from common.fs import cache_dir, cache_write_checked
        if len(known) > self._FACTS_LIMIT:
            known.clear()
        try:
            cache_write_checked(cache_dir("subsets", "font-facts.marshal"),
                                marshal.dumps((self._FACTS_FORMAT, known)))
        except (OSError, ValueError):
            pass


@dataclass
class _Face:
    """Per-document state of one face: CIDs handed out and their text."""
    key: str
    resource: str                        # font resource name, e.g. "BF1"
    program: SfntProgram
    gids: list[int] = field(default_factory=list)           # CID-1 -> glyph (first use)
    cid_of: dict[tuple[int, str], int] = field(default_factory=dict)
    first_cid: dict[int, int] = field(default_factory=dict)  # glyph -> its first CID
    extra: list[tuple[int, int]] = field(default_factory=list)  # (cid, gid) for shared glyphs
    text: list[str] = field(default_factory=lambda: [""])      # CID -> text
    widths: list[float] = field(default_factory=lambda: [0.0])  # CID -> width (1/1000 em)
    hexes: list[str] = field(default_factory=lambda: ["0000"])  # CID -> "%04X"


class DocumentFonts:
    """Hands out CIDs for glyph runs and writes the font objects at the end."""

    def __init__(self, fontset, programs: FontPrograms | None = None):
        """Fonts of ``fontset`` (anything with ``face(key)`` giving ``.key``/``.path``)."""
        self.fontset = fontset
        self.programs = programs or FontPrograms()
        self._faces: dict[str, _Face] = {}
        # faces taken up from a state (``restore``) whose programs are not parsed yet:
        # key → (font file, face index); parsed when a new CID or a new subset needs them
        self._where: dict[str, tuple] = {}

    def face(self, key: str) -> _Face:
        """The document state of a face, loading its program on first use."""
        f = self._faces.get(key)
        if f is not None and f.program is None:
            self._program(f)
        if f is None:
            ff = self.fontset.face(key)
            try:
                prog = self.programs.get(ff.path, getattr(ff, "index", 0) or 0, ff.key)
            except FontFileError:
                raise
            except OSError as exc:
                raise FontFileError(f"font '{key}' cannot be read: {exc}") from None
            f = _Face(key, f"BF{len(self._faces) + 1}", prog)
            self._faces[key] = f
        return f

    _STATE = ("gids", "cid_of", "first_cid", "extra", "text", "widths", "hexes")

    def state(self) -> list:
        """The CIDs handed out so far, face by face (plain data: ``restore`` takes it)."""
        return [(f.key, f.resource) + tuple(getattr(f, n) for n in self._STATE)
                for f in self._faces.values()]

    def restore(self, state: list) -> bool:
        """Hand out the CIDs of ``state`` again (before any other use); False when a face
        is not the one it was.  The faces' fonts are not parsed (``FontPrograms.facts``
        says what their objects need) until a new CID or a new subset needs them."""
        if self._faces:
            return False
        try:
            for key, resource, *values in state:
                ff = self.fontset.face(key)
                where = (ff.path, getattr(ff, "index", 0) or 0, ff.key)
                cff, _problem, metrics = self.programs.facts(*where)  # (the file is a font)
                f = _Face(key, f"BF{len(self._faces) + 1}", None)
                self._faces[key] = f
                self._where[key] = (where, cff, metrics)
                if f.resource != resource or len(values) != len(self._STATE):
                    self._faces.clear()
                    return False
                for n, v in zip(self._STATE, values):
                    setattr(f, n, v)
        except (KeyError, OSError, FontFileError, ValueError, TypeError, StopIteration):
            self._faces.clear()
            return False
        return True

    def _program(self, f: _Face) -> SfntProgram:
        """The face's parsed font (parsed now if ``restore`` left it)."""
        prog = f.program
        if prog is None:
            path, index, name = self._where[f.key][0]
            try:
                prog = f.program = self.programs.get(path, index, name)
            except OSError as exc:
                raise FontFileError(f"font '{f.key}' cannot be read: {exc}") from None
        return prog

    def _facts(self, f: _Face) -> tuple:
        """(CFF outlines?, FontMetrics) of a face, without parsing it where it is not."""
        if f.program is not None:
            return isinstance(f.program, CFFProgram), f.program.metrics()
        return self._where[f.key][1:]           # (as ``restore`` found them)

    def encode(self, key: str, glyphs, text: str) -> tuple[_Face, list[int]]:
        """The CIDs of a run's glyphs (one character of ``text`` per glyph)."""
        f = self._faces.get(key) or self.face(key)
        cid_of = f.cid_of
        pad = len(glyphs) - len(text)
        if pad > 0:
            text = text + "\ufffd" * pad
        get = cid_of.get
        out = [get(pair) for pair in zip(glyphs, text)]      # the known glyphs at C speed
        if None in out:                                       # new ones, in order of use
            if f.program is None:
                self._program(f)
            for i, pair in enumerate(zip(glyphs, text)):
                if out[i] is None:
                    cid = get(pair)
                    out[i] = cid if cid is not None else self._new_cid(f, *pair)
        return f, out

    @staticmethod
    def _new_cid(f: _Face, g: int, ch: str) -> int:
        prog = f.program
        if not 0 <= g < prog.num_glyphs:
            g = 0
        cid = len(f.text)
        if cid > 0xFFFE:
            raise FontFileError(f"font '{f.key}': more than 65,534 distinct glyphs in one PDF")
        if g in f.first_cid:
            f.extra.append((cid, g))
        else:
            f.first_cid[g] = cid
            f.gids.append(g)
        f.text.append(ch)
        f.widths.append(float(_num(prog.advance(g) * 1000.0 / prog.units_per_em)))
        f.hexes.append("%04X" % cid)
        f.cid_of[(g, ch)] = cid
        return cid

    # ------------------------------------------------------------ PDF objects
    def add_objects(self, doc) -> None:
        """Subset every used face and put its font objects in the document's font dict."""
        font_dict = doc.idToObject["BasicFonts"].dict
        for f in self._faces.values():
            if len(f.text) <= 1:
                continue
            font_dict[f.resource] = self._type0(doc, f)

    def _type0(self, doc, f: _Face):
        cff, metrics = self._facts(f)
        if cff:
            return self._type0_cff(doc, f, metrics)
        from .canvas import RawDict
        real = [g for g in f.gids if g != 0]
        what = ("ttf", real)
        new_gid = {g: i + 1 for i, g in enumerate(real)}
        new_gid[0] = 0
        tag = _subset_tag(f.key, f.gids, f.extra)
        base = f"{tag}+{_ps_name(f.key)}"
        ff = _kept_stream(doc, f.key, "program", what,
                          lambda: subset_cached(f.key, what,
                                                lambda: self._program(f).subset(real)),
                          level=3, length1=True)
        desc = self._descriptor(metrics, base, "FontFile2", ff)
        # CID -> glyph in the subset: identity unless shared glyphs got extra CIDs
        cid_gid = [0] * len(f.text)
        for g in f.gids:
            cid_gid[f.first_cid[g]] = new_gid[g]
        for cid, g in f.extra:
            cid_gid[cid] = new_gid[g]
        identity = all(cid_gid[c] == c for c in range(len(cid_gid)))
        if identity:
            gid_map = "/Identity"
        else:
            gid_map = pdfobjects.stream(b"".join(g.to_bytes(2, "big") for g in cid_gid),
                                        bool(doc.compression))
        cid_font = RawDict([
            ("Type", "/Font"), ("Subtype", "/CIDFontType2"), ("BaseFont", "/" + base),
            ("CIDSystemInfo", _IDENTITY_SYSTEM), ("FontDescriptor", desc), ("DW", "1000"),
            ("W", _widths(f.widths)), ("CIDToGIDMap", gid_map)])
        return self._type0_over(doc, f, base, cid_font)

    def _type0_cff(self, doc, f: _Face, metrics):
        """A Type0 font over a CIDFontType0 whose CID-keyed CFF subset has glyph n for CID n."""
        from .canvas import RawDict
        glyphs = [0] * len(f.text)
        for g in f.gids:
            glyphs[f.first_cid[g]] = g
        for cid, g in f.extra:
            glyphs[cid] = g
        tag = _subset_tag(f.key, f.gids, f.extra)
        base = f"{tag}+{_ps_name(f.key)}"
        what = ("cff", glyphs, base)
        def make() -> bytes:
            prog = self._program(f)
            return _with_flat_cache(f.key, prog, lambda: prog.cid_font(glyphs, base))
        ff = _kept_stream(doc, f.key, "program", what, lambda: subset_cached(f.key, what, make),
                          level=3, entries="/Subtype /CIDFontType0C")
        cid_font = RawDict([
            ("Type", "/Font"), ("Subtype", "/CIDFontType0"), ("BaseFont", "/" + base),
            ("CIDSystemInfo", _IDENTITY_SYSTEM),
            ("FontDescriptor", self._descriptor(metrics, base, "FontFile3", ff)),
            ("DW", "1000"), ("W", _widths(f.widths))])
        return self._type0_over(doc, f, f"{base}-Identity-H", cid_font)

    @staticmethod
    def _type0_over(doc, f: _Face, base_font: str, cid_font):
        """The Type0 font (Identity-H, with its ToUnicode CMap) over ``cid_font``,
        registered as the face's resource; its reference."""
        from .canvas import RawDict
        tu = _kept_stream(doc, f.key, "tounicode", f.text, lambda: _to_unicode(f.text))
        type0 = RawDict([
            ("Type", "/Font"), ("Subtype", "/Type0"), ("BaseFont", "/" + base_font),
            ("Encoding", "/Identity-H"), ("DescendantFonts", [cid_font]), ("ToUnicode", tu)])
        return doc.Reference(type0, "BanmianFont:" + f.resource)

    @staticmethod
    def _descriptor(m, base: str, file_key: str, ff):
        """The FontDescriptor of an embedded subset (``m``: the face's FontMetrics;
        ``file_key``: FontFile2 or FontFile3)."""
        from .canvas import RawDict
        flags = 4 | (1 if m.fixed_pitch else 0) | (0x40000 if m.bold else 0) | \
            (0x40 if m.italic_angle else 0)
        return RawDict([
            ("Type", "/FontDescriptor"), ("FontName", "/" + base), ("Flags", str(flags)),
            ("FontBBox", "[" + " ".join(_num(v) for v in m.bbox) + "]"),
            ("ItalicAngle", _num(m.italic_angle)), ("Ascent", _num(m.ascent)),
            ("Descent", _num(m.descent)), ("CapHeight", _num(m.cap_height)),
            ("StemV", str(m.stem_v)), (file_key, ff)])

    def faces(self):
        """The faces used so far: (key, program) pairs."""
        return [(f.key, self._program(f)) for f in self._faces.values()]


SUBSET_CACHE_VERSION = 2


def subset_cached(face_key: str, what: tuple, make) -> bytes:
    """A subset font program from the cache directory (``subsets/``), made by ``make()`` once.

    The key is the face key (which holds the font file's size and mtime) and the
    glyph list, so an export of unchanged pages re-uses the programs built by the
    last one; a file that cannot be read or written is simply rebuilt.
    """
    from common.fs import cache_dir, cache_read_checked, cache_write_checked
    h = hashlib.sha1(repr((SUBSET_CACHE_VERSION, face_key, what)).encode("utf-8"))
    path = cache_dir("subsets", h.hexdigest() + ".bin")
    kept = cache_read_checked(path)             # whole (a file cut by a crash is made again)
    if kept is not None:
        return bytes(kept)
    data = make()
    try:
        cache_write_checked(path, data)
    except OSError:
        pass
    return data


def _kept_stream(doc, face_key: str, kind: str, source, make, level: int = 6,
                 entries: str = "", length1: bool = False):
    """A stream of the bytes ``make()`` gives, made from ``source`` (what determines them:
    the subset's glyph list, or the characters of a ToUnicode CMap); Flate-compressed
    when the document compresses, the compressed bytes kept with the subsets (keyed by a
    digest of ``source``), so an export of pages exported before neither reads the
    subset program, builds nor compresses anything again.  ``entries``: further
    dictionary entries as PDF text; ``length1``: a ``/Length1`` of the bytes' length
    before compression (a FontFile2's)."""
    from .canvas import RawStream
    if not doc.compression:
        data = make()
        return RawStream(data, "", entries + (f" /Length1 {len(data)}" if length1 else ""))
    import zlib
    digest = hashlib.sha1(source if isinstance(source, bytes) else
                          repr(source).encode("utf-8", "surrogatepass")).hexdigest()

    def compressed() -> bytes:
        data = make()
        return len(data).to_bytes(4, "big") + zlib.compress(data, level)
    blob = subset_cached(face_key, ("flate2", kind, level, digest), compressed)
    size = int.from_bytes(blob[:4], "big")
    return RawStream(blob[4:], "FlateDecode",
                     entries + (f" /Length1 {size}" if length1 else ""))


def _with_flat_cache(face_key: str, prog, make) -> bytes:
    """Run ``make()`` with the face's flattened charstrings of earlier runs loaded from the
    cache directory (``subsets/KEY.charstrings``), and store them with the new ones after.

    A subset with one glyph more than last time then flattens only that glyph.
    """
    import marshal

    from common.fs import cache_dir, cache_read_checked, cache_write_checked
    path = cache_dir("subsets", f"{face_key}-{SUBSET_CACHE_VERSION}.charstrings")
    try:
        blob = cache_read_checked(path)
        stored = marshal.loads(blob) if blob is not None else None
        if isinstance(stored, dict):
            for g, cs in stored.items():
                prog.flat.setdefault(g, cs)
    except (EOFError, ValueError, TypeError):
        pass
    before = len(prog.flat)
    data = make()
    if len(prog.flat) > before:
        try:
            cache_write_checked(path, marshal.dumps(dict(prog.flat)))
        except OSError:
            pass
    return data


def _ps_name(key: str) -> str:
    """A PDF-name-safe PostScript name from a face key."""
    return "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in key) or "F"


def _subset_tag(key: str, gids, extra) -> str:
    """Six capital letters that identify this subset (PDF 9.6.4)."""
    h = hashlib.md5(key.encode("utf-8"))
    h.update(repr((list(gids), list(extra))).encode("ascii"))
    n = int.from_bytes(h.digest()[:8], "big")
    return "".join(chr(65 + (n >> (5 * i)) % 26) for i in range(6))


def _utf16_hex(s: str) -> str:
    return s.encode("utf-16-be").hex().upper() if s else "FFFD"


def _to_unicode(text: list[str]) -> bytes:
    """A ToUnicode CMap mapping each CID (index of ``text``) to its characters."""
    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
             "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange"]
    pairs = [(cid, t) for cid, t in enumerate(text) if cid and t]
    for i in range(0, len(pairs), 100):
        chunk = pairs[i:i + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines.extend(f"<{cid:04X}> <{_utf16_hex(t)}>" for cid, t in chunk)
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return ("\n".join(lines) + "\n").encode("ascii")
