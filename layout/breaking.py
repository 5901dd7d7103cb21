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

The rules themselves live in layout.chars (class table and pair rules):
prohibited breaks (避头尾, inside numbers, Latin words, ——, ……) are never
nodes, a penalised break adds its penalty to the line ending there.
Justification compresses punctuation first, then widens the gaps between
characters evenly; ¼ em separates Han characters from Latin letters and
digits.  Lines are positioned relative to their own origin, so a frame that
moves re-uses them unchanged.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from itertools import accumulate

from . import chars as C
from .shaping import Shaped

INF = float("inf")
_MARK_GROUPS = (C.G_OPEN, C.G_CLOSE, C.G_PERIOD, C.G_PAUSE)

# costs (dimensionless) -------------------------------------------------------
COST_SHRINK_FIX = 1.0       # a line that needs punctuation compressed
COST_SHRINK = 4.0          # × ratio² of compression used
COST_STRETCH_FIX = 8.0      # a line that is spaced out
COST_CLOSE = 150.0          # a line that closes Han–Latin/digit spaces beyond their shrink
COST_STRETCH = 300.0        # × ratio³ of the nominal stretch used
COST_LINE = 1.0             # every line: prefer fewer lines
PENALTY_HYPHEN = 60.0
PENALTY_LONE_CHAR = 3000.0  # 孤字 on the last line
PENALTY_FORCED = 1e6        # a break where none is allowed (an over-long word)
PRUNE = 25.0                # drop partial settings this much worse than the best so far
LAST_RESORT = 300.0         # a paragraph with a line this costly is searched again unpruned


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


def _latin_letter(c: str) -> bool:
    """A letter of a Latin (or other alphabetic, non-CJK) word."""
    return c.isalpha() and ord(c) < 0x2E80


