"""Shared-folder locks and "changed on disk" checks for issue files (no Qt).

Several people open issues from one shared folder.  Opening an issue for
editing puts a lock file beside it, ``.<name>.lock`` (JSON: user, host, pid,
time, app version), created atomically and exclusively, so a second opener —
on this machine or another — learns who has it and opens the issue read-only.

A lock left by a process that is no longer running on *this* machine is
cleared by ``acquire``.  A lock from another machine cannot be checked that
way: once it is older than ``stale_hours`` (its heartbeat, the file's mtime,
is refreshed by ``Lock.touch``) it is reported as stale — ``LockHeld.stale``
— and only ``break_lock`` removes it, when the user asks for that.

Independently of locks, ``fingerprint`` records what a file was when it was
read or saved (mtime_ns, size, sha256), and ``check_unchanged`` refuses to
save over a file someone changed since (a colleague without Banmian, a sync
tool, a second copy opened read-only and then saved elsewhere...).

How the editor uses it::

    from layout import lockfile
    from layout.docfile import load_issue, save_issue

    got = lockfile.acquire(path)
    if isinstance(got, lockfile.LockHeld):
        read_only = True
        status_bar(f"read-only: {got.describe()}")   # "opened by 张三 on desk-3 (pid 4242) since …"
        if got.stale and user_agrees(f"{got.describe()}. Break the lock?"):
            lockfile.break_lock(path, got)
            got = lockfile.acquire(path)              # may still be a LockHeld: someone was faster
    lock = got if isinstance(got, lockfile.Lock) else None
    if lock:
        lockfile.clean_temporaries(path)              # left by a save that was killed
    issue = load_issue(path)
    seen = lockfile.fingerprint(path)                 # what we read

    # saving
    try:
        seen = lockfile.save_checked(issue, path, seen)   # check_unchanged + save_issue
    except lockfile.ChangedOnDisk as exc:
        ask(str(exc))         # overwrite (save_issue, then seen = fingerprint(path)), save as, reload
    lock.touch()                                      # also on a timer, e.g. every 10 minutes

    # closing
    lock.release()

``acquire`` never blocks and never raises for a held lock; it raises
``OSError`` only when the folder cannot be written at all (then open the
issue read-only too).
"""
from __future__ import annotations

import dataclasses
import errno
import getpass
import hashlib
import json
import os
import socket
import time
import uuid
from pathlib import Path

from common.proc import pid_alive

#: Locks from another machine whose heartbeat is older than this are reported stale.
STALE_HOURS = 12.0

_UNREADABLE_GRACE = 10.0       # a lock file still empty after this long was left half-made


def _app_version() -> str:
    try:
        from importlib.metadata import version
        return version("banmian")
    except Exception:
        pass
    try:
        import tomllib
        py = Path(__file__).resolve().parent.parent / "pyproject.toml"
        return tomllib.loads(py.read_text("utf-8"))["project"]["version"]
    except Exception:
        return "unknown"


APP_VERSION = _app_version()


def lock_path(path: str | os.PathLike) -> Path:
    """The lock file of an issue: ``.<name>.lock`` beside it."""
    p = Path(path)
    return p.with_name(f".{p.name}.lock")


# ---------------------------------------------------------------- who holds it
def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


def _start_ticks(pid: int) -> str:
    """The process's start time since boot (Linux), to tell a reused pid apart."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return os.environ.get("USER") or os.environ.get("USERNAME") or "unknown"


@dataclasses.dataclass(frozen=True)
class LockInfo:
    """What a lock file says about its holder."""
    user: str = ""
    host: str = ""
    pid: int = 0
    time: float = 0.0                  # when the lock was taken (seconds since the epoch)
    app: str = ""                      # "banmian 0.1.0"
    token: str = ""                    # random: tells this lock from a later one
    boot: str = ""                     # the holder machine's boot id (Linux)
    started: str = ""                  # the holder process's start ticks (Linux)

    @classmethod
    def mine(cls) -> "LockInfo":
        """A new lock's facts for this process."""
        return cls(user=_user(), host=socket.gethostname(), pid=os.getpid(), time=time.time(),
                   app=f"banmian {APP_VERSION}", token=uuid.uuid4().hex, boot=_boot_id(),
                   started=_start_ticks(os.getpid()))

    def to_json(self) -> bytes:
        d = dataclasses.asdict(self)
        d["time_text"] = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(self.time))
        return (json.dumps(d, ensure_ascii=False, indent=1) + "\n").encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> "LockInfo | None":
        """The facts of a lock file's bytes; None when they are not a lock."""
        try:
            d = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None
        if not isinstance(d, dict):
            return None
        names = {f.name: f.type for f in dataclasses.fields(cls)}
        kw = {}
        for k, v in d.items():
            if k in names:
                want = {"int": int, "float": (int, float)}.get(names[k], str)
                if isinstance(v, want) and not isinstance(v, bool):
                    kw[k] = float(v) if names[k] == "float" else v
        return cls(**kw)

    def process_gone(self) -> bool:
        """True when the holder was a process on this machine that no longer runs."""
        if self.host != socket.gethostname():
            return False
        if self.boot and _boot_id() and self.boot != _boot_id():
            return True                          # the machine restarted since
        if not pid_alive(self.pid):
            return True
        return bool(self.started) and _start_ticks(self.pid) not in ("", self.started)


