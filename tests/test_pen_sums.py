"""set_line's pen positions summed in C (layout.breaking._pen_sums) are, float for
float, the ones a walk a character at a time makes (_pen_walk)."""
import random
from itertools import repeat
from operator import mul

from layout.breaking import _pen_sums, _pen_walk


def _line(rng, m):
    size = rng.choice([9.0, 10.5, 12.0, 7.5])
    advs = [size * rng.choice([1.0, 1.0, 1.0, 0.5, 0.55, 0.61, 0.0]) for _ in range(m)]
    prs = [rng.choice([0.0, 0.0, 0.0, -size / 2, size / 4, -0.0, -size * 0.3137])
           for _ in range(m - 1)]
    gs = [rng.choice([0.0, size * 0.25, size * 0.1]) for _ in range(m - 1)]
    per_gap = rng.choice([0.0137, 1.0 / 3.0, 0.5, 2.7182818, 1e-3])
    return advs, prs, gs, per_gap


def test_pen_sums_match_the_walk():
    rng = random.Random(15)
    for _ in range(3000):
        advs, prs, gs, per_gap = _line(rng, rng.randint(1, 40))
        if rng.random() < 0.3:
            prs = [0.0] * len(prs)
        want = _pen_walk(advs[0], iter(advs[1:]), prs, gs, per_gap)
        got = _pen_sums(advs[0], iter(advs[1:]), prs,
                        map(mul, map(bool, gs), repeat(per_gap)))
        assert got == want
        assert [repr(v) for v in got[0]] == [repr(v) for v in want[0]]
        # no spacing: the adjustments alone
        want = _pen_walk(advs[0], iter(advs[1:]), prs, [0.0] * len(prs), per_gap)
        if any(prs):
            assert _pen_sums(advs[0], iter(advs[1:]), prs, None) == want
        assert len(want[0]) == len(advs)


def test_pen_sums_small():
    assert _pen_sums(5.0, iter([]), (), None) == ([0.0], 5.0)
    assert _pen_sums(10.0, iter([10.0, 10.0]), (0.0, -5.0), None) == ([0.0, 10.0, 15.0], 25.0)
    assert _pen_sums(10.0, iter([10.0, 10.0]), (0.0, 0.0), iter([0.5, 0.0])) == \
        ([0.0, 10.5, 20.5], 30.5)
