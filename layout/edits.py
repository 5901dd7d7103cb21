"""Reversible edits of an Issue: the model-level operations behind every undo command.

Each edit is a small object with ``apply(issue)`` and ``revert(issue)``; both
return a ``Touched`` record saying what changed (as Anki's operations do), so a
view refreshes only that.  ``revert`` after ``apply`` gives back a model equal
to the one before; ``apply`` again (redo) repeats the same change.

Paragraphs and runs are never changed in place: text edits build new
``Paragraph`` objects and swap them into the story, so undo only has to put
the old list back.  Frames and stories are changed field by field.

Text positions are ``StoryPos(paragraph, offset)`` values (any (paragraph,
offset) pair is accepted and converted).  Nothing here imports Qt.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace

from . import model as m
from .position import StoryPos

Pos = StoryPos

#: a unit of work of an issue store: ("issue", ""), ("page", page id), ("story", story id)
Unit = tuple[str, str]
SETTINGS: Unit = ("issue", "")


def page_unit(page: m.Page) -> "set[Unit]":
    """The unit of a page (none for a page not named yet: it is new)."""
    return {("page", page.id)} if page.id else set()


def frame_unit(issue: m.Issue, frame_id: str) -> "set[Unit]":
    """The unit holding a frame: its page's, or the settings' for a master frame."""
    for page in issue.pages:
        if any(fr.id == frame_id for fr in page.frames):
            return page_unit(page)
    return {SETTINGS} if any(fr.id == frame_id for ms in issue.masters.values()
                             for fr in ms.frames) else set()


def number_unit(issue: m.Issue, number: int) -> "set[Unit]":
    """The unit of the page printed with this number (none when there is no such page)."""
    return next((page_unit(p) for p in issue.pages if p.number == number), set())


def threading(issue: m.Issue, frame_ids) -> "set[Unit]":
    """The units of the stories whose threads run through any of these frames."""
    ids = set(frame_ids)
    return {("story", sid) for sid, st in issue.stories.items() if ids & set(st.thread)}


@dataclass
class Touched:
    """What an edit changed: stories, frames, pages, and broader flags."""
    stories: set[str] = field(default_factory=set)
    frames: set[str] = field(default_factory=set)
    pages: set[int] = field(default_factory=set)
    styles: bool = False          # style definitions or paper settings: re-resolve all
    structure: bool = False       # frames/stories/pages added or removed, threads changed

    def merge(self, other: "Touched") -> "Touched":
        """Add another record's changes to this one; return self."""
        self.stories |= other.stories
        self.frames |= other.frames
        self.pages |= other.pages
        self.styles |= other.styles
        self.structure |= other.structure
        return self


class EditError(ValueError):
    """An edit that cannot be made (unknown id, position out of range, …)."""


class Edit:
    """A reversible change to an Issue."""

    label = "edit"

    def apply(self, issue: m.Issue) -> Touched:
        """Make the change."""
        raise NotImplementedError

    def revert(self, issue: m.Issue) -> Touched:
        """Undo the change made by the last ``apply``."""
        raise NotImplementedError

    def units(self, issue: m.Issue) -> "set[Unit]":
        """The units of work (``store.units``) the edit will change, asked before
        ``apply``: ``("issue", "")`` for the settings, ``("page", page id)``,
        ``("story", story id)``.  Pages without an id are new to any store and are not
        named.  Every edit names them exactly (a desk checks them out before the edit and
        saves only them): the tests compare them with the units split before and after."""
        raise NotImplementedError(f"{type(self).__name__} does not name its units")


# ====================================================================== text helpers
def _story(issue: m.Issue, sid: str) -> m.Story:
    try:
        return issue.stories[sid]
    except KeyError:
        raise EditError(f"no story '{sid}'") from None


def para_len(story: m.Story, para: int) -> int:
    """Characters in paragraph ``para``."""
    return sum(len(r.text) for r in story.paragraphs[para].runs)


def plain_text(story: m.Story) -> str:
    """The story's text with one newline between paragraphs."""
    return "\n".join(p.text for p in story.paragraphs)


def pos_to_index(story: m.Story, pos: Pos) -> int:
    """A (paragraph, offset) position as an index in ``plain_text``."""
    para, off = pos
    return sum(para_len(story, i) + 1 for i in range(para)) + off


def index_to_pos(story: m.Story, index: int) -> Pos:
    """An index in ``plain_text`` as a (paragraph, offset) position (clamped)."""
    if not story.paragraphs:
        return StoryPos()
    rest = max(0, index)
    for i in range(len(story.paragraphs)):
        n = para_len(story, i)
        if rest <= n:
            return StoryPos(i, rest)
        rest -= n + 1
    last = len(story.paragraphs) - 1
    return StoryPos(last, para_len(story, last))


def clamp_pos(story: m.Story, pos: Pos) -> Pos:
    """The nearest valid position."""
    if not story.paragraphs:
        return StoryPos()
    para = min(max(0, pos[0]), len(story.paragraphs) - 1)
    return StoryPos(para, min(max(0, pos[1]), para_len(story, para)))


def step(story: m.Story, pos: Pos, delta: int) -> Pos:
    """The position ``delta`` characters away (a paragraph break counts as one)."""
    return index_to_pos(story, pos_to_index(story, clamp_pos(story, pos)) + delta)


def _normal(runs: list[m.Run]) -> list[m.Run]:
    """Runs without empty ones, neighbours of one style joined (new Run objects only)."""
    out: list[m.Run] = []
    for r in runs:
        if not r.text:
            continue
        if out and out[-1].style == r.style:
            out[-1] = m.Run(out[-1].text + r.text, r.style)
        else:
            out.append(r)
    return out


