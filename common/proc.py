"""Processes on this machine."""
from __future__ import annotations

import os
import sys


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid runs on this machine (unknown counts as alive)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":                 # os.kill(pid, 0) would terminate it there
        import ctypes
        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        handle = kernel32.OpenProcess(0x1000, False, pid)   # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return ctypes.get_last_error() == 5               # access denied: it exists
        code = ctypes.c_ulong()
        ok = kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return not ok or code.value == 259                  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:                             # EPERM: someone else's process
        return True
    return True
