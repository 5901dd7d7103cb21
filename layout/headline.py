"""Headline breaking: whole words and phrases, balanced lines, no lone character.

Word boundaries come from a Chinese word segmenter (jieba).  Loading its
dictionary takes seconds, so segmentations are kept in a small cache file per
machine: a warm export never loads jieba.  A paper's own word list
(``paper.dictionary``: names and terms, one a line) is laid over jieba's words:
no boundary falls inside one of its words.  No headline line starts with a
particle or function word (layout.chars.NO_HEADLINE_START).
"""
from __future__ import annotations

import os
from pathlib import Path

from common.jsoncache import JsonCache

from . import chars as C
from .breaking import Prepared


class Segmenter:
    """Chinese word boundaries with a persistent cache (text → boundary offsets)."""

    def __init__(self, cache_file: str | os.PathLike | None = None,
                 words: list[str] | tuple[str, ...] = ()):
        self.cache_file = Path(cache_file) if cache_file else None
        self._cache = JsonCache(self.cache_file)
        self.words: tuple[str, ...] = tuple(words)    # the paper's own words
        self._dictionary: tuple[str, float] | None = None

    def learnt(self) -> dict:
        """The segmentations found since the cache was last saved (a forked worker's)."""
        return self._cache.added()

    def learn(self, entries: dict) -> None:
        """Take segmentations another process found (``learnt``)."""
        self._cache.update(entries)

    def use_dictionary(self, name: str, base_dir: str = ".") -> str:
        """Use the paper's word list ``name`` (relative to ``base_dir``); "" to use none.

        Returns "" or one line saying why the file could not be read.
        """
        if not name:
            self.words, self._dictionary = (), None
            return ""
        path = Path(base_dir) / name
        try:
            stamp = path.stat().st_mtime
            if self._dictionary == (str(path), stamp):
                return ""
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.words, self._dictionary = (), None
            why = getattr(exc, "strerror", None) or str(exc)
            return f"{path}: cannot read the paper's dictionary: {why}"
        self.words = read_words(text)
        self._dictionary = (str(path), stamp)
        return ""

    def boundaries(self, text: str) -> list[int]:
        """Offsets (0 < b < len) between words of ``text``."""
        got = self._jieba(text)
        if self.words:
            inside = set()
            for w in self.words:
                i = text.find(w)
                while i >= 0:
                    inside.update(range(i + 1, i + len(w)))
                    i = text.find(w, i + 1)
            got = [b for b in got if b not in inside]
        return got

    def _jieba(self, text: str) -> list[int]:
        got = self._cache.get(text)
        if got is None:
            import jieba                      # slow to load: only on a cache miss
            jieba.setLogLevel(60)
            got, pos = [], 0
            for word in jieba.cut(text, HMM=True):
                pos += len(word)
                if pos < len(text):
                    got.append(pos)
            self._cache.put(text, got)
        return got

    def save(self) -> None:
        """Write new segmentations to the cache file (atomically)."""
        self._cache.save()


