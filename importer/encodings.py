"""Decoding text files: UTF-8 (with or without BOM), UTF-16 (BOM or NUL pattern), GB18030."""
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


def _plausible_gb(text: str) -> bool:
    """Whether GB18030-decoded text looks like Chinese text rather than binary noise."""
    if not text:
        return True
    common = 0
    for ch in text:
        o = ord(ch)
        if (o < 0x80 or 0x4E00 <= o <= 0x9FFF or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF
                or 0x2000 <= o <= 0x206F or 0x2100 <= o <= 0x26FF or 0xA0 <= o <= 0x17F
                or 0x370 <= o <= 0x45F or 0xFE30 <= o <= 0xFE4F):
            common += 1
    return common >= 0.97 * len(text)


def _utf16_order(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the NUL bytes sit in one column of byte pairs."""
    if len(data) % 2:
        return None
    even = sum(1 for i in range(0, len(data), 2) if data[i] == 0)
    odd = sum(1 for i in range(1, len(data), 2) if data[i] == 0)
    if odd and not even:
        return "utf-16-le"
    if even and not odd:
        return "utf-16-be"
    if odd > 4 * even:
        return "utf-16-le"
    if even > 4 * odd:
        return "utf-16-be"
    return None


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
        order = _utf16_order(data)
        if order is None:
            raise ImportFailure(source, "not a text file (binary data: NUL bytes outside "
                                        "any UTF-16 pattern)")
        candidates = [order]
    else:
        candidates = ["utf-8", "gb18030"]
    for enc in candidates:
        text = _strict(data, enc)
        if text is None:
            continue
        if enc == "gb18030" and not _plausible_gb(text):
            continue
        bad = _bad_char(text)
        if bad >= 0:
            line = text.count("\n", 0, bad) + 1
            raise ImportFailure(source, f"not a text file: control character "
                                        f"U+{ord(text[bad]):04X} on line {line} "
                                        f"(decoded as {enc})")
        name = {"utf-8-sig": "utf-8 (BOM)", "utf-16": "utf-16 (BOM)"}.get(enc, enc)
        return text, name
    tried = " / ".join("UTF-16" if c.startswith("utf-16") else c.upper() for c in candidates)
    raise ImportFailure(source, f"cannot be decoded as text (tried {tried}); "
                                "save it as UTF-8 or GB18030 text, or as .docx")
