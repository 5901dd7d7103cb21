"""The text setter: styled text → shaped, broken lines → glyph runs, with caches.

It is the one place that turns characters into measured, positioned glyphs.
Caches are keyed by content (text, styles, measure), so after an edit only the
changed paragraph is shaped and broken again.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import repeat
from operator import add, sub

from common.prebuilt import prebuilt_dataclass

from . import chars as C
from .breaking import Line, Prepared, break_counts, break_paragraph, may_fit, set_line, set_spans
from .model import OPENTYPE_LANGUAGE, Issue, Paragraph, ParagraphStyle, is_traditional, shape_scale
from .result import GlyphRun, Source
from .shaping import RunSpec, Shaped, shape
from .units import font_size
from . import _methods as _dataclass_methods

# @dataclass, with the methods dataclasses would write generated ahead of time into
# layout/_methods.py (see common/prebuilt.py)
dataclass = prebuilt_dataclass(_dataclass_methods)


@dataclass(frozen=True)
class Style:
    """A paragraph style resolved to numbers."""
    name: str
    role: str
    size: float
    leading: int            # grid lines per line
    indent: float           # pt
    align: str
    space_before: int
    space_after: int
    keep_with_next: bool
    color: str
    latin: bool
    hscale: float = 1.0     # 长N type: glyph width scale
    vscale: float = 1.0     # 扁N type: glyph height scale


class Setter:
    """Shapes and breaks paragraphs for one issue and font set, caching by content."""

    def __init__(self, issue: Issue, fontset, hyphenator=None):
        self.issue, self.fontset = issue, fontset
        self._styles: dict[str, Style] = {}
        self._prepared: dict[tuple, Prepared] = {}
        self._lines: dict[tuple, list[Line]] = {}
        self._counts: dict[tuple, tuple] = {}     # (id, measure, start, indent) → (top, {k: spans})
        self._breaks: dict[tuple, list] = {}      # (id, measure, start, indent) → best spans
        self._runs: dict[tuple, tuple] = {}
        self._parts: dict[int, tuple] = {}    # id(line) → (line, line_parts), wherever placed
        self._cells: dict = {}      # shaping's memo: each character's cell per font role
        self._hyphenator = hyphenator
        self.stats = {"shaped": 0, "broken": 0}
        self._r3: dict[float, float] = {}   # round(x, 3) of the measures and indents keyed

    # ------------------------------------------------------------ styles
    def style(self, name: str) -> Style:
        """The named paragraph style, resolved."""
        st = self._styles.get(name)
        if st is None:
            ps: ParagraphStyle = self.issue.paragraph_styles.get(name) or ParagraphStyle()
            size = font_size(ps.size, self.issue.paper.hao)
            lang = ps.language or self.issue.paper.language
            hs, vs = shape_scale(ps.shape)
            st = Style(name, ps.font, size, max(1, round(ps.leading)), ps.indent * size * hs,
                       ps.align, round(ps.space_before), round(ps.space_after),
                       ps.keep_with_next, ps.color, lang == "en", hs, vs)
            self._styles[name] = st
        return st

    def rules(self) -> C.Rules:
        """The composition rules of the paper's settings."""
        return C.rules_of(self.issue.paper)

    def run_specs(self, para: Paragraph, style: Style, language: str = "") -> list[RunSpec]:
        """The paragraph's runs with character styles applied, in the story's ``language``
        ("" = the paper's): see ``glyph_language``."""
        out = []
        locl, marks, lang = self.glyph_language(style, language)
        fonts = self.issue.fonts
        for r in para.runs:
            role, size, color = style.role, style.size, style.color
            hs, vs = style.hscale, style.vscale
            if r.style:
                cs = self.issue.char_styles.get(r.style)
                if cs is not None:
                    role = cs.font or role
                    size = font_size(cs.size, self.issue.paper.hao) if cs.size else size
                    color = cs.color or color
                    if cs.shape:
                        hs, vs = shape_scale(cs.shape)
            if f"{role}@{lang}" in fonts:
                role = f"{role}@{lang}"
            out.append(RunSpec(r.text, role, size, color, locl, marks, hscale=hs, vscale=vs))
        return out

    def glyph_language(self, style: Style, language: str = "") -> tuple[str, bool, str]:
        """(OpenType language for GSUB 'locl', marks only?, language) of text in a style.

        The paragraph style's own language wins, then the story's, then the paper's.
        Traditional text (zh-Hant-TW / -HK) takes its language's glyph forms from a
        face that has them (an SC face's 'locl' gives the TC forms and centred marks);
        Simplified text on a paper with centred punctuation takes only the centred
        ，。、：；！？ (ZHT forms).  A role named ``body@zh-Hant-TW`` in the issue's fonts
        replaces ``body`` for text in that language.
        """
        ps = self.issue.paragraph_styles.get(style.name)
        lang = (ps.language if ps is not None and ps.language else "") or language \
            or self.issue.paper.language
        if style.latin or lang == "en":
            return "", False, lang
        if is_traditional(lang):
            return OPENTYPE_LANGUAGE[lang], False, lang
        if self.issue.paper.punctuation == "centered":
            return OPENTYPE_LANGUAGE["zh-Hant-TW"], True, lang
        return "", False, lang

    def _round3(self, x: float) -> float:
        """round(x, 3), remembered (a key's few measures and indents asked thousands of
        times; rounding to digits is costly)."""
        got = self._r3.get(x)
        if got is None:
            if len(self._r3) > 10_000:
                self._r3.clear()
            got = self._r3[x] = round(x, 3)
        return got

    # ------------------------------------------------------------ text
    def prepare(self, specs: list[RunSpec], style: Style, space_em: float = 0.0) -> Prepared:
        """Shaped and analysed text, cached by content.

        ``space_em`` widens word spaces to that many em (phrase gaps in headlines).
        """
        key = (tuple(specs), style.size, style.hscale, style.latin, space_em, self.rules())
        p = self._prepared.get(key)
        if p is None:
            sh: Shaped = shape(specs, self.fontset, style.size * style.hscale, self._cells)
            if space_em:
                sh.adv = tuple([sh.sizes[i] * space_em if c == " " else a
                                  for i, (c, a) in enumerate(zip(sh.text, sh.adv))])
            rules = self.rules()
            if rules.punctuation != "centered" and any(r.locl in ("ZHT", "ZHH") for r in specs):
                paper = self.issue.paper               # Traditional text: centred marks
                rules = C.rules_for("centered", paper.punctuation_width, paper.latin_spacing)
            p = Prepared(sh, rules=rules, hyphenate=self._hyphenator, han=not style.latin)
            self._prepared[key] = p
            self.stats["shaped"] += 1
        return p

    def prepare_text(self, text: str, style: Style, space_em: float = 0.0,
                     language: str = "") -> Prepared:
        """A single-run text in a style (headlines, captions, jump lines), in a
        language ("" = the paper's)."""
        locl, marks, lang = self.glyph_language(style, language)
        role = f"{style.role}@{lang}" if f"{style.role}@{lang}" in self.issue.fonts else style.role
        return self.prepare([RunSpec(text, role, style.size, style.color, locl, marks,
                                     hscale=style.hscale, vscale=style.vscale)], style,
                            space_em)

    def lines(self, p: Prepared, measure: float, start: int, indent: float,
              align: str, looseness: int = 0) -> list[Line] | None:
        """The lines of a paragraph from ``start`` at ``measure``, cached.

        ``looseness`` ±N: N lines more or fewer than the best setting, within the
        spacing limits; None when there is no such setting."""
        got = self.lazy_lines(p, measure, start, indent, align, looseness)
        return None if got is None else got.all()

    def lazy_lines(self, p: Prepared, measure: float, start: int, indent: float,
                   align: str, looseness: int = 0) -> LazyLines | None:
        """``lines`` broken but each line set only when first asked for (a fill that is
        not kept needs their count and ends only), cached: ``lines`` gives the same
        Line objects."""
        r3 = self._round3
        key = (id(p), r3(measure), start, r3(indent), align)
        if looseness:
            key += (looseness,)
        got = self._lines.get(key, False)
        if got is False:
            # an empty paragraph still takes one (empty) line, where a caret can stand
            if not p.n:
                got = None if looseness else LazyLines(p, [(0, 0)], measure, start, indent,
                                                       align, [Line(0, 0, 0, (), indent, True)])
            elif looseness:
                spans = self._looser_spans(p, measure, start, indent, align, looseness)
                got = None if spans is None else LazyLines(p, spans, measure, start, indent,
                                                           align)
            else:
                got = LazyLines(p, self._best_breaks(p, measure, start, indent), measure,
                                start, indent, align)
            self._lines[key] = got
            self.stats["broken"] += 1
        return got

    def _best_breaks(self, p: Prepared, measure: float, start: int,
                     indent: float) -> list[tuple[int, int]]:
        """The best breaks of a paragraph from ``start`` (whatever the alignment), cached:
        the count a looser or tighter setting starts from needs no line set."""
        r3 = self._round3
        key = (id(p), r3(measure), start, r3(indent))
        got = self._breaks.get(key)
        if got is None:
            got = self._breaks[key] = break_paragraph(p, measure, start, indent)
        return got

    def _looser_spans(self, p: Prepared, measure: float, start: int, indent: float,
                      align: str, looseness: int) -> list[tuple[int, int]] | None:
        """The breaks of a paragraph set ``looseness`` lines more or fewer than its best
        setting, or None: one search gives every line count up to three more (cached
        per paragraph, measure and start)."""
        want = len(self._best_breaks(p, measure, start, indent)) + looseness
        if want < 1:
            return None
        r3 = self._round3
        tkey = (id(p), r3(measure), start, r3(indent))
        table = self._counts.get(tkey)
        if table is None and looseness < 0 and not may_fit(p, measure, start, indent, want):
            return None        # too much text for so few lines: no search needed to say so
        if table is None or table[0] < want:
            top = max(want, want - looseness + 3)
            table = self._counts[tkey] = (top, break_counts(p, measure, start, indent, top))
        return table[1].get(want)

    def can_set(self, p: Prepared, measure: float, start: int, indent: float, align: str,
                looseness: int) -> bool:
        """Whether ``lines`` with this looseness has a setting (without setting it)."""
        r3 = self._round3
        key = (id(p), r3(measure), start, r3(indent), align)
        if looseness:
            key += (looseness,)
        got = self._lines.get(key, False)
        if got is not False:
            return got is not None
        if not p.n:
            return not looseness
        if not looseness:
            return True
        return self._looser_spans(p, measure, start, indent, align, looseness) is not None

    def line_runs(self, p: Prepared, line: Line, x: float, baseline: float,
                  source: Source) -> tuple[GlyphRun, ...]:
        """The glyph runs of a line placed at (x, baseline), cached: a line that did not
        move keeps the very same runs across composes."""
        key = (id(line), x, baseline, source.story, source.para, source.part)
        got = self._runs.get(key)
        if got is None or got[0] is not line:
            if len(self._runs) > 50_000:
                self._runs.clear()
                self._parts.clear()
            parts = self._parts.get(id(line))
            if parts is None or parts[0] is not line:
                parts = self._parts[id(line)] = (line, line_parts(p, line))
            got = self._runs[key] = (line, tuple(line_runs(p, line, x, baseline, source,
                                                           parts=parts[1])))
        return got[1]

    def invalidate_styles(self) -> None:
        """Forget resolved styles (after a style or paper setting changed)."""
        self._styles.clear()

    def forget_unused(self, live: set[int]) -> None:
        """Drop prepared texts (and their lines) not in ``live`` (ids of prepared texts),
        once dead ones outnumber the live ones: a long editing session stays small."""
        if len(self._prepared) <= 2 * len(live) + 1000:
            return
        self._prepared = {k: v for k, v in self._prepared.items() if id(v) in live}
        self._lines = {k: v for k, v in self._lines.items() if k[0] in live}
        self._counts = {k: v for k, v in self._counts.items() if k[0] in live}
        self._breaks = {k: v for k, v in self._breaks.items() if k[0] in live}
        self._runs.clear()
        self._parts.clear()

    def save(self) -> None:
        """Save what the hyphenator learnt (its word cache), if it keeps one."""
        save = getattr(self._hyphenator, "save", None)
        if save is not None:
            save()

    def learnt(self) -> dict:
        """What the hyphenator learnt since it last saved (a forked worker's share)."""
        learnt = getattr(self._hyphenator, "learnt", None)
        return learnt() if learnt is not None else {}

    def learn(self, entries: dict) -> None:
        """Take what another process's hyphenator learnt (``learnt``)."""
        learn = getattr(self._hyphenator, "learn", None)
        if entries and learn is not None:
            learn(entries)


