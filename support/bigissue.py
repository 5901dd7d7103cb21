"""Big issues built from the sample's stories and pages (crash tests, fuzzing, bench_limits)."""
from __future__ import annotations

import copy

from layout import model as m
from layout.docfile import load_issue

from .paths import SAMPLE


def sample_issue() -> m.Issue:
    """The bundled sample issue (two pages)."""
    return load_issue(SAMPLE)


def _rotate(text: str, k: int) -> str:
    k %= max(1, len(text))
    return text[k:] + text[:k]


def big_issue(pages: int, base: m.Issue | None = None, vary: bool = False) -> m.Issue:
    """An issue of ``pages`` pages: the sample's two pages repeated, every frame and
    story renamed per copy (``lead`` → ``lead-3``), threads and jumps intact.

    ``vary``: each copy's paragraphs and titles are rotated by a few characters, so
    that no cache of shaped or broken text serves one copy from another (benchmarks).
    """
    base = base or sample_issue()
    out = copy.deepcopy(base)
    out.stories, out.pages = {}, []
    copies = (pages + len(base.pages) - 1) // len(base.pages)
    for k in range(copies):
        suffix = "" if k == 0 else f"-{k + 1}"
        for sid, story in base.stories.items():
            s = copy.deepcopy(story)
            s.id = sid + suffix
            s.thread = [f + suffix for f in story.thread]
            if vary and k:
                for p in s.paragraphs:
                    for r in p.runs:
                        r.text = _rotate(r.text, 7 * k)
                s.headline.title = _rotate(s.headline.title, k)
            out.stories[s.id] = s
        for page in base.pages:
            if len(out.pages) == pages:
                break
            p = copy.deepcopy(page)
            p.number = len(out.pages) + 1
            for fr in p.frames:
                fr.id += suffix
                if getattr(fr, "story", ""):
                    fr.story += suffix
            out.pages.append(p)
    # a story whose thread reaches beyond the last page copied loses those frames
    have = {fr.id for _, fr in out.frames()}
    for s in out.stories.values():
        s.thread = [f for f in s.thread if f in have]
    return out
