"""The Preflight dock: the layout's diagnostics; each entry takes you to its frame."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from .i18n import tr

LEVEL_COLORS = {"error": QColor(200, 30, 30), "warning": QColor(190, 120, 0),
                "info": QColor(90, 90, 90)}


class PreflightList(QTreeWidget):
    """Errors and warnings of the last layout (info entries last)."""

    goTo = Signal(int, str)           # page number, frame id ("" = none)

    def __init__(self, doc, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.setColumnCount(3)
        self.setHeaderLabels([tr("pf.level"), tr("pf.page"), tr("pf.message")])
        self.setRootIsDecorated(False)
        self.setWordWrap(True)
        self._shown: tuple = ()
        self.itemActivated.connect(self._activate)
        self.itemClicked.connect(self._activate)
        doc.changed.connect(lambda _t: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        """List the diagnostics (only when they changed)."""
        order = {"error": 0, "warning": 1, "info": 2}
        diags = sorted(self.doc.result.diagnostics, key=lambda d: (order.get(d.level, 3), d.page))
        key = tuple(diags)
        if key == self._shown:
            return
        self._shown = key
        self.clear()
        for d in diags:
            page = d.page
            if not page and d.frame:
                try:
                    page = self.doc.page_of_frame(d.frame)
                except KeyError:
                    page = 0
            if not page and d.story:
                st = self.doc.issue.stories.get(d.story)
                if st is not None and st.thread:
                    page = self.doc.page_of_frame(st.thread[0])
            it = QTreeWidgetItem([tr("level." + d.level), str(page or ""), d.message])
            it.setForeground(0, QBrush(LEVEL_COLORS.get(d.level, QColor(0, 0, 0))))
            frame = d.frame
            if not frame and d.story:
                st = self.doc.issue.stories.get(d.story)
                frame = st.thread[-1] if st is not None and st.thread else ""
            it.setData(0, Qt.ItemDataRole.UserRole, (page, frame))
            it.setToolTip(2, d.message)
            self.addTopLevelItem(it)
        if not diags:
            it = QTreeWidgetItem(["", "", tr("pf.none")])
            it.setData(0, Qt.ItemDataRole.UserRole, (0, ""))
            self.addTopLevelItem(it)
        self.resizeColumnToContents(0)
        self.resizeColumnToContents(1)

    def counts(self) -> tuple[int, int]:
        """(errors, warnings)."""
        diags = self.doc.result.diagnostics
        return (sum(d.level == "error" for d in diags), sum(d.level == "warning" for d in diags))

    def _activate(self, it, _col=0) -> None:
        page, frame = it.data(0, Qt.ItemDataRole.UserRole)
        if page:
            self.goTo.emit(page, frame)
