"""The one exception type the fonts package raises."""
from __future__ import annotations


class FontError(Exception):
    """A font file is missing, unreadable, corrupt or cannot be converted; the message names the file."""

    def __init__(self, path: str, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")
