"""FontLibrary: discovery, name resolution and the on-disk metrics cache, with no global state."""
from __future__ import annotations

import os
import re
from pathlib import Path

from .cachefile import atomic_write, default_cache_dir
from .discover import SCAN_CACHE_VERSION, ScanCache, discover_faces, search_roots
from .errors import FontError
from .face import FontFace
from .info import ORIGIN_RANK, FontInfo
from .names import NameIndex, style_class

CACHE_EXTENSIONS = (".metrics", ".ink")
MIN_CJK_GLYPHS = 3000          # a "CJK" face with fewer glyphs is a stray OS/2 bit, not a fallback


class FontLibrary:
    """The fonts this machine has and a cache of their metrics."""

    def __init__(self, extra_dirs=(), cache_dir=None, *, system: bool = True,
                 user: bool = True, bundled: bool = True):
        self.extra_dirs = tuple(str(d) for d in extra_dirs)
        self.cache_dir = Path(cache_dir).expanduser() if cache_dir else default_cache_dir()
        self.font_dir = self.cache_dir / "fonts"
        self._roots = dict(system=system, user=user, bundled=bundled)
        self._infos: list[FontInfo] | None = None
        self._index: NameIndex | None = None
        self.errors: list[tuple[str, str]] = []     # (path, problem) of unreadable files seen by discover()
        self._faces: dict[str, FontFace] = {}
        self._resolved: dict[str, FontFace | None] = {}
        self._fallbacks: list[FontFace] | None = None
        # names resolved before with the same faces found (``_names``): name → face key
        self._names: tuple | None = None

    def __repr__(self) -> str:
        return f"<FontLibrary cache={self.font_dir}>"

    # ------------------------------------------------------------ discovery
    def discover(self, refresh: bool = False) -> list[FontInfo]:
        """Every face in the bundled, system, user, $BANMIAN_FONT_DIRS and extra folders (scan cached)."""
        if self._infos is None or refresh:
            roots = search_roots(self.extra_dirs, **self._roots)
            self._infos, self.errors = discover_faces(roots, ScanCache(self.font_dir / f"scan{SCAN_CACHE_VERSION}.marshal"))
            self._index = None
            self._fallbacks = None
            self._names = None
            self._resolved.clear()
        return self._infos

    def refresh(self) -> list[FontInfo]:
        """Scan again (files changed on disk); faces already handed out keep working with their old key."""
        return self.discover(refresh=True)

    def resolve(self, name: str) -> FontFace | None:
        """The face a name means ("Noto Serif CJK SC Bold", "霞鹜文楷", ...), or None if no face matches."""
        if name in self._resolved:
            return self._resolved[name]
        infos = self.discover()
        ident, names, by_place = self._names_known(infos)
        if name in names:                   # resolved before, among the same faces
            got = names[name]
            info = by_place.get(got) if got is not None else None
            if got is None or info is not None:
                face = self.face_for(info) if info is not None else None
                self._resolved[name] = face
                return face
        if self._index is None:
            self._index = NameIndex(infos)
        info = self._index.match(name)
        face = self.face_for(info) if info is not None else None
        self._resolved[name] = face
        names[name] = (info.path, info.index) if info is not None else None
        self._keep_names(ident, names)
        return face

    _NAMES_FORMAT = 1
    _NAMES_LIMIT = 2000

    def _names_file(self) -> Path:
        return self.font_dir / f"names{SCAN_CACHE_VERSION}.marshal"

    def _names_known(self, infos) -> tuple:
        """(the identity of the faces found, the names resolved among faces of that identity
        before (name → (path, index) of the face, or None), the faces by (path, index)).
        The identity: each face's file, place, origin, stamp and names, and the name
        matcher's source file's stamp; kept in the cache folder, read once a scan."""
        if self._names is None:
            import hashlib
            import marshal

            from . import names as names_module
            try:
                st = os.stat(names_module.__file__)
                code = (st.st_size, st.st_mtime_ns)
            except (OSError, TypeError):
                code = None
            ident = hashlib.sha1(repr((self._NAMES_FORMAT, code, [
                (i.path, i.index, i.origin, i.size, i.mtime_ns, i.ps_name, i.family, i.style,
                 tuple(i.families)) for i in infos])).encode("utf-8", "surrogatepass")).hexdigest()
            known: dict = {}
            try:
                with open(self._names_file(), "rb") as fh:
                    got = marshal.loads(fh.read())
                if type(got) is tuple and len(got) == 2 and got[0] == ident and \
                        type(got[1]) is dict:
                    known = {k: v for k, v in got[1].items() if type(k) is str and (
                        v is None or (type(v) is tuple and len(v) == 2))}
            except (OSError, EOFError, ValueError, TypeError):
                pass
            self._names = (ident, known, {(i.path, i.index): i for i in infos})
        return self._names

    def _keep_names(self, ident: str, names: dict) -> None:
        """Keep the names resolved among the faces of identity ``ident`` (a failed write
        is skipped)."""
        import marshal

        from common.fs import cache_write         # (made again if lost: no sync)
        if len(names) > self._NAMES_LIMIT:
            return
        try:
            cache_write(self._names_file(), marshal.dumps((ident, names)))
        except (OSError, ValueError):
            pass

    def face_for(self, info: FontInfo) -> FontFace:
        """The one FontFace object of this library for a discovered face."""
        face = self._faces.get(info.key)
        if face is None:
            face = self._faces[info.key] = FontFace(info, self)
        return face

    def open(self, path: str | os.PathLike, index: int = 0) -> FontFace:
        """A face straight from a font file (not necessarily in a searched folder); FontError if unusable."""
        from .scan import scan_file
        path = str(path)
        infos = [i for i in scan_file(path, "extra") if i.index == index]
        if not infos:
            raise FontError(path, f"has no face {index}")
        return self.face_for(infos[0]).load()

    def face(self, key: str) -> FontFace:
        """A face by its key (KeyError if this library never saw it)."""
        face = self._faces.get(key)
        if face is None:
            for info in self.discover():
                if info.key == key:
                    return self.face_for(info)
            raise KeyError(key)
        return face

    def fallback_faces(self) -> list[FontFace]:
        """Generic CJK fallbacks, best first: one upright, regular face per family, Simplified Chinese first."""
        infos = self.discover()
        if self._fallbacks is None:         # (every role's chain asks: worked out once a scan)
            self._fallbacks = self._fallback_faces(infos)
        return list(self._fallbacks)

    def _fallback_faces(self, infos) -> list[FontFace]:
        best: dict[str, FontInfo] = {}
        for info in infos:
            if not info.cjk or info.num_glyphs < MIN_CJK_GLYPHS:
                continue
            fam = info.family.casefold()
            cur = best.get(fam)
            if cur is None or _fallback_rank(info) < _fallback_rank(cur):
                best[fam] = info
        per_file: dict[str, FontInfo] = {}            # one face per collection: its SC face if any
        for info in best.values():
            cur = per_file.get(info.path)
            if cur is None or _fallback_rank(info) < _fallback_rank(cur):
                per_file[info.path] = info
        chosen = sorted(per_file.values(), key=lambda i: (not i.sc, style_class(i) == "mono", _fallback_rank(i), i.family))
        return [self.face_for(i) for i in chosen]

    # ---------------------------------------------------------------- cache
    def cache_file(self, key: str, ext: str) -> Path:
        """Path of a cache file for a face key (".metrics", ".ink")."""
        return self.font_dir / f"{key}{ext}"

    def write_cache(self, key: str, ext: str, data: bytes) -> None:
        """Write a cache file atomically (silently skipped if the cache is read-only)."""
        try:
            atomic_write(self.cache_file(key, ext), data)
        except OSError:
            pass

    def prune_cache(self, infos) -> list[Path]:
        """Delete cached files left by older versions of these faces' source files."""
        from .build import source_id
        from .metrics import metrics_source
        removed = []
        known = {f.key for f in self._faces.values()} | {i.key for i in (self._infos or ())}
        for info in infos:
            prefix = info.key[:-7]
            pattern = re.compile(rf"^{re.escape(prefix)}-[0-9a-f]{{6}}$")
            mine = source_id(info)
            for m in self.font_dir.glob(f"{prefix}-*.metrics"):
                stem = m.name[:-len(".metrics")]
                if stem in known or not pattern.match(stem) or metrics_source(m) != mine:
                    continue
                for ext in CACHE_EXTENSIONS:
                    p = self.cache_file(stem, ext)
                    try:
                        p.unlink()
                        removed.append(p)
                    except OSError:
                        pass
        return removed

def _fallback_rank(info: FontInfo) -> tuple:
    """Prefer Simplified Chinese, upright, weight 400, user folders over system over bundled."""
    return (not info.sc, info.italic, abs(info.weight - 400), ORIGIN_RANK.get(info.origin, 9), info.path, info.index)


def default_library() -> FontLibrary:
    """A new FontLibrary on the default cache dir ($BANMIAN_CACHE_DIR or ~/.cache/banmian); keep and pass it."""
    return FontLibrary()
