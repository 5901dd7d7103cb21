"""The Master Pages dock (版式): create masters, apply them to pages, edit their frames.

A master's frames show on every page that names it, under the page's own
frames, with their fields filled per page ({page}, {page_cn}, {section},
{date}, {number}, {version}, {paper}).  Here a layout editor makes a master
from the frames selected on the page (they move onto it), applies a master
to the page shown or takes it off, edits a master frame's text and place
(every page using it follows), hides a master frame on one page, or copies
it onto the page to change it there alone (an override).  Every change is
one undo command.
"""
from __future__ import annotations

from PySide6.QtWidgets import (QFormLayout, QGridLayout, QLabel, QLineEdit, QListWidget,
                               QPushButton, QSpinBox, QVBoxLayout, QWidget)

from layout import edits as E
from layout import model as m
from layout import pagedesign as D

from .i18n import tr
from .namedlist import current_name, named_item, select_name

_TEXT_FIELDS = ("text", "caption")


class MastersDock(QWidget):
    """Masters of the issue and the frames of the current one."""

    def __init__(self, doc, page=lambda: 0, selection=lambda: [], parent=None):
        super().__init__(parent)
        self.doc, self.page, self.selection = doc, page, selection
        self._loading = False
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        self.page_label = QLabel()
        lay.addWidget(self.page_label)
        self.list = QListWidget()
        self.list.currentRowChanged.connect(lambda _r: self._load_frames())
        lay.addWidget(self.list)
        grid = QGridLayout()
        self.buttons = {}
        for i, (key, slot) in enumerate((
                ("master.new", self.new), ("master.delete", self.delete),
                ("master.apply", self.apply_to_page), ("master.none", self.remove_from_page),
                ("master.to_master", self.move_selection))):
            b = QPushButton(tr(key))
            b.clicked.connect(lambda _checked=False, f=slot: f())
            grid.addWidget(b, i // 2, i % 2)
            self.buttons[key] = b
        lay.addLayout(grid)
        lay.addWidget(QLabel(tr("master.frames")))
        self.frames = QListWidget()
        self.frames.currentRowChanged.connect(lambda _r: self._load_frame())
        lay.addWidget(self.frames)
        form = QFormLayout()
        self.text = QLineEdit()
        self.text.editingFinished.connect(self._text_edited)
        form.addRow(tr("master.text"), self.text)
        self.geo = []
        for key, hi in (("prop.col", 99), ("prop.line", 999), ("prop.cols", 99),
                        ("prop.lines", 999)):
            w = QSpinBox()
            w.setRange(0 if key in ("prop.col", "prop.line") else 1, hi)
            w.setKeyboardTracking(False)
            w.valueChanged.connect(lambda _v: self._geometry())
            form.addRow(tr(key), w)
            self.geo.append(w)
        lay.addLayout(form)
        row = QGridLayout()
        for i, (key, slot) in enumerate((("master.hide", self.toggle_hidden),
                                         ("master.override", self.override))):
            b = QPushButton(tr(key))
            b.clicked.connect(lambda _checked=False, f=slot: f())
            row.addWidget(b, 0, i)
            self.buttons[key] = b
        self.buttons["master.hide"].setCheckable(True)
        lay.addLayout(row)
        doc.changed.connect(lambda t: None if t is not None and t.stories and not (
            t.frames or t.pages or t.styles or t.structure) else self.load())   # typing: no reload
        self.load()

    # ------------------------------------------------------------ showing
    def load(self) -> None:
        """Fill the lists from the model."""
        issue = self.doc.issue
        cur, cur_frame = self.current(), self.current_frame()
        page = self._page()
        if page is not None and not cur and page.master:
            cur = page.master
        self._loading = True
        self.list.blockSignals(True)
        try:
            self.list.clear()
            for name in issue.masters:
                self.list.addItem(named_item(name, name))
            select_name(self.list, cur)
            self.page_label.setText(tr("master.page", name=page.master or tr("prop.none"))
                                    if page is not None else "")
        finally:
            self._loading = False
            self.list.blockSignals(False)
        self._load_frames(cur_frame)

    def _page(self) -> m.Page | None:
        try:
            return self.doc.page(self.page())
        except (KeyError, IndexError):
            return None

    def current(self) -> str | None:
        """The name of the selected master."""
        return current_name(self.list)

    def select(self, name: str) -> None:
        """Make a master current."""
        select_name(self.list, name)

    def current_frame(self) -> str | None:
        """The id of the selected master frame."""
        return current_name(self.frames)

    def select_frame(self, fid: str) -> None:
        """Make a master frame current."""
        select_name(self.frames, fid)

    def _load_frames(self, cur: str | None = None) -> None:
        name = self.current()
        cur = cur or self.current_frame()
        master = self.doc.issue.masters.get(name) if name else None
        was, self._loading = self._loading, True
        self.frames.blockSignals(True)
        try:
            self.frames.clear()
            for fr in master.frames if master is not None else []:
                label = getattr(fr, "text", "") or getattr(fr, "caption", "")
                self.frames.addItem(named_item(
                    f"{tr('kind.' + fr.kind)}  {fr.id}  {label}".strip(), fr.id))
            select_name(self.frames, cur)
        finally:
            self._loading = was
            self.frames.blockSignals(False)
        self._load_frame()

    def _frame(self):
        fid = self.current_frame()
        if not fid:
            return None
        try:
            return self.doc.issue.master_frame(fid)[1]
        except KeyError:
            return None

    def _load_frame(self) -> None:
        fr = self._frame()
        was, self._loading = self._loading, True
        try:
            field = next((f for f in _TEXT_FIELDS if hasattr(fr, f)), None)
            self.text.setEnabled(field is not None)
            self.text.setText(getattr(fr, field) if field else "")
            for w, v in zip(self.geo, (fr.col, fr.line, fr.cols, fr.lines) if fr else (0,) * 4):
                w.setValue(v)
                w.setEnabled(fr is not None and not fr.box)
            page = self._page()
            hide = self.buttons["master.hide"]
            hide.setChecked(bool(fr and page and fr.id in page.hide_master))
            hide.setEnabled(bool(fr and page and page.master == self.current()))
            self.buttons["master.override"].setEnabled(hide.isEnabled())
        finally:
            self._loading = was

    # ------------------------------------------------------------ masters
    def new(self, name: str = "") -> bool:
        """A new, empty master (made current)."""
        n = len(self.doc.issue.masters) + 1
        while not name and tr("master.default_name", n=n) in self.doc.issue.masters:
            n += 1
        name = name or tr("master.default_name", n=n)
        if name in self.doc.issue.masters:
            self.doc.refused.emit(f"master '{name}'")
            return False
        ok = self.doc.push(D.SetMasterDef(name, m.Master()), tr("master.new"))
        if ok:
            self.select(name)
        return ok

    def delete(self) -> bool:
        """Delete the selected master (pages using it show none)."""
        name = self.current()
        return bool(name) and self.doc.push(D.SetMasterDef(name, None), tr("master.delete"))

    def apply_to_page(self) -> bool:
        """The page shown uses the selected master."""
        name, page = self.current(), self._page()
        if not name or page is None or page.master == name:
            return False
        return self.doc.push(D.SetPage(page.number, master=name, hide_master=[]),
                             tr("master.apply"))

    def remove_from_page(self) -> bool:
        """The page shown uses no master."""
        page = self._page()
        if page is None or not page.master:
            return False
        return self.doc.push(D.SetPage(page.number, master="", hide_master=[]), tr("master.none"))

    def move_selection(self) -> bool:
        """Move the frames selected on the page onto the selected master (a page without
        a master takes it, so the frames stay where they were)."""
        name = self.current()
        ids = list(self.selection())
        if not name or not ids:
            return False
        try:
            edits = [D.to_master(self.doc.issue, fid, name) for fid in ids]
        except E.EditError as exc:
            self.doc.refused.emit(str(exc))
            return False
        page = self._page()
        if page is not None and not page.master:      # the frames stay in view: on its master
            edits.append(D.SetPage(page.number, master=name))
        return self.doc.push(E.Batch(edits, "to master"), tr("master.to_master"))

    # ------------------------------------------------------------ master frames
    def set_frame(self, fid: str, **changes) -> bool:
        """Change a master frame (every page using the master follows)."""
        fr = self.doc.issue.master_frame(fid)[1]
        changes = {k: v for k, v in changes.items() if getattr(fr, k) != v}
        return bool(changes) and self.doc.push(D.SetMasterFrame(fid, **changes),
                                               tr("dock.masters"))

    def _text_edited(self) -> None:
        fr = self._frame()
        if self._loading or fr is None:
            return
        field = next((f for f in _TEXT_FIELDS if hasattr(fr, f)), None)
        if field:
            self.set_frame(fr.id, **{field: self.text.text()})

    def _geometry(self) -> None:
        fr = self._frame()
        if self._loading or fr is None:
            return
        col, line, cols, lines = (w.value() for w in self.geo)
        self.set_frame(fr.id, col=col, line=line, cols=cols, lines=lines)

    def toggle_hidden(self) -> bool:
        """Hide the selected master frame on the page shown (or show it again)."""
        fr, page = self._frame(), self._page()
        if fr is None or page is None or page.master != self.current():
            return False
        hidden = [f for f in page.hide_master if f != fr.id]
        if fr.id not in page.hide_master:
            hidden.append(fr.id)
        return self.doc.push(D.SetPage(page.number, hide_master=hidden), tr("master.hide"))

    def override(self) -> bool:
        """Copy the selected master frame onto the page shown, replacing it there."""
        fr, page = self._frame(), self._page()
        if fr is None or page is None or page.master != self.current():
            return False
        if any(f.replaces == fr.id for f in page.frames):
            return False
        return self.doc.push(D.override(self.doc.issue, page.number, fr.id),
                             tr("master.override"))
