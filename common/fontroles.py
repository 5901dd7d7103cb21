"""The font roles documents use by default, names best first.

One table for the document model (``layout.model.default_fonts``) and the font
package (``fonts.DEFAULT_ROLES``), which stand on ``common`` and not on each
other.  Debian's Noto CJK first; the PyPI package pylopdf-fonts-zh-cn carries
everything on machines without them.
"""
from __future__ import annotations

DEFAULT_ROLES: dict[str, list[str]] = {
    "body": ["Noto Serif CJK SC", "Noto Serif SC"],
    "headline": ["Noto Sans CJK SC Bold", "Noto Sans SC"],
    "headline-heavy": ["Noto Serif CJK SC Bold", "Noto Sans CJK SC Bold", "Noto Serif SC"],
    "byline": ["LXGW WenKai", "Noto Serif SC"],
    "caption": ["Noto Sans CJK SC", "Noto Sans SC"],
    "latin": ["Liberation Serif", "DejaVu Serif", "Noto Serif CJK SC", "Noto Serif SC"],
    "latin-headline": ["Liberation Sans Bold", "DejaVu Sans Bold", "Noto Sans CJK SC Bold",
                       "Noto Sans SC"],
}


#: The region suffix of the Noto CJK family for each Traditional language
_NOTO_REGION = {"zh-Hant-TW": "TC", "zh-Hant-HK": "HK"}


def default_roles(language: str = "zh") -> dict[str, list[str]]:
    """A fresh copy of the default roles for a text language: DEFAULT_ROLES for zh / zh-Hans;
    for zh-Hant-TW / zh-Hant-HK each Noto CJK SC name in its TC / HK form, the SC one
    kept behind it, and Serif TC / HK for the byline (LXGW WenKai is Simplified only)."""
    region = _NOTO_REGION.get(language)
    out = {}
    for role, names in DEFAULT_ROLES.items():
        if region is None:
            out[role] = list(names)
            continue
        names = [f"Noto Serif CJK {region}"] + names if role == "byline" else names
        new: list[str] = []
        for n in names:
            if " CJK SC" in n:
                new.append(n.replace(" CJK SC", f" CJK {region}"))
            if role != "byline" or n != "LXGW WenKai":
                new.append(n)
        out[role] = new
    return out
