"""common.fs.mkstemp: tempfile.mkstemp without the tempfile module (an export's writes)."""
from __future__ import annotations

import os
import stat

from common import fs


def test_a_new_file_of_its_own_each_time(tmp_path):
    seen = set()
    for _ in range(50):
        fd, path = fs.mkstemp(prefix=".x.", suffix=".tmp", dir=str(tmp_path))
        try:
            assert os.path.isabs(path) and os.path.dirname(path) == str(tmp_path)
            name = os.path.basename(path)
            assert name.startswith(".x.") and name.endswith(".tmp") and path not in seen
            assert stat.S_IMODE(os.fstat(fd).st_mode) == 0o600
            os.write(fd, b"data")
            os.lseek(fd, 0, 0)
            assert os.read(fd, 4) == b"data"            # opened to read and write
        finally:
            os.close(fd)
        seen.add(path)


def test_a_name_taken_is_passed_by_never_opened(tmp_path, monkeypatch):
    draws = iter([b"\0" * 6, b"\0" * 6, b"\1" * 6])
    monkeypatch.setattr(os, "urandom", lambda n: next(draws))
    taken = tmp_path / (".x." + "00" * 6 + ".tmp")
    taken.write_bytes(b"someone's")
    fd, path = fs.mkstemp(prefix=".x.", suffix=".tmp", dir=str(tmp_path))
    os.close(fd)
    assert path == str(tmp_path / (".x." + "01" * 6 + ".tmp"))
    assert taken.read_bytes() == b"someone's"


def test_a_link_in_the_way_is_not_followed(tmp_path, monkeypatch):
    target = tmp_path / "target"
    target.write_bytes(b"keep")
    draws = iter([b"\2" * 6, b"\3" * 6])
    monkeypatch.setattr(os, "urandom", lambda n: next(draws))
    os.symlink(target, tmp_path / (".x." + "02" * 6 + ".tmp"))
    fd, path = fs.mkstemp(prefix=".x.", suffix=".tmp", dir=str(tmp_path))
    os.close(fd)
    assert path.endswith("03" * 6 + ".tmp") and target.read_bytes() == b"keep"


def test_atomic_writes_leave_no_temporary_file(tmp_path):
    fs.atomic_write(tmp_path / "a", b"1")
    fs.cache_write(tmp_path / "b" / "c", b"2")
    assert (tmp_path / "a").read_bytes() == b"1" and (tmp_path / "b" / "c").read_bytes() == b"2"
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a", "b", "c"]
