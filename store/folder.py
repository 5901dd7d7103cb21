"""An issue store in a folder: on one machine's disk or on a shared network folder.

What the folder holds::

    ISSUE-FOLDER/
      settings.yaml                the issue unit (info, paper, fonts, styles, masters…)
      pages/p1.yaml                one file per page unit
      stories/lead.yaml            one file per story unit
      stories/%e5… / 头条.yaml      ids made safe as file names (see ``file_name``)
      .banmian/
        store.json                 marks the folder as an issue store (format, version)
        journal.jsonl              the change feed: one line per unit committed or removed
        locks/<unit>.lock          check-outs (JSON: user, host, pid, desk session, time)
        commit.lock                held for the few milliseconds of a commit
        intent.json                a commit being applied (replayed after a crash)
        tmp/                       new unit files before they are renamed into place
        gone/<unit>.json           the last version of a removed unit

Each unit file is the unit's YAML text (a partial issue file) whose first line
carries the unit's key, version, author and time as a YAML comment::

    banmian: 1  # banmian-unit {"key": "story:lead", "version": 3, "author": "甲 on desk-3", ...}

so the file still reads as YAML and the line numbers of its mistakes are the
file's own.  The key in that comment is the authority; the file name is only
made from it (``file_name``), so odd ids (quotes, slashes, ``..``, names
differing only in case on a case-insensitive share) never collide or leave the
folder.

**Check-outs** are lock files with ``layout.lockfile``'s semantics: the holder
is named; a lock whose process is gone from this machine is cleared by the next
check-out; a lock from another machine whose heartbeat (the file's mtime,
refreshed every few minutes while the desk runs) is older than
``lockfile.STALE_HOURS`` is reported ``stale`` and removed only by
``break_checkout``.

**Commits** take ``commit.lock`` (a lock of a process gone from this machine,
or older than ``COMMIT_LOCK_STALE`` seconds from another, is cleared), check
check-outs and versions, write the new files under ``tmp/``, then write
``intent.json`` naming every rename and removal — the commit point — then
rename, append to the journal and remove the intent.  A commit killed before
the intent leaves only temporaries (discarded later); one killed after it is
finished by whoever next opens, reads or commits.  Readers never see half a
commit: they read while no intent exists and the journal did not grow.

The change feed's cursor is a byte offset into ``journal.jsonl``; ``wait``
polls its size every 0.2 s.  A folder that cannot be written opens read-only.
"""
from __future__ import annotations

import contextlib
import dataclasses
import errno
import hashlib
import json
import os
import re
import socket
import threading
import time
import unicodedata
import uuid
from pathlib import Path
from typing import Callable

from common.fs import atomic_write, fsync_dir
from layout import lockfile
from layout.lockfile import LockInfo

from .base import (ISSUE_UNIT, Change, CommitRefused, Conflict, Desk, HeldElsewhere, Holder,
                   ReadOnly, Store, StoreError, UnitDoc, UnitInfo, UnitKey)

FORMAT = "banmian-folder-store"
FORMAT_VERSION = 1
MARK = "  # banmian-unit "           # the header comment on a unit's first line
OWN_LINE = "# banmian-unit "         # ... or on a line of its own (texts not starting "key: x")
HEARTBEAT = 300.0                    # seconds between check-out heartbeats
COMMIT_LOCK_STALE = 120.0            # a commit lock from another machine older than this is dead
COMMIT_LOCK_WAIT = 30.0              # how long a commit waits for another desk's commit
POLL = 0.2                           # ``wait``'s polling interval

#: Called at each step of a commit with the step's name ("tmp", "intent", "renamed",
#: "journal"): the crash tests raise or kill the process there.
_hook: Callable[[str], None] | None = None

_SIMPLE_FIRST_LINE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*: *[A-Za-z0-9_.+-]* *")
_KEEP = set("abcdefghijklmnopqrstuvwxyz0123456789-_")
_RESERVED = {"con", "prn", "aux", "nul", "clock$"} | {f"{d}{i}" for d in ("com", "lpt")
                                                    for i in range(10)}
_MAX_NAME = 150                      # bytes of an encoded name before it is shortened


