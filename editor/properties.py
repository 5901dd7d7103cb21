"""The Properties dock: the selected frame's geometry (栏×行 and mm) and options.

Text frames: columns, balance, lock, story.  Headline frames: the story and its
引题/主题/副题.  Photos: image, fit, crop, caption, credit.  Photos, boxes and
captions: rotation; photos and boxes: text wrap (mode, offset).  Several frames:
their common fields (the group's first column and line — a change moves them
all —, size when they share it, lock, layer).  Columns and lines count from 1
here (第1栏 is the first column), as in the drag tip and the status bar; the file
counts from 0.  Every field edit is one undoable ``layout.edits`` edit.
"""
from __future__ import annotations

import typing

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout,
                               QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox,
                               QVBoxLayout, QWidget)

from layout import edits as E
from layout import model as m
from layout.units import UnitError, mm

from .i18n import tr
from .styles import color_label


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
        self.layer = QComboBox()
        self.layer.activated.connect(lambda _i: self._set(layer=self.layer.currentData() or ""))
        form.addRow(tr("prop.layer"), self.layer)
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
        # the language of the story in the frame: its fonts, centred marks, 「」
        self.language = QComboBox()
        for lang in STORY_LANGUAGES:
            self.language.addItem(tr("lang." + (lang or "paper")), lang)
        self.language.activated.connect(lambda _i: self._story_language())
        form.addRow(tr("prop.language"), self.language)
        lay.addWidget(self.text_box)

        # nothing selected: the paper's typesetting settings (标点, 中西文间距)
        self.paper_box, form = _group(tr("prop.paper"))
        self.paper_fields = {}
        for key in PAPER_KEYS:
            box = QComboBox()
            for v in typing.get_args(getattr(m, _PAPER_TYPES[key])):
                box.addItem(tr(f"paper.{key}.{v}"), v)
            box.activated.connect(lambda _i, k=key: self._paper(k))
            form.addRow(tr("paper." + key), box)
            self.paper_fields[key] = box
        lay.addWidget(self.paper_box)

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

        self.turn_box, form = _group(tr("prop.arrange"))
        self.rotate = _dspin(-180, 180, 15)
        self.rotate.setDecimals(2)
        self.rotate.setSuffix("°")
        self.rotate.valueChanged.connect(lambda v: self._set(rotate=round(v, 2)))
        form.addRow(tr("prop.rotate"), self.rotate)
        self.wrap_mode = QComboBox()
        for k in ("frame", "crop", "none"):
            self.wrap_mode.addItem(tr("wrap." + k), k)
        self.wrap_mode.activated.connect(lambda _i: self._wrap())
        self.wrap_offset = QLineEdit()
        self.wrap_offset.setPlaceholderText("0, 2mm, 1字")
        self.wrap_offset.editingFinished.connect(self._wrap)
        form.addRow(tr("prop.wrap"), self.wrap_mode)
        form.addRow(tr("prop.wrap_offset"), self.wrap_offset)
        self.wrap_rows = (self.wrap_mode, self.wrap_offset)
        lay.addWidget(self.turn_box)

        self.rule_box, form = _group(tr("kind.rule"))
        self.weight = QLineEdit()
        self.weight.editingFinished.connect(lambda: self._set(weight=self.weight.text().strip()))
        form.addRow(tr("prop.weight"), self.weight)
        lay.addWidget(self.rule_box)

        # colour and border of boxes and rules (issue 14)
        self.deco_box, form = _group(tr("prop.deco"))
        self.color = ColorPicker(doc)
        self.color.changed.connect(lambda ref: self._set(color=ref or "black"))
        form.addRow(tr("prop.color"), self.color)
        self.fill = ColorPicker(doc, allow_none=True)
        self.fill.changed.connect(lambda ref: self._set(fill=ref))
        form.addRow(tr("prop.fill"), self.fill)
        self.stroke = QLineEdit()
        self.stroke.editingFinished.connect(lambda: self._set(stroke=self.stroke.text().strip()))
        form.addRow(tr("prop.stroke"), self.stroke)
        self.border = QComboBox()
        for k in typing.get_args(m.BorderPattern):
            self.border.addItem(tr("border." + k), k)
        self.border.activated.connect(lambda _i: self._set_border(self.border.currentData()))
        form.addRow(tr("prop.border"), self.border)
        lay.addWidget(self.deco_box)
        lay.addStretch(1)
        # a choice as long as "。？！ full width, the others half" must not make the dock
        # wider than the window gives it (it was cut at the dock's edge): the boxes
        # shrink to the dock, their lists and tooltips show the whole text
        for box in self.findChildren(QComboBox):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(6)
            box.currentIndexChanged.connect(lambda _i, b=box: b.setToolTip(b.currentText()))
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
        for box in (self.text_box, self.head_box, self.photo_box, self.rule_box, self.deco_box,
                    self.paper_box):
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
        layers = [(ly.name, ly.name) for ly in self.doc.issue.layers]
        shared = {f.layer for f in frames}
        current = shared.pop() if len(shared) == 1 else ""
        current = "" if not layers or current == layers[0][0] else current
        _fill_combo(self.layer, layers[1:], current)
        if layers:
            self.layer.setItemText(0, layers[0][1])
        self.layer.setEnabled(bool(layers))

    def _fill(self, fr) -> None:
        kind = fr.kind if fr is not None else ""
        self.paper_box.setVisible(fr is None)
        if fr is None:
            paper = self.doc.issue.paper
            for key, box in self.paper_fields.items():
                box.setCurrentIndex(max(0, box.findData(getattr(paper, key))))
        self.geo_box.setVisible(fr is not None)
        self.text_box.setVisible(kind == "text")
        self.head_box.setVisible(kind == "headline")
        self.photo_box.setVisible(kind == "photo")
        self.rule_box.setVisible(kind == "rule")
        self.deco_box.setVisible(kind in ("box", "rule"))
        self.turn_box.setVisible(kind in m.ROTATABLE)
        if kind in m.ROTATABLE:
            self.rotate.setValue(fr.rotate)
            wrap = getattr(fr, "wrap", None)
            for w in self.wrap_rows:
                w.setEnabled(wrap is not None)
            if wrap is not None:
                self.wrap_mode.setCurrentIndex(max(0, self.wrap_mode.findData(wrap.mode)))
                self.wrap_offset.setText(wrap.offset)
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
        # the first layer is the frames' default (""): it takes the combo's first entry
        layers = [(ly.name, ly.name) for ly in self.doc.issue.layers]
        current = "" if not layers or fr.layer == layers[0][0] else fr.layer
        _fill_combo(self.layer, layers[1:], current)
        if layers:
            self.layer.setItemText(0, layers[0][1])
        self.layer.setEnabled(bool(layers))
        if kind in ("box", "rule"):
            self.color.set_ref(fr.color)
            self.fill.setVisible(kind == "box")
            self.stroke.setVisible(kind == "box")
            if kind == "box":
                self.fill.set_ref(fr.fill)
                self.stroke.setText(fr.stroke)
            self.border.setCurrentIndex(max(0, self.border.findData(
                fr.border if kind == "box" else fr.pattern)))
        stories = [(sid, st.name or st.headline.title or sid)
                   for sid, st in self.doc.issue.stories.items()]
        if kind == "text":
            self.columns.setValue(fr.columns)
            self.balance.setChecked(fr.balance)
            owner = self.doc.issue.story_of_frame(fr.id)
            _fill_combo(self.story, stories, owner.id if owner else "")
            lang = owner.language if owner is not None else ""
            self.language.setCurrentIndex(max(0, self.language.findData(
                "zh-Hans" if lang == "zh" else lang)))
            self.language.setEnabled(owner is not None)
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

    def _wrap(self) -> None:
        """The wrap mode and offset (an offset that is not a length is refused)."""
        if self._loading or self.frame_id is None:
            return
        fr = self.doc.issue.frame(self.frame_id)[1]
        if getattr(fr, "wrap", None) is None:
            return
        offset = self.wrap_offset.text().strip() or "0"
        try:
            self.doc.geometry.length(offset)
        except UnitError as exc:
            self.doc.refused.emit(f"{tr('prop.wrap_offset')}: {exc}")
            self.wrap_offset.setText(fr.wrap.offset)
            return
        self._set(wrap=m.Wrap(self.wrap_mode.currentData(), offset))

    def _set_border(self, pattern: str) -> None:
        if self._loading or self.frame_id is None:
            return
        kind = self.doc.issue.frame(self.frame_id)[1].kind
        self._set(**({"border": pattern} if kind == "box" else {"pattern": pattern}))

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

    def _story_language(self) -> None:
        """The language of the story in the selected text frame (one undo step)."""
        if self._loading or self.frame_id is None:
            return
        owner = self.doc.issue.story_of_frame(self.frame_id)
        lang = self.language.currentData() or ""
        if owner is not None and owner.language != lang:
            self.doc.push(E.SetStory(owner.id, language=lang), "story language")

    def _paper(self, key: str) -> None:
        """A paper setting (one undo step; every story is set again)."""
        if self._loading:
            return
        value = self.paper_fields[key].currentData()
        if getattr(self.doc.issue.paper, key) != value:
            self.doc.push(E.SetPaper(**{key: value}), "paper")

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


