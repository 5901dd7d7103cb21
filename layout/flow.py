"""Story flow: a story runs through the text frames of its thread, on any pages.

Each frame starts where the story stood when the previous frame was full (a
continuation token, as rinohtype's chains and WeasyPrint's ``resume_at`` do),
lines are broken at each frame's own column measure, and jump lines are
reserved where the story leaves a page or resumes on another.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .grid import EM_ASCENT, PageGeometry
from .model import Story, TextFrame
from .position import StoryPos
from .result import Diagnostic, FrameResult, LineBox, Source
from .breaking import set_line
from .setter import Setter, Style, line_runs
from .units import chinese_numeral


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
    """What filling one frame produced."""
    result: FrameResult
    end: StoryPos
    prepared: set = field(default_factory=set)   # ids of prepared paragraphs used


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

    def __init__(self, setter: Setter, geo: PageGeometry, issue):
        self.setter, self.geo, self.issue = setter, geo, issue

    # ------------------------------------------------------------ placement
    def baseline(self, row: int, style: Style) -> float:
        """The baseline of a line of this style whose first grid line is ``row``."""
        return self.geo.baseline(row, style.size, style.leading)

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
    def columns(self, frame: TextFrame, blocked: dict[int, set[int]]) -> list[Column]:
        """The frame's text columns with the grid lines each may use."""
        g = self.geo
        x, y, w, h = g.frame_rect(frame)
        first = max(0, int(round((y - g.top) / g.pitch + 0.4999)))
        last = min(g.lines, int((y + h - g.top) / g.pitch + 1e-6))
        cols = []
        for cx, cw in g.text_columns(frame):
            rows = [r for r in range(first, last)
                    if not any(r in rs for (bx0, bx1), rs in blocked.items()
                               if bx0 < cx + cw - 0.5 and bx1 > cx + 0.5)]
            cols.append(Column(cx, cw, rows))
        return cols

    def fill(self, story: Story, frame: TextFrame, start: StoryPos, jumps: Jumps,
             blocked: dict, more_frames: bool = False) -> FrameFill:
        """Set the story from ``start`` into the frame; return where it stopped.

        A frame set to balance, in which the story ends, is filled again with
        the shortest equal column depth that still holds the rest of the story,
        so its columns end level.
        """
        fill = self._fill(story, frame, start, jumps, blocked, more_frames, None)
        ncols = len(fill.result.columns)
        if not (frame.balance and ncols > 1 and fill.end.para >= len(story.paragraphs)):
            return fill
        used = len(fill.result.lines)
        depth = max(1, -(-used // ncols))
        tallest = max(int(round(c[3] / self.geo.pitch)) for c in fill.result.columns)
        while depth < tallest:
            trial = self._fill(story, frame, start, jumps, blocked, more_frames, depth)
            if trial.end.para >= len(story.paragraphs):
                return trial
            depth += 1
        return fill

    def _fill(self, story: Story, frame: TextFrame, start: StoryPos, jumps: Jumps,
              blocked: dict, more_frames: bool, depth: int | None) -> FrameFill:
        """Fill the frame, using at most ``depth`` grid lines of each column."""
        g = self.geo
        rect = g.frame_rect(frame)
        items: list = []                 # LineBox | GlyphRun, in drawing order
        cols = self.columns(frame, blocked)
        columns = tuple((c.x, g.line_y(c.slots[0]) if c.slots else rect[1], c.width,
                         len(c.slots) * g.pitch) for c in cols)
        used_prepared: set[int] = set()

        def result(end: StoryPos, empty_lines: int = 0) -> FrameResult:
            return FrameResult(frame.id, frame.kind, rect, tuple(items), columns, story.id,
                               start, end, empty_lines)
        if not cols or not any(c.slots for c in cols):
            return FrameFill(result(start), start, used_prepared)
        if jumps.from_page is not None and cols[0].slots:
            self._place_jump(items, story.id, cols[0], cols[0].slots[0],
                             self.jump_text(False, jumps.from_page))
            cols[0].used = 1
        run_in = self.issue.paper.jumps.placement == "run-in"
        reserve_last = jumps.to_page is not None and not run_in
        paras = story.paragraphs
        para, offset = start.para, start.offset
        ci = 0
        last_placed = None
        n_lines = 0
        while para < len(paras) and ci < len(cols):
            col = cols[ci]
            limit = len(col.slots) - (1 if reserve_last and ci == len(cols) - 1 else 0)
            if depth is not None:
                limit = min(limit, depth)
            st = self.setter.style(paras[para].style)
            p = self.setter.prepare(self.setter.run_specs(paras[para], st, story.language), st)
            used_prepared.add(id(p))
            fresh = offset == 0
            lines = self.setter.lines(p, col.width, offset, st.indent if fresh else 0.0, st.align)
            if fresh and col.used > 0 and st.space_before:
                col.used += st.space_before
            room = max(0, (limit - col.used) // st.leading)
            n = len(lines)
            if st.keep_with_next and fresh and para + 1 < len(paras) and col.used > 0:
                # a subhead never ends a column: it needs its lines plus two of the next
                nst = self.setter.style(paras[para + 1].style)
                if room * st.leading < n * st.leading + 2 * nst.leading:
                    ci += 1
                    continue
            if room >= n:
                place = n
            else:
                place = room
                if more_frames or ci + 1 < len(cols):
                    if place == 1 and n >= 2 and col.used > 0:
                        place = 0                      # no orphan at a column's foot
                    elif n - place == 1 and place >= 3:
                        place -= 1                     # no widow at the next column's head
            for k in range(place):
                line = lines[k]
                last_placed = (len(items), p, line, col, para)
                row = col.slots[min(col.used, len(col.slots) - 1)]
                y = self.baseline(row, st)
                src = Source(story.id, para, "body")
                items.append(LineBox(col.x, y, col.width, line.start, line.end, para,
                                     story.id, y - EM_ASCENT * st.size,
                                     y + (1 - EM_ASCENT) * st.size,
                                     self.setter.line_runs(p, line, col.x, y, src)))
                n_lines += 1
                col.used += st.leading
            if place == n:
                para, offset = para + 1, 0
                col.used += st.space_after
                if col.used >= limit:
                    ci += 1
            else:
                if place:
                    offset = lines[place - 1].next
                ci += 1
        if jumps.to_page is not None and run_in and para < len(paras) and n_lines:
            para, offset = self._run_in_jump(items, story.id, last_placed, jumps.to_page,
                                             para, offset)
        end = StoryPos(para, offset)
        if reserve_last and para < len(paras):      # the story goes on: say where
            last = cols[-1]
            row = last.slots[-1] if last.slots else None
            if row is not None:
                self._place_jump(items, story.id, last, row, self.jump_text(True, jumps.to_page))
        empty = 0
        if para >= len(paras):
            # underset: the grid lines left empty after the story's end
            empty = sum(max(0, len(c.slots) - c.used) for c in cols[ci:])
        return FrameFill(result(end, empty), end, used_prepared)

    def _run_in_jump(self, items: list, story: str, last_placed, page: int, para: int,
                     offset: int):
        """Set the jump line run in at the end of the frame's last line.

        The last line gives up characters (at legal breaks) until the jump text
        fits after it, right-aligned; those characters continue in the next frame.
        Returns the new continuation (paragraph, offset).
        """
        at, p, line, col, lpara = last_placed
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


def diagnose_overset(story: Story, copy, page: int, frame: str) -> Diagnostic:
    """The error an overset story raises."""
    return Diagnostic("error", "overset",
                      f"story '{story.id}' ({story.name or story.headline.title}): "
                      f"{copy.label()} — the text does not fit its frames",
                      page=page, frame=frame, story=story.id)
