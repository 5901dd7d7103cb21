"""A text trace of a layout result: the test oracle for composition (as SILE's debug outputter).

Each composed line is written with its frame, baseline, x, the characters it
shows and where its last glyph ends (its pen x plus the advance the engine
gave it), so a change in line breaking or spacing reads as a plain diff.  The
trace is one more painter of ``layout.result.walk``.
"""
from __future__ import annotations

from .result import FrameResult, GlyphRun, LayoutResult, LineBox, PageResult, Painter, walk


class TracePainter(Painter):
    """Writes pages, frames and lines as text lines (2 decimals)."""

    def __init__(self):
        self.out: list[str] = []
        self._loose: list[GlyphRun] = []

    def begin_page(self, page: PageResult) -> None:
        self.out.append(f"page {page.number}")

    def begin_frame(self, frame: FrameResult) -> None:
        x, y, w, h = frame.rect
        self.out.append(f"  {frame.kind} {frame.frame_id} at {x:.2f},{y:.2f} size {w:.2f}x{h:.2f}"
                        + (f" story {frame.story}" if frame.story else ""))
        self._loose = []

    def line(self, ln: LineBox) -> None:
        runs = [r for r in ln.runs if r.xs]
        text = "".join(r.text for r in runs)
        right = runs[-1].right if runs else ln.x
        self.out.append(f"    y={ln.y:7.2f} x={runs[0].xs[0] if runs else ln.x:7.2f} "
                        f"right={right:7.2f} col={ln.x:7.2f} p{ln.para}[{ln.start}:{ln.end}] "
                        f"|{text}|")

    def glyph_run(self, run: GlyphRun, line: LineBox | None) -> None:
        if line is None:
            self._loose.append(run)

    def end_frame(self, frame: FrameResult) -> None:
        for r in self._loose:            # headlines, captions, jump lines: after the lines
            self.out.append(f"    y={r.y:7.2f} x={r.xs[0]:7.2f} right={r.right:7.2f} "
                            f"{r.source.part} |{r.text}|")


def trace(result: LayoutResult) -> str:
    """Every page, frame and line of the result, and each story's copyfit, as text."""
    painter = TracePainter()
    walk(result, painter)
    out = painter.out
    for sid, c in result.copyfit.items():
        out.append(f"copyfit {sid}: {c.lines} lines {c.chars} chars — {c.label()}")
    return "\n".join(out) + "\n"
