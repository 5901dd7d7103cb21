"""Painting the engine's FrameResults with Qt: glyph runs, rules, boxes and images.

Glyphs are drawn with ``QRawFont`` + ``QGlyphRun`` at the exact positions the
engine computed, from the same font files the PDF embeds; nothing is
measured here (a run's extent comes from the advances in the result).
``FontCache`` keeps one QRawFont per (face key, size); ``PreparedFrame``, a
painter of ``layout.result.walk``, turns a FrameResult into Qt objects once,
so repainting a frame is a loop of ``drawGlyphRun`` calls over the runs in view.
"""
from __future__ import annotations

from PySide6.QtCore import QByteArray, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (QColor, QFont, QGlyphRun, QImageReader, QPainter, QPainterPath, QPen,
                           QPixmap, QRawFont, QTransform)

from common.color import cmyk_to_rgb
from fonts.errors import FontError
from fonts.sfnt import face_tables
from layout.model import color_value
from layout.result import BoxItem, FrameResult, ImageItem, Painter, PathItem, RuleItem, walk_frame


def cmyk_color(cmyk, alpha: float = 1.0) -> QColor:
    """A screen colour for a CMYK swatch (naive conversion; proofs use the PDF path)."""
    return QColor.fromRgbF(*cmyk_to_rgb((list(cmyk) + [0, 0, 0, 1])[:4]), alpha)


def frame_transform(fr: FrameResult) -> QTransform:
    """The turn of a rotated frame about its centre (the identity for others): the same
    transform the PDF writer puts in its ``cm``."""
    t = QTransform()
    if fr.rotation % 360:
        cx, cy = fr.center
        t.translate(cx, cy)
        t.rotate(fr.rotation)
        t.translate(-cx, -cy)
    return t


class FontCache:
    """QRawFonts per (face key, size), loaded from the fontset's font files (TrueType or CFF).

    A face the system's font database knows is opened from there (its file mapped, not
    read), once it is checked to be the very face; any other is read from its file once.
    Each further size is the same QRawFont at another pixel size, not parsed again."""

    def __init__(self, fontset):
        self.fontset = fontset
        self._data: dict[str, QByteArray | None] = {}
        self._raw: dict[tuple[str, float], QRawFont | None] = {}
        self._face_raw: dict[str, QRawFont] = {}     # face key → its first QRawFont

    @staticmethod
    def _read(face) -> QByteArray | None:
        """The face's bytes for QRawFont (None when the face has no file)."""
        try:           # the font file as it is (a .ttc's face on its own: QRawFont reads face 0 only)
            return QByteArray(face.data()) if hasattr(face, "data") else None
        except (OSError, KeyError, StopIteration, FontError):   # a face without a file
            return None

    def raw(self, key: str, size: float) -> QRawFont | None:
        """The QRawFont for a face at a size (None when the face has no file)."""
        k = (key, size)
        if k in self._raw:
            return self._raw[k]
        base = self._face_raw.get(key)
        if base is not None:
            raw = QRawFont(base)                # the parsed face at another size
            raw.setPixelSize(size)
            if raw.isValid():
                self._raw[k] = raw
                return raw
        raw = self._system_raw(key, size)
        if raw is None:
            data = self._data.get(key, b"")
            if data == b"":
                try:
                    data = self._read(self.fontset.face(key))
                except (OSError, KeyError, StopIteration, FontError):
                    data = None
                self._data[key] = data
            if data:
                raw = QRawFont(data, size, QFont.HintingPreference.PreferNoHinting)
                if not raw.isValid():
                    raw = None
        if raw is not None and key not in self._face_raw:
            self._face_raw[key] = raw
        self._raw[k] = raw
        return raw

    def _system_raw(self, key: str, size: float) -> QRawFont | None:
        """The face as the system's font database opens it (its file mapped, not read and
        copied: a CJK face is 20-30 MB), when that is the very face — the same 'name' and
        'head' tables as the face's own in its file — else None."""
        try:
            face = self.fontset.face(key)
            info = face.info
            path, index = face.path, face.index
        except (OSError, KeyError, StopIteration, FontError, AttributeError):
            return None
        if not info.family:
            return None
        qf = QFont(info.family)
        qf.setStyleName(info.style)
        try:
            qf.setWeight(QFont.Weight(info.weight))
        except ValueError:                      # a weight between Qt's named ones
            return None
        qf.setItalic(info.italic)
        qf.setPixelSize(max(1, round(size)))
        qf.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
        raw = QRawFont.fromFont(qf)
        if not raw.isValid():
            return None
        try:
            own = face_tables(path, index, (b"name", b"head"))
        except FontError:
            return None
        if any(bytes(raw.fontTable(tag.decode("latin-1"))) != got for tag, got in own.items()):
            return None                         # another face answered to its names
        raw.setPixelSize(size)
        return raw if raw.isValid() else None


