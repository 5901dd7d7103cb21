"""Character classes of Chinese newspaper text, and sentence-boundary evidence."""
from __future__ import annotations

import re

from layout import chars as L

#: Sentence-final punctuation: a paragraph ending in one of these is complete.
TERMINAL = set("。！？…；：!?;:")
#: Marks that cannot start a line or a sentence: the layout's 避头 closing
#: brackets and stops (not its dashes, which open a 副题, nor its middle dots).
NO_START = L.CLOSING | L.STOPS | L.HALF_CLOSE
#: Bracket pairs checked for a closer without its opener (or the reverse).
PAIRS = {"《": "》", "（": "）", "“": "”", "「": "」", "『": "』", "【": "】", "〈": "〉"}
#: Marks that end a fragment which cannot end a sentence ("…建设的", "…和《甘肃").
#: Other function characters (在, 和, 与, 对 …) also end words (存在, 参与, 应对) and
#: are no evidence.
OPEN_ENDINGS = set("的，、“《（‘(,")
#: Particles that cannot begin a sentence ("了…", "就行动了起来…").
BAD_STARTS = set("的了着过地得吗呢吧啊么们就")
#: Words that begin with a BAD_STARTS character but may begin a sentence.
START_WORDS = ("就业", "就医", "就诊", "就餐", "就读", "就学", "就职", "就近", "就地",
               "就此", "就像", "就这样", "就是", "地方", "地区", "地处", "地震", "过去", "过程",
               "过年", "得益", "得到", "的确", "着力", "着眼", "着手", "了解", "么")
#: Spaces the importer treats as whitespace inside a line.
SPACES = " \t\u3000\u00a0\u2002\u2003\u2009\u200b"

#: A list number opening a paragraph ("一、", "1）", "（2）"): not a mid-sentence start.
_ENUM_RE = re.compile(r"^[（(]?[0-9０-９一二三四五六七八九十a-zA-Z]{1,3}[、.．)）]")
_NON_WORD_RE = re.compile(r"[\W_]+")
_JUMP_RE = re.compile(r"[ \t\u3000]*[（(][ \t\u3000]*(?:下转|上接|紧转|转|接|续)[ \t\u3000]*第?"
                      r"[ \t\u3000]*[一二三四五六七八九十〇零两0-9０-９]{1,3}[ \t\u3000]*版"
                      r"[^()（）\n]{0,6}[)）]")


def is_han(ch: str) -> bool:
    """A Han character (汉字), basic and extension blocks."""
    if len(ch) != 1:
        return False
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF
            or 0x20000 <= o <= 0x3134F)


def is_cjk(ch: str) -> bool:
    """Han, CJK punctuation, full-width forms, and the quotes and dashes used with them."""
    if len(ch) != 1:
        return False
    o = ord(ch)
    return (is_han(ch) or 0x3000 <= o <= 0x303F or 0xFF01 <= o <= 0xFF60
            or 0xFE10 <= o <= 0xFE1F or 0xFE30 <= o <= 0xFE4F or ch in "“”‘’—…·⋯―")


def is_fullwidth_alnum(ch: str) -> bool:
    """A full-width digit or Latin letter (０-９, Ａ-Ｚ, ａ-ｚ)."""
    if len(ch) != 1:
        return False
    o = ord(ch)
    return 0xFF10 <= o <= 0xFF19 or 0xFF21 <= o <= 0xFF3A or 0xFF41 <= o <= 0xFF5A


def is_enumerated(text: str) -> bool:
    """Whether the text opens with a list number ("一、", "1）", "（2）")."""
    return bool(_ENUM_RE.match(text.lstrip(SPACES)))


def is_latin_or_digit(ch: str) -> bool:
    """An ASCII letter or digit."""
    return ch.isascii() and ch.isalnum()


def skeleton(text: str) -> str:
    """Han characters, letters and digits only: the text as compared for duplicates."""
    return _NON_WORD_RE.sub("", text)


def jump_markers(text: str) -> list[tuple[int, int]]:
    """Spans of jump markers ("（下转二版）", "(上接一版)") with the space before them."""
    return [(m.start(), m.end()) for m in _JUMP_RE.finditer(text)]


def strip_jumps(text: str) -> str:
    """The text without its jump markers."""
    return _JUMP_RE.sub("", text)


def ends_sentence(text: str) -> bool:
    """Whether the text ends with sentence-final punctuation (possibly then closers)."""
    t = text.rstrip(SPACES)
    if not t:
        return True
    last = t[-1]
    if last in TERMINAL or last in "）)】〕》”」』’—\"'":
        return True
    return False


def end_evidence(text: str) -> float:
    """How sure it is that the text stops mid-sentence (0 = no sign, 0.9 = clear)."""
    t = text.rstrip(SPACES)
    if not t or ends_sentence(t):
        return 0.0
    if t[-1] in OPEN_ENDINGS:
        return 0.9
    for opener, closer in PAIRS.items():
        if t.rfind(opener) > t.rfind(closer):
            return 0.9
    return 0.0


def start_evidence(text: str) -> float:
    """How sure it is that the text starts mid-sentence (0 = no sign, 0.9 = clear)."""
    t = text.lstrip(SPACES)
    if not t or _ENUM_RE.match(t):
        return 0.0
    if t[0] in NO_START:
        return 0.9
    if len(t) > 1 and is_han(t[0]) and t[1] in "，、。；":
        return 0.9
    for opener, closer in PAIRS.items():
        c = t.find(closer)
        if c >= 0 and (t.find(opener) < 0 or t.find(opener) > c):
            return 0.9
    if t[0] in BAD_STARTS and not t.startswith(START_WORDS):
        return 0.7
    return 0.0