class LazyLines:
    """The lines of one setting of a paragraph (``Setter.lazy_lines``): its breaks, and
    each line set (``set_spans``) when first asked for."""

    __slots__ = ("p", "spans", "measure", "start", "indent", "align", "_set", "_all")

    def __init__(self, p: Prepared, spans: list[tuple[int, int]], measure: float,
                 start: int, indent: float, align: str, lines: list[Line] | None = None):
        self.p, self.spans, self.measure, self.start = p, spans, measure, start
        self.indent, self.align = indent, align
        self._set: list = lines if lines is not None else [None] * len(spans)
        self._all = lines

    def __len__(self) -> int:
        return len(self.spans)

    def next(self, k: int) -> int:
        """Where the line after line k starts (``Line.next``) without setting it."""
        e = self.spans[k][1]
        n = self.p.n
        return self.p.nxt[e] if e < n else n

    def line(self, k: int) -> Line:
        """Line k, set the first time it is asked for."""
        got = self._set[k]
        if got is None:
            s, e = self.spans[k]
            p = self.p
            if s == self.start:          # (the first line: its indent, as set_spans sets it)
                got = set_spans(p, self.spans[k:k + 1], self.measure, s, self.indent,
                                self.align)[0]
            else:
                got = set_line(p, s, e, self.measure, e >= p.n, self.align)
            self._set[k] = got
        return got

    def all(self) -> list[Line]:
        """Every line, as a list (the same list each time)."""
        got = self._all
        if got is None:
            got = self._all = [self.line(k) for k in range(len(self.spans))]
        return got


