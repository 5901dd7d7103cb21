"""A position in a story: paragraph index and character offset in that paragraph.

The one form a story position takes everywhere: where a frame starts and ends
(``FrameResult.start``/``end``), where the flow stands between frames, where an
edit applies, where the editor's cursor is and what a diagnostic points at.
It is a frozen, ordered value (a named tuple, so it also unpacks as
``para, offset = pos`` and compares in reading order).
"""
from __future__ import annotations

from common.records import named_tuple


@named_tuple       # (typing.NamedTuple's class, without typing)
class StoryPos:
    """Paragraph ``para`` of a story, before its character ``offset``."""
    para: int = 0
    offset: int = 0

    @classmethod
    def of(cls, value) -> "StoryPos":
        """A StoryPos from a StoryPos or any (para, offset) pair."""
        if isinstance(value, cls):
            return value
        para, offset = value
        return cls(int(para), int(offset))

    def __repr__(self) -> str:
        return f"StoryPos({self.para}, {self.offset})"


START = StoryPos(0, 0)