# ---------------------------------------------------------------- file names
def _keep_raw(c: str) -> bool:
    """Characters a file name may hold as they are: lower-case ASCII letters, digits, - _,
    and caseless letters (汉字…) that no file system folds or normalises into another."""
    if c in _KEEP:
        return True
    if ord(c) < 128 or unicodedata.category(c) != "Lo":
        return False
    if 0x1100 <= ord(c) <= 0x11FF or 0x3130 <= ord(c) <= 0x318F or \
            0xA960 <= ord(c) <= 0xA97F or 0xD7B0 <= ord(c) <= 0xD7FF or \
            0xAC00 <= ord(c) <= 0xD7A3:               # Hangul: composed and decomposed forms
        return False
    return unicodedata.normalize("NFD", c) == c and unicodedata.normalize("NFKC", c) == c


def encode_name(name: str) -> str:
    """A unit name as a file name: percent-encoding (lower-case hex) of everything but
    ``_keep_raw`` characters, so names differing in case, in Unicode normalisation, or
    holding ``/ \\ . : " '`` never meet; Windows' reserved names get their first letter
    encoded; very long names are cut and end in ``~`` and a hash of the whole name."""
    out = "".join(c if _keep_raw(c) else "".join(f"%{b:02x}" for b in c.encode("utf-8"))
                  for c in name)
    if out.split("%2e")[0] in _RESERVED or out in _RESERVED:
        out = f"%{ord(out[0]):02x}" + out[1:]
    if len(out.encode("utf-8")) > _MAX_NAME:
        digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:20]
        cut = out.encode("utf-8")[:_MAX_NAME - 30].decode("utf-8", "ignore")
        cut = re.sub(r"%[0-9a-f]?$", "", cut)
        out = f"{cut}~{digest}"
    return out


def decode_name(stem: str) -> str | None:
    """The unit name a file name was made from; None for a shortened (hashed) name."""
    if "~" in stem:
        return None
    import urllib.parse
    return urllib.parse.unquote(stem, errors="strict") if "%" in stem else stem


def file_name(key: UnitKey) -> str:
    """Where a unit lives, relative to the issue folder."""
    if key.kind == "issue":
        return "settings.yaml"
    return f"{'pages' if key.kind == 'page' else 'stories'}/{encode_name(key.name)}.yaml"


def _lock_name(key: UnitKey) -> str:
    return "issue" if key.kind == "issue" else f"{key.kind}.{encode_name(key.name)}"


# ---------------------------------------------------------------- unit files
def pack(info: UnitInfo, text: str) -> bytes:
    """A unit file's bytes: the text with the header comment on its first line."""
    head = json.dumps({"key": str(info.key), "version": info.version, "author": info.author,
                       "time": round(info.time, 3)}, ensure_ascii=False)
    first, nl, rest = text.partition("\n")
    if _SIMPLE_FIRST_LINE.fullmatch(first):
        return (first + MARK + head + nl + rest).encode("utf-8")
    return (OWN_LINE + head + "\n" + text).encode("utf-8")


def unpack(data: bytes) -> tuple[dict | None, str]:
    """(header, text) of a unit file's bytes; header None when there is none that reads."""
    s = data.decode("utf-8", errors="replace")
    first, nl, rest = s.partition("\n")
    try:
        if first.startswith(OWN_LINE):
            head = json.loads(first[len(OWN_LINE):])
            text = rest
        elif MARK in first:
            before, _, after = first.partition(MARK)
            head = json.loads(after)
            text = before + nl + rest
        else:
            return None, s
    except ValueError:
        return None, s
    if not isinstance(head, dict) or not isinstance(head.get("key"), str):
        return None, s
    return head, text


def _info_of(head: dict | None, key: UnitKey, mtime: float) -> UnitInfo:
    if head is None:                      # a file put there by hand: version 1 by nobody known
        return UnitInfo(key, 1, "", mtime)
    v = head.get("version")
    t = head.get("time")
    return UnitInfo(key, v if isinstance(v, int) and v > 0 else 1,
                    str(head.get("author") or ""),
                    float(t) if isinstance(t, (int, float)) else mtime)


