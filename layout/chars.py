"""The clreq composition rules as data: character classes and pair rules (W3C clreq §3).

Every character gets a *kind* from a small class table (its coarse class, the
group of marks it belongs to, whether it is part of a Latin word or a digit).
What happens between two neighbouring characters — may a line break there,
is space added, does one of two adjacent marks give up its blank half — is
answered by small pair functions of the two kinds, read through a
:class:`Rules` object built from the paper's settings and memoised per pair of
kinds.  The paragraph breaker (breaking.Prepared), the headline breaker and the
importer read only this module, so a rule is changed in one place (in the
manner of SILE's ``languages/ja``: a class table feeding one generic breaker).
"""
from __future__ import annotations

import re
import unicodedata
from _thread import allocate_lock

from common.records import named_tuple

#: Units and measure words a number keeps on its line ("2018年", "3.5亿", "18个", "1500多").
#: Before any other Han character ("波音777|和") a line may break, at a penalty.
UNITS = frozenset("年月日时分秒号届期版次个位名人户家所座台辆架艘件项条种类份张本册页行字句"
                  "元角万亿千百十兆多余倍成折度米克斤吨升亩里尺寸毫厘级岁周天季代世纪批笔股"
                  "只头匹枚根棵株间套层楼栋档场轮点段部节集章首篇例宗起处组队支对双片块瓶杯"
                  "斗担美港英日欧韩卢比镑")

# coarse classes (Shaped.cls) -------------------------------------------------
HAN = 0          # ideographs, kana, full-width letters: one em, breakable on both sides
OPEN = 1         # opening brackets and quotes: never at a line end
CLOSE = 2        # closing brackets and quotes: never at a line start
STOP = 3         # pause and stop marks （，。、；：？！）: never at a line start
MIDDLE = 4       # middle dot 间隔号: never at a line start (it may end one, GB/T 15834)
DASH = 5         # —— and ……: never split, never at a line start
LATIN = 6        # letters, digits and other half-width characters of a word
SPACE = 7        # a word space
NUMSIGN = 8      # % ‰ ℃ following a number

OPENING = set("（《〈「『【〔〖｛［“‘｟")
CLOSING = set("）》〉」』】〕〗｝］”’｠")
PERIODS = set("。？！")          # marks that end a sentence
PAUSES = set("，、；：")          # marks inside a sentence
STOPS = PERIODS | PAUSES
MIDDLES = set("·・")
DASHES = set("—…⋯―")
NUM_SIGNS = set("%‰℃％°")
HALF_OPEN = set("([{")
HALF_CLOSE = set(")]},.;:?!")

# groups: the named sets above, as the class table's rows -----------------------
G_NONE, G_OPEN, G_CLOSE, G_PERIOD, G_PAUSE, G_MIDDLE, G_DASH, G_NUMSIGN, \
    G_HALF_OPEN, G_HALF_CLOSE = range(10)
_GROUP_SETS = ((G_OPEN, OPENING), (G_CLOSE, CLOSING), (G_PERIOD, PERIODS),
               (G_PAUSE, PAUSES), (G_MIDDLE, MIDDLES), (G_DASH, DASHES),
               (G_NUMSIGN, NUM_SIGNS), (G_HALF_OPEN, HALF_OPEN), (G_HALF_CLOSE, HALF_CLOSE))

#: 避头: groups that may not start a line (行首禁则).
NO_LINE_START = frozenset({G_CLOSE, G_PERIOD, G_PAUSE, G_MIDDLE, G_DASH, G_NUMSIGN,
                           G_HALF_CLOSE})
#: 避尾: groups that may not end a line (行尾禁则).  The middle dot (间隔号) may end one:
#: a foreign name breaks after it (奥马尔·|哈桑), never before it (GB/T 15834, clreq).
NO_LINE_END = frozenset({G_OPEN, G_HALF_OPEN})

