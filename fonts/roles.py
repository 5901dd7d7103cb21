"""The font roles documents use by default, names best first."""
from __future__ import annotations

# The document model owns the defaults (Debian's Noto CJK first; the PyPI package
# pylopdf-fonts-zh-cn carries everything on machines without them): one list, not two.
from layout.model import default_fonts  # noqa: E402

DEFAULT_ROLES: dict[str, list[str]] = default_fonts()


def default_roles(language: str = "zh") -> dict[str, list[str]]:
    """A fresh copy of the default roles for a text language: DEFAULT_ROLES for zh / zh-Hans,
    Noto CJK TC for zh-Hant-TW and Noto CJK HK for zh-Hant-HK (SC behind them)."""
    return {role: list(names) for role, names in default_fonts(language).items()}
