"""List widgets whose items carry a name (a master, a swatch, a frame id) beside their
label: the current name and choosing an item by name."""
from __future__ import annotations

from PySide6.QtWidgets import QListWidget, QListWidgetItem

NAME = 256          # Qt.UserRole: where an item keeps its name


def named_item(label: str, name: str, icon=None) -> QListWidgetItem:
    it = QListWidgetItem(icon, label) if icon is not None else QListWidgetItem(label)
    it.setData(NAME, name)
    return it


def current_name(lst: QListWidget) -> str | None:
    """The name of the current item (None: no item is current)."""
    it = lst.currentItem()
    return it.data(NAME) if it is not None else None


def names(lst: QListWidget) -> list[str]:
    return [lst.item(i).data(NAME) for i in range(lst.count())]


def select_name(lst: QListWidget, name: str | None) -> None:
    """Make the item with this name current (nothing when there is none)."""
    if name in (got := names(lst)):
        lst.setCurrentRow(got.index(name))
