"""Cache directory helpers: the cache root and atomic writes."""
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
