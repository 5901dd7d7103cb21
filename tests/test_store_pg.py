"""The PostgreSQL store against a real server (tests/conftest.py starts a throwaway
cluster when Debian's postgresql is installed; BANMIAN_TEST_PG names another).

Beyond the contract (tests/test_store.py): check-outs die with their desk's process,
the roles are enforced by the server itself, odd names are data, NOTIFY wakes
``wait``, and a desk carries on across a server restart.
"""
from __future__ import annotations

import copy
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

import pytest

psycopg = pytest.importorskip("psycopg", reason="psycopg is not installed")
from psycopg import sql  # noqa: E402

from layout.docfile import load_issue  # noqa: E402
from store import open_store, parse_address  # noqa: E402
from store.base import (ISSUE_UNIT, Change, Conflict, Desk, HeldElsewhere, ReadOnly,  # noqa: E402
                        StoreError, UnitKey)
from store.session import IssueSession  # noqa: E402
from support.paths import SAMPLE  # noqa: E402

pytestmark = pytest.mark.pg
pg = pytest.importorskip("store.pg")

ROOT = Path(__file__).resolve().parent.parent
TEXT = "banmian: 1\n"


def _name() -> str:
    return f"t-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def issue_of(pg_url):
    """Desks on one new issue: ``make("甲")``; all closed at the end."""
    name, made = _name(), []

    def make(user="a", url=None, create=True, **kw):
        st = pg.PgStore(url or pg_url, name, Desk.here(user), create=create, **kw)
        made.append(st)
        return st
    make.name = name
    yield make
    for st in made:
        st.close()


def _as(url: str, user: str) -> str:
    """The same server and database, logged in as ``user``."""
    u = urllib.parse.urlsplit(url)
    host = u.netloc.rsplit("@", 1)[-1]
    return urllib.parse.urlunsplit((u.scheme, urllib.parse.quote(user, safe="") + "@" + host,
                                    u.path, u.query, ""))


def _admin(url):
    return psycopg.connect(url, autocommit=True)


def _until(cond, timeout=10.0, step=0.05):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(step)
    return cond()


# ---------------------------------------------------------------- schema, addresses
def test_init_schema_is_idempotent_and_makes_the_roles(pg_url):
    pg.init_schema(pg_url)
    pg.init_schema(pg_url)                          # again: nothing changes, nothing fails
    with _admin(pg_url) as c:
        roles = {r[0] for r in c.execute("SELECT rolname FROM pg_roles WHERE rolname LIKE "
                                         "'banmian\\_%'")}
        assert set(pg.ROLES.values()) <= roles
        rls = dict(c.execute("SELECT relname, relrowsecurity FROM pg_class "
                             "WHERE relnamespace = 'banmian'::regnamespace AND relkind = 'r'"))
        assert rls["units"] and rls["log"]


def test_password_in_the_address_is_refused_and_never_shown(pg_url):
    u = urllib.parse.urlsplit(pg_url)
    with_pw = urllib.parse.urlunsplit((u.scheme, "desk:s3cret@" + u.netloc.rsplit("@", 1)[-1],
                                       u.path, u.query, ""))
    with pytest.raises(StoreError) as exc:
        pg.PgStore(with_pw, "x", Desk.here("a"), create=True)
    assert "s3cret" not in str(exc.value) and ".pgpass" in str(exc.value)
    with pytest.raises(StoreError) as exc:
        open_store(with_pw + "#x")
    assert "s3cret" not in str(exc.value)


def test_unreachable_server_is_one_line(tmp_path):
    url = f"postgresql://nobody@/paper?host={tmp_path}&port=1"
    t = time.monotonic()
    with pytest.raises(StoreError) as exc:
        pg.PgStore(url, "x", Desk.here("a"))
    assert time.monotonic() - t < 15
    msg = str(exc.value)
    assert "\n" not in msg and msg.startswith("postgresql://nobody@/paper") and "connect" in msg


def test_missing_issue_is_named(pg_url, issue_of):
    issue_of("a")                                   # the schema exists
    with pytest.raises(StoreError, match="no issue named 'nope; --'"):
        pg.PgStore(pg_url, "nope; --", Desk.here("a"))


# ---------------------------------------------------------------- check-outs
DESK = textwrap.dedent("""
    import os, sys, time
    sys.path.insert(0, sys.argv[1])
    from store.base import Desk, UnitKey, Change
    from store.pg import PgStore
    st = PgStore(os.environ["BANMIAN_TEST_PG"], sys.argv[2], Desk.here("crash"), create=True)
    assert st.checkout(UnitKey("page", "p1")) is None
    assert st.checkout(UnitKey("story", "lead")) is None
    print("held", flush=True)
    time.sleep(120)
""")


