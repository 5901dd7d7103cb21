"""Decoding text files: UTF-8 (with or without BOM), UTF-16 (BOM or NUL pattern), GB18030,
Big5 and Big5-HKSCS (Traditional Chinese from Taiwan and Hong Kong).

GB18030 and Big5 share their byte ranges, so a file may decode both ways; the one
whose Han characters are the common ones of its own standard wins: GB 2312's
6,763 characters for GB18030, Big5's 5,401 frequently used ones (lead bytes
A4–C6) for Big5.  Text read the wrong way lands mostly outside those sets."""
from __future__ import annotations

import codecs
import unicodedata

from .errors import ImportFailure

#: Control characters a text file may hold (tab, newlines, form feed, vertical tab).
_ALLOWED_CONTROLS = set("\t\n\r\f\v\x1c\x1d\x1e\x85")


def _bad_char(text: str) -> int:
    """The index of the first character no text file holds (controls, unpaired surrogates)."""
    for i, ch in enumerate(text):
        cat = unicodedata.category(ch)
        if (cat == "Cc" and ch not in _ALLOWED_CONTROLS) or cat == "Cs" or ch == "\ufffe":
            return i
    return -1


#: The least share of ordinary characters a decoding must give to be believed: GB18030
#: and BOM-less UTF-16 decode much binary data without an error.
_MIN_SHARE = {"gb18030": 0.97, "utf-16-le": 0.9, "utf-16-be": 0.9}


def _text_share(text: str) -> float:
    """The share of characters found in ordinary Chinese or Western text (1.0 for "")."""
    if not text:
        return 1.0
    common = 0
    for ch in text:
        o = ord(ch)
        if (o < 0x80 or 0x4E00 <= o <= 0x9FFF or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF
                or 0x2000 <= o <= 0x206F or 0x2100 <= o <= 0x26FF or 0xA0 <= o <= 0x17F
                or 0x370 <= o <= 0x45F or 0xFE30 <= o <= 0xFE4F or 0x3400 <= o <= 0x4DBF):
            common += 1
    return common / len(text)


def _utf16_orders(data: bytes) -> list[str]:
    """UTF-16 byte orders to try, likeliest first, from where the NUL bytes sit.

    ASCII characters put their NUL in the high byte; a few Han characters (一
    U+4E00) put one in the low byte, so the majority decides."""
    if len(data) % 2:
        return []
    even, odd = data[0::2].count(0), data[1::2].count(0)
    return ["utf-16-le", "utf-16-be"] if odd >= even else ["utf-16-be", "utf-16-le"]


def _strict(data: bytes, encoding: str) -> str | None:
    """The data decoded strictly, or None when it does not decode."""
    try:
        return codecs.decode(data, encoding, "strict")
    except (UnicodeDecodeError, UnicodeError, ValueError):
        return None


def decode(data: bytes, source: str) -> tuple[str, str]:
    """(text, encoding name) of a text file's bytes; ImportFailure when it is not text."""
    candidates: list[str]
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        candidates = ["utf-16"]
    elif b"\x00" in data:
        candidates = _utf16_orders(data)
        if not candidates:
            raise ImportFailure(source, "not a text file (NUL bytes, and an odd length for "
                                        "UTF-16)")
    else:
        candidates = ["utf-8"] + _double_byte_order(data)
    problem = ""
    for enc in candidates:
        text = _strict(data, enc)
        if text is None or _text_share(text) < _MIN_SHARE.get(enc, 0.0):
            continue
        if enc.startswith("big5") and not _reads_as_chinese(text):
            continue
        bad = _bad_char(text)
        if bad >= 0:
            line = text.count("\n", 0, bad) + 1
            problem = problem or (f"not a text file: control character U+{ord(text[bad]):04X} "
                                  f"on line {line} (read as {enc})")
            continue
        return text, {"utf-8-sig": "utf-8 (BOM)", "utf-16": "utf-16 (BOM)",
                      "big5hkscs": "big5-hkscs"}.get(enc, enc)
    if problem:
        raise ImportFailure(source, problem)
    names = ["UTF-16" if c.startswith("utf-16") else _SHOWN.get(c, c.upper())
             for c in candidates]
    tried = " / ".join(dict.fromkeys(names))
    raise ImportFailure(source, f"cannot be decoded as text (tried {tried}); "
                                "save it as UTF-8, GB18030 or Big5 text, or as .docx")


_SHOWN = {"big5hkscs": "Big5-HKSCS", "big5": "Big5"}


def _han(text: str) -> list[str]:
    return [ch for ch in text if 0x4E00 <= ord(ch) <= 0x9FFF]


def _share(text: str, counts) -> float:
    """The share of the Han characters for which ``counts(ch)`` holds (encoding errors: no)."""
    han = _han(text)
    if not han:
        return 0.0
    n = 0
    for ch in han:
        try:
            n += bool(counts(ch))
        except UnicodeEncodeError:
            pass
    return n / len(han)


def gb_share(text: str) -> float:
    """The share of the Han characters that are in GB 2312 (common Simplified ones)."""
    return _share(text, lambda ch: ch.encode("gb2312"))


def big5_share(text: str) -> float:
    """The share of the Han characters among Big5's frequently used ones (A440–C67E)."""
    return _share(text, lambda ch: 0xA4 <= ch.encode("big5")[0] <= 0xC6)


#: characters that some sentence of any Chinese text holds (Simplified and Traditional)
_EVERYDAY = frozenset("的一是不了在人有和中大上年这這为為个個们們到以说說地出会會也对對")


def _reads_as_chinese(text: str) -> bool:
    """Whether text of 30 or more Han characters holds any everyday character: bytes
    that merely decode as Big5 (a repeated byte, binary data) do not."""
    han = _han(text)
    return len(han) < 30 or any(ch in _EVERYDAY for ch in han)


def _double_byte_order(data: bytes) -> list[str]:
    """GB18030, Big5 and Big5-HKSCS, likeliest first, for bytes that are not UTF-8.

    Plain Big5 goes before Big5-HKSCS (its superset) so that a file using no Hong
    Kong character is reported as Big5."""
    gb = _strict(data, "gb18030")
    b5 = _strict(data, "big5") or _strict(data, "cp950")
    hk = None if b5 is not None else _strict(data, "big5hkscs")
    big5 = b5 if b5 is not None else hk
    big5_enc = "big5" if b5 is not None else "big5hkscs"
    if big5 is not None and (gb is None or big5_share(big5) > gb_share(gb)):
        return [big5_enc, "gb18030"]
    return ["gb18030", "big5", "big5hkscs"]
