"""The table dialog: rows, columns, header row, cell texts as a grid, column alignment,
the cells' paragraph style and the rules; one undo command when it is accepted."""
from __future__ import annotations

import copy
import math

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout,
                               QHBoxLayout, QSpinBox, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from layout import edits as E
from layout import model as m

from .i18n import tr

ALIGNS = ("left", "center", "right", "decimal")


class TableDialog(QDialog):
    """Edit a table frame's content (or a new table's, when ``table`` is None)."""

    def __init__(self, table: m.TableFrame | None, parent=None, styles=()):
        super().__init__(parent)
        self.setWindowTitle(tr("table.title"))
        t = table or m.TableFrame("", cells=[["", "", ""] for _ in range(4)])
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.rows, self.cols = QSpinBox(), QSpinBox()
        self.rows.setRange(1, 200)
        self.cols.setRange(1, 30)
        self.rows.setValue(max(1, t.n_rows))
        self.cols.setValue(max(1, t.n_columns))
        self.header = QCheckBox()
        self.header.setChecked(t.header)
        self.style = QComboBox()
        names = list(styles) or ([t.style] if t.style else [])
        for name in names:
            self.style.addItem(name, name)
        self.style.setCurrentIndex(max(0, self.style.findData(t.style)))
        form.addRow(tr("table.rows"), self.rows)
        form.addRow(tr("table.columns"), self.cols)
        form.addRow(tr("table.header"), self.header)
        form.addRow(tr("table.style"), self.style)
        self.rules = {}
        rules_row = QHBoxLayout()
        for key in ("outer", "header", "rows", "columns"):
            box = QCheckBox(tr("table.rules." + key))
            box.setChecked(getattr(t.rules, key))
            self.rules[key] = box
            rules_row.addWidget(box)
        form.addRow(tr("table.rules"), rules_row)
        lay.addLayout(form)
        self.align_row = QHBoxLayout()
        holder = QWidget()
        holder.setLayout(self.align_row)
        lay.addWidget(holder)
        self.aligns: list[QComboBox] = []
        self.grid = QTableWidget(self.rows.value(), self.cols.value())
        for r, row in enumerate(t.cells):
            for c, text in enumerate(row):
                self.grid.setItem(r, c, QTableWidgetItem(text))
        lay.addWidget(self.grid)
        self._rules_frame = t.rules
        self._align_values = list(t.align)
        self._sync_aligns()
        self.rows.valueChanged.connect(self.grid.setRowCount)
        self.cols.valueChanged.connect(self._columns_changed)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.resize(560, 380)

    def _columns_changed(self, n: int) -> None:
        self._align_values = [c.currentData() for c in self.aligns]
        self.grid.setColumnCount(n)
        self._sync_aligns()

    def _sync_aligns(self) -> None:
        n = self.cols.value()
        while len(self.aligns) > n:
            self.aligns.pop().deleteLater()
        while len(self.aligns) < n:
            combo = QComboBox()
            for a in ALIGNS:
                combo.addItem(tr("colalign." + a), a)
            i = len(self.aligns)
            value = self._align_values[i] if i < len(self._align_values) else "left"
            combo.setCurrentIndex(max(0, combo.findData(value)))
            self.aligns.append(combo)
            self.align_row.addWidget(combo)

    def set_cell(self, row: int, col: int, text: str) -> None:
        """Type a cell's text (as a user does in the grid)."""
        self.grid.setItem(row, col, QTableWidgetItem(text))

    def values(self) -> dict:
        """The table's fields as the dialog shows them."""
        cells = []
        for r in range(self.grid.rowCount()):
            row = []
            for c in range(self.grid.columnCount()):
                item = self.grid.item(r, c)
                row.append(item.text() if item is not None else "")
            cells.append(row)
        align = [c.currentData() for c in self.aligns]
        while align and align[-1] == "left":
            align.pop()
        rules = copy.deepcopy(self._rules_frame)
        for key, box in self.rules.items():
            setattr(rules, key, box.isChecked())
        return {"cells": cells, "header": self.header.isChecked(), "align": align,
                "style": self.style.currentData() or "caption", "rules": rules}


def table_edit(issue: m.Issue, page: int, table: m.TableFrame | None,
               values: dict) -> tuple[E.Edit | None, str]:
    """The edit the dialog's values make: the table's changed fields, or a new table frame
    (three columns wide, as many grid lines as its rows need, at the type area's corner)."""
    if table is not None:
        changes = {k: v for k, v in values.items() if getattr(table, k) != v}
        return (E.SetFrame(table.id, **changes) if changes else None), table.id
    fid = E.new_frame_id(issue, page, "table")
    st = issue.paragraph_styles.get(values.get("style", "caption"))
    per_row = max(1, int(math.ceil(st.leading))) if st is not None else 1
    frame = m.TableFrame(fid, col=0, line=0, cols=min(3, issue.paper.grid.columns),
                         lines=per_row * len(values["cells"]), **values)
    return E.AddFrame(page, frame), fid
