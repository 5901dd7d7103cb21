"""The Story & copyfit dock: every story with its copyfit label, coloured.

Red: overset (超出 N 行 / N 字), blue: underset (缺 N 行), green: fits.
Stories can be dragged onto a text frame to place them.  For an issue in a store a
fourth column shows who holds the story checked out (a badge and the name; the tooltip
gives since when, the version and who changed it last), updated live.
"""
from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QDrag
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem

from .i18n import copyfit_label, tr
from .scene import copyfit_color
from .view import STORY_MIME


#: the 未排 label of a story in no frame
UNPLACED = QColor(120, 120, 120)


class StoryList(QTreeWidget):
    """Stories with their copyfit; double click goes to the story's first frame."""

    storyActivated = Signal(str)
    menuRequested = Signal(object, QPoint)     # story id (None: no story there), screen point

    def __init__(self, doc, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.desk = getattr(doc, "desk", None)
        self.setColumnCount(4 if self.desk is not None else 3)
        self.setHeaderLabels([tr("prop.story"), tr("copyfit"), tr("dock.pages")] +
                             ([tr("desk.col.holder")] if self.desk is not None else []))
        if self.desk is not None:
            self.desk.holdersChanged.connect(self.refresh)
        self.setRootIsDecorated(False)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.itemDoubleClicked.connect(
            lambda it, _c: self.storyActivated.emit(it.data(0, Qt.ItemDataRole.UserRole)))
        self._shown: tuple = ()
        # when an edit changed only copyfit labels (typing), the list follows a moment
        # after the last key (the page is repainted at once); any other change shows now
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(self.TYPING_DELAY_MS)
        self._later.timeout.connect(self.refresh)
        doc.changed.connect(self._changed)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self.refresh()

    #: how long after a text-only edit the copyfit labels are looked at again
    TYPING_DELAY_MS = 250

    def _changed(self, touched) -> None:
        rows = self._rows()
        if tuple(rows) == self._shown:
            self._later.stop()
        elif _text_only(touched) and self._shown and _labels_only(self._shown, rows):
            self._later.start()
        else:
            self.refresh(rows)

    def _menu(self, pt) -> None:
        it = self.itemAt(pt)
        if it is not None:
            self.setCurrentItem(it)
        sid = it.data(0, Qt.ItemDataRole.UserRole) if it is not None else None
        self.menuRequested.emit(sid, self.viewport().mapToGlobal(pt))

    def current_story(self) -> str | None:
        """The id of the selected story."""
        it = self.currentItem()
        return it.data(0, Qt.ItemDataRole.UserRole) if it is not None else None

    def refresh(self, rows: list | None = None) -> None:
        """Show the stories and their copyfit labels (only when something changed)."""
        self._later.stop()
        if rows is None:
            rows = self._rows()
        key = tuple(rows)
        if key == self._shown:
            return
        current = self.current_story()
        self._shown = key
        self.clear()
        for sid, name, label, pages, color, (who, mine, tip) in rows:
            it = QTreeWidgetItem([name, label, pages] + ([who] if self.desk is not None else []))
            it.setData(0, Qt.ItemDataRole.UserRole, sid)
            it.setToolTip(0, sid)
            if self.desk is not None:
                it.setToolTip(3, tip)
                if who:
                    from .desk import MINE, OTHERS, holder_icon
                    it.setIcon(3, holder_icon(MINE if mine else OTHERS))
            if color:
                it.setForeground(1, QBrush(Qt.GlobalColor.white))
                it.setBackground(1, QBrush(_qcolor(color)))
            self.addTopLevelItem(it)
            if sid == current:
                self.setCurrentItem(it)
        for c in range(self.columnCount()):
            self.resizeColumnToContents(c)

    def _rows(self) -> list[tuple]:
        """Per story: id, name, copyfit label, pages, label colour, holder."""
        doc = self.doc
        rows = []
        for sid, st in doc.issue.stories.items():
            cf = doc.result.copyfit.get(sid)
            label = copyfit_label(cf) if cf is not None else ""
            color = copyfit_color(cf).name() if cf is not None else ""
            if not st.thread:                  # imported, not placed yet: not "正好"
                label, color = tr("copyfit.unplaced"), UNPLACED.name()
            pages = sorted({doc.page_of_frame(f) for f in st.thread})
            name = st.name or st.headline.title or sid
            rows.append((sid, name, label, ",".join(map(str, pages)), color,
                         self._holder(sid)))
        return rows

    def _holder(self, sid: str) -> tuple[str, bool, str]:
        """(who holds the story: a name, "" for nobody; whether it is this desk; tooltip)."""
        if self.desk is None:
            return "", False, ""
        from store.base import UnitKey
        key = UnitKey("story", sid)
        h = self.desk.holder(key)
        tip = self.desk.tooltip(key)
        if h is None:
            return "", False, tip
        mine = h.is_desk(self.desk.store.desk)
        return (tr("desk.me") if mine else h.user), mine, tip

    def select_story(self, sid: str) -> None:
        """Highlight a story's row."""
        for i in range(self.topLevelItemCount()):
            it = self.topLevelItem(i)
            if it.data(0, Qt.ItemDataRole.UserRole) == sid:
                self.setCurrentItem(it)
                return

    def startDrag(self, actions) -> None:
        """Drag the story's id (drop it on a text frame to place it)."""
        sid = self.current_story()
        if sid is None:
            return
        md = QMimeData()
        md.setData(STORY_MIME, sid.encode("utf-8"))
        md.setText(sid)
        drag = QDrag(self)
        drag.setMimeData(md)
        drag.exec(Qt.DropAction.CopyAction)


def _text_only(touched) -> bool:
    """Whether an edit changed story text and nothing else (typing)."""
    return touched is not None and bool(touched.stories) and not (
        touched.frames or touched.pages or touched.styles or touched.structure)


def _labels_only(shown: tuple, rows: list) -> bool:
    """Whether only copyfit labels and their colours differ between two row lists."""
    return len(shown) == len(rows) and all(
        (a[0], a[1], a[3], a[5]) == (b[0], b[1], b[3], b[5]) for a, b in zip(shown, rows))


def _qcolor(name: str):
    from PySide6.QtGui import QColor
    return QColor(name)