def test_checkouts_die_with_a_killed_desk(pg_url, issue_of):
    a = issue_of("a")
    a.commit([Change(UnitKey("page", "p1"), TEXT, 0)])
    env = dict(os.environ, BANMIAN_TEST_PG=pg_url)
    proc = subprocess.Popen([sys.executable, "-c", DESK, str(ROOT), issue_of.name],
                            stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout.readline().strip() == "held"
        held = a.holders()
        assert {str(k) for k in held} == {"page:p1", "story:lead"}
        assert held[UnitKey("page", "p1")].user == "crash"
        assert held[UnitKey("page", "p1")].pid == proc.pid
        assert a.checkout(UnitKey("page", "p1")).user == "crash"
        with pytest.raises(HeldElsewhere, match="crash"):
            a.commit([Change(UnitKey("page", "p1"), TEXT + "# a\n", 1)])
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        # the server notices the dead connection and drops its session locks
        assert _until(lambda: not a.holders(), 20), a.holders()
        assert a.checkout(UnitKey("page", "p1")) is None
        assert a.commit([Change(UnitKey("page", "p1"), TEXT + "# a\n", 1)])
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_holders_are_only_locks_really_held(pg_url, issue_of):
    a, b = issue_of("a"), issue_of("b")
    key = UnitKey("story", "lead")
    with _admin(pg_url) as c:                       # a row left behind by a long-gone desk
        c.execute("INSERT INTO banmian.checkouts (issue, kind, name, lockkey, person, host, "
                  "pid, session, backend) VALUES (%s, 'story', 'lead', %s, 'ghost', 'h', 1, "
                  "'s', 999999)", (a.issue_id, pg.lock_key(a.issue_id, key)))
    assert a.holders() == {}
    assert a.checkout(key) is None and b.checkout(key).user == "a"
    assert set(b.holders()) == {key}
    a.release(key)
    assert b.holders() == {} and b.checkout(key) is None


def test_break_checkout_of_a_hung_desk(issue_of):
    a, b = issue_of("hung"), issue_of("chief")
    key = UnitKey("page", "p2")
    assert a.checkout(key) is None
    holder = b.holders()[key]
    assert b.break_checkout(key, holder) is True
    assert b.holders() == {} and b.checkout(key) is None
    # the hung desk, when it wakes up, reconnects and learns it lost the page to chief
    a.units()
    assert a.take_lost()[key].user == "chief"
    assert key not in {k for k, h in a.holders().items() if h.is_desk(a.desk)}


# ---------------------------------------------------------------- roles
@pytest.fixture
def logins(pg_url):
    """Logins in each of the three group roles (made once per server)."""
    pg.init_schema(pg_url)
    names = {}
    try:
        with _admin(pg_url) as c:
            for role, group in pg.ROLES.items():
                login = f"t_{role}"
                if c.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,)).fetchone() \
                        is None:
                    c.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(login)))
                c.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(group),
                                                           sql.Identifier(login)))
                names[role] = _as(pg_url, login)
            for url in names.values():
                psycopg.connect(url).close()
    except psycopg.Error as exc:
        pytest.skip(f"cannot make test logins on this server: {exc}")
    return names


def _raw_refused(url, stmt, args=()):
    """Run raw SQL as a login: the error's SQLSTATE, or the rows it changed."""
    with psycopg.connect(url, autocommit=True) as c:
        try:
            return c.execute(stmt, args).rowcount
        except psycopg.Error as exc:
            return exc.sqlstate


