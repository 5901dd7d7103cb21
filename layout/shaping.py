"""From characters to measured cells: face, size, glyph id and advance per character.

Each character of a paragraph becomes one cell (CJK text needs no complex
shaping: one character, one glyph).  A character missing from the style's face
falls back to the next face of the same role; one that no face has is reported
and drawn as the primary face's .notdef box, never as a silent blank.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from . import chars as C


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


def shape(runs: list[RunSpec], fontset, em: float, memo: dict | None = None) -> Shaped:
    """Measure every character of the runs.

    A run set 长 (``hscale`` < 1) is measured with its glyphs narrowed: its
    advances and its ``sizes`` (the em the breaker counts in: compression, ¼ em,
    dashes) are the font size's times the scale; ``hs``/``vs`` keep the scales
    so the glyph runs can give painters the font size and the transform.

    ``memo`` (a dict the caller keeps, e.g. the Setter's) remembers each character's
    cell per font role and glyph language across paragraphs.
    """
    text = "".join(r.text for r in runs)
    faces, sizes, gids, adv, cls, colors = [], [], [], [], [], []
    hs: list[float] = []
    vs: list[float] = []
    fallbacks, missing = [], []
    offset = 0
    if memo is None:
        memo = {}
    for run in runs:
        chain = fontset.faces(run.role)
        primary = chain[0]
        sx = run.hscale
        size = run.size * sx
        scale = run.size * sx / primary.units_per_em
        cells = memo.get((run.role, run.locl, run.locl_marks))
        if cells is None or cells[0] is not chain:
            cells = memo[(run.role, run.locl, run.locl_marks)] = (chain, {})
        cells = cells[1]
        # per distinct character: (face, gid, advance in pt, class)
        cache: dict[str, tuple] = {}
        for ch in set(run.text):
            cell = cells.get(ch)
            if cell is None:
                cell = cells[ch] = _cell(ch, chain, run.locl, run.locl_marks)
            face, gid, units, k = cell
            if units is None:
                a = run.size * sx * 0.25           # a space the face lacks
            elif face is primary:
                a = units * scale
            else:
                a = units * run.size * sx / face.units_per_em
            cache[ch] = (face, gid, a, k)
        seq = [cache[ch] for ch in run.text]
        count = len(seq)
        if count:
            f_, g_, a_, k_ = zip(*seq)
            faces += f_
            gids += g_
            adv += a_
            cls += k_
        if any(face is not primary or (gid == 0 and not ch.isspace())
               for ch, (face, gid, _, _) in cache.items()):
            for i, (face, gid, _, _) in enumerate(seq):
                if face is not primary:
                    fallbacks.append((offset + i, face.name))
                elif gid == 0 and not run.text[i].isspace():
                    missing.append(offset + i)
        sizes += [size] * count
        hs += [sx] * count
        vs += [run.vscale] * count
        colors += [run.color] * count
        offset += count
    xoff = _full_width_dashes(text, adv, sizes)
    scaled = any(v != 1.0 for v in hs) or any(v != 1.0 for v in vs)
    return Shaped(text, faces, sizes, gids, adv, cls, colors, fallbacks, missing, em, xoff,
                  hs if scaled else None, vs if scaled else None)


def _cell(ch: str, chain: list, locl: str, locl_marks: bool) -> tuple:
    """(face, gid, advance in font units or None for a missing space, class) of a
    character in a chain of faces: the first face that has it, else the primary's
    .notdef; a glyph language's form where the face has one."""
    primary = chain[0]
    face, gid = primary, primary.gid(ch)
    if gid == 0 and not ch.isspace():
        for alt in chain[1:]:
            g = alt.gid(ch)
            if g:
                face, gid = alt, g
                break
    if locl and gid and (not locl_marks or ch in CENTRED_MARKS):
        gid = _localized(face, locl).get(gid, gid)
    units = None if ch.isspace() and gid == 0 else face.advance(gid)
    return face, gid, units, C.char_class(ch)


def _full_width_dashes(text: str, adv: list[float], sizes: list[float]) -> dict[int, float]:
    """Set the Chinese dash —— one em per mark, its two halves joined into one line.

    Fonts give U+2014 a narrower advance than the em; in Chinese text each mark
    takes a full em, the first pushed to the right of its cell and the second
    to the left, so the pair reads as one unbroken rule.
    """
    xoff: dict[int, float] = {}
    n = len(text)
    for i, ch in enumerate(text):
        if ch == "—" and adv[i] < sizes[i] - 0.01:
            slack = sizes[i] - adv[i]
            prev_dash = i > 0 and text[i - 1] == "—"
            next_dash = i + 1 < n and text[i + 1] == "—"
            if next_dash and not prev_dash:
                xoff[i] = slack
            elif not prev_dash:
                xoff[i] = slack / 2
            adv[i] = sizes[i]
    return xoff