def read_words(text: str) -> tuple[str, ...]:
    """The words of a dictionary file: one a line; blank lines and ``#`` comments skipped,
    anything after the word on its line (a frequency, a tag, as in jieba's files) ignored."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line.split()[0])
    return tuple(out)


def _particle_starts(text: str, words: list[int]) -> set[int]:
    """Boundaries where the word that follows is a particle or function word."""
    ends = sorted(set(words) | {len(text)})
    out = set()
    for b, nx in zip(ends, ends[1:]):
        if text[b:nx] in C.NO_HEADLINE_START:
            out.add(b)
    return out


def break_points(text: str, words: list[int]) -> dict[int, int]:
    """Legal headline breaks: position → where the next line starts.

    Spaces between phrases are the best breaks (the space is dropped);
    otherwise breaks fall between words and obey the line-start and line-end
    prohibitions; no line starts with a particle or function word, and a name's
    middle dot (奥马尔·哈桑), which may end a line of text, ends none here.
    """
    out: dict[int, int] = {}
    n = len(text)
    particles = _particle_starts(text, words)
    for i, ch in enumerate(text):
        if ch in " \u3000" and 0 < i < n - 1:
            j = i
            while j < n and text[j] in " \u3000":
                j += 1
            out[i] = j
    for b in words:
        if b in out or not (0 < b < n):
            continue
        a, c = text[b - 1], text[b]
        if a in " \u3000" or c in " \u3000":
            continue
        if not C.may_break_between_words(a, c) or b in particles:
            continue
        if a in C.MIDDLES:
            continue      # a foreign name (奥马尔·哈桑) stays whole while words allow
        out[b] = b
    return out


def char_points(p: Prepared, words: list[int]) -> list[int]:
    """Breaks between characters a paragraph line could take (when no word break fits),
    never before a particle or function word."""
    particles = _particle_starts(p.sh.text, words)
    return [b for b in p.nodes if b < p.n and b not in particles
            and p.sh.text[b] not in C.NO_HEADLINE_START]


def balanced_breaks(p: Prepared, measure: float, words: list[int],
                    max_lines: int = 4) -> list[tuple[int, int]] | None:
    """The fewest lines that fit, as even in width as possible; None if none fit.

    A line never holds a single character alone, and phrase breaks at spaces
    are preferred to breaks between words.  Where no setting between words
    fits, a break inside a word is taken (at a cost) rather than none.
    """
    got = _balanced(p, measure, words, max_lines, False)
    if got is None:
        got = _balanced(p, measure, words, max_lines, True)
    return got


def _balanced(p: Prepared, measure: float, words: list[int], max_lines: int,
              inside_words: bool) -> list[tuple[int, int]] | None:
    text = p.sh.text
    n = len(text)
    points = break_points(text, words)
    word_breaks = set(points)
    if inside_words:
        for b in char_points(p, words):
            points.setdefault(b, b)
        # a foreign name that no line holds breaks after a middle dot before inside a part
        word_breaks |= {b for b in points if 0 < b < n and text[b - 1] in C.MIDDLES}
    starts = sorted(points)
    spaces = {b for b, nx in points.items() if nx != b}

    def width(s, e):
        return p.natural(s, e) if e > s else 0.0

    def ok(s, e):
        han = p.pc[e] - p.pc[s]
        return width(s, e) <= measure + 0.01 and (han > 1 or p.pc[n] <= 1)

    if ok(0, n):
        return [(0, n)]
    ends = starts + [n]
    for k in range(2, max_lines + 1):
        # best[(i, lines)] = (cost, prev) over break indices
        best: dict[tuple[int, int], tuple[float, tuple | None]] = {(0, 0): (0.0, None)}
        frontier = [(0, 0)]
        for depth in range(k):
            nxt = []
            for (s, d) in frontier:
                base = best[(s, d)][0]
                for e in ends:
                    if e <= s:
                        continue
                    last = depth == k - 1
                    if last and e != n or (not last and e == n):
                        continue
                    if not ok(s, e):
                        if width(s, e) > measure:
                            break
                        continue
                    slack = measure - width(s, e)
                    cost = base + slack * slack + (0 if e in spaces or e == n else 4.0 * p.em ** 2)
                    if e < n and e not in word_breaks:
                        cost += 100.0 * p.em ** 2       # inside a word: only if nothing else fits
                    nx = points.get(e, e) if e < n else n
                    key = (nx, d + 1)
                    if cost < best.get(key, (float("inf"),))[0]:
                        if key not in best:
                            nxt.append(key)
                        best[key] = (cost, (s, d, e))
            frontier = nxt
        if (n, k) in best:
            out, key = [], (n, k)
            while best[key][1] is not None:
                s, d, e = best[key][1]
                out.append((s, e))
                key = (s, d)
            return out[::-1]
    return None
