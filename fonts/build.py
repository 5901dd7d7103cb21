"""Build the metrics cache of a face from the font file with fontTools (cold path only), and ink boxes."""
from __future__ import annotations

import os
import struct
import sys
from array import array

from fontTools.ttLib import TTFont

from .errors import FontError
from .gsub import vertical_map
from .info import FontInfo
from .metrics import Metrics


def open_face(info: FontInfo, **kw) -> TTFont:
    """Open one face of the info's file lazily; FontError naming the file if that fails."""
    try:
        return TTFont(info.path, fontNumber=info.index if info.collection else -1, lazy=True, **kw)
    except FileNotFoundError:
        raise FontError(info.path, "font file not found") from None
    except Exception as e:
        raise FontError(info.path, f"cannot open face {info.index} ({type(e).__name__}: {e})") from None


def source_id(info: FontInfo) -> str:
    """Real path of the face's file with its index, as recorded in the metrics cache."""
    return f"{os.path.realpath(info.path)}#{info.index}"


def advances(font: TTFont, info: FontInfo) -> list[int]:
    """Horizontal advance of every gid."""
    order = font.getGlyphOrder()
    hmtx = font["hmtx"].metrics
    return [max(0, min(65535, hmtx[n][0])) for n in order]


def vertical_advances(font: TTFont) -> list[int] | None:
    """Vertical advance of every gid from vmtx, or None when the face has no vmtx."""
    if "vmtx" not in font:
        return None
    vm = font["vmtx"].metrics
    upm = font["head"].unitsPerEm
    return [max(0, min(65535, vm[n][0] if n in vm else upm)) for n in font.getGlyphOrder()]


def build_metrics(font: TTFont, info: FontInfo) -> Metrics:
    """Metrics of an open face: cmap, advances, vertical advances, 'vert' alternates."""
    try:
        cmap = font.getBestCmap() or {}
        order = font.getGlyphOrder()
        ids = {name: i for i, name in enumerate(order)}
        cmap_gids = {cp: ids.get(name, 0) for cp, name in cmap.items()}
        return Metrics.from_tables(info.key, len(order), cmap_gids, advances(font, info),
                                   vertical_advances(font), vertical_map(font),
                                   info.units_per_em, source_id(info))
    except FontError:
        raise
    except Exception as e:
        raise FontError(info.source, f"cannot read metrics ({type(e).__name__}: {e})") from None


def glyf_boxes(font: TTFont) -> array:
    """(xMin, yMin, xMax, yMax) of every glyph read straight from the raw glyf/loca headers."""
    n = font["maxp"].numGlyphs
    long_loca = font["head"].indexToLocFormat == 1
    loca = array("I" if long_loca else "H")
    if loca.itemsize != (4 if long_loca else 2):
        loca = array("L" if long_loca else "H")
    loca.frombytes(font.reader["loca"][: (n + 1) * loca.itemsize])
    if sys.byteorder == "little":
        loca.byteswap()
    scale = 1 if long_loca else 2
    glyf = font.reader["glyf"]
    out = array("h", bytes(8 * n))
    unpack = struct.Struct(">5h").unpack_from
    for g in range(min(n, len(loca) - 1)):
        start, end = loca[g] * scale, loca[g + 1] * scale
        if end - start >= 10:
            _, x0, y0, x1, y1 = unpack(glyf, start)
            out[4 * g: 4 * g + 4] = array("h", (x0, y0, x1, y1))
    return out