class Prepared:
    """Per-paragraph tables the breaker scans: prefix sums, break nodes, glue.

    It encodes no rule itself: it asks the rules (layout.chars.Rules) about
    every character and every pair of neighbours and sums up the answers.
    """

    __slots__ = ("sh", "n", "pw", "pa", "ps", "pg", "pc", "pair", "gap", "shrink",
                 "nodes", "hyph", "penalty", "em", "hyphen_w", "centered", "nxt",
                 "rules", "kinds", "fixed", "pm", "pq", "pn", "qshrink", "mark", "points", "pgn", "opens", "po", "limit",
                 "_reach", "centre", "pl", "qrest", "pe", "last_hyph")

    def __init__(self, sh: Shaped, *, centered: bool = False, hyphenate=None,
                 rules: C.Rules | None = None, han: bool = False):
        if rules is None:
            rules = C.rules_for("centered" if centered else "mainland")
        self.sh, self.rules = sh, rules
        self.centered = rules.punctuation == "centered"
        text, adv, sizes = sh.text, sh.adv, sh.sizes
        n = self.n = len(text)
        em = self.em = sh.em
        # the widest a Han gap may open, less a margin for rounding in the output
        self.limit = (rules.max_gap - 0.004) * em
        ks = self.kinds = C.kinds(text)
        if any(c in C.WESTERN_QUOTES for c in text):
            C.western_quotes(text, ks, adv, sizes)
        kinds = C.KINDS
        # per character: how much it may shrink and stretch
        shrink_of = rules.shrink_of
        shrink = [0.0] * (n + 1)    # how much char i may be compressed
        stretch = [0.0] * (n + 1)   # its own stretch (word spaces) plus the gap before it
        mark = [False] * (n + 1)    # char i is a compressible mark (not a space)
        points = [0] * (n + 1)      # 1 where the line may be spaced out before/at char i
        fixed = None                # always cut from char i (half-width marks, dead spaces)
        parts, space_stretch = rules.space_shrink_parts, rules.space_stretch
        for i in range(n):
            k = ks[i]
            f = shrink_of(k)
            if f:
                shrink[i] = f * sizes[i]
                mark[i] = True
            elif kinds[k].cls == C.SPACE:
                if self._dead_space(text, ks, i):
                    # no space stands next to a Chinese mark ("Jones 、")
                    fixed = fixed or [0.0] * n
                    fixed[i] = adv[i]
                    continue
                shrink[i] = adv[i] / parts
                stretch[i] = adv[i] * space_stretch
                points[i] = 1
        # per pair: adjustment, gap, break
        pair = [0.0] * (n + 1)      # adjustment between i-1 and i
        gap = [0.0] * (n + 1)       # nominal stretch of the gap before i
        qshrink = [0.0] * (n + 1)   # how much of the Han–Latin space before i may go
        qrest = [0.0] * (n + 1)     # the rest of it, closed only before a worse remedy
        nodes = []
        penalty: dict[int, float] = {}
        rule = rules.pair
        qs = rules.latin_space_shrink
        opens = [0.0] * (n + 1)     # how far the boundary before i opens first
        for i in range(1, n):
            brk, space, squeeze, g, op = rule(ks[i - 1], ks[i])
            if op:
                opens[i] = op * em
            if squeeze:
                j = i - 1 if squeeze == 1 else i
                pair[i] = -shrink[j]
                shrink[j] = 0.0
                mark[j] = False
            if space:
                pair[i] += space * em
                qshrink[i] = space * em * qs
                qrest[i] = space * em * (rules.latin_space_close - qs)
            elif han and kinds[ks[i - 1]].word and kinds[ks[i]].word:
                qshrink[i] = rules.number_track * em   # a number or word set a little closer
            if g:
                gap[i] = g * em
                stretch[i] += gap[i]
                points[i] = 1
            if brk is not None:
                if kinds[ks[i]].cls == C.SPACE and self._space_then_no_start(text, ks, i):
                    continue                # "Jones 、": the mark would start the next line
                nodes.append(i)
                if brk:
                    penalty[i] = brk
        # a closing tag (（记者 王某）) never breaks inside
        tag = C.closing_tag(text, rules.tag_max)
        if tag is not None:
            a, b = tag
            nodes = [i for i in nodes if not a < i < b]
        self.pair, self.gap, self.shrink, self.qshrink = pair, gap, shrink, qshrink
        self.mark, self.points, self.opens = mark, points, opens
        # marks the convention always sets half width: narrower from the start
        centre: dict[int, float] = {}
        if rules.has_half:
            half_of, blank_side = rules.half_of, rules.blank_side
            fixed = fixed or [0.0] * n
            for i, (k, z) in enumerate(zip(ks, sizes)):
                h = half_of(k)
                if not h:
                    continue
                if blank_side(k) == C.BOTH:
                    # a centred mark gives up a quarter em on each side inside a line
                    # (the cut is the pair after it); ending a line it keeps its box
                    centre[i] = h * z
                    if i + 1 < n:
                        pair[i + 1] -= h * z
                else:
                    fixed[i] = h * z
        self.fixed, self.centre = fixed, centre
        if fixed is not None:
            adv = [a - f for a, f in zip(adv, fixed)]
        self.pw = list(accumulate(adv, initial=0.0))
        self.pa = list(accumulate(pair, initial=0.0))
        self.ps = list(accumulate(shrink[:n], initial=0.0))
        self.pm = list(accumulate([shrink[i] if mark[i] else 0.0 for i in range(n)],
                                  initial=0.0))
        # the same for marks with no mark beside them (compressing one of those inside a
        # line sets it both ways on the page; next to another mark it is 标点挤压)
        marky = [kinds[k].group in _MARK_GROUPS for k in ks] + [False]
        self.pl = list(accumulate([shrink[i] if mark[i] and not marky[i - 1 if i else n]
                                   and not marky[i + 1] else 0.0 for i in range(n)],
                                  initial=0.0))
        self.pq = list(accumulate(qshrink, initial=0.0))
        self.qrest = qrest
        self.pe = list(accumulate(qrest, initial=0.0))
        self.pn = list(accumulate(points, initial=0))
        self.pgn = list(accumulate([1 if g > 0 else 0 for g in gap], initial=0))
        self.po = list(accumulate(opens, initial=0.0))
        self.pg = list(accumulate(stretch, initial=0.0))
        self.pc = list(accumulate([1 if kinds[k].counts else 0 for k in ks], initial=0))
        hyph = set()
        syllables = set()          # pyphen's points inside capitalised or odd words
        if hyphenate is not None and not (han and rules.hyphen_in_han is None):
            word = [kinds[k].word for k in ks]
            for b in hyphenate(text, word):
                if han:
                    # in a Chinese line: a proper noun (a capitalised word) only as a
                    # last resort (below)
                    w = b
                    while w > 0 and _latin_letter(text[w - 1]):
                        w -= 1
                    if not text[w].islower():
                        syllables.add(b)
                        continue
                hyph.add(b)
                penalty[b] = penalty.get(b, 0.0) + (rules.hyphen_in_han if han
                                                     else PENALTY_HYPHEN)
        last_hyph = set()
        if han and rules.letter_break is not None:
            last_hyph = self._letter_breaks(text, hyph, syllables, rules, penalty)
            hyph |= last_hyph
        if hyph:
            nodes = sorted(set(nodes) | hyph)
        nodes.append(n)
        self.nodes, self.hyph, self.penalty = nodes, hyph, penalty
        self.last_hyph = last_hyph
        nxt = list(range(n + 1))
        for i in range(n - 1, -1, -1):
            if kinds[ks[i]].cls == C.SPACE:
                nxt[i] = nxt[i + 1]
        self.nxt = nxt
        self._reach = None
        self.hyphen_w = 0.0
        if hyph:
            face = sh.faces[0]
            self.hyphen_w = face.advance(face.gid("-")) * sh.sizes[0] / face.units_per_em

    @staticmethod
    def _letter_breaks(text: str, hyph: set, syllables: set, rules: C.Rules,
                       penalty: dict) -> set:
        """Last-resort breaks inside a long Latin word of a Chinese line that has no
        ordinary hyphenation point — a capitalised word (a proper noun) or an odd one
        ("BauhiniaMonandrA", a word pyphen cannot split): after any letter, keeping
        ``rules.letter_break_min`` letters on each side, at ``rules.letter_break`` (a
        syllable pyphen finds) or a little more (any other letter).  Their penalty is
        below a line spaced past the limit and above every other remedy."""
        out = set()
        keep = rules.letter_break_min
        n, i = len(text), 0
        while i < n:
            if not _latin_letter(text[i]):
                i += 1
                continue
            j = i
            while j < n and _latin_letter(text[j]):
                j += 1
            if j - i >= 2 * keep + 1 and not any(i < b < j for b in hyph):
                for b in range(i + keep, j - keep + 1):
                    out.add(b)
                    penalty[b] = penalty.get(b, 0.0) + rules.letter_break + (
                        0.0 if b in syllables else rules.letter_break_any)
            i = j
        return out

    @staticmethod
    def _space_then_no_start(text: str, ks: list[int], i: int) -> bool:
        """Whether the first character after the spaces from i may not start a line."""
        kinds = C.KINDS
        j = i
        while j < len(text) and kinds[ks[j]].cls == C.SPACE:
            j += 1
        return j < len(text) and kinds[ks[j]].group in C.NO_LINE_START

    @staticmethod
    def _dead_space(text: str, ks: list[int], i: int) -> bool:
        """A typed space that touches a Chinese mark (after its run of spaces, or before)."""
        kinds = C.KINDS
        j = i
        while j < len(text) and kinds[ks[j]].cls == C.SPACE:
            j += 1
        h = i
        while h > 0 and kinds[ks[h - 1]].cls == C.SPACE:
            h -= 1
        after = kinds[ks[j]] if j < len(text) else None
        before = kinds[ks[h - 1]] if h > 0 else None
        return (after is not None and ord(text[j]) >= 0x2E80
                and after.group in (C.G_CLOSE, C.G_PERIOD, C.G_PAUSE)) or \
            (before is not None and ord(text[h - 1]) >= 0x2E80
             and before.group in (C.G_OPEN, C.G_PERIOD, C.G_PAUSE))

    def reach(self, gap: float, which: int = 0) -> tuple[list[float], float]:
        """How far a line may reach when spaced out by at most ``gap`` per place.

        Per offset e, the running maximum of pw[e] + pa[e] + po[e] + lim·pn[e]
        (lim: ``gap`` with a margin): a line s..e-1 whose natural width, Han–Latin
        opening and ``gap`` at each of its spacing points falls short of the measure
        has a smaller value at e, so the first offset whose value reaches the measure
        is where such lines can begin to fit.  Returns (the list, lim).
        """
        lim = gap + 1e-5
        cache = self._reach
        if cache is None:
            cache = self._reach = [None, None]
        got = cache[which]
        if got is None or got[1] != lim:
            pw, pa, po, pn = self.pw, self.pa, self.po, self.pn
            top = -INF
            out = []
            for e in range(self.n + 1):
                v = pw[e] + pa[e] + po[e] + lim * pn[e]
                top = v if v > top else top
                out.append(top)
            got = cache[which] = (out, lim)
        return got

    # ------------------------------------------------------------ measures
    def natural(self, s: int, e: int) -> float:
        """Width of characters s..e-1 set on one line, before justification."""
        return self.pw[e] - self.pw[s] + self.pa[e] - self.pa[s + 1]

    def stretch(self, s: int, e: int) -> float:
        """Nominal stretch available in line s..e-1."""
        return self.pg[e] - self.pg[s + 1]

    def squeeze(self, s: int, e: int) -> float:
        """Compression available in line s..e-1 (marks, word spaces, Han–Latin spaces)."""
        return self.ps[e] - self.ps[s] + self.pq[e] - self.pq[s + 1]

    def end_cut(self, e: int) -> float:
        """What the mark ending a line at e gives up (set half width there), or 0."""
        i = e - 1
        if self.mark[i] and not self.rules.blank_left(self.kinds[i]):
            return self.shrink[i]
        return 0.0

    def points_in(self, s: int, e: int) -> int:
        """Places in line s..e-1 where it may be spaced out (gaps and word spaces)."""
        return self.pn[e] - self.pn[s + 1] + (self.points[s] if self.sh.cls[s] == C.SPACE
                                              else 0)

    def next_start(self, e: int) -> int:
        """Where the line after a break at e starts: spaces at a break are dropped."""
        return self.nxt[e]


