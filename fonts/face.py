"""FontFace: one face ready for the layout engine, the PDF writer and Qt, its metrics loaded lazily from the cache."""
from __future__ import annotations

from array import array
from pathlib import Path

from .errors import FontError
from .info import FontInfo
from .metrics import Metrics, ink_to_bytes, load_ink, load_metrics, save_metrics


class FontFace:
    """One face: glyph ids, advances, vertical alternates (cached) and its font file and face index."""

    def __init__(self, info: FontInfo, library):
        self.info = info
        self.key: str = info.key                 # registry key, also the embedded font's PostScript name
        self.name: str = info.display_name       # human name, e.g. "Noto Serif CJK SC Bold"
        self.source: str = info.source           # original file (#face index, @instance)
        self.index: int = info.index if info.collection else 0   # face of a .ttc/.otc collection
        self.units_per_em: int = info.units_per_em
        self.ascender: int = info.ascender       # OS/2 sTypoAscender (hhea when OS/2 is absent)
        self.descender: int = info.descender     # OS/2 sTypoDescender, negative
        self.line_ascender: int = info.line_ascender    # hhea ascent
        self.line_descender: int = info.line_descender  # hhea descent, negative
        self.num_glyphs: int = info.num_glyphs
        self._library = library
        self._path: str | None = None
        self._bmp: array | None = None
        self._sup: dict[int, int] = {}
        self._adv: array | None = None
        self._vadv: array | None = None
        self._vert: dict[int, int] = {}
        self._default_vadv = info.units_per_em
        self._ink: array | None = None           # TrueType: every glyph's box, from the glyf headers
        self._ink_memo: dict[int, tuple] = {}    # CFF: boxes computed from the outlines on demand
        self._outline_font = None                # CFF: the font kept open for those outlines

    def __repr__(self) -> str:
        return f"<FontFace {self.key} {self.name!r} {self.source}>"

    def __eq__(self, other) -> bool:
        return isinstance(other, FontFace) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)

    # ------------------------------------------------------------------ files
    @property
    def path(self) -> str:
        """The font file itself (.ttf, .otf or .ttc/.otc; see ``index``), for the PDF writer and Qt."""
        if self._path is None:
            if not Path(self.info.path).exists():
                raise FontError(self.info.path, "font file not found")
            self._path = self.info.path
        return self._path

    @property
    def ready(self) -> bool:
        """True when the font file is there (nothing is ever converted or extracted first)."""
        return self._path is not None or Path(self.info.path).exists()

    def data(self) -> bytes:
        """The face as one OpenType font in memory: the file's bytes, or a collection's face on its own.

        For readers that cannot pick a face of a .ttc/.otc (Qt's QRawFont); see fonts/sfnt.py.
        """
        from .sfnt import face_data
        return face_data(self.path, self.index)

    @property
    def is_cff(self) -> bool:
        """True when the face has PostScript (CFF/CFF2) outlines rather than TrueType (glyf) ones."""
        return self.info.outline != "glyf"

    # ---------------------------------------------------------------- metrics
    def _load(self) -> Metrics:
        """Load the metrics cache, building it with fontTools on first use."""
        lib = self._library
        mpath = lib.cache_file(self.key, ".metrics")
        m = load_metrics(mpath, self.key)
        if m is None:
            m = self._build_metrics(mpath)
        self._sup, self._adv, self._vadv, self._vert = m.sup, m.adv, m.vadv, m.vert
        self._default_vadv = m.default_vadv
        self._bmp = m.bmp
        return m

    def _build_metrics(self, mpath: Path) -> Metrics:
        """Read cmap, advances and 'vert' from the font file and store them (TrueType: ink boxes too)."""
        from .build import build_metrics, build_metrics_fast, glyf_boxes, open_face
        font = open_face(self.info)
        try:
            m = build_metrics_fast(font, self.info) or build_metrics(font, self.info)
            save_metrics(mpath, m)
            self._library.prune_cache([self.info])
            if not self.is_cff:
                try:
                    ink = glyf_boxes(font)
                except Exception as e:
                    raise FontError(self.source, f"cannot read glyph boxes ({type(e).__name__}: {e})") from None
                self._library.write_cache(self.key, ".ink", ink_to_bytes(self.key, ink))
            return m
        finally:
            font.close()

    def load(self) -> "FontFace":
        """Load the glyph tables now (they load on first use anyway); FontError if the file is bad."""
        if self._bmp is None:
            self._load()
        return self

    def gid(self, ch: str) -> int:
        """Glyph id for a character, 0 if the face lacks it."""
        bmp = self._bmp
        if bmp is None:
            bmp = self._load().bmp
        cp = ord(ch)
        return bmp[cp] if cp < 0x10000 else self._sup.get(cp, 0)

    def gids(self, text: str) -> list[int]:
        """Glyph ids for every character of text (0 where missing)."""
        bmp = self._bmp
        if bmp is None:
            bmp = self._load().bmp
        sup = self._sup
        return [bmp[c] if c < 0x10000 else sup.get(c, 0) for c in map(ord, text)]

    def has(self, ch: str) -> bool:
        """True if the face has a glyph for the character."""
        return self.gid(ch) != 0

    def advance(self, gid: int) -> int:
        """Horizontal advance of a glyph in font units (0 for an unknown gid)."""
        adv = self._adv
        if adv is None:
            adv = self._load().adv
        return adv[gid] if 0 <= gid < len(adv) else 0

    def vadvance(self, gid: int) -> int:
        """Vertical advance of a glyph in font units (units_per_em when the face has no vmtx)."""
        if self._adv is None:
            self._load()
        v = self._vadv
        return v[gid] if v is not None and 0 <= gid < len(v) else self._default_vadv

    def vert(self, gid: int) -> int:
        """Vertical alternate of a glyph from GSUB 'vert' ('vrt2' if no 'vert'); the same gid if none."""
        if self._adv is None:
            self._load()
        return self._vert.get(gid, gid)

    def localized(self, language: str) -> dict[int, int]:
        """gid -> gid of GSUB 'locl' for an OpenType language ("ZHT", "ZHH"); {} if the face has none."""
        memo = self.__dict__.setdefault("_locl", {})
        got = memo.get(language)
        if got is None:
            from .locl import face_locl
            got = memo[language] = face_locl(self, language)
        return got

    def cmap(self) -> dict[int, int]:
        """Code point -> gid for every character the face maps (built on demand)."""
        if self._bmp is None:
            self._load()
        out = {cp: g for cp, g in enumerate(self._bmp) if g}
        out.update(self._sup)
        return out

    def ink_box(self, gid: int) -> tuple[int, int, int, int]:
        """(xMin, yMin, xMax, yMax) of the glyph's outline in font units; zeros for an empty glyph.

        TrueType faces read every box from the glyf headers once (cached on disk); CFF faces compute
        a glyph's box from its outline when first asked (about 0.2 ms a glyph).
        """
        if not self.is_cff:
            ink = self._ink
            if ink is None:
                ink = self._load_ink()
            if 0 <= gid and 4 * gid + 4 <= len(ink):
                return tuple(ink[4 * gid: 4 * gid + 4])
            return (0, 0, 0, 0)
        box = self._ink_memo.get(gid)
        if box is None:
            from .build import open_face, outline_box
            if self._outline_font is None:
                self._outline_font = open_face(self.info)
            try:
                box = self._ink_memo[gid] = outline_box(self._outline_font, self.info, gid)
            except Exception as e:
                raise FontError(self.source, f"cannot read glyph {gid} ({type(e).__name__}: {e})") from None
        return box

    def close(self) -> None:
        """Forget the font file opened for CFF ink boxes (it opens again when needed)."""
        if self._outline_font is not None:
            self._outline_font.close()
            self._outline_font = None

    def _load_ink(self) -> array:
        """TrueType ink boxes from the cache, read from the glyf table when the cache has none."""
        n = self.num_glyphs
        ink = load_ink(self._library.cache_file(self.key, ".ink"), self.key, n)
        if ink is None:
            from .build import glyf_boxes, open_face
            font = open_face(self.info)
            try:
                ink = glyf_boxes(font)
            except FontError:
                raise
            except Exception as e:
                raise FontError(self.source, f"cannot read glyph boxes ({type(e).__name__}: {e})") from None
            finally:
                font.close()
            self._library.write_cache(self.key, ".ink", ink_to_bytes(self.key, ink))
        self._ink = ink
        return ink
