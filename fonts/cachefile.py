"""Cache helpers for the font library: the cache root and atomic writes (both from ``common``)."""
from __future__ import annotations

import os

from common.fs import atomic_write as _atomic_write
from common.fs import cache_dir as default_cache_dir  # noqa: F401  (used by library)


def atomic_write(path: str | os.PathLike, data: bytes | None = None, writer=None) -> None:
    """Write bytes (or call writer(tmp_path)) atomically, creating the folder if needed."""
    _atomic_write(path, data, writer=writer, make_dirs=True)
