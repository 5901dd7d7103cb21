"""Metrics read straight from the cmap/hmtx/vmtx tables equal those fontTools builds."""
from __future__ import annotations

import pytest

from fonts.build import build_metrics, build_metrics_fast, open_face, raw_cmap


def _fields(m):
    return {k: getattr(m, k) for k in ("num_glyphs", "bmp", "sup", "adv", "vadv", "vert",
                                       "default_vadv", "source")}


def test_fast_metrics_equal_fonttools_for_the_sample_faces(real_fontset_factory):
    from support.bigissue import sample_issue
    fs = real_fontset_factory(sample_issue().fonts)
    infos = {f.key: f.info for f in fs.all_faces()}
    if not infos:
        pytest.skip("no installed fonts")
    kinds = set()
    for info in infos.values():
        fast = build_metrics_fast(open_face(info), info)
        assert fast is not None, info.source
        assert _fields(fast) == _fields(build_metrics(open_face(info), info)), info.source
        kinds.add(info.outline)
    assert kinds                                           # CFF and/or TrueType faces compared


def _format4(segments):
    """A cmap table with one (3,1) format-4 subtable: segments of (start, end, delta)."""
    import struct
    segments = list(segments) + [(0xFFFF, 0xFFFF, 1)]
    n = len(segments)
    body = struct.pack(">HHHHH", 2 * n, 0, 0, 0, 0)[:2] + b"\0" * 6
    ends = b"".join(struct.pack(">H", e) for _s, e, _d in segments)
    starts = b"".join(struct.pack(">H", s) for s, _e, _d in segments)
    deltas = b"".join(struct.pack(">h", d) for _s, _e, d in segments)
    ranges = b"\0\0" * n
    sub = ends + b"\0\0" + starts + deltas + ranges
    length = 14 + len(sub)
    table = struct.pack(">HHH", 4, length, 0) + body + sub
    return struct.pack(">HHHHI", 0, 1, 3, 1, 12) + table


def test_raw_format4_segments_with_deltas():
    got = raw_cmap(_format4([(0x41, 0x43, -0x40 + 3)]))   # A B C → 4 5 6
    assert got == {0x41: 4, 0x42: 5, 0x43: 6}
