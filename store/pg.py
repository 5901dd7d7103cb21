"""An issue store in PostgreSQL (psycopg 3): for a newsroom that outgrew one shared folder.

Tables (schema ``banmian``, made by ``init_schema`` — ``python main.py store init URL``):

- ``issues``: one row per issue; its name is data (any text);
- ``units``: one row per unit (issue, kind, name) with its version, YAML text, author
  and time; a removed unit keeps its row without text, so its version goes on;
- ``log``: one row per unit committed or removed, numbered by a sequence — the change
  feed (a cursor is a sequence number);
- ``checkouts``: who holds which unit (user, host, pid, since, the server process).

A **commit** is one transaction: the issue's commit lock (a transaction advisory lock,
so the log's numbers are in commit order), a shared lock on each unit's check-out
lock (refused when another desk holds it), the unit rows locked ``FOR UPDATE`` and
their versions compared with the bases, the rows and log written, and a ``NOTIFY``
sent — all or nothing.  ``wait`` LISTENs on a connection of its own.

A **check-out** is a session-level advisory lock on the unit's key: a desk that crashes
or loses its connection loses its check-outs with it.  ``holders`` lists the rows of
``checkouts`` whose lock is really held (``pg_locks``), never stale rows.

Roles (group roles made by ``init_schema``, granted to logins by the database owner):
``banmian_layout`` reads and writes everything, ``banmian_editing`` reads everything
and writes stories only, ``banmian_reading`` only reads.  The server enforces them
(GRANTs, and row-level security on the unit's kind); a refusal is ``ReadOnly``.

Credentials come only from libpq: the URL names no password (one in it is refused),
the password is in ``~/.pgpass`` / ``PGPASSFILE``, ``PGPASSWORD``, a service file
(``PGSERVICE``) or not needed (peer, trust, certificates).  Messages show the address
without credentials.  SQL is fixed text with parameters; nothing a user typed (issue
names, story ids) is ever part of the SQL.

**A server that goes away** (restart, network): every operation reconnects with
back-off for up to ``retry_for`` seconds and runs again.  A commit cut before its
COMMIT is run again on the same base versions; a commit whose outcome is unknown
(cut during COMMIT) is looked up by its commit id in the log before it is run again.
After a reconnect the desk takes its check-outs again; one that someone else took
meanwhile is put in ``lost`` (key → who holds it now, None when nobody).
"""
from __future__ import annotations

import hashlib
import threading
import time
import uuid
from typing import Callable, TypeVar

import psycopg
from psycopg import errors as pgerr
from psycopg.conninfo import conninfo_to_dict

from . import Address
from .base import (Change, CommitRefused, Conflict, Desk, HeldElsewhere, Holder, ReadOnly, Store,
                   StoreError, UnitDoc, UnitInfo, UnitKey)

T = TypeVar("T")

SCHEMA = "banmian"
CHANNEL = "banmian"                    # NOTIFY channel; the payload is the issue's id
ROLES = {"layout": "banmian_layout", "editing": "banmian_editing", "reading": "banmian_reading"}
_LOCK_CLASS = 0x42_4D_4E               # first key of the two-key advisory locks (per issue)
_KIND_ORDER = "CASE kind WHEN 'issue' THEN 0 WHEN 'page' THEN 1 ELSE 2 END"

#: Called inside a commit's transaction with the step's name ("locked": the rows locked,
#: "written": everything written, not yet committed): the fault tests stop a desk there.
_hook: Callable[[str], None] | None = None

