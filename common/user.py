"""The user's login name as ``getpass.getuser()`` gives it, without importing getpass.

``getpass`` imports ``termios`` (a dynamic library, for reading a password) at its own
import; an export asks only for the name (recorded with a proof round).
"""
from __future__ import annotations

import os


def getuser() -> str:
    """The first of LOGNAME, USER, LNAME and USERNAME that is set and not empty, else the
    password database's name for this process's user (``KeyError`` if it has none; on
    a system without ``pwd``, ``OSError``), as ``getpass.getuser`` answers."""
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        user = os.environ.get(name)
        if user:
            return user
    try:
        import pwd
    except ImportError:
        raise OSError("no user name: none of LOGNAME, USER, LNAME, USERNAME is set") from None
    return pwd.getpwuid(os.getuid())[0]
