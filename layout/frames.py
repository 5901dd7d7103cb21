"""Composition of the frames that are not story flow: headlines, bylines,
captions, photos, rules and boxes."""
from __future__ import annotations

import os
from dataclasses import field, replace

from common.prebuilt import prebuilt_dataclass

from . import model as m
from .borders import box_items, rule_items
from .breaking import set_line
from .grid import EM_ASCENT, PageGeometry
from .headline import Segmenter, balanced_breaks
from .result import (BoxItem, Diagnostic, FrameResult, GlyphRun, ImageItem, Rect, RuleItem,
                     Source)
from .setter import Setter, Style, line_runs
from . import _methods as _dataclass_methods

# @dataclass, with the methods dataclasses would write generated ahead of time into
# layout/_methods.py (see common/prebuilt.py)
dataclass = prebuilt_dataclass(_dataclass_methods)


def outside_folder(rel: str) -> bool:
    """Whether a document path leads out of the issue's folder: absolute, or up through '..'.

    Judged on the text alone: a symbolic link inside the folder is the folder's
    owner's choice and is followed.
    """
    if os.path.isabs(rel) or os.path.splitdrive(rel)[0] or rel.startswith(("/", "\\")):
        return True
    norm = os.path.normpath(rel.replace("\\", "/"))
    return norm == os.pardir or norm.startswith(os.pardir + os.sep) or norm.startswith("../")


@dataclass
class _Building:
    """A frame's result while it is being composed (frozen into a FrameResult at the end)."""
    rect: Rect
    items: list = field(default_factory=list)
    story: str = ""