# ---------------------------------------------------------------- the schema
# Fixed text: the identifiers are the module's own, never a user's.
_SCHEMA_SQL = [
    """DO $$ BEGIN
         IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'banmian_layout') THEN
           CREATE ROLE banmian_layout NOLOGIN; END IF;
         IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'banmian_editing') THEN
           CREATE ROLE banmian_editing NOLOGIN; END IF;
         IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'banmian_reading') THEN
           CREATE ROLE banmian_reading NOLOGIN; END IF;
       END $$""",
    "CREATE SCHEMA IF NOT EXISTS banmian",
    """CREATE TABLE IF NOT EXISTS banmian.issues (
         id serial PRIMARY KEY,
         name text NOT NULL UNIQUE,
         created timestamptz NOT NULL DEFAULT now())""",
    """CREATE TABLE IF NOT EXISTS banmian.units (
         issue integer NOT NULL REFERENCES banmian.issues (id) ON DELETE CASCADE,
         kind text NOT NULL CHECK (kind IN ('issue', 'page', 'story')),
         name text NOT NULL,
         version integer NOT NULL CHECK (version > 0),
         body text,                               -- NULL: removed (the version goes on)
         author text NOT NULL DEFAULT '',
         at timestamptz NOT NULL DEFAULT now(),
         born bigint NOT NULL DEFAULT 0,          -- log number of its creation (order)
         PRIMARY KEY (issue, kind, name))""",
    """CREATE TABLE IF NOT EXISTS banmian.log (
         seq bigserial PRIMARY KEY,
         issue integer NOT NULL REFERENCES banmian.issues (id) ON DELETE CASCADE,
         kind text NOT NULL,
         name text NOT NULL,
         version integer NOT NULL,
         author text NOT NULL DEFAULT '',
         at timestamptz NOT NULL DEFAULT now(),
         deleted boolean NOT NULL DEFAULT false,
         commit_id text NOT NULL DEFAULT '')""",
    "CREATE INDEX IF NOT EXISTS log_issue_seq ON banmian.log (issue, seq)",
    """CREATE TABLE IF NOT EXISTS banmian.checkouts (
         issue integer NOT NULL REFERENCES banmian.issues (id) ON DELETE CASCADE,
         kind text NOT NULL,
         name text NOT NULL,
         lockkey bigint NOT NULL,
         person text NOT NULL,
         host text NOT NULL,
         pid integer NOT NULL,
         session text NOT NULL,
         login text NOT NULL DEFAULT current_user,
         since timestamptz NOT NULL DEFAULT now(),
         backend integer NOT NULL DEFAULT pg_backend_pid(),
         PRIMARY KEY (issue, kind, name))""",
    # privileges: nothing for PUBLIC; reading for all three roles
    "REVOKE ALL ON SCHEMA banmian FROM PUBLIC",
    "GRANT USAGE ON SCHEMA banmian TO banmian_layout, banmian_editing, banmian_reading",
    "GRANT SELECT ON ALL TABLES IN SCHEMA banmian "
    "TO banmian_layout, banmian_editing, banmian_reading",
    "GRANT INSERT ON banmian.issues TO banmian_layout",
    "GRANT USAGE ON SEQUENCE banmian.issues_id_seq TO banmian_layout",
    "GRANT INSERT, UPDATE ON banmian.units TO banmian_layout, banmian_editing",
    "GRANT INSERT ON banmian.log TO banmian_layout, banmian_editing",
    "GRANT USAGE ON SEQUENCE banmian.log_seq_seq TO banmian_layout, banmian_editing",
    "GRANT INSERT, UPDATE, DELETE ON banmian.checkouts TO banmian_layout, banmian_editing",
    # rows: editing may write story units (and their log rows) only
    "ALTER TABLE banmian.units ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE banmian.log ENABLE ROW LEVEL SECURITY",
    "DROP POLICY IF EXISTS units_read ON banmian.units",
    "CREATE POLICY units_read ON banmian.units FOR SELECT "
    "TO banmian_layout, banmian_editing, banmian_reading USING (true)",
    "DROP POLICY IF EXISTS units_layout ON banmian.units",
    "CREATE POLICY units_layout ON banmian.units FOR ALL TO banmian_layout "
    "USING (true) WITH CHECK (true)",
    "DROP POLICY IF EXISTS units_editing_insert ON banmian.units",
    "CREATE POLICY units_editing_insert ON banmian.units FOR INSERT TO banmian_editing "
    "WITH CHECK (kind = 'story')",
    "DROP POLICY IF EXISTS units_editing_update ON banmian.units",
    "CREATE POLICY units_editing_update ON banmian.units FOR UPDATE TO banmian_editing "
    "USING (kind = 'story') WITH CHECK (kind = 'story')",
    "DROP POLICY IF EXISTS log_read ON banmian.log",
    "CREATE POLICY log_read ON banmian.log FOR SELECT "
    "TO banmian_layout, banmian_editing, banmian_reading USING (true)",
    "DROP POLICY IF EXISTS log_layout ON banmian.log",
    "CREATE POLICY log_layout ON banmian.log FOR INSERT TO banmian_layout WITH CHECK (true)",
    "DROP POLICY IF EXISTS log_editing ON banmian.log",
    "CREATE POLICY log_editing ON banmian.log FOR INSERT TO banmian_editing "
    "WITH CHECK (kind = 'story')",
]