#: Which side of a full-width mark's em box is blank (what compression removes).
#: A centred mark (Taiwan, Hong Kong) is blank on both sides: set half width inside
#: a line it gives up a quarter em on each (ending a line it keeps its box).
LEFT, RIGHT, BOTH = 1, 2, 3
BLANK_SIDE = {G_OPEN: LEFT, G_CLOSE: RIGHT, G_PERIOD: RIGHT, G_PAUSE: RIGHT}


@named_tuple       # (typing.NamedTuple's class, without typing)
class Convention:
    """A punctuation convention: how wide the full-width marks are set."""
    #: groups that may be compressed to half an em when needed: next to another
    #: mark (标点挤压), at a line end, and — only as a last resort, penalised and
    #: counted — inside a line to justify it
    compressible: frozenset
    #: groups always set half width (their blank half removed), e.g. for 半身
    half: frozenset = frozenset()


#: ``paper.punctuation`` → its convention.  Centred stops (Taiwan, Hong Kong) sit
#: in the middle of their box and keep it.
CONVENTIONS = {
    "mainland": Convention(frozenset({G_OPEN, G_CLOSE, G_PERIOD, G_PAUSE})),
    "centered": Convention(frozenset({G_OPEN, G_CLOSE})),
}

#: ``paper.punctuation_width``: which marks are set full width and which half.
#: 全身 every mark full (compressed only next to another mark or at a line end);
#: 开明 。？！ full, the other marks half; 半身 every mark half.
PUNCTUATION_WIDTHS = {
    "全身": frozenset(),
    "开明": frozenset({G_OPEN, G_CLOSE, G_PAUSE}),
    "半身": frozenset({G_OPEN, G_CLOSE, G_PAUSE, G_PERIOD}),
}

#: ``paper.latin_spacing``: the space between Han and Latin letters or digits
#: (and after a sign such as "%" that is part of a number), in em.
LATIN_SPACINGS = {"quarter": 0.25, "none": 0.0}


def convention(punctuation: str = "mainland", width: str = "全身") -> Convention:
    """The convention of a punctuation position (mainland | centered) and width.

    Under 全身 centred stops keep their whole box; under 开明 or 半身 the marks the
    convention sets half width are half width in centred text too inside a line
    (squeezed on both sides, the mark in the middle of its half box; ending a line
    it keeps its box), so a page that mixes Simplified and Traditional stories sets
    every mark one way.
    """
    base = CONVENTIONS[punctuation]
    half = PUNCTUATION_WIDTHS[width]
    return Convention(base.compressible | half, half)

# spacing classes: the rows and columns of the spacing table --------------------
S_OTHER, S_HAN, S_LATIN, S_DIGIT, S_SIGN, S_MARK = range(6)
_MARK_GROUPS = frozenset({G_OPEN, G_CLOSE, G_PERIOD, G_PAUSE, G_MIDDLE, G_DASH})

#: A break value: ``PROHIBITED`` (None), ``ALLOWED`` (0.0), or a penalty (> 0)
#: that the breaker adds to the cost of a line ending there.
PROHIBITED = None
ALLOWED = 0.0


_GROUP_CLASS = {G_OPEN: OPEN, G_CLOSE: CLOSE, G_PERIOD: STOP, G_PAUSE: STOP,
                G_MIDDLE: MIDDLE, G_DASH: DASH, G_NUMSIGN: NUMSIGN}


def char_group(ch: str) -> int:
    """The group of marks a character belongs to (G_NONE for letters and Han)."""
    for g, members in _GROUP_SETS:
        if ch in members:
            return g
    return G_NONE


def char_class(ch: str) -> int:
    """The coarse composition class of one character."""
    got = _GROUP_CLASS.get(char_group(ch))
    if got is not None:
        return got
    if ch.isspace():
        return SPACE
    if ord(ch) < 0x2E80:           # Latin, digits, half-width signs
        return LATIN
    return HAN


_WORD: dict[str, bool] = {}


def is_word_char(ch: str) -> bool:
    """Latin letters, digits and the signs that stay inside a Latin word or number."""
    got = _WORD.get(ch)
    if got is None:
        got = _WORD[ch] = _is_word_char(ch)
    return got


