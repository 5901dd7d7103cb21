"""Building stories from a plan with a chosen set of repairs."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from layout.model import Headline, Paragraph, Run, Story

from .blocks import Block, Draft, Plan
from .chars import SPACES, is_han, is_latin_or_digit
from .parse import EDITOR_RE, LEAD_BYLINE_RE, TAIL_SIGNOFF_RE, dateline_span
from .result import Photo, Repair
from .textfix import apply_edits

_Text = tuple[str, tuple[str, ...]]


@dataclass
class Built:
    """Stories and photos built from a plan, and where each block ended up."""
    stories: list[Story] = field(default_factory=list)
    photos: list[Photo] = field(default_factory=list)
    run_in_bylines: dict[str, list[str]] = field(default_factory=dict)
    where: dict[int, tuple[str, int]] = field(default_factory=dict)   # block → (story, ¶)


@dataclass
class _Ops:
    """The accepted repairs, sorted by what they do."""
    edits: dict[int, list] = field(default_factory=lambda: defaultdict(list))
    drop: set[int] = field(default_factory=set)
    join: set[int] = field(default_factory=set)
    credit: set[int] = field(default_factory=set)
    moves: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    split: dict[int, tuple[str, str, str]] = field(default_factory=dict)
    headline: dict[int, int] = field(default_factory=dict)     # from draft → to draft
    roles: dict[int, str] = field(default_factory=dict)        # block → structure role
    fields: dict[int, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    dateline: dict[int, str] = field(default_factory=dict)     # lead block → given dateline

    @classmethod
    def of(cls, repairs: list[Repair], accepted: set[str]) -> "_Ops":
        """Collect the operations of the accepted repairs."""
        ops = cls()
        for r in repairs:
            if r.id not in accepted:
                continue
            for op in r.ops:
                kind = op[0]
                if kind == "edit":
                    ops.edits[op[1]].append(op[2:])
                elif kind == "drop":
                    ops.drop.add(op[1])
                elif kind == "join":
                    ops.join.add(op[1])
                elif kind == "credit":
                    ops.credit.add(op[1])
                elif kind == "move":
                    ops.moves[op[2]].extend(op[1])
                elif kind == "split_head":
                    ops.split[op[1]] = op[2:]
                elif kind == "headline":
                    ops.headline[op[1]] = op[2]
                elif kind == "role":
                    ops.roles[op[1]] = op[2]
                elif kind == "field":
                    ops.fields[op[1]].append((op[2], op[3]))
                elif kind == "dateline":
                    ops.dateline[op[1]] = op[2]
        return ops

    def moved(self) -> set[int]:
        """Blocks that leave their place to join another paragraph."""
        return {b for chain in self.moves.values() for b in chain}


def _concat(parts: list[_Text]) -> _Text:
    """Texts joined; a space only between two Latin words."""
    text, styles = "", ()
    for t, s in parts:
        if not t:
            continue
        if text and is_latin_or_digit(text[-1]) and t[0].isascii() and t[0].isalpha():
            text, styles = text + " ", styles + (styles[-1],)
        text, styles = text + t, styles + s
    return text, styles


def _runs(text: str, styles: tuple[str, ...]) -> list[Run]:
    """Runs of equal character style."""
    runs: list[Run] = []
    for ch, st in zip(text, styles):
        if runs and runs[-1].style == st:
            runs[-1].text += ch
        else:
            runs.append(Run(ch, st))
    return runs


def _slug(text: str) -> str:
    """A short story name from a headline or the first words of the text."""
    text = text.strip(SPACES)
    for lead in ("本报讯", "本刊讯"):
        if text.startswith(lead):
            text = text[len(lead):]
    picked = [c for c in text if is_han(c) or c.isalnum()]
    return "".join(picked[:10])


class _Builder:
    """Builds one plan's stories with one choice of repairs."""

    def __init__(self, plan: Plan, ops: _Ops):
        self.plan, self.ops = plan, ops
        self.moved = ops.moved()
        self.out = Built()
        self.fields: dict[str, list[str]] = defaultdict(list)   # story fields found in the text

    def text(self, b: Block) -> _Text:
        """A block's text and styles after its accepted character repairs, trimmed."""
        t, s = apply_edits(b.text, b.styles, self.ops.edits.get(b.id, []))
        lo, hi = 0, len(t)
        while lo < hi and t[lo] in SPACES:
            lo += 1
        while hi > lo and t[hi - 1] in SPACES:
            hi -= 1
        return t[lo:hi], s[lo:hi]

    def headline(self, heads: list[Block]) -> Headline:
        """The headline stack from headline blocks (split when that was accepted)."""
        kick, title, sub = [], [], []
        for b in heads:
            t = self.text(b)[0]
            if b.role == "title" and b.id in self.ops.split:
                k, m, s = self.ops.split[b.id]
                kick.extend([k] if k else [])
                title.append(m)
                sub.extend([s] if s else [])
            else:
                {"kicker": kick, "title": title}.get(b.role, sub).append(t)
        return Headline(" ".join(kick), " ".join(title), " ".join(sub))

    def body(self, d: Draft, sid: str) -> list[Paragraph]:
        """A draft's paragraphs; photos and credits go to the photo list."""
        groups: list[list[int]] = []
        last_move: int | None = None      # target of the last moved block, while joining
        photos: list[Photo] = []
        blocks = {b.id: b for b in d.body}
        for b in d.body:
            if b.id in self.ops.drop:
                continue
            if b.id in self.moved:
                last_move = next(t for t, chain in self.ops.moves.items() if b.id in chain)
                continue
            if b.role == "image":
                photos.append(Photo(sid, image=b.image))
                continue
            if b.id in self.ops.credit:
                free = [p for p in photos if not p.credit]
                if free:
                    free[-1].credit = self.text(b)[0]
                else:
                    photos.append(Photo(sid, credit=self.text(b)[0]))
                continue
            role = self.ops.roles.get(b.id, "")
            if role == "editor":
                t = self.text(b)[0]
                m = EDITOR_RE.match(t)
                self.fields["editor"].append(m.group(1) if m else t)
                continue
            if role == "byline":
                self.fields["byline"].append(self.text(b)[0])
                continue
            if b.role == "caption" and any(not p.caption for p in photos):
                [p for p in photos if not p.caption][-1].caption = self.text(b)[0]
                continue
            if b.id in self.ops.join and last_move is not None:
                self.ops.moves[last_move].append(b.id)
                self.moved.add(b.id)
                continue
            if b.id in self.ops.join and groups:
                groups[-1].append(b.id)
                continue
            groups.append([b.id])
            last_move = None
        for target, chain in self.ops.moves.items():
            for g in groups:
                if target in g:
                    k = g.index(target) + 1
                    g[k:k] = [c for c in chain if c in blocks]
                    break
            else:
                extra = [c for c in chain if c in blocks]
                if extra:
                    groups.append(extra)
        paragraphs: list[Paragraph] = []
        for g in groups:
            text, styles = _concat([self.text(blocks[i]) for i in g])
            for i in g:
                self.out.where[i] = (sid, len(paragraphs) if text else len(paragraphs) - 1)
            if text:
                style = self.ops.roles.get(g[0]) or (
                    "subhead" if blocks[g[0]].role == "subhead" else "body")
                end = dateline_span(text, self.ops.dateline[g[0]]) \
                    if g[0] in self.ops.dateline else 0
                if end:
                    self.fields["dateline"].append(text[:end])
                    styles = tuple("dateline" if k < end and not st else st
                                   for k, st in enumerate(styles))
                paragraphs.append(Paragraph(style, _runs(text, styles)))
            for i in g:
                for name, value in self.ops.fields.get(i, ()):
                    self.fields[name].append(value)
        last = -1
        for b in d.body:
            if b.id in self.out.where:
                last = self.out.where[b.id][1]
            else:
                self.out.where[b.id] = (sid, last if b.id in self.ops.drop else -1)
        self.out.photos.extend(photos)
        return paragraphs

    def build(self) -> Built:
        """All stories of the plan."""
        drafts = self.plan.drafts
        incoming = {to: drafts[frm] for frm, to in self.ops.headline.items()}
        for d in drafts:
            if d.index in self.ops.headline and not d.body:
                continue
            sid = d.key
            heads = incoming[d.index].heads if d.index in incoming else d.heads
            bylines = (incoming[d.index].bylines if d.index in incoming else []) + d.bylines
            for b in heads + bylines:
                self.out.where[b.id] = (sid, -1)
            headline = self.headline(heads)
            self.fields = defaultdict(list)
            paragraphs = self.body(d, sid)
            byline = " ".join([self.text(b)[0] for b in bylines] + self.fields["byline"])
            name = _slug(headline.title or headline.kicker or
                         (paragraphs[0].text if paragraphs else byline)) or sid
            credits = [p.credit for p in self.out.photos if p.story == sid and p.credit]
            story = Story(id=sid, name=d.meta.get("name") or name, headline=headline,
                          byline=byline, paragraphs=paragraphs,
                          dateline=" ".join(self.fields["dateline"]),
                          credit="；".join(dict.fromkeys(credits)),
                          editor=" ".join(self.fields["editor"]),
                          language=d.meta.get("language", ""))
            self.out.stories.append(story)
            found = []
            if paragraphs:
                m = LEAD_BYLINE_RE.match(paragraphs[0].text)
                if m:
                    found.append(m.group(1).strip(SPACES))
                m = TAIL_SIGNOFF_RE.search(paragraphs[-1].text)
                if m:
                    found.append(m.group(1).strip(SPACES))
            if found:
                self.out.run_in_bylines[sid] = found
        return self.out


def build(plan: Plan, repairs: list[Repair], accepted: set[str]) -> Built:
    """Stories, photos and block places for the plan with only the accepted repairs."""
    return _Builder(plan, _Ops.of(repairs, accepted)).build()