def _redacted(url: str) -> str:
    """The URL for messages: no password, no issue."""
    return str(Address("postgresql", url, "")).rstrip("#")


def _check_url(url: str) -> dict:
    try:
        params = conninfo_to_dict(url)
    except psycopg.ProgrammingError as exc:
        raise StoreError(f"{_redacted(url)}: not a PostgreSQL address ({_first_line(exc)})") \
            from None
    if params.get("password"):
        raise StoreError(f"{_redacted(url)}: the address holds a password; put it in ~/.pgpass "
                         f"(or PGPASSFILE, or a service file) instead")
    return params


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def init_schema(url: str) -> None:
    """Create the tables, the three group roles and their rights (idempotent: running it
    again changes nothing).  Needs a login that may create roles and a schema in the
    database (its owner, or a superuser).  ``StoreError`` naming what failed."""
    _check_url(url)
    try:
        with psycopg.connect(url, connect_timeout=15,
                             application_name="banmian store init") as conn:
            _init(conn)
    except psycopg.Error as exc:
        raise StoreError(f"{_redacted(url)}: cannot create Banmian's tables and roles: "
                         f"{_first_line(exc)}") from None


def _init(conn: psycopg.Connection) -> None:
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s, 0)", (_LOCK_CLASS,))
        for stmt in _SCHEMA_SQL:
            conn.execute(stmt)


def lock_key(issue_id: int, key: UnitKey) -> int:
    """The advisory lock key of a unit's check-out (the same in every client)."""
    raw = f"{issue_id}\0{key.kind}\0{key.name}".encode()
    return int.from_bytes(hashlib.blake2b(raw, digest_size=8).digest(), "big", signed=True)


_HELD_SQL = """EXISTS (SELECT 1 FROM pg_locks l
      WHERE l.locktype = 'advisory' AND l.granted AND l.mode = 'ExclusiveLock'
        AND l.objsubid = 1 AND l.pid = c.backend
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND l.classid = ((c.lockkey >> 32) & 4294967295)::oid
        AND l.objid = (c.lockkey & 4294967295)::oid)"""


def _holder(row) -> Holder:
    person, host, pid, session, since = row[:5]
    return Holder(person, host, pid, session, since)


