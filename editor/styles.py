"""The Styles dock: paragraph and character styles, made, edited, renamed and deleted here.

Styles show their display names (``label``: 正文, 小标题 …) with the key as a
tooltip.  The dialog edits size in 号 or pt, leading in grid lines, indent in
字, the font role, colour and alignment.  Renaming a style renames its uses;
deleting one in use asks which style takes its place.  With the text cursor
placed, a double click applies a style (a character style to the selection),
and the direct-formatting row sets bold, size and colour on the selection (as
a local character style, reused when one with the same settings exists).  The
paragraph at the cursor is marked "+" when its runs carry character styles
(overrides).  Every change is one undo command.
"""
from __future__ import annotations

import copy

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox,
                               QFormLayout, QHBoxLayout, QInputDialog, QLabel, QLineEdit,
                               QListWidget, QListWidgetItem, QPushButton, QTabWidget,
                               QVBoxLayout, QWidget)

from layout import edits as E
from layout import model as m
from layout.position import StoryPos
from layout.units import DEFAULT_HAO, font_size

from .i18n import language, tr

PARA, CHAR = "paragraph_styles", "char_styles"
ALIGNS = ("justify", "left", "center", "right")


def display_name(issue: m.Issue, name: str, table: str = PARA) -> str:
    """What the UI calls a style: its (Chinese) label under a Chinese UI, else its key."""
    st = getattr(issue, table).get(name)
    if st is None or language() != "zh":
        return name
    return getattr(st, "label", "") or name


def color_label(name: str) -> str:
    """What the UI calls a swatch: the built-in black, red and grey in the UI's language,
    others by their name in the document."""
    key = "color." + name
    return tr(key) if key in _COLOR_KEYS else name


def bold_role(issue: m.Issue) -> str:
    """The font role bold text takes: the 'bold' character style's, else the headline role."""
    bold = issue.char_styles.get("bold")
    if bold is not None and bold.font:
        return bold.font
    return "headline" if "headline" in issue.fonts else next(iter(issue.fonts), "")


def _local_label(issue: m.Issue, cs: m.CharStyle) -> str:
    parts = []
    if cs.font and cs.font == bold_role(issue):
        parts.append(tr("fmt.bold"))
    elif cs.font:
        parts.append(cs.font)
    if cs.size:
        parts.append(cs.size)
    if cs.color:
        parts.append(color_label(cs.color))
    return tr("fmt.local", what=" ".join(parts))


_COLOR_KEYS = {"color.black", "color.red", "color.grey"}


def format_edit(issue: m.Issue, story: str, start, end, *, bold: bool | None = None,
                size: str | None = None, color: str | None = None) -> E.Edit | None:
    """Direct formatting of a selection: each run gets a character style with these settings.

    The settings are laid over the run's own character style; an existing
    style with the same settings is reused, else a local one ("局部 粗体 五号")
    is defined in the same edit.
    """
    st = issue.stories[story]
    start, end = sorted([StoryPos.of(start), StoryPos.of(end)])
    if start == end:
        return None
    edits: list[E.Edit] = []
    defined = dict(issue.char_styles)
    role = bold_role(issue)
    index = E.pos_to_index(st, start)
    for para in E.runs_between(st, start, end):
        for r in para:
            base = defined.get(r.style) or m.CharStyle()
            font = base.font
            if bold is True:
                font = role
            elif bold is False and font == role:
                font = ""
            want = m.CharStyle(font=font, size=base.size if size is None else size,
                               color=base.color if color is None else color)
            name = next((k for k, v in defined.items()
                         if (v.font, v.size, v.color) == (want.font, want.size, want.color)), None)
            if name is None and (want.font or want.size or want.color):
                name = E.new_style_name(m.Issue(char_styles=defined), CHAR, "local")
                want.label = _local_label(issue, want)
                defined[name] = want
                edits.append(E.SetStyleDef(name, want, CHAR))
            a = E.index_to_pos(st, index)
            b = E.index_to_pos(st, index + len(r.text))
            edits.append(E.SetCharStyle(story, a, b, name or ""))
            index += len(r.text)
        index += 1                      # the paragraph break
    return E.Batch(edits, "format") if edits else None


