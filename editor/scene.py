"""The page scene: one page of the issue with its frames, kept in step with the layout.

After every recompose ``refresh`` walks the shown page's FrameResults and
updates only the frame items whose result object changed (the Composer hands
back the same FrameResult for frames it did not refill), then recomputes the
cheap decorations: ports, copyfit badges, jump markers and thread arrows.
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsScene

from layout import gcpause
from layout import model as m

from .i18n import copyfit_label, tr
from .items import FITS, OVERSET, UNDERSET, Deco, FrameItem, PageItem
from .overlays import CursorItem, GhostItem, ThreadItem, TipItem
from .render import FontCache, PixmapCache


@dataclass
class SceneContext:
    """What frame items need to paint: fonts, image previews, colour swatches."""
    fonts: FontCache
    images: PixmapCache
    colors: dict


def copyfit_color(cf) -> QColor:
    """Red for overset, blue for underset, green when the story fits."""
    if cf.overset_lines or cf.overset_chars:
        return OVERSET
    if cf.underset_lines:
        return UNDERSET
    return FITS


SPREAD_GAP = 0.0        # pt between facing pages (they meet at the fold)


class PageScene(QGraphicsScene):
    """The shown page, its frames and the editing overlays."""

    selectionIdsChanged = Signal()
    pageShown = Signal(int)

    def __init__(self, doc, fonts: FontCache, images: PixmapCache, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.ctx = SceneContext(fonts, images, dict(doc.result.colors))
        self.page_number = doc.issue.pages[0].number if doc.issue.pages else 0
        self.page_item = PageItem(doc.geometry)
        self.addItem(self.page_item)
        self.frames: dict[str, FrameItem] = {}
        self.selection: list[str] = []
        self.show_all_threads = False
        self.preview = False
        self.view_scale = (1.0, 1.0)
        #: spread view: the facing page shown beside this one (drawn, not edited)
        self.spread = False
        self.partner_page = PageItem(doc.geometry)
        self.partner_page.setVisible(False)
        self.addItem(self.partner_page)
        self.partner_frames: list[FrameItem] = []
        self._partner_key: tuple = ()
        self.threads = ThreadItem()
        self.cursor = CursorItem()
        self.ghost = GhostItem()
        self.tip = TipItem()
        for item in (self.threads, self.cursor, self.ghost, self.tip):
            self.addItem(item)
        self.cursor.setVisible(False)
        self._set_rect()
        self.refresh()
        doc.changed.connect(self.refresh)
        self._warm_pending = doc.result         # for warm_up, after the first paint

    def _set_rect(self) -> None:
        g = self.doc.geometry
        r = QRectF(-g.width * 0.6, -g.height * 0.12, g.width * 2.2, g.height * 1.24)
        if self.spread:
            r = r.united(r.translated(-(g.width + SPREAD_GAP), 0)).united(
                r.translated(g.width + SPREAD_GAP, 0))
        self.setSceneRect(r)

    # ------------------------------------------------------------ spread view
    def partner_number(self) -> int | None:
        """The facing page of the shown one (2|3, 4|5 …: even pages on the left), if any."""
        numbers = [p.number for p in self.doc.issue.pages]
        n = self.page_number
        other = n + 1 if n % 2 == 0 else n - 1
        return other if other in numbers and other != n else None

    def partner_offset(self) -> float:
        """Where the facing page sits: right of an even page, left of an odd one."""
        g = self.doc.geometry
        return (g.width + SPREAD_GAP) * (1 if self.page_number % 2 == 0 else -1)

    def spread_rect(self) -> QRectF:
        """The shown page and its facing page (the shown page alone without one)."""
        g = self.doc.geometry
        r = QRectF(0, 0, g.width, g.height)
        if self.spread and self.partner_number() is not None:
            r = r.united(r.translated(self.partner_offset(), 0))
        return r

    def set_spread(self, on: bool) -> None:
        """Show the facing page beside this one (two facing pages side by side)."""
        self.spread = on
        self._set_rect()
        self._partner()

    def _partner(self) -> None:
        number = self.partner_number() if self.spread else None
        pr = None
        if number is not None:
            try:
                pr = self.doc.result.page(number)
            except KeyError:
                pr = None
        key = (number, self.page_number, self.preview, id(self.doc.geometry)) + \
            (tuple(id(fr) for fr in pr.frames) if pr is not None else ())
        if key == self._partner_key:
            return                              # nothing changed on the facing page
        self._partner_key = key
        for item in self.partner_frames:
            self.removeItem(item)
        self.partner_frames = []
        self.partner_page.setVisible(pr is not None)
        if pr is None:
            return
        dx = self.partner_offset()
        self.partner_page.set_geometry(self.doc.geometry)
        self.partner_page.preview = self.preview
        self.partner_page.setPos(dx, 0)
        for z, fr in enumerate(pr.frames):
            item = FrameItem(fr.frame_id, fr.kind, self.ctx)
            item.set_result(fr)
            item.set_deco(Deco(preview=self.preview))
            item.setPos(dx, 0)
            item.setZValue(z)
            self.addItem(item)
            self.partner_frames.append(item)

    # ------------------------------------------------------------ pages
    def show_page(self, number: int) -> None:
        """Show another page of the issue."""
        if number == self.page_number:
            return
        for item in self.frames.values():
            self._remove_frame(item)
        self.frames.clear()
        self.page_number = number
        self.selection = []
        self.refresh()
        self._warm_pending = self.doc.result
        self.selectionIdsChanged.emit()
        self.pageShown.emit(number)

    # ------------------------------------------------------------ after the first paint
    def warm_up(self) -> None:
        """Set the shown page's text frames again (the view calls this once the page is
        painted), so that the setter knows their paragraphs — frames read from the
        layout cache were not set in this session — and the first key typed in them
        re-breaks only the paragraph it is in.  Skipped when the layout changed."""
        result, self._warm_pending = self._warm_pending, None
        if result is None or result is not self.doc.result:
            return
        try:
            ids = [fr.frame_id for fr in self.page_result().frames
                   if fr.kind == "text" and fr.story]
        except KeyError:
            return
        for fid in ids:
            self.doc.composer.warm(fid)
        gcpause.freeze()    # what the setter learnt is long-lived: out of the full passes

    def page_result(self):
        """The PageResult shown."""
        return self.doc.result.page(self.page_number)

    # ------------------------------------------------------------ refresh
    def refresh(self, touched=None) -> None:
        """Bring the items in step with the document's latest LayoutResult."""
        doc = self.doc
        if touched is not None and touched.styles:
            self.page_item.set_geometry(doc.geometry)
            self._set_rect()
        self.ctx.colors.clear()
        self.ctx.colors.update(doc.result.colors)
        try:
            pr = self.page_result()
        except KeyError:                       # the page went away (undo of add page)
            if not doc.result.pages:
                return
            self.page_number = -1
            self.show_page(doc.result.pages[0].number)
            return
        info = self._thread_info()
        alive = set()
        for z, fr in enumerate(pr.frames):
            item = self.frames.get(fr.frame_id)
            if item is None or item.kind != fr.kind:
                if item is not None:
                    self._remove_frame(item)
                item = FrameItem(fr.frame_id, fr.kind, self.ctx)
                item.set_view_scale(*self.view_scale)
                self.frames[fr.frame_id] = item
                self.addItem(item)
                for deco in item.decorations:
                    self.addItem(deco)
            old = item.prepared.result if item.prepared is not None else None
            if old is not fr and (fr.kind == "text" or old != fr):
                item.set_result(fr)
            if item.zValue() != z:              # (the same z still calls itemChange)
                item.setZValue(z)
            item.setVisible(fr.visible)
            ly = self.doc.issue.layer(fr.layer)     # master frames and locked layers: not picked
            item.pickable = fr.visible and not fr.master and not (ly is not None and ly.locked)
            item.set_deco(self._deco(fr.frame_id, info))
            alive.add(fr.frame_id)
        for fid in list(self.frames):
            if fid not in alive:
                self._remove_frame(self.frames.pop(fid))
        kept = [f for f in self.selection if f in alive]
        if kept != self.selection:
            self.selection = kept
            self.selectionIdsChanged.emit()
        self._arrows(info)
        self._partner()

    def _remove_frame(self, item: FrameItem) -> None:
        for deco in item.decorations:
            self.removeItem(deco)
        self.removeItem(item)

    def _thread_info(self) -> dict:
        """frame id → (story, index in its thread); "" → {frame id: (page number, frame)}."""
        info: dict = {"": {fr.id: (page.number, fr) for page, fr in self.doc.issue.frames()}}
        for sid, st in self.doc.issue.stories.items():
            for i, fid in enumerate(st.thread):
                info[fid] = (st, i)
        return info

    def _deco(self, fid: str, info: dict) -> Deco:
        doc = self.doc
        where = info[""]
        if fid not in where:                    # a master frame: edited on its master
            return Deco(preview=self.preview)
        frame = where[fid][1]
        layer = doc.issue.layer(frame.layer)
        d = Deco(selected=fid in self.selection, preview=self.preview,
                 locked=frame.locked or (layer is not None and layer.locked),
                 rotatable=frame.kind in m.ROTATABLE, group=frame.group)
        if frame.kind != "text":
            return d
        d.in_port = d.out_port = "empty"
        if fid not in info:
            return d
        story, i = info[fid]
        thread = story.thread
        if i > 0:
            d.in_port = "linked"
            prev_page = where[thread[i - 1]][0]
            if prev_page != self.page_number:
                d.jump_from = "← " + tr("page_label", n=prev_page)
        if i + 1 < len(thread):
            d.out_port = "linked"
            next_page = where[thread[i + 1]][0]
            if next_page != self.page_number:
                d.jump_to = "→ " + tr("page_label", n=next_page)
            held = next((r for r in doc.result.page(where[fid][0]).frames if r.frame_id == fid),
                        None)
            if held is not None and held.empty_lines:    # a hole before the story goes on
                d.badge, d.badge_color = f"缺 {held.empty_lines} 行", UNDERSET
        else:
            cf = doc.result.copyfit.get(story.id)
            if cf is not None:
                if cf.overset_lines or cf.overset_chars:
                    d.out_port = "overset"
                if cf.overset_lines or cf.overset_chars or cf.underset_lines:
                    d.badge, d.badge_color = copyfit_label(cf), copyfit_color(cf)
        return d

    def _arrows(self, info: dict) -> None:
        stories = set()
        if self.show_all_threads:
            stories = set(self.doc.issue.stories)
        for fid in self.selection:
            if fid in info:
                stories.add(info[fid][0].id)
        segs = []
        for sid in stories:
            st = self.doc.issue.stories.get(sid)
            if st is None:
                continue
            for a, b in zip(st.thread, st.thread[1:]):
                ia, ib = self.frames.get(a), self.frames.get(b)
                if ia is not None and ib is not None:
                    ra, rb = ia.rect, ib.rect
                    segs.append((QPointF(ra.right(), ra.bottom()), QPointF(rb.left(), rb.top())))
        self.threads.set_segments(segs)

    def set_view_scale(self, scale: float, zoom: float = 1.0) -> None:
        """The view zoomed (``scale`` device px per pt, ``zoom`` 1.0 = 100 %): handles and
        copyfit badges follow."""
        self.view_scale = (scale, zoom)
        for item in self.frames.values():
            item.set_view_scale(scale, zoom)

    # ------------------------------------------------------------ selection
    def set_selection(self, ids: list[str]) -> None:
        """Select these frames (ids on the shown page)."""
        ids = [i for i in ids if i in self.frames and self.frames[i].pickable]
        if ids == self.selection:
            return
        self.selection = ids
        info = self._thread_info()
        for fid, item in self.frames.items():
            item.set_deco(self._deco(fid, info))
        self._arrows(info)
        self.selectionIdsChanged.emit()

    def set_preview(self, on: bool) -> None:
        """Preview mode (W): hide grids, outlines, ports and badges."""
        self.preview = on
        self.page_item.preview = on
        self.page_item.update()
        self.threads.setVisible(not on)
        info = self._thread_info()
        for fid, item in self.frames.items():
            item.set_deco(self._deco(fid, info))
        self._partner()

    def frame_at(self, pos: QPointF, kinds: tuple[str, ...] | None = None) -> FrameItem | None:
        """The topmost frame item under a scene point (optionally of some kinds)."""
        best = None
        for item in self.frames.values():
            if item.contains_scene(pos) and (kinds is None or item.kind in kinds) and \
                    item.pickable:
                if best is None or item.zValue() > best.zValue():
                    best = item
        return best
