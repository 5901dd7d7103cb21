"""What every issue store is: units of work with versions, check-outs and change feeds.

An issue in a store is a set of **units**, each a small YAML document of its own
(``store.units`` splits an Issue into them and joins them back):

- ``issue`` — the settings: info, paper, fonts, colours, styles, layers, masters;
- ``page:<id>`` — one page (版): its number, section, guides and frames;
- ``story:<id>`` — one story: text, headline, byline, credit, thread.

Every unit has a **version** (1 on creation, +1 on every commit) and the name of
the desk that committed it.  A desk **checks out** a unit to work on it — laying
out a page checks out the page, editing a story's text checks out the story — and
at most one desk holds a unit at a time.  A **commit** writes several units at
once, all or none, and is refused when

- another desk holds one of them (``HeldElsewhere``), or
- one of them is newer in the store than the version the desk started from
  (``Conflict``, naming who committed the newer version), or
- the desk may not write such units (``ReadOnly``: a read-only role or folder).

Units nobody holds can be committed by anyone who read their current version
(optimistic versions); check-out only keeps others away while one works.

Each store keeps a **change feed**: ``changes(cursor)`` lists the units
committed (or deleted) since the cursor, so an open editor reloads what others
saved; ``wait(timeout)`` sleeps until a change may have happened (PostgreSQL:
LISTEN/NOTIFY; a folder: polling).

Implementations: ``store.memory`` (one process; the reference for the contract
tests), ``store.folder`` (a folder on a disk or a shared network folder),
``store.pg`` (PostgreSQL).  ``store.open_store(address)`` picks one by address.
"""
from __future__ import annotations

import abc
import dataclasses
import getpass
import os
import socket
import time
import uuid
from typing import Literal

UnitKind = Literal["issue", "page", "story"]
KINDS: tuple[str, ...] = ("issue", "page", "story")


@dataclasses.dataclass(frozen=True, order=True)
class UnitKey:
    """Which unit: ``UnitKey("issue")``, ``UnitKey("page", "p3")``, ``UnitKey("story", "lead")``.

    ``name`` is any text a user gave (a story id may hold quotes, semicolons or
    slashes); stores keep it as data, never as SQL or a path.
    """
    kind: UnitKind
    name: str = ""

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown unit kind {self.kind!r} (known: {', '.join(KINDS)})")
        if (self.kind == "issue") != (self.name == ""):
            raise ValueError("the issue unit has no name; page and story units need one")

    def __str__(self) -> str:
        return self.kind if self.kind == "issue" else f"{self.kind}:{self.name}"

    @classmethod
    def parse(cls, text: str) -> "UnitKey":
        """``str(key)`` back to the key."""
        kind, _, name = text.partition(":")
        return cls(kind, name)         # type: ignore[arg-type]

    def describe(self) -> str:
        """For messages: "the issue settings", "page p3", "story 'lead'"."""
        if self.kind == "issue":
            return "the issue settings"
        return f"page {self.name}" if self.kind == "page" else f"story '{self.name}'"


ISSUE_UNIT = UnitKey("issue")


@dataclasses.dataclass(frozen=True)
class Desk:
    """Who is working: a person at one program on one machine (one editor window, one
    CLI run).  ``session`` tells two programs of the same person apart."""
    user: str
    host: str
    pid: int
    session: str
    app: str = "banmian"

    @classmethod
    def here(cls, user: str | None = None) -> "Desk":
        """This process: the user from ``BANMIAN_USER`` or the login name."""
        if user is None:
            user = os.environ.get("BANMIAN_USER") or _login()
        return cls(user=user, host=socket.gethostname(), pid=os.getpid(),
                   session=uuid.uuid4().hex[:12])

    def describe(self) -> str:
        return f"{self.user} on {self.host}"


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@dataclasses.dataclass(frozen=True)
class UnitInfo:
    """A unit's place in the store: its version and who committed it when.
    ``version`` 0 with ``deleted``: the unit was removed."""
    key: UnitKey
    version: int
    author: str = ""              # "user on host" of the desk that committed it
    time: float = 0.0             # seconds since the epoch
    deleted: bool = False


@dataclasses.dataclass(frozen=True)
class UnitDoc:
    """A unit as read: its info and its YAML text."""
    info: UnitInfo
    text: str

    @property
    def key(self) -> UnitKey:
        return self.info.key

    @property
    def version(self) -> int:
        return self.info.version


@dataclasses.dataclass(frozen=True)
class Holder:
    """Who holds a unit checked out, since when.  ``stale``: a holder on another machine
    whose heartbeat stopped long ago; only ``break_checkout`` (asked for by a person)
    takes the unit from it."""
    user: str
    host: str
    pid: int = 0
    session: str = ""
    since: float = 0.0
    stale: bool = False

    def describe(self) -> str:
        when = time.strftime("%H:%M", time.localtime(self.since)) if self.since else ""
        return f"{self.user} on {self.host}" + (f" since {when}" if when else "") + \
            (" (no sign of life for hours)" if self.stale else "")

    def is_desk(self, desk: Desk) -> bool:
        return self.session == desk.session