@dataclasses.dataclass
class LockHeld:
    """Someone else has the issue open: open it read-only and say who.

    ``stale`` is True when the holder looks gone but this machine cannot prove
    it (another host, heartbeat older than ``stale_hours``; or a lock file
    that cannot be read): the user may ``break_lock`` it.
    """
    path: Path                     # the issue
    lock: Path                     # its lock file
    info: LockInfo | None          # None: the lock file cannot be read
    age: float                     # seconds since the holder's last heartbeat
    stale: bool = False
    mine: bool = False             # held by this very process (the issue is open twice)

    def describe(self) -> str:
        """One line for the status bar: who has the issue open, since when."""
        if self.info is None:
            what = f"{self.path.name} is locked by an unreadable lock file {self.lock.name}"
        else:
            i = self.info
            since = time.strftime("%Y-%m-%d %H:%M", time.localtime(i.time)) if i.time else "?"
            who = i.user or "someone"
            what = (f"{self.path.name} is open in {i.app or 'Banmian'} by {who} on "
                    f"{i.host or '?'} (pid {i.pid}) since {since}")
            if self.mine:
                what += " — in this window's own program"
        if self.stale:
            what += f"; no sign of life for {self.age / 3600:.1f} hours (stale?)"
        return what

    def __str__(self) -> str:
        return self.describe()


class Lock:
    """A lock this process holds; ``release`` it when the document closes."""

    def __init__(self, path: Path, lock: Path, info: LockInfo):
        self.path, self.lock, self.info = path, lock, info
        self.released = False

    def __repr__(self) -> str:
        return f"<Lock {self.lock} pid={self.info.pid}>"

    def __enter__(self) -> "Lock":
        return self

    def __exit__(self, *exc) -> None:
        self.release()

    def held(self) -> bool:
        """Whether the lock file on disk is still this lock (nobody broke it)."""
        if self.released:
            return False
        info = read_lock(self.lock)[0]
        return info is not None and info.token == self.info.token

    def touch(self) -> bool:
        """Refresh the heartbeat others judge staleness by; False if the lock was lost."""
        if not self.held():
            return False
        try:
            os.utime(self.lock)
        except OSError:
            return False
        return True

    def release(self) -> None:
        """Remove the lock file if it is still ours (idempotent)."""
        if self.released:
            return
        self.released = True
        info = read_lock(self.lock)[0]
        if info is None or info.token != self.info.token:
            return                               # broken and maybe taken by someone else
        try:
            os.unlink(self.lock)
        except OSError:
            pass


# ---------------------------------------------------------------- files
def read_lock(lock: Path, info=LockInfo) -> tuple[LockInfo | None, float | None]:
    """(facts, heartbeat mtime) of a lock file; (None, None) when it does not exist.
    ``info``: the LockInfo class to read the facts as (a subclass may carry more)."""
    try:
        with open(lock, "rb") as fh:
            st = os.fstat(fh.fileno())
            data = fh.read(65536)
    except FileNotFoundError:
        return None, None
    except OSError:
        return None, 0.0
    return info.from_json(data), st.st_mtime


def _create(lock: Path, info: LockInfo) -> bool:
    """Create the lock file with its whole content, exclusively; False if it exists.

    The content goes to a temporary file first, which is then hard-linked to
    the lock name (link fails if the name exists), so nobody ever sees a
    half-written lock.  Where hard links are not supported, O_CREAT|O_EXCL.
    """
    data = info.to_json()
    tmp = lock.with_name(f"{lock.name}.{info.token}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, lock)
            return True
        except FileExistsError:
            return False
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV,
                                 errno.ENOSYS, errno.EMLINK):
                raise
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass
    try:                                         # no hard links here (FAT, some SMB shares)
        fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return False
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    return True


def _remove_if(lock: Path, token: str | None) -> bool:
    """Remove the lock file only if it is still the one seen (token; None: unreadable).

    The file is first renamed to a name of our own — only one of several
    processes breaking the same lock succeeds — and put back if it turns out
    to be a newer lock someone made meanwhile.
    """
    aside = lock.with_name(f"{lock.name}.{uuid.uuid4().hex}.broken")
    try:
        os.rename(lock, aside)
    except FileNotFoundError:
        return True                              # gone already
    info = read_lock(aside)[0]
    if (info.token if info is not None else None) != token:
        try:                                     # not the lock we judged: put it back
            os.link(aside, lock)
        except FileExistsError:
            pass
        except OSError:
            if not lock.exists():
                os.replace(aside, lock)
                return False
        try:
            os.unlink(aside)
        except OSError:
            pass
        return False
    try:
        os.unlink(aside)
    except OSError:
        pass
    return True


