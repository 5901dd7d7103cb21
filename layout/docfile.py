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
    layers: [{name: 正文}, {name: 广告位, printable: false}]   # bottom first
    masters:
      要闻:
        frames:
          - {type: caption, id: folio, cols: 3, lines: 2, text: "第{page_cn}版　{section}"}
    pages:
      - number: 1
        master: 要闻                          # shows the master's frames below its own
        frames:
          - {type: text, id: p1-lead, col: 0, line: 20, cols: 5, lines: 60}

Only ``yaml.SafeLoader`` is used: the file is composed into nodes, and one walk
over them builds the model, reading each value as its type hint says (text,
numbers, true/false, a closed set of choices, lists, mappings, nested objects)
and remembering the line of every object it builds; ``validate`` then checks
what types cannot say (references, ranges, lengths, geometry), and its first
problem is reported at the line of the object at fault.  Deprecated keys
(``model.DEPRECATED_KEYS``) are read and dropped.  Fields left out take their
defaults, and saving leaves out what equals the default, so files stay short
and readable.
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
from .doccheck import DocumentError, validate

m.closed_sets()         # the Literal types its type hints name (typing.get_type_hints)


# ====================================================================== loading
_STR, _NULL = "tag:yaml.org,2002:str", "tag:yaml.org,2002:null"
#: PyYAML's safe constructors of single values by tag; nothing else is ever constructed
_SCALAR_TAGS = {t: yaml.SafeLoader.yaml_constructors[t] for t in (
    _NULL, "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:binary", "tag:yaml.org,2002:timestamp", _STR)}
