"""A command's Python modules served from one file of code objects (an import bundle).

A plain import of a module from source goes through the path finders (a stat of each
folder on ``sys.path`` tried, its listing, the candidate names), then stats the source,
opens and reads its ``.pyc``, checks it and unmarshals its code: for the 140-odd modules
of an export about 12 ms besides the unmarshalling.  ``install(command)`` puts a finder
before the path finder that serves the modules a previous run of the same command
imported from one file in the cache directory (``imports/``), read once; ``save()``,
at the end of the command, writes that file again when the run imported a module from
source that the bundle did not serve.

Never stale, never different from a plain import:

* the bundle is keyed by the Python (version, bytecode magic, optimisation level), the
  command and ``sys.path``: another key is another file;
* a module is served only when, since the bundle was written, neither its source file
  (size, mtime_ns, inode) nor any folder the path finder would have looked in before
  finding it (and the package folder itself) has changed: a folder's mtime changes
  whenever a name is added to it, removed or renamed in it, so the path finder would
  find the same file; else, or on any doubt (an unreadable or foreign bundle, a search
  path that is not the one recorded), the module is imported as usual and the bundle
  written again at the end;
* the code kept is the code the plain import gave for that same source state (the
  source loader's own ``get_code``, its stat equal before and after), and the served
  module's spec, loader (a ``SourceFileLoader``), ``__file__`` and package path are
  those of a plain import, so tracebacks, ``inspect`` and ``importlib.resources``
  work as they do;
* like a ``.pyc``, nothing is written where Python is told to write no bytecode
  (``PYTHONDONTWRITEBYTECODE``); ``BANMIAN_IMPORT_BUNDLE=0`` turns the bundle off.

A file beside the bundle keeps the regular expressions the command compiled (``re``'s compiled
form of each pattern and flags): Python compiles a pattern anew in every process (its
parser and code generator, in Python: 31 patterns, 5–6 ms of an export); one the bundle
holds is made from its compiled form at once (``_sre.compile``), the same pattern object
(equal, code and all, to the one ``re`` makes: checked when it is recorded), for the same
Python (its ``_sre`` and the stamps of ``re``'s compiler, parser and constants).

It serves the command's extension modules too (``zlib``, ``_json``, ``_pickle`` …: a
dozen an export): the file the path finder found, under the same conditions, loaded as
the path finder's spec would load it (the search is what is saved, about 40 µs each).

It keeps, too, the names the command tried to import that are nowhere on their search
path (``nt``, ``_winapi``, ``org.python.core``, ReportLab's optional settings modules
…: the path finder looks in every folder for each, 45 µs a try, a dozen tries an
export): asked again with the same search path, the last finder being the path finder
and none of those folders changed since (so none holds the name now), the import is
refused at once with the ModuleNotFoundError the import system would raise.

This module imports only what a start has imported already (and ``marshal``, built in),
so that the modules the command needs come from the bundle.
"""
from __future__ import annotations

import marshal
import os
import sys
from importlib._bootstrap_external import MAGIC_NUMBER, cache_from_source, spec_from_file_location
from importlib.machinery import ExtensionFileLoader, FileFinder, PathFinder, SourceFileLoader

_module_getattr = type(sys).__getattribute__
#: the code of the import system's loading of a module, which asks the finders (a
#: module found nowhere is refused only to it: ``importlib.util.find_spec`` answers None)
_LOADING = getattr(getattr(sys.modules.get("_frozen_importlib"), "_find_and_load_unlocked",
                           None), "__code__", None)

_FORMAT = b"BMIB2\n"
_PFORMAT = b"BMRE1\n"             # the file of regular expressions (``save_patterns``)
_PATTERNS = 512                  # regular expressions kept, at most
_EXTENSION = b"(extension module)"   # what add() is given for one (no code)
_KEEP = 6                        # bundles kept in the folder (the newest written)
_HEAD = 16                       # _FORMAT, then the index's length (10 digits)
#: the finder installed in this process (``install``), or None
_finder = None