def line_runs(p: Prepared, line: Line, x0: float, baseline: float, source: Source,
              offset_base: int = 0, parts: list | None = None) -> list[GlyphRun]:
    """Glyph runs for one composed line placed with its origin at (x0, baseline).

    Each glyph's advance is the room the line setting gave it: its shaped
    advance, or the gap to the next glyph when compression made that narrower,
    and for the last glyph the distance to the line's right end (the hyphen's
    pen x on a hyphenated line).  ``parts``: the line's ``line_parts`` (when the
    caller keeps them).
    """
    if parts is None:
        parts = line_parts(p, line, offset_base)
    runs = []
    for font, size, glyphs, rel, moves, text, offsets, advances, color, hx, vy in parts:
        xs = tuple(map(add, repeat(x0), rel))       # x0 + x, each
        if moves:
            xs = list(xs)
            for k, move in moves:
                xs[k] += move
            xs = tuple(xs)
        runs.append(GlyphRun(font, size, glyphs, xs, baseline, text, offsets, advances, source,
                             color, hscale=hx, vscale=vy))
    return runs


def line_parts(p: Prepared, line: Line, offset_base: int = 0) -> list[tuple]:
    """What the glyph runs of a line are wherever it is placed: per run its font,
    size, glyphs, pen x relative to the line's origin and the glyph offsets in its
    cell to add after placing it (in order), text, story offsets, advances, colour
    and scales (see ``line_runs``)."""
    sh = p.sh
    parts = []
    s, e = line.start, line.end
    faces, sizes, colors, xoff = sh.faces, sh.sizes, sh.colors, sh.xoff
    hs, vs = sh.hs, sh.vs               # 长/扁: sizes are the narrowed em, runs get the scale
    lxs = line.xs
    advs: list[float] = []
    if lxs:
        # (min: the advance, or the gap to the next glyph where that is narrower)
        advs = [d if d < a else a for a, d in zip(sh.adv[s:e - 1], map(sub, lxs[1:], lxs))]
        last_end = line.hyphen_x if line.hyphen_x >= 0 else line.right
        last = round(last_end - lxs[-1], 9)
        advs.append(last if last > 0.0 else 0.0)        # (max(0.0, last))
    starts = sh.run_starts()
    if not starts:                      # (one run: the line is one part)
        ends = [e] if s < e else []
    else:
        k0 = bisect_right(starts, s)
        ends = starts[k0:bisect_left(starts, e, lo=k0)] + [e] if s < e else []
    i = s
    for j in ends:
        face, size, color = faces[i], sizes[i], colors[i]
        hx, vy = (hs[i], vs[i]) if hs else (1.0, 1.0)
        moves: list[tuple[int, float]] = []
        advances = advs[i - s:j - s]
        if xoff:
            for k in range(i, j):
                if k in xoff:
                    # the glyph is drawn further right in its cell; the cell's end stays
                    moves.append((k - i, xoff[k]))
                    advances[k - i] = max(0.0, advances[k - i] - xoff[k])
            if j == e and e - s >= 2 and sh.text[e - 2:e] == "——" and e - 2 in xoff and e - 2 >= i:
                # a dash pair ending a line moves right to meet the column edge
                moves.append((e - 2 - i, xoff[e - 2]))
                moves.append((e - 1 - i, xoff[e - 2]))
        parts.append((face.key, round(size / hx, 9) if hx != 1.0 else size,
                      tuple(sh.gids[i:j]), lxs[i - s:j - s], moves, sh.text[i:j],
                      tuple(range(offset_base + i, offset_base + j)), tuple(advances),
                      color, hx, vy))
        i = j
    if line.hyphen_x >= 0:
        face = sh.faces[e - 1]
        hx, vy = (hs[e - 1], vs[e - 1]) if hs else (1.0, 1.0)
        parts.append((face.key, round(sh.sizes[e - 1] / hx, 9), (face.gid("-"),),
                      (line.hyphen_x,), [], "-", (offset_base + e,),
                      (round(line.right - line.hyphen_x, 9),), sh.colors[e - 1], hx, vy))
    return parts
