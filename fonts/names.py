"""Match a font name like "Noto Serif CJK SC Bold" or "霞鹜文楷" to discovered faces."""
from __future__ import annotations

from .info import ORIGIN_RANK, REGULAR_STYLES, FontInfo

STYLE_WEIGHTS = {
    "thin": 100, "hairline": 100, "extralight": 200, "ultralight": 200, "light": 300,
    "semilight": 350, "demilight": 350, "regular": 400, "normal": 400, "book": 400, "medium": 500,
    "semibold": 600, "demibold": 600, "bold": 700, "extrabold": 800, "ultrabold": 800,
    "black": 900, "heavy": 900,
}


def norm(s: str) -> str:
    """Case-folded with single spaces."""
    return " ".join(s.casefold().split())


def squash(s: str) -> str:
    """Case-folded without spaces, hyphens or underscores (so "NotoSerifSC" matches "Noto Serif SC")."""
    return "".join(c for c in s.casefold() if not c.isspace() and c not in "-_")


def _regularity(info: FontInfo) -> tuple:
    """Sort key: upright weight-400 "Regular" faces first."""
    return (info.italic, abs(info.weight - 400), norm(info.style) not in REGULAR_STYLES)


def _place(info: FontInfo) -> tuple:
    """Sort key among duplicates: user-supplied folders before system before bundled."""
    return (ORIGIN_RANK.get(info.origin, 9), info.path, info.index)


def match(query: str, infos: list[FontInfo]) -> FontInfo | None:
    """The best face for a name: family plus optional style, case-insensitive, any language."""
    q, qs = norm(query), squash(query)
    if not q:
        return None
    exact, family = [], []
    for info in infos:
        if qs in (squash(info.full_name), squash(info.ps_name)):
            exact.append(info)
            continue
        for fam, sty in info.pairs:
            if qs == squash(fam + sty):
                exact.append(info)
                break
            if qs == squash(fam):
                family.append(info)
                break
    if exact:
        return min(exact, key=lambda i: (i.italic, _place(i)))
    if family:
        return min(family, key=lambda i: (_regularity(i), _place(i)))
    return _match_weight_word(q, infos)


def _match_weight_word(q: str, infos: list[FontInfo]) -> FontInfo | None:
    """"Family Heavy" when the face calls itself "Black": strip a trailing weight word, pick the nearest weight."""
    words = q.split()
    for cut in (2, 1):
        if len(words) <= cut:
            continue
        word = "".join(words[-cut:])
        if word not in STYLE_WEIGHTS:
            continue
        fam_q = squash(" ".join(words[:-cut]))
        want = STYLE_WEIGHTS[word]
        found = [i for i in infos if any(squash(f) == fam_q for f, _ in i.pairs)]
        if found:
            return min(found, key=lambda i: (abs(i.weight - want), i.italic, _place(i)))
    return None


def style_class(info: FontInfo) -> str:
    """Rough design class from the family name: serif, sans, kai, fangsong, mono or other."""
    n = " ".join(info.families).casefold()
    for cls, words in (("mono", ("mono",)), ("kai", ("kai", "楷")), ("fangsong", ("fangsong", "仿宋")),
                       ("sans", ("sans", "hei", "黑", "gothic")), ("serif", ("serif", "song", "ming", "宋", "明"))):
        if any(w in n for w in words):
            return cls
    return "other"