def test_reading_login_cannot_change_anything(issue_of, logins, pg_url):
    lay = issue_of("美编", url=logins["layout"])
    sid = "lead"
    lay.commit([Change(ISSUE_UNIT, TEXT, 0), Change(UnitKey("page", "p1"), TEXT, 0),
                Change(UnitKey("story", sid), TEXT, 0)])
    before = lay.read()
    r = issue_of("校对", url=logins["reading"], create=False)
    assert r.read() == before                       # it reads
    with pytest.raises(ReadOnly, match="t_reading"):
        r.commit([Change(UnitKey("story", sid), TEXT + "# x\n", 1)])
    with pytest.raises(ReadOnly):
        r.commit([Change(UnitKey("story", "new"), TEXT, 0)])
    with pytest.raises(ReadOnly):
        r.checkout(UnitKey("story", sid))
    url = logins["reading"]
    iid = lay.issue_id
    for stmt, args in [
            ("UPDATE banmian.units SET body = 'x' WHERE issue = %s", (iid,)),
            ("DELETE FROM banmian.units WHERE issue = %s", (iid,)),
            ("INSERT INTO banmian.units (issue, kind, name, version, body) "
             "VALUES (%s, 'story', 'evil', 1, 'x')", (iid,)),
            ("INSERT INTO banmian.log (issue, kind, name, version) "
             "VALUES (%s, 'story', 'evil', 1)", (iid,)),
            ("DELETE FROM banmian.log WHERE issue = %s", (iid,)),
            ("UPDATE banmian.issues SET name = 'x' WHERE id = %s", (iid,)),
            ("DELETE FROM banmian.issues WHERE id = %s", (iid,)),
            ("INSERT INTO banmian.issues (name) VALUES ('evil')", ()),
            ("INSERT INTO banmian.checkouts (issue, kind, name, lockkey, person, host, pid, "
             "session) VALUES (%s, 'story', 'lead', 1, 'x', 'x', 1, 'x')", (iid,)),
            ("TRUNCATE banmian.units", ()),
            ("DROP TABLE banmian.units", ()),
            ("ALTER TABLE banmian.units DISABLE ROW LEVEL SECURITY", ()),
            ("CREATE TABLE banmian.evil (x int)", ())]:
        assert _raw_refused(url, stmt, args) in ("42501", "42P01"), stmt
    assert lay.read() == before


def test_editing_login_changes_stories_only(issue_of, logins):
    lay = issue_of("美编", url=logins["layout"])
    page, story = UnitKey("page", "p1"), UnitKey("story", "lead")
    lay.commit([Change(ISSUE_UNIT, TEXT, 0), Change(page, TEXT, 0), Change(story, TEXT, 0)])
    ed = issue_of("编辑", url=logins["editing"], create=False)
    info = ed.commit([Change(story, TEXT + "# 改\n", 1)])
    assert info[story].version == 2
    ed.commit([Change(UnitKey("story", "新稿"), TEXT, 0)])
    with pytest.raises(ReadOnly, match="page p1"):
        ed.commit([Change(page, TEXT + "# x\n", 1)])
    with pytest.raises(ReadOnly, match="page p9"):
        ed.commit([Change(UnitKey("page", "p9"), TEXT, 0)])
    with pytest.raises(ReadOnly, match="settings"):
        ed.commit([Change(ISSUE_UNIT, TEXT + "# x\n", 1)])
    # all or nothing: a story with a page in one commit writes neither
    with pytest.raises(ReadOnly):
        ed.commit([Change(story, TEXT + "# again\n", 2), Change(page, TEXT + "# x\n", 1)])
    assert ed.read([story])[story].version == 2
    # raw SQL: row security hides pages from its UPDATE and refuses its INSERT
    iid, url = lay.issue_id, logins["editing"]
    assert _raw_refused(url, "UPDATE banmian.units SET body = 'x', version = version + 1 "
                             "WHERE issue = %s AND kind <> 'story'", (iid,)) == 0
    assert _raw_refused(url, "INSERT INTO banmian.units (issue, kind, name, version, body) "
                             "VALUES (%s, 'page', 'p7', 1, 'x')", (iid,)) == "42501"
    assert _raw_refused(url, "UPDATE banmian.units SET kind = 'page' WHERE issue = %s "
                             "AND kind = 'story'", (iid,)) == "42501"
    assert _raw_refused(url, "DELETE FROM banmian.units WHERE issue = %s", (iid,)) == "42501"
    assert lay.read([page])[page].version == 1 and lay.read([page])[page].text == TEXT
    with pytest.raises(StoreError, match="create issues"):
        pg.PgStore(logins["editing"], _name(), Desk.here("编辑"), create=True)
    # layout may change everything
    assert lay.commit([Change(page, TEXT + "# y\n", 1)])[page].version == 2


# ---------------------------------------------------------------- odd names
ODD_NAMES = ["it's", 'a"b', "x; DROP TABLE banmian.units; --", "'; DROP TABLE units; --",
             "back\\slash\\", "$$ $1 %s %(x)s {}", "二〇二六年十二月二日 第１版", "a/b/../c",
             "tab\there", "émoji 📰"]