class PixmapCache:
    """Screen-resolution previews of placed images (at most ``limit`` pixels wide)."""

    def __init__(self, limit: int = 1600):
        self.limit = limit
        self._cache: dict[str, QPixmap | None] = {}

    def get(self, path: str) -> QPixmap | None:
        """The preview pixmap of an image file, read once."""
        if path not in self._cache:
            reader = QImageReader(path)
            reader.setAutoTransform(True)
            size = reader.size()
            if size.isValid() and size.width() > self.limit:
                # halved until at most the limit: a JPEG decodes at 1/2, 1/4 … of its size
                # without the full-size pass (the preview stays over half the limit wide)
                w, h = size.width(), size.height()
                while w > self.limit:
                    w, h = (w + 1) // 2, (h + 1) // 2
                reader.setScaledSize(QSize(max(1, w), max(1, h)))
            img = reader.read()
            self._cache[path] = QPixmap.fromImage(img) if not img.isNull() else None
        return self._cache[path]


class _Run:
    """One glyph run's drawing: its bounds now, its QGlyphRun when first painted."""

    __slots__ = ("run", "rect", "glyphs", "color", "boxes", "dy")

    def __init__(self, run, colors: dict):
        self.run = run
        self.dy = 0.0                   # how far below its glyphs' positions it is drawn
        ys = run.ys or (run.y,)
        right = max(x + a for x, a in zip(run.xs, run.advances)) if run.ys else run.right
        self.rect = QRectF(min(run.xs), min(ys) - run.size,
                           right - min(run.xs) + run.size * 0.2,
                           max(ys) - min(ys) + run.size * 1.3)
        self.color = _ink(colors, run.color)
        self.glyphs: QGlyphRun | None = None
        self.boxes: list[QRectF] | None = None

    @classmethod
    def moved(cls, old: "_Run", run) -> "_Run":
        """``run`` drawn with the glyphs of ``old``, an equal run on another baseline (a
        line pushed down or up by the lines above it)."""
        self = cls.__new__(cls)
        self.run, self.color, self.glyphs, self.boxes = run, old.color, old.glyphs, None
        self.dy = old.dy + run.y - old.run.y
        self.rect = old.rect.translated(0, run.y - old.run.y)
        return self

    def prepare(self, fonts: FontCache) -> None:
        """Build the QGlyphRun (or the fallback boxes when the face has no file)."""
        run = self.run
        ys = run.ys or [run.y] * len(run.xs)
        raw = fonts.raw(run.font, run.size)
        if raw is None:                 # no font file (test fonts): draw boxes
            self.boxes = [QRectF(x, y - run.size * 0.8, a * 0.8, run.size * 0.8)
                          for x, y, a in zip(run.xs, ys, run.advances)]
            return
        gr = QGlyphRun()
        gr.setRawFont(raw)
        gr.setGlyphIndexes(list(run.glyphs))
        # 长/扁 type is drawn under a scaled painter (see paint): positions in its units
        hs, vs = run.hscale, run.vscale
        gr.setPositions([QPointF(x / hs, y / vs) for x, y in zip(run.xs, ys)])
        self.glyphs = gr


