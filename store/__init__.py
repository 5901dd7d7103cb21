"""Issue stores: an issue as units of work (settings, one per page, one per story) that
several desks check out, version and commit — in a folder or in PostgreSQL.

- ``store.base``: the interface (Store, UnitKey, Change, Holder, errors);
- ``store.units``: an Issue split into units and joined back;
- ``store.session``: one desk's work on an issue (open, check out, save, refresh);
- ``store.memory``: in one process (the reference the contract tests hold every store to);
- ``store.folder``, ``store.pg``: the real stores.

``parse_address`` tells what a user typed: an ``ISSUE.yaml`` file (the single-file
issue of before, with one lock for all of it), an issue folder, or
``postgresql://USER@HOST/DB#ISSUE``.  ``open_store`` opens the last two.
"""
from __future__ import annotations

import dataclasses
import os
import urllib.parse
from pathlib import Path
from typing import Literal

from .base import Desk, Store, StoreError

AddressKind = Literal["file", "folder", "postgresql"]


@dataclasses.dataclass(frozen=True)
class Address:
    """Where an issue is.  ``target``: the file or folder path, or the connection URL
    without its fragment; ``issue``: the issue's name in a database."""
    kind: AddressKind
    target: str
    issue: str = ""

    def __str__(self) -> str:
        """For messages: never with a password."""
        if self.kind != "postgresql":
            return self.target
        u = urllib.parse.urlsplit(self.target)
        netloc = u.netloc
        if "@" in netloc:
            cred, host = netloc.rsplit("@", 1)
            netloc = cred.split(":", 1)[0] + "@" + host
        frag = urllib.parse.quote(self.issue, safe="")
        return urllib.parse.urlunsplit((u.scheme, netloc, u.path, u.query, "")) + "#" + frag


def parse_address(text: str | os.PathLike) -> Address:
    """What the user typed → Address.  ``StoreError`` for a database URL without an
    issue name (the part after ``#``)."""
    s = os.fspath(text)
    low = s.lower()
    if low.startswith(("postgresql://", "postgres://")):
        base, sep, frag = s.partition("#")
        issue = urllib.parse.unquote(frag)
        if not sep or not issue:
            shown = str(Address("postgresql", base, "-")).rsplit("#", 1)[0]   # no password
            raise StoreError(f"{shown}: name the issue after '#', e.g. {shown}#2026-12-02")
        return Address("postgresql", base, issue)
    p = Path(s)
    if p.is_dir() or s.endswith(("/", os.sep)) or (not p.exists() and not p.suffix):
        return Address("folder", s.rstrip("/") or "/")
    return Address("file", s)


def open_store(address: "str | Address", desk: Desk | None = None, *,
               create: bool = False, read_only: bool = False) -> Store:
    """The store at an address (a folder or a database; ``StoreError`` for a single file).
    ``create``: make the folder / the issue's row when it is not there yet."""
    a = address if isinstance(address, Address) else parse_address(address)
    desk = desk or Desk.here()
    if a.kind == "folder":
        from .folder import FolderStore
        return FolderStore(a.target, desk, create=create, read_only=read_only)
    if a.kind == "postgresql":
        from .pg import PgStore
        return PgStore(a.target, a.issue, desk, create=create, read_only=read_only)
    raise StoreError(f"{a}: a single issue file, not a store (open it as a file, or copy it "
                     f"into a store with 'store push')")
