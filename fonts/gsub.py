"""Single-glyph substitutions from GSUB features ('vert', 'vrt2', ...), read with fontTools."""
from __future__ import annotations

# Language systems tried in order: the Simplified Chinese one first.
LANGSYS_PREFERENCE = (("hani", "ZHS "), ("hani", None), ("DFLT", None), ("DFLT", "ZHS "),
                      ("kana", "ZHS "), ("latn", "ZHS "), ("latn", None))


def _langsys(script_list, script_tag, lang_tag):
    """The LangSys table for a script and language (None: the default one), or None."""
    for sr in script_list.ScriptRecord:
        if sr.ScriptTag != script_tag:
            continue
        if lang_tag is None:
            return sr.Script.DefaultLangSys
        for lr in sr.Script.LangSysRecord:
            if lr.LangSysTag == lang_tag:
                return lr.LangSys
    return None


def feature_lookups(font, tag: str) -> list[int]:
    """Lookup indices of a GSUB feature under the preferred (Simplified Chinese) language system."""
    if "GSUB" not in font:
        return []
    table = font["GSUB"].table
    if not table.FeatureList or not table.ScriptList:
        return []
    records = table.FeatureList.FeatureRecord

    def from_langsys(ls):
        idx = []
        for fi in ls.FeatureIndex:
            if fi < len(records) and records[fi].FeatureTag == tag:
                idx.extend(records[fi].Feature.LookupListIndex)
        return idx

    for script, lang in LANGSYS_PREFERENCE:
        ls = _langsys(table.ScriptList, script, lang)
        if ls is not None:
            found = from_langsys(ls)
            if found:
                return sorted(set(found))
    found = set()
    for fr in records:                      # no preferred language system has it: take every one
        if fr.FeatureTag == tag:
            found.update(fr.Feature.LookupListIndex)
    return sorted(found)


def single_substitutions(font, lookups: list[int]) -> dict[str, str]:
    """glyph name -> glyph name for the single (type 1) and first-alternate (type 3) subtables of the lookups."""
    table = font["GSUB"].table
    out: dict[str, str] = {}
    for li in lookups:
        lookup = table.LookupList.Lookup[li]
        for st in lookup.SubTable:
            kind = lookup.LookupType
            if kind == 7:
                kind, st = st.ExtensionLookupType, st.ExtSubTable
            if kind == 1:
                for a, b in st.mapping.items():
                    out.setdefault(a, b)
            elif kind == 3:
                for a, alts in st.alternates.items():
                    if alts:
                        out.setdefault(a, alts[0])
    return out


def vertical_map(font) -> dict[int, int]:
    """gid -> vertical-alternate gid from 'vert' (or 'vrt2' when the font has no 'vert')."""
    lookups = feature_lookups(font, "vert") or feature_lookups(font, "vrt2")
    return gid_substitutions(font, lookups) if lookups else {}


def gid_substitutions(font, lookups: list[int]) -> dict[int, int]:
    """``single_substitutions`` by glyph id (glyphs mapped to themselves left out)."""
    ids = {name: i for i, name in enumerate(font.getGlyphOrder())}
    out = {}
    for a, b in single_substitutions(font, lookups).items():
        ga, gb = ids.get(a), ids.get(b)
        if ga is not None and gb is not None and ga != gb:
            out[ga] = gb
    return out


def closure(font, gids: set[int], features=("vert", "vrt2", "hwid", "fwid", "pwid")) -> set[int]:
    """The gids plus every glyph the features' single substitutions reach from them."""
    if "GSUB" not in font:
        return set(gids)
    order = font.getGlyphOrder()
    ids = {name: i for i, name in enumerate(order)}
    subs: dict[str, set[str]] = {}
    for tag in features:
        for a, b in single_substitutions(font, feature_lookups(font, tag)).items():
            subs.setdefault(a, set()).add(b)
    out = set(gids)
    todo = [order[g] for g in gids]
    while todo:
        name = todo.pop()
        for b in subs.get(name, ()):
            gb = ids.get(b)
            if gb is not None and gb not in out:
                out.add(gb)
                todo.append(b)
    return out
