"""Fonts for Banmian: discovery, cached metrics, role-based font sets.

Typical use::

    lib = FontLibrary()                      # or default_library(); pass it around, no globals
    fs = FontSet(DEFAULT_ROLES, lib)
    face = fs.primary("body")
    face.gid("中"), face.advance(face.gid("中"))
    face.path, face.index                    # the font file as installed (.ttf, .otf, .ttc face)

Fonts are used as they are: the PDF writer embeds TrueType faces as TrueType and
CFF faces as CFF subsets (output/fontembed.py), and Qt draws the same files.
CFF2 (variable PostScript) fonts are not supported.

Cache: $BANMIAN_CACHE_DIR/fonts (default ~/.cache/banmian/fonts): scan3.marshal (discovery), and per face
KEY.metrics (cmap, advances, vertical data; ~0.1-0.4 s to build from a CJK face) and, for TrueType
faces, KEY.ink (glyph boxes). Files are written atomically; a changed source file gets a new key.
Extra font folders: FontLibrary(extra_dirs=...) and $BANMIAN_FONT_DIRS (os.pathsep-separated).
"""
from .errors import FontError
from .face import FontFace
from .fontset import FontSet
from .info import CACHE_VERSION, FontInfo
from .library import FontLibrary, default_library
from .report import fonts_report
from common.fontroles import DEFAULT_ROLES, default_roles

__all__ = [
    "CACHE_VERSION", "DEFAULT_ROLES", "FontError", "FontFace", "FontInfo", "FontLibrary",
    "FontSet", "default_library", "default_roles", "fonts_report",
]
