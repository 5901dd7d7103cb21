"""Plain text and Markdown to blocks; blocks to draft stories.

Markdown: ``#``/``##`` a headline title, ``###`` a subtitle (right after a title),
a kicker (right before one) or else a subhead, ``####`` and deeper a subhead.
Paragraphs are separated by blank lines; a file without any blank line has one
paragraph per line.  Lines of one paragraph are joined without a space between
Chinese characters.  Bylines, photo credits and sign-offs on a line of their own
are always blocks of their own.  Plain text without any ``#`` line gets its
headlines guessed from short unpunctuated lines (listed in the result's notes).
"""
from __future__ import annotations

import re

from .blocks import Block, Draft
from .chars import (SPACES, end_evidence, ends_sentence, is_latin_or_digit, jump_markers,
                    start_evidence)

_H = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_NAME = rf"[{_H}·•]{{2,6}}"
_ROLE = r"(?:本报|本刊)?(?:首席|特约|见习)?(?:记者|通讯员|实习生)"
_NAMES = rf"{_NAME}(?:[\s、]+(?:{_ROLE}\s*)?{_NAME})*"

BYLINE_RE = re.compile(rf"^[□■◇◆●]?\s*{_ROLE}\s*{_NAMES}(?:\s*报道)?$")
CREDIT_RE = re.compile(rf"^[（(]?\s*(?:(?:本报|新华社|中新社)?(?:首席)?(?:记者|通讯员)\s*)?"
                       rf"{_NAMES}\s*(?:摄影报道|摄影|摄|供图)\s*[)）]?$")
SIGNOFF_RE = re.compile(rf"^[（(]\s*(?:{_ROLE}\s*)?{_NAMES}\s*[)）]$")
_LEAD = (rf"(?:本[报報刊]讯|本[報刊]訊|[据據]?(?:本[报報]|新华社|新華社|中新社|中新网|中新網|人民日[报報]|央视网?)"
         rf"[{_H}0-9０-９]{{2,16}}[电電])")
#: A lead's dateline (电头/讯头): "本报讯", "新华社北京3月26日电", "据新华社北京3月26日电".
LEAD_RE = re.compile(rf"^{_LEAD}")
LEAD_BYLINE_RE = re.compile(rf"^{_LEAD}[{SPACES}]*[（(]\s*({_ROLE}\s*[^()（）]{{2,40}}?)\s*[)）]")
#: Structure found in a paragraph's text, proposed as a repair (``Block.found``).
EDITOR_RE = re.compile(rf"^[（(【\[]?\s*(?:责任编辑|责编|编辑(?=[\s:：]))\s*[:：]?\s*({_NAMES})"
                       r"\s*[)）】\]]?$")
TAIL_EDITOR_RE = re.compile(rf"[{SPACES}]*[（(]\s*(?:责任编辑|责编)\s*[:：]?\s*({_NAMES})\s*[)）]"
                            rf"[{SPACES}]*$")
AUTHOR_RE = re.compile(rf"^(?:作者\s*[:：]?|文\s*[/／]|文图\s*[/／]|[□■])\s*({_NAMES})$")
AFFILIATION_RE = re.compile(r"^[（(]?\s*作者(?:单位\s*[:：]|系|为|是|工作单位\s*[:：])"
                            r"[^()（）]{2,60}[)）]?$")
NOTE_RE = re.compile(r"^[【\[]?\s*(?:编者按|编者的话|编后)\s*[】\]]?\s*[:：]?")
SIDEBAR_RE = re.compile(r"^[【\[]?\s*(?:相关链接|新闻链接|背景链接|链接|背景资料|新闻背景|背景)\s*[】\]]?"
                        r"\s*[:：]?")
SECTION_RE = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）]"
                        r"|[0-9]{1,2}[.．、](?![0-9])|第[一二三四五六七八九十]{1,3}(?:部分|章|节))")
TAIL_SIGNOFF_RE = re.compile(rf"[。！？”」』…]\s*[（(]\s*((?:{_ROLE}\s*)?{_NAMES})\s*[)）]\s*$")
_HEADING_RE = re.compile(r"^(#{1,6})[ \t\u3000]+(.*?)[ \t\u3000]*#*[ \t\u3000]*$")


_WIRE_RE = re.compile(rf"^据?(?:本报|新华社|中新社|中新网|人民日报|央视网?)([{_H}]{{2,8}}?)"
                      r"([0-9０-９]{1,2}月[0-9０-９]{1,2}日)?电")
_RUN_IN_RE = re.compile(rf"[{SPACES}]*[（(]\s*{_ROLE}?[^()（）]{{2,40}}[)）]")


