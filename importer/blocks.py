"""The importer's intermediate form: source blocks grouped into draft stories."""
from __future__ import annotations

from dataclasses import dataclass, field

#: Block roles: headline parts, the lines around a story, and body text.
ROLES = ("kicker", "title", "subtitle", "sub", "subhead", "byline", "credit", "signoff",
         "caption", "image", "para")


@dataclass
class Block:
    """One unit of the source: a paragraph, a headline line, a byline, a credit, an image."""
    id: int
    line: int                       # first source line (1-based); docx: paragraph number
    role: str
    text: str = ""
    styles: tuple[str, ...] = ()    # character style per character; () = all plain
    image: str = ""                 # role "image": the extracted file (relative path)
    found: str = ""                 # structure its text shows (parse.structure), proposed

    def style_at(self, i: int) -> str:
        """The character style of character i ("" = none)."""
        return self.styles[i] if self.styles else ""


@dataclass
class Draft:
    """An article as found in the source: its headline lines, bylines and body blocks."""
    index: int
    heads: list[Block] = field(default_factory=list)
    bylines: list[Block] = field(default_factory=list)
    body: list[Block] = field(default_factory=list)
    key: str = ""                   # the story id it will get
    meta: dict = field(default_factory=dict)    # fields given by the source (NewsML-G2)

    def has_text(self) -> bool:
        """Whether the draft has body text (paragraphs, subheads or a sign-off)."""
        return any(b.role in ("para", "subhead", "signoff", "caption") for b in self.body)


@dataclass
class Plan:
    """Everything needed to build the stories again with another choice of repairs."""
    source: str
    encoding: str
    drafts: list[Draft]
    images: list[str] = field(default_factory=list)     # files written for photos
    notes: list[str] = field(default_factory=list)

    def blocks(self):
        """Every block of every draft."""
        for d in self.drafts:
            yield from d.heads
            yield from d.bylines
            yield from d.body
