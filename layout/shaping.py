"""From characters to measured cells: face, size, glyph id and advance per character.

Each character of a paragraph becomes one cell (CJK text needs no complex
shaping: one character, one glyph).  A character missing from the style's face
falls back to the next face of the same role; one that no face has is reported
and drawn as the primary face's .notdef box, never as a silent blank.
"""
from __future__ import annotations

from dataclasses import field

from common.prebuilt import prebuilt_dataclass

from . import chars as C
from . import _methods as _dataclass_methods

# @dataclass, with the methods dataclasses would write generated ahead of time into
# layout/_methods.py (see common/prebuilt.py)
dataclass = prebuilt_dataclass(_dataclass_methods)


@dataclass
class Shaped:
    """A paragraph's characters, measured, as parallel lists (fast to scan)."""
    text: str
    faces: list            # FontFace per char
    sizes: list[float]
    gids: list[int]
    adv: list[float]       # advance in pt
    cls: list[int]         # chars.* class
    colors: list[str]
    fallbacks: list[tuple[int, str]] = field(default_factory=list)   # (offset, face name)
    missing: list[int] = field(default_factory=list)                 # offsets no face has
    em: float = 9.0        # the paragraph style's size: what ¼ em and indents count
    xoff: dict[int, float] = field(default_factory=dict)  # glyph offsets inside their cell
    hs: list[float] | None = None   # per char: horizontal scale (长 type), None: all 1
    vs: list[float] | None = None   # per char: vertical scale (扁 type), None: all 1
    _starts: list[int] | None = field(default=None, repr=False, compare=False)

    def run_starts(self) -> list[int]:
        """Offsets (after 0) where a glyph run must start: the face, size, colour or
        scale changes there (worked out once)."""
        got = self._starts
        if got is None:
            faces, sizes, colors, hs, vs = self.faces, self.sizes, self.colors, self.hs, self.vs
            got = self._starts = [
                i for i in range(1, len(faces))
                if faces[i] is not faces[i - 1] or sizes[i] != sizes[i - 1]
                or colors[i] != colors[i - 1]
                or (hs is not None and (hs[i] != hs[i - 1] or vs[i] != vs[i - 1]))]
        return got


@dataclass(frozen=True)
class RunSpec:
    """A run of characters with its resolved font role, size and colour.

    ``locl`` is the OpenType language ("ZHT", "ZHH") whose glyph forms the run takes
    from a face that offers them (GSUB 'locl', asked through the face's optional
    ``localized(language)`` map); ``locl_marks`` limits that to the marks whose
    position differs (，。、：；！？ centred), for Simplified text set with centred marks.
    """
    text: str
    role: str
    size: float
    color: str
    locl: str = ""
    locl_marks: bool = False
    hscale: float = 1.0      # 长N: glyphs narrowed to this fraction of their width
    vscale: float = 1.0      # 扁N: glyphs lowered to this fraction of their height


#: the marks set centred in Taiwan and Hong Kong but low left on the mainland
CENTRED_MARKS = frozenset("，。、：；！？")


def _localized(face, language: str) -> dict:
    """The face's 'locl' map for a language ({} when it has none or cannot say)."""
    get = getattr(face, "localized", None)
    return get(language) if get is not None else {}


class _Cells(dict):
    """Character → (face, gid, advance in pt, class) for one font role, glyph language,
    size and width scale; a character is measured when first seen.  ``odd`` holds
    the characters that fall back to another face or that no face has."""

    def __init__(self, chain: list, run: RunSpec):
        super().__init__()
        self.chain, self.run = chain, run
        self.odd: set[str] = set()

    def __missing__(self, ch: str) -> tuple:
        chain, run = self.chain, self.run
        primary = chain[0]
        face, gid = primary, primary.gid(ch)
        if gid == 0 and not ch.isspace():
            for alt in chain[1:]:
                g = alt.gid(ch)
                if g:
                    face, gid = alt, g
                    break
        if run.locl and gid and (not run.locl_marks or ch in CENTRED_MARKS):
            gid = _localized(face, run.locl).get(gid, gid)
        sx = run.hscale
        if ch.isspace() and gid == 0:
            a = run.size * sx * 0.25           # a space the face lacks
        elif face is primary:
            a = primary.advance(gid) * (run.size * sx / primary.units_per_em)
        else:
            a = face.advance(gid) * run.size * sx / face.units_per_em
        if face is not primary or (gid == 0 and not ch.isspace()):
            self.odd.add(ch)
        got = self[ch] = (face, gid, a, C.char_class(ch))
        return got


