"""The Properties dock: the selected frame's geometry (栏×行 and mm) and options.

Text frames: columns, balance, lock, story.  Headline frames: the story and its
引题/主题/副题.  Photos: image, fit, crop, caption, credit.  Boxes: stroke,
colour and fill.  Several frames: their common fields (the group's first column
and line — a change moves them all —, size when they share it, lock).  Columns
and lines count from 1 here (第1栏 is the first column), as in the drag tip and
the status bar; the file counts from 0.  Every field edit is one undoable
``layout.edits`` edit.
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout,
                               QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox,
                               QVBoxLayout, QWidget)

from layout import edits as E
from layout.units import mm

from .i18n import tr


class Properties(QWidget):
    """Fields for the selected frame, or the common fields of several."""

    placeImage = Signal(str)          # frame id: ask for an image file

    def __init__(self, doc, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.frame_id: str | None = None
        self.frame_ids: list[str] = []
        self._loading = False
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        self.kind = QLabel()
        lay.addWidget(self.kind)
        self.geo_box, form = _group(tr("prop.frame"))
        self.col, self.line = _spin(1, 99), _spin(1, 999)        # 1-based: 第1栏, 第1行
        self.cols, self.lines = _spin(1, 99), _spin(1, 999)
        self.col.setPrefix(tr("prop.nth_pre"))
        self.col.setSuffix(tr("prop.nth_col"))
        self.line.setPrefix(tr("prop.nth_pre"))
        self.line.setSuffix(tr("prop.nth_line"))
        for label, w in ((tr("prop.col"), self.col), (tr("prop.line"), self.line),
                         (tr("prop.cols"), self.cols), (tr("prop.lines"), self.lines)):
            form.addRow(label, w)
            w.valueChanged.connect(self._geometry)
        self.mm = QLabel()
        form.addRow(tr("prop.size_mm"), self.mm)
        self.locked = QCheckBox()
        self.locked.toggled.connect(lambda v: self._set(locked=v))
        form.addRow(tr("prop.locked"), self.locked)
        lay.addWidget(self.geo_box)

        self.text_box, form = _group(tr("kind.text"))
        self.columns = _spin(0, 20)
        self.columns.setSpecialValueText(tr("prop.auto"))
        self.columns.valueChanged.connect(lambda v: self._set(columns=v))
        self.balance = QCheckBox()
        self.balance.toggled.connect(lambda v: self._set(balance=v))
        self.story = QComboBox()
        self.story.activated.connect(self._story_chosen)
        form.addRow(tr("prop.text_columns"), self.columns)
        form.addRow(tr("prop.balance"), self.balance)
        form.addRow(tr("prop.story"), self.story)
        lay.addWidget(self.text_box)

        self.head_box, form = _group(tr("kind.headline"))
        self.head_story = QComboBox()
        self.head_story.activated.connect(
            lambda _i: self._set(story=self.head_story.currentData() or ""))
        self.kicker, self.title, self.subtitle = QLineEdit(), QLineEdit(), QLineEdit()
        form.addRow(tr("prop.story"), self.head_story)
        for key, w in (("kicker", self.kicker), ("title", self.title),
                       ("subtitle", self.subtitle)):
            form.addRow(tr("prop." + key), w)
            w.editingFinished.connect(lambda k=key, w=w: self._headline(k, w.text()))
        lay.addWidget(self.head_box)

        self.photo_box, form = _group(tr("kind.photo"))
        self.image = QLineEdit()
        self.image.editingFinished.connect(lambda: self._set(image=self.image.text().strip()))
        browse = QPushButton(tr("prop.browse"))
        browse.clicked.connect(lambda: self.frame_id and self.placeImage.emit(self.frame_id))
        row = QHBoxLayout()
        row.addWidget(self.image)
        row.addWidget(browse)
        form.addRow(tr("prop.image"), row)
        self.fit = QComboBox()
        for k in ("fit", "fill", "crop"):
            self.fit.addItem(tr("fit." + k), k)
        self.fit.activated.connect(lambda _i: self._set(fit=self.fit.currentData()))
        form.addRow(tr("prop.fit"), self.fit)
        self.crop = [_dspin(0, 1, 0.05), _dspin(0, 1, 0.05), _dspin(0.1, 10, 0.1)]
        crow = QHBoxLayout()
        for w in self.crop:
            crow.addWidget(w)
            w.valueChanged.connect(self._crop)
        form.addRow(tr("prop.crop"), crow)
        self.caption, self.credit = QLineEdit(), QLineEdit()
        self.caption.editingFinished.connect(lambda: self._set(caption=self.caption.text()))
        self.credit.editingFinished.connect(lambda: self._set(credit=self.credit.text()))
        form.addRow(tr("prop.caption"), self.caption)
        form.addRow(tr("prop.credit"), self.credit)
        lay.addWidget(self.photo_box)

        self.rule_box, form = _group(tr("kind.rule"))
        self.weight = QLineEdit()
        self.weight.editingFinished.connect(lambda: self._set(weight=self.weight.text().strip()))
        form.addRow(tr("prop.weight"), self.weight)
        lay.addWidget(self.rule_box)

        self.box_box, form = _group(tr("kind.box"))
        self.stroke = QLineEdit()
        self.stroke.editingFinished.connect(lambda: self._set(stroke=self.stroke.text().strip()))
        self.stroke_color, self.fill = QComboBox(), QComboBox()
        self.stroke_color.activated.connect(
            lambda _i: self._set(color=self.stroke_color.currentData() or "black"))
        self.fill.activated.connect(lambda _i: self._set(fill=self.fill.currentData() or ""))
        form.addRow(tr("prop.stroke"), self.stroke)
        form.addRow(tr("prop.stroke_color"), self.stroke_color)
        form.addRow(tr("prop.fill"), self.fill)
        lay.addWidget(self.box_box)
        lay.addStretch(1)
        doc.changed.connect(lambda _t: self.load())
        self.load()

    # ------------------------------------------------------------ showing
    def show_frame(self, frame_id: str | None) -> None:
        """Show the fields of a frame (None: nothing selected)."""
        self.show_frames([frame_id] if frame_id is not None else [])

    def show_frames(self, frame_ids: list[str]) -> None:
        """Show the fields of one frame, or the common fields of several."""
        self.frame_ids = list(frame_ids)
        self.frame_id = frame_ids[0] if len(frame_ids) == 1 else None
        self.load()

    def load(self) -> None:
        """Fill the fields from the model."""
        frames = []
        for fid in self.frame_ids:
            try:
                frames.append(self.doc.issue.frame(fid)[1])
            except KeyError:
                pass
        self.frame_ids = [f.id for f in frames]
        self.frame_id = frames[0].id if len(frames) == 1 else None
        self._loading = True
        try:
            if len(frames) > 1:
                self._fill_many(frames)
            else:
                self._fill(frames[0] if frames else None)
        finally:
            self._loading = False

    def _fill_many(self, frames) -> None:
        """Several frames: geometry (the group's corner; sizes when shared) and lock."""
        for box in (self.text_box, self.head_box, self.photo_box, self.rule_box, self.box_box):
            box.setVisible(False)
        self.geo_box.setVisible(True)
        self.kind.setText(tr("prop.n_frames", n=len(frames)))
        movable = [f for f in frames if not f.box and not f.locked]
        self.col.setValue(min(f.col for f in frames) + 1)
        self.line.setValue(min(f.line for f in frames) + 1)
        for w, key in ((self.cols, "cols"), (self.lines, "lines")):
            values = {getattr(f, key) for f in frames}
            w.setValue(min(values))
            w.setEnabled(bool(movable) and len(values) == 1)
        self.col.setEnabled(bool(movable))
        self.line.setEnabled(bool(movable))
        g = self.doc.geometry
        rects = [g.frame_rect(f) for f in frames]
        x0, y0 = min(r[0] for r in rects), min(r[1] for r in rects)
        x1, y1 = max(r[0] + r[2] for r in rects), max(r[1] + r[3] for r in rects)
        self.mm.setText(f"{mm(x0):.1f}, {mm(y0):.1f}  {mm(x1 - x0):.1f} × {mm(y1 - y0):.1f}")
        self.locked.setChecked(all(f.locked for f in frames))

    def _fill(self, fr) -> None:
        kind = fr.kind if fr is not None else ""
        self.geo_box.setVisible(fr is not None)
        self.text_box.setVisible(kind == "text")
        self.head_box.setVisible(kind == "headline")
        self.photo_box.setVisible(kind == "photo")
        self.rule_box.setVisible(kind == "rule")
        self.box_box.setVisible(kind == "box")
        self.kind.setText(f"{tr('kind.' + kind)}  {fr.id}" if fr is not None else "")
        if fr is None:
            return
        for w, v in ((self.col, fr.col + 1), (self.line, fr.line + 1), (self.cols, fr.cols),
                     (self.lines, fr.lines)):
            w.setValue(v)
            w.setEnabled(not fr.box and not fr.locked)
        x, y, w, h = self.doc.geometry.frame_rect(fr)
        self.mm.setText(f"{mm(x):.1f}, {mm(y):.1f}  {mm(w):.1f} × {mm(h):.1f}")
        self.locked.setChecked(fr.locked)
        stories = [(sid, st.name or st.headline.title or sid)
                   for sid, st in self.doc.issue.stories.items()]
        if kind == "text":
            self.columns.setValue(fr.columns)
            self.balance.setChecked(fr.balance)
            owner = self.doc.issue.story_of_frame(fr.id)
            _fill_combo(self.story, stories, owner.id if owner else "")
        elif kind == "headline":
            _fill_combo(self.head_story, stories, fr.story)
            hl = self.doc.issue.stories[fr.story].headline if fr.story in \
                self.doc.issue.stories else None
            for w, key in ((self.kicker, "kicker"), (self.title, "title"),
                           (self.subtitle, "subtitle")):
                w.setText(getattr(hl, key) if hl else "")
                w.setEnabled(hl is not None)
        elif kind == "photo":
            self.image.setText(fr.image)
            self.fit.setCurrentIndex(max(0, self.fit.findData(fr.fit)))
            crop = (list(fr.crop) + [0.5, 0.5, 1.0][len(fr.crop):])[:3]
            for w, v in zip(self.crop, crop):
                w.setValue(v)
            self.caption.setText(fr.caption)
            self.credit.setText(fr.credit)
        elif kind == "rule":
            self.weight.setText(fr.weight)
        elif kind == "box":
            self.stroke.setText(fr.stroke)
            swatches = [(name, name) for name in self.doc.issue.colors]
            _fill_combo(self.stroke_color, [(n, n) for n in ["black"] + [
                s for s, _ in swatches if s != "black"]], fr.color, none=False)
            _fill_combo(self.fill, swatches, fr.fill)

    # ------------------------------------------------------------ editing
    def _set(self, **changes) -> None:
        if self._loading or not self.frame_ids:
            return
        edits = []
        for fid in self.frame_ids:
            fr = self.doc.issue.frame(fid)[1]
            if len(self.frame_ids) > 1 and "locked" not in changes and (fr.locked or fr.box):
                continue
            mine = {k: v for k, v in changes.items() if getattr(fr, k) != v}
            if mine:
                edits.append(E.SetFrame(fid, **mine))
        if len(edits) == 1:
            self.doc.push(edits[0], "frame options")
        elif edits:
            self.doc.push(E.Batch(edits, "frame options"), "frame options")

    def _geometry(self, _v=None) -> None:
        if self._loading or not self.frame_ids:
            return
        col, line = self.col.value() - 1, self.line.value() - 1
        if len(self.frame_ids) == 1:
            self._set(col=col, line=line, cols=self.cols.value(), lines=self.lines.value())
            return
        frames = [self.doc.issue.frame(f)[1] for f in self.frame_ids]
        dc = col - min(f.col for f in frames)
        dl = line - min(f.line for f in frames)
        shared = {k: w.value() for k, w in (("cols", self.cols), ("lines", self.lines))
                  if w.isEnabled()}
        edits = []
        for f in frames:
            if f.locked or f.box:
                continue
            ch = {"col": f.col + dc, "line": f.line + dl, **shared}
            ch = {k: v for k, v in ch.items() if getattr(f, k) != v}
            if ch:
                edits.append(E.SetFrame(f.id, **ch))
        if edits:
            self.doc.push(E.Batch(edits, "frame options"), "frame options")

    def _crop(self, _v=None) -> None:
        self._set(crop=[round(w.value(), 4) for w in self.crop])

    def _headline(self, key: str, value: str) -> None:
        if self._loading or self.frame_id is None:
            return
        sid = self.doc.issue.frame(self.frame_id)[1].story
        st = self.doc.issue.stories.get(sid)
        if st is not None and getattr(st.headline, key) != value:
            self.doc.push(E.SetHeadline(sid, **{key: value}), "headline")

    def _story_chosen(self, _i) -> None:
        if self._loading or self.frame_id is None:
            return
        sid = self.story.currentData() or ""
        issue = self.doc.issue
        owner = issue.story_of_frame(self.frame_id)
        if owner is not None and owner.id == sid:
            return
        edit = E.place(issue, sid, self.frame_id) if sid else E.unlink(issue, self.frame_id)
        self.doc.push(edit, "place")


def _group(title: str) -> tuple[QGroupBox, QFormLayout]:
    box = QGroupBox(title)
    form = QFormLayout(box)
    form.setContentsMargins(6, 6, 6, 6)
    return box, form


def _spin(lo: int, hi: int) -> QSpinBox:
    w = QSpinBox()
    w.setRange(lo, hi)
    w.setKeyboardTracking(False)
    return w


def _dspin(lo: float, hi: float, step: float) -> QDoubleSpinBox:
    w = QDoubleSpinBox()
    w.setRange(lo, hi)
    w.setSingleStep(step)
    w.setDecimals(3)
    w.setKeyboardTracking(False)
    return w


def _fill_combo(combo: QComboBox, items: list[tuple[str, str]], current: str,
                none: bool = True) -> None:
    combo.blockSignals(True)
    combo.clear()
    if none:
        combo.addItem(tr("prop.none"), "")
    for sid, name in items:
        combo.addItem(name, sid)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    combo.blockSignals(False)



