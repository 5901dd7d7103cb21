"""The Preflight dock: the layout's diagnostics plus the CLI ``check``'s output checks.

The output checks (``output.preflight.preflight`` in print mode: image
resolution, RGB images, fonts, colours, and whatever else it learns) run in a
worker thread once the edits pause, while the dock is shown (a hidden dock
checks when it is next shown: the thread would compete with typing for the
interpreter); their findings join the layout's.  Each entry takes you to its frame.  Messages show in the UI language.
"""
from __future__ import annotations

from PySide6.QtCore import QThread, QTimer, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from .i18n import diag_text, tr

LEVEL_COLORS = {"error": QColor(200, 30, 30), "warning": QColor(190, 120, 0),
                "info": QColor(90, 90, 90)}


class OutputChecks(QThread):
    """``output.preflight.preflight`` on one LayoutResult, off the GUI thread."""

    found = Signal(object, object)           # the result checked, list of diagnostics

    def __init__(self, result, fontset, options, parent=None):
        super().__init__(parent)
        self.result, self.fontset, self.options = result, fontset, options

    def run(self) -> None:
        """Run the checks; a failure becomes one finding, never a lost thread."""
        try:
            from output.preflight import preflight
            diags = list(preflight(self.result, self.fontset, self.options))
        except Exception as exc:             # shown in the dock, not raised in the thread
            from layout.result import Diagnostic
            diags = [Diagnostic("warning", "preflight-failed", f"{type(exc).__name__}: {exc}")]
        self.found.emit(self.result, diags)


class PreflightList(QTreeWidget):
    """Errors and warnings of the last layout and of the output checks (info entries last)."""

    goTo = Signal(int, str)           # page number, frame id ("" = none)
    checked = Signal()                # the output checks of the current layout are in

    def __init__(self, doc, parent=None, delay_ms: int = 1500):
        super().__init__(parent)
        self.doc = doc
        self.setColumnCount(3)
        self.setHeaderLabels([tr("pf.level"), tr("pf.page"), tr("pf.message")])
        self.setRootIsDecorated(False)
        self.setWordWrap(True)
        self._shown: tuple = ()
        self.output: list = []                 # the output checks' findings
        self._output_of = None                 # the LayoutResult they were found on
        self._worker: OutputChecks | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._delay = delay_ms
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._timed)
        self.itemActivated.connect(self._activate)
        self.itemClicked.connect(self._activate)
        doc.changed.connect(lambda _t: self._changed())
        self.refresh()

    def _changed(self) -> None:
        self.refresh()
        if self.isVisible():
            self._timer.start(self._delay)     # checks run when the edits pause

    def up_to_date(self) -> bool:
        """Whether the output checks ran on the document's current layout."""
        return self._output_of is self.doc.result

    def showEvent(self, ev) -> None:
        """Shown: check the current layout if that was not done yet."""
        super().showEvent(ev)
        if not self.up_to_date():
            self._timer.start(500)

    def _timed(self) -> None:
        if self.isVisible():                   # still shown (not a tab flashed at start-up)
            self.run_checks()

    def run_checks(self) -> None:
        """Start the output checks on the current layout (one worker at a time)."""
        if self._worker is not None and self._worker.isRunning():
            self._timer.start(self._delay)     # a run is going: try again after it
            return
        try:
            from output import PdfOptions
            options = PdfOptions.from_issue(self.doc.issue, mode="print")
        except Exception:                      # no output package: the layout's findings only
            return
        self._worker = OutputChecks(self.doc.result, self.doc.fontset, options, self)
        self._worker.found.connect(self._found)
        self._worker.start()

    def _found(self, result, diags) -> None:
        if result is not self.doc.result:      # the layout moved on: check again (when shown)
            if self.isVisible():
                self._timer.start(self._delay)
            return
        self.output, self._output_of = list(diags), result
        self.refresh()
        self.checked.emit()

    def diagnostics(self) -> list:
        """The layout's diagnostics and the output checks' (of the same layout)."""
        out = list(self.doc.result.diagnostics)
        if self.up_to_date():
            seen = {(d.code, d.message) for d in out}
            out += [d for d in self.output if (d.code, d.message) not in seen]
        return out

    def refresh(self) -> None:
        """List the diagnostics (only when they changed)."""
        order = {"error": 0, "warning": 1, "info": 2}
        diags = sorted(self.diagnostics(), key=lambda d: (order.get(d.level, 3), d.page))
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
            text = diag_text(d)
            it = QTreeWidgetItem([tr("level." + d.level), str(page or ""), text])
            it.setForeground(0, QBrush(LEVEL_COLORS.get(d.level, QColor(0, 0, 0))))
            frame = d.frame
            if not frame and d.story:
                st = self.doc.issue.stories.get(d.story)
                frame = st.thread[-1] if st is not None and st.thread else ""
            it.setData(0, Qt.ItemDataRole.UserRole, (page, frame))
            it.setToolTip(2, text)
            self.addTopLevelItem(it)
        if not diags:
            it = QTreeWidgetItem(["", "", tr("pf.none")])
            it.setData(0, Qt.ItemDataRole.UserRole, (0, ""))
            self.addTopLevelItem(it)
        self.resizeColumnToContents(0)
        self.resizeColumnToContents(1)

    def counts(self) -> tuple[int, int]:
        """(errors, warnings)."""
        diags = self.diagnostics()
        return (sum(d.level == "error" for d in diags), sum(d.level == "warning" for d in diags))

    def stop(self) -> None:
        """Wait for a running check (the window is closing)."""
        self._timer.stop()
        if self._worker is not None:
            self._worker.wait(10_000)

    def _activate(self, it, _col=0) -> None:
        page, frame = it.data(0, Qt.ItemDataRole.UserRole)
        if page:
            self.goTo.emit(page, frame)