def _stretch_cost(p: Prepared, s: int, e: int, delta: float) -> float:
    """The cost of spacing line s..e-1 out by ``delta``: growing with the spacing,
    and a line whose Han gaps would open wider than the rules' limit is a last resort."""
    st = p.stretch(s, e)
    if st <= 0:
        return 1e4 + delta           # cannot be justified (a single long word)
    r = delta / st
    cost = COST_STRETCH_FIX + COST_STRETCH * r * r * r
    # Han–Latin boundaries open first; what is left goes to every gap and space
    rest = delta - (p.po[e] - p.po[s + 1])
    if rest > 0.0:
        count = p.pn[e] - p.pn[s + 1] or 1
        if rest > p.limit * count and p.pgn[e] > p.pgn[s + 1]:   # a line with Han gaps
            cost += p.rules.loose_penalty + 1000.0 * rest / count / p.em
    return cost


def _midline_need(p: Prepared, s: int, e: int, over: float) -> float:
    """How much of ``over`` (a line too long) only compressing a lone mark inside line
    s..e-1 would take, after its line-end mark, its spaces and the marks beside other
    marks gave what they may."""
    need = over - p.end_cut(e)
    soft = p.ps[e] - p.ps[s] - (p.pm[e] - p.pm[s]) + p.pq[e] - p.pq[s + 1] + p.pe[e] - \
        p.pe[s + 1]
    paired = (p.pm[e - 1] - p.pm[s]) - (p.pl[e - 1] - p.pl[s])
    return need - soft - paired


