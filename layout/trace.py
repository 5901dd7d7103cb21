"""A text trace of a layout result: the test oracle for composition (as SILE's debug outputter).

Each composed line is written with its frame, baseline, x, the characters it
shows and where its last glyph box ends, so a change in line breaking or
spacing reads as a plain diff.
"""
from __future__ import annotations

from .model import Issue
from .result import LayoutResult


def trace(result: LayoutResult, issue: Issue) -> str:
    """Every page, frame and line of the result as text (2 decimals)."""
    out = []
    for page in result.pages:
        out.append(f"page {page.number}")
        for fr in page.frames:
            x, y, w, h = fr.rect
            out.append(f"  {fr.kind} {fr.frame_id} at {x:.2f},{y:.2f} size {w:.2f}x{h:.2f}"
                       + (f" story {fr.story}" if fr.story else ""))
            used = set()
            for ln in fr.lines:
                runs = [r for r in fr.runs if abs(r.y - ln.y) < 0.01 and r.source.part == "body"
                        and ln.x - ln.width <= r.xs[0] < ln.x + ln.width
                        and r.source.para == ln.para and ln.start <= r.offsets[0] < ln.end + 1]
                used.update(id(r) for r in runs)
                text = "".join(r.text for r in runs)
                right = runs[-1].xs[-1] + _advance(runs[-1]) if runs else ln.x
                out.append(f"    y={ln.y:7.2f} x={runs[0].xs[0] if runs else ln.x:7.2f} "
                           f"right={right:7.2f} col={ln.x:7.2f} p{ln.para}[{ln.start}:{ln.end}] "
                           f"|{text}|")
            for r in fr.runs:
                if id(r) not in used:
                    out.append(f"    y={r.y:7.2f} x={r.xs[0]:7.2f} right={r.xs[-1] + _advance(r):7.2f} "
                               f"{r.source.part} |{r.text}|")
    for sid, c in result.copyfit.items():
        out.append(f"copyfit {sid}: {c.lines} lines {c.chars} chars — {c.label()}")
    return "\n".join(out) + "\n"


def _advance(run) -> float:
    """The em of the run's size: traces use square test fonts, so the last box is one em
    for CJK and half for Latin."""
    ch = run.text[-1]
    return run.size if ord(ch) >= 0x2E80 or ch in "“”‘’—…" else run.size / 2
