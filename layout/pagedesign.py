"""Reversible edits of page design: master pages (版式), layers and colour swatches.

They are ``layout.edits.Edit``s like every other change (apply / revert, a
``Touched`` record), kept here so the text and frame edits stay in one file
and these in another.  Nothing here imports Qt.
"""
from __future__ import annotations

import copy

from . import model as m
from .edits import Edit, EditError, Touched, _FieldEdit, _page


def _all_pages(issue: m.Issue, master: str | None = None) -> set[int]:
    return {p.number for p in issue.pages if master is None or p.master == master}


# ====================================================================== masters
class SetMasterDef(Edit):
    """Define, redefine or (with None) remove a master page; removing it also takes it
    off the pages that named it (undo puts it back on them)."""

    label = "master page"

    def __init__(self, name: str, master: m.Master | None):
        if not name.strip():
            raise EditError("a master page needs a name")
        self.name, self.master = name, copy.deepcopy(master)
        self._old = None

    def apply(self, issue):
        """Set or remove the definition."""
        ms = issue.masters
        if self.master is not None:
            taken = {fr.id for _, fr in issue.frames()} | {
                fr.id for n, mp in ms.items() if n != self.name for fr in mp.frames}
            clash = next((fr.id for fr in self.master.frames if fr.id in taken), None)
            if clash:
                raise EditError(f"frame id '{clash}' is already used")
        users = [p.number for p in issue.pages if p.master == self.name]
        self._old = (self.name in ms, ms.get(self.name), list(ms), users)
        if self.master is None:
            ms.pop(self.name, None)
            for p in issue.pages:
                if p.master == self.name:
                    p.master = ""
        else:
            ms[self.name] = copy.deepcopy(self.master)
        return Touched(pages=_all_pages(issue), structure=True)

    def revert(self, issue):
        """Restore the old definition in its old place, and the pages that used it."""
        had, old, order, users = self._old
        merged = dict(issue.masters)
        if had:
            merged[self.name] = old
        else:
            merged.pop(self.name, None)
        issue.masters.clear()
        issue.masters.update({k: merged[k] for k in order if k in merged})
        for p in issue.pages:
            if p.number in users:
                p.master = self.name
        return Touched(pages=_all_pages(issue), structure=True)


class SetMasterFrame(_FieldEdit):
    """Change fields of a master frame: every page showing the master changes."""

    label = "master frame"

    def __init__(self, frame_id: str, **changes):
        super().__init__(**changes)
        self.frame_id = frame_id

    def _target(self, issue):
        try:
            return issue.master_frame(self.frame_id)[1]
        except KeyError:
            raise EditError(f"no master frame '{self.frame_id}'") from None

    def _touched(self, issue):
        name = issue.master_frame(self.frame_id)[0]
        return Touched(frames={self.frame_id}, pages=_all_pages(issue, name))


class AddMasterFrame(Edit):
    """Add a frame to a master page (at the end of its drawing order, or at ``index``)."""

    label = "add master frame"

    def __init__(self, master: str, frame: m.Frame, index: int | None = None):
        if isinstance(frame, m.TextFrame):
            raise EditError("stories run through page frames only: a master cannot hold a "
                            "text frame")
        self.master, self.frame, self.index = master, copy.deepcopy(frame), index

    def apply(self, issue):
        """Insert a copy of the frame."""
        mp = issue.masters.get(self.master)
        if mp is None:
            raise EditError(f"no master page '{self.master}'")
        used = {fr.id for _, fr in issue.frames()} | {
            fr.id for ms in issue.masters.values() for fr in ms.frames}
        if self.frame.id in used:
            raise EditError(f"frame id '{self.frame.id}' is already used")
        mp.frames.insert(len(mp.frames) if self.index is None else self.index,
                         copy.deepcopy(self.frame))
        return Touched(frames={self.frame.id}, pages=_all_pages(issue, self.master),
                       structure=True)

    def revert(self, issue):
        """Take the frame away again."""
        mp = issue.masters[self.master]
        mp.frames[:] = [fr for fr in mp.frames if fr.id != self.frame.id]
        return Touched(frames={self.frame.id}, pages=_all_pages(issue, self.master),
                       structure=True)


class RemoveMasterFrame(Edit):
    """Remove a frame from its master page."""

    label = "delete master frame"

    def __init__(self, frame_id: str):
        self.frame_id = frame_id
        self._saved = None

    def apply(self, issue):
        """Remove it (pages hiding or replacing it keep their keys: undo needs them)."""
        try:
            name, fr = issue.master_frame(self.frame_id)
        except KeyError:
            raise EditError(f"no master frame '{self.frame_id}'") from None
        frames = issue.masters[name].frames
        users = [(p.number, list(p.hide_master)) for p in issue.pages]
        self._saved = (name, frames.index(fr), fr, users)
        frames.remove(fr)
        for p in issue.pages:
            p.hide_master[:] = [f for f in p.hide_master if f != self.frame_id]
        return Touched(frames={self.frame_id}, pages=_all_pages(issue, name), structure=True)

    def revert(self, issue):
        """Put it back where it was."""
        name, index, fr, users = self._saved
        issue.masters[name].frames.insert(index, fr)
        hidden = dict(users)
        for p in issue.pages:
            if p.number in hidden:
                p.hide_master[:] = hidden[p.number]
        return Touched(frames={self.frame_id}, pages=_all_pages(issue, name), structure=True)


