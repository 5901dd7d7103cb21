"""Compact per-face metrics cache (cmap, advances, vertical data, ink boxes): fast to load, no fontTools."""
from __future__ import annotations

import marshal
import sys
from array import array
from pathlib import Path

from .cachefile import atomic_write

METRICS_FORMAT = 1
_TAG = (METRICS_FORMAT, sys.byteorder)


def _arr(code: str, data: bytes) -> array:
    """An array of the given type code filled from bytes."""
    a = array(code)
    a.frombytes(data)
    return a


class Metrics:
    """Glyph lookup tables of one face: BMP cmap as a dense array, advances, 'vert' map."""

    __slots__ = ("key", "source", "num_glyphs", "bmp", "sup", "adv", "vadv", "vert", "default_vadv")

    def __init__(self, key: str, num_glyphs: int, bmp: array, sup: dict[int, int],
                 adv: array, vadv: array | None, vert: dict[int, int], default_vadv: int,
                 source: str = ""):
        self.key = key
        self.source = source            # real path of the source file (#index), for cache pruning
        self.num_glyphs = num_glyphs
        self.bmp = bmp                  # array('H', 65536): BMP code point -> gid
        self.sup = sup                  # code point above U+FFFF -> gid
        self.adv = adv                  # array('H'): gid -> horizontal advance
        self.vadv = vadv                # array('H'): gid -> vertical advance, None without vmtx
        self.vert = vert                # gid -> vertical alternate gid
        self.default_vadv = default_vadv

    @classmethod
    def from_tables(cls, key: str, num_glyphs: int, cmap: dict[int, int], advances,
                    vadvances, vert: dict[int, int], default_vadv: int, source: str = "") -> "Metrics":
        """Build from plain tables (code point -> gid, advance lists)."""
        bmp = array("H", bytes(2 * 65536))
        sup = {}
        for cp, g in cmap.items():
            if cp < 0x10000:
                bmp[cp] = g
            else:
                sup[cp] = g
        vadv = array("H", vadvances) if vadvances is not None else None
        return cls(key, num_glyphs, bmp, sup, array("H", advances), vadv, dict(vert), default_vadv, source)

    def to_bytes(self) -> bytes:
        """Serialise for the cache file."""
        return marshal.dumps({
            "tag": _TAG, "key": self.key, "n": self.num_glyphs, "bmp": self.bmp.tobytes(),
            "sup": self.sup, "adv": self.adv.tobytes(),
            "vadv": self.vadv.tobytes() if self.vadv is not None else None,
            "vert": self.vert, "dvadv": self.default_vadv, "src": self.source})

    @classmethod
    def from_bytes(cls, data: bytes, key: str) -> "Metrics | None":
        """Load from cache bytes; None when the bytes are from another format, machine or face."""
        try:
            d = marshal.loads(data)
            if d["tag"] != _TAG or d["key"] != key:
                return None
            vadv = _arr("H", d["vadv"]) if d["vadv"] is not None else None
            m = cls(key, d["n"], _arr("H", d["bmp"]), d["sup"], _arr("H", d["adv"]), vadv,
                    d["vert"], d["dvadv"], d["src"])
            if len(m.bmp) != 65536 or len(m.adv) != m.num_glyphs:
                return None
            return m
        except (ValueError, EOFError, TypeError, KeyError):
            return None

    def cmap(self) -> dict[int, int]:
        """Code point -> gid for every mapped character (built on demand; slower than gid look-ups)."""
        out = {cp: g for cp, g in enumerate(self.bmp) if g}
        out.update(self.sup)
        return out


def load_metrics(path: Path, key: str) -> Metrics | None:
    """The cached metrics at path for this key, or None if absent or unusable."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return Metrics.from_bytes(data, key)


def save_metrics(path: Path, m: Metrics) -> None:
    """Write metrics atomically."""
    atomic_write(path, m.to_bytes())


def ink_to_bytes(key: str, boxes: array) -> bytes:
    """Serialise ink boxes (array('h'), 4 values per gid)."""
    return marshal.dumps({"tag": _TAG, "key": key, "ink": boxes.tobytes()})


def load_ink(path: Path, key: str, num_glyphs: int) -> array | None:
    """The cached ink boxes (array('h'), 4 per gid) or None."""
    try:
        d = marshal.loads(path.read_bytes())
        if d["tag"] != _TAG or d["key"] != key:
            return None
        ink = _arr("h", d["ink"])
        return ink if len(ink) == 4 * num_glyphs else None
    except (OSError, ValueError, EOFError, TypeError, KeyError):
        return None


def metrics_source(path: Path) -> str | None:
    """The source recorded in a metrics cache file (any key), or None."""
    try:
        d = marshal.loads(path.read_bytes())
        return d["src"] if d.get("tag") == _TAG else None
    except (OSError, ValueError, EOFError, TypeError, KeyError, AttributeError):
        return None
