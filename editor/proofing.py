"""Proofing in the editor: the 校对 menu, changes since a round on the page, the corrections dock.

``install(window)`` adds the menu (changes since 校次 N, hide them, corrections
from a marked proof, the e-paper) and two docks (改动, 校对意见).  The work
itself is in ``proofs`` and ``epaper``; this module only shows it.
"""
from __future__ import annotations

import getpass
import os
from datetime import datetime

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (QFileDialog, QGraphicsItem, QHBoxLayout, QInputDialog,
                               QListWidget, QListWidgetItem, QMessageBox, QPushButton,
                               QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from proofs import layoutview as LV

from .i18n import STRINGS, tr

STRINGS.update({
    "menu.proof": ("校对(&P)", "&Proof"),
    "proof.changes": ("与校次比较（显示改动）…", "Changes Since Proof Round…"),
    "proof.hide_changes": ("隐藏改动标记", "Hide Change Marks"),
    "proof.annotations": ("导入校对意见…", "Import Proof Corrections…"),
    "proof.epaper": ("导出数字报…", "Export E-paper…"),
    "proof.no_rounds": ("本期还没有记录校次：导出校样时会记录。",
                        "No proof round is recorded yet: exporting a proof records one."),
    "proof.unsaved": ("请先保存版面。", "Save the issue first."),
    "proof.pick_round": ("与哪一校次比较？", "Compare with which round?"),
    "proof.round": ("{n}校", "round {n}"),
    "proof.changes_title": ("自{n}校以来的改动：{count} 处", "Changes since round {n}: {count}"),
    "proof.no_changes": ("没有改动", "No changes"),
    "proof.pdf_files": ("PDF 校样 (*.pdf)", "PDF proofs (*.pdf)"),
    "proof.epaper_done": ("数字报已写到 {path}", "E-paper written to {path}"),
    "dock.changes": ("改动", "Changes"),
    "dock.corrections": ("校对意见", "Corrections"),
    "corr.status": ("状态", "Status"),
    "corr.page": ("版", "Page"),
    "corr.kind": ("类型", "Kind"),
    "corr.where": ("位置", "Where"),
    "corr.text": ("原文", "Text"),
    "corr.comment": ("意见", "Comment"),
    "corr.author": ("提出人", "By"),
    "corr.apply": ("应用", "Apply"),
    "corr.reject": ("驳回", "Reject"),
    "corr.go": ("定位", "Go To"),
    "corr.applied": ("已应用（{who} {when}）", "applied ({who} {when})"),
    "corr.rejected": ("已驳回（{who} {when}）", "rejected ({who} {when})"),
    "corr.ok": ("待处理", "open"),
    "corr.moved": ("待处理（位置已变）", "open (moved)"),
    "corr.changed": ("原文已改动，请人工核对", "text changed since: check by hand"),
    "corr.unplaced": ("未能定位", "not placed"),
    "corr.undo_text": ("校对意见 {id}", "correction {id}"),
    "kind.highlight": ("标注", "highlight"),
    "kind.delete": ("删除", "delete"),
    "kind.replace": ("改为", "replace"),
    "kind.insert": ("插入", "insert"),
    "kind.note": ("批注", "note"),
    "proof.read_failed": ("读不出校对意见：{msg}", "Cannot read the corrections: {msg}"),
})


def _color(rgb) -> QColor:
    return QColor.fromRgbF(*rgb)


# ====================================================================== changes on the page
class ChangeMarks(QGraphicsItem):
    """The diff's marks on the shown page (the same marks as the diff PDF's)."""

    def __init__(self):
        super().__init__()
        self.marks: list = []
        self._rect = QRectF()
        self.setZValue(900)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_marks(self, marks: list) -> None:
        """Show these ``proofs.markup.Mark``s."""
        self.prepareGeometryChange()
        self.marks = list(marks)
        r = QRectF()
        for mk in self.marks:
            g = mk.geom
            if mk.shape in ("rect", "dashed"):
                r = r.united(QRectF(g[0], g[1], g[2], g[3]))
            elif mk.shape == "underline":
                r = r.united(QRectF(g[0], g[1] - 2, g[2] - g[0], 4))
            else:
                r = r.united(QRectF(g[0] - 160, g[1] - 20, 320, 60))
        self._rect = r.adjusted(-20, -20, 20, 20)
        self.update()

    def boundingRect(self) -> QRectF:
        """Everything the marks cover."""
        return self._rect

    def paint(self, p: QPainter, option, widget=None) -> None:
        """Underlines, carets, outlines and notes."""
        for mk in self.marks:
            c = _color(mk.color)
            pen = QPen(c, 1.2)
            pen.setCosmetic(True)
            g = mk.geom
            if mk.shape == "underline":
                p.setPen(pen)
                p.drawLine(QPointF(g[0], g[1]), QPointF(g[2], g[1]))
            elif mk.shape == "caret":
                x, y, s = g
                p.setPen(pen)
                path = QPainterPath(QPointF(x - s * 0.3, y + s * 0.35))
                path.lineTo(x, y - s * 0.1)
                path.lineTo(x + s * 0.3, y + s * 0.35)
                p.drawPath(path)
            elif mk.shape in ("rect", "dashed"):
                if mk.shape == "dashed":
                    pen.setStyle(Qt.PenStyle.DashLine)
                p.setPen(pen)
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRect(QRectF(*g))
                if mk.text:
                    p.drawText(QPointF(g[0] + 2, g[1] - 3), mk.text)
            elif mk.shape in ("note", "label"):
                x, y = g
                p.setPen(pen)
                p.setBrush(QBrush(QColor(255, 255, 240, 230)))
                text = mk.text if len(mk.text) <= 40 else mk.text[:39] + "…"
                box = QRectF(x + 4, y + 4, max(60.0, 9.0 * len(text)), 14)
                p.drawRect(box)
                p.drawText(box.adjusted(2, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, text)


class ChangesView(QListWidget):
    """The changes since a round, one line each; activating one shows its page."""

    goTo = Signal(int, str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.changes: list = []
        self.itemActivated.connect(self._go)
        self.itemClicked.connect(self._go)

    def set_changes(self, changes: list, title: str) -> None:
        """List the changes under a title line."""
        self.clear()
        self.changes = list(changes)
        head = QListWidgetItem(title)
        head.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.addItem(head)
        for ch in changes:
            it = QListWidgetItem(ch.describe())
            it.setData(Qt.ItemDataRole.UserRole, (ch.page or ch.old_page, ch.frame))
            self.addItem(it)

    def _go(self, it) -> None:
        data = it.data(Qt.ItemDataRole.UserRole)
        if data and data[0]:
            self.goTo.emit(int(data[0]), data[1] or "")


# ====================================================================== corrections
class CorrectionsDock(QWidget):
    """校对意见: corrections from a marked proof; select to jump, apply (one undo step) or reject."""

    goTo = Signal(int, str)

    def __init__(self, doc, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.corrections: list = []
        self.decisions: dict[int, str] = {}       # correction id → status text
        self.tree = QTreeWidget()
        self.tree.setColumnCount(7)
        self.tree.setHeaderLabels([tr("corr.status"), tr("corr.page"), tr("corr.kind"),
                                   tr("corr.where"), tr("corr.text"), tr("corr.comment"),
                                   tr("corr.author")])
        self.tree.setRootIsDecorated(False)
        self.tree.currentItemChanged.connect(lambda cur, _prev: self._selected(cur))
        self.apply_btn = QPushButton(tr("corr.apply"))
        self.reject_btn = QPushButton(tr("corr.reject"))
        self.go_btn = QPushButton(tr("corr.go"))
        self.apply_btn.clicked.connect(self.apply_current)
        self.reject_btn.clicked.connect(self.reject_current)
        self.go_btn.clicked.connect(lambda: self._selected(self.tree.currentItem()))
        row = QHBoxLayout()
        for b in (self.go_btn, self.apply_btn, self.reject_btn):
            row.addWidget(b)
        row.addStretch(1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.tree)
        lay.addLayout(row)
        self._buttons(None)

    def set_corrections(self, corrections: list) -> None:
        """Show a new list (checked against the document as it is now)."""
        from proofs.annotations import check_against
        check_against(corrections, self.doc.issue)
        self.corrections = list(corrections)
        self.decisions = {}
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the rows."""
        self.tree.clear()
        for c in self.corrections:
            status = self.decisions.get(c.id) or tr("corr." + c.status)
            where = (f"{c.story or c.frame} {c.part} {c.para + 1}/{c.offset + 1}"
                     if c.story or c.frame else "")
            comment = c.comment if c.kind != "replace" else f"→ {c.replacement}"
            if c.kind == "insert":
                comment = f"+ {c.replacement}"
            it = QTreeWidgetItem([status, str(c.page), tr("kind." + c.kind), where, c.text,
                                  comment, c.author])
            it.setData(0, Qt.ItemDataRole.UserRole, c.id)
            if c.status in ("changed", "unplaced") and c.id not in self.decisions:
                for col in range(7):
                    it.setForeground(col, QBrush(QColor(200, 30, 30)))
            self.tree.addTopLevelItem(it)
        self._buttons(self.current())

    def current(self):
        """The selected correction (None when none is)."""
        it = self.tree.currentItem()
        if it is None:
            return None
        cid = it.data(0, Qt.ItemDataRole.UserRole)
        return next((c for c in self.corrections if c.id == cid), None)

    def select(self, cid: int) -> None:
        """Select correction ``cid`` (and jump to it)."""
        for i in range(self.tree.topLevelItemCount()):
            it = self.tree.topLevelItem(i)
            if it.data(0, Qt.ItemDataRole.UserRole) == cid:
                self.tree.setCurrentItem(it)
                return

    def _buttons(self, c) -> None:
        from proofs.annotations import correction_edit
        open_ = c is not None and c.id not in self.decisions
        self.go_btn.setEnabled(c is not None and bool(c.story or c.frame))
        self.reject_btn.setEnabled(open_)
        self.apply_btn.setEnabled(open_ and correction_edit(self.doc.issue, c) is not None)

    def _selected(self, it) -> None:
        c = self.current() if it is not None else None
        self._buttons(c)
        if c is None:
            return
        page, frame = self.place(c)
        if page:
            self.goTo.emit(page, frame)

    def place(self, c) -> tuple[int, str]:
        """Page and frame where a correction stands now (its round's page if not placed)."""
        if c.story and c.status in ("ok", "moved"):
            pos = (c.now_para, c.now_offset)
            for g in LV.glyphs(self.doc.result):
                if g.story == c.story and g.part == c.part and (g.para, g.offset) >= pos:
                    return g.page, g.frame
        if c.frame:
            try:
                return self.doc.page_of_frame(c.frame), c.frame
            except KeyError:
                pass
        return c.page, ""

    def _decide(self, c, key: str) -> None:
        self.decisions[c.id] = tr(key, who=_user(), when=datetime.now().strftime("%m-%d %H:%M"))
        cid = c.id
        self.refresh()
        self.select(cid)

    def apply_current(self) -> bool:
        """Apply the selected correction as one undo step; False if it cannot be applied."""
        from proofs.annotations import correction_edit
        c = self.current()
        if c is None or c.id in self.decisions:
            return False
        edit = correction_edit(self.doc.issue, c)
        if edit is None or not self.doc.push(edit, tr("corr.undo_text", id=c.id)):
            return False
        self._decide(c, "corr.applied")
        return True

    def reject_current(self) -> None:
        """Mark the selected correction rejected."""
        c = self.current()
        if c is not None and c.id not in self.decisions:
            self._decide(c, "corr.rejected")


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


# ====================================================================== the window's part
class Proofing:
    """The 校对 menu, the change marks and the two docks of one window."""

    def __init__(self, window):
        self.w = window
        self.marks = ChangeMarks()
        self.marks.setVisible(False)
        window.scene.addItem(self.marks)
        self.changes: list = []
        self.changes_view = ChangesView()
        self.changes_view.goTo.connect(window.go_to)
        self.corrections = CorrectionsDock(window.doc)
        self.corrections.goTo.connect(window.go_to)
        self.dock_changes = window._dock("dock.changes", self.changes_view)
        self.dock_corrections = window._dock("dock.corrections", self.corrections)
        self.dock_changes.hide()
        self.dock_corrections.hide()
        self.acts: dict[str, QAction] = {}
        bar = window.menuBar()
        menu = bar.addMenu(tr("menu.proof"))
        before = next((a for a in bar.actions() if a.menu() is window.window_menu), None)
        if before is not None:                 # keep 窗口 the last menu
            bar.insertMenu(before, menu)
        self.menu = menu
        for key, slot in (("proof.changes", self.show_changes),
                          ("proof.hide_changes", self.hide_changes),
                          ("proof.annotations", self.import_annotations),
                          ("proof.epaper", self.export_epaper)):
            act = QAction(tr(key), window)
            act.setObjectName(key)
            act.triggered.connect(lambda _c=False, f=slot: f())
            menu.addAction(act)
            self.acts[key] = act
        file_menu = next((a.menu() for a in bar.actions() if a.text() == tr("menu.file")), None)
        close = window.acts.get("close")
        if file_menu is not None and close is not None:      # File → 导出数字报…
            file_menu.insertAction(close, self.acts["proof.epaper"])
            file_menu.insertSeparator(close)
        window.scene.pageShown.connect(lambda _n: self._redraw())
        window.doc.changed.connect(lambda _t: self._recompute())
        self.round = 0

    # ------------------------------------------------------------ changes
    def _store(self):
        from proofs import RoundStore
        return RoundStore(self.w.doc.path) if self.w.doc.path else None

    def show_changes(self, number: int | None = None) -> bool:
        """Mark what changed since round ``number`` (asked for when None) on the pages."""
        store = self._store()
        if store is None:
            self.w.statusBar().showMessage(tr("proof.unsaved"), 5000)
            return False
        nums = store.numbers()
        if not nums:
            QMessageBox.information(self.w, tr("proof.changes"), tr("proof.no_rounds"))
            return False
        if number is None:
            labels = [tr("proof.round", n=n) for n in nums]
            label, ok = QInputDialog.getItem(self.w, tr("proof.changes"), tr("proof.pick_round"),
                                             labels, len(labels) - 1, False)
            if not ok:
                return False
            number = nums[labels.index(label)]
        self.round = int(number)
        self._recompute()
        self.dock_changes.show()
        self.dock_changes.raise_()
        return True

    def _recompute(self) -> None:
        if not self.round:
            return
        from proofs.diff import Side, diff, locate
        from proofs.rounds import RoundError, summarize
        try:
            rnd = self._store().load(self.round)
            old = Side(rnd.issue(), rnd.summary)
        except RoundError as exc:
            self.w.show_error(str(exc))
            self.round = 0
            return
        doc = self.w.doc
        self.changes = diff(old, Side(doc.issue, summarize(doc.issue, doc.result)))
        locate(self.changes, doc.result)
        from layout.units import chinese_numeral
        self.changes_view.set_changes(self.changes, tr(
            "proof.changes_title", n=chinese_numeral(self.round), count=len(self.changes))
            if self.changes else tr("proof.no_changes"))
        self._redraw()

    def _redraw(self) -> None:
        if not self.round:
            return
        from proofs.markup import marks_for_page
        doc = self.w.doc
        try:
            marks = marks_for_page(self.changes, doc.result, doc.issue, self.w.scene.page_number)
        except KeyError:
            marks = []
        self.marks.set_marks(marks)
        self.marks.setVisible(True)

    def hide_changes(self) -> None:
        """Take the change marks off the page."""
        self.round = 0
        self.changes = []
        self.marks.set_marks([])
        self.marks.setVisible(False)
        self.dock_changes.hide()

    # ------------------------------------------------------------ corrections
    def import_annotations(self, pdf: str | None = None) -> bool:
        """Read a marked proof's corrections into the corrections dock."""
        doc = self.w.doc
        if not doc.path:
            self.w.statusBar().showMessage(tr("proof.unsaved"), 5000)
            return False
        if pdf is None:
            pdf, _ = QFileDialog.getOpenFileName(self.w, tr("proof.annotations"), doc.base_dir,
                                                 tr("proof.pdf_files"))
            if not pdf:
                return False
        try:
            found = read_corrections(pdf, doc.path, doc.fontset)
        except Exception as exc:                  # a PDF that is not a proof, a missing round
            self.w.show_error(tr("proof.read_failed", msg=str(exc)))
            return False
        self.corrections.set_corrections(found)
        self.dock_corrections.show()
        self.dock_corrections.raise_()
        return True

    # ------------------------------------------------------------ e-paper
    def export_epaper(self, out: str | None = None) -> bool:
        """Write the e-paper site of the document as it is now."""
        from PySide6.QtWidgets import QApplication

        from epaper import build_site
        doc = self.w.doc
        if out is None:
            out = QFileDialog.getExistingDirectory(self.w, tr("proof.epaper"), doc.base_dir)
            if not out:
                return False
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            build_site(doc.issue, doc.result, doc.fontset, doc.base_dir, out)
        except Exception as exc:
            self.w.show_error(f"{type(exc).__name__}: {exc}")
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self.w.statusBar().showMessage(tr("proof.epaper_done", path=out), 8000)
        return True


def read_corrections(pdf: str, issue_path: str, fontset) -> list:
    """Corrections of a marked proof, mapped onto its round (composed again)."""
    import pymupdf

    from layout.compose import compose_issue
    from proofs import RoundStore
    from proofs.annotations import read_annotations
    from proofs.stamp import read_stamp
    with pymupdf.open(pdf) as d:
        stamp = read_stamp(d)
    if stamp is None:
        raise ValueError(f"{os.path.basename(pdf)}: not a proof with a recorded 校次")
    issue = RoundStore(issue_path).load(stamp.round).issue()
    result = compose_issue(issue, fontset, base_dir=os.path.dirname(issue_path))
    return read_annotations(pdf, issue, result, stamp.pages)


def install(window) -> Proofing:
    """Add proofing to a main window."""
    return Proofing(window)
