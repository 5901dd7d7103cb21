"""common/fastdatetime.py: datetime made from _datetime is the module its import makes."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from support.paths import MAIN

_SHOW = r"""
import json, pickle, sys
import datetime
star = {}
exec("from datetime import *", star)
space = {k: (type(v).__name__, v if isinstance(v, (int, str, tuple)) else None)
         for k, v in vars(datetime).items() if k not in ("__builtins__",)}
d = datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=datetime.timezone.utc)
print(json.dumps({
    "space": sorted(space.items()), "star": sorted(n for n in star if n != "__builtins__"),
    "file": datetime.__file__, "cached": datetime.__cached__, "sys": datetime.sys is sys,
    "same_classes": datetime.datetime is __import__("_datetime").datetime,
    "pickled": pickle.loads(pickle.dumps(d)) == d, "iso": d.isoformat(),
    "made": sys.argv[1] == "fast"}))
"""


def _show(fast: bool) -> dict:
    pre = "from common import fastdatetime; assert fastdatetime.install()\n" if fast else ""
    got = subprocess.run([sys.executable, "-c", pre + _SHOW, "fast" if fast else "plain"],
                         capture_output=True, text=True, cwd=str(MAIN.parent))
    assert got.returncode == 0, got.stderr[-2000:]
    return json.loads(got.stdout)


@pytest.mark.skipif(sys.version_info[:2] != (3, 11), reason="handled for Python 3.11 only")
def test_the_module_is_the_one_its_import_makes():
    plain, fast = _show(False), _show(True)
    assert fast.pop("made") and not plain.pop("made")
    assert fast == plain
    assert plain["sys"] and plain["same_classes"] and plain["pickled"]
    assert plain["iso"] == "2024-05-06T07:08:09+00:00"


def test_nothing_is_done_to_an_imported_datetime():
    code = ("import datetime\nfrom common import fastdatetime\n"
            "print(fastdatetime.install(), hasattr(datetime, '_ymd2ord'))")
    got = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=str(MAIN.parent))
    assert got.stdout.split() == ["False", "False"], got.stderr[-2000:]
