"""The font roles documents use by default, names best first."""
from __future__ import annotations

# The document model owns the defaults (Debian's Noto CJK first; the PyPI package
# pylopdf-fonts-zh-cn carries everything on machines without them): one list, not two.
from layout.model import default_fonts  # noqa: E402

DEFAULT_ROLES: dict[str, list[str]] = default_fonts()


def default_roles() -> dict[str, list[str]]:
    """A fresh copy of DEFAULT_ROLES."""
    return {role: list(names) for role, names in DEFAULT_ROLES.items()}
