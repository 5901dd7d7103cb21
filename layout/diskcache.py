"""A persistent layout cache: composed frames on disk, keyed by what determines them.

The CLI composes each export in a fresh process, so the in-memory caches of
``Composer`` start empty every time.  This cache keeps, in the one Banmian
cache directory (``$BANMIAN_CACHE_DIR/layout``):

* the whole ``LayoutResult`` of an issue, keyed by a digest of the entire
  issue model, so an unchanged issue exports without composing; its pages are
  stored apart, each once under the digest of its bytes (the page's
  ``composed_from``): its frames with their items named (``page-DIGEST``, a few
  KB) and the items by name (``pageitems-DIGEST``, read only when drawn);
* the story passes of an export, in one entry named by everything but the
  stories' paragraphs, per story under the digest of its paragraphs, so a
  re-export after a story's text changed passes that story alone;
* each page pass of an export (its page, findings and overlap findings), keyed
  by the page, its master, the layers, the fields of the stories its frames
  show, its pictures' files and what each fill on it is made of, so a re-export
  after an edit neither builds nor decodes the pages the edit did not reach;
* each filled text frame, keyed by the frame's model fields, where its story
  starts in it, its jump lines and the photo areas it avoids, plus the
  digests of the story paragraphs it showed (checked on load), so a re-export
  after an edit refills only the frames the edit touched;
* each non-flow frame (headline, photo, ...) keyed by its fields and text;
* the glyph diagnostics of each story, keyed by its paragraphs.

Every key also holds a *context* digest: the engine version (a digest of the
layout package's source files, computed once per process), the paper,
styles, colours and font roles, and the keys of the faces each role resolves
to (a face key includes its file's size and modification time, so a changed
or updated font gets new keys).  Keys are generic (``repr`` of the model's
dataclasses), so new model fields take part without changes here.

Entries are ``marshal`` data of plain tuples (faster to load than pickle of
the frozen dataclasses) after a SHA-1 of them; a corrupt or foreign entry is a
miss.  A frame's items are held as the marshal bytes of their encoding, with
its graphics and run styles beside them: a frame read from here is decoded
only when its items, lines or runs are read (``result.Lazy``), and one stored
again is not encoded again.  A fill also holds a summary of its lines (count,
characters, column feet), all a story pass reads of a frame it does not draw.  Files are
written whole (a temporary file renamed; a cut file is a miss); an entry unused
for ``MAX_AGE`` days is removed by ``prune`` (``compose_issue`` calls it once a day).
"""
from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import marshal
import os
import pickle
import re
import time
from dataclasses import fields, is_dataclass, replace
from pathlib import Path
from types import MappingProxyType

from common.fs import cache_read_checked, cache_write_checked

from . import result as r
from .gcpause import gc_paused as _gc_paused
from .position import StoryPos

FORMAT = 7                         # bump when the encoding below changes
MAX_AGE = 30                       # days an unused entry is kept

_ENGINE: str | None = None
_UNPAUSED = contextlib.nullcontext()


def gc_paused():
    """``layout.gcpause.gc_paused``, or nothing where the collector is off already (an
    entry is read inside a compose or an export, which pause it: a thousand reads)."""
    return _gc_paused() if gc.isenabled() else _UNPAUSED


# the classes an entry may hold, by a short tag (a tag's fields are stored in order)
# (every dataclass of layout/result.py, so a new item type is cached without a change here)
_CLASSES = {cls.__name__: cls for cls in vars(r).values()
            if isinstance(cls, type) and is_dataclass(cls) and cls.__module__ == r.__name__}
_FIELDS: dict[type, tuple[str, ...]] = {
    cls: tuple(f.name for f in fields(cls) if f.init) for cls in _CLASSES.values()}
_ITEMS_AT = {cls: 1 + names.index("items") for cls, names in _FIELDS.items() if "items" in names}
# fields annotated with plain types only (str, numbers, tuples of them): stored as they are
_FRAME_FIELDS = _FIELDS[r.FrameResult]
_FRAME_ITEMS = _ITEMS_AT[r.FrameResult]
_PLAIN_TYPE = re.compile(r"^(?:tuple|int|float|str|bool|None|Rect|\[|\]|,|\.\.\.|\||\s)+$")
_PLAIN: dict[type, frozenset[str]] = {
    cls: frozenset(f.name for f in fields(cls) if f.init and isinstance(f.type, str)
                   and _PLAIN_TYPE.match(f.type)) for cls in _CLASSES.values()}


def engine_version() -> str:
    """A digest of the layout package's source files (read once per process)."""
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = _sources_digest(Path(__file__).resolve().parent,
                                  hashlib.sha1(b"banmian-layout-%d" % FORMAT))
    return _ENGINE