def _is_word_char(ch: str) -> bool:
    if ch.isspace():
        return False
    o = ord(ch)
    if o < 0x2E80 and ch not in DASHES and ch not in MIDDLES:
        cat = unicodedata.category(ch)
        return cat[0] in "LNS" or ch in ".,'’-_/:&@#+"
    return False


# the class table -----------------------------------------------------------------
@named_tuple
class Kind:
    """What the rules know of a character (characters of one kind behave alike)."""
    cls: int                 # coarse class
    group: int               # G_* group
    word: bool               # part of a Latin word or number
    digit: bool              # a digit (half or full width)
    after_digit: bool = False  # in context: a dash right after a digit ("2018—2020")
    unit: bool = False       # a unit or measure word (UNITS)

    @property
    def han(self) -> bool:
        return self.cls == HAN

    @property
    def space(self) -> bool:
        return self.cls == SPACE

    @property
    def counts(self) -> bool:
        """Counts as a character for the lone-character rule (孤字)."""
        return self.cls == HAN or self.word

    @property
    def spacing(self) -> int:
        """The spacing class (S_*): the row of the spacing table."""
        if self.word:
            return S_DIGIT if self.digit else S_LATIN
        if self.cls == HAN:
            return S_HAN
        if self.group == G_NUMSIGN:
            return S_SIGN
        if self.group in _MARK_GROUPS:
            return S_MARK
        return S_OTHER


KINDS: list[Kind] = []              # kind id → Kind
_KIND_ID: dict[Kind, int] = {}
_LOCK = allocate_lock()             # the editor composes in more than one thread (a threading.Lock)


def _intern(k: Kind) -> int:
    got = _KIND_ID.get(k)
    if got is None:
        with _LOCK:
            got = _KIND_ID.get(k)
            if got is None:
                KINDS.append(k)
                got = _KIND_ID[k] = len(KINDS) - 1
    return got


class _KindTable(dict):
    """Character → kind id, filled on first sight."""

    def __missing__(self, ch: str) -> int:
        k = self[ch] = _intern(Kind(char_class(ch), char_group(ch), is_word_char(ch),
                                    ch.isdigit(), unit=ch in UNITS))
        return k


_KIND_OF = _KindTable()
_RANGE_DASH: dict[int, int] = {}    # dash kind id → the same dash after a digit
_DASH_RE = re.compile("[" + "".join(sorted(DASHES)) + "]")


#: Quotes that are Western punctuation when a proportional (Latin) face draws them, as in
#: an English story: set at the glyph's own width and never compressed, with the breaks
#: of the half-width bracket they stand for (“ ‘ never end a line, ” ’ never start one),
#: and as part of the word they quote.
WESTERN_QUOTES = {"“": "(", "‘": "(", "”": ")", "’": ")"}


def western_quotes(text: str, ks: list[int], adv, sizes) -> None:
    """Give the quotes of ``text`` that a proportional face sets (an advance under
    three quarters of their size) the kind of the bracket they stand for, in place."""
    for m in _QUOTE_RE.finditer(text):
        i = m.start()
        if adv[i] < 0.75 * sizes[i]:
            # part of the word it quotes: no break and no justification space beside it
            ks[i] = _intern(kind(WESTERN_QUOTES[text[i]])._replace(word=True))


_QUOTE_RE = re.compile("[" + "".join(WESTERN_QUOTES) + "]")


def kind(ch: str) -> Kind:
    """The kind of one character, out of context."""
    return KINDS[_KIND_OF[ch]]


def kinds(text: str) -> list[int]:
    """The kind id of every character of ``text``, in context."""
    ks = list(map(_KIND_OF.__getitem__, text))
    if _DASH_RE.search(text) is not None:
        for m in _DASH_RE.finditer(text):
            i = m.start()
            if i and KINDS[ks[i - 1]].digit:
                k = ks[i]
                r = _RANGE_DASH.get(k)
                if r is None:
                    r = _RANGE_DASH[k] = _intern(KINDS[k]._replace(after_digit=True))
                ks[i] = r
    return ks


