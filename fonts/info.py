"""FontInfo: what discovery knows about one face, without opening it again."""
from __future__ import annotations

import functools
import re
from dataclasses import asdict, field

from common.prebuilt import prebuilt_dataclass

from . import _methods as _dataclass_methods

# @dataclass, with the methods dataclasses would write generated ahead of time into
# fonts/_methods.py (see common/prebuilt.py)
dataclass = prebuilt_dataclass(_dataclass_methods)

# Bump when the metrics output changes: every key (and so every cached file) changes with it.
# 2: no more TrueType conversion; CFF faces are used as they are.
CACHE_VERSION = 2

ORIGIN_RANK = {"extra": 0, "env": 1, "user": 2, "system": 3, "bundled": 4}
REGULAR_STYLES = ("regular", "book", "normal", "roman", "standard", "常规", "標準", "标准", "正常")


@dataclass(frozen=True)
class FontInfo:
    """One face of one font file, as discovery saw it."""
    path: str                      # the font file as found
    index: int = 0                 # face index inside a collection (0 for single fonts)
    collection: bool = False       # the file is a .ttc/.otc collection
    family: str = ""               # English family (typographic family when present)
    style: str = "Regular"         # English style (typographic subfamily when present)
    families: tuple[str, ...] = () # every family name the face gives, any language (incl. Chinese)
    styles: tuple[str, ...] = ()   # every style name the face gives, any language
    full_name: str = ""
    ps_name: str = ""
    outline: str = "glyf"          # glyf | CFF
    num_glyphs: int = 0
    weight: int = 400              # OS/2 usWeightClass
    italic: bool = False
    variable: bool = False
    origin: str = "system"         # bundled | system | user | env | extra
    cjk: bool = False              # covers CJK ideographs (OS/2 unicode range / code page bits)
    sc: bool = False               # meant for Simplified Chinese (GB 2312 code page, SC/CN name)
    units_per_em: int = 1000
    ascender: int = 880            # OS/2 sTypoAscender (hhea ascent when OS/2 is absent)
    descender: int = -120          # OS/2 sTypoDescender, negative (hhea descent when OS/2 is absent)
    line_ascender: int = 0         # hhea ascent
    line_descender: int = 0        # hhea descent, negative
    size: int = 0                  # file size, part of the cache key
    mtime_ns: int = 0              # file mtime, part of the cache key
    pairs: tuple[tuple[str, str], ...] = field(default=(), repr=False)  # (family, style) name pairs

    @property
    def source(self) -> str:
        """The font file, with '#index' for a collection face."""
        return f"{self.path}#{self.index}" if self.collection else self.path

    @property
    def display_name(self) -> str:
        """Human name: family, plus the style unless it is Regular."""
        if not self.style or self.style.casefold() in REGULAR_STYLES:
            return self.family
        return f"{self.family} {self.style}"

    @functools.cached_property
    def key(self) -> str:
        """Unique, stable registry key; also the PostScript name of the face's subsets in a PDF.

        It hashes the face's names, index, size and mtime but not its folder, so the same installed file
        seen from another checkout or virtualenv shares one cached metrics file.
        """
        ident = "|".join(map(str, (self.ps_name, self.family, self.style, self.index,
                                   self.size, self.mtime_ns, CACHE_VERSION)))
        import hashlib
        digest = hashlib.sha1(ident.encode("utf-8", "surrogatepass")).hexdigest()[:6]
        base = self.ps_name or f"{self.family}-{self.style}"
        base = re.sub(r"[^A-Za-z0-9-]+", "", base.replace(" ", "")) or "Font"
        return f"BM-{base[:63 - 10]}-{digest}"

    def to_dict(self) -> dict:
        """Plain data for the scan cache."""
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "FontInfo":
        """Rebuild from the scan cache (tuples come back as lists)."""
        d = dict(d)
        for k in ("families", "styles"):
            d[k] = tuple(d.get(k, ()))
        d["pairs"] = tuple(tuple(p) for p in d.get("pairs", ()))
        return cls(**d)
