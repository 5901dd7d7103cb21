"""Cache directory helpers: atomic writes and inter-process locks."""
from __future__ import annotations

import contextlib
import os
from pathlib import Path

from common.fs import atomic_write as _atomic_write
from common.fs import cache_dir as default_cache_dir  # noqa: F401  (used by library)


def atomic_write(path: str | os.PathLike, data: bytes | None = None, writer=None) -> None:
    """Write bytes (or call writer(tmp_path)) atomically, creating the folder if needed."""
    _atomic_write(path, data, writer=writer, make_dirs=True)


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