def test_odd_issue_names_and_story_ids_are_data(pg_url):
    made = []
    try:
        for n, name in enumerate(ODD_NAMES):
            st = pg.PgStore(pg_url, name + "-" + uuid.uuid4().hex[:4], Desk.here(name),
                            create=True)
            made.append(st)
            keys = [UnitKey("story", s) for s in ODD_NAMES] + [UnitKey("page", name)]
            st.commit([Change(k, f"banmian: 1\n# {k.name}\n", 0) for k in keys])
            assert st.checkout(keys[n]) is None
            assert st.holders()[keys[n]].user == name
        for st in list(made):
            again = pg.PgStore(pg_url, st.issue, Desk.here("b"))
            made.append(again)
            docs = again.read()
            assert {k.name for k in docs if k.kind == "story"} == set(ODD_NAMES)
            assert all(d.text == f"banmian: 1\n# {k.name}\n" for k, d in docs.items())
            page = next(k for k in docs if k.kind == "page")
            assert page.name == st.desk.user
            assert docs[page].info.author == st.desk.describe()
        # through an address, as the CLI takes it
        st = made[2]
        addr = "postgresql://" + pg_url.split("://", 1)[1] + "#" + urllib.parse.quote(st.issue)
        assert parse_address(addr).issue == st.issue
        with open_store(addr, Desk.here("c")) as via:
            assert set(via.units()) == set(st.units())
        with _admin(pg_url) as c:                   # every table is still there
            assert c.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'banmian'"
                             ).fetchone()[0] == 4
    finally:
        for st in made:
            st.close()


def test_a_whole_issue_round_trips(issue_of):
    issue = load_issue(SAMPLE)
    a = issue_of("a")
    IssueSession(a).save(copy.deepcopy(issue))
    b = issue_of("b")
    got = IssueSession(b).open()
    assert list(got.stories) == list(IssueSession(a).open().stories)
    assert [p.number for p in got.pages] == [p.number for p in issue.pages]


# ---------------------------------------------------------------- the change feed
def test_notify_wakes_wait_promptly(issue_of):
    a, b = issue_of("a"), issue_of("b")
    a.commit([Change(ISSUE_UNIT, TEXT, 0)])
    cursor, _ = b.changes(None)
    assert b.wait(0.2) is False                     # nothing new: sleeps the whole timeout
    other = issue_of("c")
    woke: list[float] = []

    def sleeper():
        b.wait(15.0)
        woke.append(time.monotonic())
    t = threading.Thread(target=sleeper)
    t.start()
    time.sleep(0.5)                                 # b is in LISTEN
    sent = time.monotonic()
    a.commit([Change(ISSUE_UNIT, TEXT + "# 2\n", 1)])
    t.join(15)
    assert woke and woke[0] - sent < 1.0, "wait did not wake on NOTIFY"
    cursor, seen = b.changes(cursor)
    assert [(i.key, i.version) for i in seen] == [(ISSUE_UNIT, 2)]
    # a commit to another issue does not wake this one
    t0 = time.monotonic()
    pg.PgStore(other.url, other.issue + "-x", Desk.here("x"), create=True).commit(
        [Change(ISSUE_UNIT, TEXT, 0)])
    assert b.wait(0.5) is False and time.monotonic() - t0 >= 0.5


def test_changes_list_deletions_and_own_commits(issue_of):
    a = issue_of("a")
    key = UnitKey("story", "gone")
    cursor, _ = a.changes(None)
    a.commit([Change(key, TEXT, 0)])
    a.commit([Change(key, None, 1)])
    cursor, seen = a.changes(cursor)
    assert [(i.version, i.deleted) for i in seen] == [(1, False), (2, True)]
    assert key not in a.units()
    with pytest.raises(Conflict, match="removed by a "):
        a.commit([Change(key, TEXT, 2)])
    assert a.commit([Change(key, TEXT, 0)])[key].version == 3     # made again: versions go on


# ---------------------------------------------------------------- a server that goes away
def test_reconnect_after_restart(issue_of, pg_cluster):
    a, b = issue_of("a"), issue_of("b")
    page, story = UnitKey("page", "p1"), UnitKey("story", "s")
    a.commit([Change(page, TEXT, 0), Change(story, TEXT, 0)])
    assert a.checkout(page) is None and a.checkout(story) is None
    pg_cluster.restart()
    # a's next commit reconnects, takes its check-outs again and goes through
    info = a.commit([Change(page, TEXT + "# after\n", 1)])
    assert info[page].version == 2 and a.take_lost() == {}
    assert set(b.holders()) == {page, story}
    assert b.checkout(page).user == "a"
    # a restart while a commit waits for the server: the commit is made once
    done: list = []
    t = threading.Thread(target=lambda: done.append(
        a.commit([Change(story, TEXT + "# during\n", 1)])))
    pg_cluster.stop_server()
    t.start()
    time.sleep(1.0)
    assert not done                                 # still trying
    pg_cluster.start_server()
    t.join(30)
    assert done and done[0][story].version == 2
    assert b.read([story])[story].version == 2


