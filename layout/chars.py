"""Character classes for Chinese composition (W3C clreq §3.1–3.2), as data.

The line breaker and the justifier read only these tables, so the rules can be
read and changed in one place (as SILE keeps its CJK rules as data).
"""
from __future__ import annotations

import unicodedata

# classes -------------------------------------------------------------------
HAN = 0          # ideographs, kana, full-width letters: one em, breakable on both sides
OPEN = 1         # opening brackets and quotes: never at a line end
CLOSE = 2        # closing brackets and quotes: never at a line start
STOP = 3         # pause and stop marks （，。、；：？！）: never at a line start
MIDDLE = 4       # middle dot 间隔号: never at a line start or end
DASH = 5         # —— and ……: never split, never at a line start
LATIN = 6        # letters, digits and other half-width characters of a word
SPACE = 7        # a word space
NUMSIGN = 8      # % ‰ ℃ following a number

OPENING = set("（《〈「『【〔〖｛［“‘｟")
CLOSING = set("）》〉」』】〕〗｝］”’｠")
STOPS = set("，。、；：？！")
MIDDLES = set("·・")
DASHES = set("—…⋯―")
NUM_SIGNS = set("%‰℃％°")
HALF_OPEN = set("([{")
HALF_CLOSE = set(")]},.;:?!")

#: full-width punctuation whose glyph fills only half of the em box; these are
#: what punctuation width adjustment (标点挤压) may compress to half an em.
COMPRESSIBLE = OPENING | CLOSING | STOPS


def char_class(ch: str) -> int:
    """The composition class of one character."""
    if ch in STOPS:
        return STOP
    if ch in CLOSING:
        return CLOSE
    if ch in OPENING:
        return OPEN
    if ch in DASHES:
        return DASH
    if ch in MIDDLES:
        return MIDDLE
    if ch in NUM_SIGNS:
        return NUMSIGN
    if ch.isspace():
        return SPACE
    if ord(ch) < 0x2E80:           # Latin, digits, half-width signs
        return LATIN
    return HAN




def no_break_before(ch: str) -> bool:
    """Characters that may not start a line (行首禁则)."""
    return ch in CLOSING or ch in STOPS or ch in MIDDLES or ch in DASHES \
        or ch in NUM_SIGNS or ch in HALF_CLOSE


def no_break_after(ch: str) -> bool:
    """Characters that may not end a line (行尾禁则)."""
    return ch in OPENING or ch in HALF_OPEN or ch in MIDDLES


_WORD: dict[str, bool] = {}


def is_word_char(ch: str) -> bool:
    """Latin letters, digits and the signs that stay inside a Latin word or number."""
    got = _WORD.get(ch)
    if got is None:
        got = _WORD[ch] = _is_word_char(ch)
    return got


def _is_word_char(ch: str) -> bool:
    if ch.isspace():
        return False
    o = ord(ch)
    if o < 0x2E80 and ch not in DASHES and ch not in MIDDLES:
        cat = unicodedata.category(ch)
        return cat[0] in "LNS" or ch in ".,'’-_/:&@#+"
    return False
