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
