"""File → Import: read stories with ``importer``, let the editor accept or reject each repair."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout)

from layout import edits as E
from layout import model as m

from .i18n import language, tr


class ImportDialog(QDialog):
    """The repair report of one import: a checkbox per repair (checked = accepted)."""

    def __init__(self, result, parent=None):
        super().__init__(parent)
        from importer import KINDS
        self.result = result
        report = result.report
        self.setWindowTitle(tr("import.title", source=Path(report.source).name))
        self.resize(760, 480)
        lay = QVBoxLayout(self)
        self.summary = QLabel(tr("import.stories", n=len(result.stories)) + "  ·  " +
                              ", ".join(s.name or s.id for s in result.stories))
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        lay.addWidget(QLabel(tr("import.repairs")))
        self.tree = QTreeWidget()
        self.tree.setColumnCount(5)
        self.tree.setHeaderLabels(["", tr("import.col.line"), tr("import.col.before"),
                                   tr("import.col.after"), tr("import.col.evidence")])
        self.tree.setRootIsDecorated(False)
        for r in report.repairs:
            kind = KINDS.get(r.kind, r.kind) if language() == "zh" else r.kind.replace("-", " ")
            it = QTreeWidgetItem([kind, str(r.line), r.before[:60],
                                  r.after[:60], r.evidence])
            it.setData(0, Qt.ItemDataRole.UserRole, r.id)
            if r.actionable:
                it.setCheckState(0, Qt.CheckState.Checked if r.applied else Qt.CheckState.Unchecked)
            it.setToolTip(2, r.before)
            it.setToolTip(3, r.after)
            self.tree.addTopLevelItem(it)
        for c in range(5):
            self.tree.resizeColumnToContents(c)
        lay.addWidget(self.tree)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("ok"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def accepted_ids(self) -> set[str]:
        """The repairs left checked."""
        out = set()
        for i in range(self.tree.topLevelItemCount()):
            it = self.tree.topLevelItem(i)
            if it.checkState(0) == Qt.CheckState.Checked:
                out.add(it.data(0, Qt.ItemDataRole.UserRole))
        return out

    def final_result(self):
        """The import rebuilt with only the accepted repairs."""
        from importer import apply
        ids = self.accepted_ids()
        if ids == self.result.report.applied_ids():
            return self.result
        return apply(self.result.report, ids)


def import_edit(issue: m.Issue, result) -> E.Edit:
    """One edit adding the imported stories (and any character styles they use)."""
    edits: list[E.Edit] = []
    used = {r.style for s in result.stories for p in s.paragraphs for r in p.runs if r.style}
    from importer.styles import import_styles
    for name in sorted(used - set(issue.char_styles)):
        font = "headline" if name in ("bold", "strong", "dateline") else ""
        edits.append(E.SetStyleDef(name, m.CharStyle(font=font), "char_styles"))
    pused = {p.style for s in result.stories for p in s.paragraphs}
    for name in sorted(pused - set(issue.paragraph_styles)):
        edits.append(E.SetParagraphStyleDef(name, import_styles().get(name, m.ParagraphStyle())))
    for story in result.stories:
        st = dataclasses.replace(story, thread=[])      # every field: dateline, credit, editor
        edits.append(E.AddStory(st))
    return E.Batch(edits, "import")


def run_import(window, doc, path: str, ask: bool = True) -> bool:
    """Import a file into the document; show the repair report first when ``ask``."""
    from importer import ImportFailure, import_file
    try:
        result = import_file(path, issue_path=doc.path, existing_ids=list(doc.issue.stories))
    except ImportFailure as exc:
        window.show_error(str(exc))
        return False
    if ask:
        dlg = ImportDialog(result, window)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return False
        result = dlg.final_result()
    return doc.push(import_edit(doc.issue, result), "import")