class PgStore(Store):
    """One issue in a PostgreSQL database, seen by one desk (one connection, plus one for
    LISTEN once ``wait`` is called)."""

    retry_for = 60.0              # seconds of reconnecting before an operation gives up
    connect_timeout = 10

    def __init__(self, url: str, issue: str, desk: Desk | None = None, *, create: bool = False,
                 read_only: bool = False):
        _check_url(url)
        self.url = url
        self.issue = issue
        self.desk = desk or Desk.here()
        self.address = str(Address("postgresql", url, issue))
        self.read_only = read_only
        self.lost: dict[UnitKey, Holder | None] = {}
        self._held: dict[UnitKey, int] = {}          # our check-outs → lock key
        self._lock = threading.RLock()
        self._wait_lock = threading.Lock()
        self._conn: psycopg.Connection | None = None
        self._listen: psycopg.Connection | None = None
        self._seen = 0                               # the newest log number seen
        self._closed = False
        self.issue_id = 0
        try:
            self._conn = self._connect()
        except psycopg.OperationalError as exc:
            raise StoreError(f"{self.address}: cannot connect: {_first_line(exc)}") from None
        self.issue_id = self._run(lambda c: self._open_issue(c, create))

    # ---------------------------------------------------------- connections
    def _connect(self) -> psycopg.Connection:
        app = f"banmian {self.desk.user}@{self.desk.host}".encode("ascii", "replace").decode()
        conn = psycopg.connect(self.url, autocommit=True, connect_timeout=self.connect_timeout,
                               application_name=app[:63])
        # a desk stopped in the middle of a commit must not hold the issue's lock for ever
        conn.execute("SET idle_in_transaction_session_timeout = '60s'")
        conn.execute("SET lock_timeout = '30s'")
        return conn

    def _open_issue(self, conn: psycopg.Connection, create: bool) -> int:
        if conn.execute("SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                        "WHERE n.nspname = 'banmian' AND c.relname = 'units'").fetchone() is None:
            if not create:
                raise StoreError(f"{self.address}: the database has no Banmian tables yet "
                                 f"(run: python main.py store init '{_redacted(self.url)}')")
            try:
                _init(conn)
            except (pgerr.InsufficientPrivilege, pgerr.InvalidSchemaName) as exc:
                raise StoreError(f"{self.address}: the database has no Banmian tables and this "
                                 f"login cannot make them ({_first_line(exc)}); ask its owner "
                                 f"to run: python main.py store init") from None
        what = "read issues"
        try:
            row = conn.execute("SELECT id FROM banmian.issues WHERE name = %s",
                               (self.issue,)).fetchone()
            if row is None and create:
                what = "create issues (only banmian_layout may)"
                conn.execute("INSERT INTO banmian.issues (name) VALUES (%s) "
                             "ON CONFLICT (name) DO NOTHING", (self.issue,))
                row = conn.execute("SELECT id FROM banmian.issues WHERE name = %s",
                                   (self.issue,)).fetchone()
        except pgerr.InsufficientPrivilege as exc:
            raise StoreError(f"{self.address}: the login '{conn.info.user}' may not {what}: "
                             f"{_first_line(exc)} (the roles: "
                             f"{', '.join(ROLES.values())})") from None
        if row is None:
            raise StoreError(f"{self.address}: there is no issue named {self.issue!r} in this "
                             f"database (copy one in with 'store push')")
        return row[0]

    def _broken(self) -> bool:
        return self._conn is None or self._conn.closed or self._conn.broken

    def _drop(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except psycopg.Error:
                pass
        self._conn = None

    def _ensure(self) -> psycopg.Connection:
        """The connection, made again (and the check-outs taken again) when it was lost."""
        if not self._broken():
            return self._conn
        self._drop()
        conn = self._connect()
        self._conn = conn
        self._retake(conn)
        return conn

    def _run(self, op: Callable[[psycopg.Connection], T], *,
             verify: Callable[[psycopg.Connection], T | None] | None = None) -> T:
        """Run ``op`` on the connection; when the server goes away, reconnect with back-off
        and run it again (after ``verify`` found it had not already happened)."""
        with self._lock:
            start, delay, uncertain = time.monotonic(), 0.05, False
            while True:
                began = False
                try:
                    conn = self._ensure()
                    if uncertain and verify is not None:
                        done = verify(conn)
                        if done is not None:
                            return done
                    uncertain = False
                    began = True
                    return op(conn)
                except psycopg.OperationalError as exc:
                    if self._broken():
                        self._drop()
                        uncertain = uncertain or began
                    waited = time.monotonic() - start
                    if waited > self.retry_for:
                        raise StoreError(f"{self.address}: the database server did not answer "
                                         f"for {waited:.0f} s ({_first_line(exc)})") from None
                    time.sleep(delay)
                    delay = min(delay * 2, 2.0)
                except pgerr.InsufficientPrivilege as exc:
                    raise StoreError(f"{self.address}: {_first_line(exc)}") from None
                except psycopg.DataError as exc:
                    raise StoreError(f"{self.address}: {_first_line(exc)}") from None

    def close(self) -> None:
        """Give back the check-outs and close the connections (quietly when the server is
        gone: its locks went with it)."""
        with self._lock:
            conn = self._conn
            if conn is not None and not self._broken() and self._held:
                try:
                    for k in self._held.values():
                        conn.execute("SELECT pg_advisory_unlock(%s)", (k,))
                    conn.execute("DELETE FROM banmian.checkouts WHERE issue = %s AND session = %s",
                                 (self.issue_id, self.desk.session))
                except psycopg.Error:
                    pass
            self._held.clear()
            self._drop()
        self._closed = True
        ln, self._listen = self._listen, None     # (a wait in another thread wakes up)
        if ln is not None:
            try:
                ln.close()
            except psycopg.Error:
                pass

    def __del__(self):
        try:
            if self._conn is not None or self._listen is not None:
                self.close()
        except Exception:       # the interpreter may be shutting down
            pass

    # ---------------------------------------------------------- reading
    def units(self) -> dict[UnitKey, UnitInfo]:
        def op(conn):
            rows = conn.execute(
                "SELECT kind, name, version, author, extract(epoch FROM at)::float8 "
                "FROM banmian.units WHERE issue = %s AND body IS NOT NULL "
                f"ORDER BY {_KIND_ORDER}, born, name", (self.issue_id,)).fetchall()
            return {(k := UnitKey(r[0], r[1])): UnitInfo(k, r[2], r[3], r[4]) for r in rows}
        return self._run(op)

    def read(self, keys=None) -> dict[UnitKey, UnitDoc]:
        if keys is not None and not keys:
            return {}

        def op(conn):
            sql = ("SELECT kind, name, version, author, extract(epoch FROM at)::float8, body "
                   "FROM banmian.units WHERE issue = %s AND body IS NOT NULL")
            args: tuple = (self.issue_id,)
            if keys is not None:
                sql += (" AND (kind, name) IN (SELECT * FROM unnest(%s::text[], %s::text[]))")
                args += ([k.kind for k in keys], [k.name for k in keys])
            rows = conn.execute(sql + f" ORDER BY {_KIND_ORDER}, born, name", args).fetchall()
            out = {}
            for r in rows:
                k = UnitKey(r[0], r[1])
                out[k] = UnitDoc(UnitInfo(k, r[2], r[3], r[4]), r[5])
            return out
        return self._run(op)

    # ---------------------------------------------------------- writing
    def commit(self, changes: list[Change]) -> dict[UnitKey, UnitInfo]:
        if not changes:
            return {}
        if self.read_only:
            raise ReadOnly(changes[0].key, "this desk opened the issue read-only")
        changes = sorted(changes, key=lambda c: c.key)
        commit_id = uuid.uuid4().hex
        return self._run(lambda conn: self._commit(conn, changes, commit_id),
                         verify=lambda conn: self._committed(conn, changes, commit_id))

    def _commit(self, conn, changes: list[Change], commit_id: str) -> dict[UnitKey, UnitInfo]:
        author = self.desk.describe()
        kinds, names = [c.key.kind for c in changes], [c.key.name for c in changes]
        out: dict[UnitKey, UnitInfo] = {}
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", (_LOCK_CLASS, self.issue_id))
            # units another desk holds: its exclusive session lock refuses our shared one
            keys = [lock_key(self.issue_id, c.key) for c in changes]
            busy = {r[0] for r in conn.execute(
                "SELECT k FROM unnest(%s::bigint[]) AS k "
                "WHERE NOT pg_try_advisory_xact_lock_shared(k)", (keys,))}
            for ch, k in zip(changes, keys):
                if k not in busy:
                    continue
                for _ in range(200):
                    h = self._holder_of(conn, ch.key)
                    if h is not None:
                        raise HeldElsewhere(ch.key, h)
                    # nobody named: checked out this very moment (its row comes next), or
                    # given back since (then the unit is free and the commit goes on)
                    if conn.execute("SELECT pg_try_advisory_xact_lock_shared(%s)",
                                    (k,)).fetchone()[0]:
                        break
                    time.sleep(0.01)
                else:
                    raise HeldElsewhere(ch.key, Holder("someone", "another connection"))
            pick = ("FROM banmian.units WHERE issue = %s AND (kind, name) IN "
                    "(SELECT * FROM unnest(%s::text[], %s::text[]))")
            try:
                locked = {UnitKey(r[0], r[1]) for r in conn.execute(
                    f"SELECT kind, name {pick} ORDER BY kind, name FOR UPDATE",
                    (self.issue_id, kinds, names))}
            except pgerr.InsufficientPrivilege:
                raise ReadOnly(changes[0].key, self._role_says()) from None
            rows = {}
            for r in conn.execute(
                    "SELECT kind, name, version, author, extract(epoch FROM at)::float8, "
                    f"body IS NULL {pick}", (self.issue_id, kinds, names)):
                k = UnitKey(r[0], r[1])
                rows[k] = UnitInfo(k, r[2], r[3], r[4], deleted=r[5])
            if _hook is not None:
                _hook("locked")
            for ch in changes:
                if ch.key in rows and ch.key not in locked:       # row security said no
                    raise ReadOnly(ch.key, self._role_says())
                cur = rows.get(ch.key)
                version = cur.version if cur is not None and not cur.deleted else 0
                if version != ch.base:
                    raise Conflict(ch.key, ch.base, cur)
                if ch.text is None and version == 0:
                    raise CommitRefused(f"{ch.key.describe()} does not exist")
            for ch in changes:
                cur = rows.get(ch.key)
                version = (cur.version if cur is not None else 0) + 1
                deleted = ch.text is None
                try:
                    seq, at = conn.execute(
                        "INSERT INTO banmian.log (issue, kind, name, version, author, deleted, "
                        "commit_id) VALUES (%s, %s, %s, %s, %s, %s, %s) "
                        "RETURNING seq, extract(epoch FROM at)::float8",
                        (self.issue_id, ch.key.kind, ch.key.name, version, author, deleted,
                         commit_id)).fetchone()
                    if cur is None:
                        conn.execute(
                            "INSERT INTO banmian.units (issue, kind, name, version, body, author, "
                            "born) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                            (self.issue_id, ch.key.kind, ch.key.name, version, ch.text, author,
                             seq))
                    else:
                        n = conn.execute(
                            "UPDATE banmian.units SET version = %s, body = %s, author = %s, "
                            "at = now(), born = CASE WHEN body IS NULL THEN %s ELSE born END "
                            "WHERE issue = %s AND kind = %s AND name = %s",
                            (version, ch.text, author, seq, self.issue_id, ch.key.kind,
                             ch.key.name)).rowcount
                        if n != 1:
                            raise ReadOnly(ch.key, self._role_says())
                except pgerr.InsufficientPrivilege:
                    raise ReadOnly(ch.key, self._role_says()) from None
                except pgerr.UniqueViolation:
                    raise Conflict(ch.key, ch.base, None) from None
                out[ch.key] = UnitInfo(ch.key, version, author, at, deleted=deleted)
            conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, str(self.issue_id)))
            if _hook is not None:
                _hook("written")
        return out

    def _committed(self, conn, changes: list[Change], commit_id: str):
        """After a connection lost during a commit: its infos when it was made, else None."""
        rows = conn.execute(
            "SELECT kind, name, version, author, extract(epoch FROM at)::float8, deleted "
            "FROM banmian.log WHERE issue = %s AND commit_id = %s",
            (self.issue_id, commit_id)).fetchall()
        if not rows:
            return None
        out = {}
        for r in rows:
            k = UnitKey(r[0], r[1])
            out[k] = UnitInfo(k, r[2], r[3], r[4], deleted=r[5])
        return out

    def _role_says(self) -> str:
        return (f"the database login '{self._login()}' may not change it (roles: layout may "
                f"change everything, editing only stories, reading nothing)")

    def _login(self) -> str:
        try:
            return self._conn.info.user if self._conn is not None else "?"
        except psycopg.Error:
            return "?"

    # ---------------------------------------------------------- check-outs
    def _holder_of(self, conn, key: UnitKey) -> Holder | None:
        row = conn.execute(
            "SELECT person, host, pid, session, extract(epoch FROM since)::float8 "
            f"FROM banmian.checkouts c WHERE issue = %s AND kind = %s AND name = %s AND {_HELD_SQL}",
            (self.issue_id, key.kind, key.name)).fetchone()
        return _holder(row) if row is not None else None

    def _exclusive_elsewhere(self, conn, k: int) -> bool:
        """Whether another server process holds the unit's check-out lock (not just a
        commit's shared lock)."""
        return conn.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted "
            "AND mode = 'ExclusiveLock' AND objsubid = 1 AND pid <> pg_backend_pid() "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND classid = ((%s::bigint >> 32) & 4294967295)::oid "
            "AND objid = (%s::bigint & 4294967295)::oid)", (k, k)).fetchone()[0]

    def _take(self, conn, key: UnitKey, k: int) -> bool:
        """Try the unit's lock and name this desk in ``checkouts``."""
        if not conn.execute("SELECT pg_try_advisory_lock(%s)", (k,)).fetchone()[0]:
            return False
        d = self.desk
        try:
            conn.execute(
                "INSERT INTO banmian.checkouts (issue, kind, name, lockkey, person, host, pid, "
                "session) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "
                "ON CONFLICT (issue, kind, name) DO UPDATE SET lockkey = EXCLUDED.lockkey, "
                "person = EXCLUDED.person, host = EXCLUDED.host, pid = EXCLUDED.pid, "
                "session = EXCLUDED.session, login = current_user, since = now(), "
                "backend = pg_backend_pid()",
                (self.issue_id, key.kind, key.name, k, d.user, d.host, d.pid, d.session))
        except psycopg.Error:
            if not conn.broken:
                conn.execute("SELECT pg_advisory_unlock(%s)", (k,))
            raise
        return True

    def checkout(self, key: UnitKey) -> Holder | None:
        k = lock_key(self.issue_id, key)

        def op(conn):
            if key in self._held:
                return None
            for _ in range(200):                      # a commit's shared lock is brief
                try:
                    if self._take(conn, key, k):
                        self._held[key] = k
                        self.lost.pop(key, None)
                        return None
                except pgerr.InsufficientPrivilege:
                    raise ReadOnly(key, f"the database login '{self._login()}' may only "
                                        f"read") from None
                h = self._holder_of(conn, key)
                if h is not None:
                    return h
                if self._exclusive_elsewhere(conn, k):
                    time.sleep(0.01)                   # taken, its row not written yet
                    h = self._holder_of(conn, key)
                    if h is not None:
                        return h
                time.sleep(0.005)
            return Holder("someone", "another connection")
        return self._run(op)

    def release(self, key: UnitKey) -> None:
        def op(conn):
            k = self._held.pop(key, None)
            if k is None:
                return
            conn.execute("SELECT pg_advisory_unlock(%s)", (k,))
            conn.execute("DELETE FROM banmian.checkouts WHERE issue = %s AND kind = %s "
                         "AND name = %s AND session = %s",
                         (self.issue_id, key.kind, key.name, self.desk.session))
        self._run(op)

    def release_all(self) -> None:
        for key in list(self._held):
            self.release(key)

    def holders(self) -> dict[UnitKey, Holder]:
        def op(conn):
            rows = conn.execute(
                "SELECT person, host, pid, session, extract(epoch FROM since)::float8, kind, name "
                f"FROM banmian.checkouts c WHERE issue = %s AND {_HELD_SQL} "
                "ORDER BY kind, name", (self.issue_id,)).fetchall()
            return {UnitKey(r[5], r[6]): _holder(r) for r in rows}
        return self._run(op)

    def break_checkout(self, key: UnitKey, holder: Holder) -> bool:
        """Take a unit from a desk a person gave up on.  A desk whose connection is gone
        has already lost it; one still connected (hung) has its server process ended —
        which needs the same login or the ``pg_signal_backend`` role (else False)."""
        if holder.is_desk(self.desk):
            was = key in self._held
            self.release(key)
            return was

        def op(conn):
            row = conn.execute(
                "SELECT session, backend, " + _HELD_SQL + " FROM banmian.checkouts c "
                "WHERE issue = %s AND kind = %s AND name = %s",
                (self.issue_id, key.kind, key.name)).fetchone()
            if row is None or row[0] != holder.session:
                return False
            if row[2]:
                try:
                    conn.execute("SELECT pg_terminate_backend(%s, 5000)", (row[1],))
                except pgerr.InsufficientPrivilege:
                    return False
                if self._exclusive_elsewhere(conn, lock_key(self.issue_id, key)):
                    return False
            conn.execute("DELETE FROM banmian.checkouts WHERE issue = %s AND kind = %s "
                         "AND name = %s AND session = %s",
                         (self.issue_id, key.kind, key.name, holder.session))
            return True
        return self._run(op)

    def _retake(self, conn) -> None:
        """After a reconnect: take this desk's check-outs again; those someone else took
        meanwhile (or broke) go to ``lost``."""
        for key, k in list(self._held.items()):
            row = conn.execute(
                "SELECT session, backend FROM banmian.checkouts WHERE issue = %s AND kind = %s "
                "AND name = %s", (self.issue_id, key.kind, key.name)).fetchone()
            ok = False
            if row is not None and row[0] == self.desk.session:
                ok = self._take(conn, key, k)
                if not ok:
                    # our old server process may live on (a cut network): end it, try again
                    try:
                        conn.execute("SELECT pg_terminate_backend(%s, 5000)", (row[1],))
                    except psycopg.Error:
                        pass
                    ok = self._take(conn, key, k)
            if not ok:
                del self._held[key]
                self.lost[key] = self._holder_of(conn, key)

    def take_lost(self) -> dict[UnitKey, Holder | None]:
        """The check-outs lost since the last call (see the module's notes)."""
        out, self.lost = self.lost, {}
        return out

    # ---------------------------------------------------------- change feed
    def changes(self, cursor):
        def op(conn):
            if cursor is None:
                n = conn.execute("SELECT coalesce(max(seq), 0) FROM banmian.log WHERE issue = %s",
                                 (self.issue_id,)).fetchone()[0]
                return n, []
            rows = conn.execute(
                "SELECT seq, kind, name, version, author, extract(epoch FROM at)::float8, deleted "
                "FROM banmian.log WHERE issue = %s AND seq > %s ORDER BY seq",
                (self.issue_id, int(cursor))).fetchall()
            n = rows[-1][0] if rows else int(cursor)
            return n, [UnitInfo(UnitKey(r[1], r[2]), r[3], r[4], r[5], deleted=r[6])
                       for r in rows]
        n, infos = self._run(op)
        self._seen = max(self._seen, n)
        return n, infos

    def wait(self, timeout: float) -> bool:
        deadline = time.monotonic() + max(0.0, timeout)
        with self._wait_lock:
            if self._closed:
                return False
            try:
                ln = self._listen
                if ln is None or ln.closed or ln.broken:
                    ln = self._listen = self._connect()
                    ln.execute("LISTEN banmian")
                latest = ln.execute("SELECT coalesce(max(seq), 0) FROM banmian.log "
                                    "WHERE issue = %s", (self.issue_id,)).fetchone()[0]
                if latest > self._seen:
                    self._seen = latest
                    return True
                me = str(self.issue_id)
                woke = False
                while not woke and (left := deadline - time.monotonic()) > 0:
                    # (no query on ``ln`` inside this loop: the generator holds its lock)
                    woke = any(note.payload == me
                               for note in ln.notifies(timeout=left, stop_after=1))
                if woke:
                    self._seen = max(self._seen, ln.execute(
                        "SELECT coalesce(max(seq), 0) FROM banmian.log WHERE issue = %s",
                        (self.issue_id,)).fetchone()[0])
                return woke
            except psycopg.OperationalError:
                if self._closed:
                    return False
                if self._listen is not None:
                    try:
                        self._listen.close()
                    except psycopg.Error:
                        pass
                self._listen = None
                time.sleep(min(0.5, max(0.0, deadline - time.monotonic())))
                return True                 # may have changed while we could not listen


__all__ = ["PgStore", "init_schema", "lock_key", "ROLES", "SCHEMA", "CHANNEL"]
