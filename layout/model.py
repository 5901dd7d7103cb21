"""The document model: plain data for an issue (期) of newspaper pages.

Nothing here measures or draws.  The layout engine (``layout.compose``) reads an
``Issue`` and produces a ``layout.result.LayoutResult``; the YAML file format
(``layout.docfile``) reads and writes an ``Issue``; the editor changes it only
through undo commands.  Values keep the units the user wrote ("小五", "13字").

A field with a closed set of values says so in its type (``typing.Literal``);
the file format (``layout.docfile``) refuses anything else from the type hints
alone, listing the allowed values.
"""
from __future__ import annotations

import sys
from dataclasses import field

from common.fontroles import default_roles
from common.prebuilt import prebuilt_dataclass

from . import _model_methods
from .units import DEFAULT_HAO

# @dataclass, with the methods dataclasses would write taken from _model_methods.py
# (generated: python -m common.prebuilt layout.model layout/_model_methods.py)
dataclass = prebuilt_dataclass(_model_methods)

SCHEMA_VERSION = 1

# ---------------------------------------------------------------- closed sets of choices
TYPE_CHECKING = False
if TYPE_CHECKING:
    # the closed sets' types, as type checkers read them; at run time they are made of
    # _CHOICES below (the same values: a test compares them), when typing is imported
    # already, else on first use (an export that reads no YAML imports no typing: 3 ms)
    from typing import Literal

    Align = Literal["justify", "left", "center", "right"]
    HeadlineAlign = Literal["center", "left"]
    Punctuation = Literal["mainland", "centered"]      # centered: Taiwan / Hong Kong
    PunctuationWidth = Literal["全身", "开明", "半身"]     # full; 。？！ full, others half; all half
    LatinSpacing = Literal["quarter", "none"]           # ¼ em or nothing between Han and Latin/digits
    # zh = zh-Hans (Simplified, mainland); zh-Hant-TW / zh-Hant-HK: Traditional, centred marks, 「」
    Language = Literal["zh", "zh-Hans", "zh-Hant-TW", "zh-Hant-HK", "en"]
    StyleLanguage = Literal["", "zh", "zh-Hans", "zh-Hant-TW", "zh-Hant-HK", "en"]  # "": the paper's
    StoryLanguage = Literal["", "zh", "zh-Hans", "zh-Hant-TW", "zh-Hant-HK"]       # "": the paper's
    Numerals = Literal["chinese", "arabic"]
    JumpPlacement = Literal["own-line", "run-in"]      # own-line: aligned by the jump style
    PhotoFit = Literal["fit", "fill", "crop"]
    #: the border library (layout.borders): lines, 文武线 and 花边 repeat patterns
    BorderPattern = Literal["solid", "double", "thick-thin", "thin-thick", "dotted", "dashed",
                            "wave", "diamonds", "dot-dash", "key", "beads"]
    RulePattern = BorderPattern
    FrameKind = Literal["text", "headline", "byline", "caption", "photo", "rule", "box", "table"]
    WrapMode = Literal["frame", "crop", "none"]       # text wrap: around the frame, the crop, or not
    ColumnAlign = Literal["left", "center", "right", "decimal"]   # table columns
    # 长/扁 type (as Founder FIT names it): 长N narrows glyphs to (100 − 10N) % of their
    # width, 扁N lowers them to (100 − 10N) % of their height; "" = normal (正体)
    Shape = Literal["", "长1", "长2", "长3", "长4", "扁1", "扁2", "扁3", "扁4",
                    "长一", "长二", "长三", "长四", "扁一", "扁二", "扁三", "扁四"]


    # ---------------------------------------------------------------- paper settings

#: each closed set's values, by the name of its ``typing.Literal`` type in this module
_CHOICES = {
    "Align": ("justify", "left", "center", "right"),
    "HeadlineAlign": ("center", "left"),
    "Punctuation": ("mainland", "centered"),
    "PunctuationWidth": ("全身", "开明", "半身"),
    "LatinSpacing": ("quarter", "none"),
    "Language": ("zh", "zh-Hans", "zh-Hant-TW", "zh-Hant-HK", "en"),
    "StyleLanguage": ("", "zh", "zh-Hans", "zh-Hant-TW", "zh-Hant-HK", "en"),
    "StoryLanguage": ("", "zh", "zh-Hans", "zh-Hant-TW", "zh-Hant-HK"),
    "Numerals": ("chinese", "arabic"),
    "JumpPlacement": ("own-line", "run-in"),
    "PhotoFit": ("fit", "fill", "crop"),
    "BorderPattern": ("solid", "double", "thick-thin", "thin-thick", "dotted", "dashed",
                      "wave", "diamonds", "dot-dash", "key", "beads"),
    "FrameKind": ("text", "headline", "byline", "caption", "photo", "rule", "box", "table"),
    "WrapMode": ("frame", "crop", "none"),
    "ColumnAlign": ("left", "center", "right", "decimal"),
    "Shape": ("", "长1", "长2", "长3", "长4", "扁1", "扁2", "扁3", "扁4",
              "长一", "长二", "长三", "长四", "扁一", "扁二", "扁三", "扁四"),
}
_ALIASES = {"RulePattern": "BorderPattern"}


