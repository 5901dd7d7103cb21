"""Read the FontInfo of every face in one font file (uses fontTools; imported lazily by callers)."""
from __future__ import annotations

import os
import re

from fontTools.ttLib import TTCollection, TTFont, TTLibError

from .errors import FontError
from .info import FontInfo

FAMILY_IDS = (1, 16, 21)
STYLE_FOR = {1: 2, 16: 17, 21: 22}
ENGLISH = (0x409, 0)                           # Windows en-US, Mac English
_SC_TOKENS = re.compile(r"(?:\b(?:SC|CN|GB|Hans|Simplified)\b|简|简体|宋体|黑体|楷体|仿宋)", re.I)
_OTHER_REGION = re.compile(r"\b(?:JP|KR|TC|HK|Hant|Japanese|Korean|Traditional)\b", re.I)


def scan_file(path: str, origin: str = "system") -> list[FontInfo]:
    """Every face in a font file; FontError if unreadable (or CFF2, which the PDF writer cannot embed)."""
    try:
        st = os.stat(path)
    except OSError as e:
        raise FontError(path, f"cannot read font file ({e.strerror or e})") from None
    try:
        with open(path, "rb") as fh:
            head = fh.read(4)
            if head == b"ttcf":
                coll = TTCollection(fh, lazy=True)
                fonts = list(coll.fonts)
                collection = True
            else:
                fonts = [TTFont(fh, lazy=True)]
                collection = False
            out = []
            for index, font in enumerate(fonts):
                out.extend(_face_infos(font, path, index, collection, origin, st))
            return out
    except FontError:
        raise
    except (TTLibError, Exception) as e:   # fontTools raises many kinds on garbage input
        raise FontError(path, f"not a usable font file ({type(e).__name__}: {e})") from None


def _names(font) -> dict[int, list[tuple[tuple[int, int], str]]]:
    """nameID -> [((platform, lang), text)] for the IDs discovery cares about, English first."""
    out: dict[int, list] = {}
    if "name" not in font:
        return out
    for rec in font["name"].names:
        if rec.nameID not in (1, 2, 4, 6, 16, 17, 21, 22):
            continue
        try:
            text = rec.toUnicode().strip()
        except Exception:
            continue
        if text:
            lang = rec.langID if rec.platformID in (1, 3) else 0xFFFF
            out.setdefault(rec.nameID, []).append(((rec.platformID, lang), text))
    for recs in out.values():
        recs.sort(key=lambda r: (r[0][1] not in ENGLISH, r[0][0] != 3))
    return out


def _first(names, nid, default=""):
    """The English (else first) record for a name ID."""
    recs = names.get(nid)
    return recs[0][1] if recs else default


def _pairs(names) -> list[tuple[str, str]]:
    """(family, style) pairs in every language; a language without its own style borrows the English one."""
    pairs = []
    for fid in FAMILY_IDS:
        sid = STYLE_FOR[fid]
        styles = {k: t for k, t in names.get(sid, [])}
        default_style = _first(names, sid, "Regular" if fid == 1 else "")
        if fid != 1 and not default_style:
            default_style = _first(names, 2, "Regular")
        for k, fam in names.get(fid, []):
            pair = (fam, styles.get(k, default_style))
            if pair not in pairs:
                pairs.append(pair)
    return pairs


def _face_infos(font, path, index, collection, origin, st) -> list[FontInfo]:
    """FontInfo(s) for one face of an open font."""
    names = _names(font)
    tags = set(font.keys())
    outline = "glyf" if "glyf" in tags else "CFF2" if "CFF2" in tags else "CFF" if "CFF " in tags else ""
    if not outline:
        raise FontError(path, f"face {index} has no glyf, CFF or CFF2 outlines (bitmap-only fonts are not supported)")
    if outline == "CFF2":
        raise FontError(path, f"face {index} has CFF2 (variable PostScript) outlines, which are not supported; "
                              "use a static .otf or .ttf of the font")
    upm = font["head"].unitsPerEm
    hhea = font["hhea"] if "hhea" in tags else None
    os2 = font["OS/2"] if "OS/2" in tags else None
    line_asc = int(hhea.ascent) if hhea else int(upm * 0.88)
    line_desc = int(hhea.descent) if hhea else -int(upm * 0.12)
    if line_desc > 0:
        line_desc = -line_desc
    if os2 is not None and os2.sTypoAscender - os2.sTypoDescender > 0:
        asc, desc = int(os2.sTypoAscender), int(os2.sTypoDescender)
    else:
        asc, desc = line_asc, line_desc
    weight = int(os2.usWeightClass) if os2 is not None else 400
    italic = bool(os2 is not None and os2.fsSelection & 1) or bool(font["head"].macStyle & 2)
    cp1 = getattr(os2, "ulCodePageRange1", 0) if os2 is not None else 0
    ur2 = os2.ulUnicodeRange2 if os2 is not None else 0
    # CJK code pages (JIS, GB 2312, Wansung, Big5, Johab), or CJK ideographs together with CJK punctuation
    # (some Latin fonts set the ideograph bit alone)
    cjk = bool(cp1 & (0b11111 << 17)) or (bool(ur2 & (1 << 27)) and bool(ur2 & (1 << 16)))
    pairs = _pairs(names)
    family = _english_family(names)
    style = _english_style(names)
    families = tuple(dict.fromkeys(p[0] for p in pairs))
    styles = tuple(dict.fromkeys(p[1] for p in pairs if p[1]))
    all_names = " ".join(families)
    if _SC_TOKENS.search(all_names):
        sc = True
    elif _OTHER_REGION.search(all_names):
        sc = False
    else:
        zh_cn = any(k[1] == 0x804 for recs in names.values() for k, _ in recs)
        sc = cjk and (bool(cp1 & (1 << 18)) or zh_cn)
    base = dict(path=str(path), index=index, collection=collection, family=family, style=style,
                families=families, styles=styles, full_name=_first(names, 4, f"{family} {style}"),
                ps_name=_first(names, 6), outline=outline, num_glyphs=int(font["maxp"].numGlyphs),
                weight=weight, italic=italic, variable="fvar" in tags, origin=origin, cjk=cjk, sc=sc,
                units_per_em=int(upm), ascender=asc, descender=desc, line_ascender=line_asc,
                line_descender=line_desc, size=st.st_size, mtime_ns=st.st_mtime_ns,
                pairs=tuple(pairs))
    return [FontInfo(**base)]


def _english_family(names) -> str:
    """Typographic family when present, else the legacy family (English preferred)."""
    return _first(names, 16) or _first(names, 1) or _first(names, 6) or "Unknown"


def _english_style(names) -> str:
    """Typographic subfamily when present, else the legacy subfamily."""
    return (_first(names, 17) if names.get(16) else "") or _first(names, 2) or "Regular"
