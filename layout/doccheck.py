"""The checks of an issue model that its types cannot say (``validate``), and the error
of a document that cannot be used (``DocumentError``); apart from the file format
(``docfile``) so that a model can be checked without the YAML library."""
from __future__ import annotations

import math

from . import model as m
from .grid import PageGeometry
from .units import UnitError, font_size


class DocumentError(Exception):
    """A document that cannot be used; the message names the file and line."""

    def __init__(self, path: str, line: int | None, message: str):
        # one line, whatever the file holds: line breaks and control characters escaped
        message = "".join(c if c.isprintable() or c in "\u3000 " else
                          repr(c)[1:-1] for c in message)
        self.path, self.line, self.message = str(path), line, message
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")


# ====================================================================== checks types cannot say
def validate(issue: m.Issue) -> list[tuple[object, str]]:
    """What types cannot say — references between objects, ranges, lengths that must
    parse, geometry — as (the object at fault, message), in the document's order."""
    try:
        geo = PageGeometry.of(issue.paper)
    except UnitError as exc:
        return [(issue.paper, f"paper: {exc}")]
    return [*_paper_problems(issue, geo), *_style_problems(issue), *_char_style_problems(issue),
            *_color_problems(issue), *_layer_problems(issue), *_master_problems(issue, geo),
            *_page_problems(issue, geo), *_story_problems(issue), *_color_ref_problems(issue)]


def _at_most(field: str, value: float, limit: float) -> str:
    return f"{field} {value:g} is out of range (-{limit:g} to {limit:g})" \
        if abs(value) > limit else ""


def _length_problem(field: str, value, geo: PageGeometry, positive: bool = False) -> str:
    try:
        v = geo.length(value)
    except UnitError as exc:
        return f"{field}: {exc}"
    if v < 0 or (positive and v <= 0) or not math.isfinite(v):
        return f"{field} {value!r} must be {'more than' if positive else 'at least'} 0"
    return ""


def _paper_problems(issue: m.Issue, geo: PageGeometry) -> list[tuple[object, str]]:
    """Settings of the paper that would fail at composition or be silently ignored."""
    paper, j = issue.paper, issue.paper.jumps
    out = []
    if geo.columns < 1 or geo.lines < 1 or geo.column <= 0:
        out.append("the grid needs at least one column and one line")
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
    return [(paper, f"paper: {p}") for p in out]


def _font_role_problem(font: str, issue: m.Issue) -> str:
    return f"no font role '{font}' (roles: {', '.join(issue.fonts)})" \
        if font not in issue.fonts else ""


def _style_problems(issue: m.Issue) -> list[tuple[object, str]]:
    """Paragraph styles: sizes that must parse, ranges, font roles."""
    out = []
    for name, st in issue.paragraph_styles.items():
        try:
            size = font_size(st.size, issue.paper.hao)
        except UnitError as exc:
            out.append((st, f"paragraph style '{name}': {exc}"))
            continue
        problems = ["size and leading must be positive" if size <= 0 or st.leading <= 0 else "",
                    _font_role_problem(st.font, issue),
                    _at_most("leading", st.leading, 100),
                    _at_most("space_before", st.space_before, 1000),
                    _at_most("space_after", st.space_after, 1000),
                    _at_most("indent", st.indent, 100)]
        out.extend((st, f"paragraph style '{name}': {p}") for p in problems if p)
    return out


def _char_style_problems(issue: m.Issue) -> list[tuple[object, str]]:
    """Character styles: font roles and sizes."""
    out = []
    for name, cs in issue.char_styles.items():
        if cs.font and cs.font not in issue.fonts:
            out.append((cs, f"character style '{name}': {_font_role_problem(cs.font, issue)}"))
        if cs.size:
            try:
                if font_size(cs.size, issue.paper.hao) <= 0:
                    out.append((cs, f"character style '{name}': size must be positive"))
            except UnitError as exc:
                out.append((cs, f"character style '{name}': {exc}"))
    return out


def _color_problems(issue: m.Issue) -> list[tuple[object, str]]:
    """Swatches: four CMYK values from 0 to 1."""
    return [(c, f"colour '{name}' must be four CMYK values from 0 to 1, "
                f"such as [0, 1, 1, 0] (not {c})")
            for name, c in issue.colors.items()
            if len(c) != 4 or not all(0.0 <= v <= 1.0 for v in c)]


def _layer_problems(issue: m.Issue) -> list[tuple[object, str]]:
    """Layers: names given once."""
    out, seen = [], set()
    for ly in issue.layers:
        if not ly.name.strip():
            out.append((ly, "a layer needs a name"))
        elif ly.name in seen:
            out.append((ly, f"layer '{ly.name}' is listed twice"))
        seen.add(ly.name)
    return out


def _frame_layer_problem(issue: m.Issue, fr: m.Frame) -> str:
    if fr.layer and not any(ly.name == fr.layer for ly in issue.layers):
        known = ", ".join(ly.name for ly in issue.layers) or "none: add a layers: section"
        return f"frame '{fr.id}': no layer '{fr.layer}' (layers: {known})"
    return ""