# pair functions -------------------------------------------------------------------
def prohibited(a: Kind, b: Kind) -> bool:
    """避头尾 and words: no line may end with ``a`` before ``b``."""
    return a.group in NO_LINE_END or b.group in NO_LINE_START or (a.word and b.word)


def no_break_before(ch: str) -> bool:
    """Characters that may not start a line (行首禁则)."""
    return kind(ch).group in NO_LINE_START


def no_break_after(ch: str) -> bool:
    """Characters that may not end a line (行尾禁则)."""
    return kind(ch).group in NO_LINE_END


def may_break_between_words(a: str, b: str) -> bool:
    """Whether a headline may break between two words ending in ``a`` and starting with ``b``."""
    return not prohibited(kind(a), kind(b))


@named_tuple
class Pair:
    """What happens between two neighbouring characters."""
    brk: float | None        # PROHIBITED, ALLOWED or a penalty
    space: float             # space added between them, in em
    squeeze: int             # 0, or which of the two gives up its blank half: 1 first, 2 second
    gap: float               # nominal stretch of the gap between them, in em
    open: float = 0.0        # how far the gap may open before Han gaps do (Han–Latin), em


#: Pairs of spacing classes that meet at a boundary between Han and Latin or digits.
LATIN_BOUNDARIES = frozenset({(S_HAN, S_LATIN), (S_LATIN, S_HAN), (S_HAN, S_DIGIT),
                              (S_DIGIT, S_HAN), (S_SIGN, S_HAN)})


