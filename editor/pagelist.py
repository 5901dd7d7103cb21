"""The Pages dock: a thumbnail per page; clicking one shows it.

Thumbnails are drawn greeked (text lines as grey bars) from the LayoutResult,
and redrawn a moment after the edits stop, only for pages whose frames changed.

For an issue in a store each page shows who holds it checked out: the name under the
thumbnail, a badge in its corner (red: another desk, green: this one) and a tooltip
with since when, the page's version and who changed it last — updated live.
"""
from __future__ import annotations

from PySide6.QtCore import QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QListView, QListWidget, QListWidgetItem

from .i18n import tr
from .render import PixmapCache, paint_thumbnail

THUMB = 150      # px, the thumbnail's longer side


class PageList(QListWidget):
    """Thumbnails of the issue's pages."""

    pageChosen = Signal(int)
    menuRequested = Signal(object, QPoint)     # page number (None: no page there), screen point

    def __init__(self, doc, images: PixmapCache, parent=None):
        super().__init__(parent)
        self.doc, self.images = doc, images
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.TopToBottom)
        self.setWrapping(False)
        self.setMovement(QListView.Movement.Static)
        self.setIconSize(QSize(THUMB, THUMB))
        self.setSpacing(6)
        self._drawn: dict[int, tuple] = {}
        self._thumbs: dict[int, QPixmap] = {}        # without the holder's badge
        self._badged: dict[int, tuple] = {}
        if getattr(doc, "desk", None) is not None:
            doc.desk.holdersChanged.connect(self.show_holders)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(700)
        self._timer.timeout.connect(self.redraw)
        self.itemClicked.connect(lambda it: self.pageChosen.emit(it.data(Qt.ItemDataRole.UserRole)))
        doc.changed.connect(lambda _t: self._timer.start())
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self.redraw()

    def _menu(self, pt) -> None:
        it = self.itemAt(pt)
        number = it.data(Qt.ItemDataRole.UserRole) if it is not None else None
        self.menuRequested.emit(number, self.viewport().mapToGlobal(pt))

    def redraw(self) -> None:
        """Draw the thumbnails of pages that changed; add and remove list entries."""
        pages = self.doc.result.pages
        if self.count() != len(pages):
            self.clear()
            self._drawn.clear()
            for pr in pages:
                it = QListWidgetItem(tr("page_n", n=pr.number))
                it.setData(Qt.ItemDataRole.UserRole, pr.number)
                it.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
                self.addItem(it)
        for i, pr in enumerate(pages):
            it = self.item(i)
            it.setData(Qt.ItemDataRole.UserRole, pr.number)
            it.setText(tr("page_n", n=pr.number))
            key = tuple(id(fr) for fr in pr.frames)
            if self._drawn.get(pr.number) == key:
                continue
            self._drawn[pr.number] = key
            self._thumbs[pr.number] = self._thumbnail(pr)
            self._badged.pop(pr.number, None)
        self.show_holders()

    def holder_of(self, number: int):
        """(key, Holder or None) of the page printed with this number; None without a store."""
        desk = getattr(self.doc, "desk", None)
        page = next((p for p in self.doc.issue.pages if p.number == number), None)
        if desk is None or page is None or not page.id:
            return None
        from store.base import UnitKey
        key = UnitKey("page", page.id)
        return key, desk.holder(key)

    def show_holders(self) -> None:
        """Names, badges and tooltips of who holds each page (an issue in a store)."""
        from .desk import MINE, OTHERS
        for i in range(self.count()):
            it = self.item(i)
            number = it.data(Qt.ItemDataRole.UserRole)
            found = self.holder_of(number)
            h = found[1] if found is not None else None
            mine = h is not None and h.is_desk(self.doc.desk.store.desk)
            text = tr("page_n", n=number)
            if h is not None:
                text += " · " + (tr("desk.me") if mine else h.user)
            it.setText(text)
            it.setToolTip(self.doc.desk.tooltip(found[0]) if found is not None else "")
            state = (None if h is None else mine, id(self._thumbs.get(number)))
            if self._badged.get(number) == state or number not in self._thumbs:
                continue
            self._badged[number] = state
            pix = self._thumbs[number]
            if h is not None:
                pix = QPixmap(pix)
                p = QPainter(pix)
                p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
                c = MINE if mine else OTHERS
                p.setBrush(c)
                p.setPen(c.darker(140))
                r = max(6, pix.width() // 8)
                p.drawEllipse(pix.width() - r - 3, 3, r, r)
                p.end()
            it.setIcon(QIcon(pix))

    def _thumbnail(self, pr) -> QPixmap:
        s = THUMB / max(pr.width, pr.height)
        pix = QPixmap(max(1, int(pr.width * s)), max(1, int(pr.height * s)))
        pix.fill(QColor(255, 255, 255))
        p = QPainter(pix)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.scale(s, s)
        paint_thumbnail(p, pr, self.doc.result.colors, self.images)
        p.end()
        return pix

    def select_page(self, number: int) -> None:
        """Highlight the entry of the shown page."""
        for i in range(self.count()):
            if self.item(i).data(Qt.ItemDataRole.UserRole) == number:
                self.setCurrentRow(i)
                return
