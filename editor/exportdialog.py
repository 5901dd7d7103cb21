"""The export dialog: proof or print, page range, watermark, frame outlines, the file.

``ExportDialog.options()`` gives the ``output.PdfOptions`` chosen; a page range
that names no page of the issue keeps the dialog open with one line saying why.
"""
from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog,
                               QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QVBoxLayout)

from .i18n import tr


def parse_pages(text: str, numbers: list[int]) -> list[int] | None:
    """Page numbers from "1-3, 5" (None: every page); ValueError names what is wrong."""
    text = text.strip().replace("，", ",").replace("－", "-").replace("–", "-")
    if not text:
        return None
    out: list[int] = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        m = re.fullmatch(r"(\d+)(?:\s*-\s*(\d+))?", part)
        if m is None:
            raise ValueError(tr("exportdlg.bad_range", part=part))
        a = int(m.group(1))
        b = int(m.group(2) or a)
        if b < a:
            a, b = b, a
        wanted = [n for n in numbers if a <= n <= b]
        if not wanted:
            raise ValueError(tr("exportdlg.no_page", part=part))
        out += [n for n in wanted if n not in out]
    return out


class ExportDialog(QDialog):
    """Choose how to export the issue as PDF."""

    def __init__(self, doc, mode: str = "proof", parent=None):
        super().__init__(parent)
        self.doc = doc
        self.setWindowTitle(tr("exportdlg.title"))
        lay = QVBoxLayout(self)
        form = QFormLayout()
        lay.addLayout(form)
        self.mode = QComboBox()
        self.mode.addItem(tr("exportdlg.proof"), "proof")
        self.mode.addItem(tr("exportdlg.print"), "print")
        self.mode.setCurrentIndex(max(0, self.mode.findData(mode)))
        form.addRow(tr("exportdlg.mode"), self.mode)
        numbers = [p.number for p in doc.issue.pages]
        self.pages = QLineEdit()
        self.pages.setPlaceholderText(tr("exportdlg.all_pages",
                                         first=min(numbers, default=1),
                                         last=max(numbers, default=1)))
        form.addRow(tr("exportdlg.pages"), self.pages)
        self.watermark = QCheckBox(tr("exportdlg.watermark"))
        self.watermark_text = QLineEdit("校样")
        row = QHBoxLayout()
        row.addWidget(self.watermark)
        row.addWidget(self.watermark_text)
        form.addRow(tr("exportdlg.proof_marks"), row)
        self.outlines = QCheckBox(tr("exportdlg.outlines"))
        form.addRow("", self.outlines)
        base = Path(doc.path).with_suffix("") if doc.path else Path(doc.base_dir) / "issue"
        self.path = QLineEdit(f"{base}-{mode}.pdf")
        browse = QPushButton(tr("prop.browse"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path)
        row.addWidget(browse)
        form.addRow(tr("exportdlg.file"), row)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #c81e1e")
        self.problem.setWordWrap(True)
        lay.addWidget(self.problem)
        buttons = QDialogButtonBox()
        buttons.addButton(tr("exportdlg.export"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(tr("cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.mode.currentIndexChanged.connect(self._mode_changed)
        self._mode_changed()

    def _mode_changed(self, _i=None) -> None:
        proof = self.mode.currentData() == "proof"
        for w in (self.watermark, self.watermark_text, self.outlines):
            w.setEnabled(proof)                  # print PDFs carry no proof marks
        p = self.path.text()
        other = "print" if proof else "proof"
        if p.endswith(f"-{other}.pdf"):
            self.path.setText(p[:-len(f"-{other}.pdf")] + f"-{self.mode.currentData()}.pdf")

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, tr("exportdlg.title"), self.path.text(),
                                              tr("files.pdf"))
        if path:
            self.path.setText(path)

    def mode_name(self) -> str:
        """proof | print."""
        return self.mode.currentData()

    def options(self):
        """The PdfOptions chosen (ValueError with a message for a bad page range)."""
        from output import PdfOptions
        pages = parse_pages(self.pages.text(), [p.number for p in self.doc.issue.pages])
        mode = self.mode_name()
        extra = {}
        if mode == "proof":
            extra = dict(watermark=self.watermark.isChecked(),
                         watermark_text=self.watermark_text.text().strip() or "校样",
                         frame_outlines=self.outlines.isChecked())
        return PdfOptions.from_issue(self.doc.issue, mode=mode, pages=pages, **extra)

    def accept(self) -> None:
        """Close only with a usable page range and a file name."""
        try:
            self.options()
        except ValueError as exc:
            self.problem.setText(str(exc))
            return
        if not self.path.text().strip():
            self.problem.setText(tr("exportdlg.no_file"))
            return
        super().accept()