_CONSTRUCTOR = yaml.SafeLoader("")
#: libyaml's parser when PyYAML has it (same safe tags, much faster), else the Python one
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Reader:
    """One walk over the composed YAML nodes: builds the model from its type hints and
    remembers the line of every object it builds (the line of the key that names it,
    or of its list item), for the messages of problems found afterwards."""

    def __init__(self, path: str):
        self.path = path
        self.lines: dict[int, tuple[object, int]] = {}    # id(obj) → (obj, line)
        self.sections: dict[str, int] = {}                # top-level key → line

    def fail(self, node: yaml.Node | None, message: str) -> typing.NoReturn:
        line = node.start_mark.line + 1 if node is not None else None
        raise DocumentError(self.path, line, message)

    def at(self, obj, line: int):
        """Remember ``obj``'s line; give back ``obj``."""
        self.lines[id(obj)] = (obj, line)
        return obj

    def line_of(self, obj) -> int | None:
        got = self.lines.get(id(obj))
        return got[1] if got is not None and got[0] is obj else None

    # ---------------------------------------------------------- YAML shapes
    def scalar(self, node: yaml.Node):
        if not isinstance(node, yaml.ScalarNode):
            self.fail(node, "expected a single value here, not a list or mapping")
        if node.tag == _STR:
            return node.value
        construct = _SCALAR_TAGS.get(node.tag)
        if construct is None:
            self.fail(node, f"the YAML tag '{node.tag}' is not allowed in an issue file")
        try:
            return construct(_CONSTRUCTOR, node)
        except (yaml.YAMLError, ValueError, KeyError, AttributeError, TypeError, OverflowError):
            self.fail(node, f"'{node.value}' is not a valid value for the YAML tag '{node.tag}'")

    def mapping(self, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, f"{what} must be a mapping (key: value lines)")
        out, seen = [], set()
        for k, v in node.value:
            key = self.scalar(k)
            if not isinstance(key, (str, int)):
                self.fail(k, f"a key in {what} must be a name, not {key!r}")
            key = str(key)
            if key in seen:
                self.fail(k, f"{what}: '{key}' is given twice")
            seen.add(key)
            out.append((key, k, v))
        return out

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, f"{what} must be a list")
        return node.value

    # ---------------------------------------------------------- model objects
    def dataclass(self, node: yaml.Node, cls, what: str, line: int, *, items=None,
                  hidden: tuple[str, ...] = (), special: dict | None = None,
                  base=None, extra: dict | None = None):
        """A dataclass from a mapping, each value read by its field's type hint.

        ``hidden`` keys are ignored and not listed as known; ``special`` keys are read
        by their own function (value node, line); ``base``: the object to start from.
        """
        fields, deprecated = _fields_of(cls)
        kwargs = dict(extra) if extra else {}
        for key, knode, vnode in items if items is not None else self.mapping(node, what):
            if special is not None and key in special:
                kwargs[key] = special[key](vnode, knode.start_mark.line + 1)
                continue
            read = fields.get(key)
            if read is None or key in hidden:
                if key in hidden or key in deprecated:
                    continue
                known = ", ".join(sorted(fields.keys() - set(hidden)))
                self.fail(knode, f"{what}: unknown key '{key}' (known: {known})")
            kwargs[key] = read(self, vnode, f"{what} {key}", knode.start_mark.line + 1)
        try:
            obj = dataclasses.replace(base, **kwargs) if base is not None else cls(**kwargs)
        except TypeError as exc:
            self.fail(node, f"{what}: {exc}")
        return self.at(obj, line)

    def paragraph(self, node: yaml.Node, what: str, line: int) -> m.Paragraph:
        """A plain string (a body paragraph) or {style, text} or {style, runs}."""
        if isinstance(node, yaml.ScalarNode):
            val = self.scalar(node)
            if not isinstance(val, str):
                self.fail(node, f"{what} must be text")
            return self.at(m.Paragraph.plain(val), line)
        items = {k: v for k, _, v in self.mapping(node, what)}
        unknown = set(items) - {"style", "text", "runs"}
        if unknown:
            self.fail(node, f"{what}: unknown key '{sorted(unknown)[0]}' "
                            "(known: style, text, runs)")
        if ("text" in items) == ("runs" in items):
            self.fail(node, f"{what} needs either text or runs")
        style = _text(self, items["style"], f"{what} style", line) if "style" in items else "body"
        if "text" in items:
            runs = [m.Run(_text(self, items["text"], f"{what} text", line))]
        else:
            runs = [self.dataclass(r, m.Run, f"{what} run", r.start_mark.line + 1)
                    for r in self.sequence(items["runs"], what)]
        return self.at(m.Paragraph(style, runs), line)

    def story(self, sid: str, node: yaml.Node, line: int) -> m.Story:
        what = f"story '{sid}'"

        def paragraphs(v, ln):
            return self.at([self.paragraph(p, f"{what} paragraph {i + 1}", p.start_mark.line + 1)
                            for i, p in enumerate(self.sequence(v, what))], ln)
        return self.dataclass(node, m.Story, what, line, hidden=("paragraphs", "id"),
                              special={"paragraphs": paragraphs}, extra={"id": sid})

    def frame(self, node: yaml.Node, what: str, line: int) -> m.Frame:
        items = self.mapping(node, what)
        by_key = {k: v for k, _, v in items}
        if "type" not in by_key:
            self.fail(node, f"{what} needs a type ({', '.join(m.FRAME_TYPES)})")
        kind = _text(self, by_key["type"], f"{what} type", line)
        if kind not in m.FRAME_TYPES:
            self.fail(by_key["type"], f"{what}: unknown frame type '{kind}' "
                                      f"(known: {', '.join(m.FRAME_TYPES)})")
        if "id" not in by_key:
            self.fail(node, f"{what} needs an id")
        fid = _text(self, by_key["id"], f"{what} id", line)
        return self.dataclass(node, m.FRAME_TYPES[kind], f"{kind} frame '{fid}'", line,
                              items=items, hidden=("type",))

    def page(self, node: yaml.Node, what: str, line: int) -> m.Page:
        def frames(v, ln):
            return self.at([self.frame(f, f"{what} frame {i + 1}", f.start_mark.line + 1)
                            for i, f in enumerate(self.sequence(v, what))], ln)
        return self.dataclass(node, m.Page, what, line, hidden=("frames",),
                              special={"frames": frames})