def _master_problems(issue: m.Issue, geo: PageGeometry) -> list[tuple[object, str]]:
    """Master frames: ids, no story flow, fields in their text, and every frame problem."""
    out: list[tuple[object, str]] = []
    ids: set[str] = set()
    for name, master in issue.masters.items():
        where = m.Page(0)
        for fr in master.frames:
            if fr.id in ids:
                out.append((fr, f"frame id '{fr.id}' is used twice"))
            ids.add(fr.id)
            if isinstance(fr, m.TextFrame):
                out.append((fr, f"master '{name}': frame '{fr.id}' is a text frame; stories "
                                "run through page frames only"))
                continue
            if fr.replaces:
                out.append((fr, f"master '{name}': frame '{fr.id}' cannot replace a frame"))
            for attr in ("text", "caption", "credit"):
                problem = m.field_problem(getattr(fr, attr, "") or "")
                if problem:
                    out.append((fr, f"master '{name}' frame '{fr.id}' {attr}: {problem}"))
            out.extend((fr, p.replace("page 0", f"master '{name}'"))
                       for p in _frame_problems(issue, where, fr, geo))
            problem = _frame_layer_problem(issue, fr)
            if problem:
                out.append((fr, problem))
        out.extend(_guide_problems(master.guides, f"master '{name}'", geo))
    return out


def _color_ref_problems(issue: m.Issue) -> list[tuple[object, str]]:
    """Colour references: a swatch (black always), the paper, or a tint of a swatch
    ("red 30%", a percentage from 0 to 100)."""
    refs: list[tuple[object, str, str]] = []
    for name, st in issue.paragraph_styles.items():
        refs.append((st, f"paragraph style '{name}' color", st.color))
    for name, cs in issue.char_styles.items():
        refs.append((cs, f"character style '{name}' color", cs.color))
    frames = [fr for _, fr in issue.frames()]
    frames += [fr for ms in issue.masters.values() for fr in ms.frames]
    for fr in frames:
        for attr in ("color", "fill"):
            val = getattr(fr, attr, "")
            if val:
                refs.append((fr, f"frame '{fr.id}' {attr}", val))
    out = []
    for obj, what, ref in refs:
        if not ref:                       # a character style's "": the paragraph's colour
            continue
        try:
            name, tint = m.parse_color(ref)
        except ValueError as exc:
            out.append((obj, f"{what} '{ref}': {exc}"))
            continue
        if name not in issue.colors and name not in m.PAPER_NAMES and name != "black":
            out.append((obj, f"{what} '{ref}': no colour '{name}' (colours: "
                             f"{', '.join(issue.colors)}, paper; a tint is written 'red 30%')"))
    return out


def _page_problems(issue: m.Issue, geo: PageGeometry) -> list[tuple[object, str]]:
    """Page numbers, frame ids, and every frame's problems."""
    out: list[tuple[object, str]] = []
    ids, numbers = {fr.id for ms in issue.masters.values() for fr in ms.frames}, set()
    page_ids: set[str] = set()
    for page in issue.pages:
        if page.number in numbers:
            out.append((page, f"page number {page.number} is used twice"))
        if page.number < 1:
            out.append((page, f"page number {page.number}: pages are numbered from 1"))
        numbers.add(page.number)
        if page.id and page.id in page_ids:
            out.append((page, f"page id '{page.id}' is used twice"))
        page_ids.add(page.id)
        for fr in page.frames:
            if fr.id in ids:
                out.append((fr, f"frame id '{fr.id}' is used twice"))
            ids.add(fr.id)
            out.extend((fr, p) for p in _frame_problems(issue, page, fr, geo))
            problem = _frame_layer_problem(issue, fr)
            if problem:
                out.append((fr, problem))
        out.extend(_page_master_problems(issue, page))
        out.extend(_guide_problems(page.guides, f"page {page.number}", geo))
    return out


def _guide_problems(guides: m.Guides, where: str, geo: PageGeometry) -> list[tuple[object, str]]:
    """Guide positions that are not lengths."""
    out = []
    for axis in ("x", "y"):
        for v in getattr(guides, axis):
            problem = _length_problem(f"{where}: guide {axis}", v, geo)
            if problem:
                out.append((guides, problem))
    return out


def _page_master_problems(issue: m.Issue, page: m.Page) -> list[tuple[object, str]]:
    """A page's master, the master frames it hides and the ones its frames replace."""
    master = issue.masters.get(page.master) if page.master else None
    if page.master and master is None:
        known = ", ".join(issue.masters) or "none"
        return [(page, f"page {page.number}: no master '{page.master}' (masters: {known})")]
    mine = {fr.id for fr in master.frames} if master is not None else set()
    out: list[tuple[object, str]] = []
    for fid in page.hide_master:
        if fid not in mine:
            out.append((page, f"page {page.number}: hide_master names '{fid}', which is not "
                              f"a frame of its master"))
    for fr in page.frames:
        if fr.replaces and fr.replaces not in mine:
            out.append((fr, f"frame '{fr.id}' replaces '{fr.replaces}', which is not a frame "
                            f"of page {page.number}'s master"))
    return out


