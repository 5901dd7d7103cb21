"""Lengths and type sizes as newspaper people write them: pt, mm, 字, 行, 栏 and 号.

Values stay as the user wrote them in the document ("小五", "13字", "3.2mm");
they are resolved to points only when the layout needs a number, against the
paper's 号 table and its body size.
"""
from __future__ import annotations

import re

PT_PER_MM = 72.0 / 25.4

#: The 号 table of newspaper.md; each paper may override it in its settings.
DEFAULT_HAO: dict[str, float] = {
    "初号": 42.0, "小初": 36.0, "一号": 26.0, "小一": 24.0, "二号": 22.0,
    "小二": 18.0, "三号": 16.0, "小三": 15.0, "四号": 14.0, "小四": 12.0,
    "五号": 10.5, "小五": 9.0, "六号": 7.5, "小六": 6.5, "七号": 5.25,
}

_ALIASES = {"1号": "一号", "2号": "二号", "3号": "三号", "4号": "四号", "5号": "五号",
            "6号": "六号", "7号": "七号", "0号": "初号", "小5": "小五", "小4": "小四",
            "小3": "小三", "小2": "小二", "小1": "小一", "小6": "小六"}

_NUM = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)"
_LEN_RE = re.compile(rf"^\s*({_NUM})\s*(pt|mm|cm|in|字|行|栏|em)?\s*$")


class UnitError(ValueError):
    """A length or size the user wrote that cannot be understood."""


def hao_size(spec: str, hao: dict[str, float] | None = None) -> float | None:
    """The point size of a 号 name ("小五", "5号"), or None when spec is not one."""
    table = hao or DEFAULT_HAO
    name = _ALIASES.get(spec.strip(), spec.strip())
    if name in table:
        return float(table[name])
    return None


def font_size(spec: str | float | int, hao: dict[str, float] | None = None) -> float:
    """A type size in points from "小五", "5号", "9pt", "9" or a number."""
    if isinstance(spec, (int, float)) and not isinstance(spec, bool):
        return float(spec)
    if not isinstance(spec, str):
        raise UnitError(f"a type size must be a 号 name or points, not {spec!r}")
    size = hao_size(spec, hao)
    if size is not None:
        return size
    m = _LEN_RE.match(spec)
    if m and (m.group(2) in (None, "pt")):
        return float(m.group(1))
    if m and m.group(2) == "mm":
        return float(m.group(1)) * PT_PER_MM
    raise UnitError(f"unknown type size {spec!r} (use a 号 such as 小五 or points such as 9pt)")


def length(spec: str | float | int, *, char: float = 9.0, line: float = 12.0,
           column: float | None = None) -> float:
    """A length in points; 字 counts body characters, 行 grid lines, 栏 basic columns."""
    if isinstance(spec, (int, float)) and not isinstance(spec, bool):
        return float(spec)
    if not isinstance(spec, str):
        raise UnitError(f"a length must be a number or text such as 3.2mm, not {spec!r}")
    m = _LEN_RE.match(spec)
    if not m:
        raise UnitError(f"unknown length {spec!r} (use pt, mm, cm, in, 字, 行 or 栏)")
    value, unit = float(m.group(1)), m.group(2) or "pt"
    if unit == "pt":
        return value
    if unit == "mm":
        return value * PT_PER_MM
    if unit == "cm":
        return value * 10 * PT_PER_MM
    if unit == "in":
        return value * 72.0
    if unit in ("字", "em"):
        return value * char
    if unit == "行":
        return value * line
    if column is None:
        raise UnitError(f"{spec!r}: 栏 is not defined here")
    return value * column


def mm(pt: float) -> float:
    """Points to millimetres."""
    return pt / PT_PER_MM


CHINESE_DIGITS = "〇一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """Page numbers as Chinese papers print them: 1 → 一, 10 → 十, 12 → 十二, 20 → 二十."""
    if n < 0:
        raise ValueError("negative page number")
    if n < 10:
        return CHINESE_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        head = "" if tens == 1 else CHINESE_DIGITS[tens]
        return head + "十" + (CHINESE_DIGITS[ones] if ones else "")
    return "".join(CHINESE_DIGITS[int(d)] for d in str(n))