def _split_runs(runs: list[m.Run], offset: int) -> tuple[list[m.Run], list[m.Run]]:
    """The runs before and after ``offset``."""
    left, right, pos = [], [], 0
    for r in runs:
        n = len(r.text)
        if pos + n <= offset:
            left.append(r)
        elif pos >= offset:
            right.append(r)
        else:
            cut = offset - pos
            left.append(m.Run(r.text[:cut], r.style))
            right.append(m.Run(r.text[cut:], r.style))
        pos += n
    return left, right


def _style_at(runs: list[m.Run], offset: int) -> str:
    """The character style typing at ``offset`` takes: that of the character before."""
    pos = 0
    for r in runs:
        if pos < offset <= pos + len(r.text):
            return r.style
        pos += len(r.text)
    if not runs:
        return ""
    return runs[0].style if offset == 0 else runs[-1].style


# ====================================================================== text edits
class _StoryEdit(Edit):
    """Base of edits that replace paragraphs of one story; undo restores the old list."""

    def __init__(self, story: str):
        self.story = story
        self._old: list[m.Paragraph] | None = None

    def units(self, issue):
        return {("story", self.story)}

    def _change(self, story: m.Story) -> None:
        raise NotImplementedError

    def apply(self, issue: m.Issue) -> Touched:
        """Replace the paragraphs this edit changes."""
        st = _story(issue, self.story)
        self._old = list(st.paragraphs)
        try:
            self._change(st)
        except BaseException:
            st.paragraphs[:] = self._old
            raise
        return Touched(stories={self.story})

    def revert(self, issue: m.Issue) -> Touched:
        """Put the old paragraph list back."""
        st = _story(issue, self.story)
        st.paragraphs[:] = self._old
        return Touched(stories={self.story})

    def _cut(self, story: m.Story, pos: Pos) -> tuple[m.Paragraph, list[m.Run], list[m.Run]]:
        """The paragraph at ``pos`` (an empty story gets one) and its runs before and
        after the position."""
        self._check(story, pos)
        if not story.paragraphs:
            story.paragraphs.append(m.Paragraph("body", []))
        p = story.paragraphs[pos.para]
        return (p, *_split_runs(p.runs, pos.offset))

    def _check(self, story: m.Story, pos: Pos) -> None:
        para, off = pos
        if not story.paragraphs and pos == (0, 0):
            return
        if not 0 <= para < len(story.paragraphs) or not 0 <= off <= para_len(story, para):
            raise EditError(f"story '{story.id}': no position {pos}")


class InsertText(_StoryEdit):
    """Insert characters (no newlines) at a position; they take the style before them."""

    label = "typing"

    def __init__(self, story: str, pos: Pos, text: str, char_style: str | None = None):
        super().__init__(story)
        if "\n" in text or "\r" in text or "\u2029" in text:
            raise EditError("InsertText takes no paragraph breaks (use SplitParagraph)")
        self.pos, self.text, self.char_style = StoryPos.of(pos), text, char_style

    def _change(self, story: m.Story) -> None:
        p, left, right = self._cut(story, self.pos)
        para, off = self.pos
        style = self.char_style if self.char_style is not None else _style_at(p.runs, off)
        story.paragraphs[para] = m.Paragraph(p.style, _normal(left + [m.Run(self.text, style)]
                                                              + right))

    def end(self) -> Pos:
        """The position after the inserted text."""
        return StoryPos(self.pos.para, self.pos.offset + len(self.text))


class DeleteText(_StoryEdit):
    """Delete from ``start`` to ``end``, joining paragraphs when the range crosses them."""

    label = "delete"

    def __init__(self, story: str, start: Pos, end: Pos):
        super().__init__(story)
        self.start, self.end = sorted([StoryPos.of(start), StoryPos.of(end)])

    def _change(self, story: m.Story) -> None:
        self._check(story, self.start)
        self._check(story, self.end)
        (p0, o0), (p1, o1) = self.start, self.end
        if not story.paragraphs or self.start == self.end:
            return
        first, last = story.paragraphs[p0], story.paragraphs[p1]
        keep_left, _ = _split_runs(first.runs, o0)
        _, keep_right = _split_runs(last.runs, o1)
        story.paragraphs[p0:p1 + 1] = [m.Paragraph(first.style, _normal(keep_left + keep_right))]


class SplitParagraph(_StoryEdit):
    """Break a paragraph in two at a position (Enter); the new one keeps the style."""

    label = "new paragraph"

    def __init__(self, story: str, pos: Pos):
        super().__init__(story)
        self.pos = StoryPos.of(pos)

    def _change(self, story: m.Story) -> None:
        self._check(story, self.pos)
        if not story.paragraphs:
            story.paragraphs[:] = [m.Paragraph("body", []), m.Paragraph("body", [])]
            return
        para, off = self.pos
        p = story.paragraphs[para]
        left, right = _split_runs(p.runs, off)
        story.paragraphs[para:para + 1] = [m.Paragraph(p.style, _normal(left)),
                                           m.Paragraph(p.style, _normal(right))]


class SetParagraphStyle(_StoryEdit):
    """Give paragraphs ``first``..``last`` (inclusive) a paragraph style."""

    label = "paragraph style"

    def __init__(self, story: str, first: int, last: int, style: str):
        super().__init__(story)
        self.first, self.last, self.style = min(first, last), max(first, last), style

    def _change(self, story: m.Story) -> None:
        if not 0 <= self.first <= self.last < len(story.paragraphs):
            raise EditError(f"story '{story.id}': no paragraphs {self.first}–{self.last}")
        for i in range(self.first, self.last + 1):
            p = story.paragraphs[i]
            story.paragraphs[i] = m.Paragraph(self.style, list(p.runs))


