"""The YAML file format: safe loading with file:line errors, atomic round-trip saving.

A document is one YAML mapping::

    banmian: 1                 # schema version
    info: {paper_name: 甘肃工人报, date: 2019-03-20, number: "第8001期", version: 1}
    paper: {...}               # per-paper settings (layout.model.Paper)
    fonts: {body: [Noto Serif CJK SC, Noto Serif SC], ...}
    colors: {black: [0, 0, 0, 1], ...}       # CMYK swatches
    paragraph_styles: {body: {size: 小五, indent: 2}, ...}
    char_styles: {bold: {font: headline}}
    stories:
      lead:
        headline: {kicker: ..., title: ..., subtitle: ...}
        byline: ...
        thread: [p1-lead, p2-lead]          # text frames, in order
        paragraphs:
          - 本报讯 ...                       # a plain string: a body paragraph
          - {style: subhead, text: ...}
          - {style: body, runs: [{text: ..., style: bold}, {text: ...}]}
    pages:
      - number: 1
        frames:
          - {type: text, id: p1-lead, col: 0, line: 20, cols: 5, lines: 60}

Only ``yaml.SafeLoader`` is used.  Fields left out take their defaults, and
saving leaves out what equals the default, so files stay short and readable.
"""
from __future__ import annotations

import dataclasses
import math
import os
import stat
import types
import typing
from pathlib import Path

import yaml

from common.fs import atomic_write

from . import model as m
from .grid import PageGeometry
from .units import UnitError, font_size, length


class DocumentError(Exception):
    """A document that cannot be used; the message names the file and line."""

    def __init__(self, path: str, line: int | None, message: str):
        # one line, whatever the file holds: line breaks and control characters escaped
        message = "".join(c if c.isprintable() or c in "\u3000 " else
                          repr(c)[1:-1] for c in message)
        self.path, self.line, self.message = str(path), line, message
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")


# ====================================================================== loading
class _Ctx:
    """Where we are while reading: the file name, for messages."""

    def __init__(self, path: str):
        self.path = path

    def fail(self, node: yaml.Node | None, message: str) -> typing.NoReturn:
        line = node.start_mark.line + 1 if node is not None else None
        raise DocumentError(self.path, line, message)


_SCALAR = yaml.SafeLoader("")
#: libyaml's parser when PyYAML has it (same safe tags, much faster), else the Python one
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _scalar(ctx: _Ctx, node: yaml.Node):
    if not isinstance(node, yaml.ScalarNode):
        ctx.fail(node, "expected a single value here, not a list or mapping")
    return _SCALAR.construct_object(node, deep=True)


