"""Language-specific glyph forms: GSUB 'locl' single substitutions of one face, cached.

Noto CJK SC answers the language system ZHT (Taiwan) or ZHH (Hong Kong) with the
Traditional glyph forms — among them the centred ，。、：；！？ — so a Simplified
face can set a Traditional story, or centred marks, without another font.
"""
from __future__ import annotations

import marshal

#: scripts whose language systems are asked, in order (the Han one first)
_SCRIPTS = ("hani", "kana", "latn", "DFLT")


def locl_map(font, language: str) -> dict[int, int]:
    """gid -> gid of the 'locl' feature under an OpenType language ("ZHT", "ZHH", "ZHS")."""
    from .gsub import _langsys, gid_substitutions
    if "GSUB" not in font:
        return {}
    table = font["GSUB"].table
    if not table.FeatureList or not table.ScriptList:
        return {}
    records = table.FeatureList.FeatureRecord
    tag = f"{language:<4}"[:4]
    for script in _SCRIPTS:
        ls = _langsys(table.ScriptList, script, tag)
        if ls is None:
            continue
        lookups = sorted({li for fi in ls.FeatureIndex if fi < len(records)
                          and records[fi].FeatureTag == "locl"
                          for li in records[fi].Feature.LookupListIndex})
        if not lookups:
            continue
        return gid_substitutions(font, lookups)
    return {}


def face_locl(face, language: str) -> dict[int, int]:
    """The face's 'locl' map for a language, read once from its file and kept in the cache
    (the font files are used as installed, so every glyph the map reaches is there)."""
    lib = face._library
    path = lib.cache_file(face.key, f".locl-{language.strip()}")
    try:
        got = marshal.loads(path.read_bytes())
        if isinstance(got, dict):
            return got
    except (OSError, ValueError, EOFError, TypeError):
        pass
    from .build import open_face
    font = open_face(face.info)
    try:
        out = locl_map(font, language)
    except Exception:                         # a damaged GSUB: no localized forms
        out = {}
    finally:
        font.close()
    lib.write_cache(face.key, f".locl-{language.strip()}", marshal.dumps(out))
    return out
