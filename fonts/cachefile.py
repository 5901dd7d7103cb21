"""Cache directory helpers: atomic writes and inter-process locks."""
from __future__ import annotations

import contextlib
import os
from pathlib import Path


def default_cache_dir() -> Path:
    """The Banmian cache root: $BANMIAN_CACHE_DIR, else ~/.cache/banmian."""
    env = os.environ.get("BANMIAN_CACHE_DIR")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "banmian"


def atomic_write(path: str | os.PathLike, data: bytes | None = None, writer=None) -> None:
    """Write bytes (or call writer(tmp_path)) into a temp file beside path, then rename it over path."""
    import tempfile
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if writer is None:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
        else:
            os.close(fd)
            writer(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def file_lock(path: str | os.PathLike):
    """Hold an exclusive advisory lock on path (created if needed) while the block runs."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fh = open(path, "a+b")
    try:
        try:
            import fcntl
        except ImportError:          # not POSIX: no locking, atomic renames still protect the cache
            fcntl = None
        if fcntl is not None:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        yield
    finally:
        fh.close()