def selection_runs(issue: m.Issue, story: str, start, end) -> list[tuple[m.Run, str]]:
    """The runs of a selection, each with its paragraph's style."""
    st = issue.stories[story]
    start, end = sorted([StoryPos.of(start), StoryPos.of(end)])
    return [(r, st.paragraphs[start.para + i].style)
            for i, para in enumerate(E.runs_between(st, start, end)) for r in para if r.text]


def is_bold(issue: m.Issue, runs: list[tuple[m.Run, str]]) -> bool:
    """Whether every run is set in the bold role."""
    role = bold_role(issue)
    return bool(runs) and all(
        getattr(issue.char_styles.get(r.style), "font", "") == role or
        (not getattr(issue.char_styles.get(r.style), "font", "") and
         getattr(issue.paragraph_styles.get(ps), "font", "") == role) for r, ps in runs)


def next_size(issue: m.Issue, runs: list[tuple[m.Run, str]], direction: int) -> str | None:
    """The next bigger (+1) or smaller (-1) 号 from the first run's size (None at the end)."""
    if not runs:
        return None
    r, ps = runs[0]
    cs = issue.char_styles.get(r.style)
    size = (cs.size if cs is not None and cs.size else "") or \
        getattr(issue.paragraph_styles.get(ps), "size", "小五")
    table = issue.paper.hao or DEFAULT_HAO
    try:
        now = font_size(size, table)
    except Exception:
        return None
    ordered = sorted(table.items(), key=lambda kv: kv[1])
    if direction > 0:
        bigger = [k for k, v in ordered if v > now + 1e-6]
        return bigger[0] if bigger else None
    smaller = [k for k, v in ordered if v < now - 1e-6]
    return smaller[-1] if smaller else None


def overrides(issue: m.Issue, p: m.Paragraph) -> list[str]:
    """The character styles a paragraph's runs carry over its paragraph style."""
    seen = []
    for r in p.runs:
        if r.style and r.style not in seen:
            seen.append(r.style)
    return seen


