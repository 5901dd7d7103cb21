"""Three-way merge of a story: the text as it was (base), as I have it (mine) and as
someone else committed it (theirs).

The text is merged at two levels: first paragraph by paragraph (a paragraph one side
changed and the other did not takes the change; paragraphs added or removed on one
side are added or removed), then, where both sides changed the same paragraphs,
character by character inside them — two editors fixing different sentences of one
paragraph merge; two editors changing the same characters do not (a ``Clash``).
Character styles travel with their characters, a paragraph's style with its start.
The story's other fields (headline, byline, thread …) merge field by field: one side's
change is taken, a field changed differently on both sides is a clash.

``merge_story(base, mine, theirs)`` works on model stories; ``merge_story_units``
on the YAML texts of story units (``store.units``), as the editor holds them.
"""
from __future__ import annotations

import copy
import dataclasses
import difflib
from typing import Callable, Sequence, TypeVar

from layout import model as m

T = TypeVar("T")

#: a paragraph's start within a flattened text: its style
_PARA = object()


@dataclasses.dataclass(frozen=True)
class Clash:
    """Where both sides changed the same thing differently."""
    what: str                 # "text" or a field name ("byline", "headline", …)
    base: str = ""
    mine: str = ""
    theirs: str = ""

    def describe(self) -> str:
        if self.what == "text":
            return f"both changed the same text: «{_short(self.base)}» → mine «" \
                   f"{_short(self.mine)}», theirs «{_short(self.theirs)}»"
        return f"both changed {self.what}: mine «{_short(self.mine)}», " \
               f"theirs «{_short(self.theirs)}»"


def _short(s: str, n: int = 24) -> str:
    s = s.replace("\n", "¶")
    return s if len(s) <= n else s[:n - 1] + "…"


class MergeClash(Exception):
    """The two sides' changes overlap; ``clashes`` says where."""

    def __init__(self, clashes: list[Clash]):
        self.clashes = clashes
        super().__init__("; ".join(c.describe() for c in clashes[:3]))


# ---------------------------------------------------------------- sequences
def _hunks(base: Sequence[T], other: Sequence[T]) -> list[tuple[int, int, list[T]]]:
    """The changes from ``base`` to ``other``: (start, end in base, replacement)."""
    sm = difflib.SequenceMatcher(None, base, other, autojunk=False)
    return [(i1, i2, list(other[j1:j2])) for tag, i1, i2, j1, j2 in sm.get_opcodes()
            if tag != "equal"]


def _overlap(a: tuple[int, int, list], b: tuple[int, int, list]) -> bool:
    a1, a2, _ = a
    b1, b2, _ = b
    if a1 < b2 and b1 < a2:
        return True
    # two insertions at one place, or an insertion inside the other's range
    if a1 == a2 and (b1 == a1 or b1 < a1 < b2):
        return True
    if b1 == b2 and (a1 == b1 or a1 < b1 < a2):
        return True
    return False


def merge_sequences(base: Sequence[T], mine: Sequence[T], theirs: Sequence[T],
                    on_clash: "Callable[[list, list, list], list] | None" = None) -> list[T]:
    """Both sides' changes applied to ``base``.  Changes that overlap go to ``on_clash``
    (with the base, mine and theirs parts of the region): it returns the merged part or
    raises ``MergeClash``; without it they raise."""
    mh = [(h, "m") for h in _hunks(base, mine)]
    th = [(h, "t") for h in _hunks(base, theirs)]
    allh = sorted(mh + th, key=lambda x: (x[0][0], x[0][1]))
    # group hunks that overlap (transitively) into regions
    regions: list[list] = []
    for h in allh:
        if regions and any(_overlap(h[0], g[0]) for g in regions[-1]):
            regions[-1].append(h)
        else:
            regions.append([h])
    out: list[T] = []
    at = 0
    for group in regions:
        lo = min(h[0][0] for h in group)
        hi = max(h[0][1] for h in group)
        out.extend(base[at:lo])
        sides = {s for _, s in group}
        if len(sides) == 1:
            part = _apply(base, lo, hi, [h for h, _ in group])
        else:
            m_part = _apply(base, lo, hi, [h for h, s in group if s == "m"])
            t_part = _apply(base, lo, hi, [h for h, s in group if s == "t"])
            if m_part == t_part:
                part = m_part                      # the same change on both sides
            elif on_clash is not None:
                part = on_clash(list(base[lo:hi]), m_part, t_part)
            else:
                raise MergeClash([Clash("text")])
        out.extend(part)
        at = hi
    out.extend(base[at:])
    return out


def _apply(base: Sequence[T], lo: int, hi: int, hunks: list) -> list[T]:
    """``base[lo:hi]`` with one side's hunks (inside it, not overlapping) applied."""
    out: list[T] = []
    at = lo
    for i1, i2, rep in sorted(hunks, key=lambda h: (h[0], h[1])):
        out.extend(base[at:i1])
        out.extend(rep)
        at = i2
    out.extend(base[at:hi])
    return out