class SetCharStyle(_StoryEdit):
    """Give the characters from ``start`` to ``end`` a character style ("" = none)."""

    label = "character style"

    def __init__(self, story: str, start: Pos, end: Pos, style: str):
        super().__init__(story)
        self.start, self.end = sorted([StoryPos.of(start), StoryPos.of(end)])
        self.style = style

    def _change(self, story: m.Story) -> None:
        self._check(story, self.start)
        self._check(story, self.end)
        (p0, o0), (p1, o1) = self.start, self.end
        for i in range(p0, p1 + 1):
            p = story.paragraphs[i]
            a = o0 if i == p0 else 0
            b = o1 if i == p1 else para_len(story, i)
            left, rest = _split_runs(p.runs, a)
            mid, right = _split_runs(rest, b - a)
            mid = [m.Run(r.text, self.style) for r in mid]
            story.paragraphs[i] = m.Paragraph(p.style, _normal(left + mid + right))


class _FieldEdit(Edit):
    """Base of edits setting fields of one object; undo puts the old values back."""

    def __init__(self, **changes):
        self.changes = changes
        self._old: dict | None = None

    def _target(self, issue: m.Issue):
        raise NotImplementedError

    def _touched(self, issue: m.Issue) -> Touched:
        raise NotImplementedError

    def apply(self, issue: m.Issue) -> Touched:
        """Set the new values."""
        obj = self._target(issue)
        for k in self.changes:
            if not hasattr(obj, k):
                raise EditError(f"{type(obj).__name__} has no field '{k}'")
        self._old = {k: copy.deepcopy(getattr(obj, k)) for k in self.changes}
        for k, v in self.changes.items():
            setattr(obj, k, copy.deepcopy(v))
        return self._touched(issue)

    def revert(self, issue: m.Issue) -> Touched:
        """Set the old values."""
        obj = self._target(issue)
        for k, v in self._old.items():
            setattr(obj, k, v)
        return self._touched(issue)


class SetFrame(_FieldEdit):
    """Change fields of a frame: geometry, lock, options, photo fields …"""

    label = "frame"

    def __init__(self, frame_id: str, **changes):
        super().__init__(**changes)
        self.frame_id = frame_id

    def _target(self, issue):
        return _frame(issue, self.frame_id)[1]

    def units(self, issue):
        return frame_unit(issue, self.frame_id)

    def _touched(self, issue):
        page, fr = issue.frame(self.frame_id)
        story = issue.story_of_frame(self.frame_id)
        t = Touched(frames={self.frame_id}, pages={page.number})
        if story is not None:
            t.stories.add(story.id)
        if getattr(fr, "story", ""):
            t.stories.add(fr.story)
        return t


class SetHeadline(Edit):
    """Change a story's headline stack: kicker (引题), title (主题), subtitle (副题).

    The story gets a new Headline object (the old one is kept for undo), so
    caches holding the old headline see the change.
    """

    label = "headline"

    def __init__(self, story: str, **changes):
        bad = set(changes) - {"kicker", "title", "subtitle"}
        if bad:
            raise EditError(f"Headline has no field '{sorted(bad)[0]}'")
        self.story, self.changes = story, changes
        self._old: m.Headline | None = None

    def _touched(self, issue):
        frames = {fr.id for _, fr in issue.frames() if getattr(fr, "story", "") == self.story}
        return Touched(stories={self.story}, frames=frames)

    def units(self, issue):
        return {("story", self.story)}

    def apply(self, issue):
        """Give the story a headline with the new fields."""
        st = _story(issue, self.story)
        self._old = st.headline
        st.headline = replace(st.headline, **self.changes)
        return self._touched(issue)

    def revert(self, issue):
        """Put the old headline object back."""
        _story(issue, self.story).headline = self._old
        return self._touched(issue)


class SetStyleDef(Edit):
    """Define, redefine or (with None) remove a paragraph or character style."""

    label = "style definition"

    def __init__(self, name: str, style, table: str = "paragraph_styles"):
        if table not in ("paragraph_styles", "char_styles"):
            raise EditError(f"no style table '{table}'")
        self.name, self.style, self.table = name, copy.deepcopy(style), table
        self._old = None

    def units(self, issue):
        return {SETTINGS}

    def apply(self, issue):
        """Set the definition."""
        styles = getattr(issue, self.table)
        self._old = (self.name in styles, styles.get(self.name), list(styles))
        if self.style is None:
            styles.pop(self.name, None)
        else:
            styles[self.name] = copy.deepcopy(self.style)
        return Touched(styles=True)

    def revert(self, issue):
        """Restore the old definition, in its old place."""
        had, old, order = self._old
        _put_back(getattr(issue, self.table), self.name, had, old, order)
        return Touched(styles=True)


def SetParagraphStyleDef(name: str, style: m.ParagraphStyle | None) -> SetStyleDef:
    """Define or redefine a paragraph style (None removes it)."""
    return SetStyleDef(name, style, "paragraph_styles")


# ====================================================================== frames and pages
def _page(issue: m.Issue, number: int) -> m.Page:
    for p in issue.pages:
        if p.number == number:
            return p
    raise EditError(f"no page {number}")


def _frame(issue: m.Issue, frame_id: str) -> tuple[m.Page, m.Frame]:
    """The page and the frame with this id (EditError when there is none)."""
    try:
        return issue.frame(frame_id)
    except KeyError:
        raise EditError(f"no frame '{frame_id}'") from None


def _leave_threads(issue: m.Issue, ids: set[str]) -> dict[str, list[str]]:
    """Take these frames out of every story thread; the threads as they were (of the
    stories that ran through them), for ``_restore_threads``."""
    threads = {sid: list(s.thread) for sid, s in issue.stories.items() if ids & set(s.thread)}
    for sid, thread in threads.items():
        issue.stories[sid].thread[:] = [f for f in thread if f not in ids]
    return threads


def _restore_threads(issue: m.Issue, threads: dict[str, list[str]]) -> None:
    for sid, thread in threads.items():
        issue.stories[sid].thread[:] = thread


def _put_back(table: dict, name: str, had: bool, old, order: list) -> None:
    """Undo a change of one entry of a named table (styles, stories, masters, swatches):
    the entry as it was (``had`` one: ``old``; else none), every entry in its old place
    (``order``), entries not in it after them."""
    merged = dict(table)
    if had:
        merged[name] = old
    else:
        merged.pop(name, None)
    table.clear()
    table.update({k: merged[k] for k in order if k in merged})
    table.update({k: v for k, v in merged.items() if k not in table})


class AddFrame(Edit):
    """Add a frame to a page (at the end of its drawing order, or at ``index``)."""

    label = "add frame"

    def __init__(self, page: int, frame: m.Frame, index: int | None = None):
        self.page, self.frame, self.index = page, copy.deepcopy(frame), index

    def units(self, issue):
        return number_unit(issue, self.page)

    def apply(self, issue):
        """Insert a copy of the frame."""
        if any(fr.id == self.frame.id for _, fr in issue.frames()) or any(
                fr.id == self.frame.id for ms in issue.masters.values() for fr in ms.frames):
            raise EditError(f"frame id '{self.frame.id}' is already used")
        page = _page(issue, self.page)
        at = len(page.frames) if self.index is None else self.index
        page.frames.insert(at, copy.deepcopy(self.frame))
        return Touched(frames={self.frame.id}, pages={self.page}, structure=True)

    def revert(self, issue):
        """Take the frame away again."""
        page = _page(issue, self.page)
        page.frames[:] = [fr for fr in page.frames if fr.id != self.frame.id]
        return Touched(frames={self.frame.id}, pages={self.page}, structure=True)


class RemoveFrame(Edit):
    """Remove a frame; it also leaves any story thread it was in."""

    label = "delete frame"

    def __init__(self, frame_id: str):
        self.frame_id = frame_id
        self._saved = None

    def units(self, issue):
        return frame_unit(issue, self.frame_id) | threading(issue, [self.frame_id])

    def apply(self, issue):
        """Remove the frame and its thread links."""
        page, fr = _frame(issue, self.frame_id)
        index = page.frames.index(fr)
        del page.frames[index]
        threads = _leave_threads(issue, {self.frame_id})
        self._saved = (page.number, index, fr, threads)
        return Touched(stories=set(threads), frames={self.frame_id}, pages={page.number},
                       structure=True)

    def revert(self, issue):
        """Put the frame back where it was, threads included."""
        number, index, fr, threads = self._saved
        _page(issue, number).frames.insert(index, fr)
        _restore_threads(issue, threads)
        return Touched(stories=set(threads), frames={self.frame_id}, pages={number},
                       structure=True)


class SetThread(Edit):
    """Give a story a new thread (list of text frame ids)."""

    label = "thread"

    def __init__(self, story: str, thread: list[str]):
        self.story, self.thread = story, list(thread)
        self._old: list[str] | None = None

    def units(self, issue):
        return {("story", self.story)}

    def apply(self, issue):
        """Set the thread."""
        st = _story(issue, self.story)
        for fid in self.thread:
            _, fr = _frame(issue, fid)
            if not isinstance(fr, m.TextFrame):
                raise EditError(f"frame '{fid}' is not a text frame")
        self._old = list(st.thread)
        st.thread[:] = self.thread
        return Touched(stories={self.story}, frames=set(self._old) | set(self.thread),
                       structure=True)

    def revert(self, issue):
        """Restore the old thread."""
        st = _story(issue, self.story)
        st.thread[:] = self._old
        return Touched(stories={self.story}, frames=set(self._old) | set(self.thread),
                       structure=True)


class AddStory(Edit):
    """Add a story (its thread must name existing text frames, usually none)."""

    label = "add story"

    def __init__(self, story: m.Story):
        self.story = copy.deepcopy(story)

    def units(self, issue):
        return {("story", self.story.id)}

    def apply(self, issue):
        """Add a copy of the story."""
        if self.story.id in issue.stories:
            raise EditError(f"story id '{self.story.id}' is already used")
        issue.stories[self.story.id] = copy.deepcopy(self.story)
        return Touched(stories={self.story.id}, structure=True)

    def revert(self, issue):
        """Remove it again."""
        issue.stories.pop(self.story.id, None)
        return Touched(stories={self.story.id}, structure=True)


class AddPage(Edit):
    """Add a page at a position in the issue."""

    label = "add page"

    def __init__(self, page: m.Page, index: int | None = None):
        self.page, self.index = copy.deepcopy(page), index

    def units(self, issue):
        return page_unit(self.page)

    def apply(self, issue):
        """Insert a copy of the page."""
        if any(p.number == self.page.number for p in issue.pages):
            raise EditError(f"page {self.page.number} exists")
        ids = {fr.id for _, fr in issue.frames()}
        if any(fr.id in ids for fr in self.page.frames):
            raise EditError("the new page reuses frame ids")
        at = len(issue.pages) if self.index is None else self.index
        issue.pages.insert(at, copy.deepcopy(self.page))
        return Touched(pages={self.page.number}, structure=True)

    def revert(self, issue):
        """Take it away."""
        issue.pages[:] = [p for p in issue.pages if p.number != self.page.number]
        return Touched(pages={self.page.number}, structure=True)


class Batch(Edit):
    """Several edits as one (align, distribute, place, a merged run of typing)."""

    def __init__(self, edits: list[Edit], label: str = "edit"):
        self.edits, self.label = list(edits), label

    def units(self, issue):
        """Every edit's units (asked of the issue as it is before the batch: a unit
        made by an earlier edit of the batch is new, and nobody holds it)."""
        out: set[Unit] = set()
        for e in self.edits:
            out |= e.units(issue)
        return out

    def apply(self, issue):
        """Apply each edit in turn (undoing the done ones if one fails)."""
        t = Touched()
        done = []
        try:
            for e in self.edits:
                t.merge(e.apply(issue))
                done.append(e)
        except BaseException:
            for e in reversed(done):
                e.revert(issue)
            raise
        return t

    def revert(self, issue):
        """Revert each edit in reverse order."""
        t = Touched()
        for e in reversed(self.edits):
            t.merge(e.revert(issue))
        return t


# ====================================================================== builders
def link(issue: m.Issue, after: str, frame_id: str) -> Edit:
    """Thread ``frame_id`` into the story of ``after``, right after it (续排).

    The frame leaves any other thread it was in.  When ``after`` has no story
    yet, a new empty story is not made: an EditError says so.
    """
    story = issue.story_of_frame(after)
    if story is None:
        raise EditError(f"frame '{after}' shows no story")
    if frame_id == after or frame_id in story.thread:
        raise EditError(f"frame '{frame_id}' is already in this thread")
    _, fr = issue.frame(frame_id)
    if not isinstance(fr, m.TextFrame):
        raise EditError(f"frame '{frame_id}' is not a text frame")
    edits: list[Edit] = []
    other = issue.story_of_frame(frame_id)
    if other is not None:
        edits.append(SetThread(other.id, [f for f in other.thread if f != frame_id]))
    thread = list(story.thread)
    thread.insert(thread.index(after) + 1, frame_id)
    edits.append(SetThread(story.id, thread))
    return Batch(edits, "link")


def unlink(issue: m.Issue, frame_id: str) -> Edit:
    """Take a frame out of its story's thread; the text flows on to the next frame."""
    story = issue.story_of_frame(frame_id)
    if story is None:
        raise EditError(f"frame '{frame_id}' is in no thread")
    return SetThread(story.id, [f for f in story.thread if f != frame_id])


def place(issue: m.Issue, story_id: str, frame_id: str) -> Edit:
    """Place a story into a text frame (排入): the frame joins the end of its thread."""
    story = _story(issue, story_id)
    _, fr = issue.frame(frame_id)
    if not isinstance(fr, m.TextFrame):
        raise EditError(f"frame '{frame_id}' is not a text frame")
    if frame_id in story.thread:
        return Batch([], "place")
    edits: list[Edit] = []
    other = issue.story_of_frame(frame_id)
    if other is not None:
        edits.append(SetThread(other.id, [f for f in other.thread if f != frame_id]))
    edits.append(SetThread(story_id, story.thread + [frame_id]))
    return Batch(edits, "place")


def new_frame_id(issue: m.Issue, page: int, kind: str) -> str:
    """A frame id not yet used in the issue, such as "p1-text-3"."""
    used = {fr.id for _, fr in issue.frames()}
    used |= {fr.id for ms in issue.masters.values() for fr in ms.frames}   # master frames too
    n = 1
    while f"p{page}-{kind}-{n}" in used:
        n += 1
    return f"p{page}-{kind}-{n}"


def empty_story(sid: str, name: str = "") -> m.Story:
    """A new story with one empty body paragraph, ready for typing."""
    return m.Story(sid, name=name or sid, paragraphs=[m.Paragraph("body", [])])


def new_story_id(issue: m.Issue, base: str = "story") -> str:
    """A story id not yet used in the issue."""
    n = 1
    while f"{base}-{n}" in issue.stories:
        n += 1
    return f"{base}-{n}"


# ====================================================================== clipboard, find/replace, styles
# (issue 13: the layout desk's clipboard, find and replace, and the styles panel)
class InsertRuns(_StoryEdit):
    """Paste formatted text: paragraphs of runs (with their character styles) at a position.

    ``paras`` holds one list of runs per pasted paragraph; more than one splits
    the paragraph at ``pos``.  The first keeps the paragraph style of the text it
    lands in; later ones take ``styles`` (one paragraph style each, "" = keep).
    """

    label = "paste"

    def __init__(self, story: str, pos: Pos, paras: list[list[m.Run]],
                 styles: list[str] | None = None):
        super().__init__(story)
        self.pos = StoryPos.of(pos)
        self.paras = [[m.Run(r.text, r.style) for r in p] for p in paras] or [[]]
        for p in self.paras:
            for r in p:
                if "\n" in r.text or "\r" in r.text or "\u2029" in r.text:
                    raise EditError("InsertRuns: a run holds a paragraph break")
        self.styles = list(styles or [""] * len(self.paras))

    def _change(self, story: m.Story) -> None:
        p, left, right = self._cut(story, self.pos)
        para = self.pos.para
        if len(self.paras) == 1:
            story.paragraphs[para] = m.Paragraph(p.style, _normal(left + self.paras[0] + right))
            return
        new = [m.Paragraph(p.style, _normal(left + self.paras[0]))]
        for i, runs in enumerate(self.paras[1:], 1):
            style = self.styles[i] if i < len(self.styles) and self.styles[i] else p.style
            last = i == len(self.paras) - 1
            new.append(m.Paragraph(style, _normal(runs + (right if last else []))))
        story.paragraphs[para:para + 1] = new

    def end(self) -> Pos:
        """The position after the pasted text."""
        n = sum(len(r.text) for r in self.paras[-1])
        if len(self.paras) == 1:
            return StoryPos(self.pos.para, self.pos.offset + n)
        return StoryPos(self.pos.para + len(self.paras) - 1, n)


def char_style_at(story: m.Story, pos: Pos) -> str:
    """The character style text typed (or pasted plain) at ``pos`` takes."""
    pos = clamp_pos(story, pos)
    return _style_at(story.paragraphs[pos.para].runs, pos.offset) if story.paragraphs else ""


def runs_between(story: m.Story, start: Pos, end: Pos) -> list[list[m.Run]]:
    """The runs from ``start`` to ``end``, one list per paragraph (copy with formatting)."""
    (p0, o0), (p1, o1) = sorted([StoryPos.of(start), StoryPos.of(end)])
    out = []
    for i in range(p0, p1 + 1):
        runs = story.paragraphs[i].runs
        a = o0 if i == p0 else 0
        b = o1 if i == p1 else para_len(story, i)
        _, rest = _split_runs(runs, a)
        mid, _ = _split_runs(rest, b - a)
        out.append([m.Run(r.text, r.style) for r in mid])
    return out


class SetStory(_FieldEdit):
    """Change fields of a story: its name (slug), byline, credit, dateline, editor."""

    label = "story"

    def __init__(self, story: str, **changes):
        bad = set(changes) & {"id", "paragraphs", "thread", "headline"}
        if bad:
            raise EditError(f"SetStory cannot set '{sorted(bad)[0]}'")
        super().__init__(**changes)
        self.story = story

    def _target(self, issue):
        return _story(issue, self.story)

    def units(self, issue):
        return {("story", self.story)}

    def _touched(self, issue):
        frames = {fr.id for _, fr in issue.frames() if getattr(fr, "story", "") == self.story}
        return Touched(stories={self.story}, frames=frames)


class RemoveStory(Edit):
    """Delete a story; headline and byline frames showing it are emptied (undo refills them)."""

    label = "delete story"

    def __init__(self, story: str):
        self.story = story
        self._saved = None

    def units(self, issue):
        out = {("story", self.story)}
        for page, fr in issue.frames():
            if getattr(fr, "story", "") == self.story:
                out |= page_unit(page)
        return out

    def apply(self, issue):
        """Take the story out of the issue."""
        st = _story(issue, self.story)
        order = list(issue.stories)
        users = [fr.id for _, fr in issue.frames() if getattr(fr, "story", "") == self.story]
        for fid in users:
            issue.frame(fid)[1].story = ""
        del issue.stories[self.story]
        self._saved = (st, order, users)
        return Touched(stories={self.story}, frames=set(users) | set(st.thread), structure=True)

    def revert(self, issue):
        """Put the story back in its place; its frames show it again."""
        st, order, users = self._saved
        _put_back(issue.stories, self.story, True, st, order)
        for fid in users:
            issue.frame(fid)[1].story = self.story
        return Touched(stories={self.story}, frames=set(users) | set(st.thread), structure=True)


class RemovePage(Edit):
    """Delete a page with its frames (they leave their threads; undo puts all back)."""

    label = "delete page"

    def __init__(self, number: int):
        self.number = number
        self._saved = None

    def units(self, issue):
        page = next((p for p in issue.pages if p.number == self.number), None)
        if page is None:
            return set()
        return page_unit(page) | threading(issue, [fr.id for fr in page.frames])

    def apply(self, issue):
        """Remove the page."""
        page = _page(issue, self.number)
        if len(issue.pages) == 1:
            raise EditError("an issue keeps at least one page")
        ids = {fr.id for fr in page.frames}
        index = issue.pages.index(page)
        del issue.pages[index]
        threads = _leave_threads(issue, ids)
        self._saved = (index, page, threads)
        return Touched(stories=set(threads), frames=ids, pages={self.number}, structure=True)

    def revert(self, issue):
        """Put the page back where it was, threads included."""
        index, page, threads = self._saved
        issue.pages.insert(index, page)
        _restore_threads(issue, threads)
        return Touched(stories=set(threads), frames={fr.id for fr in page.frames},
                       pages={self.number}, structure=True)


class ReorderPages(Edit):
    """Put the pages in a new order (a list of their numbers).

    When the pages were numbered 1, 2, 3 … in order they are numbered so again
    in the new order (a page moved to the front becomes 版 1).
    """

    label = "move page"

    def __init__(self, order: list[int]):
        self.order = list(order)
        self._old: list[tuple[m.Page, int]] | None = None

    def units(self, issue):
        """The pages whose number changes (the order of pages is their numbers')."""
        numbers = [p.number for p in issue.pages]
        sequential = bool(numbers) and numbers == list(range(numbers[0],
                                                             numbers[0] + len(numbers)))
        by_number = {p.number: p for p in issue.pages}
        if not sequential:
            return set()
        out: set[Unit] = set()
        for i, n in enumerate(self.order):
            page = by_number.get(n)
            if page is not None and page.number != numbers[0] + i:
                out |= page_unit(page)
        return out

    def apply(self, issue):
        """Reorder (and renumber) the pages."""
        numbers = [p.number for p in issue.pages]
        if sorted(self.order) != sorted(numbers):
            raise EditError(f"the new order {self.order} does not list the pages {numbers}")
        self._old = [(p, p.number) for p in issue.pages]
        by_number = {p.number: p for p in issue.pages}
        sequential = numbers == list(range(numbers[0], numbers[0] + len(numbers))) \
            if numbers else False
        issue.pages[:] = [by_number[n] for n in self.order]
        if sequential:
            for i, p in enumerate(issue.pages):
                p.number = numbers[0] + i
        return Touched(pages=set(numbers), structure=True)

    def revert(self, issue):
        """The old order and numbers."""
        issue.pages[:] = [p for p, _ in self._old]
        for p, n in self._old:
            p.number = n
        return Touched(pages={n for _, n in self._old}, structure=True)


#: the frame fields that name a paragraph style
FRAME_STYLE_FIELDS = ("kicker_style", "title_style", "subtitle_style", "style", "caption_style",
                      "credit_style")


class RetargetStyle(Edit):
    """Make every use of style ``old`` use ``new`` instead: paragraphs or runs,
    the style fields of frames and the jump style (renaming; replacing a deleted style).
    """

    label = "style uses"

    def __init__(self, old: str, new: str, table: str = "paragraph_styles"):
        if table not in ("paragraph_styles", "char_styles"):
            raise EditError(f"no style table '{table}'")
        self.old, self.new, self.table = old, new, table
        self._saved = None

    def units(self, issue):
        out: set[Unit] = set()
        if self.table == "paragraph_styles" and issue.paper.jumps.style == self.old:
            out.add(SETTINGS)
        for sid, st in issue.stories.items():
            if any(p.style == self.old if self.table == "paragraph_styles"
                   else any(r.style == self.old for r in p.runs) for p in st.paragraphs):
                out.add(("story", sid))
        if self.table == "paragraph_styles":
            for page, fr in issue.frames():
                if any(getattr(fr, f, None) == self.old for f in FRAME_STYLE_FIELDS):
                    out |= page_unit(page)
        return out

    def apply(self, issue):
        """Change the uses; keep what they were for undo."""
        paras: dict[str, list[m.Paragraph]] = {}
        for sid, st in issue.stories.items():
            new_list, changed = [], False
            for p in st.paragraphs:
                if self.table == "paragraph_styles":
                    if p.style == self.old:
                        p = m.Paragraph(self.new, list(p.runs))
                        changed = True
                elif any(r.style == self.old for r in p.runs):
                    p = m.Paragraph(p.style, _normal([m.Run(r.text, self.new if r.style == self.old
                                                            else r.style) for r in p.runs]))
                    changed = True
                new_list.append(p)
            if changed:
                paras[sid] = list(st.paragraphs)
                st.paragraphs[:] = new_list
        fields: list[tuple[str, str]] = []
        jump = False
        if self.table == "paragraph_styles":
            for _, fr in issue.frames():
                for f in FRAME_STYLE_FIELDS:
                    if getattr(fr, f, None) == self.old:
                        setattr(fr, f, self.new)
                        fields.append((fr.id, f))
            if issue.paper.jumps.style == self.old:
                issue.paper.jumps.style = self.new
                jump = True
        self._saved = (paras, fields, jump)
        return Touched(stories=set(paras), frames={f for f, _ in fields}, styles=True)

    def revert(self, issue):
        """Every changed use back to the old style."""
        paras, fields, jump = self._saved
        for sid, old in paras.items():
            issue.stories[sid].paragraphs[:] = old
        for fid, f in fields:
            setattr(issue.frame(fid)[1], f, self.old)
        if jump:
            issue.paper.jumps.style = self.old
        return Touched(stories=set(paras), frames={f for f, _ in fields}, styles=True)


def _table(issue: m.Issue, table: str) -> dict:
    if table not in ("paragraph_styles", "char_styles"):
        raise EditError(f"no style table '{table}'")
    return getattr(issue, table)


def style_uses(issue: m.Issue, name: str, table: str = "paragraph_styles") -> int:
    """How many paragraphs (or runs), frames and jump settings use a style."""
    n = 0
    for st in issue.stories.values():
        for p in st.paragraphs:
            if table == "paragraph_styles":
                n += p.style == name
            else:
                n += sum(r.style == name for r in p.runs)
    if table == "paragraph_styles":
        n += sum(getattr(fr, f, None) == name for _, fr in issue.frames()
                 for f in FRAME_STYLE_FIELDS)
        n += issue.paper.jumps.style == name
    return n


def rename_style(issue: m.Issue, old: str, new: str, table: str = "paragraph_styles") -> Edit:
    """Rename a style and every use of it (one undo step)."""
    styles = _table(issue, table)
    new = new.strip()
    if old not in styles:
        raise EditError(f"no style '{old}'")
    if not new or new in styles:
        raise EditError(f"the style name '{new}' is empty or already used")
    if table == "paragraph_styles" and old in m.default_styles():
        raise EditError(f"'{old}' is a built-in style: give it another label instead")
    return Batch([SetStyleDef(new, styles[old], table), RetargetStyle(old, new, table),
                  SetStyleDef(old, None, table)], "rename style")


