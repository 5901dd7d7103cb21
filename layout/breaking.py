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

import re
import sys
from bisect import bisect_left
from itertools import accumulate, chain, compress, islice, repeat
from operator import add, mul, not_, or_, sub

from common.prebuilt import prebuilt_dataclass

from . import _breaking_methods
from . import chars as C
from .shaping import Shaped

# @dataclass, with the methods dataclasses would write taken from _breaking_methods.py
# (generated: python -m common.prebuilt layout.breaking layout/_breaking_methods.py); a
# frozen class's __init__ stores each field through its slot (a compose makes some
# hundred thousand lines: half the cost of object.__setattr__)
dataclass = prebuilt_dataclass(_breaking_methods)

INF = float("inf")
#: characters below the CJK blocks that may be letters (what ``_latin_letter`` asks of):
#: a word character, not a digit nor ``_``, below U+2E80.  The bound is a lookahead: as a
#: range inside the negated class (``[^\W\d_\u2e80-\U0010ffff]``, the same characters) it
#: cost 4–5 ms to compile at every start; this costs 0.6 ms (tests/test_export_imports.py
#: checks the two match the same code points)
_LATIN_WORD = re.compile(r"(?![^\x00-\u2e7f])[^\W\d_]")
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

    __slots__ = ("sh", "n", "pw", "pa", "ps", "pg", "_pc", "two", "pair", "gap", "shrink",
                 "nodes", "hyph", "penalty", "em", "hyphen_w", "centered", "nxt",
                 "rules", "kinds", "fixed", "pm", "pq", "pn", "qshrink", "mark", "points", "pgn", "opens", "po", "limit",
                 "_reach", "centre", "pl", "qrest", "pe", "last_hyph", "_after",
                 "fixed_at", "_spaces", "_slack", "flat")

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
        if C._QUOTE_RE.search(text) is not None:     # (any of C.WESTERN_QUOTES)
            C.western_quotes(text, ks, adv, sizes)
        # the rules' answers per kind of character (a paragraph has few kinds)
        present = set(ks)
        # (the rules' answers as lists by kind id, and below by pair id: read per
        # character with no table made per paragraph)
        shrink_k, mark_k, space_k, half_k, _, counts_k, _, word_k = rules.kind_table()
        spaces_k = any(map(space_k.__getitem__, present))
        # per character: how much it may shrink and stretch
        # how much char i may be compressed (a compressible mark)
        z0 = sizes[0] if n else 0.0
        if sizes.count(z0) == n:            # one size: per kind
            shrink = list(map(rules.shrink_at(z0).__getitem__, ks))
        else:
            shrink = [shrink_k[k] * z if shrink_k[k] else 0.0 for k, z in zip(ks, sizes)]
        shrink.append(0.0)
        mark = list(map(mark_k.__getitem__, ks))   # char i is a compressible mark (not a space)
        mark.append(False)
        stretch = [0.0] * (n + 1)   # its own stretch (word spaces) plus the gap before it
        points = [0] * (n + 1)      # 1 where the line may be spaced out before/at char i
        fixed = None                # always cut from char i (half-width marks, dead spaces)
        parts, space_stretch = rules.space_shrink_parts, rules.space_stretch
        space_at: list[int] = []    # where the typed spaces are
        if spaces_k:
            space_at = list(compress(range(n), map(space_k.__getitem__, ks)))
            for i in space_at:
                if shrink_k[ks[i]]:
                    continue
                if self._dead_space(text, ks, i):
                    # no space stands next to a Chinese mark ("Jones 、")
                    fixed = fixed or [0.0] * n
                    fixed[i] = adv[i]
                    continue
                shrink[i] = adv[i] / parts
                stretch[i] = adv[i] * space_stretch
                points[i] = 1
        # per pair of neighbours i-1, i (the rules' answers per pair of kinds):
        # adjustment, gap, break
        pids = rules.pair_ids(ks)
        answer = rules.pair_of
        gap_q, open_q, gapped_q, opened_q, brk_q, pen_q, odd_q, oddh_q, words_q = \
            rules.pair_table(em)
        uniq = set(pids)
        pair = [0.0] * (n + 1)      # adjustment between i-1 and i
        ends = (0.0,) if n else ()  # (the tables per pair have a 0 at 0 and at n)
        # nominal stretch of the gap before i
        gap = tuple(chain((0.0,), map(gap_q.__getitem__, pids), ends))
        if spaces_k:
            stretch = list(map(add, stretch, gap))
            # (1 where the pair is gapped or the space is a point: both 0 or 1)
            points[1:n] = map(or_, map(gapped_q.__getitem__, pids), points[1:n])
        else:
            stretch = gap
            points = tuple(chain((0,), map(gapped_q.__getitem__, pids), (0,) if n else ()))
        zeros = (0.0,) * (n + 1)    # (a table with nothing in it)
        # how far the boundary before i opens first
        if any(map(open_q.__getitem__, uniq)):
            opens = tuple(chain((0.0,), map(open_q.__getitem__, pids), ends))
        else:
            opens = zeros
        qs = rules.latin_space_shrink
        # pairs that squeeze a mark, add a Han–Latin space or track a number (in order:
        # a squeeze takes the blank half a neighbour might also have given)
        tracked = words_q if han else ()
        odd = oddh_q if han else odd_q
        if any(map(odd.__getitem__, uniq)):
            qshrink = [0.0] * (n + 1)   # how much of the Han–Latin space before i may go
            qrest = [0.0] * (n + 1)     # the rest of it, closed only before a worse remedy
        else:
            qshrink = qrest = zeros
        for i in compress(range(1, n), map(odd.__getitem__, pids)):
            q = pids[i - 1]
            space, squeeze = answer[q].space, answer[q].squeeze
            if squeeze:
                j = i - 1 if squeeze == 1 else i
                pair[i] = -shrink[j]
                shrink[j] = 0.0
                mark[j] = False
            if space:
                pair[i] += space * em
                qshrink[i] = space * em * qs
                qrest[i] = space * em * (rules.latin_space_close - qs)
            elif tracked and tracked[q]:
                qshrink[i] = rules.number_track * em   # a number or word set a little closer
        nodes = list(compress(range(1, n), map(brk_q.__getitem__, pids)))
        if spaces_k:
            # "Jones 、": the mark would start the next line (the nodes at a space asked)
            at = set(nodes)
            bad = {i for i in space_at if i in at and self._space_then_no_start(text, ks, i)}
            if bad:
                nodes = [i for i in nodes if i not in bad]
        penalty: dict[int, float] = {}
        if any(map(pen_q.__getitem__, uniq)):
            at = set(nodes)
            penalty = {i: answer[pids[i - 1]].brk
                       for i in compress(range(1, n), map(pen_q.__getitem__, pids))
                       if i in at}
        # a closing tag (（记者 王某）) never breaks inside
        tag = C.closing_tag(text, rules.tag_max)
        if tag is not None:
            a, b = tag
            nodes = [i for i in nodes if not a < i < b]
        self.pair, self.gap, self.shrink, self.qshrink = pair, gap, shrink, qshrink
        self.mark, self.points, self.opens = mark, points, opens
        # marks the convention always sets half width: narrower from the start
        centre: dict[int, float] = {}
        if any(map(half_k.__getitem__, present)):    # (no such mark here: no table of cuts)
            both_k = {k: rules.blank_side(k) == C.BOTH for k in present if half_k[k]}
            fixed = fixed or [0.0] * n
            if sizes.count(z0) == n and not any(both_k.values()):
                # (no centred mark, one size: each cut h * z0 read off a list per kind;
                # a dead space's cut and a mark's never fall on one character)
                fixed = list(map(add, fixed, map(rules.half_at(z0).__getitem__, ks)))
            else:
                for i in compress(range(n), map(half_k.__getitem__, ks)):
                    k, z = ks[i], sizes[i]
                    h = half_k[k]
                    if both_k[k]:
                        # a centred mark gives up a quarter em on each side inside a line
                        # (the cut is the pair after it); ending a line it keeps its box
                        centre[i] = h * z
                        if i + 1 < n:
                            pair[i + 1] -= h * z
                    else:
                        fixed[i] = h * z
        self.fixed, self.centre = fixed, centre
        if fixed is not None:
            adv = list(map(sub, adv, fixed))     # (less 0.0 where nothing is cut)
        self.pw = tuple(accumulate(adv, initial=0.0))
        self.pa = _sums(pair)             # (no adjustment anywhere: zeros, not summed)
        self.ps = tuple(accumulate(shrink[:n], initial=0.0))
        # the compressible marks alone (and those with no mark beside them: ``lone``)
        # (where only marks shrink, no word space: their sums are the sums of all)
        if any(compress(shrink[:n], map(not_, mark))):
            pm = [0.0] * n
            for i in compress(range(n), mark):
                pm[i] = shrink[i]
            self.pm = _sums(pm)
        else:
            self.pm = self.ps
        self.pl = None
        self.qrest = qrest
        if qshrink is zeros:
            self.pq = self.pe = (0.0,) * (n + 2)
        else:
            self.pq = _sums(qshrink)
            self.pe = _sums(qrest)
        self.pn = tuple(accumulate(points, initial=0))
        self.pgn = tuple(accumulate(chain((0,), map(opened_q.__getitem__, pids),
                                          (0,) if n else ()), initial=0))
        self.po = (0.0,) * (n + 2) if opens is zeros else _sums(opens)
        self.pg = tuple(accumulate(stretch, initial=0.0))
        # (the running count of characters that count as one, ``pc``, made when asked:
        # a last line reads ``two`` instead, where the last two such characters begin)
        self._pc = None
        two = n - 1
        left = 2
        while two >= 0:
            if counts_k[ks[two]]:
                left -= 1
                if not left:
                    break
            two -= 1
        self.two = two
        hyph = set()
        syllables = set()          # pyphen's points inside capitalised or odd words
        # the Latin letters of the paragraph (_latin_letter): hyphenation points and
        # letter breaks lie inside words of them
        # (a letter below U+2E80 is a word character: none of those, no letter)
        letters = {c for c in set(_LATIN_WORD.findall(text)) if c.isalpha()} \
            if any(map(word_k.__getitem__, present)) else set()
        if hyphenate is not None and letters and not (han and rules.hyphen_in_han is None):
            word = list(map(word_k.__getitem__, ks))
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
        if han and rules.letter_break is not None and letters:
            last_hyph = self._letter_breaks(text, hyph, syllables, rules, penalty, letters)
            hyph |= last_hyph
        if hyph:
            nodes = sorted(set(nodes) | hyph)
        nodes.append(n)
        self.nodes, self.hyph, self.penalty = nodes, hyph, penalty
        self.last_hyph = last_hyph
        if space_at:
            nxt = list(range(n + 1))
            for i in reversed(space_at):
                nxt[i] = nxt[i + 1]
        else:
            nxt = range(n + 1)
        self.nxt = nxt
        self.flat = not space_at    # every line starts where the last one ended (nxt[e] == e)
        self._reach = None
        self._after = None
        self._spaces = None
        self._slack = None
        self.hyphen_w = 0.0
        if hyph:
            face = sh.faces[0]
            self.hyphen_w = face.advance(face.gid("-")) * sh.sizes[0] / face.units_per_em
        # the tables are read-only from here: tuples of numbers, which the garbage
        # collector stops walking (an issue keeps thousands of paragraphs prepared)
        self.pair, self.gap, self.shrink = tuple(pair), gap, tuple(shrink)
        if qshrink is not zeros:
            self.qshrink, self.qrest = _frozen(qshrink), _frozen(qrest)
        # (nxt: the offsets themselves, as a range, where no line starts after a space)
        self.mark, self.points, self.opens, self.nxt = \
            tuple(mark), tuple(points), opens, tuple(nxt) if space_at else nxt
        self.kinds = tuple(ks)
        if fixed is not None:
            self.fixed = tuple(fixed)
            self.fixed_at = tuple(compress(range(n), fixed))
        else:
            self.fixed_at = ()

    @property
    def pc(self) -> tuple[int, ...]:
        """The running count of the characters that count as one (a lone last character,
        孤字, is one of them alone on the last line), made when first asked."""
        got = self._pc
        if got is None:
            counts_k = self.rules.kind_table()[5]
            got = self._pc = tuple(accumulate(map(counts_k.__getitem__, self.kinds),
                                              initial=0))
        return got

    @staticmethod
    def _letter_breaks(text: str, hyph: set, syllables: set, rules: C.Rules,
                       penalty: dict, letters: set) -> set:
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
            if text[i] not in letters:
                i += 1
                continue
            j = i
            while j < n and text[j] in letters:
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
            # w + a + o + lim * k per offset (adding o only where some is not zero)
            values = map(add, self.pw, self.pa) if any(self.pa) else self.pw
            if any(self.opens):
                values = map(add, values, self.po)
            values = list(map(add, values, map(mul, repeat(lim), self.pn)))
            # the running maximum: the values themselves where they never fall (the usual)
            # (sorting a sorted list only compares neighbours, with no call per pair)
            rising = values == sorted(values)
            got = cache[which] = (tuple(values if rising else accumulate(values, max)), lim)
        return got

    def lone(self) -> tuple[float, ...]:
        """The running sums of what the compressible marks with no mark beside them
        may give up (compressing one of those inside a line sets it both ways on the
        page; next to another mark it is 标点挤压), made when first asked."""
        got = self.pl
        if got is None:
            n, shrink = self.n, self.shrink
            marky = list(map(self.rules.kind_table()[4].__getitem__, self.kinds))
            marky.append(False)
            pm = [0.0] * n
            pl = [0.0] * n
            for i in compress(range(n), self.mark):
                pm[i] = shrink[i]
                if not marky[i - 1] and not marky[i + 1]:      # (marky[-1]: none before 0)
                    pl[i] = shrink[i]
            # (no mark beside another: the sums of all the marks)
            got = self.pl = self.pm if pl == pm else _sums(pl)
        return got

    def node_after(self) -> tuple[int, ...]:
        """Per offset x (0..n+1): the index in ``nodes`` of the first break node at or
        after x (bisect_left(nodes, x), tabled once)."""
        got = self._after
        if got is None:
            at = set(self.nodes).__contains__       # (1 at a node: counted as an int)
            got = self._after = tuple(accumulate(map(at, range(self.n + 1)), initial=0))
        return got

    def space_points(self) -> tuple[int, ...]:
        """The word spaces a spaced-out line widens (offsets, in order; tabled once)."""
        got = self._spaces
        if got is None:
            cls, SPACE = self.sh.cls, C.SPACE
            # (cls[i] == SPACE and points[i], for each i below n, taken in C)
            got = self._spaces = tuple(compress(range(self.n), map(
                mul, map(SPACE.__eq__, cls), self.points))) if SPACE in cls else ()
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


