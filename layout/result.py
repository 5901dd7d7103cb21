"""The layout result: what the engine produced, ready for any painter.

Coordinates are points on the page with the origin at the trim's top-left
corner and y growing downwards (as Qt draws; the PDF writer flips them).
Every glyph run carries the glyph ids and exact positions to draw and the
story offsets they came from, so painters never measure text again.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import field, fields
from types import MappingProxyType

from common.prebuilt import prebuilt_dataclass

from . import _result_methods
from .position import StoryPos

# @dataclass, with the methods dataclasses would write taken from _result_methods.py
# (generated: python -m common.prebuilt layout.result layout/_result_methods.py); a
# frozen class's __init__ stores each field through its slot
dataclass = prebuilt_dataclass(_result_methods)

Rect = tuple[float, float, float, float]      # x, y, width, height


@dataclass(frozen=True, slots=True)
class Source:
    """Where a run's characters come from: a story paragraph, or a frame field."""
    story: str = ""          # story id, "" for frame-owned text (captions, jump lines)
    para: int = -1           # paragraph index in the story (-1: headline/byline/etc.)
    part: str = "body"       # body | kicker | title | subtitle | byline | jump | caption | credit


@dataclass(frozen=True, slots=True)
class GlyphRun:
    """Glyphs of one face and size on one baseline (or one vertical column).

    ``advances`` are the drawn advances the engine set (compression included),
    so the end of glyph i is ``xs[i] + advances[i]`` (``ys[i] + advances[i]`` in
    a vertical run); ``offsets`` say which story characters they show.
    """
    font: str                        # face key in the FontSet (fonts.FontFace.key)
    size: float                      # pt
    glyphs: tuple[int, ...]          # glyph ids in that face
    xs: tuple[float, ...]            # pen x of each glyph (page pt)
    y: float                         # baseline (page pt); for vertical runs, see ys
    text: str                        # one character per glyph, for the text layer
    offsets: tuple[int, ...]         # character offset of each glyph in its paragraph
    advances: tuple[float, ...]      # drawn advance of each glyph (pt)
    source: Source = Source()
    color: str = "black"             # swatch name
    ys: tuple[float, ...] | None = None   # per-glyph baselines (vertical text)
    rotate: tuple[bool, ...] | None = None  # per glyph: draw rotated 90° (vertical Latin)
    hscale: float = 1.0              # 长N type: glyphs drawn narrowed to this width (advances
    vscale: float = 1.0              # already include it); 扁N: drawn lowered to this height

    @property
    def right(self) -> float:
        """Where the last glyph ends on the line (its pen x plus its advance)."""
        return self.xs[-1] + self.advances[-1] if self.xs else 0.0


@dataclass(frozen=True, slots=True)
class LineBox:
    """One composed line: its rectangle, the story range it shows and its glyph runs."""
    x: float
    y: float                 # baseline
    width: float             # the measure
    start: int               # first character offset in the paragraph
    end: int                 # one past the last character
    para: int
    story: str
    top: float               # baseline - ascent (for hit tests and cursor)
    bottom: float
    runs: tuple[GlyphRun, ...] = ()   # the line's glyphs, left to right

    @property
    def start_pos(self) -> StoryPos:
        """The story position the line starts at."""
        return StoryPos(self.para, self.start)

    @property
    def end_pos(self) -> StoryPos:
        """The story position after the line's last character."""
        return StoryPos(self.para, self.end)

    @property
    def right(self) -> float:
        """Where the line's last glyph ends (its left edge when it shows none)."""
        return max((r.right for r in self.runs if r.xs), default=self.x)


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
class PathItem:
    """Vector outlines (patterned borders and rules, 花边), filled and/or stroked.

    ``ops`` are subpath commands in page points: ``("M", x, y)``, ``("L", x, y)``,
    ``("C", x1, y1, x2, y2, x, y)`` (a cubic Bézier) and ``("Z",)`` (close).
    Filling uses the non-zero winding rule; strokes have butt caps and mitred joins.
    """
    ops: tuple[tuple, ...]
    stroke: float = 0.0              # line width; 0: not stroked
    color: str = "black"             # the stroke's colour
    fill: str = ""                   # the fill's colour, "" = none


@dataclass(frozen=True, slots=True)
class ImageItem:
    """A placed image: the frame's clip rectangle and the image's drawn rectangle."""
    clip: Rect
    rect: Rect                       # where the whole image is drawn (may exceed the clip)
    path: str                        # absolute path of the image file
    pixel_size: tuple[int, int]
    effective_ppi: float


