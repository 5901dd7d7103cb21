"""Reference character sets for coverage reports: GB 2312 levels 1 and 2, common punctuation."""
from __future__ import annotations

import functools

# Punctuation and symbols a mainland Chinese newspaper page uses routinely.
COMMON_PUNCTUATION = (
    "，。、；：？！“”‘’（）《》〈〉【】「」『』〔〕—…·～－／％"
    "．＋＝＜＞＃＆＊＠①②③④⑤⑥⑦⑧⑨⑩℃№"
)


def _gb2312_rows(first: int, last: int) -> str:
    """The characters of GB 2312 rows first..last (row bytes 0xA1-based), in code order."""
    out = []
    for hi in range(first, last + 1):
        for lo in range(0xA1, 0xFF):
            try:
                out.append(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return "".join(out)


@functools.cache
def gb2312_level1() -> str:
    """The 3,755 level-1 hanzi of GB 2312 (rows 16-55)."""
    return _gb2312_rows(0xB0, 0xD7)


@functools.cache
def gb2312_level2() -> str:
    """The 3,008 level-2 hanzi of GB 2312 (rows 56-87)."""
    return _gb2312_rows(0xD8, 0xF7)


def reference_sets() -> dict[str, str]:
    """Named reference sets used by fonts_report, in report order."""
    return {"GB2312-1": gb2312_level1(), "GB2312-2": gb2312_level2(), "punct": COMMON_PUNCTUATION}