def _sources_digest(folder: Path, h) -> str:
    """``h`` updated with the name and bytes of each ``*.py`` file in ``folder`` (sorted by
    name), as hex.  Kept in the cache folder by the files' names, sizes and times, so a
    process reads 0.5 MB of sources only when one of them changed."""
    try:
        from common.fs import cache_dir
        files = sorted((e.name, e.stat()) for e in os.scandir(folder)
                       if e.name.endswith(".py") and e.is_file())
        stamps = repr((str(folder), h.hexdigest(),
                       [(n, st.st_size, st.st_mtime_ns) for n, st in files]))
        memo = cache_dir("layout", "sources-" + hashlib.sha1(
            stamps.encode("utf-8", "surrogatepass")).hexdigest())
        got = cache_read_checked(memo)
        if got is not None and len(got) == 40:
            return bytes(got).decode("ascii")
    except (OSError, ValueError, UnicodeDecodeError):
        memo = None
    for p in sorted(folder.glob("*.py")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    out = h.hexdigest()
    if memo is not None:
        try:
            cache_write_checked(memo, out.encode("ascii"))
        except OSError:
            pass
    return out


# ---------------------------------------------------------------- encoding
_SCALARS = (str, int, float, bool, type(None))


def encode(obj):
    """Plain marshal-able data of a result object.

    A dataclass becomes a list tagged with its class name, a tuple holding
    objects becomes a list tagged "T"; tuples of plain values stay tuples, so
    loading them back costs nothing.  A frame's items are stored as the marshal bytes of
    their encoding (made once per frame and kept on it, ``result.items_blob``): loading
    a frame decodes them only when they are read (``result.Lazy``), and storing a frame
    read from the cache, or stored before, encodes nothing again.
    """
    t = type(obj)
    if t in _SCALARS:
        return obj
    if t is tuple or t is list:
        if all(type(v) in _SCALARS for v in obj):
            return tuple(obj)
        return ["T"] + [encode(v) for v in obj]
    if t is StoryPos:
        return ["P", obj.para, obj.offset]
    if t is r.FrameResult:
        blob = r.items_blob(obj)
        if blob is None or type(blob[0]) is not bytes:      # (a page's items by name)
            blob = (marshal.dumps(encode(obj.items), 2), encode(obj.graphics),
                    r.run_styles(obj))
            r.set_items_blob(obj, blob)
        out = ["FrameResult"]
        for n in _FRAME_FIELDS:
            out.append(blob if n == "items" else encode(getattr(obj, n)))
        return out
    if t in _FIELDS:
        plain = _PLAIN[t]
        out = [t.__name__]
        for n in _FIELDS[t]:
            v = getattr(obj, n)
            if n in plain and type(v) is not list:
                out.append(v)
            else:
                out.append(encode(v))
        return out
    if isinstance(obj, (dict, MappingProxyType)):
        return {k: encode(v) for k, v in obj.items()}
    raise TypeError(f"cannot cache a {t.__name__}")


class CacheEntryGone(Exception):
    """A page's items went from the layout cache after the page was read (its folder
    changed by hand): one line, as any unexpected failure of the command line."""


#: a page's ``_blob`` when it was read from the layout cache (stored under its
#: ``composed_from``: not stored again)
_STORED = b""
_PAGE_FRAMES = 1 + _FIELDS[r.PageResult].index("frames")


#: the names of frames' item bytes hashed in this process, by the bytes object (kept,
#: so that its id is not another's; ``_ITEM_NAMES_HELD``: their bytes in all)
_ITEM_NAMES: dict[int, tuple[bytes, str]] = {}
_ITEM_NAMES_HELD = [0]
_ITEM_NAMES_LIMIT = 48 << 20        # bytes kept alive by the table at most (an editor's
                                    # exports name new items for as long as it runs)


def items_name(data: bytes) -> str:
    """The name of a frame's item bytes (``result.items_blob``): their SHA-1, worked out
    once per bytes object (a page stored and then drawn hashes its items once)."""
    got = _ITEM_NAMES.get(id(data))
    if got is not None and got[0] is data:
        return got[1]
    name = hashlib.sha1(data).hexdigest()
    if _ITEM_NAMES_HELD[0] + len(data) > _ITEM_NAMES_LIMIT or len(_ITEM_NAMES) >= 20000:
        _ITEM_NAMES.clear()
        _ITEM_NAMES_HELD[0] = 0
    _ITEM_NAMES[id(data)] = (data, name)
    _ITEM_NAMES_HELD[0] += len(data)
    return name


def _load_items(data, blob: bool = True) -> tuple:
    """A frame's items from the bytes ``encode`` made of them (``blob``), or its graphics
    from their encoding."""
    with gc_paused():
        return decode(marshal.loads(data) if blob else data)


# a run's Source is one of few (story, paragraph, part): each is made once and shared
# (frozen, compared by value), not once per run
_SOURCES: dict[tuple, r.Source] = {}


def decode(data):
    """The object ``encode`` gave ``data`` for."""
    t = type(data)
    if t is list:
        tag = data[0]
        if tag == "T":
            return tuple([decode(v) if type(v) is list or type(v) is dict else v
                          for v in data[1:]])
        if tag == "Source":
            key = tuple(data)
            got = _SOURCES.get(key)
            if got is None:
                if len(_SOURCES) > 50000:
                    _SOURCES.clear()
                got = _SOURCES[key] = r.Source(*data[1:])
            return got
        if tag == "P":
            return StoryPos(data[1], data[2])
        if tag == "FrameResult":
            blob = data[_FRAME_ITEMS]
            if type(blob) is not tuple or len(blob) != 3 or type(blob[0]) not in (bytes, str):
                raise TypeError("frame items")       # (str: named, in a page's items)
            args = [decode(v) if type(v) is list or type(v) is dict else v for v in data[1:]]
            args[_FRAME_ITEMS - 1] = r.Lazy(blob, _load_items)
            return r.FrameResult(*args)
        return _CLASSES[tag](*[decode(v) if type(v) is list or type(v) is dict else v
                               for v in data[1:]])
    if t is dict:
        return {k: decode(v) for k, v in data.items()}
    return data



def frame_with_summary(fr, summary):
    """A text frame decoded from its encoding, with the summary of its items
    (``Composer._fill_summary``: lines, characters, column feet) that answers a story
    pass without decoding them (``result.lazy_summary``); TypeError if not a frame."""
    if type(fr) is not r.FrameResult:
        raise TypeError("not a frame")
    lazy = r._ITEMS_SLOT.__get__(fr)
    if type(lazy) is r.Lazy:
        lazy.summary = summary
    return fr


def digest(*parts) -> str:
    """A hex digest of the ``repr`` of ``parts`` (model dataclasses have a stable repr)."""
    return hashlib.sha1(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


# ---------------------------------------------------------------- the cache
class LayoutDiskCache:
    """Composed frames and results under ``folder`` (one file per entry)."""

    def __init__(self, folder: str | os.PathLike):
        """A cache in ``folder`` (created on the first write)."""
        self.folder = Path(folder)
        self._dir = os.fspath(self.folder)
        self.context = ""
        self.stats = {"hits": 0, "misses": 0, "writes": 0}
        self.written: list[str] = []            # keys written by this object, in order
        # an export's model does not change while it is composed: the digests of its
        # stories' fields and paragraphs are worked out once (id → (object, digest))
        self.model_fixed = False
        self._digests: dict[int, tuple] = {}
        self.passes_key: str | None = None      # set by ``begin`` (or ``passes_name``)
        self._passes_parts: tuple | None = None
        self.story_digests: dict[str, str] = {}
        self.begun_digests: dict[int, tuple] = {}   # id → (page or story, its digest)
        # digests known before ``begin`` (``_known_digests``): id → (page, digest) or
        # (story, its fields' digest, its paragraphs then, their digest)
        self.known_digests: dict[int, tuple] = {}
        self._pages_put: dict[int, tuple] = {}      # id → (page, its digest) stored here

    def set_context(self, issue, fontset, *extra) -> str:
        """Fix the context digest (engine, paper, styles, fonts) for the keys that follow."""
        roles = []
        for role in issue.fonts:
            try:
                roles.append((role, tuple(f.key for f in fontset.faces(role))))
            except Exception:                 # noqa: BLE001 - a role that does not resolve
                roles.append((role, None))
        self.context = digest(engine_version(), FORMAT, issue.paper, issue.paragraph_styles,
                              issue.char_styles, issue.colors, issue.fonts, tuple(roles), extra)
        return self.context

    def key(self, kind: str, *parts) -> str:
        """The file name of an entry of ``kind`` for ``parts`` in the current context."""
        return f"{kind}-{digest(self.context, kind, parts)}"

    def _path(self, key: str) -> str:
        # a string joined by hand: a Path joined per entry cost 2 ms of a re-export's 570
        return f"{self._dir}{os.sep}{key}.marshal"

    def load(self, key: str):
        """The stored data of ``key``, or None (also when its checksum does not match:
        a frame's items are decoded only when read, long after the entry was)."""
        data = self._read(key)
        self.stats["misses" if data is None else "hits"] += 1
        return data

    def _read(self, key: str):
        """``load`` without counting (the pages of a whole result or page pass)."""
        blob = cache_read_checked(self._path(key))
        if blob is None:
            return None
        try:
            with gc_paused():
                fmt, data = marshal.loads(blob)
            if fmt != FORMAT:
                raise ValueError("format")
        except (EOFError, ValueError, TypeError):
            return None
        return data

    def store(self, key: str, data) -> None:
        """Write ``data`` (marshal-able) for ``key`` after its checksum; a write that
        fails is skipped."""
        try:
            cache_write_checked(self._path(key), marshal.dumps((FORMAT, data)))
            self.stats["writes"] += 1
            self.written.append(key)
        except (OSError, ValueError):
            pass

    # ------------------------------------------------------------ typed entries
    def get_result(self, key: str):
        """A whole LayoutResult stored under ``key``, or None."""
        data = self.load(key)
        if data is None:
            return None
        try:
            return decode(data)
        except (KeyError, TypeError, IndexError):
            return None

    def put_result(self, key: str, value) -> None:
        """Store a LayoutResult (or any encodable result object)."""
        self.store(key, encode(value))

    # a page is stored once under the digest of its bytes (the marshal bytes of its whole
    # encoding), which is its ``composed_from``; a whole result and a page pass name their
    # pages by it.  It is kept in two entries: "page-DIGEST", the page with each frame's
    # items named by the SHA-1 of their bytes (a few KB: what a whole result or a page
    # pass reads), and "pageitems-DIGEST", those bytes by name, read only when a frame's
    # items are (an export whose pages the writer keeps reads none)
    def get_page(self, digest_: str):
        """The page stored under its digest (``stored_digest`` names it), its frames'
        items not read until asked for, or None."""
        items = self._path(f"pageitems-{digest_}")
        data = cache_read_checked(self._path(f"page-{digest_}"))
        if data is None or not os.path.isfile(items):
            return None
        try:
            with gc_paused():
                page = decode(marshal.loads(data))
        except (KeyError, TypeError, IndexError, ValueError, EOFError):
            return None
        if type(page) is not r.PageResult:
            return None
        held: list = []                     # the page's item bytes by name, once read

        def load(data, blob: bool = True):
            if not blob:
                return _load_items(data, False)
            if not held:
                got = cache_read_checked(items)
                table = marshal.loads(got) if got is not None else None
                if type(table) is not dict:
                    raise CacheEntryGone(f"{items}: the items of a page kept in the layout "
                                         "cache cannot be read (remove the cache folder)")
                held.append(table)
            return _load_items(held[0][data])
        for fr in page.frames:
            lazy = r._ITEMS_SLOT.__get__(fr)
            if type(lazy) is not r.Lazy or type(lazy.enc[0]) is not str:
                return None
            lazy.load = load
        object.__setattr__(page, "_blob", _STORED)
        object.__setattr__(page, "composed_from", digest_)
        return page

    def stored_digest(self, page) -> str | None:
        """The digest ``page`` is stored under here when it was read from here or stored
        by this object (a forked worker's page, named for the process it works for),
        else None."""
        if page._blob is _STORED and page.composed_from:
            return page.composed_from
        done = self._pages_put.get(id(page))
        return done[1] if done is not None and done[0] is page else None

    def _put_page(self, page) -> str:
        """Store ``page`` (unless it came from here); its digest, set as its composed_from."""
        if page._blob is _STORED and page.composed_from:
            return page.composed_from
        done = self._pages_put.get(id(page))
        if done is not None and done[0] is page:   # (a page pass's page, then the result's)
            return done[1]
        # the page's encoding with each frame's items by name: its bytes (version 2: no
        # references, so equal pages give equal bytes however they were built) are the
        # "page-" entry and their SHA-1 the page's digest (its items' bytes hashed once,
        # for their names, which the PDF writer's frame keys take too)
        enc = encode(page)
        table = {}
        for fr in enc[_PAGE_FRAMES][1:]:                # ["T", frame, ...]
            got = fr[_FRAME_ITEMS]
            name = items_name(got[0])
            table[name] = got[0]
            fr[_FRAME_ITEMS] = (name, got[1], got[2])
        named = marshal.dumps(enc, 2)
        d = hashlib.sha1(named).hexdigest()
        if len(self._pages_put) >= 1000:            # (an editor's cache lives long)
            self._pages_put.clear()
        self._pages_put[id(page)] = (page, d)
        if page.composed_from != d:
            try:
                cache_write_checked(self._path(f"pageitems-{d}"), marshal.dumps(table))
                cache_write_checked(self._path(f"page-{d}"), named)
                self.stats["writes"] += 1
                self.written.append(f"page-{d}")
            except (OSError, ValueError, TypeError, IndexError):
                pass
            object.__setattr__(page, "composed_from", d)
        return d

    def get_issue_result(self, key: str):
        """The whole LayoutResult of an issue stored under ``key`` (its pages' digests
        set as their ``composed_from``), or None.  No frame's items are decoded until
        something reads them (an export whose pages the writer keeps reads none)."""
        got = self.load(key)
        try:
            tag, data, digests = got
            if tag != "issue" or type(data) is not list or data[0] != "LayoutResult" \
                    or data[1] != ():
                return None
            pages = []
            for d in digests:
                page = self.get_page(d)
                if page is None:
                    return None
                pages.append(page)
            with gc_paused():
                res = decode(data)
        except (KeyError, TypeError, IndexError, ValueError, EOFError):
            return None
        if type(res) is not r.LayoutResult:
            return None
        object.__setattr__(res, "pages", tuple(pages))
        return res

    def put_issue_result(self, key: str, res):
        """Store an issue's LayoutResult, its pages each under its digest; the result with
        them set as the pages' ``composed_from`` (its pages are the composer's own, just
        made or read)."""
        digests = [self._put_page(p) for p in res.pages]
        self._pages_put.clear()         # (the page passes' pages, named again just now)
        data = encode(replace(res, pages=()))
        self.store(key, ("issue", data, tuple(digests)))
        return res

    def get_page_pass(self, key: str):
        """(page, its findings, the overlap findings on it) stored for ``key``, or None."""
        got = self.load(key)
        try:
            d, diags, overlaps = got
            page = self.get_page(d)
            if page is None:
                return None
            with gc_paused():
                return page, list(decode(diags)), list(decode(overlaps))
        except (KeyError, TypeError, IndexError, ValueError):
            return None

    def put_page_pass(self, key: str, page, diagnostics, overlaps) -> None:
        """Store a page pass: the page (under its digest) and its findings."""
        d = self._put_page(page)
        self.store(key, (d, encode(tuple(diagnostics)), encode(tuple(overlaps))))

    def begin(self, composer) -> str:
        """Fix the context for ``composer``'s issue; the key of its whole result."""
        issue = composer.issue
        known = _HANDOFF.get("begun")
        if known is not None and known[0] is issue and known[1] is composer.fontset and \
                known[2] == (os.path.abspath(composer.base_dir), composer.allow_outside):
            self.context = known[3]             # worked out just before (compose_cached)
            self.model_fixed = True             # an export: nobody edits this model meanwhile
            self.passes_key, self.story_digests, digests = known[5], known[6], known[7]
            self._digests.update(digests)       # its pages' and its stories' fields'
            return known[4]
        images = []
        for page in issue.pages:
            for fr in page.frames:
                name = getattr(fr, "image", None)
                if name:
                    try:
                        st = os.stat(os.path.join(composer.base_dir, name))
                        images.append((name, st.st_size, st.st_mtime_ns))
                    except OSError:
                        images.append((name, None))
        words = getattr(issue.paper, "dictionary", "")     # the paper's word list (headlines)
        if words:
            try:
                st = os.stat(os.path.join(composer.base_dir, words))
                words = (words, st.st_size, st.st_mtime_ns)
            except OSError:
                words = (words, None)
        self.set_context(issue, composer.fontset,
                         os.path.abspath(composer.base_dir), composer.allow_outside, words)
        # the model in two parts: everything but the stories' paragraphs, and each story's
        # paragraphs (every field of the model is in one of them, so an issue changed in
        # any way gets another key); the first names the entry of the story passes
        # (``get_story_passes``), where each story's are kept under the second
        # (a page's digest and a story's fields' are those the page passes' keys name
        # them by: worked out once, and handed to the composer with the key)
        # (the digests of the pages and stories a model read from the cache shares with
        # the model kept with them, ``known_digests``, are those worked out for that one)
        from operator import is_
        made = self.begun_digests = {}
        known = self.known_digests
        self.story_digests = paras = {}
        for page in issue.pages:
            got = known.get(id(page))
            made[id(page)] = (page, got[1] if got is not None and got[0] is page
                              else digest(page))
        for sid, st in issue.stories.items():
            got = known.get(id(st))
            if got is not None and got[0] is st:
                made[id(st)] = (st, got[1])
                same = len(got[2]) == len(st.paragraphs) and \
                    all(map(is_, got[2], st.paragraphs))
                paras[sid] = got[3] if same else digest(st.paragraphs)
            else:
                made[id(st)] = (st, digest(_story_fields(st)))
                paras[sid] = digest(st.paragraphs)
        if self.model_fixed:
            self._digests.update(made)
        rest = digest(*[(f.name, getattr(issue, f.name)) for f in fields(issue)
                        if f.name not in ("stories", "pages")],
                      [made[id(p)][1] for p in issue.pages],
                      [(sid, made[id(st)][1]) for sid, st in issue.stories.items()])
        self.passes_key, self._passes_parts = None, (rest, tuple(images))   # (when asked)
        return self.key("issue", rest, tuple(self.story_digests.items()), tuple(images))

    def passes_name(self) -> str | None:
        """The entry of the story passes (``get_story_passes``), worked out when first
        asked for (an unchanged issue's export never does)."""
        if self.passes_key is None and self._passes_parts is not None:
            self.passes_key = self.key("storypasses", *self._passes_parts)
        return self.passes_key

    # the story passes of an export, all in one entry named by everything but the
    # stories' paragraphs (``passes_key``): per story, the digest of its paragraphs and
    # what its pass made (the fills' entries, copyfit, findings, glyph findings), so a
    # re-export after a story's text changed passes only that story through its frames
    def get_story_passes(self) -> dict:
        """{story id: (digest of its paragraphs, its pass)} kept for this issue's
        everything-but-paragraphs ({} when none, or no key was worked out)."""
        key = self.passes_name()
        got = self._read(key) if key else None
        return got if type(got) is dict else {}

    def put_story_passes(self, passes: dict) -> None:
        """Store the story passes (``get_story_passes``) of this issue."""
        key = self.passes_name()
        if key:
            self.store(key, passes)

    def fill_name(self, story, key) -> str:
        """The entry name of ``story``'s fill for ``key`` (before its paragraphs' check)."""
        return self.key("fill", story.id, key, self._fields_digest(story))

    def fill_deps(self, story, first: int, end) -> tuple:
        """The digests of the paragraphs a fill from paragraph ``first`` to ``end`` shows,
        and the story's paragraph count: with ``fill_name``, what the fill is made of."""
        last = min(end.para, len(story.paragraphs) - 1)
        deps = [(i, self._para_digest(story, i)) for i in range(first, last + 1)]
        deps.append((-1, len(story.paragraphs)))
        return tuple(deps)

    def get_fill(self, story, key, name: str | None = None):
        """The FrameFill stored for ``key`` if the story paragraphs it showed are unchanged.
        Its frame's items are not decoded (``result.lazy_summary`` holds the summary
        ``put_fill`` stored with them)."""
        from .flow import FrameFill
        data = self.load(name or self.fill_name(story, key))
        if data is None:
            return None
        try:
            deps, summary, res, end = data
            if any(self._para_digest(story, i) != k for i, k in deps):
                self.stats["hits"] -= 1
                self.stats["misses"] += 1
                return None
            with gc_paused():
                fr = frame_with_summary(decode(res), summary)
                end = decode(end)
            if type(end) is not StoryPos:
                return None
            return FrameFill(fr, end, set())
        except (KeyError, TypeError, IndexError, ValueError):
            return None

    def put_fill(self, story, key, fill, summary=None, name: str | None = None) -> None:
        """Store a filled frame with the digests of the paragraphs it depends on and a
        summary of its items (what a story pass reads of a frame it does not draw)."""
        self.store(name or self.fill_name(story, key),
                   (self.fill_deps(story, key[1].para, fill.end), summary,
                    encode(fill.result), encode(fill.end)))

    def get_frame(self, key, story=None):
        """(FrameResult, diagnostics) of a non-flow frame showing ``story``'s fields, or None."""
        data = self.load(self.key("frame", key, self._fields_digest(story)))
        if data is None:
            return None
        try:
            with gc_paused():
                fr, diags = decode(data[1]), decode(data[2])
        except (KeyError, TypeError, IndexError, ValueError):
            return None
        return fr, list(diags)

    def _fields_digest(self, story) -> str | None:
        """The digest of ``_story_fields(story)`` (once per story while ``model_fixed``)."""
        if story is None:
            return None
        if self.model_fixed:
            got = self._digests.get(id(story))
            if got is not None and got[0] is story:
                return got[1]
        d = digest(_story_fields(story))
        if self.model_fixed:
            self._digests[id(story)] = (story, d)
        return d

    def page_digest(self, page) -> str:
        """The digest of a model page (once per page while ``model_fixed``)."""
        if self.model_fixed:
            got = self._digests.get(id(page))
            if got is not None and got[0] is page:
                return got[1]
        d = digest(page)
        if self.model_fixed:
            self._digests[id(page)] = (page, d)
        return d

    def _para_digest(self, story, i: int):
        """``para_digest(story, i)`` (once per paragraph while ``model_fixed``)."""
        if not self.model_fixed or not 0 <= i < len(story.paragraphs):
            return para_digest(story, i)
        p = story.paragraphs[i]
        got = self._digests.get(id(p))
        if got is None or got[0] is not p:
            got = self._digests[id(p)] = (p, digest(p))
        return got[1]

    def put_frame(self, key, story, result, diagnostics) -> None:
        """Store a non-flow frame's result and diagnostics."""
        self.put_result(self.key("frame", key, self._fields_digest(story)),
                        (result, tuple(diagnostics)))

    def _glyphs_key(self, story) -> str:
        """The entry of ``story``'s glyph diagnostics: its paragraphs by their digests
        (worked out once per export for its fills too) and its fields."""
        paras = tuple(self._para_digest(story, i) for i in range(len(story.paragraphs)))
        return self.key("glyphs", story.id, paras, self._fields_digest(story))

    def get_glyphs(self, story):
        """The glyph diagnostics (missing glyphs, fallbacks) of ``story``, or None."""
        got = self.get_result(self._glyphs_key(story))
        return list(got) if got is not None else None

    def put_glyphs(self, story, diagnostics) -> None:
        """Store ``story``'s glyph diagnostics."""
        self.put_result(self._glyphs_key(story), tuple(diagnostics))

    def prune(self, max_age_days: float = MAX_AGE, others=()) -> int:
        """Remove entries (here and in the folders ``others``) neither read nor written for
        ``max_age_days``; returns how many went."""
        cutoff = time.time() - max_age_days * 86400
        gone = 0
        for folder in (self.folder, *others):
            try:
                entries = list(os.scandir(folder))
            except OSError:
                continue
            used = {}
            for e in entries:
                try:
                    if e.is_file() and not e.name.startswith("."):
                        st = e.stat()
                        used[e.name] = (e, max(st.st_atime, st.st_mtime))
                except OSError:
                    pass
            for name, (e, when) in used.items():
                if name.startswith("pageitems-"):       # used while its page is
                    page = used.get("page-" + name[len("pageitems-"):])
                    when = max(when, page[1]) if page is not None else when
                if when < cutoff:
                    try:
                        os.unlink(e.path)
                        gone += 1
                    except OSError:
                        pass
        return gone

    def maybe_prune(self, others=()) -> int:
        """``prune`` at most once a day (a marker file records the last time)."""
        marker = self.folder / ".pruned"
        try:
            if time.time() - marker.stat().st_mtime < 86400:
                return 0
        except OSError:
            pass
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            marker.touch()
        except OSError:
            return 0
        return self.prune(others=others)


class _Probe:
    """What ``LayoutDiskCache.begin`` reads of a composer, without a composer."""

    def __init__(self, issue, fontset, base_dir: str, allow_outside: bool):
        self.issue, self.fontset = issue, fontset
        self.base_dir, self.allow_outside = base_dir, allow_outside


def cached_issue_result(issue, fontset, cache_dir: str, base_dir: str | None = None,
                        allow_outside: bool = False):
    """The stored whole result of an issue composed before with these fonts, or None.

    It is what ``compose_issue`` (``Composer(whole=True)``) returns for an unchanged
    issue, found under the same key, but without importing or starting the engine
    (``layout.compose`` and what it loads: 35–45 ms of an export, and the fonts'
    metrics).  On None, compose as usual."""
    return _lookup(issue, fontset, cache_dir, base_dir, allow_outside)[2]


def _lookup(issue, fontset, cache_dir: str, base_dir: str | None, allow_outside: bool,
            just_loaded: bool = False):
    """(the cache, the key of the issue's whole result, the result or None).
    ``just_loaded``: as ``compose_cached``."""
    disk = LayoutDiskCache(os.path.join(cache_dir, "layout"))
    loaded = _LOADED[:] if just_loaded and _LOADED and _LOADED[0] is issue else None
    if loaded is not None:
        _LOADED.clear()
    if loaded is not None:
        _issue, model_key, base_key, snapshot = loaded
        disk.known_digests = _known_digests(cache_dir, base_key, snapshot)
    key = disk.begin(_Probe(issue, fontset, base_dir or ".", allow_outside))
    if loaded is not None and (model_key != base_key or not disk.known_digests):
        _keep_digests(cache_dir, model_key, issue, disk)
    res = disk.get_issue_result(key)
    if res is not None:             # as compose_issue does after composing
        disk.maybe_prune([os.path.join(cache_dir, d) for d in ("subsets", "images", "pages")])
    return disk, key, res


#: the model ``load_issue_cached`` gave last: [issue, its model's key, the key of the model
#: it was made from (itself when read as kept; None when parsed), that model's pages and
#: stories as read (``_snapshot``)]; taken by the export that composes it (``_lookup``)
_LOADED: list = []
_DIGESTS_FORMAT = 1


def _snapshot(issue) -> tuple:
    """A model's pages and stories as they are (each story with its paragraphs then)."""
    return (list(issue.pages),
            [(sid, st, tuple(st.paragraphs)) for sid, st in issue.stories.items()])


def _digests_file(cache_dir: str, model_key: str) -> str:
    return os.path.join(cache_dir, "layout", f"digests-{model_key}.marshal")


def _known_digests(cache_dir: str, model_key: str | None, snapshot) -> dict:
    """The digests ``begin`` worked out for the pages and stories of the model kept under
    ``model_key``, by the objects of that model as read (``snapshot``; ``begin`` takes a
    digest only for the same object, a story's paragraphs' only while they are the same
    objects); {} when none were kept."""
    if not model_key or snapshot is None:
        return {}
    try:
        fmt, pages, stories = marshal.loads(cache_read_checked(_digests_file(cache_dir,
                                                                             model_key)))
        snap_pages, snap_stories = snapshot
        if fmt != _DIGESTS_FORMAT or len(pages) != len(snap_pages) or \
                len(stories) != len(snap_stories):
            return {}
        out = {}
        for page, d in zip(snap_pages, pages):
            out[id(page)] = (page, d)
        for (sid, st, paras), (kept_sid, fields_d, paras_d) in zip(snap_stories, stories):
            if sid != kept_sid:
                return {}
            out[id(st)] = (st, fields_d, paras, paras_d)
        return out
    except Exception:                       # noqa: BLE001 - none kept, or a foreign entry
        return {}


def _keep_digests(cache_dir: str, model_key: str, issue, disk: LayoutDiskCache) -> None:
    """Keep the digests ``disk.begin`` worked out for ``issue``, the model kept under
    ``model_key`` (``_known_digests``)."""
    made = disk.begun_digests
    try:
        cache_write_checked(_digests_file(cache_dir, model_key), marshal.dumps((
            _DIGESTS_FORMAT, [made[id(p)][1] for p in issue.pages],
            [(sid, made[id(st)][1], disk.story_digests[sid])
             for sid, st in issue.stories.items()])))
    except (OSError, ValueError, KeyError):
        pass


#: compose_cached hands the key it worked out to the composer it starts ("begun": issue,
#: fonts, (folder, outside), context, key), for that call only
_HANDOFF: dict[str, tuple] = {}


def compose_cached(issue, fontset, cache_dir: str, base_dir: str | None = None,
                   allow_outside: bool = False, just_loaded: bool = False,
                   workers: int = 1):
    """``compose_issue`` for an export: an issue composed before comes from the cache
    (``cached_issue_result``) without the engine; else it is composed, the key of its
    whole result (a digest of the whole model) not worked out a second time.
    ``just_loaded``: the caller vouches that ``issue`` is the model ``load_issue_cached``
    gave last, unchanged since: the digests of the pages and stories it shares with the
    model it was read from are those worked out for that one (kept in the cache)."""
    disk, key, res = _lookup(issue, fontset, cache_dir, base_dir, allow_outside, just_loaded)
    if res is not None:
        return res
    from .compose import compose_issue
    _HANDOFF["begun"] = (issue, fontset, (os.path.abspath(base_dir or "."), allow_outside),
                         disk.context, key, disk.passes_name(), disk.story_digests,
                         disk.begun_digests)
    try:
        return compose_issue(issue, fontset, base_dir=base_dir, cache_dir=cache_dir,
                             allow_outside=allow_outside, workers=workers)
    finally:
        _HANDOFF.clear()


def _common_version() -> str:
    """A digest of the ``common`` package's sources (the model uses it)."""
    return _sources_digest(Path(__file__).resolve().parent.parent / "common", hashlib.sha1())


def _yaml_stamp() -> tuple:
    """The YAML library's file, size and time (found without importing it)."""
    import importlib.util
    try:
        origin = importlib.util.find_spec("yaml").origin
        st = os.stat(origin)
        return (origin, st.st_size, st.st_mtime_ns)
    except (ImportError, AttributeError, TypeError, ValueError, OSError):
        return (None,)


class _ModelUnpickler(pickle.Unpickler):
    """Unpickles the issue model's classes and nothing else (a cache entry put there by
    someone else can make no other object, nor call anything)."""

    def find_class(self, module, name):
        from . import model
        cls = getattr(model, name, None) if module == model.__name__ else None
        if not (isinstance(cls, type) and is_dataclass(cls)):
            raise pickle.UnpicklingError(f"not a model class: {module}.{name}")
        return cls


#: issue path → (the text ``load_issue_cached`` read last from it, the SHA-1 of its UTF-8)
_TEXTS: dict[str, tuple[str, str]] = {}


def text_read(path) -> tuple[str, str] | None:
    """(the text ``load_issue_cached`` read the issue at ``path`` from, the SHA-1 of its
    UTF-8) when it read one in this process, else None."""
    return _TEXTS.get(str(path))


def load_issue_cached(path, cache_dir: str | None):
    """``docfile.load_issue(path)``, the model kept in the cache directory (``layout/``)
    keyed by the file's bytes and path, the sources of the layout and common packages
    (the model and its loader) and the YAML library: an issue read before is unpickled
    (5–10× faster than parsing and checking its YAML, and neither the YAML library nor
    the loader is imported).  A file changed since its model was kept is read again
    only where it changed (``docload.reparse``, from the text and index kept with the
    model for the same path), or wholly when that cannot be done.
    DocumentError as ``load_issue`` raises it; a file that cannot be read as text goes
    to ``load_issue`` for its message."""
    import stat as st_
    if not cache_dir:
        from .docfile import load_issue
        return load_issue(path)
    try:
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            data = fh.read() if st_.S_ISREG(st.st_mode) and st.st_size <= 100 * 2**20 else None
    except OSError:
        data = None
    text = None
    if data is not None:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
    if text is None:                        # load_issue says what is wrong
        from .docfile import load_issue
        return load_issue(path)
    version = (FORMAT, engine_version(), _common_version(), _yaml_stamp())
    h = hashlib.sha1(repr((*version, str(path))).encode("utf-8", "surrogatepass"))
    version = repr(version)                 # a source entry serves only the same version
    source = Path(cache_dir, "layout", f"source-{h.hexdigest()}.marshal")   # the path's last
    # the SHA-1 of the text's UTF-8 (the file's bytes but a BOM): the file's bytes
    # hashed once, for the model's key and for whoever records the text (a proof round)
    bom = data.startswith(b"\xef\xbb\xbf")
    text_sha1 = hashlib.sha1(memoryview(data)[3:] if bom else data).hexdigest()
    _TEXTS[str(path)] = (text, text_sha1)
    h.update(b"%d %s" % (bom, text_sha1.encode("ascii")))
    file = _model_file(cache_dir, h.hexdigest())                 # pruned as the rest
    recent = Path(cache_dir, "layout", "source-recent")
    issue = _read_model(file)
    model_key = h.hexdigest()
    if issue is not None:
        _mark_recent(recent, source)
        _LOADED[:] = [issue, model_key, model_key, _snapshot(issue)]
        return issue
    from .docload import parse_indexed
    base: list = [None, None]               # the key and snapshot of a model reparsed
    changed: list = []                      # and the plain paragraphs it changed
    with gc_paused():
        got = _reparsed(source, version, cache_dir, text, str(path), base, changed)
        if got is None:                     # a file new here: perhaps a copy of the last one
            changed.clear()
            got = _reparsed(_recent_source(recent, source), version, cache_dir, text,
                            str(path), base, changed)
        if got is None:
            base = [None, None]
            changed.clear()
            got = parse_indexed(text, str(path))
    issue, index = got
    _LOADED[:] = [issue, model_key, *base]
    try:
        cache_write_checked(file, _model_entry(cache_dir, issue, base, changed))
        # the text as the file's UTF-8 (copied, not encoded again)
        cache_write_checked(source, marshal.dumps((version, h.hexdigest(),
                                                   data[3:] if bom else data, index)))
        cache_write_checked(recent, source.name.encode())
    except Exception:                       # noqa: BLE001 - not kept: read again next time
        pass
    return issue


def _mark_recent(recent: Path, source: Path) -> None:
    """Name ``source`` as the entry read last, when a model kept for its path was read
    (its text and index are then the likeliest start for a copy of the file edited
    under a new name); written only when it changes, and only if the entry exists."""
    try:
        got = cache_read_checked(recent)
        if got is not None and got == source.name.encode() or not source.is_file():
            return
    except OSError:
        return
    try:
        cache_write_checked(recent, source.name.encode())
    except Exception:                       # noqa: BLE001 - not kept: a whole parse next time
        pass


def _recent_source(recent: Path, source: Path) -> Path | None:
    """The source entry written last (by any path), unless it is ``source``."""
    try:
        name = bytes(cache_read_checked(recent)).decode()
    except (OSError, UnicodeDecodeError, TypeError):
        return None
    return None if name == source.name or not re.fullmatch(r"source-[0-9a-f]{40}\.marshal",
                                                           name) else source.with_name(name)


def _reparsed(source: Path | None, version: str, cache_dir: str, text: str, path: str,
              base: list | None = None, changed: list | None = None):
    """``docload.reparse`` from the text, index and model a source entry names; None when
    there is none, or it is another version's, or it cannot serve.  ``base`` gets that
    model's key and its pages and stories as read (``_snapshot``), when it was read."""
    from .docload import reparse
    if source is None:
        return None
    try:
        old_version, old_key, old_text, index = marshal.loads(cache_read_checked(source))
        if old_version != version:
            return None
        old_text = str(old_text, "utf-8")   # (kept as the file's UTF-8)

        def old_model():
            model = _read_model(_model_file(cache_dir, old_key))
            if model is not None and base is not None:
                base[:] = [old_key, _snapshot(model)]
            return model
        return reparse(old_text, index, old_model, text, path, changed)
    except Exception:                       # noqa: BLE001 - no entry, or a foreign one
        return None


def _model_file(cache_dir: str, key: str) -> Path:
    return Path(cache_dir, "layout", f"model-{key}.pickle")


#: a model kept as another one (pickled) with plain paragraphs changed: this, then the
#: marshal of (that model's key, [(story key, paragraph index, text), ...])
_PARTS = b"banmian-model-parts-1\n"
_PARTS_MAX = 64                             # changed paragraphs kept so (else pickled)
#: model file → (the key of the pickled model it is made from, its changes) of the
#: models read (a pickled one: its own key, none)
_MADE_OF: dict[str, tuple] = {}


def _read_model(file: Path):
    """The model kept in ``file``, or None."""
    try:
        blob = cache_read_checked(file)
        if blob is None:
            return None
        if bytes(blob[:len(_PARTS)]) == _PARTS:
            root, changes = marshal.loads(blob[len(_PARTS):])
            issue = _read_pickled(_model_file(str(file.parent.parent), root))
            if issue is None or len(changes) > _PARTS_MAX:
                return None
            from . import model as m
            for sid, k, text in changes:
                paras = issue.stories[sid].paragraphs
                if not (type(text) is str and 0 <= k < len(paras)):
                    return None
                paras[k] = m.Paragraph.plain(text)
            _MADE_OF[str(file)] = (root, list(changes))
            return issue
        with gc_paused():
            issue = _ModelUnpickler(io.BytesIO(blob)).load()
        _MADE_OF[str(file)] = (file.name[len("model-"):-len(".pickle")], [])
        return issue
    except Exception:                       # noqa: BLE001 - a foreign entry
        return None


def _read_pickled(file: Path):
    """The pickled model kept in ``file`` (not one kept as changes of another), or None."""
    try:
        blob = cache_read_checked(file)
        if blob is not None and bytes(blob[:len(_PARTS)]) != _PARTS:
            with gc_paused():
                return _ModelUnpickler(io.BytesIO(blob)).load()
    except Exception:                       # noqa: BLE001 - a foreign entry
        pass
    return None


def _model_entry(cache_dir: str, issue, base: list, changed: list) -> bytes:
    """What a model file keeps of ``issue``: when it was made from a kept model (``base``:
    its key) by changing plain paragraphs (``changed``, ``docload.reparse``), that
    model's pickled one and the changes since (a few hundred bytes, no pickling);
    else the model pickled."""
    made_of = _MADE_OF.get(str(_model_file(cache_dir, base[0]))) if base[0] and changed \
        else None
    if made_of is not None:
        root, changes = made_of
        merged = {(sid, k): text for sid, k, text in changes}
        merged.update(((sid, k), text) for sid, k, text in changed)
        if len(merged) <= _PARTS_MAX:
            return _PARTS + marshal.dumps((root, [(sid, k, t) for (sid, k), t in
                                                  merged.items()]))
    return pickle.dumps(issue, pickle.HIGHEST_PROTOCOL)


def _story_fields(story) -> tuple | None:
    """Every field of a story but its paragraphs (language, headline, byline, credit …):
    what its text is set with, and what a headline, byline or photo frame may show."""
    if story is None:
        return None
    return tuple((f.name, getattr(story, f.name)) for f in fields(story)
                 if f.name != "paragraphs")


def para_digest(story, i: int) -> str | int | None:
    """The digest of paragraph ``i`` of ``story`` (None past its end)."""
    if i < 0:
        return len(story.paragraphs)
    if i >= len(story.paragraphs):
        return None
    return digest(story.paragraphs[i])


__all__ = ["LayoutDiskCache", "cached_issue_result", "compose_cached", "load_issue_cached",
           "decode", "digest", "encode", "engine_version", "para_digest"]