Item = LineBox | GlyphRun | RuleItem | BoxItem | PathItem | ImageItem


@dataclass(frozen=True, slots=True)
class FrameResult:
    """Everything one frame shows, in drawing order, plus where its story stands.

    ``items`` holds lines (with their glyph runs), loose glyph runs where no
    story line applies (headlines, captions, jump lines), rules, boxes and
    images.  A frame result is a value: composing again gives a new object
    only for a frame that changed.
    """
    frame_id: str
    kind: str
    rect: Rect
    items: tuple[Item, ...] = ()
    columns: tuple[Rect, ...] = ()      # text column rectangles
    story: str = ""
    start: StoryPos = StoryPos()        # story position where the frame starts
    end: StoryPos = StoryPos()          # story position after its last line
    empty_lines: int = 0                # grid lines left empty at its column feet (缺 N 行)
    rotation: float = 0.0               # degrees clockwise about the rect's centre (y down)
    layer: str = ""                     # the layer it is drawn on ("" = the first)
    printable: bool = True              # False: on a non-printing layer (never in print)
    visible: bool = True                # False: on a hidden layer
    master: str = ""                    # the master page it comes from ("" = the page's own)
    _lines: tuple = field(default=(), init=False, repr=False, compare=False)
    _runs: tuple = field(default=(), init=False, repr=False, compare=False)
    #: the items' cache encoding when known (see ``Lazy``: the layout cache stores them
    #: again without encoding the items anew; not part of the frame's value)
    _blob: tuple | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self):
        items = _ITEMS_SLOT.__get__(self)
        object.__setattr__(self, "columns", tuple(self.columns))
        if type(items) is Lazy:             # decoded when first read (see Lazy)
            _BLOB_SLOT.__set__(self, items.enc)
            _LINES_SLOT.__set__(self, items)
            _RUNS_SLOT.__set__(self, items)
            return
        object.__setattr__(self, "items", tuple(items))
        lines, runs = _lines_runs(self.items)
        _LINES_SLOT.__set__(self, lines)
        _RUNS_SLOT.__set__(self, runs)

    def _force(self) -> None:
        """Decode items held as a ``Lazy`` (once; the frames sharing it share the result)."""
        lazy = _ITEMS_SLOT.__get__(self)
        if type(lazy) is Lazy:
            items, lines, runs = lazy.get()
            _ITEMS_SLOT.__set__(self, items)
            _LINES_SLOT.__set__(self, lines)
            _RUNS_SLOT.__set__(self, runs)

    @property
    def lines(self) -> tuple[LineBox, ...]:
        """The composed story lines, in reading order."""
        got = self._lines
        if type(got) is Lazy:
            self._force()
            got = self._lines
        return got

    @property
    def runs(self) -> tuple[GlyphRun, ...]:
        """Every glyph run the frame draws (those of its lines included), in drawing order."""
        got = self._runs
        if type(got) is Lazy:
            self._force()
            got = self._runs
        return got

    @property
    def center(self) -> tuple[float, float]:
        """The centre of the frame's rectangle (what a rotation turns about)."""
        x, y, w, h = self.rect
        return x + w / 2, y + h / 2

    def bounds(self) -> Rect:
        """The rectangle the frame covers on the page, rotation included."""
        return rotated_bounds(self.rect, self.rotation)

    @property
    def graphics(self) -> tuple:
        """The rules, boxes and images (a frame not decoded yet keeps them apart)."""
        got = _ITEMS_SLOT.__get__(self)
        if type(got) is Lazy:
            return got.graphics()
        return tuple(it for it in self.items if not isinstance(it, (LineBox, GlyphRun)))


class Lazy:
    """A frame's items not decoded yet: their cache encoding ``enc`` — (the marshal bytes
    of the items' encoding, the encoding of its graphics, ``run_styles``) — and the
    function decoding an encoding, called on the first read of ``items``, ``lines`` or
    ``runs`` (a frame read from the layout cache that nothing draws or measures is never
    decoded; its graphics and run styles are answered without decoding the rest).
    ``summary`` holds what the layout cache knows of a fill's lines (or None)."""
    __slots__ = ("enc", "load", "value", "summary", "_graphics")

    def __init__(self, enc: tuple, load, summary=None):
        self.enc, self.load, self.value, self.summary = enc, load, None, summary
        self._graphics = None

    def get(self) -> tuple:
        """(items, lines, runs), decoded once."""
        if self.value is None:
            items = tuple(self.load(self.enc[0]))
            self.value = (items,) + _lines_runs(items)
        return self.value

    def graphics(self) -> tuple:
        """The rules, boxes, paths and images among the items, in drawing order."""
        if self._graphics is None:
            self._graphics = tuple(self.load(self.enc[1], False))
        return self._graphics