_STYLE_FIELDS = ("style", "kicker_style", "title_style", "subtitle_style", "caption_style",
                 "credit_style", "header_style")


def _frame_problems(issue: m.Issue, page: m.Page, fr: m.Frame, geo: PageGeometry) -> list[str]:
    """A frame's placement, lengths and references."""
    if fr.box is not None:
        if len(fr.box) != 4:
            return [f"frame '{fr.id}': box needs [x, y, width, height]"]
        try:
            [geo.length(v) for v in fr.box]
        except UnitError as exc:
            return [f"frame '{fr.id}': {exc}"]
    elif fr.cols < 1 or fr.lines < 1:
        return [f"frame '{fr.id}' on page {page.number} has no size "
                f"({fr.cols} columns × {fr.lines} lines)"]
    out = [] if geo.on_page(fr) else [f"frame '{fr.id}' lies off page {page.number}"]
    out.extend(f"frame '{fr.id}': {p}" for p in _frame_field_problems(fr, geo) if p)
    for attr in _STYLE_FIELDS:
        style = getattr(fr, attr, None)
        if style and style not in issue.paragraph_styles:
            out.append(f"frame '{fr.id}': no paragraph style '{style}'")
    story = getattr(fr, "story", "")
    if story and story not in issue.stories:
        out.append(f"frame '{fr.id}': no story '{story}'")
    if isinstance(fr, m.TextFrame) and fr.columns < 0:
        out.append(f"frame '{fr.id}': columns must not be negative")
    return out


def _frame_field_problems(fr: m.Frame, geo: PageGeometry) -> list[str]:
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
    elif isinstance(fr, m.PhotoFrame):
        if len(fr.crop) > 3 or (len(fr.crop) == 3 and fr.crop[2] <= 0):
            out.append(f"crop {fr.crop} must be [centre x, centre y, zoom] with a positive zoom")
    elif isinstance(fr, m.RuleFrame):
        out.append(_length_problem("weight", fr.weight, geo))
    elif isinstance(fr, m.BoxFrame):
        out.append(_length_problem("stroke", fr.stroke, geo))
    elif isinstance(fr, m.TableFrame):
        out.extend(_table_problems(fr, geo))
    rotate = getattr(fr, "rotate", 0.0)
    if not math.isfinite(rotate) or abs(rotate) > 360:
        out.append(f"rotate {rotate:g} is out of range (-360 to 360 degrees)")
    wrap = getattr(fr, "wrap", None)
    if wrap is not None:
        out.append(_length_problem("wrap offset", wrap.offset, geo))
    return out


def _table_problems(fr: m.TableFrame, geo: PageGeometry) -> list[str]:
    """A table needs cells in rows of one length, and no more alignments than columns."""
    out = [_length_problem("rules weight", fr.rules.weight, geo)]
    if not fr.cells or not fr.n_columns:
        out.append("a table needs at least one row of cells")
    elif any(len(r) != len(fr.cells[0]) for r in fr.cells):
        bad = next(i for i, r in enumerate(fr.cells) if len(r) != len(fr.cells[0]))
        out.append(f"row {bad + 1} has {len(fr.cells[bad])} cells, the first row has "
                   f"{len(fr.cells[0])}")
    if len(fr.align) > fr.n_columns:
        out.append(f"align gives {len(fr.align)} columns, the table has {fr.n_columns}")
    return out


def _story_problems(issue: m.Issue) -> list[tuple[object, str]]:
    """Threads (frames that exist, are text frames, belong to one story) and styles."""
    out: list[tuple[object, str]] = []
    where: dict[str, m.Frame] = {}
    for _, fr in issue.frames():
        where.setdefault(fr.id, fr)
    owner: dict[str, str] = {}
    for sid, story in issue.stories.items():
        for fid in story.thread:
            fr = where.get(fid)
            if fr is None:
                out.append((story, f"story '{sid}': its thread names frame '{fid}', "
                                   "which is on no page"))
                continue
            if not isinstance(fr, m.TextFrame):
                out.append((story, f"story '{sid}': frame '{fid}' in its thread is a "
                                   f"{fr.kind} frame, not a text frame"))
            if fid in owner:
                out.append((story, f"story '{sid}': frame '{fid}' is already in the thread "
                                   f"of story '{owner[fid]}'"))
            owner[fid] = sid
        for i, p in enumerate(story.paragraphs):
            out.extend((story, msg) for msg in paragraph_problems(issue, sid, i, p))
    return out


def paragraph_problems(issue: m.Issue, sid: str, i: int, p: m.Paragraph) -> list[str]:
    """What ``validate`` finds of paragraph ``i`` of story ``sid`` alone: its styles."""
    out = []
    if p.style not in issue.paragraph_styles:
        out.append(f"story '{sid}' paragraph {i + 1}: no paragraph style '{p.style}'")
    for r in p.runs:
        if r.style and r.style not in issue.char_styles:
            out.append(f"story '{sid}' paragraph {i + 1}: no character style '{r.style}'")
    return out
