"""The layout result: what the engine produced, ready for any painter.

Coordinates are points on the page with the origin at the trim's top-left
corner and y growing downwards (as Qt draws; the PDF writer flips them).
Every glyph run carries the glyph ids and exact positions to draw and the
story offsets they came from, so painters never measure text again.
"""
from __future__ import annotations

from dataclasses import dataclass, field

Rect = tuple[float, float, float, float]      # x, y, width, height


@dataclass(frozen=True, slots=True)
class Source:
    """Where a run's characters come from: a story paragraph, or a frame field."""
    story: str = ""          # story id, "" for frame-owned text (captions, jump lines)
    para: int = -1           # paragraph index in the story (-1: headline/byline/etc.)
    part: str = "body"       # body | kicker | title | subtitle | byline | jump | caption | credit


@dataclass(frozen=True, slots=True)
class GlyphRun:
    """Glyphs of one face and size on one baseline (or one vertical column)."""
    font: str                        # face key in the FontSet (fonts.FontFace.key)
    size: float                      # pt
    glyphs: tuple[int, ...]          # glyph ids in that face
    xs: tuple[float, ...]            # pen x of each glyph (page pt)
    y: float                         # baseline (page pt); for vertical runs, see ys
    text: str                        # one character per glyph, for the text layer
    offsets: tuple[int, ...]         # character offset of each glyph in its paragraph
    source: Source = Source()
    color: str = "black"             # swatch name
    ys: tuple[float, ...] | None = None   # per-glyph baselines (vertical text)
    rotate: tuple[bool, ...] | None = None  # per glyph: draw rotated 90° (vertical Latin)


@dataclass(frozen=True, slots=True)
class LineBox:
    """One composed line: its rectangle and the story range it shows."""
    x: float
    y: float                 # baseline
    width: float             # the measure
    start: int               # first character offset in the paragraph
    end: int                 # one past the last character
    para: int
    story: str
    top: float               # baseline - ascent (for hit tests and cursor)
    bottom: float


@dataclass(frozen=True, slots=True)
class RuleItem:
    """A straight line."""
    x0: float
    y0: float
    x1: float
    y1: float
    weight: float
    color: str = "black"
    dash: tuple[float, ...] = ()


@dataclass(frozen=True, slots=True)
class BoxItem:
    """A rectangle, stroked and/or filled."""
    rect: Rect
    stroke: float = 0.0
    color: str = "black"
    fill: str = ""


@dataclass(frozen=True, slots=True)
class ImageItem:
    """A placed image: the frame's clip rectangle and the image's drawn rectangle."""
    clip: Rect
    rect: Rect                       # where the whole image is drawn (may exceed the clip)
    path: str                        # absolute path of the image file
    pixel_size: tuple[int, int]
    effective_ppi: float


@dataclass
class FrameResult:
    """Everything one frame shows, plus what did not fit."""
    frame_id: str
    kind: str
    rect: Rect
    runs: list[GlyphRun] = field(default_factory=list)
    items: list = field(default_factory=list)          # RuleItem | BoxItem | ImageItem
    lines: list[LineBox] = field(default_factory=list)
    columns: list[Rect] = field(default_factory=list)   # text column rectangles
    story: str = ""
    start: tuple[int, int] = (0, 0)     # story position (para, offset) where the frame starts
    end: tuple[int, int] = (0, 0)       # story position after its last line
    empty_lines: int = 0                # grid lines left unused at the end (underset)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """Something the layout found: an error stops a print export."""
    level: str                   # error | warning | info
    code: str                    # overset, missing-glyph, font-fallback, image-missing, ...
    message: str
    page: int = 0                # printed page number (0: not on a page)
    frame: str = ""
    story: str = ""
    offset: tuple[int, int] | None = None   # (paragraph, character)


@dataclass
class Copyfit:
    """How a story fits its thread: overset and underset in lines and characters."""
    story: str
    lines: int = 0               # lines composed in frames
    chars: int = 0               # characters composed in frames
    overset_lines: int = 0       # "超出 3 行"
    overset_chars: int = 0       # "/ 38 字"
    underset_lines: int = 0      # "缺 2 行": empty lines left in the last frame
    overset_runs: list[GlyphRun] = field(default_factory=list)  # for the proof

    def label(self) -> str:
        """The copyfit badge layout staff read: 超出 3 行 / 38 字, 缺 2 行, or 正好."""
        if self.overset_lines or self.overset_chars:
            return f"超出 {self.overset_lines} 行 / {self.overset_chars} 字"
        if self.underset_lines:
            return f"缺 {self.underset_lines} 行"
        return "正好"


@dataclass
class PageResult:
    """A composed page: size, the frames' results in drawing order."""
    number: int
    width: float
    height: float
    frames: list[FrameResult] = field(default_factory=list)

    def runs(self):
        """Every glyph run on the page."""
        for fr in self.frames:
            yield from fr.runs


@dataclass
class LayoutResult:
    """The whole composed issue: pages, copyfit per story, diagnostics."""
    pages: list[PageResult] = field(default_factory=list)
    copyfit: dict[str, Copyfit] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    colors: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)

    def errors(self) -> list[Diagnostic]:
        """The diagnostics of level error."""
        return [d for d in self.diagnostics if d.level == "error"]

    def page(self, number: int) -> PageResult:
        """The page printed with this number."""
        for p in self.pages:
            if p.number == number:
                return p
        raise KeyError(number)
