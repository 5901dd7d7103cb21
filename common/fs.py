"""Files: atomic writes and the cache directory."""
from __future__ import annotations

import contextlib
import os
from pathlib import Path

# what tempfile.mkstemp opens its file with (its module, with shutil and random that it
# imports, is 1–2 ms of a start that writes a cache entry or a PDF and makes no other
# temporary file)
_TEMP_FLAGS = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | \
    getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def mkstemp(prefix: str, suffix: str, dir: str) -> tuple[int, str]:
    """``tempfile.mkstemp(suffix, prefix, dir)``: a new file of its own (mode 0600, opened
    for reading and writing, never one that was there), its descriptor and absolute path."""
    for _ in range(10000):
        name = os.path.join(dir, f"{prefix}{os.urandom(6).hex()}{suffix}")
        try:
            fd = os.open(name, _TEMP_FLAGS, 0o600)
        except FileExistsError:
            continue
        return fd, os.path.abspath(name)
    raise FileExistsError("no usable temporary file name found in " + dir)


def cache_dir(*parts: str) -> Path:
    """The Banmian cache directory (or a path inside it; nothing is created).

    ``$BANMIAN_CACHE_DIR`` overrides it for every cache; otherwise it is
    ``$XDG_CACHE_HOME/banmian``, by default ``~/.cache/banmian``.
    """
    env = os.environ.get("BANMIAN_CACHE_DIR")
    if env:
        root = Path(env).expanduser()
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = Path(xdg).expanduser() if xdg and os.path.isabs(os.path.expanduser(xdg)) \
            else Path.home() / ".cache"
        root = base / "banmian"
    return root.joinpath(*parts)


def _new_file_mode() -> int:
    """The mode a newly created file gets under the process's umask."""
    try:                                        # Linux: read it without changing it
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (where the system allows opening folders)."""
    try:
        fd = os.open(str(folder), os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(path: str | os.PathLike, data: bytes | None = None, *, writer=None,
                 make_dirs: bool = False, sync: bool = True) -> None:
    """Write a file so that a crash leaves either the old or the new content.

    The bytes ``data`` (or whatever ``writer(temp_path)`` writes) go to a
    temporary file ``.<name>.<random>.tmp`` in the same folder, which is
    fsynced and renamed over ``path``; then the folder is fsynced.  The file
    keeps the mode of the file it replaces; a new file gets the umask's mode
    (not mkstemp's 0600).  On any failure the temporary file is removed and
    the old file is left as it was.  ``make_dirs`` creates missing folders.
    ``sync=False`` leaves out the fsyncs, for files made again from others (an export):
    still never half a file while the system runs.
    """
    if (data is None) == (writer is None):
        raise TypeError("atomic_write needs either data or writer")
    p = Path(path)
    folder = p.parent if str(p.parent) else Path(".")
    if make_dirs:
        folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=str(folder))
    try:
        try:
            mode = os.stat(p).st_mode & 0o7777
        except OSError:
            mode = _new_file_mode()
        with contextlib.suppress(OSError):
            os.chmod(tmp, mode)
        if writer is None:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                if sync:
                    fh.flush()
                    os.fsync(fh.fileno())
        else:
            os.close(fd)
            writer(tmp)
            if sync:
                tfd = os.open(tmp, os.O_RDONLY)
                try:
                    os.fsync(tfd)
                finally:
                    os.close(tfd)
        os.replace(tmp, p)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if sync:
        fsync_dir(folder)


def cache_write(path: str | os.PathLike, data: bytes) -> None:
    """Write a cache file: a temporary file renamed over ``path`` (folders made), no fsync.

    For data that can be made again: readers never see a half-written file while
    the system runs, and must treat what a crash may leave (an empty or cut file)
    as missing.  Much cheaper than ``atomic_write`` for hundreds of small entries.
    """
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=str(p.parent))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, _new_file_mode())
        os.replace(tmp, p)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _check_header(data) -> bytes:
    """The 8 bytes a checked entry starts with: the CRC-32 of its data and their length
    (a CRC catches a torn or altered write as surely as a cryptographic digest catches
    it, at a third of SHA-1's cost; nothing here defends against a forger, who could
    write the cache's entries whole)."""
    import zlib
    n = len(data)
    return zlib.crc32(data).to_bytes(4, "little") + n.to_bytes(4, "little") \
        if n < 1 << 32 else b""


def cache_write_checked(path: str | os.PathLike, data: bytes) -> None:
    """``cache_write`` of ``data`` after its checksum (CRC-32 and length), so that
    ``cache_read_checked`` can tell a whole entry from a cut, altered or foreign one.
    Being checked, the entry is written straight to ``path`` (made, or written over in
    place): a reader meeting it half written finds its checksum wrong, a miss; a
    temporary file made and renamed costs 4–20 times more on some file systems.  Where
    that fails (no folder yet), through ``cache_write``."""
    blob = _check_header(data) + data
    if not _write_in_place(path, blob):
        cache_write(path, blob)


def _write_in_place(path, blob: bytes) -> bool:
    """Write ``blob`` to the file at ``path`` (made, or written over and cut to its
    length: cutting it first would free its blocks, 10 times dearer); False when it
    cannot be opened or written."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o666)
    except OSError:
        return False
    try:
        view = memoryview(blob)
        while view:
            view = view[os.write(fd, view):]
        os.ftruncate(fd, len(blob))
    except OSError:
        return False
    finally:
        os.close(fd)
    return True


def cache_read_checked(path: str | os.PathLike) -> memoryview | None:
    """The data ``cache_write_checked`` wrote to ``path`` (a view of the bytes read: no
    copy), or None when the file is missing, unreadable, cut or altered (or written
    with the SHA-1 an older version put first: a miss, made again)."""
    try:
        with open(path, "rb") as fh:
            blob = fh.read()
    except OSError:
        return None
    data = memoryview(blob)[8:]
    if len(blob) > 8 and int.from_bytes(blob[4:8], "little") == len(data) and \
            _check_header(data) == blob[:8]:
        return data
    return None