class StyleDialog(QDialog):
    """Edit one paragraph or character style: label, font role, size, leading, indent …"""

    def __init__(self, issue: m.Issue, table: str, name: str, style, parent=None, *,
                 new: bool = False):
        super().__init__(parent)
        self.issue, self.table = issue, table
        self.setWindowTitle(tr("styles.new" if new else "styles.edit_title",
                               name=display_name(issue, name, table)))
        form = QFormLayout(self)
        self.key = QLineEdit(name)
        self.key.setEnabled(new)
        self.label = QLineEdit(style.label)
        form.addRow(tr("styles.key"), self.key)
        form.addRow(tr("styles.label"), self.label)
        self.font = QComboBox()
        if table == CHAR:
            self.font.addItem(tr("styles.inherit"), "")
        for role in issue.fonts:
            self.font.addItem(tr("role." + role) if ("role." + role) in _ROLE_KEYS else role, role)
        self.font.setCurrentIndex(max(0, self.font.findData(style.font)))
        form.addRow(tr("styles.font"), self.font)
        self.size = QComboBox()
        self.size.setEditable(True)
        if table == CHAR:
            self.size.addItem("")
        for hao in issue.paper.hao or DEFAULT_HAO:
            self.size.addItem(hao)
        self.size.setCurrentText(style.size)
        self.size.setToolTip(tr("styles.size_tip"))
        form.addRow(tr("styles.size"), self.size)
        self.color = QComboBox()
        if table == CHAR:
            self.color.addItem(tr("styles.inherit"), "")
        for c in issue.colors:
            self.color.addItem(color_label(c), c)
        self.color.setCurrentIndex(max(0, self.color.findData(style.color)))
        form.addRow(tr("styles.color"), self.color)
        if table == PARA:
            self.leading = _dspin(0.25, 100, 0.25, style.leading)
            self.indent = _dspin(0, 100, 0.5, style.indent)
            self.before = _dspin(0, 100, 0.5, style.space_before)
            self.after = _dspin(0, 100, 0.5, style.space_after)
            self.align = QComboBox()
            for a in ALIGNS:
                self.align.addItem(tr("align." + a), a)
            self.align.setCurrentIndex(max(0, self.align.findData(style.align)))
            self.keep = QCheckBox()
            self.keep.setChecked(style.keep_with_next)
            form.addRow(tr("styles.leading"), self.leading)
            form.addRow(tr("styles.indent"), self.indent)
            form.addRow(tr("styles.space_before"), self.before)
            form.addRow(tr("styles.space_after"), self.after)
            form.addRow(tr("styles.align"), self.align)
            form.addRow(tr("styles.keep"), self.keep)
        # 长/扁 type, for paragraph and character styles alike
        self.shape = shape_combo(style.shape, inherit=table == CHAR)
        form.addRow(tr("styles.shape"), self.shape)
        self.base = style
        self.error = QLabel()
        self.error.setStyleSheet("color: #c81e1e")
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("ok"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("cancel"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def style(self):
        """The style as the fields say."""
        st = copy.deepcopy(self.base)
        st.label = self.label.text().strip()
        st.font = self.font.currentData() or ""
        st.size = self.size.currentText().strip()
        st.color = self.color.currentData() or ""
        if self.table == PARA:
            st.leading = self.leading.value()
            st.indent = self.indent.value()
            st.space_before = self.before.value()
            st.space_after = self.after.value()
            st.align = self.align.currentData()
            st.keep_with_next = self.keep.isChecked()
        shape = self.shape.currentData() or ""
        if m.shape_scale(shape) != m.shape_scale(st.shape) or bool(shape) != bool(st.shape):
            st.shape = shape               # (长二 as written stays 长二)
        return st

    def problem(self) -> str:
        """What is wrong with the fields ("" when nothing)."""
        key = self.key.text().strip()
        if not key:
            return tr("styles.need_key")
        if self.key.isEnabled() and key in getattr(self.issue, self.table):
            return tr("styles.key_used", name=key)
        size = self.size.currentText().strip()
        if size or self.table == PARA:
            try:
                if font_size(size, self.issue.paper.hao) <= 0:
                    return tr("styles.bad_size", size=size)
            except Exception:
                return tr("styles.bad_size", size=size)
        return ""

    def _accept(self) -> None:
        msg = self.problem()
        if msg:
            self.error.setText(msg)
            return
        self.accept()


#: the 长/扁 settings offered (as Founder FIT names them), in the model's digit form
SHAPES = ("", "长1", "长2", "长3", "长4", "扁1", "扁2", "扁3", "扁4")


def shape_label(shape: str) -> str:
    """A 长/扁 setting in the UI language: 长2 → 长二（字宽 80%） / Condensed 2 (80 % wide)."""
    if not shape:
        return tr("shape.none")
    h, v = m.shape_scale(shape)
    n = round((1.0 - min(h, v)) * 10)
    return tr("shape.long" if shape[0] == "长" else "shape.flat", n=n,
              cn="一二三四"[n - 1], pct=round(min(h, v) * 100))


def shape_combo(current: str, inherit: bool = False) -> QComboBox:
    """A combo of the 长/扁 settings (a character style's first entry: the paragraph's)."""
    box = QComboBox()
    for sh in SHAPES:
        box.addItem(tr("styles.inherit") if inherit and not sh else shape_label(sh), sh)
    if current and box.findData(current) < 0:       # 长二 written in the file: 长2
        current = current[0] + str("一二三四".find(current[1]) + 1)
    box.setCurrentIndex(max(0, box.findData(current)))
    box.setToolTip(tr("styles.shape_tip"))
    return box


_ROLE_KEYS = {"role.body", "role.headline", "role.headline-heavy", "role.byline",
              "role.caption", "role.latin", "role.latin-headline"}


def _dspin(lo: float, hi: float, step: float, value: float) -> QDoubleSpinBox:
    s = QDoubleSpinBox()
    s.setRange(lo, hi)
    s.setSingleStep(step)
    s.setDecimals(2)
    s.setValue(value)
    return s


class StylesPanel(QWidget):
    """Paragraph and character styles of the issue, and direct formatting of the selection."""

    def __init__(self, doc, text, parent=None):
        super().__init__(parent)
        self.doc, self.text = doc, text
        self.message = None                 # callable(str): the window's status bar
        lay = QVBoxLayout(self)
        self.current = QLabel()
        lay.addWidget(self.current)
        self.tabs = QTabWidget()
        self.para_list = QListWidget()
        self.char_list = QListWidget()
        self.tabs.addTab(self.para_list, tr("para_style"))
        self.tabs.addTab(self.char_list, tr("char_style"))
        lay.addWidget(self.tabs, 1)
        row = QHBoxLayout()
        self.new_btn = QPushButton(tr("styles.new_btn"))
        self.edit_btn = QPushButton(tr("styles.edit_btn"))
        self.rename_btn = QPushButton(tr("styles.rename_btn"))
        self.delete_btn = QPushButton(tr("styles.delete_btn"))
        for b in (self.new_btn, self.edit_btn, self.rename_btn, self.delete_btn):
            row.addWidget(b)
        lay.addLayout(row)
        fmt = QHBoxLayout()
        self.bold_btn = QPushButton(tr("fmt.bold"))
        self.bold_btn.setCheckable(True)
        self.size_box = QComboBox()
        self.size_box.addItem(tr("fmt.size"), None)
        for hao in doc.issue.paper.hao or DEFAULT_HAO:
            self.size_box.addItem(hao, hao)
        self.color_box = QComboBox()
        self.color_box.addItem(tr("fmt.color"), None)
        for c in doc.issue.colors:
            self.color_box.addItem(color_label(c), c)
        self.clear_btn = QPushButton(tr("fmt.clear"))
        for w in (self.bold_btn, self.size_box, self.color_box, self.clear_btn):
            fmt.addWidget(w)
        lay.addLayout(fmt)
        self.new_btn.clicked.connect(lambda: self.new_style())
        self.edit_btn.clicked.connect(lambda: self.edit_style())
        self.rename_btn.clicked.connect(lambda: self.rename_style())
        self.delete_btn.clicked.connect(lambda: self.delete_style())
        self.para_list.itemDoubleClicked.connect(lambda it: self.apply(PARA, it.data(
            Qt.ItemDataRole.UserRole)))
        self.char_list.itemDoubleClicked.connect(lambda it: self.apply(CHAR, it.data(
            Qt.ItemDataRole.UserRole)))
        self.bold_btn.clicked.connect(lambda _on: self.toggle_bold())
        self.size_box.activated.connect(lambda i: self._format_from(self.size_box, "size"))
        self.color_box.activated.connect(lambda i: self._format_from(self.color_box, "color"))
        self.clear_btn.clicked.connect(lambda: self.apply(CHAR, ""))
        self._shown: tuple = ()
        # tests and callers may replace these questions
        self.run_dialog = lambda dlg: dlg.exec() == QDialog.DialogCode.Accepted
        self.ask_text = self._ask_text
        self.ask_choice = self._ask_choice
        doc.changed.connect(lambda _t: self.refresh())
        text.moved.connect(self.refresh)
        self.refresh()

    # ------------------------------------------------------------ showing
    def table(self) -> str:
        """The table of the tab shown."""
        return PARA if self.tabs.currentIndex() == 0 else CHAR

    def selected(self) -> str | None:
        """The key of the chosen style in the tab shown."""
        lst = self.para_list if self.table() == PARA else self.char_list
        it = lst.currentItem()
        return it.data(Qt.ItemDataRole.UserRole) if it is not None else None

    def select(self, table: str, name: str) -> None:
        """Show a tab and choose a style in it."""
        self.tabs.setCurrentIndex(0 if table == PARA else 1)
        lst = self.para_list if table == PARA else self.char_list
        for i in range(lst.count()):
            if lst.item(i).data(Qt.ItemDataRole.UserRole) == name:
                lst.setCurrentRow(i)

    def _here(self) -> tuple[str, list[str]]:
        """The paragraph style at the cursor and the overrides of its paragraph."""
        if not self.text.active:
            return "", []
        st = self.doc.issue.stories.get(self.text.story)
        if st is None or not st.paragraphs:
            return "", []
        p = st.paragraphs[min(self.text.pos.para, len(st.paragraphs) - 1)]
        return p.style, overrides(self.doc.issue, p)

    def showEvent(self, ev) -> None:
        """Shown (its tab raised): catch up with what changed while hidden."""
        super().showEvent(ev)
        self.refresh()

    def refresh(self) -> None:
        """List the styles (labels shown), marking the paragraph at the cursor.

        Nothing is done while the panel is hidden (typing stays cheap); it
        refreshes when shown.
        """
        if not self.isVisible():
            return
        issue = self.doc.issue
        here, over = self._here()
        key = (tuple((k, v.label) for k, v in issue.paragraph_styles.items()),
               tuple((k, v.label) for k, v in issue.char_styles.items()), here, tuple(over))
        if key != self._shown:
            self._shown = key
            for lst, table in ((self.para_list, PARA), (self.char_list, CHAR)):
                cur = lst.currentItem().data(Qt.ItemDataRole.UserRole) \
                    if lst.currentItem() is not None else None
                lst.blockSignals(True)
                lst.clear()
                if table == CHAR:
                    it = QListWidgetItem(tr("char_none"))
                    it.setData(Qt.ItemDataRole.UserRole, "")
                    lst.addItem(it)
                for name in getattr(issue, table):
                    label = display_name(issue, name, table)
                    if table == PARA and name == here and over:
                        label += "+"
                    it = QListWidgetItem(label)
                    it.setData(Qt.ItemDataRole.UserRole, name)
                    it.setToolTip(name if label.rstrip("+") != name else
                                  getattr(getattr(issue, table)[name], "label", ""))
                    if table == PARA and name == here:
                        f = it.font()
                        f.setBold(True)
                        it.setFont(f)
                    lst.addItem(it)
                    if name == cur:
                        lst.setCurrentItem(it)
                lst.blockSignals(False)
        if here:
            text = tr("styles.at_cursor", name=display_name(issue, here))
            if over:
                text += tr("styles.overrides", what="、".join(display_name(issue, o, CHAR)
                                                             for o in over))
            self.current.setText(text)
        else:
            self.current.setText(tr("styles.no_cursor"))
        on = self.text.active and self.text.selection() is not None
        for w in (self.bold_btn, self.size_box, self.color_box, self.clear_btn):
            w.setEnabled(on)

    def _say(self, msg: str) -> None:
        if self.message is not None:
            self.message(msg)

    # ------------------------------------------------------------ questions
    def _ask_text(self, title: str, label: str, value: str) -> str | None:
        text, ok = QInputDialog.getText(self, title, label, text=value)
        return text if ok else None

    def _ask_choice(self, title: str, label: str, items: list[tuple[str, str]]) -> str | None:
        names = [shown for shown, _ in items]
        got, ok = QInputDialog.getItem(self, title, label, names, 0, False)
        return dict(items).get(got) if ok else None

    # ------------------------------------------------------------ changing
    def new_style(self, table: str | None = None) -> str | None:
        """Define a new style (based on the chosen one) through the style dialog."""
        table = table or self.table()
        styles = getattr(self.doc.issue, table)
        base = styles.get(self.selected() or "") if table == self.table() else None
        base = copy.deepcopy(base) if base is not None else (
            m.ParagraphStyle() if table == PARA else m.CharStyle())
        base.label = ""
        name = E.new_style_name(self.doc.issue, table)
        dlg = StyleDialog(self.doc.issue, table, name, base, self, new=True)
        if not self.run_dialog(dlg):
            return None
        name = dlg.key.text().strip()
        if self.doc.push(E.SetStyleDef(name, dlg.style(), table), tr("undo.new_style")):
            self.select(table, name)
            return name
        return None

    def _chosen(self, table: str | None, name: str | None) -> "tuple[str, str] | None":
        """The table and name of the style to act on (by default the chosen one); None,
        and the user asked to choose one, when there is none."""
        table = table or self.table()
        name = name or self.selected()
        if not name or name not in getattr(self.doc.issue, table):
            self._say(tr("styles.choose"))
            return None
        return table, name

    def edit_style(self, table: str | None = None, name: str | None = None) -> bool:
        """Change the chosen style's settings through the style dialog."""
        if (chosen := self._chosen(table, name)) is None:
            return False
        table, name = chosen
        styles = getattr(self.doc.issue, table)
        dlg = StyleDialog(self.doc.issue, table, name, styles[name], self)
        if not self.run_dialog(dlg):
            return False
        new = dlg.style()
        if new == styles[name]:
            return False
        return self.doc.push(E.SetStyleDef(name, new, table), tr("undo.edit_style"))

    def rename_style(self, table: str | None = None, name: str | None = None) -> bool:
        """Rename: a built-in style gets a new display name; others a new key, uses and all."""
        if (chosen := self._chosen(table, name)) is None:
            return False
        table, name = chosen
        issue = self.doc.issue
        builtin = table == PARA and name in m.default_styles()
        got = self.ask_text(tr("styles.rename_btn"), tr("styles.rename_label" if builtin
                                                        else "styles.rename_key"),
                            display_name(issue, name, table) if builtin else name)
        if got is None or not got.strip():
            return False
        got = got.strip()
        if builtin:
            st = copy.deepcopy(getattr(issue, table)[name])
            st.label = got
            return self.doc.push(E.SetStyleDef(name, st, table), tr("undo.rename_style"))
        try:
            edit = E.rename_style(issue, name, got, table)
        except E.EditError as exc:
            self._say(str(exc))
            return False
        if self.doc.push(edit, tr("undo.rename_style")):
            self.select(table, got)
            return True
        return False

    def delete_style(self, table: str | None = None, name: str | None = None) -> bool:
        """Delete a style; when it is in use, ask which style its uses take."""
        if (chosen := self._chosen(table, name)) is None:
            return False
        table, name = chosen
        issue = self.doc.issue
        if table == PARA and name in m.default_styles():
            self._say(tr("styles.builtin", name=display_name(issue, name)))
            return False
        replacement = ""
        n = E.style_uses(issue, name, table)
        if n:
            items = [] if table == PARA else [(tr("char_none"), "")]
            items += [(display_name(issue, k, table), k) for k in getattr(issue, table)
                      if k != name]
            got = self.ask_choice(tr("styles.delete_btn"),
                                  tr("styles.replace_ask", name=display_name(issue, name, table),
                                     n=n), items)
            if got is None:
                return False
            replacement = got
        try:
            edit = E.delete_style(issue, name, replacement, table)
        except E.EditError as exc:
            self._say(str(exc))
            return False
        return self.doc.push(edit, tr("undo.delete_style"))

    def apply(self, table: str, name: str) -> bool:
        """Apply a style at the text cursor: a paragraph style, or a character style to the
        selection ("" removes character styles)."""
        if not self.text.active:
            self._say(tr("styles.no_cursor"))
            return False
        if table == PARA:
            self.text.apply_paragraph_style(name)
            return True
        if self.text.selection() is None:
            self._say(tr("styles.need_selection"))
            return False
        self.text.apply_char_style(name)
        return True

    def _format_from(self, box: QComboBox, what: str) -> None:
        value = box.currentData()
        box.setCurrentIndex(0)
        if value is not None:
            self.format(**{what: value})

    def toggle_bold(self) -> bool:
        """Bold on the selection, or off when it is all bold already (Ctrl+Shift+B)."""
        sel = self.text.selection() if self.text.active else None
        if sel is None:
            self._say(tr("styles.need_selection"))
            return False
        runs = selection_runs(self.doc.issue, self.text.story, *sel)
        return self.format(bold=not is_bold(self.doc.issue, runs))

    def step_size(self, direction: int) -> bool:
        """The next bigger or smaller 号 on the selection (Ctrl+Shift+> / <)."""
        sel = self.text.selection() if self.text.active else None
        if sel is None:
            self._say(tr("styles.need_selection"))
            return False
        size = next_size(self.doc.issue, selection_runs(self.doc.issue, self.text.story, *sel),
                         direction)
        return self.format(size=size) if size is not None else False

    def format(self, *, bold: bool | None = None, size: str | None = None,
               color: str | None = None) -> bool:
        """Direct formatting of the text selection (one undo step)."""
        sel = self.text.selection() if self.text.active else None
        if sel is None:
            self._say(tr("styles.need_selection"))
            return False
        edit = format_edit(self.doc.issue, self.text.story, *sel, bold=bold, size=size,
                           color=color)
        if edit is None:
            return False
        story, pos, anchor = self.text.story, self.text.pos, self.text.anchor
        ok = self.doc.push(edit, tr("undo.format"))
        if ok:
            self.text.start(story, pos, anchor)
        return ok
