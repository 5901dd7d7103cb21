"""An issue store in one process's memory: the reference for what every store does.

Several ``MemoryStore`` objects on one ``MemoryIssue`` are several desks on one
issue (two editor windows in a test, a desk and a story editor).  Nothing is
kept when the process ends; real newsrooms use ``store.folder`` or ``store.pg``.
"""
from __future__ import annotations

import threading
import time

from .base import (Change, CommitRefused, Conflict, Desk, HeldElsewhere, Holder, ReadOnly,
                   Store, UnitDoc, UnitInfo, UnitKey)


class MemoryIssue:
    """The shared state: units, check-outs and the change log."""

    def __init__(self, name: str = "issue"):
        self.name = name
        self.docs: dict[UnitKey, UnitDoc] = {}
        self.held: dict[UnitKey, Holder] = {}
        self.log: list[UnitInfo] = []             # every commit, in order
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)


class MemoryStore(Store):
    def __init__(self, issue: MemoryIssue, desk: Desk | None = None, *, read_only: bool = False):
        self.shared = issue
        self.desk = desk or Desk.here()
        self.address = f"memory:{issue.name}"
        self.read_only = read_only
        self._seen = 0

    def units(self) -> dict[UnitKey, UnitInfo]:
        with self.shared.lock:
            return {k: d.info for k, d in self.shared.docs.items()}

    def read(self, keys=None) -> dict[UnitKey, UnitDoc]:
        with self.shared.lock:
            docs = self.shared.docs
            if keys is None:
                return dict(docs)
            return {k: docs[k] for k in keys if k in docs}

    def commit(self, changes: list[Change]) -> dict[UnitKey, UnitInfo]:
        sh = self.shared
        with sh.lock:
            for ch in changes:
                if self.read_only:
                    raise ReadOnly(ch.key, "this desk opened the issue read-only")
                h = sh.held.get(ch.key)
                if h is not None and not h.is_desk(self.desk):
                    raise HeldElsewhere(ch.key, h)
                cur = sh.docs.get(ch.key)
                version = cur.version if cur is not None else 0
                if version != ch.base:
                    deleted = next((i for i in reversed(sh.log) if i.key == ch.key), None)
                    raise Conflict(ch.key, ch.base, cur.info if cur is not None else deleted)
                if ch.text is None and cur is None:
                    raise CommitRefused(f"{ch.key.describe()} does not exist")
            now, out = time.time(), {}
            author = self.desk.describe()
            for ch in changes:
                cur = sh.docs.get(ch.key)
                version = (cur.version if cur is not None else
                           max((i.version for i in sh.log if i.key == ch.key), default=0)) + 1
                if ch.text is None:
                    info = UnitInfo(ch.key, version, author, now, deleted=True)
                    del sh.docs[ch.key]
                else:
                    info = UnitInfo(ch.key, version, author, now)
                    sh.docs[ch.key] = UnitDoc(info, ch.text)
                sh.log.append(info)
                out[ch.key] = info
            sh.changed.notify_all()
            return out

    def checkout(self, key: UnitKey) -> Holder | None:
        with self.shared.lock:
            h = self.shared.held.get(key)
            if h is not None and not h.is_desk(self.desk):
                return h
            if h is None:
                d = self.desk
                self.shared.held[key] = Holder(d.user, d.host, d.pid, d.session, time.time())
            return None

    def release(self, key: UnitKey) -> None:
        with self.shared.lock:
            h = self.shared.held.get(key)
            if h is not None and h.is_desk(self.desk):
                del self.shared.held[key]

    def holders(self) -> dict[UnitKey, Holder]:
        with self.shared.lock:
            return dict(self.shared.held)

    def break_checkout(self, key: UnitKey, holder: Holder) -> bool:
        with self.shared.lock:
            if self.shared.held.get(key) == holder:
                del self.shared.held[key]
                return True
            return False

    def changes(self, cursor):
        with self.shared.lock:
            n = len(self.shared.log)
            if cursor is None:
                return n, []
            return n, list(self.shared.log[int(cursor):])

    def wait(self, timeout: float) -> bool:
        with self.shared.lock:
            n = len(self.shared.log)
            if n != self._seen:
                self._seen = n
                return True
            woke = self.shared.changed.wait(timeout)
            self._seen = len(self.shared.log)
            return woke