def cache_root() -> str:
    """The Banmian cache directory, as ``common.fs.cache_dir()`` names it (without
    importing pathlib, which an export then takes from the bundle)."""
    env = os.environ.get("BANMIAN_CACHE_DIR")
    if env:
        return os.path.expanduser(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(os.path.expanduser(xdg)):
        return os.path.join(os.path.expanduser(xdg), "banmian")
    return os.path.join(os.path.expanduser("~"), ".cache", "banmian")


def _stamp(path: str):
    """What changes when a file is written or replaced, or a name in a folder is added,
    removed or renamed; None where nothing is."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def _key(command: str) -> tuple:
    return (sys.version, MAGIC_NUMBER, sys.implementation.cache_tag, sys.flags.optimize,
            command, tuple(sys.path))


def _file_name(key: tuple) -> str:
    """The bundle's file for ``key`` (a digest of it: one file per tree, venv, command)."""
    h = 0xcbf29ce484222325                  # FNV-1a, 64 bits: no hashlib at a start
    for b in repr(key).encode("utf-8", "surrogatepass"):
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return os.path.join(cache_root(), "imports", f"{key[4]}-{key[2]}-{h:016x}.bundle")


def _code(name: str, origin: str, stamp: tuple):
    """The code of the source file ``origin`` as it is (``stamp``): its ``.pyc``'s when
    that was written after the source's last change (the ``.pyc`` keeps the source's
    mtime in whole seconds only), else compiled from the source."""
    loader = SourceFileLoader(name, origin)
    pyc = _stamp(cache_from_source(origin))
    if pyc is not None and pyc[0] > stamp[0]:
        return loader.get_code(name)
    return loader.source_to_code(loader.get_data(origin), origin)


def _loading() -> bool:
    """Whether the import system's loading of a module asked (``_absent`` ←
    ``find_spec`` ← ``_find_spec`` ← ``_find_and_load_unlocked``)."""
    try:
        return _LOADING is not None and sys._getframe(4).f_code is _LOADING
    except ValueError:
        return False


class _Loader(SourceFileLoader):
    """A plain source loader whose code comes from the bundle (read when the module runs:
    a module held unexecuted costs nothing more; once, then as usual)."""

    def __init__(self, fullname, path, finder, entry):
        super().__init__(fullname, path)
        self._from = (finder, entry)

    def get_code(self, fullname):
        got, self._from = self._from, None
        if got is not None and fullname == self.name:
            blob = got[0].blob(got[1])
            if blob:
                try:
                    return marshal.loads(blob)
                except Exception:       # (a bundle cut or altered: read as usual)
                    pass
        return super().get_code(fullname)


class BundleFinder:
    """The meta-path finder serving a bundle's modules (see the module's docstring)."""

    def __init__(self, command: str):
        self.command = command
        self.key = _key(command)
        self.file = _file_name(self.key)
        self.path = list(sys.path)
        self.before = set(sys.modules)     # imported before: never the bundle's
        self.index: dict = {}
        self.fd, self.base = None, 0     # the bundle, open, and where its code starts
        self.served: dict[str, tuple] = {}  # name → its index entry, served
        self.checked: dict[str, bool] = {}  # path → its stamp is the one recorded
        self.seen: dict[tuple, bool] = {}   # witnesses → all stamped as recorded
        self.stamps: dict = {}
        self.skipped: frozenset = frozenset()   # names a plain import finds elsewhere
        self.missed = False
        self.patterns: dict = {}        # (pattern, flags) → _sre.compile's arguments
        self.absent: dict = {}          # name → its search path, found nowhere on it
        self.prefix = False             # sys.pycache_prefix when the bundle was written
        self.asked: dict = {}           # name → search path: not in the bundle, asked
        self.refused: set = set()       # names answered "not found" from ``absent``
        self.compiled: dict = {}        # those this run compiled (recorded) or served
        self._read()

    def _read(self) -> None:
        """The bundle's index (its code is read module by module, as served)."""
        fd = -1
        try:
            fd = os.open(self.file, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
            first = os.pread(fd, 1 << 16, 0)
            if first[:6] != _FORMAT:
                raise ValueError
            n = int(first[6:_HEAD])
            if len(first) < _HEAD + n:
                first += os.pread(fd, _HEAD + n - len(first), len(first))
            head = marshal.loads(memoryview(first)[_HEAD:_HEAD + n])
            if head["key"] != self.key:
                raise ValueError
            self.index, self.stamps = head["modules"], head["stamps"]
            self.skipped = head["skipped"]
            self.absent = head.get("absent") or {}
            self.prefix = head.get("prefix", False)
            self.base, self.fd = _HEAD + n, fd
        except Exception:          # missing, cut, foreign: imported as usual
            self.index, self.stamps, self.skipped = {}, {}, frozenset()
            self.absent = {}
            if fd >= 0:
                os.close(fd)

    def blob(self, entry) -> bytes:
        """A module's code, as marshalled (b"" if the bundle cannot be read)."""
        try:
            blob = os.pread(self.fd, entry[5], self.base + entry[4])
        except (OSError, TypeError):
            return b""
        return blob if len(blob) == entry[5] else b""

    def _same(self, path: str) -> bool:
        ok = self.checked.get(path)
        if ok is None:
            ok = self.checked[path] = path in self.stamps and \
                _stamp(path) == self.stamps[path]
        return ok

    def find_spec(self, fullname, path=None, target=None):
        entry = self.index.get(fullname)
        if entry is None or target is not None:
            if target is None:
                self._absent(fullname, path)
            return None
        origin, search, witnesses, locations, start, length, cached = entry
        if tuple(sys.path if path is None else path) != search:
            self._absent(fullname, path)
            return None
        ok = self.seen.get(witnesses)               # (modules share their folders)
        if ok is None:
            ok = self.seen[witnesses] = all(self._same(w) for w in witnesses)
        if not ok or not self._same(origin):
            self._absent(fullname, path)
            return None
        if cached is None:              # an extension module: its file, found as before
            loader = ExtensionFileLoader(fullname, origin)
        else:
            loader = _Loader(fullname, origin, self, entry)
        spec = spec_from_file_location(
            fullname, origin, loader=loader,
            submodule_search_locations=list(locations) if locations is not None else None)
        if cached is not None and self.prefix == sys.pycache_prefix:
            spec.cached = cached        # (its .pyc's name, as the import system names it)
        self.served[fullname] = entry
        return spec

    def _absent(self, fullname, path) -> None:
        """Raise ModuleNotFoundError, as the import system would, for a module the path
        finder (the last finder) found nowhere on this same search path when the bundle
        was written, none of whose folders has changed since (a name added to a folder
        changes its mtime); else note that it was asked for (``save`` records it)."""
        search = tuple(sys.path if path is None else path)
        if search and self.absent.get(fullname) == search and \
                sys.meta_path[-1] is PathFinder and _loading():
            ok = self.seen.get(search)
            if ok is None:
                ok = self.seen[search] = all(self._same(w) for w in search)
            if ok:
                self.refused.add(fullname)
                raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        self.asked[fullname] = search

    def invalidate_caches(self) -> None:
        self.checked.clear()
        self.seen.clear()

    # ------------------------------------------------------------------ writing
    def _candidates(self):
        """(name, module) of the modules imported since ``install`` from source files
        by the plain loader (or by ours)."""
        for name, module in list(sys.modules.items()):
            if name in self.before or name == "__main__":
                continue
            try:            # (as stored: never running a module loaded lazily)
                spec = _module_getattr(module, "__spec__")
            except Exception:
                continue
            loader = getattr(spec, "loader", None)
            if spec is None or spec.name != name or not isinstance(spec.origin, str):
                continue
            if (type(loader) in (SourceFileLoader, _Loader) and spec.origin.endswith(".py")) \
                    or type(loader) is ExtensionFileLoader:
                yield name, spec

    def stale(self) -> bool:
        """Whether this run imported a module from source that the bundle did not serve."""
        if self.missed:
            return True
        if any(name not in self.absent and name not in sys.modules for name in self.asked):
            return True
        for name, _spec in self._candidates():
            if name not in self.served and name not in self.skipped:
                self.missed = True
                return True
        return False

    def _record(self, name: str, spec, stamp):
        """``name`` as a plain import finds it now: (origin, search path, witnesses,
        package locations, the code's bytes), ``stamp`` (path → its stamp, taken once)
        giving the stamps; None if it would find another file, or on any doubt."""
        parent = name.rpartition(".")[0]
        if parent:
            pkg = sys.modules.get(parent)
            search = getattr(pkg, "__path__", None)
            if search is None:
                return None
            search = list(search)
        else:
            search = list(sys.path)
        if not all(isinstance(e, str) and os.path.isabs(e) for e in search):
            return None                 # (a relative folder: another one in another cwd)
        origin = spec.origin
        for w in search:
            stamp(w)
        found = PathFinder.find_spec(name, search)
        extension = type(spec.loader) is ExtensionFileLoader
        if found is None or found.origin != origin or type(found.loader) is not \
                (ExtensionFileLoader if extension else SourceFileLoader):
            return None
        leaf = name.rpartition(".")[2]
        witnesses = []
        folder = os.path.dirname(origin)
        home = os.path.dirname(folder) if found.submodule_search_locations is not None \
            else folder
        for entry in search:
            witnesses.append(entry)
            if home == entry:
                break
            if os.path.isdir(os.path.join(entry, leaf)):    # a namespace portion, passed
                witnesses.append(os.path.join(entry, leaf))
        else:
            return None
        if found.submodule_search_locations is not None:
            witnesses.append(folder)
        for w in witnesses:
            stamp(w)
        before = stamp(origin)
        if before is None:
            return None
        old = self.served.get(name)
        blob = self.blob(old) if old is not None and self.stamps.get(origin) == before \
            and not extension else None
        if extension:
            blob = _EXTENSION
        elif not blob:
            try:
                blob = marshal.dumps(_code(name, origin, before))
            except Exception:
                return None
        locations = tuple(found.submodule_search_locations) \
            if found.submodule_search_locations is not None else None
        return origin, tuple(search), tuple(witnesses), locations, blob

    def patterns_file(self) -> str:
        """The file of the command's regular expressions, beside its bundle (a file of
        its own: a few kilobytes written again when a run compiled a new pattern)."""
        return self.file[:-len(".bundle")] + ".patterns"

    def read_patterns(self) -> dict:
        """The table of patterns written for this bundle's key and ``re`` as it is (an
        empty one on any doubt)."""
        try:
            with open(self.patterns_file(), "rb") as fh:
                blob = fh.read()
            if blob[:len(_PFORMAT)] != _PFORMAT:
                return {}
            got = marshal.loads(blob[len(_PFORMAT):])
            if got["key"] == self.key and got["for"] == _regex_key():
                return got["table"]
        except Exception:
            pass
        return {}

    def save_patterns(self) -> bool:
        """Write the table of patterns again where this run compiled one it did not hold:
        this run's, then the others held (the newest first, ``_PATTERNS`` at most)."""
        if sys.dont_write_bytecode or not self.compiled or \
                all(key in self.patterns for key in self.compiled):
            return False
        table = dict(self.compiled)
        for key, args in self.patterns.items():
            if len(table) >= _PATTERNS:
                break
            table.setdefault(key, args)
        try:
            data = marshal.dumps({"key": self.key, "for": _regex_key(), "table": table})
        except ValueError:
            return False
        return _write(self.patterns_file(), [_PFORMAT, data])

    def save(self) -> bool:
        """Write the bundle again if this run imported a module it did not serve: those
        modules and the bundle's own that are still as recorded.  Whether it wrote."""
        if sys.dont_write_bytecode or sys.path != self.path or not self.stale():
            return False
        taken: dict = {}                # path → its stamp, taken before the finds below

        def stamp(path):
            if path not in taken:
                taken[path] = _stamp(path)
            return taken[path]
        names = {name: spec for name, spec in self._candidates()}
        kept: dict = {}                 # the bundle's others, as recorded
        for name, entry in self.index.items():
            if name not in names and name not in self.served and \
                    all(stamp(w) == self.stamps.get(w) for w in (*entry[2], entry[0])):
                kept[name] = entry
        recorded: dict = {}
        skipped = set()
        for name, spec in names.items():
            got = self._record(name, spec, stamp)
            if got is None:
                skipped.add(name)
            else:
                recorded[name] = got
        # the path finder looks again, afresh, in the folders as stamped above (stamped
        # again below: unchanged), and finds each module's file again
        for entry in {e for got in recorded.values() for e in got[1]}:
            finder = sys.path_importer_cache.get(entry)
            if hasattr(finder, "invalidate_caches"):
                finder.invalidate_caches()
        for name, got in list(recorded.items()):
            again = PathFinder.find_spec(name, list(got[1]))
            if again is None or again.origin != got[0]:
                del recorded[name]
                skipped.add(name)
        # the modules asked for that the path finder finds nowhere (refused: as recorded),
        # on a search path of folders it reads as it reads them now (no other finder)
        absent: dict = {}
        for name, search in list(self.asked.items()):
            if name in sys.modules or name in self.served:
                continue
            if not all(isinstance(e, str) and os.path.isabs(e) and type(
                    sys.path_importer_cache.get(e, None)) in (FileFinder, type(None))
                    for e in search):
                absent[name] = ()       # (never answered so: asked, never recorded)
                continue
            for w in search:
                stamp(w)
                finder = sys.path_importer_cache.get(w)
                if finder is not None:
                    finder.invalidate_caches()      # (it reads the folder afresh)
            absent[name] = search if PathFinder.find_spec(name, list(search)) is None \
                else ()
        for name, search in self.absent.items():    # (those refused among them)
            if name not in absent and name not in sys.modules and \
                    all(stamp(w) == self.stamps.get(w) for w in search):
                absent[name] = search
        changed = {path for path, st in taken.items() if _stamp(path) != st}
        modules: dict = {}
        stamps: dict = {}
        blobs: list = []
        at = 0

        def add(name, origin, search, witnesses, locations, blob):
            nonlocal at
            if not blob or origin in changed or any(w in changed for w in witnesses):
                return False
            for w in (*witnesses, origin):
                stamps[w] = taken[w]
            if blob is _EXTENSION:      # (no code kept: its file is loaded as ever)
                modules[name] = (origin, search, witnesses, locations, 0, 0, None)
                return True
            modules[name] = (origin, search, witnesses, locations, at, len(blob),
                             cache_from_source(origin))
            blobs.append(blob)
            at += len(blob)
            return True
        for name, got in recorded.items():
            if not add(name, *got):
                skipped.add(name)
        for name, entry in kept.items():
            add(name, *entry[:4], _EXTENSION if entry[6] is None else self.blob(entry))
        for name, search in list(absent.items()):
            if any(w in changed or w not in taken for w in search):
                del absent[name]
            else:
                for w in search:
                    stamps[w] = taken[w]
        head = marshal.dumps({"key": self.key, "modules": modules, "stamps": stamps,
                             "skipped": frozenset(skipped),
                             "absent": absent, "prefix": sys.pycache_prefix})
        if not _write(self.file, [_FORMAT, b"%010d" % len(head), head, *blobs]):
            return False
        prune(os.path.dirname(self.file), self.file)
        return True


def _write(file: str, parts: list) -> bool:
    """Write ``parts`` to ``file`` through a temporary file renamed over it (folders
    made; a reader never meets it half written); whether it was written."""
    tmp = f"{file}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(file), exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(b"".join(parts))
        os.replace(tmp, file)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return False
    return True


def prune(folder: str, keep: str = "", count: int = _KEEP) -> list:
    """Remove all but the ``count`` newest bundles in ``folder`` (each tree, venv and
    command writes its own; an old tree's would pile up), never ``keep``, with their
    files of patterns, and temporary files a writer left behind over an hour ago; the
    names removed."""
    import time
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    found = []
    for name in names:
        path = os.path.join(folder, name)
        try:
            st = os.stat(path)
        except OSError:
            continue
        if name.endswith(".bundle"):
            found.append((st.st_mtime_ns, path))
        elif name.endswith(".tmp") and st.st_mtime < time.time() - 3600:
            found.append((-1, path))
        elif name.endswith(".patterns") and \
                name[:-len(".patterns")] + ".bundle" not in names:
            found.append((-1, path))        # (its bundle's patterns, the bundle gone)
    found.sort(reverse=True)
    removed = []
    kept = 0
    for mtime, path in found:
        if mtime >= 0 and (path == keep or kept < count - (keep != "")):
            kept += path != keep
            continue
        try:
            os.unlink(path)
            removed.append(os.path.basename(path))
        except OSError:
            pass
        if path.endswith(".bundle"):
            try:
                os.unlink(path[:-len(".bundle")] + ".patterns")
            except OSError:
                pass
    return removed


def _regex_key() -> tuple:
    """What a pattern's compiled form depends on besides the Python (the bundle's key):
    ``_sre``'s version and code size, and ``re``'s compiler, parser and constants as they
    are on disk."""
    import _sre
    import re
    return (_sre.MAGIC, _sre.CODESIZE,
            *(_stamp(m.__file__) for m in (re._compiler, re._parser, re._constants)))


def _serve_patterns(finder: BundleFinder) -> None:
    """``re`` imported, and its compiler asked through ``finder``'s table of patterns
    first: a pattern there is made from its compiled form; any other is compiled by
    ``re`` and recorded (its compiled form, where it makes the very pattern ``re``
    made) for the next run."""
    import _sre
    import re
    compiler, parser = re._compiler, re._parser
    finder.patterns = finder.read_patterns()
    table, compiled = finder.patterns, finder.compiled
    plain = compiler.compile
    debug = compiler.SRE_FLAG_DEBUG

    def compile(p, flags=0):
        if type(p) not in (str, bytes) or type(flags) is not int or flags & debug:
            return plain(p, flags)
        key = (p, flags)
        args = table.get(key)
        if args is not None:
            try:
                pattern = _sre.compile(p, *args)
            except Exception:           # (a table altered: compiled as usual)
                pass
            else:
                compiled[key] = args
                return pattern
        pattern = plain(p, flags)
        try:            # its compiled form, as re's compiler makes it (compiler.compile)
            parsed = parser.parse(p, flags)
            code = [int(c) for c in compiler._code(parsed, flags)]
            groupindex = dict(parsed.state.groupdict)
            indexgroup = [None] * parsed.state.groups
            for k, i in groupindex.items():
                indexgroup[i] = k
            args = (int(flags | parsed.state.flags), code, parsed.state.groups - 1,
                    groupindex, tuple(indexgroup))
            if _sre.compile(p, *args) == pattern:
                marshal.dumps(args)
                compiled[key] = args
        except Exception:
            pass
        return pattern
    compile.plain = plain
    compiler.compile = compile


def install(command: str, patterns: bool = True) -> BundleFinder | None:
    """Serve ``command``'s modules from its bundle from now on (the finder put just
    before the path finder), and (``patterns``) its regular expressions (``re``
    imported now, through it); None where the bundle is turned off."""
    global _finder
    if os.environ.get("BANMIAN_IMPORT_BUNDLE", "1") == "0":
        return None
    if _finder is not None:
        return _finder
    try:
        finder = BundleFinder(command)
        at = sys.meta_path.index(PathFinder)
    except ValueError:
        return None
    sys.meta_path.insert(at, finder)
    _finder = finder
    if patterns:
        try:
            _serve_patterns(finder)
        except Exception:           # (re as it is: its patterns compiled as usual)
            pass
    return finder


def save() -> bool:
    """At the end of the command: write its bundle again where this run found it out of
    date (never raises: a bundle not written is one not used)."""
    if _finder is None:
        return False
    try:
        _finder.save_patterns()
    except Exception:
        pass
    try:
        return _finder.save()
    except Exception:
        return False


def uninstall() -> None:
    """Take the finder out again, and ``re``'s own compiler back (tests)."""
    global _finder
    if _finder is not None and _finder in sys.meta_path:
        sys.meta_path.remove(_finder)
    _finder = None
    compiler = sys.modules.get("re._compiler")
    plain = getattr(getattr(compiler, "compile", None), "plain", None)
    if plain is not None:
        compiler.compile = plain
