"""The few facts the proof tools read from a composed result, through small functions.

Everything in ``proofs`` and ``epaper`` reads the layout result only through
the functions here (frames with their story, glyphs with their boxes from the
runs' advances and their story offsets), so a change of its shape touches one file.
"""
from __future__ import annotations

from common.prebuilt import prebuilt_dataclass
from layout.result import run_styles

from . import _methods as _dataclass_methods

# @dataclass, with the methods dataclasses would write generated ahead of time into
# proofs/_methods.py (see common/prebuilt.py)
dataclass = prebuilt_dataclass(_dataclass_methods)

Rect = tuple[float, float, float, float]


@dataclass(frozen=True)
class FrameView:
    """One frame of a composed page: where it is and whose it is."""
    page: int
    id: str
    kind: str
    rect: Rect
    story: str            # "" for frames that belong to no story (photos, rules, captions)


@dataclass(frozen=True)
class GlyphBox:
    """One glyph on a page with its source: story, part, paragraph and character offset."""
    page: int
    frame: str
    story: str
    part: str             # body | kicker | title | subtitle | byline | caption | credit | jump
    para: int
    offset: int
    char: str
    box: Rect             # x, y (top), width, height in page pt


def page_sizes(result) -> dict[int, tuple[float, float]]:
    """Width and height (pt) of each page by its printed number."""
    return {p.number: (p.width, p.height) for p in result.pages}


def frames(result, page: int | None = None) -> list[FrameView]:
    """The frames of one page (or every page) in drawing order."""
    out = []
    for p in result.pages:
        if page is not None and p.number != page:
            continue
        for fr in p.frames:
            story = fr.story
            if not story:                  # headline and byline frames name their story in runs
                story = next((st for *_, st in run_styles(fr) if st), "")
            out.append(FrameView(p.number, fr.frame_id, fr.kind, tuple(fr.rect), story))
    return out


def frame_images(result) -> dict[str, str]:
    """The image file drawn in each photo frame (absolute path), by frame id."""
    out = {}
    for p in result.pages:
        for fr in p.frames:
            for item in fr.graphics:
                path = getattr(item, "path", None)
                if path and hasattr(item, "clip"):
                    out[fr.frame_id] = path
    return out


def glyphs(result, page: int | None = None) -> list[GlyphBox]:
    """Every glyph of one page (or all pages) with its box and source, in reading order."""
    out = []
    for p in result.pages:
        if page is not None and p.number != page:
            continue
        for fr in p.frames:
            for run in fr.runs:
                src = run.source
                adv = run.advances              # from the engine: nothing is measured here
                for i, ch in enumerate(run.text):
                    if i >= len(run.xs):
                        break
                    s = run.size
                    if run.ys is not None:            # vertical: the glyph's em box below ys
                        box = (run.xs[i] - s / 2, run.ys[i] - s * 0.88, s, s)
                    else:
                        box = (run.xs[i], run.y - s * 0.88, adv[i], s * 1.1)
                    off = run.offsets[i] if i < len(run.offsets) else -1
                    out.append(GlyphBox(p.number, fr.frame_id, src.story, src.part, src.para,
                                        off, ch, box))
    return out


def copyfit(result) -> dict[str, tuple[int, int]]:
    """Overset (lines, characters) of every story."""
    return {sid: (c.overset_lines, c.overset_chars) for sid, c in result.copyfit.items()}
