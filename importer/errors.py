"""The one exception the importer raises for input it cannot take."""
from __future__ import annotations


class ImportFailure(Exception):
    """A file (or text) that cannot be imported; the message names the file and why."""

    def __init__(self, source: str, reason: str):
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason
