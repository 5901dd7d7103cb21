"""Find font files in the usual places and scan them, with a scan cache keyed by file size and mtime."""
from __future__ import annotations

import importlib.util
import marshal
import os
from pathlib import Path

from .cachefile import atomic_write
from .errors import FontError
from .info import FontInfo

FONT_EXTENSIONS = (".ttf", ".otf", ".ttc", ".otc")
SYSTEM_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")
SCAN_CACHE_VERSION = 3           # in the file name too: versions sharing a cache keep their own
BUNDLED_PACKAGES = ("pylopdf_fonts_zh_cn",)


def bundled_dirs() -> list[str]:
    """Folders of the font packages installed from PyPI (found without importing them)."""
    out = []
    for name in BUNDLED_PACKAGES:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        if spec is not None and spec.submodule_search_locations:
            out.extend(spec.submodule_search_locations)
    return out


def user_dirs() -> list[str]:
    """Per-user font folders: ~/.fonts and $XDG_DATA_HOME/fonts (~/.local/share/fonts)."""
    data_home = os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share")
    return [os.path.expanduser("~/.fonts"), os.path.join(data_home, "fonts")]


def env_dirs() -> list[str]:
    """Folders listed in $BANMIAN_FONT_DIRS (separated by os.pathsep)."""
    return [d for d in os.environ.get("BANMIAN_FONT_DIRS", "").split(os.pathsep) if d]


def search_roots(extra_dirs=(), system=True, user=True, bundled=True) -> list[tuple[str, str]]:
    """(folder or file, origin) pairs in priority order: extra, env, user, system, bundled."""
    roots = [(str(d), "extra") for d in extra_dirs]
    roots += [(d, "env") for d in env_dirs()]
    if user:
        roots += [(d, "user") for d in user_dirs()]
    if system:
        roots += [(d, "system") for d in SYSTEM_DIRS]
    if bundled:
        roots += [(d, "bundled") for d in bundled_dirs()]
    return roots


def list_font_files(roots, folders: list | None = None) -> list[tuple[str, str, os.stat_result]]:
    """(path, origin, stat) for every font file under the roots, each real file once, sorted per root.

    ``folders``: a list given gets each root and folder looked at with its stamp
    (``folder_stamp``): while they are all as they were, the same files are found."""
    seen_files: set[tuple[int, int]] = set()
    seen_dirs: set[str] = set()
    out = []

    def add(path, origin):
        try:
            st = os.stat(path)
        except OSError:
            return
        ident = (st.st_dev, st.st_ino)
        if ident not in seen_files:
            seen_files.add(ident)
            out.append((path, origin, st))

    def walk(folder, origin):
        if folders is not None:
            folders.append((folder, folder_stamp(folder)))
        real = os.path.realpath(folder)
        if real in seen_dirs:
            return
        seen_dirs.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            return
        for e in entries:
            try:
                if e.is_dir():
                    walk(e.path, origin)
                elif e.name.lower().endswith(FONT_EXTENSIONS):
                    add(e.path, origin)
            except OSError:
                continue

    for root, origin in roots:
        if os.path.isdir(root):
            walk(root, origin)
        else:
            if folders is not None:
                folders.append((root, folder_stamp(root)))
            if os.path.isfile(root):
                add(root, origin)
    return out


def folder_stamp(path: str):
    """What changes when a folder's entries change (a file or folder added, removed,
    renamed or replaced, a link pointed elsewhere): its device, inode and time; None when
    it is not there."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_mode >> 12)


class ScanCache:
    """The scan results of font files, stored in one marshal file and reused while size and mtime match."""

    LISTINGS = 16                               # sets of roots whose files are kept

    def __init__(self, path: Path | None):
        self.path = path
        self.files: dict[str, tuple] = {}
        self.listings: dict[str, tuple] = {}    # roots → (folders' stamps, files found)
        self.dirty = False
        if path is not None:
            try:
                data = marshal.loads(path.read_bytes())
                if data.get("version") == SCAN_CACHE_VERSION:
                    self.files = data["files"]
                    listings = data.get("listings", {})
                    self.listings = listings if type(listings) is dict else {}
            except (OSError, ValueError, EOFError, TypeError, KeyError, AttributeError):
                self.files = {}

    def listed(self, roots):
        """``list_font_files(roots)`` as found before, while every folder it looked at is
        as it was then (``folder_stamp``) and every file it found is still there; else None."""
        got = self.listings.get(repr(roots))
        try:
            folders, files = got
            for folder, stamp in folders:
                if folder_stamp(folder) != stamp:
                    return None
            out = []
            seen = set()
            for path, origin in files:
                st = os.stat(path)
                ident = (st.st_dev, st.st_ino)
                if ident in seen:
                    return None
                seen.add(ident)
                out.append((path, origin, st))
            return out
        except (OSError, TypeError, ValueError):
            return None

    def keep_listing(self, roots, folders: list, found: list) -> None:
        """Remember what ``list_font_files(roots, folders)`` found (``listed``)."""
        entry = ([(f, s) for f, s in folders], [(p, o) for p, o, _st in found])
        key = repr(roots)
        if self.listings.get(key) != entry:
            self.listings.pop(key, None)
            while len(self.listings) >= self.LISTINGS:      # the oldest go
                del self.listings[next(iter(self.listings))]
            self.listings[key] = entry
            self.dirty = True

    def lookup(self, path: str, st: os.stat_result):
        """(infos as dicts, error) cached for this exact file version, else None."""
        rec = self.files.get(path)
        if rec and rec[0] == st.st_size and rec[1] == st.st_mtime_ns:
            return rec[2], rec[3]
        return None

    def store(self, path: str, st: os.stat_result, infos: list[dict], error: str | None) -> None:
        """Remember the scan of one file version."""
        self.files[path] = (st.st_size, st.st_mtime_ns, infos, error)
        self.dirty = True

    def save(self, seen: set[str]) -> None:
        """Write the cache if anything changed, dropping files that no longer exist.

        Files outside this scan's folders stay: libraries with other folders share the cache.
        """
        stale = [p for p in set(self.files) - seen if not os.path.exists(p)]
        for p in stale:
            del self.files[p]
        if self.path is not None and (self.dirty or stale):
            try:
                atomic_write(self.path, marshal.dumps({"version": SCAN_CACHE_VERSION, "files": self.files,
                                                       "listings": self.listings}))
            except OSError:
                pass                     # a read-only cache only costs a rescan next time
            self.dirty = False


def discover_faces(roots, cache: ScanCache) -> tuple[list[FontInfo], list[tuple[str, str]]]:
    """Every face under the roots, plus (path, problem) for files that could not be read."""
    infos: list[FontInfo] = []
    errors: list[tuple[str, str]] = []
    present = set()
    listed = cache.listed(roots)
    if listed is None:                          # a folder changed: looked through again
        folders: list = []
        listed = list_font_files(roots, folders)
        cache.keep_listing(roots, folders, listed)
    for path, origin, st in listed:
        present.add(path)
        hit = cache.lookup(path, st)
        if hit is None:
            from .scan import scan_file          # fontTools only for new or changed files
            try:
                found = [i.to_dict() for i in scan_file(path, origin)]
                hit = (found, None)
            except FontError as e:
                hit = ([], e.problem)
            cache.store(path, st, *hit)
        dicts, error = hit
        if error:
            errors.append((path, error))
        for d in dicts:
            if d.get("origin") != origin:
                d = {**d, "origin": origin}
            infos.append(FontInfo.from_dict(d))
    cache.save(present)
    return infos, errors
