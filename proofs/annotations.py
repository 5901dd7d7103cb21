"""Corrections marked on a proof PDF (highlight, strike-out, caret, sticky note) as a list.

The proof says which round it is (``stamp``); that round's recorded model is
composed again and every glyph's box is known with its story, paragraph and
offset, so each mark maps to a story position.  Each correction is then
checked against the issue as it is now: text that still matches is ``ok``,
text found elsewhere in the story is ``moved``, anything else ``changed``
(never applied blindly).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from layout import edits as E
from layout import model as m

from . import layoutview as LV

KINDS = {"Highlight": "highlight", "Underline": "highlight", "Squiggly": "highlight",
         "StrikeOut": "delete", "Caret": "insert", "Text": "note", "FreeText": "note"}
CONTEXT = 6              # characters either side that locate an insertion point again


class AnnotationError(Exception):
    """A PDF that cannot be read, or a proof that does not say its round."""


@dataclass
class Correction:
    """One correction from the proof, placed in a story."""
    id: int
    kind: str                 # highlight | delete | replace | insert | note
    page: int = 0
    story: str = ""
    part: str = ""            # body | kicker | title | subtitle | byline | caption | credit
    frame: str = ""
    para: int = -1            # start, in the round's model
    offset: int = -1
    end_para: int = -1
    end_offset: int = -1
    text: str = ""            # the marked text (as it was in the round)
    comment: str = ""
    replacement: str = ""     # proposed text (strike-out/caret content)
    author: str = ""
    date: str = ""
    status: str = "ok"        # ok | moved | changed | unplaced
    now_para: int = -1        # where it is in the current issue (ok / moved)
    now_offset: int = -1
    before: str = ""          # context kept to find an insertion point again
    after: str = ""

    def as_dict(self) -> dict:
        """Plain data for ``--json``."""
        return asdict(self)


def _quads(annot) -> list[tuple[float, float, float, float]]:
    v = annot.vertices or []
    out = []
    for i in range(0, len(v) - 3, 4):
        xs = [p[0] for p in v[i:i + 4]]
        ys = [p[1] for p in v[i:i + 4]]
        out.append((min(xs), min(ys), max(xs), max(ys)))
    if not out:
        r = annot.rect
        out.append((r.x0, r.y0, r.x1, r.y1))
    return out


def _centre(box):
    x, y, w, h = box
    return x + w / 2, y + h / 2


def _inside(pt, q, pad: float = 0.5) -> bool:
    return q[0] - pad <= pt[0] <= q[2] + pad and q[1] - pad <= pt[1] <= q[3] + pad


def _nearest(glyphs, pt):
    def dist(g):
        x, y, w, h = g.box
        dx = max(x - pt[0], 0, pt[0] - (x + w))
        dy = max(y - pt[1], 0, pt[1] - (y + h))
        return dx * dx + dy * dy * 4
    return min(glyphs, key=dist) if glyphs else None


def _part_text(issue: m.Issue, story: str, part: str, frame: str, para: int) -> str:
    st = issue.stories.get(story)
    if st is not None and part == "body":
        return st.paragraphs[para].text if 0 <= para < len(st.paragraphs) else ""
    if st is not None and part in ("kicker", "title", "subtitle"):
        return getattr(st.headline, part)
    if st is not None and part == "byline":
        return st.byline
    try:
        _p, fr = issue.frame(frame)
    except KeyError:
        return ""
    return getattr(fr, part, "") or getattr(fr, "text", "")


def _marked(issue, glyphs) -> tuple:
    """The story range the glyphs cover: (story, part, frame, (p0, o0), (p1, o1), text)."""
    g0 = glyphs[0]
    same = [g for g in glyphs if (g.story, g.part, g.frame if not g.story else "") ==
            (g0.story, g0.part, g0.frame if not g0.story else "")]
    start = min((g.para, g.offset) for g in same)
    last = max((g.para, g.offset) for g in same)
    end = (last[0], last[1] + 1)
    st = issue.stories.get(g0.story)
    if st is not None and g0.part == "body":
        text = E.plain_text(st)[E.pos_to_index(st, start):E.pos_to_index(st, end)]
    else:
        text = _part_text(issue, g0.story, g0.part, g0.frame, -1)[start[1]:end[1]]
    return g0.story, g0.part, g0.frame, start, end, text


def read_annotations(pdf_path: str, round_issue: m.Issue, round_result,
                     page_numbers: tuple[int, ...] = ()) -> list[Correction]:
    """The marks on a proof mapped onto the round's model and layout (status not yet checked)."""
    import pymupdf
    try:
        doc = pymupdf.open(pdf_path)
    except Exception as exc:                       # pymupdf raises its own types
        raise AnnotationError(f"{pdf_path}: cannot read the PDF: {exc}") from None
    numbers = list(page_numbers) or [p.number for p in round_result.pages]
    out: list[Correction] = []
    with doc:
        by_xref = {}
        for index, page in enumerate(doc):
            if index >= len(numbers):
                break
            number = numbers[index]
            glyphs = LV.glyphs(round_result, number)
            for annot in page.annots() or []:
                kind = KINDS.get(annot.type[1])
                if kind is None:
                    continue
                info = annot.info or {}
                c = Correction(id=len(out) + 1, kind=kind, page=number,
                               comment=(info.get("content") or "").strip(),
                               author=info.get("title") or "",
                               date=info.get("modDate") or info.get("creationDate") or "")
                if kind in ("highlight", "delete"):
                    qs = _quads(annot)
                    hit = [g for g in glyphs if any(_inside(_centre(g.box), q) for q in qs)]
                    if not hit:
                        c.status = "unplaced"
                    else:
                        story, part, frame, s, e, text = _marked(round_issue, hit)
                        c.story, c.part, c.frame, c.text = story, part, frame, text
                        c.para, c.offset, c.end_para, c.end_offset = s[0], s[1], e[0], e[1]
                        if kind == "delete" and c.comment:
                            c.kind, c.replacement = "replace", c.comment
                else:
                    r = annot.rect
                    # a caret's tip is the top centre of its rectangle; a note's icon
                    # hangs from the point clicked (its top-left corner)
                    pt = ((r.x0 + r.x1) / 2, r.y0 - 1) if kind == "insert" else \
                        (r.x0 + 1, r.y0 + 1)
                    g = _nearest(glyphs, pt)
                    if g is None:
                        c.status = "unplaced"
                    else:
                        x, _y, w, _h = g.box
                        off = g.offset + (1 if kind == "insert" and pt[0] > x + w / 2 else 0)
                        c.story, c.part, c.frame = g.story, g.part, g.frame
                        c.para, c.offset, c.end_para, c.end_offset = g.para, off, g.para, off
                        if kind == "note":
                            c.end_offset, c.text = off + 1, g.char
                        if kind == "insert":
                            c.replacement = c.comment
                by_xref[annot.xref] = c
                c.irt = annot.irt_xref            # grouped marks (Acrobat's replace)
                out.append(c)
    # a caret replying to (or replied to by) a strike-out: one replacement
    drop = set()
    for c in out:
        other = by_xref.get(getattr(c, "irt", 0))
        if other is None:
            continue
        if c.kind == "insert" and other.kind in ("delete", "replace"):
            strike, caret = other, c
        elif other.kind == "insert" and c.kind in ("delete", "replace"):
            strike, caret = c, other
        else:
            continue
        strike.kind = "replace"
        strike.replacement = caret.comment or strike.replacement
        drop.add(id(caret))
    out = [c for c in out if id(c) not in drop]
    for i, c in enumerate(out, 1):
        c.id = i
        c.__dict__.pop("irt", None)
    for c in out:
        if c.story and c.part == "body":
            st = round_issue.stories[c.story]
            text = E.plain_text(st)
            i = E.pos_to_index(st, (c.para, c.offset))
            j = E.pos_to_index(st, (c.end_para, c.end_offset))
            c.before, c.after = text[max(0, i - CONTEXT):i], text[j:j + CONTEXT]
    return out