def _sums(values: list[float]) -> tuple[float, ...]:
    """The running sums of ``values`` from 0 (n + 1 of them); when every value is zero
    (a paragraph with no Latin, no mark) the zeros without adding."""
    if not any(values):
        return (0.0,) * (len(values) + 1)
    return tuple(accumulate(values, initial=0.0))


def _frozen(values: list[float]) -> tuple[float, ...]:
    """``values`` as a tuple (all zeros: made without reading them again)."""
    return tuple(values) if any(values) else (0.0,) * len(values)


def _stretch_cost(p: Prepared, s: int, e: int, delta: float) -> float:
    """The cost of spacing line s..e-1 out by ``delta``: growing with the spacing,
    and a line whose Han gaps would open wider than the rules' limit is a last resort."""
    # Han–Latin boundaries open first; what is left goes to every gap and space
    return _spread_cost(delta, p.stretch(s, e), delta - (p.po[e] - p.po[s + 1]),
                        p.pn[e] - p.pn[s + 1], p.pgn[e] > p.pgn[s + 1], p.limit,
                        p.rules.loose_penalty, p.em)


def _spread_cost(delta: float, st: float, rest: float, slots: int, han: bool, limit: float,
                 loose_penalty: float, em: float) -> float:
    """The arithmetic of ``_stretch_cost`` on its parts (the breakers' inner loops call it
    with their running sums): ``st`` the line's stretch, ``rest`` what is left of
    ``delta`` once its Han–Latin boundaries opened, shared by ``slots`` places, ``han``
    whether the line has Han gaps."""
    if st <= 0:
        return 1e4 + delta           # cannot be justified (a single long word)
    r = delta / st
    cost = COST_STRETCH_FIX + COST_STRETCH * r * r * r
    if rest > 0.0:
        slots = slots or 1
        if rest > limit * slots and han:      # a line with Han gaps opened past the limit
            cost += loose_penalty + 1000.0 * rest / slots / em
    return cost


