"""One desk's work on an issue in a store: open, check out, save, take in others' changes.

The editor and every other program that changes an issue in a store (the CLI's
``store`` commands, the load tests' simulated desks) go through an
``IssueSession``::

    s = IssueSession(open_store("postgresql://desk@db/paper#2026-12-02"))
    issue = s.open()                       # joined from the units; s.problems: units left out
    if (h := s.checkout(UnitKey("page", "p1"))) is not None:
        print("page 1 is with", h.describe())
    ... change issue ...
    s.save(issue)                          # commits the units whose text changed
    for key in s.refresh(issue):           # others' commits, taken into ``issue`` in place
        ...
    s.close()

What the session remembers of each unit is its **base**: the text and version it
last read or committed.  ``save`` splits the issue, compares each unit's text
with its base and commits what differs, every change on top of its base version —
so a unit someone else changed meanwhile is refused (``Conflict``) rather than
overwritten.  Saving ``only`` some units splits only those.  A caller that names
every unit it changes (``track``, then ``mark`` after each edit, undo and redo: the
editor, from ``layout.edits.Edit.units``) has ``save`` and ``pending`` split only the
units marked since they were last found equal to their base, new units and pages new
to the store; units gone from the issue are found by their keys.  The first look
after ``open`` splits the whole issue, and what differs then is what is marked.

``refresh`` reads the units others committed and puts them into the open issue,
except units this desk has changed and not saved (those are reported, for the
caller to reload or merge).  It splits only the units in the change feed to see
which were changed here (a tracking session: only those of them marked), parses
only the units it takes and puts each in place — a page or story replaced, added or
removed, the settings' sections replaced — then checks the issue across units.
Where that cannot give what joining the whole issue gives (units left out, a unit
that does not read, an issue that no longer holds together) it splits and joins the
whole issue, as ``open`` does.
"""
from __future__ import annotations

import copy
import dataclasses

from layout import model as m
from layout.docfile import DocumentError, parse_unchecked, validate

from .base import ISSUE_UNIT, Change, Holder, Store, UnitDoc, UnitInfo, UnitKey
from .units import _the_one, join, keys_of, name_pages, split, unit_path


@dataclasses.dataclass
class Refreshed:
    """What ``refresh`` did: units taken in, units changed on both sides (kept as this desk
    has them), and units that did not read (left as they were)."""
    taken: list[UnitKey] = dataclasses.field(default_factory=list)
    both: list[UnitInfo] = dataclasses.field(default_factory=list)
    problems: list[DocumentError] = dataclasses.field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.taken or self.both or self.problems)