def acquire(path: str | os.PathLike, *, stale_hours: float = STALE_HOURS) -> "Lock | LockHeld":
    """Lock an issue for editing: a ``Lock``, or ``LockHeld`` saying who has it.

    A lock left by a dead process of this machine is cleared on the way.
    """
    p = Path(path)
    lock = lock_path(p)
    info = LockInfo.mine()
    for _ in range(5):
        if _create(lock, info):
            return Lock(p, lock, info)
        held, beat = read_lock(lock)
        if beat is None:
            continue                             # released meanwhile: try again
        age = max(0.0, time.time() - beat)
        if held is None:
            if age < _UNREADABLE_GRACE:          # being written by an O_EXCL creator
                time.sleep(0.05)
                continue
            return LockHeld(p, lock, None, age, stale=True)
        if held.process_gone():
            _remove_if(lock, held.token)
            continue
        mine = held.host == info.host and held.pid == info.pid
        stale = held.host != info.host and age > stale_hours * 3600
        return LockHeld(p, lock, held, age, stale=stale, mine=mine)
    held, beat = read_lock(lock)
    return LockHeld(p, lock, held, max(0.0, time.time() - (beat or time.time())))


def holder(path: str | os.PathLike) -> LockInfo | None:
    """Who has the issue locked now (None: nobody, or an unreadable lock)."""
    return read_lock(lock_path(path))[0]


def break_lock(path: str | os.PathLike, held: LockHeld) -> bool:
    """Remove the lock reported by ``held`` (the user chose to); False if it changed since."""
    return _remove_if(lock_path(path), held.info.token if held.info else None)


# ---------------------------------------------------------------- changed on disk
@dataclasses.dataclass(frozen=True)
class Fingerprint:
    """What a file was: its modification time, size and content hash."""
    mtime_ns: int
    size: int
    sha256: str


def fingerprint(path: str | os.PathLike) -> Fingerprint | None:
    """The file's fingerprint now; None when it does not exist."""
    try:
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            h = hashlib.sha256()
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except FileNotFoundError:
        return None
    return Fingerprint(st.st_mtime_ns, st.st_size, h.hexdigest())


def changed_since(path: str | os.PathLike, fp: Fingerprint | None) -> bool:
    """Whether the file's content differs from the fingerprint (created or deleted counts).

    Only the content decides: a file touched or rewritten with the same bytes
    has not changed.
    """
    now = fingerprint(path)
    if now is None or fp is None:
        return (now is None) != (fp is None)
    return (now.size, now.sha256) != (fp.size, fp.sha256)


class ChangedOnDisk(Exception):
    """The file was changed by someone else since it was read: saving would lose that."""

    def __init__(self, path: str | os.PathLike, before: Fingerprint | None,
                 now: Fingerprint | None):
        self.path, self.before, self.now = Path(path), before, now
        if now is None:
            what = "was deleted"
        elif before is None:
            what = "was created by someone else"
        else:
            when = time.strftime("%H:%M:%S", time.localtime(now.mtime_ns / 1e9))
            what = f"was changed on disk at {when}"
        super().__init__(f"{self.path}: {what} since it was opened; saving would "
                         "overwrite those changes")


def check_unchanged(path: str | os.PathLike, fp: Fingerprint | None) -> None:
    """Raise ``ChangedOnDisk`` when the file differs from ``fp`` (call before saving over it)."""
    if changed_since(path, fp):
        raise ChangedOnDisk(path, fp, fingerprint(path))


def save_checked(issue, path: str | os.PathLike, fp: Fingerprint | None) -> Fingerprint:
    """Save an issue over ``path`` unless it changed since ``fp``; the new fingerprint.

    ``ChangedOnDisk`` when it changed (nothing is written then).
    """
    from .docfile import save_issue
    check_unchanged(path, fp)
    save_issue(issue, path)
    new = fingerprint(path)
    assert new is not None
    return new


# ---------------------------------------------------------------- leftovers
def clean_temporaries(path: str | os.PathLike, older_than: float = 600.0) -> list[Path]:
    """Remove temporary files a killed save left beside ``path``; the ones removed.

    ``docfile.atomic_write`` writes ``.<name>.<random>.tmp`` and renames it over
    the file, so a crash never leaves a half-written file under the real name —
    but it may leave that temporary.  Only temporaries older than ``older_than``
    seconds go (a colleague's save in progress is younger).  Call it after
    ``acquire`` succeeded, for the issue and for its recovery file.
    """
    p = Path(path)
    removed = []
    now = time.time()
    try:
        names = os.listdir(p.parent or ".")
    except OSError:
        return removed
    prefix = f".{p.name}."
    for name in names:
        if not (name.startswith(prefix) and name.endswith(".tmp")):
            continue
        q = p.parent / name
        try:
            if now - q.stat().st_mtime >= older_than:
                q.unlink()
                removed.append(q)
        except OSError:
            pass
    return removed
