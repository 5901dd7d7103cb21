"""Story flow: a story runs through the text frames of its thread, on any pages.

Each frame starts where the story stood when the previous frame was full (a
continuation token, as rinohtype's chains and WeasyPrint's ``resume_at`` do),
lines are broken at each frame's own column measure, and jump lines are
reserved where the story leaves a page or resumes on another.
"""
from __future__ import annotations

import math
from dataclasses import field
from itertools import groupby
from operator import attrgetter

from common.prebuilt import prebuilt_dataclass

from .grid import EM_ASCENT, PageGeometry
from .model import Story, TextFrame
from .position import StoryPos
from .result import Diagnostic, FrameResult, GlyphRun, LineBox, Source
from .breaking import set_line
from .setter import Setter, Style, line_runs
from .units import chinese_numeral
from . import _methods as _dataclass_methods

# @dataclass, with the methods dataclasses would write generated ahead of time into
# layout/_methods.py (see common/prebuilt.py)
dataclass = prebuilt_dataclass(_dataclass_methods)


@dataclass
class Column:
    """One text column of a frame: its x, measure and free grid lines."""
    x: float
    width: float
    slots: list[int]                     # grid line indices, top to bottom
    used: int = 0                        # slots consumed so far


@dataclass
class Jumps:
    """Jump lines a frame must carry."""
    from_page: int | None = None         # "（上接一版）" opens the frame
    to_page: int | None = None           # "（下转二版）" closes it


@dataclass
class FrameFill:
    """What filling one frame produced: its FrameResult is built when first asked for
    (a trial that is not kept never builds its line boxes)."""
    built: FrameResult | None
    end: StoryPos
    prepared: set = field(default_factory=set)   # ids of prepared paragraphs used
    holes: list = field(default_factory=list)    # per hole at a column foot: re-breaks to try
    # where the fill stood when it first came to each (paragraph, offset), for a mending
    # trial to go on from (see Flow._fill's ``resume``); the lines it placed, and its
    # chunks per column, that those states count in
    marks: dict = field(default_factory=dict, repr=False, compare=False)
    placed: tuple = field(default=(), repr=False, compare=False)
    chunks: dict = field(default_factory=dict, repr=False, compare=False)
    made: tuple = field(default=(), repr=False, compare=False)   # what it was filled with
    # the text column rectangles, (lines, depth) per column as column_feet counts them,
    # and the items in drawing order, a story line still as its placement (a tuple)
    columns: tuple = field(default=(), repr=False, compare=False)
    feet: list = field(default_factory=list, repr=False, compare=False)
    items: tuple = field(default=(), repr=False, compare=False)
    build: object = field(default=None, repr=False, compare=False)

    @property
    def result(self) -> FrameResult:
        if self.built is None:
            self.built, self.build = self.build(), None
        return self.built


@dataclass
class Overset:
    """What did not fit a story's thread: counts, and the lines set for the proof."""
    lines: int = 0
    chars: int = 0
    runs: list = field(default_factory=list)


def page_label(number: int, numerals: str) -> str:
    """A page number as jump lines print it."""
    return chinese_numeral(number) if numerals == "chinese" else str(number)


