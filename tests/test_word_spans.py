"""The hyphenator's words found in C (layout.compose.word_spans) are the words a walk
a character at a time finds, on real text and on odd cases."""
import random
from pathlib import Path

import layout.chars as C
from layout.compose import _word_spans_walked, word_spans
from support.bigissue import big_issue

DATA = Path(__file__).parent / "data"


def _texts():
    texts = [p.text for s in big_issue(8, vary=True).stories.values() for p in s.paragraphs]
    texts += (DATA / "front-page.txt").read_text(encoding="utf-8").split("\n")
    texts += ["x²abcdefghij", "Internationalization中文Mixed", "abc½defghijklmnop fox",
              "ⅫInternationalⅫ", "under_scoreeeeeee words", "a1bcdefghijkl", "", "abcdefg",
              "abcdef", "Ünïcödé-wörds façadeless naïveté", "ABCDEFGHIJ，KLMNOPQRS。"]
    return texts


def test_word_spans_match_the_walk():
    rng = random.Random(7)
    checked = found = 0
    for text in _texts():
        ks = C.kinds(text)
        word_k = C.rules_for().kind_table()[7]        # (after the text's kinds are known)
        flags = [list(map(word_k.__getitem__, ks))]
        flags += [[rng.random() < p for _ in text] for p in (0.3, 0.7, 1.0)]
        for word in flags:
            got = word_spans(text, word)
            assert got == _word_spans_walked(text, word), text[:40]
            checked += 1
            found += len(got)
    assert checked > 400 and found > 100


def test_word_spans_cases():
    word = [True] * 12
    assert word_spans("abcdefghijkl", word) == [(0, 12)]
    assert word_spans("abc def ghij", word) == []
    # a numeral that is no letter splits the run: walked, as before
    assert word_spans("abcdefg²hijklmn", [True] * 15) == [(0, 7), (8, 15)]
    # the word starts at the run's first word character
    assert word_spans("中文abcdefgh", [False, False] + [True] * 8) == [(2, 10)]
    assert word_spans("中文abcdef", [False, False] + [True] * 6) == []