class SetPage(_FieldEdit):
    """Change a page's fields: its master, the master frames it hides, its 版名."""

    label = "page"

    def __init__(self, number: int, **changes):
        super().__init__(**changes)
        self.number = number

    def _target(self, issue):
        return _page(issue, self.number)

    def apply(self, issue):
        """Set the fields (a master that does not exist is refused)."""
        name = self.changes.get("master", "")
        if name and name not in issue.masters:
            raise EditError(f"no master page '{name}'")
        return super().apply(issue)

    def _touched(self, issue):
        return Touched(pages={self.number}, structure=True)


def to_master(issue: m.Issue, frame_id: str, master: str) -> Edit:
    """Move a page frame onto a master page (it leaves any story thread it was in)."""
    from .edits import Batch, RemoveFrame
    try:
        page, fr = issue.frame(frame_id)
    except KeyError:
        raise EditError(f"no frame '{frame_id}'") from None
    if isinstance(fr, m.TextFrame):
        raise EditError("stories run through page frames only: a text frame stays on its page")
    moved = copy.deepcopy(fr)
    moved.replaces = ""
    return Batch([RemoveFrame(frame_id), AddMasterFrame(master, moved)], "to master")


def override(issue: m.Issue, page_number: int, frame_id: str) -> Edit:
    """Copy a master frame onto one page, where it replaces the master's (a local override)."""
    from .edits import AddFrame, new_frame_id
    try:
        _name, fr = issue.master_frame(frame_id)
    except KeyError:
        raise EditError(f"no master frame '{frame_id}'") from None
    local = copy.deepcopy(fr)
    local.id = new_frame_id(issue, page_number, fr.kind)
    local.replaces = frame_id
    return AddFrame(page_number, local)


# ====================================================================== layers
class SetLayers(Edit):
    """Replace the layer list (add, rename, reorder, hide, lock, printing or not).

    ``renames`` maps old layer names to new ones: frames follow their layer.
    Frames on a layer that is gone move to the first layer; frames on the first
    layer by default ("") stay on that layer when another one becomes the first.
    """

    label = "layers"

    def __init__(self, layers: list[m.Layer], renames: dict[str, str] | None = None):
        names = [ly.name for ly in layers]
        if any(not n.strip() for n in names):
            raise EditError("a layer needs a name")
        if len(set(names)) != len(names):
            raise EditError("two layers have the same name")
        self.layers, self.renames = copy.deepcopy(layers), dict(renames or {})
        self._old = None

    @staticmethod
    def _frames(issue):
        yield from (fr for _, fr in issue.frames())
        yield from (fr for ms in issue.masters.values() for fr in ms.frames)

    def apply(self, issue):
        """Set the layers; move frames with renamed or removed layers."""
        frames = list(self._frames(issue))
        self._old = (copy.deepcopy(issue.layers), [(fr, fr.layer) for fr in frames])
        names = {ly.name for ly in self.layers}
        old_first = issue.layers[0].name if issue.layers else ""
        new_first = self.layers[0].name if self.layers else ""
        for fr in frames:
            name = fr.layer or old_first          # "" is the first layer: keep the frame on it
            new = self.renames.get(name, name)
            if new not in names or (not fr.layer and new == new_first):
                new = ""
            fr.layer = new
        issue.layers[:] = copy.deepcopy(self.layers)
        return Touched(pages=_all_pages(issue), structure=True)

    def revert(self, issue):
        """Put the old layers and every frame's old layer back."""
        layers, frames = self._old
        issue.layers[:] = layers
        for fr, name in frames:
            fr.layer = name
        return Touched(pages=_all_pages(issue), structure=True)


# ====================================================================== colours
class SetColor(Edit):
    """Define, redefine or (with None) remove a CMYK swatch."""

    label = "swatch"

    def __init__(self, name: str, cmyk: list[float] | None):
        name = name.strip()
        if not name or "%" in name:
            raise EditError("a swatch needs a name without '%'")
        if cmyk is not None and (len(cmyk) != 4 or not all(0.0 <= v <= 1.0 for v in cmyk)):
            raise EditError("a swatch is four CMYK values from 0 to 1")
        self.name = name
        self.cmyk = [float(v) for v in cmyk] if cmyk is not None else None
        self._old = None

    def apply(self, issue):
        """Set or remove the swatch."""
        self._old = (self.name in issue.colors, issue.colors.get(self.name), list(issue.colors))
        if self.cmyk is None:
            issue.colors.pop(self.name, None)
        else:
            issue.colors[self.name] = list(self.cmyk)
        return Touched(styles=True, pages=_all_pages(issue))

    def revert(self, issue):
        """Restore the old swatch in its old place."""
        had, old, order = self._old
        merged = dict(issue.colors)
        if had:
            merged[self.name] = old
        else:
            merged.pop(self.name, None)
        issue.colors.clear()
        issue.colors.update({k: merged[k] for k in order if k in merged})
        return Touched(styles=True, pages=_all_pages(issue))
