"""Fonts for Banmian: discovery, CFF→TrueType conversion, cached metrics, role-based font sets.

Typical use::

    lib = FontLibrary()                      # or default_library(); pass it around, no globals
    fs = FontSet(DEFAULT_ROLES, lib)
    face = fs.primary("body")
    face.gid("中"), face.advance(face.gid("中")), face.path   # path: TrueType for ReportLab and Qt
"""
from .errors import FontError
from .face import FontFace
from .fontset import FontSet
from .info import CONVERTER_VERSION, FontInfo
from .library import FontLibrary, default_library
from .report import fonts_report
from .roles import DEFAULT_ROLES, default_roles

__all__ = [
    "CONVERTER_VERSION", "DEFAULT_ROLES", "FontError", "FontFace", "FontInfo", "FontLibrary",
    "FontSet", "default_library", "default_roles", "fonts_report",
]