# ------------------------------------------------------------------ values by type hint
def _text(rd: _Reader, node: yaml.Node, what: str, line: int) -> str:
    val = rd.scalar(node)
    if val.__class__ is str:
        return val
    if isinstance(val, bool) or val is None:
        rd.fail(node, f"{what} must be text, not {val!r}")
    return str(val)                      # a number or a date written as text


def _bool(rd: _Reader, node: yaml.Node, what: str, line: int) -> bool:
    val = rd.scalar(node)
    if not isinstance(val, bool):
        rd.fail(node, f"{what} must be true or false, not {val!r}")
    return val


def _int(rd: _Reader, node: yaml.Node, what: str, line: int) -> int:
    val = rd.scalar(node)
    if isinstance(val, bool) or not isinstance(val, int):
        rd.fail(node, f"{what} must be a whole number, not {val!r}")
    return val


def _float(rd: _Reader, node: yaml.Node, what: str, line: int) -> float:
    val = rd.scalar(node)
    if isinstance(val, bool) or not isinstance(val, (int, float)):
        rd.fail(node, f"{what} must be a number, not {val!r}")
    if not math.isfinite(val):
        rd.fail(node, f"{what} must be a finite number, not {val!r}")
    return float(val)


#: a reader of one value: (reader, node, what for messages, line of the value's key)
_Read = typing.Callable[[_Reader, yaml.Node, str, int], typing.Any]
_READERS: dict[typing.Any, _Read] = {str: _text, bool: _bool, int: _int, float: _float}


def _reader(tp) -> _Read:
    """The reader of values of type ``tp`` (built once per type from the type hint)."""
    read = _READERS.get(tp)
    if read is None:
        read = _READERS[tp] = _make_reader(tp)
    return read


def _make_reader(tp) -> _Read:
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is typing.Union or origin is types.UnionType:          # X | None
        inner = [a for a in args if a is not type(None)]
        if len(inner) != 1:
            raise TypeError(f"the file format cannot read {tp}")
        read_inner = _reader(inner[0])

        def optional(rd, node, what, line):
            if isinstance(node, yaml.ScalarNode) and node.tag == _NULL:
                return None
            return read_inner(rd, node, what, line)
        return optional
    if origin is typing.Literal:
        allowed = {(type(a), a) for a in args}
        names = ", ".join(str(a) if a != "" else "''" for a in args)

        def choice(rd, node, what, line):
            val = rd.scalar(node)
            if (type(val), val) not in allowed:
                rd.fail(node, f"{what} '{val}' is not one of {names}")
            return val
        return choice
    if dataclasses.is_dataclass(tp):
        def record(rd, node, what, line):
            return rd.dataclass(node, tp, what, line)
        return record
    if origin is list:
        read_item = _reader(args[0])

        def sequence(rd, node, what, line):
            return rd.at([read_item(rd, n, what, n.start_mark.line + 1)
                          for n in rd.sequence(node, what)], line)
        return sequence
    if origin is dict and args[0] is str:
        read_value = _reader(args[1])

        def mapping(rd, node, what, line):
            return rd.at({k: read_value(rd, v, f"{what} '{k}'", kn.start_mark.line + 1)
                          for k, kn, v in rd.mapping(node, what)}, line)
        return mapping
    raise TypeError(f"the file format cannot read {tp}")


def _wrap(rd: _Reader, node: yaml.Node, what: str, line: int) -> m.Wrap:
    """A text wrap: {mode, offset}, or the older ``true`` / ``false``."""
    if isinstance(node, yaml.ScalarNode):
        val = rd.scalar(node)
        if isinstance(val, bool):
            return rd.at(m.Wrap(mode="frame" if val else "none"), line)
    return rd.dataclass(node, m.Wrap, what, line)


