"""Lock files as another holder would have left them (tests of layout.lockfile and the editor)."""
from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import time

from layout import lockfile as L


def forge(path, age_hours: float = 0.0, **fields) -> L.LockInfo:
    """Write the lock file of ``path`` as some other holder would have (``fields`` of
    LockInfo: user, host, pid ...), its heartbeat ``age_hours`` old."""
    info = dataclasses.replace(L.LockInfo.mine(), **fields)
    lock = L.lock_path(path)
    lock.write_bytes(info.to_json())
    t = time.time() - age_hours * 3600
    os.utime(lock, (t, t))
    return info


def dead_pid() -> int:
    """The pid of a process that has just ended."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid
