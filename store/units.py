"""An Issue as units of work, and back: ``split`` and ``join``.

Each unit is a YAML document that is itself a (partial) issue file, so it reads
with the issue file's reader and its mistakes are named by the unit's own line:

- the ``issue`` unit: ``banmian``, ``info``, ``paper``, ``fonts``, ``colors``,
  ``paragraph_styles``, ``char_styles``, ``layers``, ``masters``;
- a ``page:<id>`` unit: ``banmian`` and ``pages`` with that one page;
- a ``story:<id>`` unit: ``banmian`` and ``stories`` with that one story.

Pages get a stable ``id`` the first time they are split (``p<number>``, or the
next free one), so a page keeps its unit when it is renumbered or moved.
Pages are joined in the order of their numbers; stories in the order of their
ids as the store lists them.

``join`` opens what it can: a unit that does not read, or whose references do
not hold (a story threading frames of a page that did not read…), is left out
and reported (``Joined.problems``) — with the unit's name and line — and the rest
of the issue opens.  Units left out are never written back (``Joined.left_out``).
"""
from __future__ import annotations

import copy
import dataclasses

from layout import model as m
from layout.docfile import DocumentError, dump_plain, parse_unchecked, to_plain, validate

from .base import ISSUE_UNIT, UnitDoc, UnitKey

SETTINGS_SECTIONS = ("banmian", "info", "paper", "fonts", "colors", "paragraph_styles",
                     "char_styles", "layers", "masters")


def name_pages(issue: m.Issue) -> list[m.Page]:
    """Give every page without an id one (``p<number>``, or ``p<number>-2``… when taken);
    the pages named."""
    taken = {p.id for p in issue.pages if p.id}
    named = []
    for page in issue.pages:
        if page.id:
            continue
        base = f"p{page.number}"
        pid, n = base, 1
        while pid in taken:
            n += 1
            pid = f"{base}-{n}"
        page.id = pid
        taken.add(pid)
        named.append(page)
    return named


def keys_of(issue: m.Issue) -> set[UnitKey]:
    """The keys of the issue's units (pages without an id have none yet)."""
    return {ISSUE_UNIT} | {UnitKey("page", p.id) for p in issue.pages if p.id} | {
        UnitKey("story", sid) for sid in issue.stories}


def split(issue: m.Issue, keys: "set[UnitKey] | None" = None) -> dict[UnitKey, str]:
    """The issue's units as YAML texts (pages without an id are named first); only those
    of ``keys`` (the ones the issue has) when given — the same texts, without writing out
    the rest."""
    name_pages(issue)
    if keys is not None:                  # a shallow copy holding only the pages and stories
        part = copy.copy(issue)           # asked for: the settings are cheap to write
        part.pages = [p for p in issue.pages if UnitKey("page", p.id) in keys]
        part.stories = {sid: st for sid, st in issue.stories.items()
                        if UnitKey("story", sid) in keys}
        issue = part
    doc = to_plain(issue)
    out: dict[UnitKey, str] = {}
    if keys is None or ISSUE_UNIT in keys:
        out[ISSUE_UNIT] = dump_plain({k: v for k, v in doc.items() if k in SETTINGS_SECTIONS})
    version = doc["banmian"]
    for page, plain in zip(issue.pages, doc["pages"]):
        out[UnitKey("page", page.id)] = dump_plain({"banmian": version, "pages": [plain]})
    for sid, plain in doc["stories"].items():
        out[UnitKey("story", sid)] = dump_plain({"banmian": version, "stories": {sid: plain}})
    return out


@dataclasses.dataclass
class Joined:
    """An issue joined from units, with what could not be used."""
    issue: m.Issue
    problems: list[DocumentError]                 # one per unit left out, in key order
    left_out: set[UnitKey]        # units not in ``issue`` (a story: an empty stand-in is)
    #: units in ``issue`` but not as stored (a story's thread without the frames of a page
    #: left out): shown, never written back
    held_back: set[UnitKey] = dataclasses.field(default_factory=set)

    def unit_of(self, obj) -> UnitKey | None:
        """The unit a page, frame or story of ``issue`` came from."""
        if isinstance(obj, m.Story):
            return UnitKey("story", obj.id)
        if isinstance(obj, m.Page):
            return UnitKey("page", obj.id)
        if isinstance(obj, m.Frame):
            for page in self.issue.pages:
                if any(fr is obj for fr in page.frames):
                    return UnitKey("page", page.id)
            return ISSUE_UNIT       # a master frame
        return ISSUE_UNIT


