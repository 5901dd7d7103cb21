"""A throwaway PostgreSQL cluster for the tests: Debian's binaries, a temporary folder,
a Unix socket in it, no TCP.

    from tests import pgcluster
    cluster = pgcluster.start()          # pgcluster.Unavailable when it cannot
    cluster.url                          # postgresql://postgres@/postgres?host=…&port=…
    cluster.restart()                    # pg_ctl restart (clients lose their connections)
    cluster.restart(down=2.0)            # …staying down two seconds in between
    cluster.stop()                       # stop it and remove the folder

Run as root (CI), the server runs as the ``postgres`` system user (initdb refuses
root): the folder is handed to it and every pg_ctl call goes through ``runuser``.
The superuser of the cluster is ``postgres``; local connections are trusted (the
socket is in a folder only the server's user and root can enter).
"""
from __future__ import annotations

import dataclasses
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.parse
from pathlib import Path


class Unavailable(RuntimeError):
    """No PostgreSQL binaries, or the cluster did not start (the message says why)."""


def find_bindir() -> Path | None:
    """Debian's newest ``/usr/lib/postgresql/<version>/bin`` with initdb, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: [int(x) if x.isdigit() else 0 for x in Path(p).parts[-3].split(".")])
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclasses.dataclass
class Cluster:
    """A running test cluster: ``url`` to connect to it as its superuser."""
    url: str
    folder: Path
    bindir: Path
    port: int
    runas: str | None            # the system user the server runs as (None: this one)

    @property
    def datadir(self) -> Path:
        return self.folder / "data"

    @property
    def socket_dir(self) -> Path:
        return self.folder

    def url_for(self, user: str, dbname: str = "postgres") -> str:
        """The URL for another login (roles tests)."""
        q = urllib.parse.urlencode({"host": str(self.socket_dir), "port": str(self.port)})
        return f"postgresql://{urllib.parse.quote(user, safe='')}@/{dbname}?{q}"

    def _ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = [str(self.bindir / "pg_ctl"), "-D", str(self.datadir), *args]
        return _run(cmd, self.runas, check=check)

    def require_password(self, login: str) -> None:
        """Make ``login`` authenticate with its password (scram-sha-256) over the socket —
        every other login stays trusted — and reload the server."""
        hba = self.datadir / "pg_hba.conf"
        line = f"local all {login} scram-sha-256\n"
        _run(["sh", "-c", '{ printf "%s" "$2"; cat "$1"; } > "$1.new" && mv "$1.new" "$1"',
              "sh", str(hba), line], self.runas)
        self._ctl("reload")

    def is_running(self) -> bool:
        return self._ctl("status", check=False).returncode == 0

    def restart(self, *, down: float = 0.0, mode: str = "fast") -> None:
        """Stop the server (``mode``: fast, or immediate — like a crash) and start it again,
        ``down`` seconds later.  Every open connection is cut."""
        self._ctl("-m", mode, "-w", "stop")
        if down:
            time.sleep(down)
        self._start()

    def stop_server(self, mode: str = "fast") -> None:
        """Stop the server but keep the cluster (``start_server`` brings it back)."""
        self._ctl("-m", mode, "-w", "stop", check=False)

    def start_server(self) -> None:
        self._start()

    def _start(self) -> None:
        res = self._ctl("-l", str(self.folder / "server.log"), "-w", "-t", "60", "start",
                        check=False)
        if res.returncode != 0:
            log = (self.folder / "server.log").read_text(errors="replace")[-2000:]
            raise Unavailable(f"the test cluster did not start: {res.stderr.strip()}\n{log}")

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        if self.datadir.exists():
            self._ctl("-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.folder, ignore_errors=True)


def _run(cmd: list[str], runas: str | None, *, check: bool = True,
         input: str | None = None) -> subprocess.CompletedProcess:
    if runas is not None:
        cmd = ["runuser", "-u", runas, "--", *cmd]
    res = subprocess.run(cmd, capture_output=True, text=True, input=input, cwd="/",
                         timeout=120)
    if check and res.returncode != 0:
        raise Unavailable(f"{' '.join(cmd)} failed: {res.stderr.strip() or res.stdout.strip()}")
    return res


def start(base: str | os.PathLike | None = None) -> Cluster:
    """initdb into a new temporary folder (under ``base`` when given) and start the server.
    ``Unavailable`` when PostgreSQL is not installed or does not start."""
    bindir = find_bindir()
    if bindir is None:
        raise Unavailable("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb; "
                          "Debian package 'postgresql')")
    runas = None
    if os.geteuid() == 0:
        try:
            pw = pwd.getpwnam("postgres")
        except KeyError:
            raise Unavailable("running as root, and there is no 'postgres' system user to run "
                              "the server as") from None
        runas = "postgres"
    folder = Path(tempfile.mkdtemp(prefix="banmian-pg-", dir=base))
    try:
        if runas is not None:
            os.chown(folder, pw.pw_uid, pw.pw_gid)
        os.chmod(folder, 0o700)
        port = _free_port()
        data = folder / "data"
        _run([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
              "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], runas)
        conf = (f"\n# the Banmian test cluster\nlisten_addresses = ''\n"
                f"unix_socket_directories = '{folder}'\nport = {port}\n"
                "max_connections = 200\nfsync = off\nfull_page_writes = off\n"
                "shared_buffers = 32MB\n")
        _run(["sh", "-c", 'cat >> "$1"', "sh", str(data / "postgresql.conf")], runas, input=conf)
        q = urllib.parse.urlencode({"host": str(folder), "port": str(port)})
        cluster = Cluster(f"postgresql://postgres@/postgres?{q}", folder, bindir, port, runas)
        cluster._start()
        return cluster
    except BaseException:
        if (folder / "data" / "postmaster.pid").exists():
            _run([str(bindir / "pg_ctl"), "-D", str(folder / "data"), "-m", "immediate", "stop"],
                 runas, check=False)
        shutil.rmtree(folder, ignore_errors=True)
        raise