def check_against(corrections: list[Correction], issue: m.Issue) -> None:
    """Set each correction's status and current position against the issue as it is now."""
    for c in corrections:
        if c.status == "unplaced" or not c.story and not c.frame:
            c.status = "unplaced"
            continue
        if c.part != "body":
            now = _part_text(issue, c.story, c.part, c.frame, -1)
            if now[c.offset:c.end_offset] == c.text:
                c.status, c.now_para, c.now_offset = "ok", c.para, c.offset
            elif c.text and now.count(c.text) == 1:
                c.status, c.now_para, c.now_offset = "moved", c.para, now.index(c.text)
            else:
                c.status = "changed"
            continue
        st = issue.stories.get(c.story)
        if st is None:
            c.status = "changed"
            continue
        text = E.plain_text(st)
        try:
            i = E.pos_to_index(st, E.clamp_pos(st, (c.para, c.offset)))
        except IndexError:
            i = -1
        probe = c.before + c.text + c.after
        if (c.para, c.offset) == E.clamp_pos(st, (c.para, c.offset)) and \
                text[i - len(c.before):i + len(c.text) + len(c.after)] == probe:
            c.status, c.now_para, c.now_offset = "ok", c.para, c.offset
        elif probe and text.count(probe) == 1:
            k = text.index(probe) + len(c.before)
            c.status = "moved"
            c.now_para, c.now_offset = E.index_to_pos(st, k)
        else:
            c.status = "changed"


def correction_edit(issue: m.Issue, c: Correction) -> E.Edit | None:
    """The model edit that applies a correction (None for a highlight or note, or when flagged)."""
    if c.status not in ("ok", "moved") or c.kind not in ("delete", "replace", "insert"):
        return None
    if c.kind == "insert" and not c.replacement:
        return None
    if c.part in ("kicker", "title", "subtitle"):
        old = getattr(issue.stories[c.story].headline, c.part)
        start = c.now_offset
        end = start + (len(c.text) if c.kind != "insert" else 0)
        new = old[:start] + (c.replacement if c.kind != "delete" else "") + old[end:]
        return E.SetHeadline(c.story, **{c.part: new})
    if c.part != "body":
        return None
    st = issue.stories[c.story]
    start = (c.now_para, c.now_offset)
    end = E.index_to_pos(st, E.pos_to_index(st, start) + len(c.text))
    steps: list[E.Edit] = []
    if c.kind in ("delete", "replace") and c.text:
        steps.append(E.DeleteText(c.story, start, end))
    if c.kind in ("replace", "insert") and c.replacement:
        steps.append(E.InsertText(c.story, start, c.replacement.replace("\n", "")))
    if not steps:
        return None
    return steps[0] if len(steps) == 1 else E.Batch(steps)