def delete_style(issue: m.Issue, name: str, replacement: str = "",
                 table: str = "paragraph_styles") -> Edit:
    """Delete a style; its uses take ``replacement`` ("" for character styles: none)."""
    styles = _table(issue, table)
    if name not in styles:
        raise EditError(f"no style '{name}'")
    if table == "paragraph_styles":
        if name in m.default_styles():
            raise EditError(f"'{name}' is a built-in style and cannot be deleted")
        if replacement not in styles or replacement == name:
            raise EditError(f"no style '{replacement}' to use instead of '{name}'")
    elif replacement and (replacement not in styles or replacement == name):
        raise EditError(f"no character style '{replacement}' to use instead of '{name}'")
    edits: list[Edit] = []
    if style_uses(issue, name, table):
        edits.append(RetargetStyle(name, replacement, table))
    edits.append(SetStyleDef(name, None, table))
    return Batch(edits, "delete style")


def new_style_name(issue: m.Issue, table: str = "paragraph_styles", base: str = "style") -> str:
    """A style name not yet used in the table."""
    styles = _table(issue, table)
    n = 1
    while f"{base}-{n}" in styles:
        n += 1
    return f"{base}-{n}"


def copy_frame(fr: m.Frame, new_id: str, **changes) -> m.Frame:
    """A deep copy of a frame under another id (duplicate, paste)."""
    out = copy.deepcopy(fr)
    out.id = new_id
    for k, v in changes.items():
        setattr(out, k, v)
    return out


def duplicate_page(issue: m.Issue, number: int, index: int | None = None) -> Edit:
    """A copy of a page after it (new number, frames under new ids, stories copied)."""
    page = _page(issue, number)
    new_no = max(p.number for p in issue.pages) + 1
    ids = {fr.id for _, fr in issue.frames()}
    renamed: dict[str, str] = {}
    frames = []
    for fr in page.frames:
        n, kind = 1, fr.kind
        while f"p{new_no}-{kind}-{n}" in ids:
            n += 1
        renamed[fr.id] = f"p{new_no}-{kind}-{n}"
        ids.add(renamed[fr.id])
        frames.append(copy_frame(fr, renamed[fr.id]))
    edits: list[Edit] = []
    sids = set(issue.stories)
    for sid, st in issue.stories.items():
        thread = [renamed[f] for f in st.thread if f in renamed]
        shown = [fr for fr in frames if getattr(fr, "story", "") == sid]
        if not thread and not shown:
            continue
        k = 2
        while f"{sid}-{k}" in sids:
            k += 1
        nid = f"{sid}-{k}"
        sids.add(nid)
        new = copy.deepcopy(st)
        new.id, new.thread = nid, thread
        new.name = (st.name or sid) + " 副本"
        edits.append(AddStory(new))
        for fr in shown:
            fr.story = nid
    # the copy is a new page: without the original's unit id (a store names it when saved)
    edits.insert(0, AddPage(replace(copy.deepcopy(page), number=new_no, frames=frames, id="")))
    order = [p.number for p in issue.pages]
    at = order.index(number) + 1 if index is None else index
    edits.append(ReorderPages(order[:at] + [new_no] + order[at:]))
    return Batch(edits, "duplicate page")


class SetPage(_FieldEdit):
    """Change fields of a page: its section name (版名)."""

    label = "page"

    def __init__(self, number: int, **changes):
        bad = set(changes) & {"number", "frames"}
        if bad:
            raise EditError(f"SetPage cannot set '{sorted(bad)[0]}'")
        super().__init__(**changes)
        self.number = number

    def _target(self, issue):
        return _page(issue, self.number)

    def units(self, issue):
        return number_unit(issue, self.number)

    def _touched(self, issue):
        return Touched(pages={self.number}, structure=True)


class SetPaper(_FieldEdit):
    """Change paper settings (punctuation, punctuation_width, latin_spacing …)."""

    label = "paper"

    def _target(self, issue):
        return issue.paper

    def units(self, issue):
        return {SETTINGS}

    def _touched(self, issue):
        return Touched(styles=True)


class SetColor(Edit):
    """Define (or with None remove) a colour swatch: CMYK values from 0 to 1."""

    label = "colour"

    def __init__(self, name: str, cmyk: list[float] | None):
        self.name, self.cmyk = name, None if cmyk is None else [float(v) for v in cmyk]
        self._old = None

    def units(self, issue):
        return {SETTINGS}

    def apply(self, issue):
        """Set the swatch."""
        self._old = (self.name in issue.colors, issue.colors.get(self.name))
        if self.cmyk is None:
            issue.colors.pop(self.name, None)
        else:
            issue.colors[self.name] = list(self.cmyk)
        return Touched(styles=True)

    def revert(self, issue):
        """The old swatch (or none)."""
        had, old = self._old
        if had:
            issue.colors[self.name] = old
        else:
            issue.colors.pop(self.name, None)
        return Touched(styles=True)


class RestackFrame(Edit):
    """Move a frame up (``delta`` > 0, bring forward) or down the page's drawing order."""

    label = "arrange"

    def __init__(self, frame_id: str, delta: int):
        self.frame_id, self.delta = frame_id, delta
        self._old: tuple[int, int] | None = None

    def units(self, issue):
        return frame_unit(issue, self.frame_id)

    def apply(self, issue):
        """Move it in its page's frame list (clamped to the ends)."""
        page, fr = _frame(issue, self.frame_id)
        i = page.frames.index(fr)
        j = min(max(0, i + self.delta), len(page.frames) - 1)
        page.frames.insert(j, page.frames.pop(i))
        self._old = (page.number, i)
        return Touched(frames={self.frame_id}, pages={page.number}, structure=True)

    def revert(self, issue):
        """Back to its old place in the order."""
        number, i = self._old
        page = _page(issue, number)
        fr = next(f for f in page.frames if f.id == self.frame_id)
        page.frames.remove(fr)
        page.frames.insert(i, fr)
        return Touched(frames={self.frame_id}, pages={number}, structure=True)