def dateline_span(text: str, prefix: str = "") -> int:
    """The length of the wire dateline (with a run-in byline) opening the text, 0 for none:
    "新华社北京3月26日电（记者 某某）" — or ``prefix`` (a dateline the source gave) with the
    run-in byline after it.  本报讯/本刊讯 are 讯头, not wire datelines."""
    if prefix and text.startswith(prefix):
        m = _RUN_IN_RE.match(text, len(prefix))
        return m.end() if m else len(prefix)
    m = _WIRE_RE.match(text)
    if not m or (not m.group(2) and m.end() < len(text) and text[m.end()] not in SPACES + "（("):
        return 0                        # "本报记者从市供电公司获悉" is no dateline
    r = _RUN_IN_RE.match(text, m.end())
    return r.end() if r else m.end()


def _standalone_role(line: str) -> str:
    """The role of a line that is a block by itself whatever surrounds it, else ''."""
    if len(line) > 40:
        return ""
    if jump_markers(line) and line.strip(SPACES).startswith(("(", "（")):
        return ""
    if BYLINE_RE.match(line):
        return "byline"
    if EDITOR_RE.match(line):
        return "para"                   # found as "editor": a repair, not a sign-off
    if CREDIT_RE.match(line):
        return "credit"
    if SIGNOFF_RE.match(line):
        return "signoff"
    return ""


def _join_lines(lines: list[str]) -> str:
    """One paragraph from its source lines: no space between Chinese, one between words."""
    out = ""
    for ln in lines:
        if out and ln and is_latin_or_digit(out[-1]) and is_latin_or_digit(ln[0]):
            out += " "
        out += ln
    return out


def classify(text: str) -> str:
    """The role of a body paragraph by its text: byline, credit, sign-off or para."""
    return _standalone_role(text) or "para"


def structure(text: str) -> str:
    """What a body paragraph's text says it is, beyond body text ('' = nothing):
    "editor" (（责任编辑 某某）), "author" (作者：某某, 文/某某), "affiliation"
    (（作者单位：…）), "note" (编者按), "sidebar-head" (a 链接/背景 box's label, alone or
    opening the box's paragraph), "section" (一、… （二）… 1. … as a short line)."""
    t = text.strip(SPACES)
    if EDITOR_RE.match(t):
        return "editor"
    if len(t) <= 40 and AUTHOR_RE.match(t) and not BYLINE_RE.match(t):
        return "author"
    if AFFILIATION_RE.match(t):
        return "affiliation"
    if NOTE_RE.match(t):
        return "note"
    m = SIDEBAR_RE.match(t)
    if m and (m.end() == len(t) or t[m.end() - 1] in "：:】]"):
        return "sidebar-head"
    if SECTION_RE.match(t) and len(t) <= 30 and not any(c in t for c in "。；;！？!?") \
            and not t.endswith(("：", ":", "，", "、")) \
            and len(SECTION_RE.sub("", t).strip(SPACES)) >= 2:
        return "section"
    return ""


def text_blocks(text: str) -> tuple[list[Block], list[str]]:
    """The blocks of a plain-text or Markdown document, and notes on guesses made."""
    lines = text.splitlines()
    markdown = any(_HEADING_RE.match(ln.strip(SPACES)) for ln in lines)
    stripped = [ln.strip(SPACES) for ln in lines]
    first = next((i for i, s in enumerate(stripped) if s), len(stripped))
    last = max((i for i, s in enumerate(stripped) if s), default=-1)
    per_line = not any(not s for s in stripped[first:last + 1])
    blocks: list[Block] = []
    para: list[str] = []
    para_line = 0

    def mark(b: Block) -> None:
        """Note the structure a body block's text shows."""
        if b.role == "para":
            b.found = structure(b.text)

    def flush():
        """End the paragraph being collected."""
        nonlocal para
        if para:
            joined = _join_lines(para)
            blocks.append(Block(len(blocks), para_line, classify(joined), joined))
            mark(blocks[-1])
        para = []

    for no, s in enumerate(stripped, 1):
        if not s:
            flush()
            continue
        m = _HEADING_RE.match(s)
        if m:
            flush()
            level, body = len(m.group(1)), re.sub(r"[ \t\u3000]+", " ", m.group(2))
            if body:
                role = "title" if level <= 2 else "sub" if level == 3 else "subhead"
                blocks.append(Block(len(blocks), no, role, body))
            continue
        role = _standalone_role(s)
        if role or per_line or structure(s) in ("editor", "author", "affiliation",
                                                  "sidebar-head", "section"):
            flush()
            blocks.append(Block(len(blocks), no, role or "para", s))
            mark(blocks[-1])
            continue
        if not para:
            para_line = no
        para.append(s)
    flush()
    notes: list[str] = []
    if not markdown:
        notes = _guess_headlines(blocks)
    resolve_subs(blocks)
    return blocks, notes