_READERS[m.Wrap] = _wrap

_FIELDS: dict[type, tuple[dict[str, _Read], frozenset[str]]] = {}


def _fields_of(cls) -> tuple[dict[str, _Read], frozenset[str]]:
    """A dataclass's fields with their readers, and its deprecated keys (cached)."""
    got = _FIELDS.get(cls)
    if got is None:
        hints = typing.get_type_hints(cls)
        got = _FIELDS[cls] = ({f.name: _reader(hints[f.name]) for f in dataclasses.fields(cls)},
                              m.DEPRECATED_KEYS.get(cls, frozenset()))
    return got


# ------------------------------------------------------------------ the document
SECTIONS = ("banmian", "info", "paper", "fonts", "colors", "paragraph_styles", "char_styles",
            "layers", "masters", "stories", "pages")


def parse_issue(text: str, path: str = "<text>") -> m.Issue:
    """Build an Issue from YAML text; DocumentError names the line of any mistake."""
    issue, rd = _parse(text, path)
    return _checked(issue, rd, path)


def _checked(issue: m.Issue, rd: "_Reader", path: str) -> m.Issue:
    """``issue`` if ``validate`` finds nothing, else DocumentError for its first problem."""
    problems = validate(issue)
    if problems:
        where, message = problems[0]
        raise DocumentError(path, _line_of_problem(rd, where), message)
    return issue


def parse_unchecked(text: str, path: str = "<text>"
                    ) -> tuple[m.Issue, typing.Callable[[object], int | None]]:
    """Build an Issue — or a part of one, such as one unit of an issue store — without
    the checks across objects (``validate``); with a function giving the line of any
    object it built (None for objects it did not).  DocumentError for what is wrong
    in the text itself."""
    issue, rd = _parse(text, path)
    return issue, rd.line_of


def _parse(text: str, path: str) -> tuple[m.Issue, "_Reader"]:
    return _build(_compose(text, path), path)


def _compose(text: str, path: str) -> yaml.Node | None:
    """The YAML text composed into nodes (None for an empty file); DocumentError for
    text that is not YAML, at its line."""
    try:
        return yaml.compose(text, Loader=_FAST_LOADER)
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


def _build(root: yaml.Node | None, path: str) -> tuple[m.Issue, "_Reader"]:
    """The model from the document's nodes (``_compose``'s)."""
    if root is None:
        raise DocumentError(path, None, "the file is empty")
    rd = _Reader(path)
    top = {}
    for key, knode, v in rd.mapping(root, "the document"):
        top[key] = (knode, v)
        rd.sections[key] = knode.start_mark.line + 1
    if "banmian" not in top:
        rd.fail(root, "not a Banmian issue: the 'banmian: <schema version>' line is missing")
    version_node = top.pop("banmian")[1]
    version = _int(rd, version_node, "banmian (schema version)", 1)
    if version != m.SCHEMA_VERSION:
        rd.fail(version_node, f"schema version {version} is not supported "
                              f"(this Banmian reads version {m.SCHEMA_VERSION})")
    issue = m.Issue(fonts=m.default_fonts(), paragraph_styles=m.default_styles())
    given_fonts: dict[str, list[str]] = {}
    for key, (knode, v) in top.items():
        line = knode.start_mark.line + 1
        if key == "info":
            issue.info = rd.dataclass(v, m.IssueInfo, "info", line)
        elif key == "paper":
            issue.paper = rd.dataclass(v, m.Paper, "paper", line)
        elif key == "fonts":
            given_fonts = _reader(dict[str, list[str]])(rd, v, "fonts", line)
            issue.fonts.update(given_fonts)
        elif key == "colors":
            issue.colors = _reader(dict[str, list[float]])(rd, v, "colors", line)
        elif key == "paragraph_styles":
            # styles named like a built-in one start from it; the rest from the plain default
            for k, kn, n in rd.mapping(v, "paragraph_styles"):
                issue.paragraph_styles[k] = rd.dataclass(
                    n, m.ParagraphStyle, f"paragraph style '{k}'", kn.start_mark.line + 1,
                    base=issue.paragraph_styles.get(k))
        elif key == "char_styles":
            issue.char_styles = {k: rd.dataclass(n, m.CharStyle, f"character style '{k}'",
                                                 kn.start_mark.line + 1)
                                 for k, kn, n in rd.mapping(v, "char_styles")}
        elif key == "stories":
            issue.stories = {k: rd.story(k, n, kn.start_mark.line + 1)
                             for k, kn, n in rd.mapping(v, "stories")}
        elif key == "pages":
            issue.pages = [rd.page(n, f"page {i + 1}", n.start_mark.line + 1)
                           for i, n in enumerate(rd.sequence(v, "pages"))]
        elif key == "layers":
            issue.layers = _reader(list[m.Layer])(rd, v, "layers", line)
        elif key == "masters":
            issue.masters = {k: _read_master(rd, k, n, kn.start_mark.line + 1)
                             for k, kn, n in rd.mapping(v, "masters")}
        else:
            rd.fail(knode, f"unknown section '{key}' (known: {', '.join(SECTIONS)})")
    if m.is_traditional(issue.paper.language):
        # roles the file leaves out follow the paper's language (Noto CJK TC / HK)
        for role, names in m.default_fonts(issue.paper.language).items():
            if role not in given_fonts:
                issue.fonts[role] = names
    return issue, rd


