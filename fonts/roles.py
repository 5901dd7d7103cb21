"""The font roles documents use by default, names best first."""
from __future__ import annotations

# Debian's Noto CJK first; the PyPI package pylopdf-fonts-zh-cn (Noto Serif SC / Noto Sans SC) carries
# everything on machines without them.
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