def _line_cost(p: Prepared, s: int, e: int, measure: float, last: bool) -> float:
    nat = p.natural(s, e)
    if e in p.hyph:
        nat += p.hyphen_w
    delta = measure - nat
    cost = COST_LINE
    if delta < -0.01:
        need = -delta - p.end_cut(e)
        cost += COST_SHRINK_FIX
        if need > 0.01:
            # word spaces and Han–Latin spaces give first; a mark inside the line
            # is compressed only as a last resort
            soft = p.ps[e] - p.ps[s] - (p.pm[e] - p.pm[s]) + p.pq[e] - p.pq[s + 1]
            if need <= soft + 0.01:
                r = need / soft
                cost += COST_SHRINK * r * r
            else:
                # then the rest of the Han–Latin/digit spaces (before a loose line or a
                # mark compressed inside the line)
                rest = p.pe[e] - p.pe[s + 1]
                if need <= soft + rest + 0.01:
                    return cost + COST_SHRINK + COST_CLOSE + _tail(p, s, e, last)
                marks = p.pm[e - 1] - p.pm[s]
                if need > soft + rest + marks + 0.01:
                    return INF
                cost += p.rules.midline_penalty + COST_SHRINK * (need - soft - rest) / marks
        elif need < -0.01 and not last:
            cost += _stretch_cost(p, s, e, -need)
    elif delta > 0.01 and not last:
        cost += _stretch_cost(p, s, e, delta)
    return cost + _tail(p, s, e, last)