def _midline_need(p: Prepared, s: int, e: int, over: float) -> float:
    """How much of ``over`` (a line too long) only compressing a lone mark inside line
    s..e-1 would take, after its line-end mark, its spaces and the marks beside other
    marks gave what they may."""
    need = over - p.end_cut(e)
    soft = p.ps[e] - p.ps[s] - (p.pm[e] - p.pm[s]) + p.pq[e] - p.pq[s + 1] + p.pe[e] - \
        p.pe[s + 1]
    pl = p.pl if p.pl is not None else p.lone()
    paired = (p.pm[e - 1] - p.pm[s]) - (pl[e - 1] - pl[s])
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
    # (at the paragraph's end: at most one such character from s, two in the paragraph)
    if last and (s > p.two >= 0 if e == p.n else p.pc[e] - p.pc[s] <= 1 and p.pc[e] > 1):
        cost += PENALTY_LONE_CHAR
    pen = p.penalty.get(e)
    if pen:
        cost += pen              # a penalised break (a hyphen, or by the rules)
    return cost


_FLOAT_MAX = sys.float_info.max


def break_paragraph(p: Prepared, measure: float, start: int = 0,
                    first_indent: float = 0.0, prune: bool = True,
                    within: float = INF) -> list[tuple[int, int]]:
    """The cheapest breaks from ``start``: a list of (start, end) per line.

    Pruning compares settings with the same number of lines wherever they end;
    in rare text (over-long Latin words) it can drop the only way to the end,
    or the only way without a last-resort line, and the search is then
    repeated without it.  ``within``: what a whole setting found costs (the
    pruned search's, for that search repeated) where no line costs less than
    nothing: a start reached at a higher cost leads to no cheaper one.
    """
    n = p.n
    if start >= n:
        return []
    pw, nodes = p.pw, p.nodes
    # per offset where a line may start: the cheapest way there (INF: none yet), its
    # last line (start, end, cost) and its line count (the costliest line on the way is
    # read off the last lines at the end: a line's start is settled before it is tried)
    cost = [INF] * (n + 1)
    cost[start] = 0.0
    back: list = [None] * (n + 1)
    count = [0] * (n + 1)
    best_at: list[float] = []  # cheapest badness seen per line count (for pruning)
    n_best = 0
    window = 1.6 * p.em
    pa, ps, pq, nxt, pen, pe = p.pa, p.ps, p.pq, p.nxt, p.penalty, p.pe
    # (a last line from s has a lone character, 孤字, where s > two >= 0: see _tail)
    two = p.two
    pg, po, pn, pgn, hyph = p.pg, p.po, p.pn, p.pgn, p.hyph
    limit, em, loose_penalty = p.limit, p.em, p.rules.loose_penalty
    n_nodes = len(nodes)
    after = p.node_after()
    pruned = False              # whether pruning dropped any setting
    # the break nodes each line end must look at closely (a hyphen, a penalty, the
    # paragraph's end); a line ending elsewhere is an exact fit, spaced out or too long
    special = set(hyph)
    special.update(pen)
    special.add(n)
    # a spaced-out line costs at least this (with no penalty there): a setting it cannot
    # better is not costed
    floor = COST_LINE + COST_STRETCH_FIX if loose_penalty >= 0 else -INF
    # and a line spaced past the limit (or one that cannot be spaced: 1e4 and more) at
    # least this: its stretch cost is not worked out where it cannot better a setting
    loose_floor = COST_LINE + min(COST_STRETCH_FIX + loose_penalty, 1e4) \
        if loose_penalty >= 0 else -INF
    # tables with nothing in them (no Han–Latin boundary that opens, no Han–Latin space):
    # the sums below leave them out (taking or adding 0.0 changes no sum)
    opens = any(po)
    soft = any(pq) or any(pe)
    # no pair adjustment (the usual): a line's width is its advances' (adding 0.0 - 0.0
    # changes no sum)
    flat_pa = not any(pa)
    pos_ = 0.0
    # a paragraph whose only special node is its end and whose lines start where the
    # last one ended (no space dropped at a break: the usual Chinese paragraph) takes
    # the short loop below: every node before the last is an ordinary line end
    plain = not hyph and not pen and p.flat
    last_j = n_nodes - 1                # (nodes[last_j] is n)
    m = measure - first_indent          # the first line's measure (then the measure)
    # (one comparison skips both a start not reached, INF, and one past ``within``)
    top = within if within < INF else _FLOAT_MAX
    for s in range(start, n):
        base = cost[s]
        if not base <= top:
            continue
        k = count[s]
        bad = base - k * COST_LINE
        if k < n_best:
            b = best_at[k]
            if prune and bad > b + PRUNE:
                pruned = True
                continue            # far worse than another way of setting k lines
            if bad < b:
                best_at[k] = bad
        else:
            best_at.append(bad)
            n_best += 1
        s1 = s + 1
        lo = after[s1]
        # skip nodes that would make lines much shorter than the measure,
        # keeping one just before the window as a spaced-out option
        j0 = after[bisect_left(pw, pw[s] + m - window, s1)]
        if j0 > lo:
            j0 -= 1
        found = False
        pws, pas = pw[s], pa[s1]
        pgs, pns, pgns = pg[s1], pn[s1], pgn[s1]
        if opens:
            pos_ = po[s1]
        k1 = k + 1
        bound = base + floor
        loose_bound = base + loose_floor
        if plain:
            # the loop below for a line ending at an ordinary node e (where the next
            # line starts), then at the paragraph's end
            for j in range(j0, last_j):
                e = nodes[j]
                delta = m - (pw[e] - pws) if flat_pa else m - (pw[e] - pws + pa[e] - pas)
                if delta > 0.01:
                    found = True
                    here = cost[e]
                    if bound >= here:
                        continue
                    rest = delta - (po[e] - pos_) if opens else delta
                    loose = False
                    if rest > 0.0:
                        slots = pn[e] - pns or 1
                        if rest > limit * slots and pgn[e] > pgns:
                            if loose_bound >= here:
                                continue     # (spaced past the limit: no better)
                            loose = True
                    st = pg[e] - pgs
                    if st <= 0:
                        c = COST_LINE + (1e4 + delta)
                    else:
                        r = delta / st
                        sc = COST_STRETCH_FIX + COST_STRETCH * r * r * r
                        if loose:
                            sc += loose_penalty + 1000.0 * rest / slots / em
                        c = COST_LINE + sc
                elif delta >= -0.01:
                    c = COST_LINE
                    found = True
                else:
                    if (delta + ps[e] - ps[s] + pq[e] - pq[s1] + pe[e] - pe[s1] if soft
                            else delta + ps[e] - ps[s]) < -0.01 and j > j0:
                        break
                    c = _line_cost(p, s, e, m, False)
                    if c == INF:
                        continue
                    found = True
                t = base + c
                if t < cost[e]:
                    cost[e] = t
                    back[e] = (s, e, c)
                    count[e] = k1
            else:
                delta = m - (pw[n] - pws + pa[n] - pas)
                c = INF
                if delta >= -0.01:
                    # the last line, not too long: _line_cost's and _tail's arithmetic
                    c = COST_LINE + (PENALTY_LONE_CHAR if s > two >= 0 else 0.0)
                elif not (delta + ps[n] - ps[s] + pq[n] - pq[s1] + pe[n] - pe[s1] < -0.01
                          and last_j > j0):
                    c = _line_cost(p, s, n, m, True)
                if c != INF:
                    found = True
                    t = base + c
                    if t < cost[n]:
                        cost[n] = t
                        back[n] = (s, n, c)
                        count[n] = k1
        else:
            for j in range(j0, n_nodes):
                e = nodes[j]
                delta = m - (pw[e] - pws) if flat_pa else m - (pw[e] - pws + pa[e] - pas)
                if e not in special:
                    if delta > 0.01:
                        # a line spaced out: _line_cost's arithmetic (_spread_cost) inline
                        found = True
                        nx = nxt[e]
                        here = cost[nx]
                        if bound >= here:
                            continue             # (costs at least ``floor``: no better)
                        rest = delta - (po[e] - pos_) if opens else delta
                        loose = False
                        if rest > 0.0:
                            slots = pn[e] - pns or 1
                            if rest > limit * slots and pgn[e] > pgns:
                                if loose_bound >= here:
                                    continue     # (spaced past the limit: no better)
                                loose = True
                        st = pg[e] - pgs
                        if st <= 0:
                            c = COST_LINE + (1e4 + delta)
                        else:
                            r = delta / st
                            sc = COST_STRETCH_FIX + COST_STRETCH * r * r * r
                            if loose:
                                sc += loose_penalty + 1000.0 * rest / slots / em
                            c = COST_LINE + sc
                    elif delta >= -0.01:
                        c = COST_LINE                  # the usual case: an exact fit
                        found = True
                        nx = nxt[e]
                    else:
                        if (delta + ps[e] - ps[s] + pq[e] - pq[s1] + pe[e] - pe[s1] if soft
                                else delta + ps[e] - ps[s]) < -0.01 and j > j0:
                            break
                        c = _line_cost(p, s, e, m, False)
                        if c == INF:
                            continue
                        found = True
                        nx = nxt[e]
                    t = base + c
                    if t < cost[nx]:
                        cost[nx] = t
                        back[nx] = (s, e, c)
                        count[nx] = k1
                    continue
                if -0.01 <= delta <= 0.01 and e not in pen and (e < n or not s > two >= 0):
                    c = COST_LINE                      # the usual case: an exact fit
                elif delta > 0.01 and e < n and e not in hyph:
                    # a line spaced out: _line_cost's arithmetic on the running sums
                    c = COST_LINE + _spread_cost(delta, pg[e] - pgs, delta - (po[e] - po[s1]),
                                                 pn[e] - pns, pgn[e] > pgns, limit,
                                                 loose_penalty, em)
                    if e in pen:
                        c += pen[e]
                elif e == n and delta >= -0.01 and e not in hyph:
                    # the last line, not too long: _line_cost's and _tail's arithmetic, inline
                    tail = 0.0
                    if s > two >= 0:
                        tail += PENALTY_LONE_CHAR
                    if pen.get(e):
                        tail += pen[e]
                    c = COST_LINE + tail
                else:
                    if delta + ps[e] - ps[s] + pq[e] - pq[s1] + pe[e] - pe[s1] < -0.01 \
                            and j > j0:
                        break
                    c = _line_cost(p, s, e, m, e == n)
                    if c == INF:
                        continue
                found = True
                nx = n if e == n else nxt[e]
                t = base + c
                if t < cost[nx]:
                    cost[nx] = t
                    back[nx] = (s, e, c)
                    count[nx] = k1
        if not found:
            # no legal break fits: break by force where the measure ends
            e = s + 1
            while e < n and p.natural(s, e + 1) <= m + 0.01:
                e += 1
            nx = nxt[e] if e < n else n
            if base + PENALTY_FORCED < cost[nx]:
                cost[nx] = base + PENALTY_FORCED
                back[nx] = (s, e, PENALTY_FORCED)
                count[nx] = k + 1
        m = measure
    if pruned and back[n] is None:
        return break_paragraph(p, measure, start, first_indent, prune=False)
    lines = []
    pos = n
    worst = 0.0                 # the costliest line on the way
    while pos != start:
        s, e, c = back[pos]
        lines.append((s, e))
        if c > worst:
            worst = c
        pos = s
    if pruned and worst >= LAST_RESORT:
        # (where nothing was dropped the search without pruning is this one again;
        # every line costing at least COST_LINE, no setting through a start reached at
        # more than this one's whole cost is the cheapest)
        rules = p.rules
        within = cost[n] if rules.loose_penalty >= 0 and rules.midline_penalty >= 0 and \
            all(v >= 0 for v in pen.values()) else INF
        return break_paragraph(p, measure, start, first_indent, prune=False, within=within)
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
    blank_left, centre = p.rules.kind_table()[6].__getitem__, p.centre   # (by kind id)
    hyphen = e in p.hyph and e < p.n
    pw, pa = p.pw, p.pa
    nat = pw[e] - pw[s] + pa[e] - pa[s + 1] + (p.hyphen_w if hyphen else 0.0)   # natural()
    delta = measure - nat
    cut = {}          # char index -> compression applied
    if p.fixed_at:
        at, fixed = p.fixed_at, p.fixed       # the characters that are always cut
        here = at[bisect_left(at, s):bisect_left(at, e)]
        if here:
            cut = dict(zip(here, map(fixed.__getitem__, here)))
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
    points, opens, kinds, cls = p.points, p.opens, p.kinds, sh.cls
    SPACE = C.SPACE
    plain = not (qcut or ecut or open_ratio)    # no Han–Latin space taken or opened
    simple = e > s
    if simple and cut:
        for i, c in cut.items():
            if c and blank_left(kinds[i]):
                simple = False
                break
    if simple and space_extra:
        # no word space in the line that spacing out widens
        at = p.space_points()
        simple = not at or bisect_left(at, s) == bisect_left(at, e)
    if simple:
        # the usual line (no mark drawn left in its cell, no word space widened): the
        # loop below with what it would skip left out, in the same order of additions
        # (over the line's own slices of the tables); a centred mark inside the line
        # keeps its advance and is drawn a quarter em left after the loop
        advs = adv[s:e]
        mid = ()
        if centre:
            at = list(centre)               # (in order: made walking the paragraph)
            mid = at[bisect_left(at, s):bisect_left(at, e - 1)]
        if cut:
            advs = list(advs)
            for i, c in cut.items():
                if not mid or i not in mid:
                    advs[i - s] = advs[i - s] - c
        xs = [0.0]
        append = xs.append
        x = advs[0]
        rest = islice(advs, 1, None)
        s1 = s + 1
        if not plain:
            for pr, q, qr, o, g, a in zip(pair[s1:e], qshrink[s1:e], qrest[s1:e], opens[s1:e],
                                          gap[s1:e], rest):
                x += pr - q * qcut - qr * ecut + o * open_ratio
                if g > 0:
                    x += per_gap
                append(x)
                x += a
        elif per_gap:
            for pr, g, a in zip(pair[s1:e], gap[s1:e], rest):
                x += pr
                if g > 0:
                    x += per_gap
                append(x)
                x += a
        else:
            prs = pair[s1:e]
            if any(prs):
                for pr, a in zip(prs, rest):
                    x += pr
                    append(x)
                    x += a
            else:
                # no adjustment in the line: the pen positions are the running sums of
                # the advances (adding 0.0 changes no sum), made in C
                xs = list(accumulate(advs, initial=0.0))
                x = xs.pop()
        for i in mid:
            xs[i - s] = xs[i - s] - centre[i] / 2
        return _finish(p, s, e, xs, x, measure, last, align, hyphen)
    xs = []
    x = 0.0
    for i in range(s, e):
        if i > s:
            # (taking or opening nothing, the sum is the pair's own adjustment)
            x += pair[i] if plain else \
                pair[i] - qshrink[i] * qcut - qrest[i] * ecut + opens[i] * open_ratio
            if gap[i] > 0:
                x += per_gap
        c = cut.get(i, 0.0) if cut else 0.0
        if c and blank_left(kinds[i]):
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
        if cls[i] == SPACE and points[i]:
            x += space_extra
    return _finish(p, s, e, xs, x, measure, last, align, hyphen)