def test_checkout_taken_meanwhile_is_reported(issue_of, pg_cluster):
    a, b = issue_of("a"), issue_of("b")
    key = UnitKey("page", "p3")
    assert a.checkout(key) is None
    pg_cluster.restart()
    assert b.checkout(key) is None                  # b is back first and takes the page
    a.units()                                       # a reconnects
    lost = a.take_lost()
    assert lost[key].user == "b"
    with pytest.raises(HeldElsewhere, match="b on"):
        a.commit([Change(key, TEXT, 0)])


def test_commit_cut_at_commit_is_not_made_twice(issue_of, monkeypatch):
    """The connection breaks after the server committed, before the desk heard: the
    commit is found by its id, not made again."""
    a = issue_of("a")
    key = UnitKey("story", "s")
    a.commit([Change(key, TEXT, 0)])
    real = pg.PgStore._commit
    calls = []

    def commit_then_cut(self, conn, changes, commit_id):
        out = real(self, conn, changes, commit_id)
        calls.append(commit_id)
        if len(calls) == 1:
            conn.close()
            raise psycopg.OperationalError("server closed the connection unexpectedly")
        return out
    monkeypatch.setattr(pg.PgStore, "_commit", commit_then_cut)
    info = a.commit([Change(key, TEXT + "# 2\n", 1)])
    assert info[key].version == 2 and len(calls) == 1
    assert a.read([key])[key].version == 2


def test_commit_cut_before_commit_is_made_again(issue_of, pg_url, monkeypatch):
    a = issue_of("a")
    key = UnitKey("story", "s")
    a.commit([Change(key, TEXT, 0)])
    real = pg.PgStore._commit
    calls = []

    def cut_then_commit(self, conn, changes, commit_id):
        calls.append(commit_id)
        if len(calls) == 1:                         # the server process is ended mid-way
            with _admin(pg_url) as c:
                c.execute("SELECT pg_terminate_backend(%s)", (conn.info.backend_pid,))
        return real(self, conn, changes, commit_id)
    monkeypatch.setattr(pg.PgStore, "_commit", cut_then_commit)
    info = a.commit([Change(key, TEXT + "# 2\n", 1)])
    assert info[key].version == 2 and len(calls) == 2


# ---------------------------------------------------------------- credentials
def test_password_comes_from_pgpassfile(pg_cluster, pg_url, tmp_path, monkeypatch):
    """A login that needs its password gets it from PGPASSFILE, never from the address."""
    pg.init_schema(pg_url)
    login, secret = "t_pw_desk", "pa55-" + uuid.uuid4().hex[:8]
    with _admin(pg_url) as c:
        if c.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,)).fetchone() is None:
            c.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(login)))
        c.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(login),
                                                               sql.Literal(secret)))
        c.execute(sql.SQL("GRANT banmian_layout TO {}").format(sql.Identifier(login)))
    pg_cluster.require_password(login)
    url = _as(pg_url, login)
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    with pytest.raises(StoreError) as exc:          # no password anywhere: refused, one line
        pg.PgStore(url, _name(), Desk.here("a"), create=True)
    assert "\n" not in str(exc.value) and login in str(exc.value)
    passfile = tmp_path / "pgpass"
    passfile.write_text(f"*:*:*:{login}:{secret}\n")
    passfile.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(passfile))
    st = pg.PgStore(url, _name(), Desk.here("a"), create=True)
    try:
        st.commit([Change(ISSUE_UNIT, TEXT, 0)])
        assert secret not in st.address and secret not in repr(vars(st))
    finally:
        st.close()


def test_login_without_a_role_is_told_so(issue_of, pg_url):
    issue_of("a")                                   # the schema and an issue exist
    with _admin(pg_url) as c:
        if c.execute("SELECT 1 FROM pg_roles WHERE rolname = 't_norole'").fetchone() is None:
            c.execute("CREATE ROLE t_norole LOGIN")
    with pytest.raises(StoreError) as exc:
        pg.PgStore(_as(pg_url, "t_norole"), issue_of.name, Desk.here("x"))
    msg = str(exc.value)
    assert "\n" not in msg and "'t_norole' may not read issues" in msg and "banmian_reading" in msg