def shape(runs: list[RunSpec], fontset, em: float, memo: dict | None = None) -> Shaped:
    """Measure every character of the runs.

    A run set 长 (``hscale`` < 1) is measured with its glyphs narrowed: its
    advances and its ``sizes`` (the em the breaker counts in: compression, ¼ em,
    dashes) are the font size's times the scale; ``hs``/``vs`` keep the scales
    so the glyph runs can give painters the font size and the transform.

    ``memo`` (a dict the caller keeps, e.g. the Setter's) keeps every character's
    cell per font role, glyph language and size across paragraphs.
    """
    text = "".join(r.text for r in runs)
    faces, sizes, gids, adv, cls, colors = [], [], [], [], [], []
    hs: list[float] = []
    vs: list[float] = []
    fallbacks, missing = [], []
    offset = 0
    if memo is None:
        memo = {}
    scaled = any((r.hscale != 1.0 or r.vscale != 1.0) and r.text for r in runs)
    for run in runs:
        chain = fontset.faces(run.role)
        primary = chain[0]
        sx = run.hscale
        key = (run.role, run.locl, run.locl_marks, run.size, sx)
        cells = memo.get(key)
        if cells is None or cells.chain is not chain:
            cells = memo[key] = _Cells(chain, RunSpec("", run.role, run.size, "", run.locl,
                                                      run.locl_marks, hscale=sx))
        seq = list(map(cells.__getitem__, run.text))
        count = len(seq)
        if count:
            f_, g_, a_, k_ = zip(*seq)
            faces += f_
            gids += g_
            adv += a_
            cls += k_
        if cells.odd and not cells.odd.isdisjoint(run.text):
            for i, (face, gid, _, _) in enumerate(seq):
                if face is not primary:
                    fallbacks.append((offset + i, face.name))
                elif gid == 0 and not run.text[i].isspace():
                    missing.append(offset + i)
        sizes += [run.size * sx] * count
        if scaled:
            hs += [sx] * count
            vs += [run.vscale] * count
        colors += [run.color] * count
        offset += count
    xoff = _full_width_dashes(text, adv, sizes) if "—" in text else {}
    # tuples of numbers and names: the garbage collector stops walking them
    sh = Shaped(text, tuple(faces), tuple(sizes), tuple(gids), tuple(adv), tuple(cls),
                tuple(colors), fallbacks, missing, em, xoff,
                tuple(hs) if scaled else None, tuple(vs) if scaled else None)
    if len(runs) == 1 and not fallbacks:
        sh._starts = []                 # one face, size and colour throughout
    return sh


def _full_width_dashes(text: str, adv: list[float], sizes: list[float]) -> dict[int, float]:
    """Set the Chinese dash —— one em per mark, its two halves joined into one line.

    Fonts give U+2014 a narrower advance than the em; in Chinese text each mark
    takes a full em, the first pushed to the right of its cell and the second
    to the left, so the pair reads as one unbroken rule.
    """
    xoff: dict[int, float] = {}
    n = len(text)
    i = text.find("—")
    while i >= 0:                        # each dash, in order
        if adv[i] < sizes[i] - 0.01:
            slack = sizes[i] - adv[i]
            prev_dash = i > 0 and text[i - 1] == "—"
            next_dash = i + 1 < n and text[i + 1] == "—"
            if next_dash and not prev_dash:
                xoff[i] = slack
            elif not prev_dash:
                xoff[i] = slack / 2
            adv[i] = sizes[i]
        i = text.find("—", i + 1)
    return xoff