class IssueSession:
    """A desk's view of one issue in a store."""

    def __init__(self, store: Store, *, where=None):
        self.store = store
        # how a unit is named in messages: the store's way (a folder: the unit's file) or
        # "ADDRESS [unit]"
        self.where = where or getattr(store, "where", None) or unit_path
        self.base: dict[UnitKey, UnitDoc] = {}
        self.problems: list[DocumentError] = []
        self.left_out: set[UnitKey] = set()      # units that did not read: never written
        self.held_back: set[UnitKey] = set()     # units shown altered: never written
        self.cursor: object | None = None
        #: the caller marks every unit it changes (``track``)
        self.tracking = False
        #: units that may differ from their base (tracking); None: not known, the next look
        #: splits the whole issue
        self._marked: set[UnitKey] | None = None
        #: pages that were new to the store at a look: edits made before they had a name
        #: (``store.units.name_pages``) did not name them, so they are split on every look
        self._named: set[UnitKey] = set()

    # ---------------------------------------------------------- opening
    def open(self) -> m.Issue:
        """Read and join every unit (DocumentError when the settings cannot be read)."""
        self.cursor, _ = self.store.changes(None)     # before reading: nothing is missed
        docs = self.store.read()
        joined = join(docs, where=self.where, address=self.store.address)
        self.base = dict(docs)
        self.problems, self.left_out = joined.problems, joined.left_out
        self.held_back = joined.held_back
        self._marked, self._named = None, set()
        return joined.issue

    # ---------------------------------------------------------- what changed
    def track(self) -> None:
        """From now on the caller ``mark``s every unit it changes; ``save``, ``pending``
        and ``dirty`` split only those (and new units) instead of the whole issue."""
        self.tracking = True

    def mark(self, keys) -> None:
        """These units may have changed (an edit, its undo or redo, a unit put in)."""
        if self._marked is not None:
            self._marked.update(keys)

    # ---------------------------------------------------------- check-outs
    def checkout(self, key: UnitKey) -> Holder | None:
        return self.store.checkout(key)

    def release(self, key: UnitKey) -> None:
        self.store.release(key)

    def mine(self) -> set[UnitKey]:
        """The units this desk holds."""
        return {k for k, h in self.store.holders().items() if h.is_desk(self.store.desk)}

    def others(self) -> dict[UnitKey, Holder]:
        """Units held by other desks, and by whom."""
        return {k: h for k, h in self.store.holders().items() if not h.is_desk(self.store.desk)}

    # ---------------------------------------------------------- saving
    def pending(self, issue: m.Issue, only: "set[UnitKey] | None" = None) -> list[Change]:
        """The changes ``save`` would commit (of these units only, when given): units
        whose text differs from their base, new units, and units removed from the issue
        (units left out at opening never)."""
        name_pages(issue)
        present = keys_of(issue)
        if self.tracking:
            self._named |= {k for k in present if k.kind == "page" and k not in self.base}
        known = self.tracking and self._marked is not None
        if only is None and not known:
            texts = split(issue)
        else:
            want = present
            if known:
                want = (self._marked | self._named | (present - set(self.base))) & present
            texts = split(issue, want if only is None else want & only)
        if self.tracking:
            differ = {k for k, t in texts.items()
                      if (b := self.base.get(k)) is None or b.text != t}
            if only is None and not known:
                self._marked = differ           # every unit looked at: the rest is equal
            elif known:
                self._marked -= set(texts) - differ
        out = self._changes(texts, present)
        return out if only is None else [c for c in out if c.key in only]

    def _changes(self, texts: dict[UnitKey, str], present: set[UnitKey]) -> list[Change]:
        """``pending`` for the units split (``texts``) of an issue with these units."""
        frozen = self.left_out | self.held_back
        out = [Change(k, t, self._base_version(k)) for k, t in texts.items()
               if ((b := self.base.get(k)) is None or b.text != t) and k not in frozen]
        out += [Change(k, None, b.version) for k, b in self.base.items()
                if k not in present and k not in self.left_out]
        return sorted(out, key=lambda c: c.key)

    def dirty(self, issue: m.Issue) -> set[UnitKey]:
        return {c.key for c in self.pending(issue)}

    def save(self, issue: m.Issue, only: "set[UnitKey] | None" = None) -> dict[UnitKey, UnitInfo]:
        """Commit what changed (only these units when given), all or nothing; the new
        infos.  ``CommitRefused`` (Conflict, HeldElsewhere, ReadOnly) names the unit."""
        changes = self.pending(issue, only)
        if not changes:
            return {}
        infos = self.store.commit(changes)
        for c in changes:
            if c.text is None:
                self.base.pop(c.key, None)
            else:
                self.base[c.key] = UnitDoc(infos[c.key], c.text)
        if self._marked is not None:
            self._marked -= {c.key for c in changes}
        return infos

    def _base_version(self, key: UnitKey) -> int:
        b = self.base.get(key)
        return b.version if b is not None else 0

    # ---------------------------------------------------------- others' changes
    def refresh(self, issue: m.Issue, *, keep: "set[UnitKey] | None" = None) -> Refreshed:
        """Take the units others committed since the last look into ``issue`` (in place).
        Units with unsaved changes here (or in ``keep``) are not touched: they are listed
        in ``Refreshed.both`` for the caller to reload or merge.

        Only the units taken are read and put in (``_take_in``); the whole issue is split
        and joined again only where that cannot give what a full join gives (see there)."""
        local_here: dict[UnitKey, bool] = {}     # unit in the feed -> changed here, not saved
        for _ in range(20):
            cursor, infos = self.store.changes(self.cursor)
            latest: dict[UnitKey, UnitInfo] = {}
            for info in infos:
                latest[info.key] = info
            fresh = {k: i for k, i in latest.items()
                     if (b := self.base.get(k)) is None or b.version != i.version or i.deleted}
            fresh = {k: i for k, i in fresh.items()
                     if not (i.deleted and k not in self.base)}
            out = Refreshed()
            if not fresh:
                self.cursor = cursor
                return out
            # the dirty check splits only the units in the feed: whether a unit differs
            # from its base depends on that unit's text alone
            local_here.update(self._local(issue, set(fresh) - set(local_here)))
            local = {k for k, changed in local_here.items() if changed} | (keep or set())
            for k in sorted(fresh):
                if k in local:
                    out.both.append(fresh[k])
            take = [k for k in sorted(fresh) if k not in local]
            docs = self.store.read(take)
            # a commit made between the feed and the read shows here as a unit newer than the
            # feed said, with its other units not taken: look at the feed again, so that a
            # commit of several units (a frame moved to another page) is taken whole
            if all(k not in docs or docs[k].version == latest[k].version for k in take):
                break
        self.cursor = cursor
        new_base = dict(self.base)
        for k in take:
            if k in docs:
                new_base[k] = docs[k]
            else:
                new_base.pop(k, None)
        if self._take_in(issue, take, docs):
            self.mark(take)         # their stored text may not be written as this desk writes it
            self.base = new_base
            out.taken = take
            return out
        # the whole issue: the units as they are now, this desk's texts for what it keeps,
        # the store's for the rest
        mine = split(issue)
        current = {k: UnitDoc(new_base[k].info if k in new_base else UnitInfo(k, 0), t)
                   for k, t in mine.items()}
        for k in take:
            if k in docs:
                current[k] = docs[k]
            else:
                current.pop(k, None)
        for k in self.left_out | self.held_back:
            if k in new_base and k not in take:
                current[k] = new_base[k]         # try the stored text again
        try:
            joined = join(current, where=self.where, address=self.store.address)
        except DocumentError as exc:
            out.problems.append(exc)           # the new settings do not read: keep ours
            return out
        out.problems = list(joined.problems)
        # units taken in (their stored text may not be written as this desk writes it) and
        # units left out or held back until now are looked at again by the next save
        self.mark(set(take) | self.left_out | self.held_back)
        self.base, self.left_out = new_base, joined.left_out
        self.held_back = joined.held_back
        _replace(issue, joined.issue)
        out.taken = take
        return out

    def _local(self, issue: m.Issue, keys: set[UnitKey]) -> dict[UnitKey, bool]:
        """Whether each of these units has changes here not saved — what ``pending`` says
        of it, from a split of these units only (tracking: of those marked, named or new;
        the others are equal to their base)."""
        if not keys:
            return {}
        if self.tracking and self._marked is None:
            self.pending(issue)             # the first look splits all and marks what differs
        name_pages(issue)
        present = keys_of(issue)
        look = keys & present
        if self.tracking and self._marked is not None:
            look = {k for k in look if k in self._marked or k in self._named
                    or k not in self.base}
        texts = split(issue, look) if look else {}
        frozen = self.left_out | self.held_back
        out = {}
        for k in keys:
            b = self.base.get(k)
            if k in present:
                out[k] = k in texts and (b is None or b.text != texts[k]) and k not in frozen
            else:
                out[k] = b is not None and k not in self.left_out
        return out

    def _take_in(self, issue: m.Issue, take: list[UnitKey], docs: dict[UnitKey, UnitDoc]
                 ) -> bool:
        """Put the units taken into ``issue`` in place — a page or story replaced, added or
        removed, the settings' sections replaced — and check the result across units, as
        ``join`` does.  False (``issue`` untouched) where only the whole split and join
        gives what a full join gives:

        - units were left out or held back before: the full join tries their stored text
          again against the new units (a page that now reads gives back a story's frames);
        - a unit taken does not read, or is not the one page or story it should be: the
          full join leaves it out (a story: an empty stand-in) and reports it by its line;
        - the settings unit was removed or holds pages or stories: the full join refuses
          the settings and keeps this desk's issue, reporting why;
        - the issue with the units put in does not hold together (``validate``): which unit
          the full join leaves out depends on the whole issue, and the message names its
          line, which only the unit's own parse knows."""
        if self.left_out or self.held_back:
            return False
        settings = None
        pages = {p.id: p for p in issue.pages}
        stories = dict(issue.stories)
        for k in take:
            doc = docs.get(k)
            if k == ISSUE_UNIT:
                if doc is None:
                    return False
                try:
                    settings, _ = parse_unchecked(doc.text, self.where(self.store.address, k))
                except DocumentError:
                    return False
                if settings.pages or settings.stories:
                    return False
                continue
            held = pages if k.kind == "page" else stories
            if doc is None:
                held.pop(k.name, None)
                continue
            try:
                part, _ = parse_unchecked(doc.text, self.where(self.store.address, k))
                obj = _the_one(part, k, "")
            except DocumentError:
                return False
            old = held.get(k.name)
            held[k.name] = old if old == obj else obj     # an unchanged object stays
        new = copy.copy(issue)
        if settings is not None:
            for f in dataclasses.fields(m.Issue):
                if f.name not in ("pages", "stories"):
                    setattr(new, f.name, getattr(settings, f.name))
        # as ``join`` orders them: pages by number (the same number: by id), stories by id
        new.pages = sorted(pages.values(), key=lambda p: (p.number, UnitKey("page", p.id)))
        new.stories = {sid: stories[sid] for sid in sorted(stories)}
        if validate(new):
            return False
        _replace(issue, new)
        return True

    def close(self) -> None:
        self.store.close()


def _replace(issue: m.Issue, new: m.Issue) -> None:
    """Make ``issue`` hold what ``new`` holds, keeping the objects that did not change
    (so an editor's selection of an unchanged frame survives)."""
    for f in dataclasses.fields(m.Issue):
        if f.name not in ("pages", "stories"):
            if getattr(issue, f.name) != getattr(new, f.name):
                setattr(issue, f.name, getattr(new, f.name))
    old_pages = {p.id: p for p in issue.pages}
    issue.pages = [old_pages[p.id] if old_pages.get(p.id) == p else p for p in new.pages]
    old_stories = issue.stories
    issue.stories = {sid: old_stories[sid] if old_stories.get(sid) == s else s
                     for sid, s in new.stories.items()}


__all__ = ["IssueSession", "Refreshed", "ISSUE_UNIT"]
