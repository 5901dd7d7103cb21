"""Importing articles from plain text, Markdown, Word and NewsML-G2 files into stories.

``import_file`` reads a file and returns an ``ImportResult``: the stories, the
photos (credit, caption, extracted image), and a ``Report`` listing every repair
made or proposed on the way (merged split paragraphs, a dropped duplicated
fragment, a moved headline, punctuation widths …).  ``apply(report, ids)``
builds the stories again with only the repairs the editor accepted.

Decisions:

* A run-in byline stays in the lead as printed, "本报讯（记者 周鹏 石杰）3月15日…",
  and is *not* copied to ``Story.byline`` (a byline frame prints that field, so it
  would appear twice); it is listed in ``ImportResult.run_in_bylines``, as is a
  closing name.  A stand-alone byline line ("□本报记者 张小芳 石杰") before or
  after the headline goes to ``Story.byline``.
* A closing name runs in at the end of the last paragraph, "…补短板。（宗和）".
* The gap after 本报讯 is kept as one U+3000 ideographic space (one 字 wide);
  before a run-in byline there is none.  No gap is added where the source had none.
* A photo credit line ("骆进林 摄") becomes a ``Photo`` of the story it stands in.
* Story ids are ``story-NN`` in source order, skipping ids the issue already has;
  a lone headline that may belong to another story gets its id last, so ids stay
  the same whichever repairs the editor accepts.
* Repairs at confidence 0.6 or more are applied unless rejected; the others are
  proposals or flags (``Repair.actionable`` is False for flags).
"""
from .api import apply, import_blocks, import_bytes, import_file, import_text
from .errors import ImportFailure
from .result import KINDS, ImportResult, Photo, Repair, Report

__all__ = ["ImportFailure", "ImportResult", "KINDS", "Photo", "Repair", "Report", "apply",
           "import_blocks", "import_bytes", "import_file", "import_text"]
