"""Golden traces of small named composition cases, set with the square test font.

Each case says what must happen; the trace (layout.trace) is compared with
tests/golden/trace.txt.  Regenerate after a deliberate change with
BANMIAN_UPDATE_GOLDEN=1 and read the diff.
"""
from __future__ import annotations

import os
from pathlib import Path

from fakefont import SquareFontSet
from layout import model as m
from layout.compose import Composer
from layout.trace import trace

GOLDEN = Path(__file__).parent / "golden" / "trace.txt"

CASES = [
    # 13 marks and a stop: the stop stays on the line (push-in: comma and stop half width)
    ("push-in", "中中中中，中中中中中中中中。" + "国" * 20),
    # nothing to compress: the last character goes down with the stop (push-out, spaced line)
    ("push-out", "中" * 13 + "。" + "国" * 20),
    # numbers keep their units; ranges stay whole; Latin words stay whole; ¼ em around them
    ("numbers", "全县共有127家单位参加，发放资金12.18万元，贫困发生率下降到15.2%，"
                "《方案》（2018—2020年）提出wifi全覆盖。"),
    # adjacent marks take 1.5 em; a closing quote and its stop never split
    ("punctuation", "他说：“我们始终视员工为最宝贵的资源。”“建家”就要建到一线去……"
                    "——这是共识。"),
    # a lone character on the last line is avoided
    ("lone-char", "中" * 24 + "国字。"),
]


def build():
    iss = m.Issue(fonts=m.default_fonts(), paragraph_styles=m.default_styles())
    frames = []
    for i, (name, text) in enumerate(CASES):
        iss.stories[name] = m.Story(name, paragraphs=[m.Paragraph("body", [m.Run(text)])],
                                    thread=[f"f-{name}"])
        frames.append(m.TextFrame(f"f-{name}", col=i, line=0, cols=1, lines=12))
    # a story through two pages, with a subhead, and a Latin paragraph
    iss.stories["jump"] = m.Story("jump", paragraphs=[
        m.Paragraph("body", [m.Run("工会" * 30)]),
        m.Paragraph("subhead", [m.Run("小标题")]),
        m.Paragraph("body", [m.Run("职工" * 20)]),
        m.Paragraph("latin", [m.Run("Newspapers justify their columns with even word spaces "
                                    "and hyphenate long words such as internationalisation.")])],
        thread=["j1", "j2"])
    frames.append(m.TextFrame("j1", col=5, line=0, cols=2, lines=6))
    iss.pages = [m.Page(1, frames=frames),
                 m.Page(2, frames=[m.TextFrame("j2", col=0, line=0, cols=2, lines=20)])]
    return iss


def test_golden_trace():
    iss = build()
    text = trace(Composer(iss, SquareFontSet()).compose())
    if os.environ.get("BANMIAN_UPDATE_GOLDEN"):
        GOLDEN.write_text(text, "utf-8")
    assert text == GOLDEN.read_text("utf-8")
