"""Align and distribute frames on the grid (no Qt): each returns one edit or None."""
from __future__ import annotations

from layout import edits as E
from layout import model as m


def _movable(issue: m.Issue, ids: list[str]) -> list[m.Frame]:
    return [fr for fr in (issue.frame(i)[1] for i in ids) if not fr.locked and not fr.box]


def _align(issue: m.Issue, ids: list[str], field: str, label: str) -> E.Edit | None:
    """Give the movable frames the smallest value of ``field`` (col or line) among them."""
    frames = _movable(issue, ids)
    if len(frames) < 2:
        return None
    to = min(getattr(f, field) for f in frames)
    edits = [E.SetFrame(f.id, **{field: to}) for f in frames if getattr(f, field) != to]
    return E.Batch(edits, label) if edits else None


def align_left(issue: m.Issue, ids: list[str]) -> E.Edit | None:
    """Give the frames the leftmost frame's first column."""
    return _align(issue, ids, "col", "align left")


def align_top(issue: m.Issue, ids: list[str]) -> E.Edit | None:
    """Give the frames the topmost frame's first grid line."""
    return _align(issue, ids, "line", "align top")


def distribute_horizontally(issue: m.Issue, ids: list[str]) -> E.Edit | None:
    """Space the frames evenly between the leftmost and the rightmost (whole columns)."""
    frames = sorted(_movable(issue, ids), key=lambda f: f.col)
    if len(frames) < 3:
        return None
    first, last = frames[0], frames[-1]
    inner = sum(f.cols for f in frames[1:-1])
    free = last.col - (first.col + first.cols) - inner
    gaps = len(frames) - 1
    edits = []
    col = first.col + first.cols
    for k, f in enumerate(frames[1:-1], 1):
        gap = (free * k) // gaps - (free * (k - 1)) // gaps
        col += gap
        if f.col != col:
            edits.append(E.SetFrame(f.id, col=col))
        col += f.cols
    return E.Batch(edits, "distribute") if edits else None


def toggle_lock(issue: m.Issue, ids: list[str]) -> E.Edit | None:
    """Lock the frames (or unlock them when all are locked)."""
    frames = [issue.frame(i)[1] for i in ids]
    if not frames:
        return None
    lock = not all(f.locked for f in frames)
    return E.Batch([E.SetFrame(f.id, locked=lock) for f in frames if f.locked != lock],
                   "lock" if lock else "unlock")