def unit_path(address: str, key: UnitKey) -> str:
    """How a unit is named in messages: ``ADDRESS [page p3]``; stores with files use the
    file's path instead."""
    return f"{address} [{key}]"


def join(docs: dict[UnitKey, UnitDoc], *, where=unit_path, address: str = "") -> Joined:
    """Build the issue from its units.  ``where(address, key)`` names a unit in messages
    (a folder store gives the file's path).  DocumentError when the issue unit itself is
    missing or wrong: without its settings nothing can be set."""
    settings = docs.get(ISSUE_UNIT)
    if settings is None:
        raise DocumentError(address or "<store>", None, "the issue has no settings unit "
                            "(not a Banmian issue, or not created yet)")
    issue, issue_line = parse_unchecked(settings.text, where(address, ISSUE_UNIT))
    if issue.pages or issue.stories:
        raise DocumentError(where(address, ISSUE_UNIT), None,
                            "the settings unit holds pages or stories; they belong in units "
                            "of their own")
    problems: list[DocumentError] = []
    left_out: set[UnitKey] = set()
    line_of: dict[UnitKey, object] = {ISSUE_UNIT: issue_line}
    pages: list[m.Page] = []
    for key in sorted(k for k in docs if k.kind != "issue"):
        path = where(address, key)
        try:
            part, lines = parse_unchecked(docs[key].text, path)
            obj = _the_one(part, key, path)
        except DocumentError as exc:
            problems.append(exc)
            left_out.add(key)
            if key.kind == "story":
                # an empty stand-in, so frames naming the story still read; never written
                issue.stories[key.name] = m.Story(key.name)
            continue
        line_of[key] = lines
        if key.kind == "page":
            pages.append(obj)
        else:
            issue.stories[key.name] = obj
    pages.sort(key=lambda p: p.number)
    issue.pages = pages
    held_back: set[UnitKey] = set()
    if any(k.kind == "page" for k in left_out):
        # stories running through a page that did not read set in the frames that are left
        here = {fr.id for _, fr in issue.frames()}
        for sid, story in issue.stories.items():
            kept = [fid for fid in story.thread if fid in here]
            if len(kept) != len(story.thread):
                story.thread = kept
                held_back.add(UnitKey("story", sid))
    # checks across units: leave out the unit at fault until the rest holds together
    for _ in range(len(docs) + 1):
        found = validate(issue)
        if not found:
            break
        where_obj, message = found[0]
        key = Joined(issue, [], set()).unit_of(where_obj)
        if key is None or key == ISSUE_UNIT:
            raise DocumentError(where(address, ISSUE_UNIT),
                                _line(line_of.get(ISSUE_UNIT), where_obj), message)
        problems.append(DocumentError(where(address, key), _line(line_of.get(key), where_obj),
                                      message))
        left_out.add(key)
        if key.kind == "page":
            issue.pages = [p for p in issue.pages if p.id != key.name]
        else:
            issue.stories[key.name] = m.Story(key.name)
    return Joined(issue, problems, left_out, held_back - left_out)


def _line(line_of, obj) -> int | None:
    return line_of(obj) if callable(line_of) else None


def _the_one(part: m.Issue, key: UnitKey, path: str):
    """The page or story a unit holds; DocumentError when it holds anything else."""
    if key.kind == "page":
        if len(part.pages) != 1 or part.stories:
            raise DocumentError(path, None, "a page unit holds exactly one page")
        page = part.pages[0]
        if page.id != key.name:
            raise DocumentError(path, None, f"the page's id '{page.id}' is not its unit's "
                                            f"name '{key.name}'")
        return page
    if len(part.stories) != 1 or part.pages:
        raise DocumentError(path, None, "a story unit holds exactly one story")
    story = next(iter(part.stories.values()))
    if story.id != key.name:
        raise DocumentError(path, None, f"the story's id '{story.id}' is not its unit's "
                                        f"name '{key.name}'")
    return story


def diff(old: dict[UnitKey, str], new: dict[UnitKey, str]) -> tuple[set[UnitKey], set[UnitKey]]:
    """(units changed or added, units removed) from ``old`` texts to ``new``."""
    changed = {k for k, t in new.items() if old.get(k) != t}
    return changed, set(old) - set(new)