class PreparedFrame(Painter):
    """A FrameResult ready for painting: run bounds at once, Qt glyph runs when first shown.

    It walks the frame once (``layout.result.walk_frame``), keeping its rules,
    boxes and images and a prepared form of each glyph run.  ``memo`` maps
    GlyphRuns to their prepared form; passing the previous frame's memo re-uses
    the runs an edit did not change.
    """

    def __init__(self, fr: FrameResult, fonts: FontCache, colors: dict, memo: dict | None = None):
        self.result, self.fonts, self.colors = fr, fonts, colors
        self._old = memo or {}
        self._base = memo                    # the memo it was made from, and what it kept
        self._kept: set[int] = set()         # of it (ids of the prepared runs it reuses)
        self._at: dict | None = None
        self._inks: dict = {}
        self._pending: list = []             # runs not found by identity (new or changed)
        self.memo: dict = {}                 # id(run) → its prepared form (which holds the run)
        self.items: list = []                # rules, boxes, images
        walk_frame(fr, self)
        if self._pending:
            self._match_pending()
        self._old = None
        self.runs: list[_Run] = list(self.memo.values())

    def _ink_of(self, name: str) -> QColor:
        ink = self._inks.get(name)
        if ink is None:
            ink = self._inks[name] = _ink(self.colors, name)
        return ink

    def glyph_run(self, run, line) -> None:
        """Keep the run's prepared form: the previous one when it is the very same run
        (the others are matched once the frame is walked)."""
        prep = self._old.get(id(run))
        if prep is not None and prep.run is run and prep.color == self._ink_of(run.color):
            self._kept.add(id(prep))
        else:
            prep = None
            self._pending.append(run)
        self.memo[id(run)] = prep            # its place in the drawing order

    def _match_pending(self) -> None:
        """The prepared forms of the runs that are not the very same as before: an equal
        run's at the same place, else a moved run's glyphs (the same glyphs at the same x on
        another baseline), else a new one.  Only the previous runs not kept are looked at."""
        kept = self._kept
        rest = [prep for prep in self._old.values() if id(prep) not in kept]
        at = _index(rest)
        shapes: dict | None = None
        for run in self._pending:
            ink = self._ink_of(run.color)
            prep = _equal_at(at, run)
            if prep is not None and prep.color == ink:
                kept.add(id(prep))
            else:                                            # new, moved, or a swatch changed
                prep = None
                if run.ys is None and rest:
                    if shapes is None:
                        shapes = {}
                        for old in rest:
                            if old.glyphs is not None and old.run.ys is None:
                                shapes.setdefault(_shape_key(old.run), old)
                    old = shapes.get(_shape_key(run))
                    if old is not None and old.color == ink and \
                            old.run.glyphs == run.glyphs and old.run.xs == run.xs:
                        prep = _Run.moved(old, run)          # its glyphs, drawn lower/higher
                if prep is None:
                    prep = _Run(run, self.colors)
            self.memo[id(run)] = prep
        self._pending = []

    def index(self) -> dict:
        """This frame's prepared runs by place (baseline, first glyph's x)."""
        if self._at is None:
            self._at = _index(self.memo.values())
        return self._at

    def rule(self, rule) -> None:
        """Keep the rule."""
        self.items.append(rule)

    def box(self, box) -> None:
        """Keep the box."""
        self.items.append(box)

    def path(self, path) -> None:
        """Keep the path (a patterned border or rule)."""
        self.items.append(path)

    def image(self, image) -> None:
        """Keep the image."""
        self.items.append(image)

    def paint(self, painter: QPainter, colors: dict, images: PixmapCache | None,
              exposed: QRectF | None = None) -> None:
        """Draw the frame's items and glyph runs that meet ``exposed``."""
        for item in self.items:
            paint_item(painter, item, colors, images)
        current = None
        for r in self.runs:
            if exposed is not None and not exposed.intersects(r.rect):
                continue
            if r.glyphs is None and r.boxes is None:
                r.prepare(self.fonts)
            if r.glyphs is not None:
                if current is None or current != r.color:
                    painter.setPen(r.color)
                    current = r.color
                run = r.run
                if run.hscale != 1.0 or run.vscale != 1.0:
                    # 长/扁: every glyph narrowed (or lowered) about its own origin
                    painter.save()
                    painter.setTransform(QTransform.fromScale(run.hscale, run.vscale), True)
                    painter.drawGlyphRun(QPointF(0, r.dy / run.vscale), r.glyphs)
                    painter.restore()
                else:
                    painter.drawGlyphRun(QPointF(0, r.dy), r.glyphs)
            else:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(r.color.lighter(250))
                for b in r.boxes:
                    painter.drawRect(b)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                current = None

    def changed_rects(self, previous: "PreparedFrame | None") -> list[QRectF] | None:
        """The areas whose drawing differs from ``previous``, one per text line (None: all)."""
        if previous is None or previous.items != self.items:
            return None
        lines: dict[tuple[float, float], QRectF] = {}
        if self._base is not None and previous.memo is self._base:
            # made from it: what it did not keep is new here or gone from there
            kept = self._kept
            for prep in (*self.memo.values(), *previous.memo.values()):
                if id(prep) not in kept:
                    key = (round(prep.rect.left() / 50), round(prep.run.y, 1))
                    lines[key] = lines.get(key, QRectF()).united(prep.rect)
            return list(lines.values())
        for mine, other in ((self, previous), (previous, self)):
            theirs = other.memo
            for rid, prep in mine.memo.items():
                got = theirs.get(rid)
                if got is not None and got.run is prep.run:
                    continue                                  # the very same run
                run = prep.run
                if _equal_at(other.index(), run) is not None:
                    continue                                  # an equal run, same place
                key = (round(prep.rect.left() / 50), round(run.y, 1))
                lines[key] = lines.get(key, QRectF()).united(prep.rect)
        return list(lines.values())


def _shape_key(run) -> tuple:
    """What a run's drawing is made of but its baseline (a quick key; glyphs and x are
    compared in full on a hit)."""
    return (run.font, run.size, run.hscale, run.vscale, run.rotate, len(run.glyphs),
            run.glyphs[0] if run.glyphs else None, run.xs[0] if run.xs else None,
            run.xs[-1] if run.xs else None)


def _place(run) -> tuple:
    return (round(run.y, 1), round(run.xs[0], 2) if run.xs else None)