def closed_sets() -> None:
    """Define the closed sets' ``Literal`` types in this module, once (``typing.
    get_type_hints`` of its classes reads them there; ``model.Align`` makes them too)."""
    g = globals()
    if "Align" in g:
        return
    from typing import Literal
    for name, values in _CHOICES.items():
        g[name] = Literal[values]
    for name, same in _ALIASES.items():
        g[name] = g[same]


def __getattr__(name: str):
    if name in _CHOICES or name in _ALIASES:
        closed_sets()
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if "typing" in sys.modules:
    closed_sets()


# ---------------------------------------------------------------- paper settings
@dataclass
class GridSpec:
    """The column grid (栏) and the baseline grid of a paper."""
    columns: int = 8            # basic columns across the type area
    column: str = "13字"         # width of a basic column (基本栏)
    gutter: str = "1字"          # column gap (栏空)
    body: str = "小五"           # the body size that 字 counts
    pitch: str = "12pt"         # baseline-grid step: body size plus line gap


@dataclass
class JumpSettings:
    """How automatic jump lines read and sit (per paper)."""
    to_text: str = "（下转{page}版）"      # closes a story's part on a page
    from_text: str = "（上接{page}版）"    # opens its continuation
    numerals: Numerals = "chinese"
    style: str = "jump"                  # paragraph style of the jump line
    placement: JumpPlacement = "own-line"


@dataclass
class Paper:
    """Per-paper settings: page size, margins, grids, 号 table, conventions.

    The type area starts ``margin_inside`` from the page's left edge on every page;
    its width is the column grid's, and the right margin is what is left.
    """
    name: str = "对开"
    width: str = "390mm"
    height: str = "540mm"
    margin_top: str = "22mm"
    margin_bottom: str = "28mm"
    margin_inside: str = "18.8mm"
    bleed: str = "3mm"
    grid: GridSpec = field(default_factory=GridSpec)
    hao: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_HAO))
    punctuation: Punctuation = "mainland"
    # typesetting conventions (layout.chars): how wide marks are set, the space
    # between Han and Latin letters or digits, and a word list (a file relative to
    # the issue, one word a line) that headlines never split
    punctuation_width: PunctuationWidth = "全身"
    latin_spacing: LatinSpacing = "quarter"
    dictionary: str = ""
    language: Language = "zh"            # default language of the text
    jumps: JumpSettings = field(default_factory=JumpSettings)


# ---------------------------------------------------------------- styles
@dataclass
class ParagraphStyle:
    """A named paragraph style; sizes in 号 or pt, leading in grid lines."""
    font: str = "body"           # font role (see common/fontroles.py)
    size: str = "小五"
    leading: float = 1.0         # line pitch in baseline-grid steps
    indent: float = 2.0          # first-line indent in characters of this size
    align: Align = "justify"
    space_before: float = 0.0    # in grid lines
    space_after: float = 0.0     # in grid lines
    keep_with_next: bool = False  # subheads: never end a column
    color: str = "black"         # a swatch name (see Issue.colors)
    language: StyleLanguage = ""  # "" = the paper's; "en" for Latin text
    label: str = ""              # display name in the UI (正文, 小标题); "" = the key
    shape: Shape = ""            # 长N / 扁N type; "" = normal


@dataclass
class CharStyle:
    """A named character style: any field left empty keeps the paragraph's."""
    font: str = ""
    size: str = ""
    color: str = ""
    label: str = ""              # display name in the UI (粗体, 电头); "" = the key
    shape: Shape = ""            # 长N / 扁N; "" = the paragraph style's