def _read_master(rd: _Reader, name: str, node: yaml.Node, line: int) -> m.Master:
    what = f"master '{name}'"

    def frames(v, ln):
        return rd.at([rd.frame(f, f"{what} frame {i + 1}", f.start_mark.line + 1)
                      for i, f in enumerate(rd.sequence(v, what))], ln)
    return rd.dataclass(node, m.Master, what, line, hidden=("frames",),
                        special={"frames": frames})


def _line_of_problem(rd: _Reader, where) -> int | None:
    """The line of the object at fault; when it was not in the file (a default), its section's."""
    line = rd.line_of(where)
    if line is not None:
        return line
    section = next((name for cls, name in _SECTION_OF if isinstance(where, cls)), None)
    return rd.sections.get(section) if section else None


_SECTION_OF = ((m.Paper, "paper"), (m.Guides, "pages"), (m.ParagraphStyle, "paragraph_styles"),
               (m.CharStyle, "char_styles"), (m.Story, "stories"), (m.Page, "pages"),
               (m.Frame, "pages"), (list, "colors"), (m.Layer, "layers"),
               (m.Master, "masters"))


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
    if issue.layers:
        doc["layers"] = [_plain(ly) for ly in issue.layers]
    if issue.masters:
        doc["masters"] = {name: {"frames": [{"type": fr.kind, **_plain(fr)} for fr in ms.frames],
                                 **({"guides": _plain(ms.guides)} if ms.guides != m.Guides()
                                    else {})}
                          for name, ms in issue.masters.items()}
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
        if not page.id:
            d.pop("id", None)
        d["frames"] = [{"type": fr.kind, **_plain(fr)} for fr in page.frames]
        pages.append(d)
    doc["pages"] = pages
    return doc


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """Block style for structure, flow style for short leaf mappings and lists (libyaml's
    emitter where PyYAML has it: the same text, three times as fast)."""


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
    return dump_plain(to_plain(issue))


def dump_plain(doc: dict) -> str:
    """Plain data (``to_plain``'s, or a part of it) as YAML text in the issue file's style."""
    return yaml.dump(doc, Dumper=_Dumper, allow_unicode=True,
                     sort_keys=False, width=100, indent=2)


def save_issue(issue: m.Issue, path: str | os.PathLike) -> None:
    """Save atomically (temporary file, fsync, rename)."""
    atomic_write(path, dump_issue(issue).encode("utf-8"))
