"""An open document: the issue, its one Composer, the last LayoutResult and the undo stack.

Every change goes through ``Document.push(edit)``: the edit is applied to the
model, wrapped in an undo command, the issue is composed again (cheap: the
Composer re-fills only frames whose input changed) and ``changed`` is emitted
with the edit's ``Touched`` record, so each view refreshes only what it shows.

A document opened from a file normally holds that file's shared-folder lock
(``layout.lockfile``).  When someone else holds it the document is read-only:
``push`` refuses every edit and saving over the file is refused; Save As to
another file takes that file's lock and makes the document editable.  Saving
over the document's own file checks that nobody changed it since it was read
(``ChangedOnDisk``).

A document opened from an issue store (an issue folder, PostgreSQL: ``editor.desk``)
has a ``desk`` instead of a lock: each edit first checks out the units it changes
(``layout.edits.Edit.units``; a unit another desk holds refuses the edit, naming who),
saving commits the changed units (``save_units``), others' commits are taken in as
they come (``take_others``) and undo steps on units taken in are dropped.
"""
from __future__ import annotations

import atexit
import copy
import os
import weakref
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from common.fs import cache_dir as common_cache_dir
from layout import edits as E
from layout import lockfile
from layout import model as m
from layout.compose import Composer, default_hyphenator
from layout.diskcache import LayoutDiskCache
from layout.docfile import save_issue
from layout.grid import PageGeometry
from layout.headline import Segmenter
from store.base import UnitKey
from store.units import split

from .commands import EditCommand
from .i18n import tr, undo_label

#: edits that change nothing but one story's paragraphs (``edit.story``): the composer
#: takes the rest from its last compose
TEXT_EDITS = (E.InsertText, E.DeleteText, E.SplitParagraph, E.SetParagraphStyle,
              E.SetCharStyle, E.InsertRuns)

#: documents of this process that hold a lock (released at exit if still open)
_LOCKED: "weakref.WeakSet[Document]" = weakref.WeakSet()


@atexit.register
def _release_all() -> None:
    for doc in list(_LOCKED):
        doc.release_lock()


class ReadOnlyError(Exception):
    """Saving over a file someone else has locked (or this read-only document's own file)."""

    def __init__(self, path: str, held: "lockfile.LockHeld | None", reason: str = ""):
        self.path, self.held = path, held
        super().__init__(reason or (held.describe() if held is not None else path))


def cache_dir() -> str:
    """Where the editor keeps caches and untitled recovery files."""
    return str(common_cache_dir())


