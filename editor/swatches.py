"""The Swatches dock: named CMYK swatches, tints, and applying them.

A swatch is edited in percent of each ink; applying it uses the tint field
("red 30%": every ink at 30 %).  It fills or strokes the selected boxes and
rules, colours the selected text (through a character style named after the
colour) or the paragraph style at the text cursor.  The paper (纸色) is a
colour too: white text on a filled box or band is reverse type (反白).  Every
change is one undo command.
"""
from __future__ import annotations

import dataclasses

from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (QFormLayout, QGridLayout, QHBoxLayout, QLineEdit, QListWidget,
                               QPushButton, QSpinBox, QVBoxLayout, QWidget)

from layout import edits as E
from layout import model as m
from layout import pagedesign as D

from .i18n import tr
from .namedlist import current_name, named_item, select_name
from .styles import color_label
from .render import cmyk_color

PAPER = "paper"


def _icon(cmyk) -> QIcon:
    pix = QPixmap(16, 16)
    pix.fill(cmyk_color(cmyk))
    return QIcon(pix)


def char_style_name(ref: str) -> str:
    """The character style that colours selected text: one per colour reference."""
    return f"color {ref}"


class SwatchesDock(QWidget):
    """Swatches of the issue, with a tint and buttons that apply them."""

    def __init__(self, doc, selection=lambda: [], text=None, parent=None):
        super().__init__(parent)
        self.doc, self.selection, self.text = doc, selection, text
        self._loading = False
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        self.list = QListWidget()
        self.list.currentRowChanged.connect(lambda _r: self._show_current())
        lay.addWidget(self.list)
        form = QFormLayout()
        self.name = QLineEdit()
        self.name.editingFinished.connect(self._rename)
        form.addRow(tr("swatch.name"), self.name)
        inks = QHBoxLayout()
        self.inks = []
        for label in "CMYK":
            w = QSpinBox()
            w.setRange(0, 100)
            w.setPrefix(label + " ")
            w.setSuffix("%")
            w.setKeyboardTracking(False)
            w.valueChanged.connect(lambda _v: self._set_value())
            inks.addWidget(w)
            self.inks.append(w)
        form.addRow("CMYK", inks)
        self.tint = QSpinBox()
        self.tint.setRange(0, 100)
        self.tint.setValue(100)
        self.tint.setSuffix(" %")
        form.addRow(tr("swatch.tint"), self.tint)
        lay.addLayout(form)
        grid = QGridLayout()
        self.buttons = {}
        for i, (key, slot) in enumerate((
                ("swatch.new", self.add), ("swatch.delete", self.delete),
                ("swatch.fill", lambda: self.apply_to_frames("fill")),
                ("swatch.stroke", lambda: self.apply_to_frames("color")),
                ("swatch.text", self.apply_to_text), ("swatch.para", self.apply_to_paragraph))):
            b = QPushButton(tr(key))
            b.clicked.connect(lambda _checked=False, f=slot: f())
            grid.addWidget(b, i // 2, i % 2)
            self.buttons[key] = b
        lay.addLayout(grid)
        doc.changed.connect(lambda t: None if t is not None and t.stories and not (
            t.frames or t.pages or t.styles or t.structure) else self.load())   # typing: no reload
        self.load()

    # ------------------------------------------------------------ showing
    def load(self) -> None:
        """Fill the list from the model, keeping the current swatch."""
        cur = self.current()
        self._loading = True
        try:
            self.list.clear()
            for name, cmyk in self.doc.issue.colors.items():
                self.list.addItem(named_item(f"{color_label(name)}  " + " ".join(
                    f"{round(v * 100)}" for v in cmyk), name, _icon(cmyk)))
            self.list.addItem(named_item(tr("swatch.paper"), PAPER, _icon((0, 0, 0, 0))))
            self.list.setCurrentRow(0)
            select_name(self.list, cur)
        finally:
            self._loading = False
        self._show_current()

    def current(self) -> str | None:
        """The name of the current swatch ("paper" for the paper)."""
        return current_name(self.list)

    def select(self, name: str) -> None:
        """Make a swatch current."""
        select_name(self.list, name)

    def _show_current(self) -> None:
        name = self.current()
        cmyk = self.doc.issue.colors.get(name, [0, 0, 0, 0]) if name else [0, 0, 0, 0]
        was, self._loading = self._loading, True
        try:
            self.name.setText(name if name and name != PAPER else "")
            editable = bool(name) and name != PAPER
            self.name.setEnabled(editable)
            for w, v in zip(self.inks, cmyk):
                w.setValue(round(v * 100))
                w.setEnabled(editable)
        finally:
            self._loading = was

    def reference(self) -> str | None:
        """The current swatch with the tint: "red", "red 30%", "paper"."""
        name = self.current()
        if name is None:
            return None
        t = self.tint.value()
        return name if t == 100 or name == PAPER else f"{name} {t}%"

    # ------------------------------------------------------------ swatches
    def _push(self, edit, text: str) -> bool:
        return self.doc.push(edit, text)

    def _set_value(self) -> None:
        name = self.current()
        if self._loading or not name or name == PAPER:
            return
        cmyk = [w.value() / 100 for w in self.inks]
        if [round(v, 4) for v in self.doc.issue.colors.get(name, [])] != cmyk:
            self._push(D.SetColor(name, cmyk), tr("dock.swatches"))

    def set_swatch(self, name: str, cmyk: list[float]) -> bool:
        """Define or redefine a swatch."""
        try:
            return self._push(D.SetColor(name, cmyk), tr("swatch.new"))
        except E.EditError as exc:
            self.doc.refused.emit(str(exc))
            return False

    def add(self, name: str = "", cmyk=(0.0, 0.0, 0.0, 1.0)) -> bool:
        """A new swatch (made current)."""
        n = len(self.doc.issue.colors) + 1
        while not name and tr("swatch.default_name", n=n) in self.doc.issue.colors:
            n += 1
        name = name or tr("swatch.default_name", n=n)
        ok = self.set_swatch(name, list(cmyk))
        if ok:
            self.select(name)
        return ok

    def delete(self) -> bool:
        """Remove the current swatch."""
        name = self.current()
        if not name or name == PAPER:
            return False
        return self._push(D.RemoveColor(name), tr("swatch.delete"))

    def _rename(self) -> None:
        old, new = self.current(), self.name.text().strip()
        if self._loading or not old or old == PAPER or not new or new == old:
            return
        try:
            edit = D.RenameColor(old, new)
        except E.EditError as exc:
            self.doc.refused.emit(str(exc))
            return
        if self._push(edit, tr("swatch.name")):
            self.select(new)

    # ------------------------------------------------------------ applying
    def apply_to_frames(self, field: str) -> bool:
        """Fill (``fill``) or stroke (``color``) the selected boxes and rules."""
        ref = self.reference()
        if ref is None:
            return False
        edits = []
        for fid in self.selection():
            fr = self.doc.issue.frame(fid)[1]
            if hasattr(fr, field) and getattr(fr, field) != ref and fr.kind in ("box", "rule"):
                edits.append(E.SetFrame(fid, **{field: ref}))
        return bool(edits) and self._push(E.Batch(edits, "colour"), tr(
            "swatch.fill" if field == "fill" else "swatch.stroke"))

    def apply_to_text(self) -> bool:
        """Colour the selected text: a character style of this colour on the selection."""
        ref = self.reference()
        t = self.text
        sel = t.selection() if t is not None and t.active else None
        if ref is None or sel is None:
            return False
        name = char_style_name(ref)
        edits = []
        if name not in self.doc.issue.char_styles:
            edits.append(E.SetStyleDef(name, m.CharStyle(color=ref), "char_styles"))
        edits.append(E.SetCharStyle(t.story, sel[0], sel[1], name))
        return self._push(E.Batch(edits, "text colour"), tr("swatch.text"))

    def apply_to_paragraph(self) -> bool:
        """Give the paragraph style at the text cursor (or of the selected frame) this colour."""
        ref = self.reference()
        style = self._paragraph_style()
        if ref is None or style is None:
            return False
        st = self.doc.issue.paragraph_styles[style]
        if st.color == ref:
            return False
        return self._push(E.SetParagraphStyleDef(style, dataclasses.replace(st, color=ref)),
                          tr("swatch.para"))

    def _paragraph_style(self) -> str | None:
        t = self.text
        issue = self.doc.issue
        if t is not None and t.active:
            story = issue.stories.get(t.story)
            if story is not None and t.pos.para < len(story.paragraphs):
                return story.paragraphs[t.pos.para].style
        ids = list(self.selection())
        if len(ids) == 1:
            fr = issue.frame(ids[0])[1]
            style = getattr(fr, "style", "") or getattr(fr, "title_style", "")
            return style if style in issue.paragraph_styles else None
        return None


def swatch_color(doc, ref: str) -> QColor:
    """The screen colour of a reference (for tests and previews)."""
    return cmyk_color(m.color_value(doc.issue.colors, ref) or (0, 0, 0, 1))