def shape_scale(shape: str) -> tuple[float, float]:
    """The (horizontal, vertical) glyph scale of a 长/扁 setting: 长2 → (0.8, 1.0)."""
    if not shape:
        return 1.0, 1.0
    n = "一二三四".find(shape[1]) + 1 or int(shape[1])
    f = round(1.0 - 0.1 * n, 3)
    return (f, 1.0) if shape[0] == "长" else (1.0, f)


# ---------------------------------------------------------------- stories
@dataclass
class Run:
    """Characters sharing one character style ("" = none)."""
    text: str
    style: str = ""


@dataclass
class Paragraph:
    """A paragraph: a paragraph style and its character runs."""
    style: str = "body"
    runs: list[Run] = field(default_factory=list)

    @classmethod
    def plain(cls, text: str) -> "Paragraph":
        """The paragraph a file writes as a plain string: body style, one run."""
        return cls("body", [Run(text)])

    @property
    def text(self) -> str:
        """The paragraph's characters."""
        return "".join(r.text for r in self.runs)


@dataclass
class Headline:
    """The headline stack: 引题 (kicker), 主题 (title), 副题 (subtitle)."""
    kicker: str = ""
    title: str = ""
    subtitle: str = ""


@dataclass
class Story:
    """A story: its text, its headline and byline, and the frames it runs through."""
    id: str
    name: str = ""                       # slug shown in the story list
    headline: Headline = field(default_factory=Headline)
    byline: str = ""
    paragraphs: list[Paragraph] = field(default_factory=list)
    thread: list[str] = field(default_factory=list)   # text frame ids, in order
    dateline: str = ""                   # 电头 "新华社北京3月26日电（记者 某某）"; also in the text
    credit: str = ""                     # photo credit "某某 摄", for its photo frames
    editor: str = ""                     # 责任编辑: the desk editor named at the story's end
    language: StoryLanguage = ""         # "" = the paper's; zh-Hant-TW/HK: Traditional text


# ---------------------------------------------------------------- frames
@dataclass
class Frame:
    """Common placement of every frame, on the page grid.

    ``col``/``line`` are the top-left grid cell (0-based), ``cols``/``lines`` the
    size in basic columns and baseline-grid lines.  A frame may instead give a
    free ``box`` [x, y, w, h] of lengths measured from the type area's corner.
    """
    id: str
    col: int = 0
    line: int = 0
    cols: int = 1
    lines: int = 1
    box: list[str] | None = None
    locked: bool = False
    # -- masters and layers (issue 14)
    layer: str = ""              # the layer it is drawn on ("" = the first layer)
    replaces: str = ""           # on a page: the id of the master frame this one stands in for
    group: str = ""              # frames sharing a group id move and resize as one module

    kind = "frame"


@dataclass
class Wrap:
    """How text frames under a photo or box flow around it (图文互斥).

    ``mode``: around the whole frame, around the picture's visible crop, or no wrap;
    ``offset``: the space kept free around it (mm, 字, pt …).  A rotated frame
    wraps by its bounding box.  Files may write ``wrap: true`` / ``wrap: false``.
    """
    mode: WrapMode = "frame"
    offset: str = "0"


@dataclass
class Guides:
    """User guides of a page: positions from the trim's top-left corner (mm, 字, pt …)."""
    x: list[str] = field(default_factory=list)     # vertical guides, from the left edge
    y: list[str] = field(default_factory=list)     # horizontal guides, from the top edge


@dataclass
class TableRules:
    """Which rules a table draws, and their weight."""
    outer: bool = True           # the box around the table
    header: bool = True          # below the header row
    rows: bool = False           # between body rows
    columns: bool = False        # between columns
    weight: str = "0.5pt"


@dataclass
class TextFrame(Frame):
    """Body text in N columns; a link in its story's thread."""
    columns: int = 0             # text columns; 0 = one per basic column
    gutter: str = ""             # "" = the paper's gutter
    balance: bool = False        # end the columns level (last frame of a story)
    jump_lines: bool = True      # generate jump lines where the story changes page

    kind = "text"


@dataclass
class HeadlineFrame(Frame):
    """A story's headline stack spanning its columns."""
    story: str = ""
    align: HeadlineAlign = "center"
    kicker_style: str = "kicker"
    title_style: str = "title"
    subtitle_style: str = "subtitle"
    vertical: bool = False       # set the 主题 vertically (竖排)

    kind = "headline"


@dataclass
class BylineFrame(Frame):
    """A story's byline ("□本报记者 某某") or any free line of text."""
    story: str = ""
    text: str = ""               # used when no story is given
    style: str = "byline"

    kind = "byline"