def run_styles(fr: FrameResult) -> tuple[tuple[str, str, float, str], ...]:
    """(face, colour, size, story) of the frame's glyph runs, each once, in the order they
    first come (a frame whose items are not decoded yet answers without decoding)."""
    got = _ITEMS_SLOT.__get__(fr)
    if type(got) is Lazy:
        return got.enc[2]
    seen: dict = {}
    for run in fr.runs:
        seen.setdefault((run.font, run.color, run.size, run.source.story), None)
    return tuple(seen)


def _lines_runs(items) -> tuple[tuple, tuple]:
    """The lines among ``items`` and every glyph run (those of the lines included)."""
    lines, runs = [], []
    for it in items:
        if isinstance(it, LineBox):
            lines.append(it)
            runs.extend(it.runs)
        elif isinstance(it, GlyphRun):
            runs.append(it)
    return tuple(lines), tuple(runs)


_ITEMS_SLOT = FrameResult.__dict__["items"]
_LINES_SLOT = FrameResult.__dict__["_lines"]
_RUNS_SLOT = FrameResult.__dict__["_runs"]
_BLOB_SLOT = FrameResult.__dict__["_blob"]
_FRAME_INIT = tuple(f.name for f in fields(FrameResult) if f.init)


def _get_items(self) -> tuple:
    got = _ITEMS_SLOT.__get__(self)
    if type(got) is Lazy:
        self._force()
        got = _ITEMS_SLOT.__get__(self)
    return got


# ``items`` read through a property: a lazily held frame decodes on the first read, so
# every reader (painters, equality, repr, dataclasses.replace) sees the same value
FrameResult.items = property(_get_items, _ITEMS_SLOT.__set__,
                             doc="The frame's items in drawing order.")


def lazy_summary(fr: FrameResult):
    """The layout cache's summary of a frame whose items are not decoded yet, else None."""
    got = _ITEMS_SLOT.__get__(fr)
    return got.summary if type(got) is Lazy else None


def items_blob(fr: FrameResult) -> tuple | None:
    """The cache encoding of ``fr``'s items (see ``Lazy``), when known."""
    return _BLOB_SLOT.__get__(fr)


def set_items_blob(fr: FrameResult, blob: tuple) -> None:
    """Record the cache encoding of ``fr``'s items (a frame just composed and stored)."""
    _BLOB_SLOT.__set__(fr, blob)


def replace_frame(fr: FrameResult, **changes) -> FrameResult:
    """``dataclasses.replace(fr, **changes)`` that leaves undecoded items undecoded (and
    keeps their cache encoding) when ``changes`` does not touch them."""
    kw = {n: getattr(fr, n) for n in _FRAME_INIT if n != "items"}
    kw["items"] = _ITEMS_SLOT.__get__(fr)
    kw.update(changes)
    out = FrameResult(**kw)
    if "items" not in changes and _BLOB_SLOT.__get__(out) is None:
        _BLOB_SLOT.__set__(out, _BLOB_SLOT.__get__(fr))
    return out


def rotated_bounds(rect: Rect, degrees: float) -> Rect:
    """The axis-aligned bounding box of ``rect`` turned ``degrees`` about its centre."""
    if not degrees % 360:
        return rect
    x, y, w, h = rect
    a = math.radians(degrees)
    c, s = abs(math.cos(a)), abs(math.sin(a))
    bw, bh = w * c + h * s, w * s + h * c
    return (x + (w - bw) / 2, y + (h - bh) / 2, bw, bh)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """Something the layout found: an error stops a print export."""
    level: str                   # error | warning | info
    code: str                    # overset, missing-glyph, font-fallback, image-missing, ...
    message: str
    page: int = 0                # printed page number (0: not on a page)
    frame: str = ""
    story: str = ""
    offset: StoryPos | None = None   # where in the story


