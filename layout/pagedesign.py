"""Reversible edits of page design: master pages (版式), layers and colour swatches.

They are ``layout.edits.Edit``s like every other change (apply / revert, a
``Touched`` record), kept here so the text and frame edits stay in one file
and these in another.  Nothing here imports Qt.
"""
from __future__ import annotations

import copy

from . import model as m
from .edits import (SETTINGS, Edit, EditError, Touched, Unit, _FieldEdit, _frame, _page,
                    _put_back, number_unit, page_unit)


def _all_pages(issue: m.Issue, master: str | None = None) -> set[int]:
    return {p.number for p in issue.pages if master is None or p.master == master}


def _page_state(issue: m.Issue) -> list:
    """What pages say about masters (their master, hidden and replaced master frames),
    for an undo to put back."""
    return [(p, p.master, list(p.hide_master), [(fr, fr.replaces) for fr in p.frames])
            for p in issue.pages]


def _restore_pages(state: list) -> None:
    for page, master, hidden, replaces in state:
        page.master = master
        page.hide_master[:] = hidden
        for fr, rep in replaces:
            fr.replaces = rep


def _names_master_frames(page: m.Page, ids: set[str]) -> bool:
    """Whether the page hides or replaces any of these master frames."""
    return any(f in ids for f in page.hide_master) or any(
        fr.replaces in ids for fr in page.frames if fr.replaces)


def _pages_naming(issue: m.Issue, ids: set[str], master: str | None = None) -> "set[Unit]":
    """The units of the pages (showing ``master``, when given) that hide or replace any of
    these master frames: what ``_forget_master_frames`` changes."""
    return {u for p in issue.pages if (master is None or p.master == master)
            and _names_master_frames(p, ids) for u in page_unit(p)}


def _forget_master_frames(page: m.Page, ids: set[str] | None = None) -> None:
    """A page stops hiding and replacing master frames (``ids``; None: all of them)."""
    page.hide_master[:] = [f for f in page.hide_master if ids is not None and f not in ids]
    for fr in page.frames:
        if fr.replaces and (ids is None or fr.replaces in ids):
            fr.replaces = ""


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

    def units(self, issue):
        """The settings (the masters); the pages that named a removed master, or hid or
        replaced frames a redefinition drops."""
        old = issue.masters.get(self.name)
        if self.master is None:
            if old is None:
                return set()
            return {SETTINGS} | {u for p in issue.pages if p.master == self.name
                                 for u in page_unit(p)}
        gone = {fr.id for fr in old.frames} - {fr.id for fr in self.master.frames} \
            if old is not None else set()
        return {SETTINGS} | _pages_naming(issue, gone, self.name)

    def apply(self, issue):
        """Set or remove the definition."""
        ms = issue.masters
        if self.master is not None:
            taken = {fr.id for _, fr in issue.frames()} | {
                fr.id for n, mp in ms.items() if n != self.name for fr in mp.frames}
            clash = next((fr.id for fr in self.master.frames if fr.id in taken), None)
            if clash:
                raise EditError(f"frame id '{clash}' is already used")
        self._old = (self.name in ms, ms.get(self.name), list(ms), _page_state(issue))
        if self.master is None:
            ms.pop(self.name, None)
            for p in issue.pages:
                if p.master == self.name:
                    p.master = ""
                    _forget_master_frames(p)
        else:
            ms[self.name] = copy.deepcopy(self.master)
            gone = {fr.id for fr in self._old[1].frames} - {fr.id for fr in self.master.frames} \
                if self._old[1] is not None else set()
            for p in issue.pages:
                if p.master == self.name and gone:
                    _forget_master_frames(p, gone)
        return Touched(pages=_all_pages(issue), structure=True)

    def revert(self, issue):
        """Restore the old definition in its old place, and the pages that used it."""
        had, old, order, pages = self._old
        _put_back(issue.masters, self.name, had, old, order)
        _restore_pages(pages)
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

    def units(self, issue):
        return {SETTINGS}

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

    def units(self, issue):
        return {SETTINGS}

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

    def units(self, issue):
        """The settings, and the pages that hid or replaced the frame."""
        return {SETTINGS} | _pages_naming(issue, {self.frame_id})

    def apply(self, issue):
        """Remove it; pages stop hiding or replacing it."""
        try:
            name, fr = issue.master_frame(self.frame_id)
        except KeyError:
            raise EditError(f"no master frame '{self.frame_id}'") from None
        frames = issue.masters[name].frames
        self._saved = (name, frames.index(fr), fr, _page_state(issue))
        frames.remove(fr)
        for p in issue.pages:
            _forget_master_frames(p, {self.frame_id})
        return Touched(frames={self.frame_id}, pages=_all_pages(issue, name), structure=True)

    def revert(self, issue):
        """Put it back where it was (and the pages that hid or replaced it)."""
        name, index, fr, pages = self._saved
        issue.masters[name].frames.insert(index, fr)
        _restore_pages(pages)
        return Touched(frames={self.frame_id}, pages=_all_pages(issue, name), structure=True)


class SetPage(Edit):
    """Change a page's fields: its master, the master frames it hides, its 版名.

    A page that changes master stops hiding and replacing the old one's frames
    (undo puts that back).
    """

    label = "page"

    def __init__(self, number: int, **changes):
        bad = set(changes) - {"master", "hide_master", "section"}
        if bad:
            raise EditError(f"Page has no field '{sorted(bad)[0]}' to set here")
        self.number, self.changes = number, copy.deepcopy(changes)
        self._old = None

    def units(self, issue):
        return number_unit(issue, self.number)

    def apply(self, issue):
        """Set the fields (a master that does not exist is refused)."""
        page = _page(issue, self.number)
        name = self.changes.get("master", page.master)
        if name and name not in issue.masters:
            raise EditError(f"no master page '{name}'")
        self._old = _page_state(issue), page.section
        if name != page.master:
            _forget_master_frames(page)
        for k, v in self.changes.items():
            setattr(page, k, copy.deepcopy(v))
        return Touched(pages={self.number}, structure=True)

    def revert(self, issue):
        """Put the page's old fields back."""
        pages, section = self._old
        _restore_pages(pages)
        _page(issue, self.number).section = section
        return Touched(pages={self.number}, structure=True)


