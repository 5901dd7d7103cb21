"""Export proof and print PDFs in a worker thread, with a progress dialog."""
from __future__ import annotations

from PySide6.QtCore import Qt, QThread, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog

from .dialogs import ask
from .i18n import tr


def pdf_options(issue, mode: str):
    """PdfOptions for an issue in a mode (proof | print)."""
    from output import PdfOptions
    return PdfOptions.from_issue(issue, mode=mode)


class ExportWorker(QThread):
    """Runs ``output.export_pdf`` off the GUI thread."""

    done = Signal(object)            # list of diagnostics
    refused = Signal(object)         # ExportRefused
    failed = Signal(str)

    def __init__(self, result, fontset, path: str, options, force: bool, parent=None):
        super().__init__(parent)
        self.result, self.fontset, self.path = result, fontset, path
        self.options, self.force = options, force

    def run(self) -> None:
        """Write the PDF."""
        try:
            from output import ExportRefused, export_pdf
        except ImportError as exc:
            self.failed.emit(f"output package unavailable: {exc}")
            return
        try:
            if getattr(self, "record", None):        # a proof of a saved issue: 校次 N
                from proofs.export import RoundNotRecorded, export_proof_round
                issue, issue_path = self.record
                try:
                    diags, _rnd = export_proof_round(issue, self.result, self.fontset,
                                                     self.path, issue_path, self.options,
                                                     force=self.force)
                except RoundNotRecorded as exc:     # the PDF is there: not a failure
                    diags = exc.diagnostics
            else:
                diags = export_pdf(self.result, self.fontset, self.path, self.options,
                                   force=self.force)
        except ExportRefused as exc:
            self.refused.emit(exc)
        except Exception as exc:            # any failure is shown, never lost in the thread
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.done.emit(diags)


class Exporter:
    """Starts exports and reports their outcome in dialogs (one at a time)."""

    def __init__(self, window):
        self.window = window
        self.worker: ExportWorker | None = None
        self.dialog: QProgressDialog | None = None

    def start(self, doc, path: str, mode: str, force: bool = False) -> ExportWorker:
        """Export the document's current layout to ``path``."""
        opts = pdf_options(doc.issue, mode)
        self.worker = ExportWorker(doc.result, doc.fontset, path, opts, force, self.window)
        if mode == "proof" and doc.path:
            import copy
            self.worker.record = (copy.deepcopy(doc.issue), doc.path)
        self.dialog = QProgressDialog(tr("export.running"), "", 0, 0, self.window)
        self.dialog.setCancelButton(None)
        self.dialog.setMinimumDuration(0)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        w = self.worker
        w.done.connect(lambda _d: self._finish(tr("export.done", path=path)))
        w.failed.connect(lambda msg: self._finish(msg, error=True))
        w.refused.connect(lambda exc: self._refused(doc, path, mode, exc))
        self.dialog.show()
        w.start()
        return w

    def _finish(self, msg: str, error: bool = False) -> None:
        if self.dialog is not None:
            self.dialog.close()
            self.dialog = None
        if error:
            QMessageBox.warning(self.window, tr("error"), msg)
        self.window.statusBar().showMessage(msg, 8000)

    def _refused(self, doc, path: str, mode: str, exc) -> None:
        self._finish("")
        errors = [d.message for d in exc.diagnostics if d.level == "error"]
        text = tr("export.refused", msgs="\n".join("• " + m for m in errors[:8]))
        R = QMessageBox.ButtonRole
        if ask(self.window, tr("export.print"), text,
               [("force", tr("export.force"), R.DestructiveRole),
                ("cancel", tr("cancel"), R.RejectRole)]) == "force":
            self.start(doc, path, mode, force=True)
