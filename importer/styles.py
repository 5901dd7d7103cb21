"""The paragraph and character styles imported stories use beyond an issue's defaults.

A newspaper sets an editor's note (编者按) in 楷体, a 链接/背景 box smaller in 黑体 with
its label in bold, an author line and the affiliation (作者单位) in 楷体 without an
indent, and a wire dateline (电头) in 黑体 as the first run of the lead.  The
templates (resources/templates) carry the same definitions.
"""
from __future__ import annotations

from layout.model import CharStyle, ParagraphStyle


def import_styles() -> dict[str, ParagraphStyle]:
    """Paragraph styles the importer may give a paragraph, by name."""
    return {
        "note": ParagraphStyle(font="byline", size="小五", indent=2, align="justify",
                               label="编者按"),
        "author": ParagraphStyle(font="byline", size="五号", indent=0, align="right",
                                 label="作者"),
        "affiliation": ParagraphStyle(font="byline", size="小五", indent=0, align="right",
                                      label="作者单位"),
        "sidebar-head": ParagraphStyle(font="headline", size="小五", indent=0, align="left",
                                       keep_with_next=True, label="链接标题"),
        "sidebar": ParagraphStyle(font="caption", size="小五", indent=2, align="justify",
                                  label="链接"),
    }


def import_char_styles() -> dict[str, CharStyle]:
    """Character styles the importer may give a run, by name (fonts by role)."""
    return {
        "bold": CharStyle(font="headline", label="粗体"),
        # Chinese type has no italic: 楷体 (the byline role) stands in for it
        "italic": CharStyle(font="byline", label="楷体"),
        "dateline": CharStyle(font="headline", label="电头"),
    }
