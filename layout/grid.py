"""Page geometry: the type area, the column grid and the baseline grid, in points."""
from __future__ import annotations

import math

from common.prebuilt import prebuilt_dataclass

from .model import Frame, Paper, TextFrame
from .units import font_size, length
from . import _methods as _dataclass_methods

# @dataclass, with the methods dataclasses would write generated ahead of time into
# layout/_methods.py (see common/prebuilt.py)
dataclass = prebuilt_dataclass(_dataclass_methods)

#: Where the baseline sits in a body line's em box: CJK fonts put the ideographic
#: em box 0.88 em above and 0.12 em below the baseline.
EM_ASCENT = 0.88


@dataclass(frozen=True)
class PageGeometry:
    """A paper's page resolved to points (origin at the trim's top-left, y down)."""
    width: float
    height: float
    left: float              # type area
    top: float
    column: float            # basic column width
    gutter: float
    columns: int
    pitch: float             # baseline grid step
    lines: int               # grid lines in the type area
    body: float              # body size (what 字 counts)
    bleed: float

    def length(self, spec) -> float:
        """A length on this page: 字 counts body characters, 行 grid lines, 栏 basic columns."""
        return length(spec, char=self.body, line=self.pitch, column=self.column)

    @classmethod
    def of(cls, paper: Paper) -> "PageGeometry":
        """Resolve a paper's settings."""
        g = paper.grid
        body = font_size(g.body, paper.hao)
        pitch = length(g.pitch, char=body, line=body * 4 / 3)
        column = length(g.column, char=body, line=pitch)
        gutter = length(g.gutter, char=body, line=pitch)
        height = length(paper.height, char=body, line=pitch)
        top = length(paper.margin_top, char=body, line=pitch)
        bottom = length(paper.margin_bottom, char=body, line=pitch)
        lines = int(math.floor((height - top - bottom) / pitch + 1e-6))
        return cls(width=length(paper.width, char=body, line=pitch), height=height,
                   left=length(paper.margin_inside, char=body, line=pitch), top=top,
                   column=column, gutter=gutter, columns=g.columns, pitch=pitch,
                   lines=lines, body=body,
                   bleed=length(paper.bleed, char=body, line=pitch))

    # ------------------------------------------------------------ grid cells
    @property
    def type_width(self) -> float:
        """Width of the type area (all columns and gutters)."""
        return self.columns * self.column + (self.columns - 1) * self.gutter

    @property
    def type_height(self) -> float:
        """Height of the type area in whole grid lines."""
        return self.lines * self.pitch

    def col_x(self, col: int) -> float:
        """Left edge of basic column ``col``."""
        return self.left + col * (self.column + self.gutter)

    def span_width(self, cols: int) -> float:
        """Width of ``cols`` basic columns with the gutters between them."""
        return cols * self.column + (cols - 1) * self.gutter

    def line_y(self, line: int) -> float:
        """Top of grid line ``line`` (0-based)."""
        return self.top + line * self.pitch

    def baseline(self, line: int, size: float | None = None, lines: int = 1) -> float:
        """The baseline of type of ``size`` centred in ``lines`` grid lines from ``line``."""
        s = self.body if size is None else size
        return self.line_y(line) + (lines * self.pitch - s) / 2 + EM_ASCENT * s

    def line_at(self, y: float) -> int:
        """The grid line containing page y (may be out of range)."""
        return int(math.floor((y - self.top) / self.pitch))

    def frame_rect(self, frame: Frame) -> tuple[float, float, float, float]:
        """The frame's rectangle in page points."""
        if frame.box:
            x, y, w, h = (self.length(v) for v in frame.box)
            return (self.left + x, self.top + y, w, h)
        return (self.col_x(frame.col), self.line_y(frame.line),
                self.span_width(frame.cols), frame.lines * self.pitch)

    def text_columns(self, frame: TextFrame) -> list[tuple[float, float]]:
        """(x, width) of each text column of a text frame."""
        x, _, w, _ = self.frame_rect(frame)
        n = frame.columns or max(1, frame.cols)
        if frame.columns == 0 and not frame.box:
            return [(self.col_x(frame.col + i), self.column) for i in range(n)]
        gut = length(frame.gutter, char=self.body, line=self.pitch) if frame.gutter else self.gutter
        # re-divided columns (破栏) hold whole characters; the gutters take what is left
        chars = math.floor(((w - (n - 1) * gut) / n) / self.body + 1e-6)
        cw = chars * self.body if chars > 0 else (w - (n - 1) * gut) / n
        gut = (w - n * cw) / (n - 1) if n > 1 else 0.0
        return [(x + i * (cw + gut), cw) for i in range(n)]

    def on_page(self, frame: Frame) -> bool:
        """Whether the frame lies within the page (bleed allowed)."""
        x, y, w, h = self.frame_rect(frame)
        b = self.bleed + 0.01
        return (w > 0 and h > 0 and x >= -b and y >= -b
                and x + w <= self.width + b and y + h <= self.height + b)