class FrameComposer:
    """Composes the frames that are not story flow (headline, byline, caption, photo,
    rule, box) into FrameResults."""

    def __init__(self, setter: Setter, geo: PageGeometry, issue: m.Issue,
                 segmenter: Segmenter, base_dir: str, allow_outside: bool = False):
        self.setter, self.geo, self.issue = setter, geo, issue
        self.segmenter, self.base_dir = segmenter, base_dir
        self.allow_outside = allow_outside
        self.diagnostics: list[Diagnostic] = []
        self.language = ""               # the language of the frame's story ("" = the paper's)

    # ------------------------------------------------------------ helpers
    def _prepare(self, text: str, st: Style, words: list[int] | None):
        """Shaped text; Chinese headlines (given word boundaries) get 1 em between phrases."""
        phrase_gaps = words is not None and not st.latin
        return self.setter.prepare_text(text, st, space_em=1.0 if phrase_gaps else 0.0,
                                        language=self.language)

    def _set_text(self, fr: _Building, text: str, st: Style, x: float, width: float,
                  row: int, source: Source, align: str | None = None,
                  words: list[int] | None = None) -> int:
        """Set a short text from grid line ``row``; return the grid lines used."""
        if not text:
            return 0
        p = self._prepare(text, st, words)
        align = align or st.align
        if words is not None:
            spans = balanced_breaks(p, width, words) or [(s.start, s.end) for s in
                                                         self.setter.lines(p, width, 0, 0.0, align)]
            lines = [set_line(p, s, e, width, True, align) for s, e in spans]
        else:
            lines = self.setter.lines(p, width, 0, st.indent, align)
        for k, line in enumerate(lines):
            y = self.geo.baseline(row + k * st.leading, st.size, st.leading)
            fr.items.extend(line_runs(p, line, x, y, source))
        return len(lines) * st.leading

    def _count_lines(self, text: str, st: Style, width: float, words=None) -> int:
        if not text:
            return 0
        p = self._prepare(text, st, words)
        if words is not None:
            spans = balanced_breaks(p, width, words)
            if spans is not None:
                return len(spans)
        return len(self.setter.lines(p, width, 0, st.indent, st.align))

    # ------------------------------------------------------------ frames
    def compose(self, page: m.Page, frame: m.Frame) -> FrameResult:
        """The frame's result."""
        fr = _Building(self.geo.frame_rect(frame))
        story = self.issue.stories.get(getattr(frame, "story", "") or "")
        self.language = story.language if story is not None else ""   # "" = the paper's
        handler = getattr(self, "_" + frame.kind)
        handler(page, frame, fr)
        return FrameResult(frame.id, frame.kind, fr.rect, tuple(fr.items), story=fr.story,
                           rotation=float(getattr(frame, "rotate", 0.0) or 0.0))

    def _headline(self, page: m.Page, frame: m.HeadlineFrame, fr: _Building) -> None:
        story = self.issue.stories.get(frame.story)
        if story is None:
            return
        fr.story = story.id
        hl = story.headline
        x, _, w, _ = fr.rect
        # a part whose style is left empty is not shown (e.g. the title alone on a jump page)
        parts = [(part, text, name) for part, text, name in
                 (("kicker", hl.kicker, frame.kicker_style),
                  ("title", hl.title, frame.title_style),
                  ("subtitle", hl.subtitle, frame.subtitle_style)) if name]
        styles = {part: self.setter.style(name) for part, _, name in parts}
        if frame.vertical:
            self._vertical_title(frame, fr, hl.title, styles["title"], story.id)
            return
        words = {part: self.segmenter.boundaries(text) for part, text, _ in parts if text}
        # fit: shrink the title through the 号 sizes until the stack fits the frame
        title_st = styles.get("title") or self.setter.style("title")
        sizes = sorted({v for v in self.issue.paper.hao.values() if v <= title_st.size},
                       reverse=True)

        def total(st_title):
            n = 0
            for part, text, _ in parts:
                st = st_title if part == "title" else styles[part]
                n += self._count_lines(text, st, w, words.get(part)) * st.leading
            return n
        chosen = title_st
        # as make-up editors do: 长一, then 长二 of the same 号 before a smaller 号
        narrow = (1.0, 0.9, 0.8) if (title_st.hscale, title_st.vscale) == (1.0, 1.0) \
            else (title_st.hscale,)
        for size in sizes:
            cand = next((c for c in (Style(**{**title_st.__dict__, "size": size, "hscale": h})
                                     for h in narrow) if total(c) <= frame.lines), None)
            if cand is not None:
                chosen = cand
                break
        else:
            self.diagnostics.append(Diagnostic(
                "warning", "headline-fit",
                f"headline of story '{story.id}' does not fit its frame "
                f"({frame.lines} lines) at any size", page=page.number,
                frame=frame.id, story=story.id))
        if chosen.size == title_st.size and chosen.hscale != title_st.hscale:
            self.diagnostics.append(Diagnostic(
                "info", "headline-fit",
                f"headline of story '{story.id}' does not fit at {title_st.size:g} pt; "
                f"set 长{'一二'[round((1 - chosen.hscale) * 10) - 1]} "
                f"({chosen.hscale:.0%} width)", page=page.number, frame=frame.id,
                story=story.id))
        if chosen.size != title_st.size:
            self.diagnostics.append(Diagnostic(
                "warning", "headline-fit",
                f"headline of story '{story.id}' does not fit at {title_st.size:g} pt; "
                f"set at {chosen.size:g} pt (suggested size)", page=page.number,
                frame=frame.id, story=story.id))
        if "title" in styles:
            styles["title"] = chosen
        used = total(chosen)
        row = frame.line + max(0, (frame.lines - used) // 2)
        for part, text, _ in parts:
            if text:
                row += self._set_text(fr, text, styles[part], x, w, row,
                                      Source(story.id, -1, part), frame.align,
                                      words=words.get(part))

    def _vertical_title(self, frame, fr: _Building, text: str, st: Style, sid: str) -> None:
        """竖排: the title top to bottom, punctuation in its vertical forms."""
        if not text:
            return
        p = self.setter.prepare_text(text, st, language=self.language)
        sh = p.sh
        x, y, w, h = fr.rect
        step = st.size * st.vscale           # 扁 type: each character lower, so less advance
        cx = x + (w - st.size * st.hscale) / 2
        pen_y = y + max(0.0, (h - len(sh.text) * step) / 2) + step * EM_ASCENT
        glyphs, xs, ys, keep, offs = [], [], [], [], []
        face = sh.faces[0]
        for i, ch in enumerate(sh.text):
            if ch == " ":
                pen_y += step
                continue
            glyphs.append(face.vert(sh.gids[i]) if hasattr(face, "vert") else sh.gids[i])
            xs.append(cx)
            ys.append(pen_y)
            keep.append(ch)
            offs.append(i)
            pen_y += step
        fr.items.append(GlyphRun(face.key, st.size, tuple(glyphs), tuple(xs),
                                 ys[0] if ys else y, "".join(keep), tuple(offs),
                                 (step,) * len(glyphs), Source(sid, -1, "title"),
                                 st.color, ys=tuple(ys), hscale=st.hscale, vscale=st.vscale))

    def _byline(self, page: m.Page, frame: m.BylineFrame, fr: _Building) -> None:
        story = self.issue.stories.get(frame.story) if frame.story else None
        text = story.byline if story else frame.text
        fr.story = story.id if story else ""
        st = self.setter.style(frame.style)
        x, _, w, _ = fr.rect
        used = self._count_lines(text, st, w) * st.leading
        row = frame.line + max(0, (frame.lines - used) // 2)
        self._set_text(fr, text, st, x, w, row, Source(fr.story, -1, "byline"))

    def _caption(self, page: m.Page, frame: m.CaptionFrame, fr: _Building) -> None:
        st = self.setter.style(frame.style)
        x, _, w, _ = fr.rect
        self._set_text(fr, frame.text, st, x, w, frame.line, Source("", -1, "caption"))

    def _photo(self, page: m.Page, frame: m.PhotoFrame, fr: _Building) -> None:
        x, y, w, h = fr.rect
        story = self.issue.stories.get(frame.story) if frame.story else None
        fr.story = story.id if story else ""
        credit = frame.credit or (story.credit if story else "")
        cap = self.setter.style(frame.caption_style)
        cre = self.setter.style(frame.credit_style)
        cap_rows = self._count_lines(frame.caption, cap, w) * cap.leading
        cre_rows = cre.leading if credit else 0
        img_rows = max(1, frame.lines - cap_rows - cre_rows)
        img_h = img_rows * self.geo.pitch - (self.geo.pitch - self.geo.body) / 2
        clip = (x, y, w, img_h)
        path = os.path.join(self.base_dir, frame.image) if frame.image else ""
        if frame.image and not self.allow_outside and outside_folder(frame.image):
            self.diagnostics.append(Diagnostic(
                "error", "image-outside", f"photo frame '{frame.id}': image '{frame.image}' is "
                "outside the issue's folder (copy it in, or allow it: --allow-outside)",
                page=page.number, frame=frame.id))
            fr.items.append(BoxItem(clip, 0.5, "black", "grey"))
        elif frame.image and not os.path.isfile(path):
            self.diagnostics.append(Diagnostic("error", "image-missing",
                                               f"photo frame '{frame.id}': image file "
                                               f"'{frame.image}' not found", page=page.number,
                                               frame=frame.id))
            fr.items.append(BoxItem(clip, 0.5, "black", "grey"))
        elif frame.image:
            fr.items.append(self._place_image(frame, clip, path, page))
        else:
            fr.items.append(BoxItem(clip, 0.5, "black", "grey"))
        row = frame.line + img_rows
        if credit:
            self._set_text(fr, credit, cre, x, w, row, Source(fr.story, -1, "credit"), "right")
            row += cre_rows
        if frame.caption:
            self._set_text(fr, frame.caption, cap, x, w, row, Source("", -1, "caption"))

    def _place_image(self, frame: m.PhotoFrame, clip, path: str, page: m.Page):
        from .images import image_size
        x, y, w, h = clip
        try:
            pw, ph = image_size(path)
        except ValueError as exc:
            self.diagnostics.append(Diagnostic("error", "image-bad",
                                               f"photo frame '{frame.id}': {exc}",
                                               page=page.number, frame=frame.id))
            return BoxItem(clip, 0.5, "black", "grey")
        cx, cy, zoom = (list(frame.crop) + [0.5, 0.5, 1.0][len(frame.crop):])[:3]
        if frame.fit == "fit":
            scale = min(w / pw, h / ph)
        else:                               # fill and crop cover the frame
            scale = max(w / pw, h / ph) * (zoom if frame.fit == "crop" else 1.0)
        dw, dh = pw * scale, ph * scale
        dx = x + (w - dw) * cx if dw > w else x + (w - dw) / 2
        dy = y + (h - dh) * cy if dh > h else y + (h - dh) / 2
        ppi = pw / (dw / 72.0) if dw else 0.0
        return ImageItem(clip, (dx, dy, dw, dh), os.path.abspath(path), (pw, ph), ppi)

    def _rule(self, page: m.Page, frame: m.RuleFrame, fr: _Building) -> None:
        weight = self.geo.length(frame.weight)
        fr.items.extend(rule_items(fr.rect, frame.pattern, weight, frame.color))

    def _box(self, page: m.Page, frame: m.BoxFrame, fr: _Building) -> None:
        stroke = self.geo.length(frame.stroke)
        fr.items.extend(box_items(fr.rect, frame.border, stroke, frame.color, frame.fill))

    def _text(self, page, frame, fr):      # text frames are filled by the flow
        return None

    # ------------------------------------------------------------ tables
    def _table(self, page: m.Page, frame: m.TableFrame, fr: _Building) -> None:
        """Rows × columns of cell texts on the baseline grid, columns as wide as their
        content asks (shared out over the frame's width), digits aligned, and rules."""
        x, y, w, h = fr.rect
        geo = self.geo
        n_cols = frame.n_columns
        if not n_cols:
            return
        body = self.setter.style(frame.style)
        head = self.setter.style(frame.header_style) if frame.header_style else body
        pad = geo.body / 2                     # half a 字 each side of a cell
        styles = [head if frame.header and i == 0 else body for i in range(frame.n_rows)]
        prepared = [[self.setter.prepare_text(t, st) if t else None for t in row]
                    for row, st in zip(frame.cells, styles)]
        natural = [max((p.natural(0, p.n) for p in (row[c] for row in prepared
                                                      if c < len(row)) if p is not None),
                       default=0.0) + 2 * pad for c in range(n_cols)]
        total = sum(natural)
        if total <= w:                          # room to spare: shared out evenly
            widths = [nw + (w - total) / n_cols for nw in natural]
        else:                                   # too narrow: in proportion (cells wrap)
            widths = [w * nw / total for nw in natural]
        lefts = [x + sum(widths[:c]) for c in range(n_cols)]
        aligns = [frame.align[c] if c < len(frame.align) else "left" for c in range(n_cols)]
        # decimal columns: the widest part after the decimal point, per column
        tails = [max((self._decimal_split(p)[1] for p in (row[c] for row in prepared[
                     1 if frame.header else 0:] if c < len(row)) if p is not None), default=0.0)
                 for c in range(n_cols)]
        row = int(round((y - geo.top) / geo.pitch))
        bottom_row = row + int(round(h / geo.pitch))
        row_tops = []
        for r, (cells, st) in enumerate(zip(prepared, styles)):
            row_tops.append(row)
            used = 1
            for c, p in enumerate(cells):
                if p is None:
                    continue
                header = frame.header and r == 0
                align = "center" if header else aligns[c]
                measure = widths[c] - 2 * pad
                lines = self.setter.lines(p, max(measure, st.size), 0, 0.0, "left")
                used = max(used, len(lines))
                for k, line in enumerate(lines):
                    base = geo.baseline(row + k * st.leading, st.size, st.leading)
                    runs = line_runs(p, line, 0.0, base, Source("", r, "cell"))
                    width = p.natural(line.start, line.end)
                    left = lefts[c] + pad
                    if align == "right":
                        dx = left + measure - width
                    elif align == "center":
                        dx = left + (measure - width) / 2
                    elif align == "decimal":
                        dx = left + measure - tails[c] - self._decimal_split(p)[0]
                    else:
                        dx = left
                    fr.items.extend(replace(run, xs=tuple(v + dx for v in run.xs))
                                    for run in runs)
            row += used * st.leading
        row_tops.append(row)
        if row > bottom_row:
            self.diagnostics.append(Diagnostic(
                "warning", "table-fit", f"table frame '{frame.id}' needs {row - row_tops[0]} "
                f"lines, it has {bottom_row - row_tops[0]}", page=page.number, frame=frame.id))
        self._table_rules(frame, fr, widths, [geo.line_y(t) for t in row_tops])

    def _decimal_split(self, p) -> tuple[float, float]:
        """The width of a cell's text before and from its decimal point (the whole text
        before when it has none)."""
        text = p.sh.text
        dot = text.rfind(".")
        if dot < 0:
            dot = len(text)
            while dot > 0 and not text[dot - 1].isdigit():   # units after the number: 12 ℃
                dot -= 1
            if dot == 0:
                dot = len(text)
        return p.natural(0, dot), p.natural(dot, p.n)

    def _table_rules(self, frame: m.TableFrame, fr: _Building, widths: list[float],
                     tops: list[float]) -> None:
        x, y, w, h = fr.rect
        rules, color = frame.rules, frame.color
        weight = self.geo.length(rules.weight)
        top, bottom = y, tops[-1]             # around the rows set
        if rules.outer:
            fr.items.append(BoxItem((x, top, w, bottom - top), weight, color))
        if rules.header and frame.header and len(tops) > 2:
            fr.items.append(RuleItem(x, tops[1], x + w, tops[1], weight * 2 if rules.outer
                                     else weight, color))
        if rules.rows:
            first = 2 if frame.header else 1
            for t in tops[first:-1]:
                fr.items.append(RuleItem(x, t, x + w, t, weight / 2, color))
        if rules.columns:
            cx = x
            for cw in widths[:-1]:
                cx += cw
                fr.items.append(RuleItem(cx, top, cx, bottom, weight / 2, color))