@dataclasses.dataclass(frozen=True)
class Change:
    """One unit of a commit: new text (None: delete it) on top of ``base`` (the version
    the desk read; 0 for a unit it creates)."""
    key: UnitKey
    text: str | None
    base: int


# ---------------------------------------------------------------- errors
class StoreError(Exception):
    """A store that cannot be used (unreachable server, unreadable folder, no such issue)."""


class CommitRefused(StoreError):
    """A commit that was not made; nothing of it was written."""
    key: UnitKey


class Conflict(CommitRefused):
    """A unit is newer in the store than the version the commit started from."""

    def __init__(self, key: UnitKey, base: int, current: UnitInfo | None):
        self.key, self.base, self.current = key, base, current
        if current is None or current.deleted:
            msg = f"{key.describe()} was removed by someone else since you opened it"
            if current is not None and current.author:
                msg = f"{key.describe()} was removed by {current.author} since you opened it"
        elif base == 0:
            msg = f"{key.describe()} already exists (version {current.version} by " \
                  f"{current.author or 'someone else'})"
        else:
            msg = f"{key.describe()} was changed by {current.author or 'someone else'} " \
                  f"(version {current.version}, you started from version {base})"
        super().__init__(msg)


class HeldElsewhere(CommitRefused):
    """Another desk holds a unit checked out."""

    def __init__(self, key: UnitKey, holder: Holder):
        self.key, self.holder = key, holder
        super().__init__(f"{key.describe()} is checked out by {holder.describe()}")


class ReadOnly(CommitRefused):
    """This desk may not write the unit (a read-only role, a read-only folder)."""

    def __init__(self, key: UnitKey, why: str):
        self.key = key
        super().__init__(f"{key.describe()} cannot be changed: {why}")


# ---------------------------------------------------------------- the interface
class Store(abc.ABC):
    """One issue in some store, seen by one desk."""

    desk: Desk
    address: str                  # what the user typed to reach it (no password in it)
    read_only: bool = False       # nothing can be committed by this desk

    # ---------------------------------------------------------- reading
    @abc.abstractmethod
    def units(self) -> dict[UnitKey, UnitInfo]:
        """Every unit of the issue (not deleted ones) with its current version."""

    @abc.abstractmethod
    def read(self, keys: "list[UnitKey] | None" = None) -> dict[UnitKey, UnitDoc]:
        """The current text of these units (all when None), as one consistent state.
        Keys that do not exist are left out."""

    def exists(self) -> bool:
        """Whether the issue has been created in the store (it has an issue unit)."""
        return ISSUE_UNIT in self.units()

    # ---------------------------------------------------------- writing
    @abc.abstractmethod
    def commit(self, changes: "list[Change]") -> dict[UnitKey, UnitInfo]:
        """Write all the changes or none (``CommitRefused`` naming the first refused
        unit); the new infos.  A change's unit must not be held by another desk, and its
        ``base`` must be the current version (0: the unit must not exist yet)."""

    # ---------------------------------------------------------- check-outs
    @abc.abstractmethod
    def checkout(self, key: UnitKey) -> Holder | None:
        """Take the unit for this desk: None when it is now ours (or already was), else
        who holds it.  Never blocks.  A unit need not exist yet to be checked out."""

    @abc.abstractmethod
    def release(self, key: UnitKey) -> None:
        """Give the unit back (nothing when this desk does not hold it)."""

    @abc.abstractmethod
    def holders(self) -> dict[UnitKey, Holder]:
        """Who holds what, this desk included."""

    @abc.abstractmethod
    def break_checkout(self, key: UnitKey, holder: Holder) -> bool:
        """Take a unit from a holder a person has given up on (a stale lock of a crashed
        desk on another machine): True when the check-out was removed.  Does nothing when
        the unit is now held by someone other than ``holder``."""

    def release_all(self) -> None:
        for key, h in self.holders().items():
            if h.is_desk(self.desk):
                self.release(key)

    # ---------------------------------------------------------- changes by others
    @abc.abstractmethod
    def changes(self, cursor: object | None) -> tuple[object, list[UnitInfo]]:
        """Units committed or deleted since ``cursor`` (None: no units, only a cursor for
        "from now on"), and the cursor to ask with next time.  Includes this desk's own
        commits (callers skip versions they already have)."""

    @abc.abstractmethod
    def wait(self, timeout: float) -> bool:
        """Sleep until a change may have been committed (True) or ``timeout`` seconds
        passed (False).  May wake early; ask ``changes`` either way."""

    def close(self) -> None:
        """Release this desk's check-outs and any connection."""
        self.release_all()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