def to_master(issue: m.Issue, frame_id: str, master: str) -> Edit:
    """Move a page frame onto a master page (it leaves any story thread it was in)."""
    from .edits import Batch, RemoveFrame
    _, fr = _frame(issue, frame_id)
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

    def _new_layer(self, issue):
        """frame → the layer it is on after the edit."""
        names = {ly.name for ly in self.layers}
        old_first = issue.layers[0].name if issue.layers else ""
        new_first = self.layers[0].name if self.layers else ""

        def new_layer(fr: m.Frame) -> str:
            name = fr.layer or old_first          # "" is the first layer: keep the frame on it
            new = self.renames.get(name, name)
            if new not in names or (not fr.layer and new == new_first):
                new = ""
            return new
        return new_layer

    def units(self, issue):
        """The settings (the layers, master frames); the pages with a frame that moves."""
        new_layer = self._new_layer(issue)
        out = {u for p in issue.pages if any(new_layer(fr) != fr.layer for fr in p.frames)
               for u in page_unit(p)}
        if issue.layers != self.layers or any(new_layer(fr) != fr.layer for ms in
                                              issue.masters.values() for fr in ms.frames):
            out.add(SETTINGS)
        return out

    def apply(self, issue):
        """Set the layers; move frames with renamed or removed layers."""
        frames = list(self._frames(issue))
        self._old = (copy.deepcopy(issue.layers), [(fr, fr.layer) for fr in frames])
        new_layer = self._new_layer(issue)
        for fr in frames:
            fr.layer = new_layer(fr)
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

    def units(self, issue):
        """The settings (the swatches; removing one nothing uses changes nothing else)."""
        return {SETTINGS}

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
        _put_back(issue.colors, self.name, had, old, order)
        return Touched(styles=True, pages=_all_pages(issue))


def _frame_color_refs(fr: m.Frame):
    """(frame, field) of the frame's colour references."""
    for attr in ("color", "fill"):
        if hasattr(fr, attr):
            yield fr, attr


def _color_refs(issue: m.Issue):
    """(object, field) of every colour reference in the issue: styles and frames."""
    for st in issue.paragraph_styles.values():
        yield st, "color"
    for cs in issue.char_styles.values():
        yield cs, "color"
    frames = [fr for _, fr in issue.frames()] + [
        fr for ms in issue.masters.values() for fr in ms.frames]
    for fr in frames:
        yield from _frame_color_refs(fr)


def _swatch_of(ref: str) -> str:
    try:
        return m.parse_color(ref)[0] if ref else ""
    except ValueError:
        return ""


def color_users(issue: m.Issue, name: str) -> list[str]:
    """What names the swatch (directly or as a tint), for messages."""
    out = []
    for obj, attr in _color_refs(issue):
        if _swatch_of(getattr(obj, attr)) == name:
            out.append(getattr(obj, "id", "") or type(obj).__name__)
    return out


class RemoveColor(SetColor):
    """Remove a swatch nothing uses (refused, naming the users, when something does)."""

    label = "delete swatch"

    def __init__(self, name: str):
        super().__init__(name, None)

    def apply(self, issue):
        """Remove it when unused."""
        users = color_users(issue, self.name)
        if users:
            raise EditError(f"swatch '{self.name}' is in use ({', '.join(users[:5])})")
        return super().apply(issue)


class RenameColor(Edit):
    """Rename a swatch; every style and frame naming it (or a tint of it) follows."""

    label = "rename swatch"

    def __init__(self, old: str, new: str):
        new = new.strip()
        if not new or "%" in new:
            raise EditError("a swatch needs a name without '%'")
        self.old, self.new = old, new
        self._saved = None

    def units(self, issue):
        """The settings (the swatches, styles, master frames); the pages with a frame
        naming the swatch."""
        return {SETTINGS} | {u for p in issue.pages if any(
            _swatch_of(getattr(fr, attr)) == self.old
            for f in p.frames for fr, attr in _frame_color_refs(f)) for u in page_unit(p)}

    def apply(self, issue):
        """Rename the swatch and rewrite the references."""
        if self.old not in issue.colors:
            raise EditError(f"no swatch '{self.old}'")
        if self.new in issue.colors or self.new in m.PAPER_NAMES:
            raise EditError(f"swatch '{self.new}' already exists")
        changed = []
        for obj, attr in list(_color_refs(issue)):
            ref = getattr(obj, attr)
            if _swatch_of(ref) == self.old:
                changed.append((obj, attr, ref))
                setattr(obj, attr, self.new + ref.strip()[len(self.old):])
        self._saved = (dict(issue.colors), changed)
        renamed = {(self.new if k == self.old else k): v for k, v in issue.colors.items()}
        issue.colors.clear()
        issue.colors.update(renamed)
        return Touched(styles=True, pages=_all_pages(issue))

    def revert(self, issue):
        """Put the old name and references back."""
        colors, changed = self._saved
        issue.colors.clear()
        issue.colors.update(colors)
        for obj, attr, ref in changed:
            setattr(obj, attr, ref)
        return Touched(styles=True, pages=_all_pages(issue))