@dataclass
class CaptionFrame(Frame):
    """A free caption (图片说明) not attached to a photo."""
    text: str = ""
    style: str = "caption"
    rotate: float = 0.0          # degrees clockwise about the frame's centre

    kind = "caption"


@dataclass
class PhotoFrame(Frame):
    """A photo with fit/crop, caption and credit ("骆进林 摄")."""
    image: str = ""              # path relative to the issue file
    fit: PhotoFit = "fill"
    crop: list[float] = field(default_factory=lambda: [0.5, 0.5, 1.0])  # centre x, y; zoom
    caption: str = ""
    credit: str = ""             # "" = the credit of its story, if it names one
    caption_style: str = "caption"
    credit_style: str = "credit"
    wrap: Wrap = field(default_factory=Wrap)     # text frames under it flow around it
    rotate: float = 0.0          # degrees clockwise about the frame's centre
    story: str = ""              # the story it illustrates (its credit, the e-paper's article)

    kind = "photo"


@dataclass
class RuleFrame(Frame):
    """A rule (线): horizontal when it is wider than tall, else vertical."""
    weight: str = "0.5pt"
    color: str = "black"
    pattern: RulePattern = "solid"

    kind = "rule"


@dataclass
class BoxFrame(Frame):
    """A box (框) drawn around or behind other frames."""
    stroke: str = "0.5pt"
    color: str = "black"
    fill: str = ""               # a colour ("red", "red 30%"), "" = none
    border: BorderPattern = "solid"   # the stroke's pattern (layout.borders)
    rotate: float = 0.0          # degrees clockwise about the frame's centre
    wrap: Wrap = field(default_factory=lambda: Wrap(mode="none"))

    kind = "box"


@dataclass
class TableFrame(Frame):
    """A simple table for listings (weather, markets, results): rows of cell texts.

    The first row is the header when ``header`` is true; ``align`` gives each
    column's alignment (``decimal`` lines numbers up on their decimal point),
    columns without an entry are left-aligned.
    """
    cells: list[list[str]] = field(default_factory=list)   # rows × columns
    header: bool = True
    style: str = "caption"       # paragraph style of the cells
    header_style: str = ""       # "" = the cells' style
    align: list[ColumnAlign] = field(default_factory=list)
    rules: TableRules = field(default_factory=TableRules)
    color: str = "black"         # swatch of the rules

    kind = "table"

    @property
    def n_rows(self) -> int:
        """Rows, the header included."""
        return len(self.cells)

    @property
    def n_columns(self) -> int:
        """Columns (the longest row's cells)."""
        return max((len(r) for r in self.cells), default=0)


FRAME_TYPES: dict[str, type[Frame]] = {
    cls.kind: cls for cls in (TextFrame, HeadlineFrame, BylineFrame, CaptionFrame,
                              PhotoFrame, RuleFrame, BoxFrame, TableFrame)
}

#: frame kinds that may be rotated (``rotate:`` degrees)
ROTATABLE = frozenset({"photo", "box", "caption"})

#: Keys older files may hold that no longer mean anything: they are read and dropped
#: (deprecated), so that every old issue still opens; saving never writes them.
#: ``margin_outside``: the right margin is what the column grid leaves;
#: ``tracking``: the engine never set extra space between characters.
DEPRECATED_KEYS: dict[type, frozenset[str]] = {
    Paper: frozenset({"margin_outside"}),
    ParagraphStyle: frozenset({"tracking"}),
}


@dataclass
class Page:
    """A page of the issue: its printed number, section name and frames."""
    number: int
    section: str = ""            # 版名, e.g. 要闻
    frames: list[Frame] = field(default_factory=list)
    guides: Guides = field(default_factory=Guides)
    master: str = ""             # the master page (版式) it shows, "" = none
    hide_master: list[str] = field(default_factory=list)   # master frames not shown here
    id: str = ""                 # stable name of the page as a unit of work in an issue
                                 # store ("" in a single-file issue: the store names it)


# ---------------------------------------------------------------- masters, layers, colours
@dataclass
class Master:
    """A master page (版式): frames every page naming it shows, below its own frames.

    Text in caption and byline frames may hold fields filled per page:
    ``{page}`` 3, ``{page_cn}`` 三, ``{section}``, ``{date}``, ``{number}`` (期号),
    ``{version}``, ``{paper}`` (报名).
    """
    frames: list[Frame] = field(default_factory=list)
    guides: Guides = field(default_factory=Guides)