def _index(preps) -> dict:
    """Prepared runs by place (baseline, first x)."""
    out: dict = {}
    for prep in preps:
        out.setdefault(_place(prep.run), []).append(prep)
    return out


def _equal_at(index: dict, run):
    """The prepared form of a run equal to ``run`` at its place, or None."""
    for prep in index.get(_place(run), ()):
        if prep.run == run:
            return prep
    return None


def _ink(colors: dict, name: str) -> QColor:
    """The screen colour of a colour reference: a swatch, a tint ("red 30%"), the paper."""
    c = colors.get(name)
    if c is None:
        c = color_value(colors, name) or (0, 0, 0, 1)
    return cmyk_color(c)


def qt_path(ops) -> QPainterPath:
    """A PathItem's outlines as a QPainterPath (non-zero winding, as the PDF fills)."""
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.WindingFill)
    for op in ops:
        c = op[0]
        if c == "M":
            path.moveTo(op[1], op[2])
        elif c == "L":
            path.lineTo(op[1], op[2])
        elif c == "C":
            path.cubicTo(op[1], op[2], op[3], op[4], op[5], op[6])
        elif c == "Z":
            path.closeSubpath()
    return path


def paint_item(painter: QPainter, item, colors: dict, images: PixmapCache | None) -> None:
    """Draw one RuleItem, BoxItem, PathItem or ImageItem."""
    if isinstance(item, PathItem):
        if item.stroke > 0:
            pen = QPen(_ink(colors, item.color), item.stroke)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
            painter.setPen(pen)
        else:
            painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(_ink(colors, item.fill) if item.fill else Qt.BrushStyle.NoBrush)
        painter.drawPath(qt_path(item.ops))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        return
    if isinstance(item, RuleItem):
        pen = QPen(_ink(colors, item.color), item.weight)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        if item.dash:
            pen.setDashPattern([d / max(item.weight, 0.01) for d in item.dash])
        painter.setPen(pen)
        painter.drawLine(QPointF(item.x0, item.y0), QPointF(item.x1, item.y1))
    elif isinstance(item, BoxItem):
        x, y, w, h = item.rect
        painter.setBrush(_ink(colors, item.fill) if item.fill else Qt.BrushStyle.NoBrush)
        if item.stroke > 0:
            painter.setPen(QPen(_ink(colors, item.color), item.stroke))
        else:
            painter.setPen(Qt.PenStyle.NoPen)
        painter.drawRect(QRectF(x, y, w, h))
        painter.setBrush(Qt.BrushStyle.NoBrush)
    elif isinstance(item, ImageItem):
        pix = images.get(item.path) if images is not None else None
        cx, cy, cw, ch = item.clip
        painter.save()
        painter.setClipRect(QRectF(cx, cy, cw, ch), Qt.ClipOperation.IntersectClip)
        if pix is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            painter.drawPixmap(QRectF(*item.rect), pix, QRectF(pix.rect()))
        else:
            painter.fillRect(QRectF(cx, cy, cw, ch), QColor(200, 200, 200))
        painter.restore()


class _Thumbnail(Painter):
    """Draws a page small: items as they are, each text line as a grey bar (greeked)."""

    def __init__(self, painter: QPainter, colors: dict, images: PixmapCache | None):
        self.p, self.colors, self.images = painter, colors, images
        self.bars: dict = {}

    def begin_frame(self, frame) -> None:
        self.bars = {}

    def rule(self, item) -> None:
        paint_item(self.p, item, self.colors, self.images)

    box = image = path = rule

    def glyph_run(self, run, line) -> None:
        if not run.xs:
            return
        key = (round(run.y, 1), run.size)
        x0, x1 = self.bars.get(key, (run.xs[0], run.right))
        self.bars[key] = (min(x0, run.xs[0]), max(x1, run.right))

    def end_frame(self, frame) -> None:
        p = self.p
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(150, 150, 150))
        for (y, size), (x0, x1) in self.bars.items():
            p.drawRect(QRectF(x0, y - size * 0.7, x1 - x0, size * 0.6))
        p.setBrush(Qt.BrushStyle.NoBrush)


def paint_thumbnail(painter: QPainter, page, colors: dict,
                    images: PixmapCache | None = None) -> None:
    """Draw a PageResult small: paper, items, and each text line as a grey bar (greeked)."""
    painter.fillRect(QRectF(0, 0, page.width, page.height), Qt.GlobalColor.white)
    thumb = _Thumbnail(painter, colors, images)
    for fr in page.frames:
        if not fr.visible:
            continue
        if fr.rotation % 360:
            painter.save()
            painter.setTransform(frame_transform(fr), True)
            walk_frame(fr, thumb)
            painter.restore()
        else:
            walk_frame(fr, thumb)
