#!/usr/bin/env python3
"""Issue stores under load: simulated desks (separate processes) editing one issue.

    .venv/bin/python bench/bench_store.py [--desks 20] [--seconds 60] [--pages 24]
                                          [--stores folder,postgresql] [--pg URL] [--json]

For each store, ``--desks`` desks (``support/desks.py``) make random edits to a
``--pages``-page issue for ``--seconds`` after a common start — layout desks on
two pages each, sharing one with a neighbour, editing the stories on them — and the
logs are then checked against the store.  Prints per store: edits per second
(acknowledged commits), commit latency p50/p95/p99 (the store's ``commit`` call,
acknowledged commits), refusals, store errors, and **lost** (acknowledged changes
not in the store, plus versions no desk was told about): it must be 0.  ``--json``
prints one JSON object, store → figures.

The folder store runs in a temporary folder on this machine's disk.  PostgreSQL:
``--pg URL`` (a database the login may create tables in), else ``BANMIAN_TEST_PG``,
else a throwaway cluster started for the run (Debian's ``postgresql``, as the tests
do).  Asserts nothing; exits 1 when something was lost or a check failed.

The desks share the machine's cores: each attempt takes others' commits in
(``IssueSession.refresh`` parses only the changed units into the open issue) and
saves its own (a save splits only the units its edits marked); its CPU is printed as
"desk CPU".  On a small machine edits/s is bounded by the desks' own work and commit
latency includes waiting for a core.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import tempfile
import uuid
from pathlib import Path

from support.desks import run_load


def _pg_url(given: str | None):
    """(url, cluster to stop or None)."""
    url = given or os.environ.get("BANMIAN_TEST_PG")
    if url:
        return url, None
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests import pgcluster
    cluster = pgcluster.start()
    return cluster.url, cluster


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--desks", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--pages", type=int, default=24)
    ap.add_argument("--stores", default="folder,postgresql")
    ap.add_argument("--pg", default=None, help="postgresql://USER@HOST/DB (no '#ISSUE')")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    out, bad = {}, False
    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
        for name in [s.strip() for s in a.stores.split(",") if s.strip()]:
            cluster = None
            if name == "folder":
                address = str(Path(tmp) / "issue")
            elif name in ("postgresql", "pg"):
                name = "postgresql"
                try:
                    url, cluster = _pg_url(a.pg)
                except Exception as exc:                   # noqa: BLE001 — say why, go on
                    print(f"postgresql: skipped ({str(exc).splitlines()[0]})", file=sys.stderr)
                    continue
                address = f"{url}#bench-{uuid.uuid4().hex[:8]}"
            else:
                ap.error(f"unknown store {name!r} (folder, postgresql)")
            try:
                rep = run_load(address, Path(tmp) / f"logs-{name}", desks=a.desks,
                               seconds=a.seconds, seed=a.seed, pages=a.pages, name=name)
            finally:
                if cluster is not None:
                    cluster.stop()
            out[name] = rep
            bad |= bool(rep.lost or rep.unreported or rep.problems)
            if not a.json:
                print(rep.line())
                for p in rep.problems[:10]:
                    print("  problem:", p)
    if a.json:
        print(json.dumps({k: {f: (round(v, 3) if isinstance(v, float) else v)
                              for f, v in dataclasses.asdict(r).items()}
                          for k, r in out.items()}, ensure_ascii=False))
    else:
        print("\n| store | desks × s | edits/s | commit p50 / p95 / p99 | refused | lost |")
        print("|---|---|---|---|---|---|")
        for k, r in out.items():
            print(f"| {k} | {r.desks} × {r.seconds:.0f} | {r.edits_per_s:.1f} | "
                  f"{r.p50_ms:.0f} / {r.p95_ms:.0f} / {r.p99_ms:.0f} ms | {r.refused} | "
                  f"{r.lost + r.unreported} |")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