class Rules:
    """The pair rules with the settings of one paper, memoised per pair of kinds.

    The settings are the whole of what a paper may change; every default is
    today's rule.
    """

    def __init__(self, punctuation: str = "mainland", *,
                 width: str = "全身",             # paper.punctuation_width
                 convention: Convention | None = None,  # instead of convention(punctuation, width)
                 han_latin_space: float = 0.25,   # em between Han and Latin letters
                 han_digit_space: float = 0.25,   # em between Han and digits (and after "%")
                 latin_space_shrink: float = 0.5,  # how much of those spaces may go to fit a line
                 latin_space_close: float = 1.0,   # how much may go as a last resort (before
                 #                                   a loose line or a mark compressed mid-line)
                 number_track: float = 0.04,      # how much closer two characters of a number
                 #                                  or Latin word in a Chinese line may set, em
                 max_gap: float = 0.15,           # widest gap between two Han characters, em
                 loose_penalty: float = 5000.0,   # a justified line spaced wider than max_gap
                 midline_penalty: float = 400.0,  # a mark compressed inside a line to justify
                 gap_stretch: float = 0.5,        # nominal stretch of a gap between characters, em
                 punct_shrink: float = 0.5,       # how much a compressible mark may lose, em
                 space_shrink_parts: float = 3.0,  # a word space may lose 1/this of its width
                 space_stretch: float = 0.5,      # nominal stretch of a word space, × its width
                 number_unit: float | None = PROHIBITED,   # between a digit and its unit ("2018年")
                 number_han: float | None = 30.0,  # between a digit and other Han ("777|和")
                 latin_space_stretch: float = 0.25,  # how far a Han–Latin/digit boundary may
                 #                        open before the gaps between Han characters, em
                 number_range: float | None = 40.0,  # after the dash of "2018—|2020"
                 after_middle: float | None = 20.0,  # after a middle dot ("奥马尔·|哈桑")
                 before_open: float | None = ALLOWED,      # before an opening bracket ("年（")
                 hyphen_in_han: float | None = 60.0,  # a long lower-case Latin word in a Chinese
                 #                                     line, hyphenated (None: never)
                 letter_break: float | None = 2000.0,  # a long capitalised or odd Latin word
                 #   in a Chinese line broken at a letter with a hyphen: a last resort, before
                 #   a line spaced past max_gap (None: never)
                 letter_break_any: float = 1000.0,  # more where pyphen finds no syllable
                 letter_break_min: int = 3,       # letters kept on each side of such a break
                 tag_max: int = 16,               # longest closing tag kept whole, characters
                 spacing: dict | None = None,     # more (S_a, S_b) → em entries
                 ):
        self.punctuation, self.width = punctuation, width
        self.convention = convention or globals()["convention"](punctuation, width)
        self.compressible = self.convention.compressible - self.convention.half
        self.gap_stretch = gap_stretch
        self.punct_shrink = punct_shrink
        self.space_shrink_parts = space_shrink_parts
        self.space_stretch = space_stretch
        self.number_unit, self.number_han = number_unit, number_han
        self.latin_space_stretch = latin_space_stretch
        self.number_range = number_range
        self.after_middle = after_middle
        self.before_open = before_open
        self.hyphen_in_han = hyphen_in_han
        self.letter_break, self.letter_break_any = letter_break, letter_break_any
        self.letter_break_min = letter_break_min
        self.latin_space_shrink = latin_space_shrink
        self.latin_space_close = max(latin_space_close, latin_space_shrink)
        self.number_track = number_track
        self.max_gap, self.loose_penalty = max_gap, loose_penalty
        self.midline_penalty = midline_penalty
        self.tag_max = tag_max
        #: the spacing table: (spacing class of a, of b) → em between them; a sign
        #: that ends a number ("63.4%的") is spaced as the number is
        self.spacing = {(S_HAN, S_LATIN): han_latin_space, (S_LATIN, S_HAN): han_latin_space,
                        (S_HAN, S_DIGIT): han_digit_space, (S_DIGIT, S_HAN): han_digit_space,
                        (S_SIGN, S_HAN): han_digit_space}
        self.spacing.update(spacing or {})
        self.has_half = bool(self.convention.half)
        # memo tables (filled on first use; a race only computes an entry twice)
        self._pairs: dict[int, Pair] = {}
        self._shrink: dict[int, float] = {}
        self._half: dict[int, float] = {}
        self.pair_of: list[Pair] = []
        self.pair_kinds: list[tuple[int, int]] = []
        self._pair_id = _PairIds(self)
        self._per_em: dict[float, tuple] = {}     # em → pair_table's lists
        self._per_kind: tuple = ([], [], [], [], [], [], [], [])   # kind_table's lists
        self._shrink_at: dict[float, list] = {}   # size → shrink per kind id, pt
        self._half_at: dict[float, list] = {}     # size → half per kind id, pt

    # ---------------------------------------------------- tables per id (Prepared)
    def pair_table(self, em: float) -> tuple:
        """What a paragraph's tables read of each pair's answers, as lists by pair id
        (every id numbered so far): the gap's stretch and the boundary's opening in pt
        at ``em``; whether there is a gap (0/1), a gap that opens (0/1), a legal break,
        a penalised one, a space or squeeze (or, in a Chinese line, a pair of word
        characters: a number tracked), and a pair of word characters."""
        got = self._per_em.get(em)
        if got is None:
            got = self._per_em.setdefault(em, ([], [], [], [], [], [], [], [], []))
        n = len(self.pair_of)
        if len(got[-1]) < n:
            gap, opens, gapped, opened, brk, pen, odd, odd_han, words = got
            with _LOCK:
                for q in range(len(words), len(self.pair_of)):
                    a = self.pair_of[q]
                    ka, kb = self.pair_kinds[q]
                    g = a.gap * em if a.gap else 0.0
                    gap.append(g)
                    opens.append(a.open * em if a.open else 0.0)
                    gapped.append(1 if a.gap else 0)
                    opened.append(1 if g > 0 else 0)
                    brk.append(a.brk is not None)
                    pen.append(bool(a.brk))
                    w = bool(KINDS[ka].word and KINDS[kb].word)
                    odd.append(bool(a.space or a.squeeze))
                    odd_han.append(bool(a.space or a.squeeze or w))
                    words.append(w)                                     # (appended last)
        return got

    def kind_table(self) -> tuple:
        """What a paragraph's tables read of each kind, as lists by kind id (every kind
        so far): shrink_of, whether it shrinks, is a space, half_of, is a mark of the
        compressible groups, counts as a character, has its blank on the left
        (blank_left), is part of a word."""
        got = self._per_kind
        if len(got[-1]) < len(KINDS):
            shrink, marks, space, half, marky, counts, left, word = got
            with _LOCK:
                for k in range(len(word), len(KINDS)):
                    kind = KINDS[k]
                    f = self.shrink_of(k)
                    shrink.append(f)
                    marks.append(bool(f))
                    space.append(kind.cls == SPACE)
                    half.append(self.half_of(k) if self.has_half else 0.0)
                    marky.append(kind.group in (G_OPEN, G_CLOSE, G_PERIOD, G_PAUSE))
                    counts.append(1 if kind.counts else 0)
                    left.append(BLANK_SIDE.get(kind.group) == LEFT)
                    word.append(kind.word)                              # (appended last)
        return got

    def shrink_at(self, size: float) -> list:
        """shrink_of per kind id in pt at ``size`` (every kind so far; kind_table first)."""
        got = self._shrink_at.get(size)
        if got is None:
            got = self._shrink_at.setdefault(size, [])
        shrink = self._per_kind[0]
        if len(got) < len(shrink):
            with _LOCK:
                got.extend([f * size if f else 0.0 for f in shrink[len(got):]])
        return got

    def half_at(self, size: float) -> list:
        """half_of per kind id in pt at ``size`` (every kind so far; kind_table first)."""
        got = self._half_at.get(size)
        if got is None:
            got = self._half_at.setdefault(size, [])
        half = self._per_kind[3]
        if len(got) < len(half):
            with _LOCK:
                got.extend([h * size if h else 0.0 for h in half[len(got):]])
        return got

    # -------------------------------------------------------------- per kind
    def shrink(self, k: Kind) -> float:
        """How much a character may be compressed, as a fraction of its size."""
        if k.group in self.compressible:
            return self.punct_shrink
        return 0.0

    def half(self, k: Kind) -> float:
        """How much of a character is always cut (a half-width mark), as a fraction of its size."""
        if k.group in self.convention.half:
            return self.punct_shrink
        return 0.0

    def shrink_of(self, kid: int) -> float:
        """shrink() by kind id, memoised."""
        got = self._shrink.get(kid)
        if got is None:
            got = self._shrink[kid] = self.shrink(KINDS[kid])
        return got

    def half_of(self, kid: int) -> float:
        """half() by kind id, memoised."""
        got = self._half.get(kid)
        if got is None:
            got = self._half[kid] = self.half(KINDS[kid])
        return got

    def blank_left(self, kid: int) -> bool:
        """Whether a mark's compressible blank is on its left (opening marks)."""
        return BLANK_SIDE.get(KINDS[kid].group) == LEFT

    def blank_side(self, kid: int) -> int:
        """Where a mark's compressible blank is: LEFT, RIGHT or BOTH (centred stops), 0."""
        g = KINDS[kid].group
        if self.punctuation == "centered" and g in (G_PERIOD, G_PAUSE):
            return BOTH
        return BLANK_SIDE.get(g, 0)

    # -------------------------------------------------------------- per pair
    def brk(self, a: Kind, b: Kind) -> float | None:
        """May a line end between ``a`` and ``b``: PROHIBITED, ALLOWED or a penalty."""
        if b.space:
            return PROHIBITED if a.space else ALLOWED   # before the first of the spaces
        if a.space or prohibited(a, b):
            return PROHIBITED
        if a.digit and b.han:
            return self.number_unit if b.unit or a.han else self.number_han
        if a.after_digit and a.group == G_DASH and b.digit:
            return self.number_range
        if b.group == G_OPEN:
            return self.before_open
        if a.group == G_MIDDLE:
            return self.after_middle
        return ALLOWED

    def space(self, a: Kind, b: Kind) -> float:
        """Space between ``a`` and ``b`` in em, from the spacing table."""
        return self.spacing.get((a.spacing, b.spacing), 0.0)

    def squeeze(self, a: Kind, b: Kind) -> int:
        """标点挤压: two adjacent marks take 1.5 em; which one gives up its blank half."""
        comp = self.compressible
        if a.group in comp and b.group in comp:
            side_a = BLANK_SIDE.get(a.group)
            if side_a == RIGHT:
                return 1
            if side_a == LEFT and BLANK_SIDE.get(b.group) == LEFT:
                return 2
        return 0

    def gap(self, a: Kind, b: Kind) -> float:
        """Nominal stretch between ``a`` and ``b`` in em (none inside a word or at a space)."""
        if a.space or b.space or (a.word and b.word):
            return 0.0
        return self.gap_stretch

    def opens(self, a: Kind, b: Kind) -> float:
        """How far a Han–Latin/digit boundary opens before the gaps between Han
        characters are widened (JIS X 4051's order of expansion), in em."""
        if (a.spacing, b.spacing) not in LATIN_BOUNDARIES:
            return 0.0
        # never more than 3/8 em in all: a wider gap reads as a hole (or a gutter)
        return max(0.0, min(self.latin_space_stretch, 0.375 - self.space(a, b)))

    def pair(self, ka: int, kb: int) -> Pair:
        """All the answers for a pair of kind ids, memoised."""
        key = ka << 16 | kb
        got = self._pairs.get(key)
        if got is None:
            a, b = KINDS[ka], KINDS[kb]
            got = self._pairs[key] = Pair(self.brk(a, b), self.space(a, b),
                                          self.squeeze(a, b), self.gap(a, b), self.opens(a, b))
        return got

    def pair_ids(self, ks: list[int]) -> list[int]:
        """For every two neighbours in a sequence of kind ids, the id of their pair
        of kinds: ``pair_of[id]`` is pair(), ``pair_kinds[id]`` the two kind ids
        (a paragraph has few distinct pairs, so its tables are made per id)."""
        return list(map(self._pair_id.__getitem__, zip(ks, ks[1:])))