class Flow:
    """Fills text frames with a story's paragraphs."""

    #: a mending trial goes on from where the fill it mends stood at the paragraph it
    #: sets looser or tighter (what comes before it cannot differ); False: from the top
    resume_trials = True

    def __init__(self, setter: Setter, geo: PageGeometry, issue, boxes: dict | None = None):
        self.setter, self.geo, self.issue = setter, geo, issue
        #: placed lines kept between fills (the Composer's): a line set again at the same
        #: place — a refill, a mending trial — is the very same LineBox
        self.boxes = {} if boxes is None else boxes
        self._sources: dict[tuple[str, int], Source] = {}
        self._preps: dict = {}
        self._columns: dict = {}     # a frame's rectangle, columns, blocked lines → its rows
        self._baselines: dict = {}   # (grid line, size, leading) → baseline

    def _prepared(self, story: Story, para: int, st: Style):
        """A paragraph shaped in its style and the story's language: the setter's, asked
        once a Flow (the model does not change while one composes)."""
        key = (id(story), para)
        hit = self._preps.get(key)
        paragraph = story.paragraphs[para]
        if hit is not None and hit[0] is paragraph and hit[1] is st and hit[2] is story:
            return hit[3]
        p = self.setter.prepare(self.setter.run_specs(paragraph, st, story.language), st)
        self._preps[key] = (paragraph, st, story, p)
        return p

    # ------------------------------------------------------------ placement
    def baseline(self, row: int, style: Style) -> float:
        """The baseline of a line of this style whose first grid line is ``row``."""
        key = (row, style.size, style.leading)
        got = self._baselines.get(key)
        if got is None:
            got = self._baselines[key] = self.geo.baseline(row, style.size, style.leading)
        return got

    def jump_text(self, to: bool, page: int) -> str:
        """The wording of a jump line."""
        j = self.issue.paper.jumps
        label = page_label(page, j.numerals)
        return (j.to_text if to else j.from_text).format(page=label)

    def _place_jump(self, items: list, story: str, col: Column, row: int, text: str) -> None:
        st = self.setter.style(self.issue.paper.jumps.style)
        p = self.setter.prepare_text(text, st)
        lines = self.setter.lines(p, col.width, 0, 0.0, st.align)
        if not lines:
            return
        y = self.baseline(row, st)
        items.extend(line_runs(p, lines[0], col.x, y, Source(story, -1, "jump")))

    # ------------------------------------------------------------ filling
    _blocked_key = None     # the key of the blocked lines a ``fill`` was given, while it runs

    def columns(self, frame: TextFrame, blocked: dict[int, set[int]]) -> list[Column]:
        """The frame's text columns with the grid lines each may use."""
        g = self.geo
        x, y, w, h = rect = g.frame_rect(frame)
        spans = tuple(g.text_columns(frame))
        bkey = self._blocked_key
        if bkey is None or bkey[0] is not blocked:
            bkey = (blocked, tuple((k, frozenset(v)) for k, v in blocked.items()))
        key = (rect, spans, bkey[1])
        got = self._columns.get(key)             # (a fill asks more than once)
        if got is None:
            first = max(0, int(round((y - g.top) / g.pitch + 0.4999)))
            last = min(g.lines, int((y + h - g.top) / g.pitch + 1e-6))
            got = []
            for cx, cw in spans:
                near = [rs for (bx0, bx1), rs in blocked.items()
                        if bx0 < cx + cw - 0.5 and bx1 > cx + 0.5]
                got.append((cx, cw, [r for r in range(first, last)
                                     if not any(r in rs for rs in near)]))
            self._columns[key] = got
        return [Column(cx, cw, list(rows)) for cx, cw, rows in got]

    def fill(self, story: Story, frame: TextFrame, start: StoryPos, jumps: Jumps,
             blocked: dict, more_frames: bool = False,
             blocked_key: tuple | None = None) -> FrameFill:
        """Set the story from ``start`` into the frame; return where it stopped.

        A widow or orphan rule that would leave a hole at a column's foot inside
        the frame is met instead by setting a paragraph one line longer or
        shorter (within the spacing limits); a hole is left only when nothing
        fits, and the copyfit counts it ("缺 1 行").  A frame set to balance, in
        which the story ends, is filled again so that every column ends on the
        same grid line (the last may be one line shorter), re-breaking
        paragraphs when the line count does not divide.

        ``blocked_key``: ``blocked`` as a hashable key (sorted), when the caller holds one.
        """
        # every fill of this frame (a balancing, mending or tightening trial) is kept by
        # what decides it: a trial asked again, or one whose depth no column reaches (as
        # deep as the frame: the natural fill), is the fill made before
        self._blocked_key = None if blocked_key is None else (blocked, blocked_key)
        rows = max((len(c.slots) for c in self.columns(frame, blocked)), default=0)
        self._memo = ((id(story), id(frame), start, jumps.from_page, jumps.to_page,
                       id(blocked), more_frames), rows, {})
        try:
            return self._fill_balanced(story, frame, start, jumps, blocked, more_frames)
        finally:
            self._memo = None
            self._blocked_key = None

    def _fill_balanced(self, story: Story, frame: TextFrame, start: StoryPos, jumps: Jumps,
                       blocked: dict, more_frames: bool) -> FrameFill:
        loose: dict[tuple[int, int], int] = {}
        fill = self._fill(story, frame, start, jumps, blocked, more_frames, None, loose)
        fill = self._mend_holes(fill, story, frame, start, jumps, blocked, more_frames, None,
                                loose)
        ncols = len(fill.columns)
        if frame.balance and ncols > 1 and not self._complete(fill, story):
            # the holes the widow/orphan rules leave may be all that keeps it out: with
            # the re-breaks that mended them, or without (a paragraph set a line longer
            # to close a hole may be what no longer fits)
            few = self._few_over(fill, story)
            for base in ([loose, {}] if loose and few else [loose]):
                relaxed = {**base, ("no-widow-rule",): 1}
                trial = self._fill(story, frame, start, jumps, blocked, more_frames, None,
                                   relaxed)
                if self._complete(trial, story):
                    fill, loose = trial, relaxed
                    break
            if few and not self._complete(fill, story):
                fill, loose = self._tighten(fill, story, frame, start, jumps, blocked,
                                            more_frames, loose)
        if not (frame.balance and ncols > 1 and fill.end.para >= len(story.paragraphs)):
            return fill
        return self._balance(fill, story, frame, start, jumps, blocked, more_frames, loose)

    # ------------------------------------------------------------ even feet
    def _complete(self, fill: FrameFill, story: Story) -> bool:
        return fill.end.para >= len(story.paragraphs)

    def _mend_holes(self, fill: FrameFill, story, frame, start, jumps, blocked, more,
                    depth, loose: dict) -> FrameFill:
        """Re-break paragraphs (±1 line) where a widow/orphan rule left a hole."""
        for _ in range(6):
            if not fill.holes:
                return fill
            for key, lv in fill.holes[0]:
                if key in loose or not self._can_loosen(story, key, fill, lv):
                    continue
                trial_loose = {**loose, key: lv}
                trial = self._fill(story, frame, start, jumps, blocked, more, depth,
                                   trial_loose, resume=(fill, key))
                if len(trial.holes) < len(fill.holes) and (
                        self._complete(trial, story) or not self._complete(fill, story)):
                    loose.clear()
                    loose.update(trial_loose)
                    fill = trial
                    break
            else:
                return fill          # nothing fits: the hole stays, the copyfit says 缺
        return fill

    def _few_over(self, fill: FrameFill, story: Story) -> bool:
        """Whether what the fill left over would take no more lines than the frame has
        columns (a line a column is all re-breaking a line tighter can win back)."""
        paras = story.paragraphs
        end = fill.end
        if end.para >= len(paras) or not fill.columns:
            return True
        st = self.setter.style(paras[end.para].style)
        per_line = max(1.0, fill.columns[0][2] / st.size)
        left = len(paras[end.para].text) - end.offset + sum(
            len(p.text) for p in paras[end.para + 1:])
        return left <= len(fill.columns) * per_line

    def _tighten(self, fill: FrameFill, story, frame, start, jumps, blocked, more,
                 loose: dict) -> tuple[FrameFill, dict]:
        """A balanced frame the story overfills by a few lines — a module sized to the
        depth its copy balances to — takes paragraphs set a line tighter (within the
        spacing limits, longest first, at most one a column), as balancing would set
        them in a deeper frame (the widow/orphan rules giving way if they must); the fill
        and its re-breaks, or the fill unchanged."""
        paras = story.paragraphs
        keys = sorted(((i, start.offset if i == start.para else 0)
                       for i in range(start.para, len(paras))),
                      key=lambda k: -(len(paras[k[0]].text) - k[1]))
        # from the re-breaks that mended holes, or from none (a paragraph set a line
        # longer to close a hole may be what no longer fits)
        for base in ([loose, {}] if loose else [loose]):
            tight, tried = dict(base), 0
            for key in keys:
                if tried >= len(fill.columns):
                    break
                if key in tight or not self._can_loosen(story, key, fill, -1):
                    continue
                tight[key] = -1
                tried += 1
                for trial_loose in (tight, {**tight, ("no-widow-rule",): 1}):
                    trial = self._fill(story, frame, start, jumps, blocked, more, None,
                                       trial_loose)
                    if self._complete(trial, story):
                        return trial, dict(trial_loose)
        return fill, loose

    def _can_loosen(self, story: Story, key: tuple[int, int], fill: FrameFill,
                    lv: int) -> bool:
        """Whether paragraph ``key`` (para, offset) can be set ``lv`` lines longer/shorter."""
        if key[0] == "orphan":
            return True              # not a re-break: allow the orphan
        para, offset = key
        if not 0 <= para < len(story.paragraphs) or not fill.columns:
            return False
        st = self.setter.style(story.paragraphs[para].style)
        if st.leading != 1 or st.keep_with_next:
            return False
        p = self._prepared(story, para, st)        # the paragraph as the fill sets it
        width = fill.columns[0][2]
        indent = st.indent if offset == 0 else 0.0
        return self.setter.can_set(p, width, offset, indent, st.align, lv)

    def _para_keys(self, story: Story, fill: FrameFill, start: StoryPos) -> list:
        """(para, offset) of every paragraph the fill set, longest first."""
        end = min(fill.end.para, len(story.paragraphs) - 1)
        keys = [(i, start.offset if i == start.para else 0) for i in range(start.para, end + 1)]
        size = {}
        for it in fill.items:
            if type(it) is tuple or isinstance(it, LineBox):
                para = it[5] if type(it) is tuple else it.para
                size[para] = size.get(para, 0) + 1
        return sorted(keys, key=lambda k: -size.get(k[0], 0))

    def _balance(self, fill: FrameFill, story, frame, start, jumps, blocked, more,
                 loose: dict) -> FrameFill:
        """Refill so every column ends level (the last may be one line shorter)."""
        pitch = self.geo.pitch
        feet = fill.feet
        ncols = len(feet)
        used = sum(d for _, d in feet)
        tallest = max(int(round(c[3] / pitch)) for c in fill.columns)
        keys = self._para_keys(story, fill, start)
        best = None
        # even feet come before the widow/orphan rules: in a shallow module they may
        # have to give way (tried last, from the story's natural line count)
        free = {("no-widow-rule",): 1}
        variants = [(dict(loose), used)]

        def natural() -> list:
            """The natural line count's variant (filled only once the one with the rules
            found no even feet)."""
            if len(variants) == 1:
                if not loose and not fill.holes:
                    nat = fill           # no rule moved a line: the same fill again
                else:
                    nat = self._fill(story, frame, start, jumps, blocked, more, None, free)
                variants.append((free, sum(d for _, d in nat.feet))
                                if self._complete(nat, story) else None)
            return [v for v in variants if v is not None]

        def trials():
            for i in (0, 1):
                for base, used in natural()[1:] if i else variants[:1]:
                    d0 = max(1, -(-used // ncols))
                    for d in range(d0, min(tallest, d0 + 1) + 1):
                        yield d, base, used
        for depth, base, used in trials():
            # fill out to ``depth`` (setting paragraphs looser), or in to depth - 1 (tighter)
            plans = [(depth, +1, ncols * depth - used, 0),
                     (depth, +1, ncols * depth - 1 - used, 1),
                     (depth - 1, -1, used - ncols * (depth - 1), 0),
                     (depth - 1, -1, used - ncols * (depth - 1) + 1, 1)]
            plans = [pl for pl in plans if pl[0] >= 1 and pl[2] >= 0]
            # the fewest re-breaks first, a last column one line short counting as one
            # more (a full module, 正好, is what make-up staff want); on a tie the full
            # module, then tighter (push-in) before looser
            plans.sort(key=lambda pl: (pl[2] + pl[3], pl[3], pl[1] > 0))
            for d, lv, need, _ in plans:
                trial_loose = dict(base)
                picked = 0
                for level in (1, 2, 3):          # one line on each paragraph, then two, three
                    for key in keys:
                        if picked >= need:
                            break
                        if trial_loose.get(key, 0) == lv * (level - 1) and \
                                self._can_loosen(story, key, fill, lv * level):
                            trial_loose[key] = lv * level
                            picked += 1
                if picked < need:
                    continue
                trial = self._fill(story, frame, start, jumps, blocked, more, d, trial_loose)
                trial = self._mend_holes(trial, story, frame, start, jumps, blocked, more, d,
                                         trial_loose)
                if not self._complete(trial, story):
                    continue
                if uneven_feet(trial.feet) == 0:
                    return trial
                if best is None:
                    best = trial
        # nothing evens the feet: still no column left empty — the first columns one line
        # deeper than the others (the copyfit and a warning say so) — else the shallowest
        # depth that holds the story
        for base, used in natural():
            q, r = divmod(used, ncols)
            if q >= 1 and q + (r > 0) <= tallest:
                limits = [q + 1] * r + [q] * (ncols - r)
                trial = self._fill(story, frame, start, jumps, blocked, more, limits, base)
                if self._complete(trial, story) and all(n for n, _ in trial.feet):
                    return trial
        depth = max(1, -(-used // ncols))
        while depth < tallest:
            trial = self._fill(story, frame, start, jumps, blocked, more, depth, loose)
            if self._complete(trial, story):
                return trial
            depth += 1
        return best or fill

    _memo = None         # (what the frame is filled from, its deepest column, fills made)

    def _fill(self, story: Story, frame: TextFrame, start: StoryPos, jumps: Jumps,
              blocked: dict, more_frames: bool, depth: int | list | None,
              loose: dict | None = None, resume: tuple | None = None) -> FrameFill:
        """``_fill_frame``, once for each depth and looseness in a ``fill``: a depth no
        column reaches is no depth at all."""
        memo = self._memo
        if memo is None or memo[0] != (id(story), id(frame), start, jumps.from_page,
                                       jumps.to_page, id(blocked), more_frames):
            return self._fill_frame(story, frame, start, jumps, blocked, more_frames, depth,
                                    loose, resume)
        rows = memo[1]
        if depth is not None and all(d >= rows for d in
                                     (depth if isinstance(depth, list) else [depth])):
            depth = None
        key = (tuple(depth) if isinstance(depth, list) else depth,
               frozenset(loose.items()) if loose else frozenset())
        got = memo[2].get(key)
        if got is None and loose and ("no-widow-rule",) in loose:
            # the widow/orphan rules off change nothing in a fill where they moved no line
            ruled = memo[2].get((key[0], key[1] - {(("no-widow-rule",), 1)}))
            if ruled is not None and not ruled.holes:
                got = ruled
        if got is None:
            got = memo[2][key] = self._fill_frame(story, frame, start, jumps, blocked,
                                                  more_frames, depth, loose, resume)
        return got

    def _fill_frame(self, story: Story, frame: TextFrame, start: StoryPos, jumps: Jumps,
                    blocked: dict, more_frames: bool, depth: int | list | None,
                    loose: dict | None = None, resume: tuple | None = None) -> FrameFill:
        """Fill the frame, using at most ``depth`` grid lines of each column (or a list:
        per column).

        ``loose`` maps (paragraph, offset) to a looseness (±1 line) to set it with.
        The fill records every hole a widow/orphan rule left at a column foot,
        with the re-breaks that might close it.

        ``resume`` (a fill made with the same arguments but ``loose``, and the one key
        ``loose`` adds to its settings) lets a mending trial start where that fill first
        came to the key's paragraph: up to there, nothing a fill decides looks at that key.
        """
        loose = loose or {}
        holes: list = []
        g = self.geo
        rect = g.frame_rect(frame)
        items: list = []                 # LineBox | GlyphRun, in drawing order
        cols = self.columns(frame, blocked)
        columns = tuple((c.x, g.line_y(c.slots[0]) if c.slots else rect[1], c.width,
                         len(c.slots) * g.pitch) for c in cols)
        used_prepared: set[int] = set()
        col_chunks: dict[int, list] = {}     # column → (para, offset) of the chunks set in it
        carry = None                     # (para, offset, width, lines, first) left for the next column

        def result(end: StoryPos, empty_lines: int = 0) -> FrameResult:
            return FrameResult(frame.id, frame.kind, rect, tuple(items), columns, story.id,
                               start, end, empty_lines)
        if not cols or not any(c.slots for c in cols):
            fr = result(start)
            return FrameFill(fr, start, used_prepared, holes, columns=columns,
                             feet=column_feet(fr, g.pitch), items=fr.items)
        # the jump lines go in the first and last columns with room (a column may be all
        # blocked: under a photo, or a frame on the same lines)
        open_ci = next(i for i, c in enumerate(cols) if c.slots)
        close_ci = max(i for i, c in enumerate(cols) if c.slots)
        if jumps.from_page is not None:
            first = cols[open_ci]
            self._place_jump(items, story.id, first, first.slots[0],
                             self.jump_text(False, jumps.from_page))
            first.used = 1
        run_in = self.issue.paper.jumps.placement == "run-in"
        reserve_last = jumps.to_page is not None and not run_in
        paras = story.paragraphs
        para, offset = start.para, start.offset
        ci = 0
        last_placed, last_ci = None, 0
        n_lines = 0
        marks: dict = {}
        made = (id(story), id(frame), start, jumps.from_page, jumps.to_page, id(blocked),
                more_frames, tuple(depth) if isinstance(depth, list) else depth)
        snap = self._resume_point(resume, made)
        if snap is not None:
            base, (n_items, used, chunk_lens, n_holes, prepared, carry, last, n_lines, ci,
                   para, offset) = snap
            items[:] = base.placed[:n_items]
            for c, u in zip(cols, used):
                c.used = u
            col_chunks = {k: base.chunks[k][:n] for k, n in chunk_lens}
            holes = base.holes[:n_holes]
            used_prepared = set(prepared)
            if last is not None:
                last_ci = last[3]
                last_placed = last[:3] + (cols[last_ci], last[4])
            for k, v in base.marks.items():
                if k == (para, offset):
                    break
                marks[k] = v
        while para < len(paras) and ci < len(cols):
            if (para, offset) not in marks:          # where a mending trial may go on from
                marks[para, offset] = (
                    len(items), [c.used for c in cols],
                    tuple(zip(col_chunks, map(len, col_chunks.values()))), len(holes),
                    tuple(used_prepared), carry,
                    None if last_placed is None else last_placed[:3] + (last_ci,
                                                                        last_placed[4]),
                    n_lines, ci, para, offset)
            col = cols[ci]
            limit = len(col.slots) - (1 if reserve_last and ci == close_ci else 0)
            if depth is not None:
                limit = min(limit, depth[ci] if isinstance(depth, list) else depth)
            st = self.setter.style(paras[para].style)
            p = self._prepared(story, para, st)
            used_prepared.add(id(p))
            fresh = offset == 0
            indent = st.indent if fresh else 0.0
            lv = loose.get((para, offset), 0)
            # the paragraph's lines (broken, each set when its box is made) from line ``first``
            if not lv and carry is not None and carry[:3] == (para, offset, col.width):
                lines, first = carry[3], carry[4]   # the rest of a paragraph set once
            else:
                lines = self.setter.lazy_lines(p, col.width, offset, indent, st.align, lv) \
                    if lv else None
                if lines is None:
                    lines = self.setter.lazy_lines(p, col.width, offset, indent, st.align)
                first = 0
            if fresh and col.used > 0 and st.space_before:
                col.used += st.space_before
            room = max(0, (limit - col.used) // st.leading)
            n = len(lines) - first
            if st.keep_with_next and fresh and para + 1 < len(paras) and col.used > 0:
                # a subhead never ends a column: it needs its lines plus two of the next
                nst = self.setter.style(paras[para + 1].style)
                if room * st.leading < n * st.leading + 2 * nst.leading:
                    if room and (more_frames or ci + 1 < len(cols)):
                        # a hole at the foot: a paragraph above set a line longer fills it
                        holes.append([(k, lv) for k in list(reversed(col_chunks.get(ci, ())))[:3]
                                      for lv in (1, -1)])
                    ci += 1
                    continue
            if room >= n:
                place = n
            else:
                place = room
                if (more_frames or ci + 1 < len(cols)) and ("no-widow-rule",) not in loose:
                    # the re-breaks that would close the hole: this paragraph, or one
                    # set above it in the column, a line shorter or longer
                    here = (para, offset)
                    above = [(k, lv) for k in list(reversed(col_chunks.get(ci, ())))[:3]
                             for lv in (-1, 1)]          # the nearest three above
                    if place == 1 and n >= 2 and col.used > 0 and ("orphan",) + here not in loose:
                        place = 0                      # no orphan at a column's foot
                        # last resort: the first line at the foot rather than a hole
                        holes.append([(here, -1)] + above + [(("orphan",) + here, 1)])
                    elif n - place == 1 and place >= 3:
                        place -= 1                     # no widow at the next column's head
                        holes.append([(here, -1), (here, +1)] + above)
            if place:
                col_chunks.setdefault(ci, []).append((para, offset))
            baselines, size, leading = self._baselines, st.size, st.leading
            for k in range(place):
                line = (lines, first + k)            # (the line itself once its box is made)
                last_placed, last_ci = (len(items), p, line, col, para), ci
                row = col.slots[col.used if col.used < len(col.slots) else -1]
                y = baselines.get((row, size, leading))       # (self.baseline's memo)
                if y is None:
                    y = self.baseline(row, st)
                # placed now, its LineBox made when the fill's result is built
                items.append((p, line, col.x, col.width, y, para, story.id, size))
                n_lines += 1
                col.used += st.leading
            if place == n:
                para, offset = para + 1, 0
                col.used += st.space_after
                if col.used >= limit:
                    ci += 1
            else:
                if place:
                    offset = lines.next(first + place - 1)
                carry = (para, offset, col.width, lines, first + place)
                ci += 1
        placed = tuple(items)
        if jumps.to_page is not None and run_in and para < len(paras) and n_lines:
            para, offset = self._run_in_jump(items, story.id, last_placed, jumps.to_page,
                                             para, offset)
        end = StoryPos(para, offset)
        if reserve_last and para < len(paras):      # the story goes on: say where
            last = cols[close_ci]
            self._place_jump(items, story.id, last, last.slots[-1],
                             self.jump_text(True, jumps.to_page))
        # the grid lines left empty at the column feet: after the story's end (underset),
        # or a hole the rules could not avoid before it goes on ("缺 1 行" on this frame)
        spec = tuple(items)
        feet = placed_feet(spec, columns, g.pitch)
        empty = sum(max(0, len(c.slots) - d) for c, (_, d) in zip(cols, feet))

        def build() -> FrameResult:
            items[:] = [self._line_box(*it) if type(it) is tuple else it for it in spec]
            return result(end, empty)
        return FrameFill(None, end, used_prepared, holes, marks, placed, col_chunks, made,
                         columns, feet, spec, build)

    def _resume_point(self, resume: tuple | None, made: tuple):
        """(the fill, its state) a mending trial goes on from, or None: from the top."""
        if resume is None or not self.resume_trials:
            return None
        base, key = resume
        if base.made != made:
            return None                      # filled otherwise: nothing to go on from
        if not key or not isinstance(key[-1], int):
            return None                      # a rule switched off for the whole frame
        at = key[1:] if key[0] == "orphan" else key
        got = base.marks.get(tuple(at))
        return None if got is None else (base, got)

    def _line_box(self, p, line, x: float, width: float, y: float, para: int, story: str,
                  size: float) -> LineBox:
        """The LineBox of a line set at (x, y) in a column ``width`` wide: the one made
        before when the same line stood there.  ``line``: the Line, or (the paragraph's
        LazyLines, which line)."""
        if type(line) is tuple:
            line = line[0].line(line[1])
        key = (id(line), x, width, y, para, story, size)
        hit = self.boxes.get(key)
        if hit is not None and hit[0] is line:
            return hit[1]
        src = self._sources.get((story, para))
        if src is None:                     # one Source a paragraph, shared by its lines
            src = self._sources[story, para] = Source(story, para, "body")
        box = LineBox(x, y, width, line.start, line.end, para, story,
                      y - EM_ASCENT * size, y + (1 - EM_ASCENT) * size,
                      self.setter.line_runs(p, line, x, y, src))
        if len(self.boxes) > 200_000:
            self.boxes.clear()
        self.boxes[key] = (line, box)       # the line is held: its id stays its own
        return box

    def _run_in_jump(self, items: list, story: str, last_placed, page: int, para: int,
                     offset: int):
        """Set the jump line run in at the end of the frame's last line.

        The last line gives up characters (at legal breaks) until the jump text
        fits after it, right-aligned; those characters continue in the next frame.
        Returns the new continuation (paragraph, offset).
        """
        at, p, line, col, lpara = last_placed
        if type(line) is tuple:              # (LazyLines, which line): set it
            line = line[0].line(line[1])
        st = self.setter.style(self.issue.paper.jumps.style)
        jp = self.setter.prepare_text(self.jump_text(True, page), st)
        jw = jp.natural(0, jp.n)
        room = col.width - jw
        ends = [e for e in p.nodes if line.start < e <= line.end
                and p.natural(line.start, e) - p.squeeze(line.start, e) <= room + 0.01]
        if not ends:
            return para, offset            # nothing fits beside it: leave the line alone
        e = ends[-1]
        ln = items.pop(at)
        if type(ln) is tuple:                # still a placement: its box, as it would be
            ln = self._line_box(*ln)
        body = set_line(p, line.start, e, room, False, "justify")
        src = Source(story, lpara, "body")
        items.append(LineBox(ln.x, ln.y, ln.width, line.start, e, lpara, ln.story,
                             ln.top, ln.bottom, tuple(line_runs(p, body, col.x, ln.y, src))))
        jline = set_line(jp, 0, jp.n, jw, True, "left")
        items.extend(line_runs(jp, jline, col.x + room, ln.y, Source(story, -1, "jump")))
        if e >= p.n:
            return lpara + 1, 0
        return lpara, p.next_start(e)

    # ------------------------------------------------------------ overset
    def overset(self, story: Story, start: StoryPos, measure: float, x: float,
                y: float) -> Overset:
        """Count what did not fit, and set it below the last frame for the proof."""
        out = Overset()
        paras = story.paragraphs
        para, offset = start.para, start.offset
        row_y = y
        while para < len(paras):
            st = self.setter.style(paras[para].style)
            p = self.setter.prepare(self.setter.run_specs(paras[para], st, story.language), st)
            fresh = offset == 0
            lines = self.setter.lines(p, measure, offset, st.indent if fresh else 0.0, st.align)
            for line in lines:
                row_y += st.leading * self.geo.pitch
                out.runs.extend(line_runs(p, line, x, row_y, Source(story.id, para, "overset")))
            out.lines += len(lines)
            out.chars += sum(1 for c in p.sh.text[offset:] if not c.isspace())
            para, offset = para + 1, 0
        return out


def placed_feet(items: tuple, columns: tuple, pitch: float) -> list[tuple[int, int]]:
    """``column_feet`` of the frame a fill's items (story lines still as placements)
    and column rectangles make, without making its line boxes."""
    by_x: dict[float, list] = {}         # (bottom, baseline) of the lines at each x
    jumps = []
    low = 1 - EM_ASCENT
    for it in items:
        if type(it) is tuple:
            y = it[4]
            at = by_x.get(it[2])
            if at is None:
                at = by_x[it[2]] = []
            at.append((y + low * it[7], y))
        elif isinstance(it, LineBox):
            by_x.setdefault(it.x, []).append((it.bottom, it.y))
        elif isinstance(it, GlyphRun) and it.source.part == "jump" and it.xs:
            jumps.append(it)
    return _feet(by_x, jumps, columns, pitch)


def column_feet(fr: FrameResult, pitch: float) -> list[tuple[int, int]]:
    """Per text column of a frame: (lines it shows, grid lines down to its foot).

    Lines are the story lines and jump lines in the column; the depth counts
    grid lines from the column's top to the grid line of its last line's foot.
    """
    by_x: dict[float, list] = {}         # (bottom, baseline) of the lines at each x
    for x, group in groupby(fr.lines, key=attrgetter("x")):
        by_x.setdefault(x, []).extend((ln.bottom, ln.y) for ln in group)
    jumps = [it for it in fr.items
             if isinstance(it, GlyphRun) and it.source.part == "jump" and it.xs]
    return _feet(by_x, jumps, fr.columns, pitch)


def _feet(by_x: dict[float, list], jumps: list, columns: tuple,
          pitch: float) -> list[tuple[int, int]]:
    """``column_feet`` from the (bottom, baseline) of the lines at each x and the jump
    lines' runs."""
    out = []
    for cx, cy, cw, ch in columns:
        groups = [group for x, group in by_x.items() if abs(x - cx) < 0.5]
        if len(groups) == 1 and not jumps:
            # (one x: its lines; the deepest foot is the largest pair's)
            mine = groups[0]
            n = len(mine)
            foot = max(cy, max(mine)[0]) if n else cy
        else:
            mine = [ln for group in groups for ln in group]
            n = len(mine)
            foot = max(cy, max([b for b, _ in mine], default=cy))
        if jumps:
            baselines = {round(y, 2) for _, y in mine}
            for it in jumps:
                if cx - 0.5 <= it.xs[0] < cx + cw and round(it.y, 2) not in baselines:
                    n += 1                   # a jump line on its own line (not run in)
                    foot = max(foot, it.y + 0.12 * it.size)
        out.append((n, max(0, math.ceil((foot - cy) / pitch - 0.05)) if n else 0))
    return out


def uneven_feet(feet: list[tuple[int, int]]) -> int:
    """How many columns end above the deepest one (the last may be one line shorter)."""
    if not feet or not any(n for n, _ in feet):
        return 0
    deepest = max(d for _, d in feet)
    bad = 0
    for i, (_, d) in enumerate(feet):
        if d < deepest and not (i == len(feet) - 1 and d == deepest - 1):
            bad += 1
    return bad


def diagnose_overset(story: Story, copy, page: int, frame: str) -> Diagnostic:
    """The error an overset story raises."""
    return Diagnostic("error", "overset",
                      f"story '{story.id}' ({story.name or story.headline.title}): "
                      f"{copy.label()} — the text does not fit its frames",
                      page=page, frame=frame, story=story.id)