@dataclass
class Layer:
    """A layer: frames drawn together; shown or hidden, locked, printing or not."""
    name: str = ""               # required: validation refuses an empty name
    visible: bool = True
    locked: bool = False
    printable: bool = True       # False: notes, placeholder ads (never in the print PDF)


#: what the fields of master-frame text become: name → (page, issue) → text
MASTER_FIELDS = ("page", "page_cn", "section", "date", "number", "version", "paper")

_CN_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """A page number in Chinese numerals, as 版次 are printed: 3 → 三, 12 → 十二, 20 → 二十."""
    if n < 0:
        return "负" + chinese_number(-n)
    if n < 10:
        return _CN_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        tail = "" if rest == 0 else ("零" + chinese_number(rest) if rest < 10 else
                                     ("一" + chinese_number(rest) if rest < 20 else
                                      chinese_number(rest)))
        return _CN_DIGITS[hundreds] + "百" + tail
    return str(n)


def master_fields(issue: "Issue", page: "Page") -> dict[str, str]:
    """The values of the master fields on a page."""
    info = issue.info
    return {"page": str(page.number), "page_cn": chinese_number(page.number),
            "section": page.section, "date": info.date, "number": info.number,
            "version": str(info.version), "paper": info.paper_name}


def fill_fields(text: str, values: dict[str, str]) -> str:
    """``text`` with each ``{field}`` replaced; an unknown field or lone brace stays as written."""
    if "{" not in text:
        return text
    out, i = [], 0
    while i < len(text):
        j = text.find("{", i)
        if j < 0:
            out.append(text[i:])
            break
        k = text.find("}", j)
        out.append(text[i:j])
        name = text[j + 1:k] if k > 0 else None
        if name in values:
            out.append(values[name])
            i = k + 1
        else:
            out.append("{")
            i = j + 1
    return "".join(out)


def field_problem(text: str) -> str:
    """A message when ``text`` names a field masters do not know ("" when it is fine)."""
    i = 0
    while (j := text.find("{", i)) >= 0:
        k = text.find("}", j)
        if k < 0:
            return f"'{{' without '}}' in {text!r}"
        if text[j + 1:k] not in MASTER_FIELDS:
            return (f"unknown field {{{text[j + 1:k]}}} (known: "
                    + ", ".join("{" + f + "}" for f in MASTER_FIELDS) + ")")
        i = k + 1
    return ""


#: colour names that are the paper itself: no ink (reverse type, 反白, knocks out)
PAPER_NAMES = ("paper", "white")


def parse_color(ref: str) -> tuple[str, float]:
    """A colour reference → (swatch name, tint 0..1): "red" → ("red", 1.0), "red 30%" → 0.3.

    Raises ValueError for a tint that is not a percentage from 0 to 100.
    """
    ref = ref.strip()
    name, sep, pct = ref.rpartition(" ")
    if not sep or not pct.endswith("%"):
        return ref, 1.0
    try:
        value = float(pct[:-1])
    except ValueError:
        raise ValueError(f"tint '{pct}' must be a percentage such as 30%") from None
    if not 0.0 <= value <= 100.0:
        raise ValueError(f"tint {pct} must be from 0% to 100%")
    return name.strip(), value / 100.0


def color_value(colors: dict, ref: str) -> tuple[float, float, float, float] | None:
    """The CMYK value of a colour reference (a tint scales every ink); None if unknown."""
    try:
        name, tint = parse_color(ref)
    except ValueError:
        return None
    if name in colors:
        c = colors[name]
    elif name in PAPER_NAMES:
        c = (0.0, 0.0, 0.0, 0.0)
    else:
        return None
    if len(c) != 4:
        return None
    return tuple(round(float(v) * tint, 6) for v in c)


@dataclass
class IssueInfo:
    """The masthead facts of an issue (期)."""
    paper_name: str = ""         # 报名, e.g. 甘肃工人报
    date: str = ""
    number: str = ""             # 期号
    version: int = 1             # proof version (校次)