def _headline_like(b: Block) -> bool:
    """A short line without sentence punctuation: possibly a headline in plain text."""
    t = b.text
    return (b.role == "para" and not b.found and 2 <= len(t) <= 32 and not ends_sentence(t)
            and not end_evidence(t) and not start_evidence(t)
            and not any(c in t for c in "。，；！？,;") and not t.endswith(("、", "：", ":")))


def _guess_headlines(blocks: list[Block]) -> list[str]:
    """Mark short lines before a paragraph as headlines in plain text; notes on each."""
    notes = []
    i = 0
    while i < len(blocks):
        j = i
        while j < len(blocks) and j - i < 3 and (_headline_like(blocks[j]) or (
                j > i and blocks[j].role == "para" and blocks[j].text.startswith("——")
                and len(blocks[j].text) <= 40)):
            j += 1
        prev_ok = i == 0 or blocks[i - 1].role != "para" or ends_sentence(blocks[i - 1].text)
        nxt = blocks[j] if j < len(blocks) else None
        if j > i and prev_ok and nxt is not None and nxt.role in ("para", "byline") \
                and not _headline_like(nxt) and start_evidence(nxt.text) < 0.6:
            group = blocks[i:j]
            if group[-1].text.startswith("——"):
                group[-1].role = "subtitle"
                group = group[:-1]
            if group:
                group[-1].role = "title"
                for g in group[:-1]:
                    g.role = "kicker"
            notes.append("line %d: short line(s) taken as a headline: %s"
                         % (blocks[i].line, " / ".join(b.text for b in blocks[i:j])))
            i = j
        else:
            i += 1
    return notes


def resolve_subs(blocks: list[Block]) -> None:
    """Give each "sub" block (### / Heading 2) its place: subtitle, kicker or subhead."""
    for i, b in enumerate(blocks):
        prev = blocks[i - 1] if i else None
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if b.role == "sub":
            if prev is not None and prev.role in ("title", "subtitle"):
                b.role = "subtitle"
            elif nxt is not None and nxt.role == "title":
                b.role = "kicker"
            else:
                b.role = "subhead"
        elif (b.role == "para" and b.text.startswith("——") and len(b.text) <= 60
              and prev is not None and prev.role in ("title", "subtitle")):
            b.role = "subtitle"
        elif b.role == "kicker" and (nxt is None or nxt.role not in ("title", "kicker")):
            b.role = "title"


def _closed(d: Draft) -> bool:
    """Whether the draft's text has ended with a sign-off ("（宗和）")."""
    texts = [b for b in d.body if b.role in ("para", "subhead", "signoff")]
    if not texts:
        return False
    last = texts[-1]
    return last.role == "signoff" or bool(TAIL_SIGNOFF_RE.search(last.text))


def segment(blocks: list[Block]) -> list[Draft]:
    """Group blocks into drafts: a headline opens one, as do a 本报讯 lead or a byline
    after text, and any text after a sign-off."""
    drafts: list[Draft] = []
    cur: Draft | None = None
    pending: list[Block] = []
    i, n = 0, len(blocks)
    while i < n:
        b = blocks[i]
        if b.role in ("kicker", "title", "subtitle"):
            heads = []
            while i < n and blocks[i].role == "kicker":
                heads.append(blocks[i])
                i += 1
            if i < n and blocks[i].role == "title":
                heads.append(blocks[i])
                i += 1
            while i < n and blocks[i].role == "subtitle":
                heads.append(blocks[i])
                i += 1
            cur = Draft(len(drafts), heads=heads, bylines=pending)
            pending = []
            drafts.append(cur)
            continue
        i += 1
        if b.role == "byline":
            k = i
            while k < n and blocks[k].role == "byline":
                k += 1
            if k < n and blocks[k].role in ("kicker", "title"):
                pending.append(b)
            elif cur is not None and not cur.has_text() and not pending:
                cur.bylines.append(b)
            else:
                cur = Draft(len(drafts), bylines=pending + [b])
                pending = []
                drafts.append(cur)
            continue
        new = cur is None or (b.role in ("para", "subhead") and cur.has_text() and (
            bool(LEAD_RE.match(b.text)) or _closed(cur)))
        if new:
            cur = Draft(len(drafts), bylines=pending)
            pending = []
            drafts.append(cur)
        cur.body.append(b)
    if pending:
        drafts.append(Draft(len(drafts), bylines=pending))
    return drafts