@dataclass(frozen=True, slots=True)
class Copyfit:
    """How a story fits its thread: overset and underset in lines and characters."""
    story: str
    lines: int = 0               # lines composed in frames
    chars: int = 0               # characters composed in frames
    overset_lines: int = 0       # "超出 3 行"
    overset_chars: int = 0       # "/ 38 字"
    underset_lines: int = 0      # "缺 2 行": empty lines left in the last frame
    overset_runs: tuple[GlyphRun, ...] = ()   # for the proof

    def __post_init__(self):
        object.__setattr__(self, "overset_runs", tuple(self.overset_runs))

    def label(self) -> str:
        """The copyfit badge layout staff read: 超出 3 行 / 38 字, 缺 2 行, or 正好."""
        if self.overset_lines or self.overset_chars:
            return f"超出 {self.overset_lines} 行 / {self.overset_chars} 字"
        if self.underset_lines:
            return f"缺 {self.underset_lines} 行"
        return "正好"


@dataclass(frozen=True, slots=True)
class PageResult:
    """A composed page: size, the frames' results in drawing order."""
    number: int
    width: float
    height: float
    frames: tuple[FrameResult, ...] = ()
    #: a digest of the page as the layout cache holds it ("" when not known): the PDF
    #: writer keeps the page's drawing under it (not part of the page's value)
    composed_from: str = field(default="", compare=False, repr=False)
    #: the marshal bytes of the page's cache encoding when known (see FrameResult._blob)
    _blob: bytes | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "frames", tuple(self.frames))

    def runs(self):
        """Every glyph run on the page."""
        for fr in self.frames:
            yield from fr.runs


@dataclass(frozen=True)
class LayoutResult:
    """The whole composed issue: pages, copyfit per story, diagnostics (read-only)."""
    pages: tuple[PageResult, ...] = ()
    copyfit: Mapping[str, Copyfit] = field(default_factory=lambda: MappingProxyType({}))
    diagnostics: tuple[Diagnostic, ...] = ()
    colors: Mapping[str, tuple[float, float, float, float]] = field(
        default_factory=lambda: MappingProxyType({}))

    def __post_init__(self):
        object.__setattr__(self, "pages", tuple(self.pages))
        object.__setattr__(self, "diagnostics", tuple(self.diagnostics))
        for name in ("copyfit", "colors"):
            value = getattr(self, name)
            if not isinstance(value, MappingProxyType):
                object.__setattr__(self, name, MappingProxyType(dict(value)))

    def errors(self) -> list[Diagnostic]:
        """The diagnostics of level error."""
        return [d for d in self.diagnostics if d.level == "error"]

    def page(self, number: int) -> PageResult:
        """The page printed with this number."""
        for p in self.pages:
            if p.number == number:
                return p
        raise KeyError(number)


# ====================================================================== walking
class Painter:
    """What ``walk`` calls while it visits a result; every method does nothing here.

    A painter overrides what it draws.  ``glyph_run`` is called for every run,
    with the line it belongs to (None for a loose run: headline, caption,
    jump line); ``line`` is called before a line's runs.
    """

    def begin_page(self, page: PageResult) -> None:
        """A page starts."""

    def end_page(self, page: PageResult) -> None:
        """The page is done."""

    def begin_frame(self, frame: FrameResult) -> None:
        """A frame starts."""

    def end_frame(self, frame: FrameResult) -> None:
        """The frame is done."""

    def line(self, line: LineBox) -> None:
        """A composed story line (its runs follow)."""

    def glyph_run(self, run: GlyphRun, line: LineBox | None) -> None:
        """Glyphs to draw."""

    def rule(self, rule: RuleItem) -> None:
        """A straight line."""

    def box(self, box: BoxItem) -> None:
        """A rectangle."""

    def path(self, path: PathItem) -> None:
        """Vector outlines (patterned borders)."""

    def image(self, image: ImageItem) -> None:
        """A placed image."""


def walk_frame(frame: FrameResult, painter: Painter) -> None:
    """Visit one frame's items in drawing order."""
    painter.begin_frame(frame)
    for it in frame.items:
        t = type(it)
        if t is LineBox:
            painter.line(it)
            for run in it.runs:
                painter.glyph_run(run, it)
        elif t is GlyphRun:
            painter.glyph_run(it, None)
        elif t is RuleItem:
            painter.rule(it)
        elif t is BoxItem:
            painter.box(it)
        elif t is PathItem:
            painter.path(it)
        elif t is ImageItem:
            painter.image(it)
    painter.end_frame(frame)


def walk(result: LayoutResult, painter: Painter, pages=None) -> None:
    """Visit pages → frames → items, calling the painter; ``pages`` limits the pages."""
    for page in (result.pages if pages is None else pages):
        painter.begin_page(page)
        for frame in page.frames:
            walk_frame(frame, painter)
        painter.end_page(page)
