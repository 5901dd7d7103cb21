"""Small dialogs with translated buttons (Qt's own button texts are not translated here)."""
from __future__ import annotations

from PySide6.QtWidgets import QMessageBox


def ask(parent, title: str, text: str, buttons: list[tuple[str, str, object]]) -> str:
    """A question with translated buttons [(key, label, role)]; the key of the one clicked."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton,
                      parent)
    made = {box.addButton(label, role): key for key, label, role in buttons}
    box.setDefaultButton(next(iter(made)))
    box.exec()
    return made.get(box.clickedButton(), buttons[-1][0])
