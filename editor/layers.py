"""The Layers dock: add, rename, reorder, show/hide, lock and set printing of layers.

The top row is the top layer (drawn last), as in InDesign and 飞腾.  Every change
is one ``layout.pagedesign.SetLayers`` edit on the undo stack; a rename takes
the layer's frames along.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QGridLayout, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from layout import edits as E
from layout import model as m
from layout import pagedesign as D

from .i18n import tr

_FLAGS = ("visible", "locked", "printable")


class LayersDock(QWidget):
    """The issue's layers, top layer first."""

    def __init__(self, doc, selection=lambda: [], parent=None):
        super().__init__(parent)
        self.doc, self.selection = doc, selection
        self._loading = False
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([tr("layer.name"), tr("layer.visible"),
                                              tr("layer.locked"), tr("layer.printable")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.itemChanged.connect(self._item_changed)
        lay.addWidget(self.table)
        row = QGridLayout()                  # two rows: the dock fits a 1366-wide screen
        self.buttons = {}
        for i, (key, slot) in enumerate((
                ("layer.new", self.add), ("layer.delete", self.delete),
                ("layer.up", lambda: self.move(1)), ("layer.down", lambda: self.move(-1)),
                ("layer.assign", self.assign))):
            b = QPushButton(tr(key))
            b.clicked.connect(lambda _checked=False, f=slot: f())
            row.addWidget(b, i // 3, i % 3)
            self.buttons[key] = b
        lay.addLayout(row)
        doc.changed.connect(lambda t: None if t is not None and t.stories and not (
            t.frames or t.pages or t.styles or t.structure) else self.load())   # typing: no reload
        self.load()

    # ------------------------------------------------------------ showing
    def _index(self, row: int) -> int:
        """The position in ``issue.layers`` of a table row (rows are top first)."""
        return len(self.doc.issue.layers) - 1 - row

    def load(self) -> None:
        """Fill the table from the model."""
        layers = self.doc.issue.layers
        current = self.current()
        self._loading = True
        try:
            self.table.setRowCount(len(layers))
            for row, ly in enumerate(reversed(layers)):
                name = QTableWidgetItem(ly.name)
                self.table.setItem(row, 0, name)
                for col, flag in enumerate(_FLAGS, 1):
                    it = QTableWidgetItem()
                    it.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled |
                                Qt.ItemFlag.ItemIsSelectable)
                    it.setCheckState(Qt.CheckState.Checked if getattr(ly, flag)
                                     else Qt.CheckState.Unchecked)
                    self.table.setItem(row, col, it)
            names = [ly.name for ly in layers]
            if current in names:
                self.table.selectRow(len(layers) - 1 - names.index(current))
        finally:
            self._loading = False

    def current(self) -> str | None:
        """The name of the selected layer."""
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        i = self._index(rows[0].row())
        layers = self.doc.issue.layers
        return layers[i].name if 0 <= i < len(layers) else None

    # ------------------------------------------------------------ editing
    def _push(self, layers: list[m.Layer], renames: dict | None = None, text: str = "") -> bool:
        try:
            edit = D.SetLayers(layers, renames)
        except E.EditError as exc:
            self.doc.refused.emit(str(exc))
            self.load()
            return False
        return self.doc.push(edit, text or tr("dock.layers"))

    def _copy(self) -> list[m.Layer]:
        return [m.Layer(ly.name, ly.visible, ly.locked, ly.printable)
                for ly in self.doc.issue.layers]

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._loading:
            return
        layers = self._copy()
        i = self._index(item.row())
        if not 0 <= i < len(layers):
            return
        if item.column() == 0:
            new, old = item.text().strip(), layers[i].name
            if new == old:
                return
            layers[i].name = new
            self._push(layers, {old: new})
        else:
            setattr(layers[i], _FLAGS[item.column() - 1],
                    item.checkState() == Qt.CheckState.Checked)
            self._push(layers)

    def set_flag(self, name: str, flag: str, on: bool) -> bool:
        """Show/hide, lock/unlock or set the printing of a layer."""
        layers = self._copy()
        for ly in layers:
            if ly.name == name:
                setattr(ly, flag, on)
        return self._push(layers)

    def rename(self, old: str, new: str) -> bool:
        """Rename a layer (its frames follow)."""
        layers = self._copy()
        for ly in layers:
            if ly.name == old:
                ly.name = new
        return self._push(layers, {old: new})

    def add(self, name: str = "") -> bool:
        """A new layer on top."""
        layers = self._copy()
        names = {ly.name for ly in layers}
        n = len(layers) + 1
        while not name and tr("layer.default_name", n=n) in names:
            n += 1
        layers.append(m.Layer(name or tr("layer.default_name", n=n)))
        ok = self._push(layers, text=tr("layer.new"))
        if ok:
            self.table.selectRow(0)
        return ok

    def delete(self) -> bool:
        """Delete the selected layer (its frames go to the first layer)."""
        name = self.current()
        if name is None:
            return False
        return self._push([ly for ly in self._copy() if ly.name != name], text=tr("layer.delete"))

    def move(self, step: int) -> bool:
        """Move the selected layer up (+1: drawn later) or down."""
        name = self.current()
        layers = self._copy()
        names = [ly.name for ly in layers]
        if name is None:
            return False
        i = names.index(name)
        j = i + step
        if not 0 <= j < len(layers):
            return False
        layers[i], layers[j] = layers[j], layers[i]
        ok = self._push(layers)
        if ok:
            self.table.selectRow(len(layers) - 1 - j)
        return ok

    def assign(self, name: str | None = None) -> bool:
        """Put the selected frames on the selected layer (or on ``name``)."""
        name = name or self.current()
        ids = list(self.selection())
        if name is None or not ids:
            return False
        first = self.doc.issue.layers[0].name if self.doc.issue.layers else ""
        value = "" if name == first else name
        edits = [E.SetFrame(fid, layer=value) for fid in ids
                 if self.doc.issue.frame(fid)[1].layer != value]
        return bool(edits) and self.doc.push(E.Batch(edits, "layer"), tr("layer.assign"))