def _tail(p: Prepared, s: int, e: int, last: bool) -> float:
    """What a line costs for where it ends: a lone last character, a penalised break."""
    cost = 0.0
    if last and p.pc[e] - p.pc[s] <= 1 and p.pc[e] > 1:
        cost += PENALTY_LONE_CHAR
    pen = p.penalty.get(e)
    if pen:
        cost += pen              # a penalised break (a hyphen, or by the rules)
    return cost


def break_paragraph(p: Prepared, measure: float, start: int = 0,
                    first_indent: float = 0.0, prune: bool = True) -> list[tuple[int, int]]:
    """The cheapest breaks from ``start``: a list of (start, end) per line.

    Pruning compares settings with the same number of lines wherever they end;
    in rare text (over-long Latin words) it can drop the only way to the end,
    or the only way without a last-resort line, and the search is then
    repeated without it.
    """
    n = p.n
    if start >= n:
        return []
    pw, nodes = p.pw, p.nodes
    cost = {start: 0.0}
    back: dict[int, tuple[int, int]] = {}
    count = {start: 0}        # lines to reach a node
    worst = {start: 0.0}      # the costliest line on the way to a node
    best_at: list[float] = []  # cheapest badness seen per line count (for pruning)
    window = 1.6 * p.em
    pa, ps, pq, pc, nxt, pen, pe = p.pa, p.ps, p.pq, p.pc, p.nxt, p.penalty, p.pe
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
            if -0.01 <= delta <= 0.01 and not pen and (e < n or pc[e] - pc[s] > 1 or pc[e] <= 1):
                c = COST_LINE                      # the usual case: an exact fit
            else:
                if delta + ps[e] - ps[s] + pq[e] - pq[s + 1] + pe[e] - pe[s + 1] < -0.01 \
                        and j > j0:
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
                worst[nx] = c if c > worst[s] else worst[s]
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
                worst[nx] = PENALTY_FORCED
    if prune and (n not in back or worst[n] >= LAST_RESORT):
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
    """Position the characters of one line: compress, then space, then align.

    A line too long gives up the blank half of its last mark, then part of its
    word spaces and Han–Latin spaces, and only then — a last resort — the
    blank halves of marks inside it; a line too short is spaced out evenly
    at every gap and word space.
    """
    sh = p.sh
    adv, pair, shrink, gap, qshrink, qrest = sh.adv, p.pair, p.shrink, p.gap, p.qshrink, p.qrest
    blank_left, centre = p.rules.blank_left, p.centre
    hyphen = e in p.hyph and e < p.n
    nat = p.natural(s, e) + (p.hyphen_w if hyphen else 0.0)
    delta = measure - nat
    cut = {}          # char index -> compression applied
    if p.fixed is not None:
        cut = {i: p.fixed[i] for i in range(s, e) if p.fixed[i]}
    qcut = 0.0        # fraction of the Han–Latin spaces taken
    ecut = 0.0        # fraction of the rest of them taken (a last resort)
    per_gap = 0.0
    space_extra = 0.0
    if delta < -0.005:
        need = -delta
        end_c = e - 1
        end = p.end_cut(e)
        if end > 0:
            # a line-end mark is set either full or half width, never in between
            cut[end_c] = end
            need -= end
        if need > 0.005:
            soft = [i for i in range(s, e) if shrink[i] > 0 and not p.mark[i] and i not in cut]
            cap = sum(shrink[i] for i in soft) + p.pq[e] - p.pq[s + 1]
            ratio = min(1.0, need / cap) if cap > 0 else 0.0
            for i in soft:
                cut[i] = shrink[i] * ratio
            qcut = ratio
            need -= cap * ratio
        if need > 0.005:
            cap = p.pe[e] - p.pe[s + 1]
            ecut = min(1.0, need / cap) if cap > 0 else 0.0
            need -= cap * ecut
        if need > 0.005:
            marks = [i for i in range(s, e) if p.mark[i] and i not in cut]
            cap = sum(shrink[i] for i in marks)
            ratio = min(1.0, need / cap) if cap > 0 else 0.0
            for i in marks:
                cut[i] = shrink[i] * ratio
        elif need < -0.005:
            delta = -need              # the half-width mark left room: space the line out
    if last and align == "justify" and delta < 0.5 * p.em:
        last = False                   # a last line short by under half an em is set flush
    open_ratio = 0.0  # share of their room the Han–Latin boundaries open first
    if delta > 0.005 and not last and align == "justify":
        room = p.po[e] - p.po[s + 1]
        if room > 0:
            open_ratio = min(1.0, delta / room)
            delta -= room * open_ratio
        count = p.points_in(s, e)
        if count and delta > 0.005:
            per_gap = delta / count
            space_extra = per_gap
    xs = []
    x = 0.0
    points = p.points
    for i in range(s, e):
        if i > s:
            x += pair[i] - qshrink[i] * qcut - qrest[i] * ecut + p.opens[i] * open_ratio
            if gap[i] > 0:
                x += per_gap
        c = cut.get(i, 0.0)
        if c and blank_left(p.kinds[i]):
            x -= c
            xs.append(x)
            x += adv[i]
        elif centre and i in centre and i < e - 1:
            # a centred mark set half width inside the line: drawn a quarter em left,
            # the pair after it takes the rest; ending the line it keeps its box
            xs.append(x - centre[i] / 2)
            x += adv[i]
        else:
            xs.append(x)
            x += adv[i] - c
        if sh.cls[i] == C.SPACE and points[i]:
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
                  align: str = "justify", looseness: int = 0,
                  best_count: int | None = None) -> list[Line] | None:
    """Break and set the paragraph from ``start`` at one measure.

    ``looseness`` asks for that many lines more (or fewer, negative) than the
    best setting (``best_count`` lines, when the caller knows it), within the
    spacing limits (see ``break_looser``); None when no such setting exists.
    """
    if looseness:
        if best_count is None:
            best_count = len(break_paragraph(p, measure, start, first_indent))
        spans = break_looser(p, measure, start, first_indent, best_count + looseness)
        if spans is None:
            return None
    else:
        spans = break_paragraph(p, measure, start, first_indent)
    return set_spans(p, spans, measure, start, first_indent, align)


