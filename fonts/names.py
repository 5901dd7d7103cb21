"""Match a font name like "Noto Serif CJK SC Bold" or "霞鹜文楷" to discovered faces."""
from __future__ import annotations

import functools
import re

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
    return _SQUASHED.sub("", s.casefold())


_SQUASHED = re.compile(r"[\s_-]+")     # (\s: what str.isspace calls white space)


def _regularity(info: FontInfo) -> tuple:
    """Sort key: upright weight-400 "Regular" faces first."""
    return (info.italic, abs(info.weight - 400), norm(info.style) not in REGULAR_STYLES)


def _place(info: FontInfo) -> tuple:
    """Sort key among duplicates: user-supplied folders before system before bundled."""
    return (ORIGIN_RANK.get(info.origin, 9), info.path, info.index)


class NameIndex:
    """Squashed names -> faces, built once per discovery so every look-up is a dict hit."""

    def __init__(self, infos: list[FontInfo]):
        self.infos = infos
        self.exact: dict[str, list[FontInfo]] = {}
        self.family: dict[str, list[FontInfo]] = {}
        for info in infos:
            keys = {squash(info.full_name), squash(info.ps_name)}
            fams = set()
            for fam, sty in info.pairs:
                keys.add(squash(fam + sty))
                fams.add(squash(fam))
            for k in keys - {""}:
                self.exact.setdefault(k, []).append(info)
            for k in fams - {""}:
                self.family.setdefault(k, []).append(info)

    def match(self, query: str) -> FontInfo | None:
        """The best face for a name: family plus optional style, case-insensitive, any language."""
        qs = squash(query)
        if not qs:
            return None
        exact = self.exact.get(qs)
        if exact:
            return min(exact, key=lambda i: (i.italic, _place(i)))
        family = self.family.get(qs)
        if family:
            return min(family, key=lambda i: (_regularity(i), _place(i)))
        return _match_weight_word(norm(query), self)


def match(query: str, infos: list[FontInfo]) -> FontInfo | None:
    """The best face for a name among infos (builds a one-off NameIndex)."""
    return NameIndex(infos).match(query)


def _match_weight_word(q: str, index: NameIndex) -> FontInfo | None:
    """"Family Heavy" when the face calls itself "Black": strip a trailing weight word, pick the nearest weight."""
    words = q.split()
    for cut in (2, 1):
        if len(words) <= cut:
            continue
        word = "".join(words[-cut:])
        if word not in STYLE_WEIGHTS:
            continue
        found = index.family.get(squash(" ".join(words[:-cut])))
        if found:
            want = STYLE_WEIGHTS[word]
            return min(found, key=lambda i: (abs(i.weight - want), i.italic, _place(i)))
    return None


def style_class(info: FontInfo) -> str:
    """Rough design class from the family name: serif, sans, kai, fangsong, mono or other."""
    return _style_class(tuple(info.families))


@functools.lru_cache(maxsize=4096)
def _style_class(families: tuple[str, ...]) -> str:
    n = " ".join(families).casefold()
    for cls, words in (("mono", ("mono",)), ("kai", ("kai", "楷")), ("fangsong", ("fangsong", "仿宋")),
                       ("sans", ("sans", "hei", "黑", "gothic")), ("serif", ("serif", "song", "ming", "宋", "明"))):
        if any(w in n for w in words):
            return cls
    return "other"
