"""Fonts for Banmian: discovery, CFF→TrueType conversion, cached metrics, role-based font sets.

Typical use::

    lib = FontLibrary()                      # or default_library(); pass it around, no globals
    fs = FontSet(DEFAULT_ROLES, lib)
    face = fs.primary("body")
    face.gid("中"), face.advance(face.gid("中")), face.path   # path: TrueType for ReportLab and Qt

Cache: $BANMIAN_CACHE_DIR/fonts (default ~/.cache/banmian/fonts): scan.marshal (discovery), and per face
KEY.metrics (cmap, advances, vertical data), KEY.ink (glyph boxes), KEY.ttf (converted CFF/CFF2 or
extracted collection face). Files are written atomically; a changed source file gets a new key.

Conversion of a CFF face takes ~35-45 s on 2 cores the first time. It happens on first use of
``face.path``, or ahead of time with ``FontSet.prepare(progress)`` (call it off the GUI thread).
Workers are ``python -m fonts.worker`` processes ($BANMIAN_FONT_WORKERS, default min(2, CPUs); 1 = in process).
Extra font folders: FontLibrary(extra_dirs=...) and $BANMIAN_FONT_DIRS (os.pathsep-separated).
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