def _finish(p: Prepared, s: int, e: int, xs: list, x: float, measure: float, last: bool,
            align: str, hyphen: bool) -> Line:
    """``set_line``'s line from its pen positions and where its last character ends:
    the hyphen after it, then the alignment."""
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
    n = p.n
    return Line(s, e, p.nxt[e] if e < n else n, tuple(xs), x, last, hyphen_x)


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
                        tuple(map(add, line.xs, repeat(first_indent))), line.right + first_indent,
                        line.last, line.hyphen_x + first_indent if line.hyphen_x >= 0 else -1.0)
        out.append(line)
    return out


#: the widest gap a looser or tighter setting may open between two characters (em)
LOOSE_MAX_GAP = 0.15
#: what it may add to a word space in a line with no gap between characters (em)
LOOSE_MAX_SPACE = 0.25


def may_fit(p: Prepared, measure: float, start: int, first_indent: float, count: int) -> bool:
    """False where no setting from ``start`` in ``count`` lines or fewer can keep every
    line within what ``break_counts`` allows (a quick test that needs no search).

    Every line s..e ``break_counts`` sets is at most the measure plus what it may give
    up (its marks, spaces and Han-Latin spaces) wide:  F(e) - G(s) <= m + 0.01, with
    F(e) = pw[e] + pa[e] - ps[e] - pq[e] - pe[e] and
    G(s) = pw[s] + pa[s + 1] - ps[s] - pq[s + 1] - pe[s + 1].  Summed over the lines,
    F(n) - G(start) is at most the measures, 0.01 a line and, at each break e, what
    G(nxt[e]) - F(e) adds (a dropped space, the adjustment before the next line's first
    character) at its largest.
    """
    n = p.n
    if start >= n or count < 1:
        return True
    pw, pa, ps, pq, pe = p.pw, p.pa, p.ps, p.pq, p.pe
    slack = p._slack
    if slack is None:
        ends = p.nodes[:-1]                 # (the last node is n)
        starts = list(map(p.nxt.__getitem__, ends))
        slack = 0.0
        if starts == ends:
            # no space dropped at a break: G(e) - F(e) is what the pair before e adds
            # beyond what it may give up (the running sums' differences, unsummed)
            if ends:
                d = map(p.pair.__getitem__, ends)
                if p.pq[-1] or p.pe[-1]:
                    d = map(sub, map(sub, d, map(p.qshrink.__getitem__, ends)),
                            map(p.qrest.__getitem__, ends))
                slack = max(slack, max(d))
        else:
            for e, t in zip(ends, starts):
                d = (pw[t] + pa[t + 1] - ps[t] - pq[t + 1] - pe[t + 1]) - \
                    (pw[e] + pa[e] - ps[e] - pq[e] - pe[e])
                if d > slack:
                    slack = d
        p._slack = slack
    need = (pw[n] + pa[n] - ps[n] - pq[n] - pe[n]) - \
        (pw[start] + pa[start + 1] - ps[start] - pq[start + 1] - pe[start + 1])
    room = (measure - first_indent) + (count - 1) * measure + 0.01 * count + \
        (count - 1) * slack
    # (a margin for the rounding of sums taken in another order)
    return need <= room + 1e-6 * (1.0 + abs(need) + abs(room))


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
    # where every place a line may be spaced out is a Han gap (no word space), a line
    # ending before ``far`` (below) is too short whatever limit: the word limit's
    # reach is not needed
    words = not (p.pn[-1] == p.pgn[-1] and C.SPACE not in p.sh.cls)
    wreach, wlim = p.reach(word_limit, 1) if words else (None, 0.0)
    hyphen_w = p.hyphen_w if p.hyph else 0.0
    pw, pa, ps, pq, pn, points, cls = p.pw, p.pa, p.ps, p.pq, p.pn, p.points, p.sh.cls
    two = p.two                 # (a lone last character from s: s > two >= 0, see _tail)
    pe, pg = p.pe, p.pg
    p_limit, em, loose_penalty = p.limit, p.em, p.rules.loose_penalty
    hyph, pen, nxt, last_hyph = p.hyph, p.penalty, p.nxt, p.last_hyph
    SPACE = C.SPACE
    after = p.node_after()
    special = set(hyph)         # break nodes the line checks must look at closely
    special.update(last_hyph)
    special.update(pen)
    special.add(n)
    # per offset a line may start at (None: not reached): the cheapest cost of k lines
    # so far, per k set there ({k: cost}, in the order the counts first came), and the
    # last of those lines (start, end)
    best: list = [None] * (n + 1)
    via: list = [None] * (n + 1)
    best[start] = {0: 0.0}
    via[start] = {0: None}
    # tables with nothing in them (no Han–Latin boundary that opens, no Han–Latin space):
    # the sums below leave them out (taking or adding 0.0 changes no sum)
    opens = any(po)
    soft = any(pq) or any(pe)
    flat_pa = not any(pa)        # (no pair adjustment: as in break_paragraph)
    # a line too long by more than its marks, spaces and Han–Latin spaces can give ends
    # the search from s; where none of those gives a negative amount (always, with the
    # rules as they are) only a line longer than the measure can be: ``over`` skips the
    # sum for the others
    over = -0.01 if min(p.shrink) >= 0.0 and (not soft or min(p.qshrink) >= 0.0 and
                                               min(p.qrest) >= 0.0) else INF
    pos_ = pqs = pes = 0.0
    limit_6, word_limit_6 = limit + 1e-6, word_limit + 1e-6
    count_1 = count - 1
    n_nodes = len(nodes)
    last_j = n_nodes - 1                # (nodes[last_j] is n)
    # a paragraph whose only special node is its end and whose lines start where the
    # last one ended (no space dropped at a break) takes the short loop below
    plain = not special - {n} and p.flat
    m = measure - first_indent          # the first line's measure (then the measure)
    for s in range(start, n):                      # lines only go forward: one pass
        row = best[s]
        if row is None:
            continue
        # (lines so far, cost so far) per line count set here (every count below
        # ``count``: a line ending before the end adds one up to count - 1)
        if not row:
            continue
        states = row.items()
        s1 = s + 1
        # a line ending before ``far`` cannot be spaced out to the measure within the
        # limits (see Prepared.reach): start at the first node that might, and at the
        # paragraph's end (a last line is not spaced out)
        lead = points[s] if cls[s] == SPACE else 0
        base = m - hyphen_w - 0.02 + pw[s] + pa[s1] + po[s1]
        pns1 = pn[s1]
        need = base + lim * (pns1 - lead)
        far = bisect_left(reach, need - 1e-6 * (1.0 + (need if need >= 0.0 else -need)), s1)
        if far > s1 and words:
            # a line with no gap between characters (Latin words) may open its word
            # spaces further: it may end earlier, while it holds no such gap
            need = base + wlim * (pns1 - lead)
            far_w = bisect_left(wreach, need - 1e-6 * (1.0 + abs(need)), s1)
            if far_w < far and pgn[far_w] == pgn[s1]:
                far = far_w
        j1 = after[far] if far > s1 else after[s1]
        pws, pas, pss, pgs = pw[s], pa[s1], ps[s], pgn[s1]
        if soft:
            pqs, pes = pq[s1], pe[s1]
        if opens:
            pos_ = po[s1]
        pns = pns1 - lead
        pgs1 = pg[s1]
        if plain:
            # the loop below for a line ending at an ordinary node e (where the next
            # line starts), then at the paragraph's end
            for j in range(j1 if j1 < last_j else last_j, last_j):
                e = nodes[j]
                delta = m - (pw[e] - pws) if flat_pa else m - (pw[e] - pws + pa[e] - pas)
                if delta < over and delta < -(ps[e] - pss + pq[e] - pqs + pe[e] - pes + 0.01
                                               if soft else ps[e] - pss + 0.01):
                    break
                if delta > 0.01:
                    rest = delta - (po[e] - pos_) if opens else delta
                    slots = pn[e] - pns
                    han = pgn[e] > pgs
                    if rest > 0.01 and (slots <= 0 or rest / slots > (
                            limit_6 if han else word_limit_6)):
                        continue
                    st = pg[e] - pgs1
                    if st <= 0:
                        c = COST_LINE + (1e4 + delta)
                    else:
                        r = delta / st
                        sc = COST_STRETCH_FIX + COST_STRETCH * r * r * r
                        if rest > 0.0:
                            slots = pn[e] - pns1 or 1
                            if rest > p_limit * slots and han:
                                sc += loose_penalty + 1000.0 * rest / slots / em
                        c = COST_LINE + sc
                elif delta >= -0.01:
                    c = COST_LINE
                else:
                    if _midline_need(p, s, e, -delta) > 0.01:
                        continue
                    c = _line_cost(p, s, e, m, False)
                    if c == INF:
                        continue
                to = best[e]
                if to is None:
                    to = best[e] = {}
                    to_via = via[e] = {}
                else:
                    to_via = via[e]
                line = (s, e)
                for k, so_far in states:
                    if k >= count_1:
                        continue
                    total = so_far + c
                    k1 = k + 1
                    if total < to.get(k1, INF):
                        to[k1] = total
                        to_via[k1] = line
            else:
                # the last line (never a lone character on it, no mark inside it
                # compressed)
                delta = m - (pw[n] - pws + pa[n] - pas)
                if delta >= -(ps[n] - pss + pq[n] - pq[s1] + pe[n] - pe[s1] + 0.01) and \
                        not s > two >= 0 and \
                        not (delta < -0.01 and _midline_need(p, s, n, -delta) > 0.01):
                    c = _line_cost(p, s, n, m, True)
                    if c != INF:
                        to = best[n]
                        if to is None:
                            to = best[n] = {}
                            to_via = via[n] = {}
                        else:
                            to_via = via[n]
                        line = (s, n)
                        for k, so_far in states:
                            total = so_far + c
                            k1 = k + 1
                            if total < to.get(k1, INF):
                                to[k1] = total
                                to_via[k1] = line
        else:
            for j in range(j1 if j1 < last_j else last_j, n_nodes):
                e = nodes[j]
                if e not in special:
                    # (no hyphen, no penalty, not the last line: the checks below, fewer)
                    delta = m - (pw[e] - pws) if flat_pa else m - (pw[e] - pws + pa[e] - pas)
                    if delta < over and delta < -(ps[e] - pss + pq[e] - pqs + pe[e] - pes +
                                                   0.01 if soft else ps[e] - pss + 0.01):
                        break
                    if delta > 0.01:
                        rest = delta - (po[e] - pos_) if opens else delta
                        slots = pn[e] - pns
                        han = pgn[e] > pgs
                        if rest > 0.01 and (slots <= 0 or rest / slots > (
                                limit_6 if han else word_limit_6)):
                            continue
                        # a line spaced out: _line_cost's arithmetic (_spread_cost) inline
                        st = pg[e] - pgs1
                        if st <= 0:
                            c = COST_LINE + (1e4 + delta)
                        else:
                            r = delta / st
                            sc = COST_STRETCH_FIX + COST_STRETCH * r * r * r
                            if rest > 0.0:
                                slots = pn[e] - pns1 or 1
                                if rest > p_limit * slots and han:
                                    sc += loose_penalty + 1000.0 * rest / slots / em
                            c = COST_LINE + sc
                    elif delta >= -0.01:
                        c = COST_LINE            # an exact fit, as _line_cost finds it
                    else:
                        if _midline_need(p, s, e, -delta) > 0.01:
                            continue
                        c = _line_cost(p, s, e, m, False)
                        if c == INF:
                            continue
                    nx = nxt[e]
                else:
                    nat = pw[e] - pws + pa[e] - pas
                    if e in hyph:
                        nat += hyphen_w
                    delta = m - nat
                    if delta < -(ps[e] - pss + pq[e] - pq[s1] + pe[e] - pe[s1] + 0.01):
                        break
                    if e in last_hyph:
                        continue                  # a proper noun is not split to even a foot
                    last = e >= n
                    if last:
                        if s > two >= 0:
                            continue              # never a lone character (孤字) on the last line
                    elif delta > 0.01:
                        # as set_line spaces it: Han–Latin boundaries open first, the rest is
                        # shared by every gap and word space
                        rest = delta - (po[e] - po[s1])
                        slots = pn[e] - pns
                        if rest > 0.01 and (slots <= 0 or rest / slots > (
                                limit if pgn[e] > pgs else word_limit) + 1e-6):
                            continue
                    if delta < -0.01 and _midline_need(p, s, e, -delta) > 0.01:
                        continue                  # no mark inside the line compressed to even a foot
                    if not last and -0.01 <= delta <= 0.01 and e not in pen:
                        c = COST_LINE            # an exact fit, as _line_cost finds it
                    elif not last and delta > 0.01 and e not in hyph:
                        # a line spaced out: _line_cost's arithmetic on the running sums
                        c = COST_LINE + _spread_cost(delta, pg[e] - pgs1, rest, pn[e] - pns1,
                                                     pgn[e] > pgs, p_limit, loose_penalty, em)
                        if e in pen:
                            c += pen[e]
                    else:
                        c = _line_cost(p, s, e, m, last)
                        if c == INF:
                            continue
                    nx = n if last else nxt[e]
                to = best[nx]
                if to is None:
                    to = best[nx] = {}
                    to_via = via[nx] = {}
                else:
                    to_via = via[nx]
                most = count if nx == n else count_1     # the count-th line ends the paragraph
                line = (s, e)
                for k, so_far in states:
                    if k >= most:
                        continue
                    total = so_far + c
                    k1 = k + 1
                    if total < to.get(k1, INF):
                        to[k1] = total
                        to_via[k1] = line
        m = measure
    out: dict[int, list[tuple[int, int]]] = {}
    row = best[n]
    for k in range(1, count + 1) if row is not None else ():
        if k not in row:
            continue
        spans = []
        pos, i = n, k
        while i:
            s, e = via[pos][i]
            spans.append((s, e))
            pos, i = s, i - 1
        spans.reverse()
        out[k] = spans
    return out
