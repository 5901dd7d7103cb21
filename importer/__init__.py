"""Importing articles from plain text, Markdown and Word files into Banmian stories.

``import_file`` reads a file and returns an ``ImportResult``: the stories, the
photos (credit, caption, extracted image), and a ``Report`` listing every repair
made or proposed on the way (merged split paragraphs, a dropped duplicated
fragment, a moved headline, punctuation widths …).  ``apply(report, ids)``
builds the stories again with only the repairs the editor accepted.
"""
from .api import apply, import_blocks, import_bytes, import_file, import_text
from .errors import ImportFailure
from .result import KINDS, ImportResult, Photo, Repair, Report

__all__ = ["ImportFailure", "ImportResult", "KINDS", "Photo", "Repair", "Report", "apply",
           "import_blocks", "import_bytes", "import_file", "import_text"]