def outline_box(font: TTFont, info: FontInfo, gid: int) -> tuple[int, int, int, int]:
    """Ink box of one glyph computed from its outline (CFF faces)."""
    from fontTools.pens.boundsPen import BoundsPen
    gs = getattr(font, "_banmian_glyphset", None)
    if gs is None:
        gs = font.getGlyphSet()
        font._banmian_glyphset = gs
    order = font.getGlyphOrder()
    if not 0 <= gid < len(order):
        return (0, 0, 0, 0)
    pen = BoundsPen(gs)
    gs[order[gid]].draw(pen)
    if pen.bounds is None:
        return (0, 0, 0, 0)
    x0, y0, x1, y1 = pen.bounds
    return (int(x0 // 1), int(y0 // 1), -int(-x1 // 1), -int(-y1 // 1))


# ---------------------------------------------------------------- raw tables (fast path)
def _table(font: TTFont, tag: str) -> bytes | None:
    """A table's raw bytes (None when the face has none)."""
    try:
        return font.reader[tag] if tag in font.reader else None
    except Exception:                            # noqa: BLE001 - unreadable: the slow path decides
        return None


def raw_cmap(data: bytes) -> dict[int, int] | None:
    """Code point → gid from the best Unicode subtable (format 12, else format 4), read directly.

    The same choice as fontTools' getBestCmap (3,10 / 0,6 / 0,4 before 3,1 / 0,3 / 0,2 /
    0,1 / 0,0); None when the best subtable has another format (the caller falls back).
    """
    n = struct.unpack_from(">H", data, 2)[0]
    subs = {}
    for i in range(n):
        pid, eid, off = struct.unpack_from(">HHI", data, 4 + 8 * i)
        subs.setdefault((pid, eid), off)
    for pe in ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0)):
        if pe in subs:
            off = subs[pe]
            break
    else:
        return {}
    fmt = struct.unpack_from(">H", data, off)[0]
    out: dict[int, int] = {}
    if fmt == 12:
        ngroups = struct.unpack_from(">I", data, off + 12)[0]
        groups = array("I", data[off + 16: off + 16 + 12 * ngroups])
        if sys.byteorder == "little":
            groups.byteswap()
        for k in range(0, 3 * ngroups, 3):
            start, end, gid = groups[k], groups[k + 1], groups[k + 2]
            for cp in range(start, end + 1):
                out[cp] = gid + cp - start
        return out
    if fmt == 4:
        segx2 = struct.unpack_from(">H", data, off + 6)[0]
        seg = segx2 // 2
        length = struct.unpack_from(">H", data, off + 2)[0]
        tab = array("H", data[off + 14: off + 14 + 4 * segx2 + 2])
        if sys.byteorder == "little":
            tab.byteswap()
        ends, starts = tab[:seg], tab[seg + 1: 2 * seg + 1]
        deltas, ranges = tab[2 * seg + 1: 3 * seg + 1], tab[3 * seg + 1: 4 * seg + 1]
        glyph_ids = array("H", data[off + 16 + 4 * segx2: off + length])
        if sys.byteorder == "little":
            glyph_ids.byteswap()
        for i in range(seg):
            s, e, d, r = starts[i], ends[i], deltas[i], ranges[i]
            for cp in range(s, min(e, 0xFFFE) + 1 if e == 0xFFFF else e + 1):
                if r == 0:
                    g = (cp + d) & 0xFFFF
                else:
                    k = r // 2 + (cp - s) - (seg - i)
                    if not 0 <= k < len(glyph_ids):
                        continue
                    g = glyph_ids[k]
                    if g:
                        g = (g + d) & 0xFFFF
                if g:
                    out[cp] = g
        return out
    return None


def raw_advances(font: TTFont, head: str, table: str, num_glyphs: int) -> list[int] | None:
    """Advances of every gid from hmtx (``head`` hhea) or vmtx (vhea), read directly."""
    h, t = _table(font, head), _table(font, table)
    if h is None or t is None:
        return None
    n_long = struct.unpack_from(">H", h, 34)[0]
    n_long = min(n_long, num_glyphs, len(t) // 4)
    if n_long == 0:
        return None
    longs = array("H", t[: 4 * n_long])
    if sys.byteorder == "little":
        longs.byteswap()
    adv = [min(65535, a) for a in longs[0::2]]
    return adv + [adv[-1]] * (num_glyphs - n_long)


def build_metrics_fast(font: TTFont, info: FontInfo) -> Metrics | None:
    """``build_metrics`` from the raw cmap/hmtx/vmtx tables; None where it cannot (then use it)."""
    try:
        cmap_data, maxp = _table(font, "cmap"), _table(font, "maxp")
        if cmap_data is None or maxp is None:
            return None
        num = struct.unpack_from(">H", maxp, 4)[0]
        cmap = raw_cmap(cmap_data)
        adv = raw_advances(font, "hhea", "hmtx", num)
        if cmap is None or adv is None:
            return None
        cmap = {cp: (g if g < num else 0) for cp, g in cmap.items()}
        vadv = raw_advances(font, "vhea", "vmtx", num) if _table(font, "vmtx") is not None else None
        if _table(font, "vmtx") is not None and vadv is None:
            return None
        return Metrics.from_tables(info.key, num, cmap, adv, vadv, vertical_map(font),
                                   info.units_per_em, source_id(info))
    except (struct.error, IndexError, ValueError):
        return None