class _PairIds(dict):
    """(kind id, kind id) → pair id of one Rules, numbered on first sight."""

    def __init__(self, rules: Rules):
        super().__init__()
        self.rules = rules

    def __missing__(self, ab: tuple[int, int]) -> int:
        rules = self.rules
        with _LOCK:
            got = self.get(ab)
            if got is None:
                rules.pair_of.append(rules.pair(*ab))
                rules.pair_kinds.append(ab)
                got = self[ab] = len(rules.pair_of) - 1
        return got


_RULES: dict[tuple, Rules] = {}


def rules_for(punctuation: str = "mainland", width: str = "全身",
              latin_spacing: str = "quarter") -> Rules:
    """The shared rules of a paper's settings (so their memo is shared too)."""
    key = (punctuation, width, latin_spacing)
    got = _RULES.get(key)
    if got is None:
        sp = LATIN_SPACINGS[latin_spacing]
        got = _RULES[key] = Rules(punctuation, width=width, han_latin_space=sp,
                                  han_digit_space=sp)
    return got


def rules_of(paper) -> Rules:
    """The rules of a paper's settings (layout.model.Paper)."""
    return rules_for(paper.punctuation, paper.punctuation_width, paper.latin_spacing)


def closing_tag(text: str, tag_max: int = 16) -> tuple[int, int] | None:
    """The bracketed tag that ends a paragraph — a sign-off such as （记者 王某） or
    （宗和） — as (offset of its opening bracket, end); None if there is none.

    The tag holds no other bracket and no sentence mark, and is at most
    ``tag_max`` characters long.
    """
    t = text.rstrip()
    if not t or t[-1] not in "）)":
        return None
    i = len(t) - 2
    while i >= 0 and len(t) - i <= tag_max:
        ch = t[i]
        if ch in "（(":
            return (i, len(t)) if len(t) - i > 2 else None
        if ch in OPENING or ch in CLOSING or ch in STOPS or ch in "()":
            return None
        i -= 1
    return None


#: Particles and function words (as words of their own) a headline line never starts with.
NO_HEADLINE_START = frozenset({"的", "了", "着", "过", "地", "得", "和", "与", "及", "或", "等",
                               "之", "而", "们", "吗", "呢", "吧", "啊", "及其", "以及", "等等"})