def set_spans(p: Prepared, spans: list[tuple[int, int]], measure: float, start: int = 0,
              first_indent: float = 0.0, align: str = "justify") -> list[Line]:
    """Set the lines (start, end) of a paragraph broken from ``start``."""
    out = []
    for s, e in spans:
        m = measure - (first_indent if s == start else 0.0)
        line = set_line(p, s, e, m, e >= p.n, align)
        if s == start and first_indent:
            line = Line(line.start, line.end, line.next,
                        tuple(x + first_indent for x in line.xs), line.right + first_indent,
                        line.last, line.hyphen_x + first_indent if line.hyphen_x >= 0 else -1.0)
        out.append(line)
    return out


#: the widest gap a looser or tighter setting may open between two characters (em)
LOOSE_MAX_GAP = 0.15
#: what it may add to a word space in a line with no gap between characters (em)
LOOSE_MAX_SPACE = 0.25


def break_looser(p: Prepared, measure: float, start: int, first_indent: float,
                 count: int) -> list[tuple[int, int]] | None:
    """The cheapest breaks from ``start`` into exactly ``count`` lines, or None
    (see ``break_counts``)."""
    if start >= p.n or count < 1:
        return None
    return break_counts(p, measure, start, first_indent, count).get(count)


def break_counts(p: Prepared, measure: float, start: int, first_indent: float,
                 count: int) -> dict[int, list[tuple[int, int]]]:
    """The cheapest breaks from ``start`` into exactly k lines, for every k up to
    ``count`` that can be set: {k: [(start, end) per line]}.

    What make-up staff do to even a column's foot: set a paragraph one line
    longer or shorter.  Every line must stay within the spacing limits: no
    justified line opens a gap wider than ``LOOSE_MAX_GAP`` em (a Latin line's word
    spaces grow by at most ``LOOSE_MAX_SPACE`` em), and a line too long gives up only
    its line-end mark's blank half and part of its spaces — never the blank half of a
    mark inside it (that would set the mark both ways on the page) — and no proper noun
    is split at a letter (``Prepared.last_hyph``).  The search keeps
    the cheapest setting per (break, lines so far), so one search answers every line count
    (a setting of k lines is the same whatever the largest count asked).
    """
    n = p.n
    if start >= n or count < 1:
        return {}
    # the rules' own limit between Han characters; Latin word spaces have their own
    limit = min(p.limit, LOOSE_MAX_GAP * p.em)
    word_limit = LOOSE_MAX_SPACE * p.em
    po, pgn = p.po, p.pgn
    nodes = p.nodes
    # lines with a gap between characters may open each place by ``limit``, lines of
    # Latin words only their spaces by ``word_limit``
    reach, lim = p.reach(limit)
    wreach, wlim = p.reach(word_limit, 1)
    hyphen_w = p.hyphen_w if p.hyph else 0.0
    pw, pa, ps, pq, pc, pn, points, cls = p.pw, p.pa, p.ps, p.pq, p.pc, p.pn, p.points, p.sh.cls
    pe = p.pe
    hyph, pen, nxt, last_hyph = p.hyph, p.penalty, p.nxt, p.last_hyph
    SPACE, NONE = C.SPACE, (INF,)
    best: dict[tuple[int, int], tuple[float, int, int]] = {(start, 0): (0.0, -1, -1)}
    counts: dict[int, list[int]] = {start: [0]}     # line counts reached at each start
    for s in range(start, n):                      # lines only go forward: one pass
        ks = counts.get(s)
        if not ks:
            continue
        m = measure - (first_indent if s == start else 0.0)
        lo = bisect_left(nodes, s + 1)
        # a line ending before ``far`` cannot be spaced out to the measure within the
        # limits (see Prepared.reach): start at the first node that might, and at the
        # paragraph's end (a last line is not spaced out)
        lead = points[s] if cls[s] == SPACE else 0
        base = m - hyphen_w - 0.02 + pw[s] + pa[s + 1] + po[s + 1]
        need = base + lim * (pn[s + 1] - lead)
        far = bisect_left(reach, need - 1e-6 * (1.0 + abs(need)), lo=s + 1)
        if far > s + 1:
            # a line with no gap between characters (Latin words) may open its word
            # spaces further: it may end earlier, while it holds no such gap
            need = base + wlim * (pn[s + 1] - lead)
            far_w = bisect_left(wreach, need - 1e-6 * (1.0 + abs(need)), lo=s + 1)
            if far_w < far and pgn[far_w] == pgn[s + 1]:
                far = far_w
        j1 = bisect_left(nodes, far, lo=lo) if far > s + 1 else lo
        pws, pas, pss, pqs, pos_, pgs, pcs = pw[s], pa[s + 1], ps[s], pq[s + 1], po[s + 1], \
            pgn[s + 1], pc[s]
        pes = pe[s + 1]
        pns = pn[s + 1] - lead
        states = [(k, best[(s, k)][0]) for k in ks if k < count]
        for j in range(min(j1, len(nodes) - 1), len(nodes)):
            e = nodes[j]
            nat = pw[e] - pws + pa[e] - pas
            if e in hyph:
                nat += hyphen_w
            delta = m - nat
            if delta < -(ps[e] - pss + pq[e] - pqs + pe[e] - pes + 0.01):
                break
            if e in last_hyph:
                continue                  # a proper noun is not split to even a foot
            last = e >= n
            if last:
                if pc[e] - pcs <= 1 < pc[e]:
                    continue              # never a lone character (孤字) on the last line
            elif delta > 0.01:
                # as set_line spaces it: Han–Latin boundaries open first, the rest is
                # shared by every gap and word space
                rest = delta - (po[e] - pos_)
                slots = pn[e] - pns
                if rest > 0.01 and (slots <= 0 or rest / slots > (
                        limit if pgn[e] > pgs else word_limit) + 1e-6):
                    continue
            if delta < -0.01 and _midline_need(p, s, e, -delta) > 0.01:
                continue                  # no mark inside the line compressed to even a foot
            if not last and -0.01 <= delta <= 0.01 and e not in pen:
                c = COST_LINE            # an exact fit, as _line_cost finds it
            else:
                c = _line_cost(p, s, e, m, last)
                if c == INF:
                    continue
            nx = n if last else nxt[e]
            for k, so_far in states:
                if nx != n and k + 1 == count:
                    continue
                total = so_far + c
                key = (nx, k + 1)
                if total < best.get(key, NONE)[0]:
                    if key not in best:
                        counts.setdefault(nx, []).append(k + 1)
                    best[key] = (total, s, e)
    out: dict[int, list[tuple[int, int]]] = {}
    for k in counts.get(n, ()):
        spans = []
        pos, i = n, k
        while i:
            _, s, e = best[(pos, i)]
            spans.append((s, e))
            pos, i = s, i - 1
        spans.reverse()
        out[k] = spans
    return out
