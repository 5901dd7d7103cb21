"""Recovery copies per unit for an issue in a store (the desk's autosave).

A desk's unsaved changes are kept unit by unit — the page or story as this desk has it,
with the version (and text) it started from — under the cache folder
(``recovery/desk/<address and user>/<unit>.json``), written a few seconds after the last
change and every minute, and removed when the unit is saved or the window closes
cleanly.

Opening the issue again after a crash offers them.  A unit nobody changed since is
put back as it was (an unsaved change again); a unit someone else saved meanwhile is
never overwritten: a story is merged with their version when the changes do not
overlap, else kept beside it as a new story; a page or the settings keep their version
and the copy stays on disk, named.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
import weakref
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from common.proc import pid_alive
from layout.docfile import DocumentError, atomic_write
from store.base import StoreError, UnitKey
from store.merge import MergeClash, merge_story_units

from .autosave import save_timers
from .i18n import tr

#: desk sessions of this process with a window open (their copies are not offered)
_LIVE: "weakref.WeakSet" = weakref.WeakSet()


def folder_of(cache: str, address: str, user: str) -> Path:
    h = hashlib.sha1(f"{address}\n{user}".encode("utf-8")).hexdigest()[:16]
    return Path(cache) / "recovery" / "desk" / h


def _file(folder: Path, key: UnitKey) -> Path:
    return folder / (hashlib.sha1(str(key).encode("utf-8")).hexdigest()[:20] + ".json")


class DeskAutosaver(QObject):
    """Writes one recovery copy per changed unit; the same face as ``Autosaver`` for the
    main window (``save_now``, ``discard``, ``stop``, ``path``, ``saved``)."""

    saved = Signal(str)

    def __init__(self, doc, cache: str, interval_ms: int = 60_000, quiet_ms: int = 3_000,
                 parent=None):
        super().__init__(parent)
        self.doc = doc
        ds = doc.desk
        self.folder = folder_of(cache, ds.address, ds.store.desk.user)
        _LIVE.add(ds)
        self._live = True
        self._written: dict[UnitKey, str] = {}
        self.timer, self.quiet = save_timers(self, interval_ms, quiet_ms)
        doc.undo.indexChanged.connect(self._command)
        doc.saved_units.connect(lambda _k: self.save_now())
        doc.destroyed.connect(self.stop)

    @property
    def path(self) -> Path:
        return self.folder

    def _command(self, _index: int) -> None:
        if self._live:
            self.quiet.start()

    def save_now(self) -> bool:
        """Write the copies of units with unsaved changes; remove those of units saved
        since.  True when something was written."""
        if not self._live or self.doc.desk is None or self.doc.desk.closed:
            return False
        ds = self.doc.desk
        try:
            pending = ds.session.pending(self.doc.issue)
        except (DocumentError, ValueError):
            return False
        wrote = False
        keep = set()
        for ch in pending:
            if ch.text is None:
                continue
            keep.add(ch.key)
            if self._written.get(ch.key) == ch.text:
                continue
            base = ds.session.base.get(ch.key)
            rec = {"address": ds.address, "unit": str(ch.key), "base": ch.base,
                   "base_text": base.text if base is not None else "",
                   "text": ch.text, "time": time.time(), "pid": os.getpid(),
                   "session": ds.store.desk.session}
            self.folder.mkdir(parents=True, exist_ok=True)
            atomic_write(_file(self.folder, ch.key),
                         json.dumps(rec, ensure_ascii=False).encode("utf-8"))
            self._written[ch.key] = ch.text
            wrote = True
        for key in set(self._written) - keep:
            _file(self.folder, key).unlink(missing_ok=True)
            del self._written[key]
        if wrote:
            self.saved.emit(str(self.folder))
        return wrote

    def discard(self) -> None:
        """Remove this desk's copies (a clean close)."""
        for key in list(self._written):
            _file(self.folder, key).unlink(missing_ok=True)
        self._written.clear()

    def stop(self, *_args) -> None:
        self._live = False
        self.timer.stop()
        self.quiet.stop()


def copies(cache: str, address: str, user: str) -> list[dict]:
    """Recovery copies of this issue left by desks that are gone (a crash)."""
    folder = folder_of(cache, address, user)
    live = {ds.store.desk.session for ds in list(_LIVE) if not ds.closed}
    out = []
    for f in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            rec = json.loads(f.read_text("utf-8"))
            rec["file"] = str(f)
            rec["key"] = UnitKey.parse(rec["unit"])
        except (OSError, ValueError, KeyError):
            continue
        if rec.get("address") != address or rec.get("session") in live:
            continue
        pid = int(rec.get("pid", 0))
        if pid != os.getpid() and pid_alive(pid):
            continue                           # a desk still running on this machine
        out.append(rec)
    return out


def describe(recs: list[dict], doc) -> str:
    """The question's list: each unit, and whether someone changed it since."""
    from .desk import describe_author, describe_unit
    lines = []
    units = doc.desk.store.units()
    for r in recs:
        cur = units.get(r["key"])
        name = describe_unit(r["key"], doc.issue)
        if cur is not None and cur.version != r["base"]:
            lines.append(tr("desk.recover.newer", unit=name, who=describe_author(cur.author),
                            version=cur.version))
        else:
            lines.append(name)
    return "\n".join(lines)


def recover(doc, recs: list[dict]) -> list[str]:
    """Put the copies back into the open document, never over someone's newer version;
    what happened to each, for the user.  The copies used are removed."""
    from .desk import copy_story_id, describe_holder, describe_unit, put_units, story_copy
    ds = doc.desk
    out: list[str] = []
    try:
        current = ds.store.read([r["key"] for r in recs])
    except StoreError as exc:
        return [str(exc)]
    texts, bases, done, copies_made = {}, {}, [], []
    for r in recs:
        key, name = r["key"], describe_unit(r["key"], doc.issue)
        h = ds.others.get(key)
        if h is not None:
            out.append(tr("desk.recover.held", unit=name, who=describe_holder(h)))
            continue
        cur = current.get(key)
        version = cur.version if cur is not None else 0
        if version == r["base"]:
            texts[key] = r["text"]
            done.append(r)
            out.append(name)
        elif key.kind == "story" and cur is not None:
            try:
                texts[key] = merge_story_units(r["base_text"] or cur.text, r["text"], cur.text)
                bases[key] = cur
                out.append(tr("desk.recover.merged", unit=name))
            except (MergeClash, DocumentError):
                copies_made.append((key, r["text"]))
            done.append(r)
        else:
            out.append(tr("desk.recover.kept", unit=name, path=r["file"]))
    why, _taken = ds.claim(set(texts), doc.issue) if texts else ("", [])
    if why:
        return [why]
    if texts:
        try:
            put_units(ds.session, doc.issue, texts, bases)
        except DocumentError as exc:
            return [str(exc)]
    from layout.docfile import parse_unchecked
    for key, text in copies_made:
        try:
            part, _ = parse_unchecked(text, str(key))
            mine = next(iter(part.stories.values()))
        except (DocumentError, StopIteration):
            continue
        sid = copy_story_id(doc.issue, key.name)
        doc.issue.stories[sid] = story_copy(mine, sid)
        out.append(tr("desk.recover.copy", unit=describe_unit(key, doc.issue), sid=sid))
    if texts or copies_made:
        doc.recovered = True
        doc.composer.invalidate_styles()
        doc.result = doc.composer.compose()
    for r in done:
        Path(r["file"]).unlink(missing_ok=True)
    return out


__all__ = ["DeskAutosaver", "copies", "recover", "describe", "folder_of"]
