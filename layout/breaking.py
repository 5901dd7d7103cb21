"""Paragraph line breaking and justification for Chinese and Latin text (W3C clreq).

The breaker chooses the breaks of a whole paragraph at once (a total-fit
search in the manner of Knuth and Plass, with CJK glue): every legal break
point is a node, every line between two nodes has a cost, and the cheapest
path through the paragraph wins.  A line costs:

* nothing when its characters fill the measure exactly (the usual CJK case);
* a little when punctuation must be compressed to keep a character on it
  (push-in, 推入) — preferred, as clreq and layout staff expect;
* more when characters move to the next line and the rest is spaced out
  (push-out, 推出), growing with the spacing;
* a large penalty for a single character alone on the paragraph's last line
  (孤字) and for breaking a Latin word at a hyphen.

Prohibited breaks (避头尾, inside numbers, Latin words, ——, ……) are never
nodes.  Justification compresses punctuation first, then widens the gaps
between characters evenly; ¼ em separates Han characters from Latin letters
and digits.  Lines are positioned relative to their own origin, so a frame
that moves re-uses them unchanged.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from . import chars as C
from .shaping import Shaped

INF = float("inf")

# costs (dimensionless) -------------------------------------------------------
COST_SHRINK_FIX = 1.0       # a line that needs punctuation compressed
COST_SHRINK = 4.0          # × ratio² of compression used
COST_STRETCH_FIX = 8.0      # a line that is spaced out
COST_STRETCH = 300.0        # × ratio³ of the nominal stretch used
COST_LINE = 1.0             # every line: prefer fewer lines
PENALTY_HYPHEN = 60.0
PENALTY_LONE_CHAR = 3000.0  # 孤字 on the last line
PENALTY_FORCED = 1e6        # a break where none is allowed (an over-long word)
PRUNE = 25.0                # drop partial settings this much worse than the best so far

STRETCH_PER_GAP = 0.5       # nominal stretch of a gap between characters, in em
SHRINK_PUNCT = 0.5          # how much a full-width punctuation mark may lose, in em
CJK_LATIN_SPACE = 0.25      # ¼ em between Han and Latin letters or digits


@dataclass(frozen=True, slots=True)
class Line:
    """A composed line: characters start..end at pen positions xs (relative)."""
    start: int
    end: int              # one past the last character shown
    next: int             # where the following line starts (after a dropped space)
    xs: tuple             # pen x of each character, relative to the line's origin
    right: float          # where the last character's box ends
    last: bool            # the paragraph's last line (not justified)
    hyphen_x: float = -1.0  # where a hyphen is drawn (Latin), -1 for none


class Prepared:
    """Per-paragraph tables the breaker scans: prefix sums, break nodes, glue."""

    __slots__ = ("sh", "n", "pw", "pa", "ps", "pg", "pc", "pair", "gap", "shrink",
                 "nodes", "hyph", "em", "hyphen_w", "centered", "nxt")

    def __init__(self, sh: Shaped, *, centered: bool = False, hyphenate=None):
        self.sh, self.centered = sh, centered
        text, cls, adv = sh.text, sh.cls, sh.adv
        n = self.n = len(text)
        em = self.em = sh.em
        pair = [0.0] * (n + 1)      # adjustment between i-1 and i
        gap = [0.0] * (n + 1)       # nominal stretch of the gap before i
        shrink = [0.0] * (n + 1)    # how much char i may be compressed
        squeezed = [False] * (n + 1)
        word = [C.is_word_char(c) for c in text]
        compress = C.OPENING | C.CLOSING if centered else C.COMPRESSIBLE
        for i in range(1, n):
            a, b = text[i - 1], text[i]
            if a in compress and b in compress:
                # 标点挤压: two adjacent marks take 1.5 em
                if a in C.CLOSING or a in C.STOPS:
                    pair[i] = -SHRINK_PUNCT * sh.sizes[i - 1]
                    squeezed[i - 1] = True
                elif a in C.OPENING and b in C.OPENING:
                    pair[i] = -SHRINK_PUNCT * sh.sizes[i]
                    squeezed[i] = True
            ka, kb = cls[i - 1], cls[i]
            if (ka == C.HAN and word[i]) or (kb == C.HAN and word[i - 1]):
                pair[i] += CJK_LATIN_SPACE * em
            if ka != C.SPACE and kb != C.SPACE and not (word[i - 1] and word[i]):
                gap[i] = STRETCH_PER_GAP * em
        for i in range(n):
            c = text[i]
            if c in compress and not squeezed[i]:
                shrink[i] = SHRINK_PUNCT * sh.sizes[i]
            elif cls[i] == C.SPACE:
                shrink[i] = adv[i] / 3
        self.pair, self.gap, self.shrink = pair, gap, shrink
        pw = [0.0] * (n + 1)
        pa = [0.0] * (n + 2)
        ps = [0.0] * (n + 1)
        pg = [0.0] * (n + 2)
        pc = [0] * (n + 1)
        for i in range(n):
            ch = text[i]
            pw[i + 1] = pw[i] + adv[i]
            ps[i + 1] = ps[i] + shrink[i]
            stretch_here = adv[i] / 2 if cls[i] == C.SPACE else 0.0
            pa[i + 1] = pa[i] + pair[i]
            pg[i + 1] = pg[i] + gap[i] + stretch_here
            pc[i + 1] = pc[i] + (1 if (cls[i] == C.HAN or word[i]) and ch not in C.DASHES else 0)
        pa[n + 1] = pa[n] + pair[n]
        pg[n + 1] = pg[n] + gap[n]
        self.pw, self.pa, self.ps, self.pg, self.pc = pw, pa, ps, pg, pc
        # break nodes: positions where a line may end
        nodes = []
        hyph = set()
        for b in range(1, n):
            a, c = text[b - 1], text[b]
            if cls[b] == C.SPACE:
                if cls[b - 1] != C.SPACE:
                    nodes.append(b)
                continue
            if cls[b - 1] == C.SPACE:
                continue
            if C.no_break_after(a) or C.no_break_before(c):
                continue
            if word[b - 1] and word[b]:
                continue
            if a.isdigit() and cls[b] == C.HAN:
                continue           # "2018年", "36户": a number keeps its unit
            if a in C.DASHES and c.isdigit() and b >= 2 and text[b - 2].isdigit():
                continue           # "2018—2020": a range of numbers stays whole
            nodes.append(b)
        if hyphenate is not None:
            for b in hyphenate(text, word):
                hyph.add(b)
            nodes = sorted(set(nodes) | hyph)
        nodes.append(n)
        self.nodes, self.hyph = nodes, hyph
        nxt = list(range(n + 1))
        for i in range(n - 1, -1, -1):
            if cls[i] == C.SPACE:
                nxt[i] = nxt[i + 1]
        self.nxt = nxt
        self.hyphen_w = 0.0
        if hyph:
            face = sh.faces[0]
            self.hyphen_w = face.advance(face.gid("-")) * sh.sizes[0] / face.units_per_em

    # ------------------------------------------------------------ measures
    def natural(self, s: int, e: int) -> float:
        """Width of characters s..e-1 set on one line, before justification."""
        return self.pw[e] - self.pw[s] + self.pa[e] - self.pa[s + 1]

    def stretch(self, s: int, e: int) -> float:
        """Nominal stretch available in line s..e-1."""
        return self.pg[e] - self.pg[s + 1]

    def squeeze(self, s: int, e: int) -> float:
        """Compression available in line s..e-1."""
        return self.ps[e] - self.ps[s]

    def next_start(self, e: int) -> int:
        """Where the line after a break at e starts: spaces at a break are dropped."""
        return self.nxt[e]


def _line_cost(p: Prepared, s: int, e: int, measure: float, last: bool) -> float:
    nat = p.natural(s, e)
    if e in p.hyph:
        nat += p.hyphen_w
    delta = measure - nat
    cost = COST_LINE
    if delta < -0.01:
        cap = p.squeeze(s, e)
        if -delta > cap + 0.01:
            return INF
        r = -delta / cap
        cost += COST_SHRINK_FIX + COST_SHRINK * r * r
    elif delta > 0.01 and not last:
        st = p.stretch(s, e)
        if st <= 0:
            cost += 1e4 + delta      # cannot be justified (a single long word)
        else:
            r = delta / st
            cost += COST_STRETCH_FIX + COST_STRETCH * r * r * r
    if last and p.pc[e] - p.pc[s] <= 1 and p.pc[e] > 1:
        cost += PENALTY_LONE_CHAR
    if e in p.hyph:
        cost += PENALTY_HYPHEN
    return cost


def break_paragraph(p: Prepared, measure: float, start: int = 0,
                    first_indent: float = 0.0, prune: bool = True) -> list[tuple[int, int]]:
    """The cheapest breaks from ``start``: a list of (start, end) per line.

    Pruning compares settings with the same number of lines wherever they end;
    in rare text (over-long Latin words) it can drop the only way to the end,
    and the search is then repeated without it.
    """
    n = p.n
    if start >= n:
        return []
    pw, nodes = p.pw, p.nodes
    cost = {start: 0.0}
    back: dict[int, tuple[int, int]] = {}
    count = {start: 0}        # lines to reach a node
    best_at: list[float] = []  # cheapest badness seen per line count (for pruning)
    window = 1.6 * p.em
    pa, ps, pc, nxt, hyph = p.pa, p.ps, p.pc, p.nxt, p.hyph
    n_nodes = len(nodes)
    for s in range(start, n):
        base = cost.get(s)
        if base is None:
            continue
        k = count[s]
        bad = base - k * COST_LINE
        if k < len(best_at):
            if prune and bad > best_at[k] + PRUNE:
                continue            # far worse than another way of setting k lines
            best_at[k] = min(best_at[k], bad)
        else:
            best_at.append(bad)
        m = measure - (first_indent if s == start else 0.0)
        lo = bisect_left(nodes, s + 1)
        # skip nodes that would make lines much shorter than the measure,
        # keeping one just before the window as a spaced-out option
        j0 = bisect_left(nodes, bisect_left(pw, pw[s] + m - window, lo=s + 1), lo=lo)
        if j0 > lo:
            j0 -= 1
        found = False
        pws, pas = pw[s], pa[s + 1]
        for j in range(j0, n_nodes):
            e = nodes[j]
            nat = pw[e] - pws + pa[e] - pas
            delta = m - nat
            if -0.01 <= delta <= 0.01 and not hyph and (e < n or pc[e] - pc[s] > 1 or pc[e] <= 1):
                c = COST_LINE                      # the usual case: an exact fit
            else:
                if delta + ps[e] - ps[s] < -0.01 and j > j0:
                    break
                c = _line_cost(p, s, e, m, e == n)
                if c == INF:
                    continue
            found = True
            nx = n if e == n else nxt[e]
            if base + c < cost.get(nx, INF):
                cost[nx] = base + c
                back[nx] = (s, e)
                count[nx] = k + 1
        if not found:
            # no legal break fits: break by force where the measure ends
            e = s + 1
            while e < n and p.natural(s, e + 1) <= m + 0.01:
                e += 1
            nx = nxt[e] if e < n else n
            if base + PENALTY_FORCED < cost.get(nx, INF):
                cost[nx] = base + PENALTY_FORCED
                back[nx] = (s, e)
                count[nx] = k + 1
    if n not in back and prune:
        return break_paragraph(p, measure, start, first_indent, prune=False)
    lines = []
    pos = n
    while pos != start:
        s, e = back[pos]
        lines.append((s, e))
        pos = s
    lines.reverse()
    return lines


def set_line(p: Prepared, s: int, e: int, measure: float, last: bool,
             align: str = "justify") -> Line:
    """Position the characters of one line: compress, then space, then align."""
    sh, text = p.sh, p.sh.text
    adv, pair, shrink, gap = sh.adv, p.pair, p.shrink, p.gap
    hyphen = e in p.hyph and e < p.n
    nat = p.natural(s, e) + (p.hyphen_w if hyphen else 0.0)
    delta = measure - nat
    cut = {}          # char index -> compression applied
    per_gap = 0.0
    space_extra = 0.0
    if delta < -0.005:
        need = -delta
        end_c = e - 1
        if shrink[end_c] > 0 and text[end_c] not in C.OPENING and sh.cls[end_c] != C.SPACE:
            # a line-end mark is set either full or half width, never in between
            cut[end_c] = shrink[end_c]
            need -= shrink[end_c]
        if need > 0.005:
            cap = sum(shrink[i] for i in range(s, e) if i not in cut)
            ratio = min(1.0, need / cap) if cap > 0 else 0.0
            for i in range(s, e):
                if i not in cut and shrink[i] > 0:
                    cut[i] = shrink[i] * ratio
        elif need < -0.005:
            delta = -need              # the half-width mark left room: space the line out
    if last and align == "justify" and delta < 0.5 * p.em:
        last = False                   # a last line short by under half an em is set flush
    if delta > 0.005 and not last and align == "justify":
        gaps = sum(1 for i in range(s + 1, e) if gap[i] > 0)
        spaces = sum(1 for i in range(s, e) if sh.cls[i] == C.SPACE)
        if gaps + spaces:
            per_gap = delta / (gaps + spaces)
            space_extra = per_gap
    xs = []
    x = 0.0
    for i in range(s, e):
        if i > s:
            x += pair[i]
            if gap[i] > 0:
                x += per_gap
        c = cut.get(i, 0.0)
        if c and text[i] in C.OPENING:
            x -= c
            xs.append(x)
            x += adv[i]
        else:
            xs.append(x)
            x += adv[i] - c
        if sh.cls[i] == C.SPACE:
            x += space_extra
    hyphen_x = -1.0
    if hyphen:
        hyphen_x = x
        x += p.hyphen_w
    shift = 0.0
    if align == "center":
        shift = (measure - x) / 2
    elif align == "right":
        shift = measure - x
    if shift:
        xs = [v + shift for v in xs]
        if hyphen:
            hyphen_x += shift
        x += shift
    return Line(s, e, p.next_start(e) if e < p.n else p.n, tuple(xs), x, last, hyphen_x)


def compose_lines(p: Prepared, measure: float, start: int = 0, first_indent: float = 0.0,
                  align: str = "justify") -> list[Line]:
    """Break and set the paragraph from ``start`` at one measure."""
    out = []
    for s, e in break_paragraph(p, measure, start, first_indent):
        m = measure - (first_indent if s == start else 0.0)
        line = set_line(p, s, e, m, e >= p.n, align)
        if s == start and first_indent:
            line = Line(line.start, line.end, line.next,
                        tuple(x + first_indent for x in line.xs), line.right + first_indent,
                        line.last, line.hyphen_x + first_indent if line.hyphen_x >= 0 else -1.0)
        out.append(line)
    return out
