"""common/user.py: the user's name as getpass.getuser gives it, without getpass."""
from __future__ import annotations

import getpass
import os
import pwd
import subprocess
import sys

from common.user import getuser
from support.paths import MAIN


def test_the_name_is_getpass_s(monkeypatch):
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.delenv(name, raising=False)
    assert getuser() == getpass.getuser() == pwd.getpwuid(os.getuid())[0]
    monkeypatch.setenv("USERNAME", "编辑甲")
    assert getuser() == getpass.getuser() == "编辑甲"
    monkeypatch.setenv("USER", "")
    assert getuser() == getpass.getuser() == "编辑甲"
    monkeypatch.setenv("LOGNAME", "zhang")
    assert getuser() == getpass.getuser() == "zhang"


def test_proof_rounds_record_it_without_getpass():
    code = ("import sys; import proofs.rounds as r; "
            "print(r._user(), 'getpass' in sys.modules, 'termios' in sys.modules)")
    env = dict(os.environ, LOGNAME="", USER="wang", LNAME="", USERNAME="")
    got = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, cwd=str(MAIN.parent))
    assert got.returncode == 0, got.stderr[-2000:]
    assert got.stdout.split() == ["wang", "False", "False"]