class Document(QObject):
    """One open issue with its composer, layout result and undo stack."""

    changed = Signal(object)            # layout.edits.Touched, after the result is new
    cursorHint = Signal(str, object)    # story id, (para, offset): where undo/redo left the text
    pathChanged = Signal(str)
    refused = Signal(str)               # an edit that could not be made, with the reason
    saved_units = Signal(object)        # a store's document: the set of units committed
    readOnlyChanged = Signal(bool)

    def __init__(self, issue: m.Issue, fontset, path: str | None = None, parent=None, *,
                 desk=None):
        super().__init__(parent)
        self.issue, self.fontset = issue, fontset
        self.path = str(Path(path).resolve()) if path else None
        self.desk = desk                # editor.desk.DeskSession: the issue is in a store
        self.open_problems = list(desk.session.problems) if desk is not None else []
        self.undo = QUndoStack(self)
        seg = Segmenter(os.path.join(cache_dir(), "segments.json"))
        # frames composed before (by an export or an earlier session) come from the layout
        # cache; Latin hyphenation points from their cache (no dictionary loaded)
        self.composer = Composer(issue, fontset, base_dir=self.base_dir, segmenter=seg,
                                 hyphenator=default_hyphenator(cache_file=os.path.join(
                                     cache_dir(), "hyphenation-en_US.json")),
                                 disk=LayoutDiskCache(os.path.join(cache_dir(), "layout")),
                                 whole=False)
        self.geometry = PageGeometry.of(issue.paper)
        self.result = self.composer.compose()
        self.recovered = False          # loaded from a recovery file: unsaved until saved
        self.lock: lockfile.Lock | None = None          # the file's lock, when we hold it
        self.held: lockfile.LockHeld | None = None      # who holds it, when someone else does
        self.read_only = False
        self.read_only_reason = ""      # who holds the file (or why its folder is unusable)
        # the file as read or last saved (``set_lock`` gives the one taken before reading)
        self.seen: lockfile.Fingerprint | None = lockfile.fingerprint(self.path) \
            if self.path and desk is None else None
        if desk is not None:
            desk.issue = issue
            desk.poked.connect(self.take_others)
            if desk.read_only:
                self._set_read_only(True, tr("desk.refused.read_only", address=desk.address))

    # ------------------------------------------------------------ lock
    def set_lock(self, got: "lockfile.Lock | lockfile.LockHeld | None", reason: str = "",
                 seen: "lockfile.Fingerprint | None" = None) -> None:
        """Record the result of ``lockfile.acquire`` for the document's file.

        A ``LockHeld`` (or a ``reason`` without a lock: the folder cannot be
        written) makes the document read-only.
        """
        self.seen = seen
        if isinstance(got, lockfile.Lock):
            self._take(got)
        else:
            self.lock, self.held = None, got
            self._set_read_only(True, reason or (got.describe() if got is not None else ""))

    def _take(self, lock: "lockfile.Lock") -> None:
        if self.lock is not None and self.lock is not lock:
            self.lock.release()
        self.lock, self.held = lock, None
        _LOCKED.add(self)
        self._set_read_only(False, "")

    def _set_read_only(self, on: bool, reason: str) -> None:
        was = self.read_only
        self.read_only, self.read_only_reason = on, reason
        if was != on:
            self.readOnlyChanged.emit(on)

    def touch_lock(self) -> bool:
        """Refresh the lock's heartbeat; False when it was lost to someone else.

        A lock someone broke (it looked stale to them) is taken again when it is
        free; when they hold it now, the document becomes read-only.
        """
        if self.lock is None or self.lock.touch():
            return True
        return self._relock(self.lock.path)

    def release_lock(self) -> None:
        """Give the file's lock back (closing); idempotent.  A store's document gives
        back its check-outs and stops watching the store."""
        if self.lock is not None:
            self.lock.release()
        if self.desk is not None:
            self.desk.close()
        _LOCKED.discard(self)

    # ------------------------------------------------------------ facts
    @property
    def base_dir(self) -> str:
        """The folder relative image paths are read from (an issue folder: itself)."""
        if self.desk is not None:
            return self.path or os.getcwd()
        return str(Path(self.path).parent) if self.path else os.getcwd()

    @property
    def name(self) -> str:
        """The file name shown in the title bar ("" for an untitled document); a store's
        address."""
        if self.desk is not None:
            return Path(self.path).name if self.path else self.desk.address
        return Path(self.path).name if self.path else ""

    def is_modified(self) -> bool:
        """Whether there are changes since the last save."""
        return self.recovered or not self.undo.isClean()

    def page(self, number: int) -> m.Page:
        """The model page with this printed number."""
        return self.issue.pages[self.issue.page_index(number)]

    def page_of_frame(self, frame_id: str) -> int:
        """The printed number of the page holding a frame."""
        return self.issue.frame(frame_id)[0].number

    def overset_stories(self) -> list[str]:
        """Ids of the stories whose text does not fit their frames."""
        return [sid for sid, c in self.result.copyfit.items()
                if c.overset_lines or c.overset_chars]

    # ------------------------------------------------------------ editing
    def push(self, edit: E.Edit, text: str = "", *, merge: bool = False,
             cursor_before=None, cursor_after=None) -> bool:
        """Apply an edit and put it on the undo stack; False (and ``refused``) if it fails.

        A read-only document refuses every edit here, the one door they all use.
        """
        if self.read_only:
            self.refused.emit(tr("readonly.refused", who=self.read_only_reason))
            return False
        keys = None
        if self.desk is not None:             # check out what the edit changes, first
            keys = {UnitKey(*u) for u in edit.units(self.issue)}
            if not self._claim(keys):
                return False
        try:
            touched = edit.apply(self.issue)
        except (E.EditError, KeyError, ValueError) as exc:
            self.refused.emit(str(exc))
            return False
        self.mark_units(keys)
        try:
            # an edit of one story's paragraphs (typing): the other stories and the pages
            # none of its frames is on are the last compose's
            self._compose(touched, edit.story if type(edit) in TEXT_EDITS else None)
        except Exception as exc:          # the layout cannot take it (a bad size, a unit …)
            self._compose(edit.revert(self.issue))
            self.refused.emit(f"{type(exc).__name__}: {exc}")
            return False
        cmd = EditCommand(self, edit, undo_label(text or getattr(edit, "label", "edit")),
                          merge=merge,
                          cursor_before=cursor_before, cursor_after=cursor_after)
        cmd.first_touched = touched
        cmd.units = keys or set()
        self.undo.push(cmd)
        return True

    # ------------------------------------------------------------ an issue in a store
    def mark_units(self, keys) -> None:
        """These units changed (an edit, its undo or redo): a store's save looks at them."""
        if self.desk is not None and keys:
            self.desk.session.mark(keys)

    def _claim(self, keys) -> bool:
        """Check out the units an edit changes (False and ``refused`` when another desk
        holds one).  Units checked out just now are brought up to date first."""
        why, taken = self.desk.claim(keys, self.issue)
        if why:
            self.refused.emit(why)
            return False
        if taken:
            self.take_others()
        return True

    def take_others(self):
        """Take in what other desks committed (the watcher's poke): recompose what changed,
        drop undo steps on the units taken in; the ``Refreshed`` record."""
        from store.session import Refreshed
        if self.desk is None or self.desk.closed:
            return Refreshed()
        from .desk import describe_author, describe_unit
        try:
            r = self.desk.session.refresh(self.issue)
        except Exception as exc:          # the store went away for a moment: next poke
            self.desk.message.emit(tr("desk.save_failed", msg=str(exc)))
            return Refreshed()
        if r.taken:
            self._units_changed(r.taken)
            names = "、".join(describe_unit(k, self.issue) for k in r.taken)
            dropped = self.drop_undo(set(r.taken))
            self.desk.message.emit(tr("desk.taken", units=names) +
                                   (tr("desk.dropped", n=dropped) if dropped else ""))
        for info in r.both:
            who = describe_author(info.author)
            self.desk.message.emit(tr("desk.both", unit=describe_unit(info.key, self.issue),
                                      who=who))
        if r.problems:
            self.open_problems = list(r.problems)
            self.desk.message.emit(tr("desk.unreadable", where="；".join(
                f"{p.path}:{p.line}" if p.line else p.path for p in r.problems)))
        return r

    def _units_changed(self, keys) -> None:
        from .desk import touched_by
        touched = touched_by(keys, self.issue)
        if touched.styles:
            self.composer.invalidate_styles()
            self.geometry = PageGeometry.of(self.issue.paper)
        self.result = self.composer.compose()
        self.changed.emit(touched)

    def drop_undo(self, keys: set) -> int:
        """Drop the undo steps that changed any of these units (others' versions of them
        were taken in: undoing would overwrite them); the steps still to redo go too.
        The number of steps dropped."""
        stack = self.undo
        done = [stack.command(i) for i in range(stack.index())]
        hit = [c for c in done if getattr(c, "units", set()) & keys]
        if not hit and not any(getattr(stack.command(i), "units", set()) & keys
                               for i in range(stack.index(), stack.count())):
            return 0
        was_clean = stack.isClean()
        keep = [(c.edit, c.text(), c.merge, c.cursor_before, c.cursor_after, c.units)
                for c in done if not (getattr(c, "units", set()) & keys)]
        self._rebuilding = True
        try:
            stack.clear()
            for edit, label, merge, before, after, units in keep:
                cmd = EditCommand(self, edit, label, merge=False, cursor_before=before,
                                  cursor_after=after)
                cmd.first_touched = E.Touched()      # already applied: nothing to do
                cmd.units = units
                stack.push(cmd)
        finally:
            self._rebuilding = False
        if was_clean or (not keep and not self.desk.session.dirty(self.issue)):
            stack.setClean()
        elif stack.isClean():
            stack.resetClean()
        return len(hit)

    def save_units(self, only=None) -> dict:
        """Commit the changed units (only these when given) to the store; the new infos.
        ``CommitRefused`` (Conflict, HeldElsewhere, ReadOnly) when the store refuses:
        nothing of it was saved."""
        infos = self.desk.session.save(self.issue, only)
        new = {k for k, i in infos.items() if not i.deleted} - self.desk.mine
        if new:                                # units this desk made: it holds them too
            self.desk.claim(new, self.issue)
        if only is None or not self.desk.session.dirty(self.issue):
            self.recovered = False
            self.undo.setClean()
        self.saved_units.emit(set(infos))
        return infos

    def reload_units(self, keys: set) -> None:
        """Take the store's current text of these units, dropping this desk's changes to
        them."""
        from .desk import put_units
        docs = self.desk.store.read(sorted(keys))
        put_units(self.desk.session, self.issue, {k: docs[k].text if k in docs else None
                                                  for k in keys},
                  {k: docs.get(k) for k in keys})
        self.drop_undo(set(keys))
        self._units_changed(keys)

    def merge_story(self, key) -> None:
        """Three-way merge of a story's text: the version this desk started from, this
        desk's and the store's current one.  The merge becomes this desk's unsaved version
        on top of the store's (``MergeClash`` when the changes overlap: nothing changes)."""
        from store.merge import merge_story_units

        from .desk import put_units
        base = self.desk.session.base.get(key)
        theirs = self.desk.store.read([key]).get(key)
        mine = split(self.issue).get(key)
        if theirs is None or mine is None:
            raise E.EditError(f"{key.describe()} is gone")
        merged = merge_story_units(base.text if base is not None else theirs.text, mine,
                                   theirs.text, self.desk.session.where(self.desk.address, key))
        put_units(self.desk.session, self.issue, {key: merged}, {key: theirs})
        self.drop_undo({key})
        self.undo.resetClean()
        self._units_changed({key})

    def keep_mine_as_copy(self, key) -> str:
        """This desk's version of a story becomes a new story (unplaced); the story itself
        is reloaded from the store.  The new story's id."""
        from .desk import copy_story_id, story_copy
        mine = copy.deepcopy(self.issue.stories[key.name])
        self.reload_units({key})
        sid = copy_story_id(self.issue, key.name)
        self.issue.stories[sid] = story_copy(mine, sid)
        self.undo.resetClean()
        self._units_changed({UnitKey("story", sid)})
        return sid

    def give_back(self, keys=None) -> list:
        """Give check-outs back (all when None); undo steps on them are dropped (undoing
        them would change units this desk no longer holds)."""
        given = self.desk.give_back(keys)
        if given:
            self.drop_undo(set(given))
        return given

    def _compose(self, touched: E.Touched, text_of: str | None = None) -> None:
        if touched.styles:
            self.composer.invalidate_styles()
            self.geometry = PageGeometry.of(self.issue.paper)
        self.result = self.composer.compose(text_of)

    def edited(self, touched: E.Touched, composed: bool = False) -> None:
        """Called by commands after the model changed: compose again and tell the views."""
        if getattr(self, "_rebuilding", False):
            return
        if not composed:
            self._compose(touched)
        self.changed.emit(touched)

    # ------------------------------------------------------------ files
    def save(self, path: str | None = None, *, overwrite: bool = False) -> str:
        """Save atomically to ``path`` (or the document's own path); mark the stack clean.

        Over the document's own file: ``ChangedOnDisk`` (nothing written) when
        someone changed the file since it was read or last saved, unless
        ``overwrite``; ``ReadOnlyError`` when the document is read-only.  To
        another file: that file's lock is taken first (``ReadOnlyError`` when
        someone else holds it), the old one is released after the save and the
        document is editable from then on.
        """
        target = str(Path(path).resolve()) if path else self.path
        if self.desk is not None and (path is None or target == self.path):
            self.save_units()                  # an issue in a store: its changed units
            return self.path or self.desk.address
        if not target:
            raise ValueError("an untitled document needs a path")
        if target == self.path:
            if self.read_only:
                raise ReadOnlyError(target, self.held, self.read_only_reason)
            if overwrite:
                save_issue(self.issue, target)
                self.seen = lockfile.fingerprint(target)
            else:
                self.seen = lockfile.save_checked(self.issue, target, self.seen)
            self.touch_lock()
        else:
            got = lockfile.acquire(target)
            if isinstance(got, lockfile.LockHeld):
                raise ReadOnlyError(target, got)
            try:
                save_issue(self.issue, target)
            except BaseException:
                got.release()
                raise
            self.seen = lockfile.fingerprint(target)
            self._take(got)
            if self.desk is not None:          # saved out of the store: a file from now on
                self.desk.close()
                self.desk = None
            self.path = target
            self.composer.base_dir = self.base_dir
            self.pathChanged.emit(target)
        self.recovered = False
        self.undo.setClean()
        return target

    def _relock(self, target) -> bool:
        """Our lock was broken by someone: take it again if free, else become read-only."""
        try:
            got = lockfile.acquire(target)
        except OSError as exc:
            got = None
            reason = str(exc)
        if isinstance(got, lockfile.Lock):
            self._take(got)
            return True
        self.lock.released = True
        self.lock = None
        _LOCKED.discard(self)
        self.held = got
        self._set_read_only(True, got.describe() if got is not None else reason)
        return False
