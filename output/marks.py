"""Printer's marks and proof furniture: crop marks, the slug line's text, page geometry."""
from __future__ import annotations

from datetime import datetime

from common.prebuilt import prebuilt_dataclass
from layout.units import PT_PER_MM, chinese_numeral

from . import _methods as _dataclass_methods

# @dataclass, with the methods dataclasses would write generated ahead of time into
# output/_methods.py (see common/prebuilt.py)
dataclass = prebuilt_dataclass(_dataclass_methods)

MARK_OFFSET = 3 * PT_PER_MM      # gap between the trim corner and a crop mark (at least the bleed)
MARK_LENGTH = 7 * PT_PER_MM
MARK_WEIGHT = 0.25
MARK_PAD = 2 * PT_PER_MM         # free paper beyond the marks
SLUG_SIZE = 7.0                  # pt, slug text
PROOF_STRIP = 20.0               # pt below a proof page for its slug


@dataclass(frozen=True)
class PageGeometry:
    """Where a page's trim sits on the PDF page; PDF coordinates (y up)."""
    media_w: float
    media_h: float
    ox: float                     # trim's left edge
    oy: float                     # trim's bottom edge
    w: float                      # trim width
    h: float                      # trim height
    bleed: float = 0.0

    @property
    def top(self) -> float:
        """PDF y of the trim's top edge (page y = 0)."""
        return self.oy + self.h

    @property
    def trim_box(self) -> tuple[float, float, float, float]:
        """The TrimBox [x0 y0 x1 y1]."""
        return (self.ox, self.oy, self.ox + self.w, self.oy + self.h)

    @property
    def bleed_box(self) -> tuple[float, float, float, float]:
        """The BleedBox [x0 y0 x1 y1] (the trim grown by the bleed, within the media)."""
        b = self.bleed
        return (max(0.0, self.ox - b), max(0.0, self.oy - b),
                min(self.media_w, self.ox + self.w + b), min(self.media_h, self.oy + self.h + b))


def print_geometry(w: float, h: float, bleed: float, marks: bool) -> PageGeometry:
    """Media grown by the bleed and, with marks, room for crop marks and a slug."""
    m = bleed + (max(MARK_OFFSET, bleed) - bleed + MARK_LENGTH + MARK_PAD if marks else 0.0)
    return PageGeometry(w + 2 * m, h + 2 * m, m, m, w, h, bleed)


def proof_geometry(w: float, h: float, below: float) -> PageGeometry:
    """The trim with a strip of ``below`` pt under it (slug, overset beyond the page)."""
    return PageGeometry(w, h + below, 0.0, below, w, h, 0.0)


def crop_marks(g: PageGeometry, color_op: str) -> str:
    """Stroked crop marks at the four trim corners, outside the bleed."""
    off = max(MARK_OFFSET, g.bleed)
    x0, y0, x1, y1 = g.trim_box
    ops = [f"q {MARK_WEIGHT} w 0 J [] 0 d {color_op}"]
    for x, sx in ((x0, -1), (x1, 1)):
        for y, sy in ((y0, -1), (y1, 1)):
            far = off + MARK_LENGTH
            ops.append(f"{x + sx * off:.3f} {y:.3f} m {x + sx * far:.3f} {y:.3f} l S")
            ops.append(f"{x:.3f} {y + sy * off:.3f} m {x:.3f} {y + sy * far:.3f} l S")
    ops.append("Q\n")
    return "\n".join(ops)


def slug_text(info, page_number: int, section: str, when: datetime | None,
              extra: str = "") -> str:
    """The slug line: 报名 · date · 第N版 版名 · N校 · 导出 time."""
    parts = []
    if info.paper_name:
        parts.append(info.paper_name)
    if info.date:
        parts.append(info.date)
    if info.number:
        # 期号 as the paper writes it ("第1号", "第8812期") or a bare number ("8812")
        n = str(info.number)
        parts.append(n if n.startswith("第") else f"第{n}期")
    parts.append(f"第{page_number}版" + (f" {section}" if section else ""))
    parts.append(f"{chinese_numeral(max(1, int(info.version or 1)))}校")
    when = when or datetime.now()
    parts.append("导出 " + when.strftime("%Y-%m-%d %H:%M"))
    if extra:
        parts.append(extra)
    return "  ".join(parts)


def set_line(face, text: str, size: float, x: float,
             known: dict | None = None) -> tuple[list[int], list[float], str]:
    """Glyph ids and pen x positions for one line of writer-owned text (slug, labels).

    ``face`` may be a function giving the face, called only for characters ``known``
    (character → (glyph, advance in em), filled here) does not hold yet."""
    gids, xs, kept = [], [], []
    known = {} if known is None else known
    for ch in text:
        hit = known.get(ch)
        if hit is None:
            if callable(face):
                face = face()
            g = face.gid(ch) or 0
            hit = known[ch] = (g, face.advance(g) / face.units_per_em if g else 0.0)
        g, adv = hit
        if g == 0:                                 # not in the face: leave a gap
            x += size * (0.3 if ch == " " else 1.0)
            continue
        gids.append(g)
        xs.append(x)
        kept.append(ch)
        x += adv * size
    return gids, xs, "".join(kept)
