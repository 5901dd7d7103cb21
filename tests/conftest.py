"""Shared fixtures: the square test font set, tiny issues, real fonts when needed.

Helpers shared with the benchmark scripts live in the ``support`` package
(installed with the project); the seed page is the fixture ``tests/data/front-page.txt``.
"""
from __future__ import annotations

import os
import signal
import uuid

import pytest

from support.fakefont import SquareFontSet

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def square():
    """Fonts with exact square metrics."""
    return SquareFontSet()


@pytest.fixture(scope="session")
def real_fontset_factory():
    """Build a FontSet from the real installed fonts (converted and cached once)."""
    from fonts import FontSet, default_library
    lib = default_library()

    def make(roles):
        return FontSet(roles, lib)
    return make


# ---------------------------------------------------------------- PostgreSQL
# Tests that need a server: marked ``pg``, parametrised with the id ``pg`` (the store
# contract), or in a module named ``test_*pg*``.  When any is collected and
# BANMIAN_TEST_PG does not name a server, a throwaway cluster is started for the
# session (tests/pgcluster.py) and its URL put in BANMIAN_TEST_PG (subprocesses see
# it too).  Without PostgreSQL those tests skip — unless BANMIAN_REQUIRE_PG is set
# (``make test``, CI): then the session fails.
_PG = {"need": False, "cluster": None, "why": ""}


def pytest_configure(config):
    config.addinivalue_line("markers", "pg: needs a PostgreSQL server (BANMIAN_TEST_PG)")


def _needs_pg(item) -> bool:
    return ("pg" in item.keywords or item.get_closest_marker("pg") is not None
            or "pg" in item.path.stem.removeprefix("test_").split("_"))


@pytest.fixture(scope="session", autouse=True)
def _pg_server():
    """Start the test cluster when a collected test needs one (see above)."""
    if not _PG["need"] or os.environ.get("BANMIAN_TEST_PG"):
        yield
        return
    from tests import pgcluster
    try:
        cluster = pgcluster.start()
    except pgcluster.Unavailable as exc:
        _PG["why"] = str(exc).splitlines()[0]
        if os.environ.get("BANMIAN_REQUIRE_PG"):
            pytest.exit(f"BANMIAN_REQUIRE_PG is set but no PostgreSQL server: {exc}", 3)
        yield
        return
    _PG["cluster"] = cluster
    os.environ["BANMIAN_TEST_PG"] = cluster.url

    def stopped_by_signal(signum, frame):      # `timeout` ends a run: no server left behind
        cluster.stop()
        signal.signal(signum, before)
        os.kill(os.getpid(), signum)
    before = signal.signal(signal.SIGTERM, stopped_by_signal)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)
        os.environ.pop("BANMIAN_TEST_PG", None)
        _PG["cluster"] = None
        cluster.stop()


@pytest.fixture
def pg_url() -> str:
    """The test server's URL (its superuser); skips with the reason when there is none."""
    url = os.environ.get("BANMIAN_TEST_PG")
    if not url:
        pytest.skip("no PostgreSQL server for the tests: " + (
            _PG["why"] or "BANMIAN_TEST_PG is not set and the test was not marked 'pg'"))
    return url


@pytest.fixture(params=["folder", "pg"])
def store_address(request, tmp_path):
    """A new issue's address in each real store: a folder, and PostgreSQL (the test
    cluster; the issue named after the test module)."""
    if request.param == "folder":
        return str(tmp_path / "issue")
    url = request.getfixturevalue("pg_url")
    name = request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_store_")
    return f"{url}#{name}-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def pg_cluster(pg_url):
    """The throwaway cluster itself (``restart()``), for fault tests; skips when the
    server was given from outside in BANMIAN_TEST_PG (it is not ours to restart)."""
    if _PG["cluster"] is None:
        pytest.skip("BANMIAN_TEST_PG names a server these tests did not start: not restarted")
    return _PG["cluster"]


def pytest_collection_modifyitems(config, items):
    """Tests marked ``slow`` (long fuzz and crash runs) run only when ``-m`` names them."""
    _PG["need"] = any(_needs_pg(item) for item in items)
    if "slow" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="slow: run with -m slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