def merge_text(base: str, mine: str, theirs: str) -> str:
    """Plain texts merged character by character (``MergeClash`` when changes overlap)."""
    def clash(b, mi, th):
        raise MergeClash([Clash("text", "".join(b), "".join(mi), "".join(th))])
    return "".join(merge_sequences(base, mine, theirs, clash))


# ---------------------------------------------------------------- stories
def _flatten(paras: Sequence[m.Paragraph]) -> list[tuple]:
    """Paragraphs as tokens: (_PARA, style) at each start, then (char, char style)."""
    out: list[tuple] = []
    for p in paras:
        out.append((_PARA, p.style))
        for r in p.runs:
            out.extend((ch, r.style) for ch in r.text)
    return out


def _unflatten(tokens: Sequence[tuple]) -> list[m.Paragraph]:
    paras: list[m.Paragraph] = []
    for tok, style in tokens:
        if tok is _PARA:
            paras.append(m.Paragraph(style, []))
            continue
        if not paras:                       # text before any paragraph start: a body one
            paras.append(m.Paragraph("body", []))
        runs = paras[-1].runs
        if runs and runs[-1].style == style:
            runs[-1] = m.Run(runs[-1].text + tok, style)
        else:
            runs.append(m.Run(tok, style))
    return paras


def _text_of(tokens: Sequence[tuple]) -> str:
    return "".join("¶" if t is _PARA else t for t, _ in tokens).lstrip("¶")


def merge_paragraphs(base: list[m.Paragraph], mine: list[m.Paragraph],
                     theirs: list[m.Paragraph]) -> list[m.Paragraph]:
    """Paragraph lists merged: paragraph by paragraph, then character by character where
    both sides changed the same paragraphs (``MergeClash`` when the characters overlap)."""
    def chars(b: list, mi: list, th: list) -> list:
        fb, fm, ft = _flatten(b), _flatten(mi), _flatten(th)

        def clash(cb, cm, ct):
            raise MergeClash([Clash("text", _text_of(cb), _text_of(cm), _text_of(ct))])
        return _unflatten(merge_sequences(fb, fm, ft, clash))
    keyed = [_Key(p) for p in base], [_Key(p) for p in mine], [_Key(p) for p in theirs]

    def clash_paras(b, mi, th):
        return [_Key(p) for p in chars([k.p for k in b], [k.p for k in mi], [k.p for k in th])]
    return [copy.deepcopy(k.p) for k in merge_sequences(*keyed, on_clash=clash_paras)]


class _Key:
    """A paragraph compared (and hashed) by its content, for difflib."""
    __slots__ = ("p", "h")

    def __init__(self, p: m.Paragraph):
        self.p = p
        self.h = (p.style, tuple((r.text, r.style) for r in p.runs))

    def __eq__(self, other) -> bool:
        return isinstance(other, _Key) and self.h == other.h

    def __hash__(self) -> int:
        return hash(self.h)


def merge_story(base: m.Story, mine: m.Story, theirs: m.Story) -> m.Story:
    """The story with both sides' changes (``MergeClash`` naming every overlap)."""
    clashes: list[Clash] = []
    out = copy.deepcopy(theirs)
    for f in dataclasses.fields(m.Story):
        if f.name in ("id", "paragraphs"):
            continue
        b, mi, th = getattr(base, f.name), getattr(mine, f.name), getattr(theirs, f.name)
        if mi == th or mi == b:
            continue                                  # theirs (already in out)
        if th == b:
            setattr(out, f.name, copy.deepcopy(mi))
            continue
        if f.name == "headline":                       # per line of the stack
            hl = copy.deepcopy(th)
            for part in ("kicker", "title", "subtitle"):
                pb, pm, pt = getattr(b, part), getattr(mi, part), getattr(th, part)
                if pm == pt or pm == pb:
                    continue
                if pt == pb:
                    setattr(hl, part, pm)
                else:
                    clashes.append(Clash(f"headline.{part}", pb, pm, pt))
            out.headline = hl
            continue
        clashes.append(Clash(f.name, str(b), str(mi), str(th)))
    try:
        out.paragraphs = merge_paragraphs(base.paragraphs, mine.paragraphs, theirs.paragraphs)
    except MergeClash as exc:
        clashes.extend(exc.clashes)
    if clashes:
        raise MergeClash(clashes)
    return out


def merge_story_units(base: str, mine: str, theirs: str, path: str = "<story>") -> str:
    """Three story-unit YAML texts (``store.units``) merged into the text of the unit
    (``MergeClash`` when they overlap; ``DocumentError`` when one does not read)."""
    from layout.docfile import dump_plain, parse_unchecked, to_plain
    stories = []
    for text in (base, mine, theirs):
        part, _ = parse_unchecked(text, path)
        if len(part.stories) != 1:
            from layout.docfile import DocumentError
            raise DocumentError(path, None, "a story unit holds exactly one story")
        stories.append(next(iter(part.stories.values())))
    merged = merge_story(*stories)
    holder = m.Issue()
    holder.stories[merged.id] = merged
    doc = to_plain(holder)
    return dump_plain({"banmian": doc["banmian"], "stories": doc["stories"]})


__all__ = ["Clash", "MergeClash", "merge_sequences", "merge_text", "merge_paragraphs",
           "merge_story", "merge_story_units"]
