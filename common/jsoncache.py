"""A persistent JSON map (key → value), loaded on first use and saved atomically."""
from __future__ import annotations

import json
import os
from pathlib import Path

from .fs import atomic_write


class JsonCache:
    """A dict kept in a JSON file; ``path=None`` keeps it in memory only.

    The file is read on the first ``get``/``put``; an unreadable or damaged
    file counts as empty.  ``save`` writes it (atomically, creating its
    folder) only when something was put since the last save.  ``limit``: the
    entries kept at most; a ``put`` when that many are held drops the older half.
    """

    def __init__(self, path: str | os.PathLike | None, limit: int | None = None):
        self.path = Path(path) if path else None
        self.limit = limit
        self._data: dict | None = None
        self._dirty = False
        self._added: dict = {}          # put since the last save (``added``)

    def _load(self) -> dict:
        if self._data is None:
            self._data = {}
            if self.path is not None:
                try:
                    data = json.loads(self.path.read_text("utf-8"))
                except (OSError, ValueError):
                    data = {}
                self._data = data if isinstance(data, dict) else {}
        return self._data

    def get(self, key: str, default=None):
        """The cached value of ``key``, or ``default``."""
        return self._load().get(key, default)

    def put(self, key: str, value):
        """Remember ``value`` for ``key``; returns it."""
        data = self._load()
        if self.limit and key not in data and len(data) >= self.limit:
            for k in list(data)[:self.limit // 2]:         # the older half goes
                del data[k]
        data[key] = value
        self._added[key] = value
        self._dirty = True
        return value

    def added(self) -> dict:
        """The entries put since the last save (what a forked worker hands back)."""
        return dict(self._added)

    def update(self, entries: dict) -> None:
        """``put`` each of ``entries`` (a forked worker's ``added``)."""
        for key, value in entries.items():
            self.put(key, value)

    def __len__(self) -> int:
        return len(self._load())

    def save(self) -> None:
        """Write new entries to the file (atomically); nothing when nothing changed."""
        if not (self._dirty and self.path is not None):
            return
        data = json.dumps(self._data, ensure_ascii=False).encode("utf-8")
        atomic_write(self.path, data, make_dirs=True)
        self._dirty = False
        self._added = {}