@dataclass
class Issue:
    """An issue of the paper: settings, styles, stories and pages."""
    info: IssueInfo = field(default_factory=IssueInfo)
    paper: Paper = field(default_factory=Paper)
    fonts: dict[str, list[str]] = field(default_factory=dict)
    colors: dict[str, list[float]] = field(default_factory=lambda: {
        "black": [0.0, 0.0, 0.0, 1.0], "red": [0.0, 1.0, 1.0, 0.0], "grey": [0.0, 0.0, 0.0, 0.15]})
    paragraph_styles: dict[str, ParagraphStyle] = field(default_factory=dict)
    char_styles: dict[str, CharStyle] = field(default_factory=dict)
    stories: dict[str, Story] = field(default_factory=dict)
    pages: list[Page] = field(default_factory=list)
    masters: dict[str, Master] = field(default_factory=dict)
    layers: list[Layer] = field(default_factory=list)   # bottom first; none: one layer

    # ---------------------------------------------------------- masters and layers
    def master_frame(self, frame_id: str) -> tuple[str, Frame]:
        """The master name and master frame with this id (KeyError when there is none)."""
        for name, master in self.masters.items():
            for fr in master.frames:
                if fr.id == frame_id:
                    return name, fr
        raise KeyError(frame_id)

    def layer(self, name: str) -> Layer | None:
        """The layer a frame's ``layer`` names ("" or unknown: the first layer; None: no layers)."""
        for ly in self.layers:
            if ly.name == name:
                return ly
        return self.layers[0] if self.layers else None

    def layer_index(self, name: str) -> int:
        """The drawing position of a frame's layer (0: the bottom one)."""
        for i, ly in enumerate(self.layers):
            if ly.name == name:
                return i
        return 0

    # ---------------------------------------------------------- look-ups
    def frame(self, frame_id: str) -> tuple[Page, Frame]:
        """The page and frame with this id (KeyError when there is none)."""
        for page in self.pages:
            for fr in page.frames:
                if fr.id == frame_id:
                    return page, fr
        raise KeyError(frame_id)

    def frames(self):
        """Every (page, frame) pair in page order."""
        for page in self.pages:
            for fr in page.frames:
                yield page, fr

    def story_of_frame(self, frame_id: str) -> Story | None:
        """The story whose thread runs through this text frame."""
        for story in self.stories.values():
            if frame_id in story.thread:
                return story
        return None

    def page_index(self, number: int) -> int:
        """The position of the page printed with this number."""
        for i, p in enumerate(self.pages):
            if p.number == number:
                return i
        raise KeyError(number)


def default_styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles a new Chinese issue starts with."""
    return {
        "body": ParagraphStyle(label="正文"),
        "subhead": ParagraphStyle(font="headline", size="小五", indent=0, align="left",
                                  keep_with_next=True, label="小标题"),
        "lead": ParagraphStyle(label="导语"),
        "jump": ParagraphStyle(font="headline", size="小五", indent=0, align="right",
                               label="转版"),
        "byline": ParagraphStyle(font="byline", size="五号", indent=0, align="left",
                                 label="署名"),
        "kicker": ParagraphStyle(font="headline", size="四号", indent=0, align="center",
                                 leading=2, label="引题"),
        "title": ParagraphStyle(font="headline-heavy", size="小一", indent=0,
                                align="center", leading=3, label="主题"),
        "subtitle": ParagraphStyle(font="headline", size="小四", indent=0, align="center",
                                   leading=2, label="副题"),
        "caption": ParagraphStyle(font="caption", size="六号", indent=0, align="justify",
                                  label="图片说明"),
        "credit": ParagraphStyle(font="caption", size="六号", indent=0, align="right",
                                 label="摄影署名"),
        "latin": ParagraphStyle(font="latin", size="小五", indent=1, language="en",
                                label="西文"),
    }


def is_traditional(language: str) -> bool:
    """Whether a language value means Traditional Chinese (zh-Hant-TW, zh-Hant-HK)."""
    return language.startswith("zh-Hant")


def story_language(issue: "Issue", story: Story) -> str:
    """The language a story is set in: its own, else the paper's ("zh" reads as zh-Hans)."""
    lang = story.language or issue.paper.language
    return "zh-Hans" if lang == "zh" else lang


#: OpenType language systems of the Chinese languages (GSUB 'locl' picks their glyph forms)
OPENTYPE_LANGUAGE = {"zh": "ZHS", "zh-Hans": "ZHS", "zh-Hant-TW": "ZHT", "zh-Hant-HK": "ZHH"}

def default_fonts(language: str = "zh") -> dict[str, list[str]]:
    """Font roles to font names, best first (common/fontroles.py holds the table).

    A Traditional language (zh-Hant-TW, zh-Hant-HK) takes Noto CJK TC / HK (their
    marks are centred by design); the SC faces stay behind them as fallbacks.
    """
    return default_roles(language)