def _mapping(ctx: _Ctx, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        ctx.fail(node, f"{what} must be a mapping (key: value lines)")
    out, seen = [], set()
    for k, v in node.value:
        key = _scalar(ctx, k)
        if not isinstance(key, (str, int)):
            ctx.fail(k, f"a key in {what} must be a name, not {key!r}")
        key = str(key)
        if key in seen:
            ctx.fail(k, f"{what}: '{key}' is given twice")
        seen.add(key)
        out.append((key, k, v))
    return out


def _sequence(ctx: _Ctx, node: yaml.Node, what: str) -> list[yaml.Node]:
    if not isinstance(node, yaml.SequenceNode):
        ctx.fail(node, f"{what} must be a list")
    return list(node.value)


_HINTS: dict[type, dict] = {}


def _hints(cls) -> dict:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _value(ctx: _Ctx, node: yaml.Node, tp, what: str):
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Union or origin is types.UnionType:
        inner = [a for a in args if a is not type(None)]
        if isinstance(node, yaml.ScalarNode) and _scalar(ctx, node) is None:
            return None
        return _value(ctx, node, inner[0], what)
    if dataclasses.is_dataclass(tp):
        return _dataclass(ctx, node, tp, what)
    if origin is list:
        return [_value(ctx, n, args[0], what) for n in _sequence(ctx, node, what)]
    if origin is dict:
        return {k: _value(ctx, v, args[1], f"{what} '{k}'")
                for k, _, v in _mapping(ctx, node, what)}
    val = _scalar(ctx, node)
    if tp is str:
        if isinstance(val, bool) or val is None or isinstance(val, (list, dict)):
            ctx.fail(node, f"{what} must be text, not {val!r}")
        return str(val)
    if tp is bool:
        if not isinstance(val, bool):
            ctx.fail(node, f"{what} must be true or false, not {val!r}")
        return val
    if tp is int:
        if isinstance(val, bool) or not isinstance(val, int):
            ctx.fail(node, f"{what} must be a whole number, not {val!r}")
        return val
    if tp is float:
        if isinstance(val, bool) or not isinstance(val, (int, float)):
            ctx.fail(node, f"{what} must be a number, not {val!r}")
        if not math.isfinite(val):
            ctx.fail(node, f"{what} must be a finite number, not {val!r}")
        return float(val)
    ctx.fail(node, f"{what}: unsupported value")


def _dataclass(ctx: _Ctx, node: yaml.Node, cls, what: str, skip=(), extra=None, base=None):
    hints = _hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    kwargs = {}
    for key, knode, vnode in _mapping(ctx, node, what):
        if key in skip:
            continue
        if key not in names:
            known = ", ".join(sorted(names - set(skip)))
            ctx.fail(knode, f"{what}: unknown key '{key}' (known: {known})")
        kwargs[key] = _value(ctx, vnode, hints[key], f"{what} {key}")
    if extra:
        kwargs.update(extra)
    try:
        return dataclasses.replace(base, **kwargs) if base is not None else cls(**kwargs)
    except TypeError as exc:
        ctx.fail(node, f"{what}: {exc}")


def _paragraph(ctx: _Ctx, node: yaml.Node, what: str) -> m.Paragraph:
    if isinstance(node, yaml.ScalarNode):
        val = _scalar(ctx, node)
        if not isinstance(val, str):
            ctx.fail(node, f"{what} must be text")
        return m.Paragraph("body", [m.Run(val)])
    items = dict((k, v) for k, _, v in _mapping(ctx, node, what))
    unknown = set(items) - {"style", "text", "runs"}
    if unknown:
        ctx.fail(node, f"{what}: unknown key '{sorted(unknown)[0]}' (known: style, text, runs)")
    if ("text" in items) == ("runs" in items):
        ctx.fail(node, f"{what} needs either text or runs")
    style = _value(ctx, items["style"], str, f"{what} style") if "style" in items else "body"
    if "text" in items:
        return m.Paragraph(style, [m.Run(_value(ctx, items["text"], str, f"{what} text"))])
    runs = [_dataclass(ctx, r, m.Run, f"{what} run") for r in _sequence(ctx, items["runs"], what)]
    return m.Paragraph(style, runs)


def _story(ctx: _Ctx, sid: str, node: yaml.Node) -> m.Story:
    what = f"story '{sid}'"
    paras = []
    for key, _, v in _mapping(ctx, node, what):
        if key == "paragraphs":
            paras = [_paragraph(ctx, p, f"{what} paragraph {i + 1}")
                     for i, p in enumerate(_sequence(ctx, v, what))]
    return _dataclass(ctx, node, m.Story, what, skip=("paragraphs", "id"),
                      extra={"id": sid, "paragraphs": paras})


def _frame(ctx: _Ctx, node: yaml.Node, what: str) -> m.Frame:
    items = {k: v for k, _, v in _mapping(ctx, node, what)}
    if "type" not in items:
        ctx.fail(node, f"{what} needs a type ({', '.join(m.FRAME_TYPES)})")
    kind = _value(ctx, items["type"], str, f"{what} type")
    if kind not in m.FRAME_TYPES:
        ctx.fail(items["type"], f"{what}: unknown frame type '{kind}' "
                                f"(known: {', '.join(m.FRAME_TYPES)})")
    if "id" not in items:
        ctx.fail(node, f"{what} needs an id")
    fid = _value(ctx, items["id"], str, f"{what} id")
    return _dataclass(ctx, node, m.FRAME_TYPES[kind], f"{kind} frame '{fid}'", skip=("type",))


def _page(ctx: _Ctx, node: yaml.Node, what: str) -> m.Page:
    frames = []
    for key, _, v in _mapping(ctx, node, what):
        if key == "frames":
            frames = [_frame(ctx, f, f"{what} frame {i + 1}")
                      for i, f in enumerate(_sequence(ctx, v, what))]
    return _dataclass(ctx, node, m.Page, what, skip=("frames",), extra={"frames": frames})


#: where validate's place keys point: section name → key prefix
_PLACES = {"stories": "story:", "paragraph_styles": "pstyle:", "char_styles": "cstyle:",
           "colors": "color:"}
_SECTION_OF = {"story": "stories", "pstyle": "paragraph_styles", "cstyle": "char_styles",
               "color": "colors", "frame": "pages", "fonts": "fonts"}


def _lines_of(node: yaml.Node) -> dict[str, int]:
    """Line numbers of frames, stories, styles, colours and sections by place key.

    Each node is visited once: YAML aliases may share nodes or even make
    cycles, and a walk through every path could take forever.
    """
    out: dict[str, int] = {}
    seen: set[int] = set()
    if isinstance(node, yaml.MappingNode):
        for k, _ in node.value:
            if isinstance(k, yaml.ScalarNode):
                out.setdefault("section:" + k.value, k.start_mark.line + 1)
    stack = [(node, None)]
    while stack:
        n, key = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                if isinstance(k, yaml.ScalarNode) and k.value == "id" and isinstance(v, yaml.ScalarNode):
                    fkey = "frame:" + v.value
                    out[fkey + "#2" if fkey in out else fkey] = n.start_mark.line + 1
                if key in _PLACES and isinstance(k, yaml.ScalarNode):
                    out.setdefault(_PLACES[key] + k.value, k.start_mark.line + 1)
            for k, v in reversed(n.value):
                stack.append((v, k.value if isinstance(k, yaml.ScalarNode) else None))
        elif isinstance(n, yaml.SequenceNode):
            for v in reversed(n.value):
                stack.append((v, None))
    return out


def parse_issue(text: str, path: str = "<text>") -> m.Issue:
    """Build an Issue from YAML text; DocumentError names the line of any mistake."""
    ctx = _Ctx(path)
    try:
        root = yaml.compose(text, Loader=_FAST_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise DocumentError(path, mark.line + 1 if mark else None,
                            f"not valid YAML: {exc.problem or exc.context}") from None
    except yaml.reader.ReaderError:
        # libyaml counts bytes, PyYAML characters: find the character again
        bad = yaml.reader.Reader.NON_PRINTABLE.search(text)
        line = text.count("\n", 0, bad.start()) + 1 if bad else None
        raise DocumentError(path, line, f"not valid YAML: character U+{ord(bad.group()[0]):04X} "
                                        "is not allowed in a YAML file"
                            if bad else "not valid YAML") from None
    except yaml.YAMLError as exc:
        raise DocumentError(path, None, "not valid YAML: " + " ".join(str(exc).split())) from None
    if root is None:
        raise DocumentError(path, None, "the file is empty")
    top = {k: (kn, v) for k, kn, v in _mapping(ctx, root, "the document")}
    if "banmian" not in top:
        ctx.fail(root, "not a Banmian issue: the 'banmian: <schema version>' line is missing")
    version_node = top["banmian"][1]
    version = _value(ctx, version_node, int, "banmian (schema version)")
    if version != m.SCHEMA_VERSION:
        ctx.fail(version_node, f"schema version {version} is not supported "
                               f"(this Banmian reads version {m.SCHEMA_VERSION})")
    issue = m.Issue(fonts=m.default_fonts(), paragraph_styles=m.default_styles())
    for key, (knode, v) in top.items():
        if key == "banmian":
            continue
        if key == "info":
            issue.info = _dataclass(ctx, v, m.IssueInfo, "info")
        elif key == "paper":
            issue.paper = _dataclass(ctx, v, m.Paper, "paper")
        elif key == "fonts":
            issue.fonts.update(_value(ctx, v, dict[str, list[str]], "fonts"))
        elif key == "colors":
            issue.colors = _value(ctx, v, dict[str, list[float]], "colors")
        elif key == "paragraph_styles":
            # styles named like a built-in one start from it; the rest from the plain default
            for k, _, n in _mapping(ctx, v, "paragraph_styles"):
                issue.paragraph_styles[k] = _dataclass(
                    ctx, n, m.ParagraphStyle, f"paragraph style '{k}'",
                    base=issue.paragraph_styles.get(k))
        elif key == "char_styles":
            issue.char_styles = {k: _dataclass(ctx, n, m.CharStyle, f"character style '{k}'")
                                 for k, _, n in _mapping(ctx, v, "char_styles")}
        elif key == "stories":
            issue.stories = {k: _story(ctx, k, n) for k, _, n in _mapping(ctx, v, "stories")}
        elif key == "pages":
            issue.pages = [_page(ctx, n, f"page {i + 1}")
                           for i, n in enumerate(_sequence(ctx, v, "pages"))]
        else:
            ctx.fail(knode, f"unknown section '{key}' (known: banmian, info, paper, fonts, "
                            "colors, paragraph_styles, char_styles, stories, pages)")
    problems = validate(issue)
    if problems:
        lines = _lines_of(root)
        where, message = problems[0]
        line = lines.get(where)
        if line is None:                      # no line of its own: the section's
            prefix = where.split(":")[0]
            line = lines.get("section:" + _SECTION_OF.get(prefix, prefix))
        raise DocumentError(path, line, message)
    return issue


def validate(issue: m.Issue) -> list[tuple[str, str]]:
    """Semantic problems as (place key, message): ids, references, units, geometry."""
    out: list[tuple[str, str]] = []
    try:
        geo = PageGeometry.of(issue.paper)
    except UnitError as exc:
        return [("paper", f"paper: {exc}")]
    if geo.columns < 1 or geo.lines < 1 or geo.column <= 0:
        out.append(("paper", "paper: the grid needs at least one column and one line"))
    out.extend(_paper_problems(issue, geo))
    for name, st in issue.paragraph_styles.items():
        key = "pstyle:" + name
        try:
            size = font_size(st.size, issue.paper.hao)
        except UnitError as exc:
            out.append((key, f"paragraph style '{name}': {exc}"))
            continue
        if size <= 0 or st.leading <= 0:
            out.append((key, f"paragraph style '{name}': size and leading must be positive"))
        if st.font not in issue.fonts:
            out.append((key, f"paragraph style '{name}': no font role '{st.font}' "
                             f"(roles: {', '.join(issue.fonts)})"))
        out.extend((key, f"paragraph style '{name}': {p}") for p in (
            _choice("align", st.align, ALIGNS), _choice("language", st.language, ("", "zh", "en")),
            _at_most("leading", st.leading, 100), _at_most("space_before", st.space_before, 1000),
            _at_most("space_after", st.space_after, 1000), _at_most("indent", st.indent, 100),
            _at_most("tracking", st.tracking, 10)) if p)
    for name, cs in issue.char_styles.items():
        key = "cstyle:" + name
        if cs.font and cs.font not in issue.fonts:
            out.append((key, f"character style '{name}': no font role '{cs.font}' "
                             f"(roles: {', '.join(issue.fonts)})"))
        if cs.size:
            try:
                if font_size(cs.size, issue.paper.hao) <= 0:
                    out.append((key, f"character style '{name}': size must be positive"))
            except UnitError as exc:
                out.append((key, f"character style '{name}': {exc}"))
    for name, c in issue.colors.items():
        if len(c) != 4 or not all(0.0 <= v <= 1.0 for v in c):
            out.append(("color:" + name, f"colour '{name}' must be four CMYK values from 0 to 1, "
                                         f"such as [0, 1, 1, 0] (not {c})"))
    seen: dict[str, int] = {}
    numbers = set()
    for page in issue.pages:
        if page.number in numbers:
            out.append(("paper", f"page number {page.number} is used twice"))
        if page.number < 1:
            out.append(("frame:" + page.frames[0].id if page.frames else "section:pages",
                        f"page number {page.number}: pages are numbered from 1"))
        numbers.add(page.number)
        for fr in page.frames:
            key = "frame:" + fr.id
            if fr.id in seen:
                out.append((key + "#2", f"frame id '{fr.id}' is used twice"))
            seen[fr.id] = page.number
            if fr.box is not None:
                if len(fr.box) != 4:
                    out.append((key, f"frame '{fr.id}': box needs [x, y, width, height]"))
                    continue
                try:
                    [length(v, char=geo.body, line=geo.pitch, column=geo.column) for v in fr.box]
                except UnitError as exc:
                    out.append((key, f"frame '{fr.id}': {exc}"))
                    continue
            elif fr.cols < 1 or fr.lines < 1:
                out.append((key, f"frame '{fr.id}' on page {page.number} has no size "
                                 f"({fr.cols} columns × {fr.lines} lines)"))
                continue
            if not geo.on_page(fr):
                out.append((key, f"frame '{fr.id}' lies off page {page.number}"))
            out.extend((key, f"frame '{fr.id}': {p}") for p in _frame_problems(fr, geo) if p)
            for attr in ("style", "kicker_style", "title_style", "subtitle_style",
                         "caption_style", "credit_style"):
                style = getattr(fr, attr, None)
                if style and style not in issue.paragraph_styles:
                    out.append((key, f"frame '{fr.id}': no paragraph style '{style}'"))
            story = getattr(fr, "story", "")
            if story and story not in issue.stories:
                out.append((key, f"frame '{fr.id}': no story '{story}'"))
            if isinstance(fr, m.TextFrame) and fr.columns < 0:
                out.append((key, f"frame '{fr.id}': columns must not be negative"))
    owner: dict[str, str] = {}
    for sid, story in issue.stories.items():
        key = "story:" + sid
        for fid in story.thread:
            if fid not in seen:
                out.append((key, f"story '{sid}': its thread names frame '{fid}', "
                                 "which is on no page"))
                continue
            _, fr = issue.frame(fid)
            if not isinstance(fr, m.TextFrame):
                out.append((key, f"story '{sid}': frame '{fid}' in its thread is a "
                                 f"{fr.kind} frame, not a text frame"))
            if fid in owner:
                out.append((key, f"story '{sid}': frame '{fid}' is already in the thread "
                                 f"of story '{owner[fid]}'"))
            owner[fid] = sid
        for i, p in enumerate(story.paragraphs):
            if p.style not in issue.paragraph_styles:
                out.append((key, f"story '{sid}' paragraph {i + 1}: no paragraph style "
                                 f"'{p.style}'"))
            for r in p.runs:
                if r.style and r.style not in issue.char_styles:
                    out.append((key, f"story '{sid}' paragraph {i + 1}: no character style "
                                     f"'{r.style}'"))
    return out


ALIGNS = ("justify", "left", "center", "right")


def _choice(field: str, value: str, allowed) -> str:
    if value in allowed:
        return ""
    names = ", ".join(a or "''" for a in allowed)
    return f"{field} '{value}' is not one of {names}"


def _at_most(field: str, value: float, limit: float) -> str:
    return f"{field} {value:g} is out of range (-{limit:g} to {limit:g})" \
        if abs(value) > limit else ""


def _length_problem(field: str, value, geo: PageGeometry, positive: bool = False) -> str:
    try:
        v = length(value, char=geo.body, line=geo.pitch, column=geo.column)
    except UnitError as exc:
        return f"{field}: {exc}"
    if v < 0 or (positive and v <= 0) or not math.isfinite(v):
        return f"{field} {value!r} must be {'more than' if positive else 'at least'} 0"
    return ""


def _paper_problems(issue: m.Issue, geo: PageGeometry) -> list[tuple[str, str]]:
    """Settings of the paper that would fail at composition or be silently ignored."""
    paper, j = issue.paper, issue.paper.jumps
    out = [_choice("punctuation", paper.punctuation, ("mainland", "centered")),
           _choice("language", paper.language, ("zh", "en")),
           _choice("jumps numerals", j.numerals, ("chinese", "arabic")),
           _choice("jumps placement", j.placement, ("own-line", "run-in"))]
    if j.style not in issue.paragraph_styles:
        out.append(f"jumps style: no paragraph style '{j.style}'")
    for field in ("to_text", "from_text"):
        try:
            getattr(j, field).format(page="一")
        except (KeyError, IndexError, ValueError, AttributeError):
            out.append(f"jumps {field} {getattr(j, field)!r}: write the page number as "
                       "{page}, nothing else in braces")
    for name, size in paper.hao.items():
        if size <= 0:
            out.append(f"hao: size of {name} must be positive, not {size:g}")
    return [("paper", f"paper: {p}") for p in out if p]


def _frame_problems(fr: m.Frame, geo: PageGeometry) -> list[str]:
    """Field values of one frame that composition cannot use."""
    out = []
    if isinstance(fr, m.TextFrame):
        if fr.gutter:
            out.append(_length_problem("gutter", fr.gutter, geo))
        if fr.columns > 0 and not out[-1:] == [""]:
            try:
                if min(w for _, w in geo.text_columns(fr)) < geo.body:
                    out.append(f"{fr.columns} text columns do not fit in its width")
            except UnitError:
                pass
    elif isinstance(fr, m.HeadlineFrame):
        out.append(_choice("align", fr.align, ("center", "left")))
    elif isinstance(fr, m.PhotoFrame):
        out.append(_choice("fit", fr.fit, ("fit", "fill", "crop")))
        if len(fr.crop) > 3 or (len(fr.crop) == 3 and fr.crop[2] <= 0):
            out.append(f"crop {fr.crop} must be [centre x, centre y, zoom] with a positive zoom")
    elif isinstance(fr, m.RuleFrame):
        out.append(_length_problem("weight", fr.weight, geo))
        out.append(_choice("pattern", fr.pattern, ("solid", "double", "dotted")))
    elif isinstance(fr, m.BoxFrame):
        out.append(_length_problem("stroke", fr.stroke, geo))
    return out


#: no issue file is this big (a 96-page issue is about 1 MB)
MAX_FILE_BYTES = 100 * 2**20


def load_issue(path: str | os.PathLike) -> m.Issue:
    """Read an issue file; DocumentError on any problem, naming file and line."""
    p = Path(path)
    try:
        with open(p, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode):      # a device or pipe could be read forever
                raise DocumentError(str(p), None, "cannot read: not a regular file")
            if st.st_size > MAX_FILE_BYTES:
                raise DocumentError(str(p), None, f"too large for an issue file "
                                                  f"({st.st_size / 2**20:,.0f} MB)")
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise DocumentError(str(p), None, f"cannot read: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise DocumentError(str(p), line, "not UTF-8 text") from None
    return parse_issue(text, str(p))


# ====================================================================== saving
def _plain(obj, default=None):
    """Dataclass → plain data, leaving out fields equal to the default."""
    if dataclasses.is_dataclass(obj):
        out = {}
        ref = default if default is not None else _default_of(type(obj))
        for f in dataclasses.fields(obj):
            val = getattr(obj, f.name)
            dval = getattr(ref, f.name) if ref is not None else dataclasses.MISSING
            if ref is not None and val == dval and f.name != "id":
                continue
            out[f.name] = _plain(val, dval if dataclasses.is_dataclass(dval) else None)
        return out
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    return obj


def _default_of(cls):
    """An instance with every field at its default (required fields empty)."""
    required = {f.name: (0 if f.type in ("int", int) else "") for f in dataclasses.fields(cls)
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}
    return cls(**required)


def _paragraph_plain(p: m.Paragraph):
    if len(p.runs) == 1 and not p.runs[0].style:
        return p.runs[0].text if p.style == "body" else {"style": p.style, "text": p.runs[0].text}
    return {"style": p.style, "runs": [_plain(r) for r in p.runs]}


def to_plain(issue: m.Issue) -> dict:
    """The issue as the plain data written to YAML."""
    doc: dict = {"banmian": m.SCHEMA_VERSION}
    doc["info"] = _plain(issue.info)
    doc["paper"] = _plain(issue.paper)
    doc["fonts"] = _plain(issue.fonts)
    doc["colors"] = _plain(issue.colors)
    defaults = m.default_styles()
    # built-in styles are always there: only what differs from them is written
    doc["paragraph_styles"] = {k: _plain(v, defaults.get(k, m.ParagraphStyle()))
                               for k, v in issue.paragraph_styles.items()
                               if v != defaults.get(k)}
    doc["char_styles"] = _plain(issue.char_styles)
    stories = {}
    for sid, s in issue.stories.items():
        d = _plain(s)
        d.pop("id", None)
        d.pop("paragraphs", None)
        d["paragraphs"] = [_paragraph_plain(p) for p in s.paragraphs]
        stories[sid] = d
    doc["stories"] = stories
    pages = []
    for page in issue.pages:
        d = _plain(page)
        d["frames"] = [{"type": fr.kind, **_plain(fr)} for fr in page.frames]
        pages.append(d)
    doc["pages"] = pages
    return doc


class _Dumper(yaml.SafeDumper):
    """Block style for structure, flow style for short leaf mappings and lists."""


def _repr_dict(dumper, data):
    flow = all(not isinstance(v, (dict, list)) or (isinstance(v, list) and len(v) <= 4 and
               all(not isinstance(x, (dict, list)) for x in v)) for v in data.values()) \
        and len(data) <= 8 and sum(len(str(v)) for v in data.values()) < 100
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=flow)


def _repr_list(dumper, data):
    flow = len(data) <= 8 and all(isinstance(x, (int, float, str)) and len(str(x)) < 24
                                  for x in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


def _repr_float(dumper, data):
    if data.is_integer() and abs(data) < 1e15:
        return dumper.represent_int(int(data))      # 2.0 is written 2, read back as 2.0
    return yaml.SafeDumper.represent_float(dumper, data)


_Dumper.add_representer(float, _repr_float)
_Dumper.add_representer(dict, _repr_dict)
_Dumper.add_representer(list, _repr_list)


def dump_issue(issue: m.Issue) -> str:
    """The issue as YAML text."""
    return yaml.dump(to_plain(issue), Dumper=_Dumper, allow_unicode=True,
                     sort_keys=False, width=100, indent=2)


def save_issue(issue: m.Issue, path: str | os.PathLike) -> None:
    """Save atomically (temporary file, fsync, rename)."""
    atomic_write(path, dump_issue(issue).encode("utf-8"))
