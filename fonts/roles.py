"""The font roles documents use by default, names best first.

The document model (layout.model.default_fonts) has the same table; the fonts
package keeps its own copy so that it imports nothing from layout, and a test
keeps the two equal.  Debian's Noto CJK first; the PyPI package
pylopdf-fonts-zh-cn carries everything on machines without them.
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


def default_roles() -> dict[str, list[str]]:
    """A fresh copy of DEFAULT_ROLES."""
    return {role: list(names) for role, names in DEFAULT_ROLES.items()}