#: story languages offered ("": the paper's)
STORY_LANGUAGES = ("", "zh-Hans", "zh-Hant-TW", "zh-Hant-HK")
#: the paper's typesetting keys shown when nothing is selected
PAPER_KEYS = ("punctuation", "punctuation_width", "latin_spacing")
_PAPER_TYPES = {"punctuation": "Punctuation", "punctuation_width": "PunctuationWidth",
                "latin_spacing": "LatinSpacing"}


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





class ColorPicker(QWidget):
    """A colour reference: a swatch (or the paper, or none) and a tint in percent."""

    changed = Signal(str)             # the reference: "red", "red 30%", "paper", "" (none)

    def __init__(self, doc, allow_none: bool = False, parent=None):
        super().__init__(parent)
        self.doc, self.allow_none = doc, allow_none
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.swatch = QComboBox()
        self.tint = QSpinBox()
        self.tint.setRange(0, 100)
        self.tint.setSuffix(" %")
        self.tint.setValue(100)
        self.tint.setKeyboardTracking(False)
        row.addWidget(self.swatch, 1)
        row.addWidget(self.tint)
        self._loading = False
        self.swatch.activated.connect(lambda _i: self._emit())
        self.tint.valueChanged.connect(lambda _v: self._emit())
        self.set_ref("")

    def ref(self) -> str:
        """The reference the fields show."""
        name = self.swatch.currentData() or ""
        if not name:
            return ""
        t = self.tint.value()
        return name if t == 100 else f"{name} {t}%"

    def set_ref(self, ref: str) -> None:
        """Show a reference (the swatch list is refreshed from the document)."""
        self._loading = True
        try:
            try:
                name, tint = m.parse_color(ref) if ref else ("", 1.0)
            except ValueError:
                name, tint = ref, 1.0
            self.swatch.clear()
            if self.allow_none:
                self.swatch.addItem(tr("prop.none"), "")
            for n in self.doc.issue.colors:
                self.swatch.addItem(color_label(n), n)
            self.swatch.addItem(tr("swatch.paper"), "paper")
            if name and self.swatch.findData(name) < 0:
                self.swatch.addItem(name, name)
            self.swatch.setCurrentIndex(max(0, self.swatch.findData(name)))
            self.tint.setValue(round(tint * 100))
        finally:
            self._loading = False

    def _emit(self) -> None:
        if not self._loading:
            self.changed.emit(self.ref())