# ---------------------------------------------------------------- lock files
@dataclasses.dataclass(frozen=True)
class UnitLockInfo(LockInfo):
    """A check-out lock's facts: ``layout.lockfile``'s, with the desk's session and the unit."""
    session: str = ""
    unit: str = ""


def _read_lock(path: Path) -> tuple[UnitLockInfo | None, float | None]:
    """(facts, heartbeat) of a lock file; (None, None) when there is none."""
    return lockfile.read_lock(path, UnitLockInfo)


def _holder(info: UnitLockInfo | None, beat: float, *, stale_hours: float) -> Holder:
    if info is None:                    # a lock file that does not read: someone's, unknown
        return Holder("someone", "?", 0, "", beat, stale=time.time() - beat > 10.0)
    stale = info.host != socket.gethostname() and time.time() - beat > stale_hours * 3600
    return Holder(info.user, info.host, info.pid, info.session, info.time, stale=stale)


def _same(a: Holder, b: Holder) -> bool:
    return (a.user, a.host, a.pid, a.session, a.since) == (b.user, b.host, b.pid, b.session,
                                                           b.since)


# ---------------------------------------------------------------- the store
class FolderStore(Store):
    """One issue folder seen by one desk."""

    def __init__(self, path: str | os.PathLike, desk: Desk | None = None, *,
                 create: bool = False, read_only: bool = False,
                 stale_hours: float = lockfile.STALE_HOURS):
        self.root = Path(path)
        self.desk = desk or Desk.here()
        self.address = str(path)
        self.stale_hours = stale_hours
        self.meta = self.root / ".banmian"
        self.journal = self.meta / "journal.jsonl"
        self.intent = self.meta / "intent.json"
        self._held: dict[UnitKey, str] = {}          # unit → token of our lock
        self._guard = threading.RLock()
        self._beat_stop = threading.Event()
        self._beat_thread: threading.Thread | None = None
        self._seen = -1
        self._closed = False
        marker = self.meta / "store.json"
        if not self.root.exists():
            if not create:
                raise StoreError(f"{self.address}: no such issue folder (make one with "
                                 f"'store init' or 'store push')")
            try:
                self.root.mkdir(parents=True)
            except OSError as exc:
                raise StoreError(f"{self.address}: cannot create the issue folder: "
                                 f"{exc.strerror or exc}") from None
        if not self.root.is_dir():
            raise StoreError(f"{self.address}: not a folder")
        if not marker.exists():
            if create and any(self.root.glob("*.yaml")):
                raise StoreError(f"{self.address}: holds .yaml files but is not an issue "
                                 f"folder; make the store in a new or empty folder")
            if not create:
                if (self.root / "issue.yaml").exists() or any(self.root.glob("*.yaml")):
                    raise StoreError(f"{self.address}: a folder with issue files, not an issue "
                                     f"store (open the .yaml file itself, or copy it into a "
                                     f"store with 'store push FILE.yaml FOLDER')")
                raise StoreError(f"{self.address}: cannot read it as an issue: a folder, not "
                                 f"an issue folder (no .banmian/store.json; make one with "
                                 f"'store init', or give an issue .yaml file)")
            try:
                self._make()
            except OSError as exc:
                raise StoreError(f"{self.address}: cannot make an issue folder here: "
                                 f"{exc.strerror or exc}") from None
        else:
            try:
                mark = json.loads(marker.read_text("utf-8"))
            except (OSError, ValueError):
                raise StoreError(f"{marker}: does not read (not a Banmian issue folder?)") \
                    from None
            if not isinstance(mark, dict) or mark.get("format") != FORMAT:
                raise StoreError(f"{marker}: not a Banmian issue folder")
            if not isinstance(mark.get("version"), int) or mark["version"] > FORMAT_VERSION:
                raise StoreError(f"{marker}: made by a newer Banmian (folder format "
                                 f"{mark.get('version')!r}; this one reads {FORMAT_VERSION})")
        self.folder_read_only = not self._writable()
        self.read_only = read_only or self.folder_read_only
        if not self.folder_read_only and self.intent.exists():
            self._recover()

    # ---------------------------------------------------------- setup
    def _make(self) -> None:
        for d in ("pages", "stories", ".banmian/locks", ".banmian/tmp", ".banmian/gone"):
            (self.root / d).mkdir(parents=True, exist_ok=True)
        if not self.journal.exists():
            with open(self.journal, "ab"):
                pass
        marker = self.meta / "store.json"
        if not marker.exists():
            atomic_write(marker, (json.dumps({"format": FORMAT, "version": FORMAT_VERSION},
                                             indent=1) + "\n").encode())

    def _writable(self) -> bool:
        return all(os.access(p, os.W_OK) for p in
                   (self.root, self.meta, self.meta / "locks", self.meta / "tmp",
                    self.root / "pages", self.root / "stories") if p.exists()) \
            and os.access(self.journal, os.W_OK)

    def where(self, address: str, key: UnitKey) -> str:
        """How a unit is named in messages: its file's path."""
        return str(self._path_of(key))

    def _path_of(self, key: UnitKey) -> Path:
        return self.root / file_name(key)

    # ---------------------------------------------------------- reading
    def _files(self, keys) -> list[tuple[Path, str, UnitKey | None]]:
        """(path, kind, the key asked for) of the unit files to read: those of ``keys``, or
        every file in the folder (key None: the file's header says)."""
        if keys is not None:
            return [(self._path_of(k), k.kind, k) for k in dict.fromkeys(keys)]
        files: list[tuple[Path, str, UnitKey | None]] = [
            (self.root / "settings.yaml", "issue", None)]
        for sub, kind in (("pages", "page"), ("stories", "story")):
            try:
                names = sorted(os.listdir(self.root / sub))
            except FileNotFoundError:
                names = []
            except OSError as exc:
                raise StoreError(f"{self.root / sub}: cannot be read: {exc.strerror}") from None
            files += [(self.root / sub / n, kind, None) for n in names
                      if n.endswith(".yaml") and not n.startswith(".")]
        return files

    def _scan(self, keys=None, head_only: bool = False, overlay: dict | None = None
              ) -> dict[UnitKey, tuple[Path, UnitInfo, str]]:
        """Unit files: key → (path, info, text), as the folder is now.  ``overlay``: a
        commit's intent seen as done (relative path → its new file, or None: removed)."""
        out: dict[UnitKey, tuple[Path, UnitInfo, str]] = {}
        files = self._files(keys)
        if overlay and keys is None:          # new units of the commit not renamed yet
            listed = {p for p, _k, _w in files}
            for rel, tmp in overlay.items():
                kind = "issue" if "/" not in rel else ("page" if rel.startswith("pages/")
                                                       else "story")
                if tmp is not None and self.root / rel not in listed:
                    files.append((self.root / rel, kind, None))
        for path, kind, asked in files:
            sources = [path]
            if overlay:
                rel = path.relative_to(self.root).as_posix()
                if rel in overlay:
                    if overlay[rel] is None:
                        continue
                    sources = [overlay[rel], path]
            data = None
            for src in sources:
                try:
                    with open(src, "rb") as fh:
                        mtime = os.fstat(fh.fileno()).st_mtime
                        data = fh.read(4096) if head_only else fh.read()
                    break
                except FileNotFoundError:
                    continue
                except OSError as exc:
                    raise StoreError(f"{src}: cannot be read: {exc.strerror}") from None
            if data is None:
                continue
            head, text = unpack(data)
            key = None
            if head is not None:
                with contextlib.suppress(ValueError):
                    key = UnitKey.parse(head["key"])
                if key is not None and key.kind != kind:
                    key = None
            if asked is not None:
                if key is not None and key != asked:
                    continue              # another unit's file (a shortened name's twin)
                key = asked
            elif key is None:
                if kind == "issue":
                    key = ISSUE_UNIT
                else:
                    name = decode_name(path.name[:-len(".yaml")])
                    if not name:
                        continue          # a shortened name without its header: whose?
                    key = UnitKey(kind, name)         # type: ignore[arg-type]
            info = _info_of(head, key, mtime)
            if key in out and out[key][0] == self._path_of(key):
                continue                  # a copy under another name: the proper file wins
            out[key] = (path, info, "" if head_only else text)
        return out

    def _overlay(self) -> tuple[str | None, dict | None]:
        """(tx, overlay) of the commit being applied now; (None, None) when there is none."""
        try:
            intent = json.loads(self.intent.read_text("utf-8"))
            ops = intent["ops"]
            return str(intent.get("tx")), {
                op["dst"]: (self.root / op["tmp"] if op["op"] == "put" else None) for op in ops}
        except FileNotFoundError:
            return None, None
        except (OSError, ValueError, KeyError, TypeError):
            return "?", None

    def _consistent(self, keys=None, head_only: bool = False
                    ) -> dict[UnitKey, tuple[Path, UnitInfo, str]]:
        """``_scan`` of one state: no commit was applied while it read, or the one being
        applied (by a desk that died, in a folder this desk cannot write) is seen as done.
        After a few tries under a stream of commits, it reads under the commit lock."""
        for attempt in range(200):
            if attempt == 5 and not self.folder_read_only:
                with self._guard, self._commit_lock():
                    self._recover_locked()
                    return self._scan(keys, head_only)
            tx, overlay = self._overlay()
            if tx is not None and not self.folder_read_only:
                self._recover()           # finish it (waits for a live committer)
                continue
            size = self._journal_size()
            got = self._scan(keys, head_only, overlay)
            if self._overlay()[0] == tx and self._journal_size() == size:
                return got
            time.sleep(0.002 * attempt)
        raise StoreError(f"{self.address}: commits do not stop changing the folder while it "
                         f"is read; try again")

    def units(self) -> dict[UnitKey, UnitInfo]:
        return {k: info for k, (_p, info, _t) in self._consistent(head_only=True).items()}

    def read(self, keys=None) -> dict[UnitKey, UnitDoc]:
        got = self._consistent(None if keys is None else list(keys))
        return {k: UnitDoc(info, text) for k, (_p, info, text) in got.items()}

    def _current(self, key: UnitKey) -> UnitInfo | None:
        """The unit's info now (under the commit lock): from its file, else None."""
        path = self._path_of(key)
        try:
            with open(path, "rb") as fh:
                mtime = os.fstat(fh.fileno()).st_mtime
                head, _ = unpack(fh.read(4096))
        except FileNotFoundError:
            return None
        if head is not None and head.get("key") != str(key):
            raise CommitRefused(f"{key.describe()}: its file {path} holds "
                                f"{head.get('key')!r}; move that file away")
        return _info_of(head, key, mtime)

    def _gone(self, key: UnitKey) -> UnitInfo | None:
        try:
            d = json.loads((self.meta / "gone" / f"{_lock_name(key)}.json").read_text("utf-8"))
            return UnitInfo(key, int(d["version"]), str(d.get("author", "")),
                            float(d.get("time", 0.0)), deleted=True)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    # ---------------------------------------------------------- committing
    def commit(self, changes: list[Change]) -> dict[UnitKey, UnitInfo]:
        if not changes:
            return {}
        if self.read_only:
            why = (f"the folder {self.address} cannot be written" if self.folder_read_only
                   else "this desk opened the issue read-only")
            raise ReadOnly(changes[0].key, why)
        if len({c.key for c in changes}) != len(changes):
            raise CommitRefused("a commit names the same unit twice")
        with self._guard, self._commit_lock():
            self._recover_locked()
            now = time.time()
            author = self.desk.describe()
            plan: list[tuple[Change, UnitInfo]] = []
            for ch in changes:
                h = self._holder_of(ch.key)
                if h is not None and not h.is_desk(self.desk):
                    raise HeldElsewhere(ch.key, h)
                cur = self._current(ch.key)
                version = cur.version if cur is not None else 0
                if version != ch.base:
                    raise Conflict(ch.key, ch.base, cur if cur is not None else self._gone(ch.key))
                if ch.text is None and cur is None:
                    raise CommitRefused(f"{ch.key.describe()} does not exist")
                if cur is None:
                    gone = self._gone(ch.key)
                    version = gone.version if gone is not None else 0
                plan.append((ch, UnitInfo(ch.key, version + 1, author, now,
                                          deleted=ch.text is None)))
            self._apply_new(plan)
            self._touch_held()
            return {ch.key: info for ch, info in plan}

    def _apply_new(self, plan: list[tuple[Change, UnitInfo]]) -> None:
        tx = uuid.uuid4().hex
        tmpdir = self.meta / "tmp"
        ops, made = [], []
        try:
            for i, (ch, info) in enumerate(plan):
                dst = file_name(ch.key)
                if ch.text is None:
                    ops.append({"op": "del", "dst": dst, "gone": _lock_name(ch.key),
                                "version": info.version, "author": info.author,
                                "time": info.time})
                    continue
                tmp = tmpdir / f"{tx}.{i}.yaml"
                _write_new(tmp, pack(info, ch.text))
                made.append(tmp)
                ops.append({"op": "put", "tmp": f".banmian/tmp/{tmp.name}", "dst": dst})
            _step("tmp")
            feed = [{"key": str(info.key), "version": info.version, "author": info.author,
                     "time": info.time, "deleted": info.deleted, "tx": tx} for _, info in plan]
            atomic_write(self.intent, json.dumps({"tx": tx, "ops": ops, "feed": feed},
                                                 ensure_ascii=False).encode("utf-8"))
        except BaseException:
            for t in made:
                with contextlib.suppress(OSError):
                    t.unlink()
            raise
        # the commit point is passed: from here on it completes, now or at the next open
        _step("intent")
        try:
            self._replay()
        except OSError as exc:
            raise StoreError(f"{self.address}: the commit was interrupted "
                             f"({exc.strerror or exc}); it is finished when the folder is "
                             f"next opened") from None

    def _replay(self) -> None:
        """Finish the commit named by the intent file (idempotent); then remove it."""
        try:
            intent = json.loads(self.intent.read_text("utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError):
            # an intent that does not read was never completely written (atomic_write):
            # impossible but for damage; the commit did not happen
            with contextlib.suppress(OSError):
                self.intent.unlink()
            return
        for op in intent.get("ops", []):
            dst = self.root / op["dst"]
            if op["op"] == "put":
                tmp = self.root / op["tmp"]
                try:
                    os.replace(tmp, dst)
                except FileNotFoundError:
                    pass                       # renamed before the crash
            else:
                atomic_write(self.meta / "gone" / f"{op['gone']}.json",
                             json.dumps({k: op[k] for k in ("version", "author", "time")},
                                        ensure_ascii=False).encode("utf-8"))
                with contextlib.suppress(FileNotFoundError):
                    dst.unlink()
            _step("renamed")
        fsync_dir(self.root / "pages")
        fsync_dir(self.root / "stories")
        fsync_dir(self.root)
        self._append_feed(intent.get("tx", ""), intent.get("feed", []))
        _step("journal")
        self.intent.unlink()
        fsync_dir(self.meta)

    def _append_feed(self, tx: str, feed: list[dict]) -> None:
        with open(self.journal, "rb+") as fh:
            size = fh.seek(0, os.SEEK_END)
            tail = b""
            if size:
                fh.seek(max(0, size - 65536))
                tail = fh.read()
            if tx and f'"tx": "{tx}"'.encode() in tail:
                return                         # appended before the crash
            if tail and not tail.endswith(b"\n"):       # a line cut by a crash: drop it
                cut = tail.rfind(b"\n")
                fh.truncate(size - len(tail) + cut + 1 if cut >= 0 else
                            max(0, size - len(tail)))
            fh.seek(0, os.SEEK_END)
            fh.write(b"".join(json.dumps(e, ensure_ascii=False).encode("utf-8") + b"\n"
                              for e in feed))
            fh.flush()
            os.fsync(fh.fileno())

    def _recover(self) -> None:
        """Finish a commit a crashed desk left half applied (takes the commit lock)."""
        try:
            with self._guard, self._commit_lock():
                self._recover_locked()
        except OSError:
            pass

    def _recover_locked(self) -> None:
        if self.intent.exists():
            self._replay()
        now = time.time()
        tmpdir = self.meta / "tmp"
        try:
            names = os.listdir(tmpdir)
        except OSError:
            return
        for n in names:                  # temporaries of commits killed before their intent
            p = tmpdir / n
            with contextlib.suppress(OSError):
                if now - p.stat().st_mtime > 60.0:
                    p.unlink()

    @contextlib.contextmanager
    def _commit_lock(self):
        lock = self.meta / "commit.lock"
        info = self._lock_info("commit")
        deadline = time.monotonic() + COMMIT_LOCK_WAIT
        delay = 0.002
        while True:
            try:
                if lockfile._create(lock, info):
                    break
            except OSError as exc:
                if exc.errno in (errno.EACCES, errno.EROFS, errno.EPERM):
                    raise StoreError(f"{self.address}: cannot be written "
                                     f"({exc.strerror})") from None
                raise
            held, beat = _read_lock(lock)
            if beat is None:
                continue
            age = time.time() - beat
            if held is not None and held.process_gone() or \
                    (held is None or held.host != socket.gethostname()) and \
                    age > COMMIT_LOCK_STALE:
                lockfile._remove_if(lock, held.token if held else None)
                continue
            if time.monotonic() > deadline:
                who = _holder(held, beat, stale_hours=self.stale_hours).describe()
                raise StoreError(f"{self.address}: another commit (by {who}) holds "
                                 f"{lock} for {age:.0f} s; try again")
            time.sleep(delay)
            delay = min(delay * 2, 0.05)
        try:
            yield
        finally:
            lockfile._remove_if(lock, info.token)

    # ---------------------------------------------------------- check-outs
    def _lock_path(self, key: UnitKey) -> Path:
        return self.meta / "locks" / f"{_lock_name(key)}.lock"

    def _lock_info(self, unit: str) -> UnitLockInfo:
        pid = os.getpid()
        return UnitLockInfo(user=self.desk.user, host=self.desk.host, pid=pid,
                            time=time.time(), app=f"banmian {lockfile.APP_VERSION}",
                            token=uuid.uuid4().hex, boot=lockfile._boot_id(),
                            started=lockfile._start_ticks(pid), session=self.desk.session,
                            unit=unit)

    def _holder_of(self, key: UnitKey) -> Holder | None:
        """Who holds the unit now; clears a lock of a process gone from this machine."""
        lock = self._lock_path(key)
        for _ in range(5):
            held, beat = _read_lock(lock)
            if beat is None:
                return None
            if held is not None and held.process_gone():
                if self.folder_read_only:
                    return None
                lockfile._remove_if(lock, held.token)
                continue
            if held is None and time.time() - beat < 10.0:
                time.sleep(0.02)         # being written by an O_EXCL creator
                continue
            return _holder(held, beat, stale_hours=self.stale_hours)
        return None

    def checkout(self, key: UnitKey) -> Holder | None:
        if self.folder_read_only:
            raise ReadOnly(key, f"the folder {self.address} cannot be written")
        lock = self._lock_path(key)
        with self._guard:
            for _ in range(5):
                info = self._lock_info(str(key))
                try:
                    if lockfile._create(lock, info):
                        self._held[key] = info.token
                        self._start_heartbeat()
                        return None
                except FileNotFoundError:
                    (self.meta / "locks").mkdir(parents=True, exist_ok=True)
                    continue
                h = self._holder_of(key)
                if h is None:
                    continue                 # released or cleared meanwhile: try again
                if h.is_desk(self.desk):
                    held, _ = _read_lock(lock)
                    if held is not None:
                        self._held[key] = held.token
                    return None
                return h
            return self._holder_of(key)

    def release(self, key: UnitKey) -> None:
        with self._guard:
            lock = self._lock_path(key)
            held, _ = _read_lock(lock)
            if held is not None and held.session == self.desk.session:
                lockfile._remove_if(lock, held.token)
            self._held.pop(key, None)

    def holders(self) -> dict[UnitKey, Holder]:
        out = {}
        try:
            names = sorted(os.listdir(self.meta / "locks"))
        except FileNotFoundError:
            return out
        for n in names:
            if not n.endswith(".lock"):
                continue
            held, _ = _read_lock(self.meta / "locks" / n)
            key = None
            if held is not None and held.unit:
                with contextlib.suppress(ValueError):
                    key = UnitKey.parse(held.unit)
            if key is None:
                stem = n[:-len(".lock")]
                kind, _, enc = stem.partition(".")
                name = decode_name(enc) if enc else ""
                with contextlib.suppress(ValueError, TypeError):
                    key = UnitKey(kind, name or "")         # type: ignore[arg-type]
            if key is None:
                continue
            h = self._holder_of(key)
            if h is not None:
                out[key] = h
        return out

    def break_checkout(self, key: UnitKey, holder: Holder) -> bool:
        if self.folder_read_only:
            raise ReadOnly(key, f"the folder {self.address} cannot be written")
        lock = self._lock_path(key)
        held, beat = _read_lock(lock)
        if beat is None:
            return False
        if not _same(_holder(held, beat, stale_hours=self.stale_hours), holder):
            return False
        return lockfile._remove_if(lock, held.token if held is not None else None)

    # ---------------------------------------------------------- heartbeat
    def heartbeat(self) -> list[UnitKey]:
        """Refresh the heartbeat of this desk's check-outs; the units it lost (broken)."""
        lost = []
        with self._guard:
            for key, token in list(self._held.items()):
                lock = self._lock_path(key)
                held, _ = _read_lock(lock)
                if held is None or held.token != token:
                    lost.append(key)
                    del self._held[key]
                    continue
                with contextlib.suppress(OSError):
                    os.utime(lock)
        return lost

    _last_beat = 0.0

    def _touch_held(self) -> None:
        if time.monotonic() - self._last_beat > 60.0:
            self._last_beat = time.monotonic()
            self.heartbeat()

    def _start_heartbeat(self) -> None:
        if self._beat_thread is not None or self._closed:
            return

        def run():
            while not self._beat_stop.wait(HEARTBEAT):
                with contextlib.suppress(Exception):
                    self.heartbeat()
        self._beat_thread = threading.Thread(target=run, name="banmian-heartbeat", daemon=True)
        self._beat_thread.start()

    # ---------------------------------------------------------- the change feed
    def _journal_size(self) -> int:
        try:
            return os.stat(self.journal).st_size
        except FileNotFoundError:
            return 0

    def changes(self, cursor):
        if cursor is None:
            return self._journal_size(), []
        try:
            start = int(cursor)
        except (TypeError, ValueError):
            start = 0
        try:
            with open(self.journal, "rb") as fh:
                size = fh.seek(0, os.SEEK_END)
                if start > size:
                    start = 0                 # the journal was replaced: read it all again
                fh.seek(start)
                data = fh.read()
        except FileNotFoundError:
            return 0, []
        end = data.rfind(b"\n") + 1            # only whole lines
        out = []
        for line in data[:end].splitlines():
            try:
                e = json.loads(line)
                out.append(UnitInfo(UnitKey.parse(e["key"]), int(e["version"]),
                                    str(e.get("author", "")), float(e.get("time", 0.0)),
                                    deleted=bool(e.get("deleted"))))
            except (ValueError, KeyError, TypeError):
                continue
        return start + end, out

    def wait(self, timeout: float) -> bool:
        deadline = time.monotonic() + max(0.0, timeout)
        while True:
            size = self._journal_size()
            if size != self._seen:
                self._seen = size
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            time.sleep(min(POLL, left))

    def close(self) -> None:
        self._closed = True
        self._beat_stop.set()
        if not self.folder_read_only:
            for key in list(self._held):
                with contextlib.suppress(OSError):
                    self.release(key)
            with contextlib.suppress(OSError, StoreError):
                super().close()


# ---------------------------------------------------------------- helpers
def _write_new(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)


def _step(name: str) -> None:
    if _hook is not None:
        _hook(name)


def is_issue_folder(path: str | os.PathLike) -> bool:
    """Whether ``path`` is an issue folder (holds ``.banmian/store.json``)."""
    return (Path(path) / ".banmian" / "store.json").is_file()


__all__ = ["FolderStore", "file_name", "encode_name", "decode_name", "is_issue_folder",
           "pack", "unpack"]
