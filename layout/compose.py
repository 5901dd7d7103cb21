"""The layout engine's entry point: an Issue in, a LayoutResult out.

``Composer`` keeps its caches between calls, so composing again after an edit
re-shapes and re-breaks only the paragraphs that changed, and re-fills only
the frames whose starting point or content changed (each frame records the
story position it started from).
"""
from __future__ import annotations

import os
import re
from itertools import compress
from dataclasses import fields, is_dataclass, replace
from operator import attrgetter

from common.jsoncache import JsonCache
from common.records import named_tuple

from . import model as m
from .flow import Flow, Jumps, column_feet, diagnose_overset, uneven_feet
from .frames import FrameComposer
from .grid import PageGeometry
from .headline import Segmenter
from .position import StoryPos
from .result import (BoxItem, Copyfit, Diagnostic, FrameResult, ImageItem, LayoutResult,
                     PageResult, lazy_summary, replace_frame, rotated_bounds)
from .gcpause import without_gc
from .setter import Setter


# runs of seven or more word characters that are neither digits nor "_" (the letters,
# and a few numerals: see ``word_spans``)
_LETTERS = re.compile(r"[^\W\d_]{7,}")


def word_spans(text: str, word: list[bool]) -> list[tuple[int, int]]:
    """The words to hyphenate: each run of letters (str.isalpha) from its first word
    character (``word``) on, where that is seven letters long or more.  The runs
    are found in C; a text where ``_LETTERS`` took a numeral that is no letter ("x²")
    is walked a character at a time (``_word_spans_walked``)."""
    runs = [m.span() for m in _LETTERS.finditer(text)]
    if not all(text[a:b].isalpha() for a, b in runs):
        return _word_spans_walked(text, word)
    out = []
    for a, b in runs:
        i = next(compress(range(a, b), word[a:b]), b)
        if b - i >= 7:
            out.append((i, b))
    return out


def _word_spans_walked(text: str, word: list[bool]) -> list[tuple[int, int]]:
    """``word_spans`` a character at a time."""
    out = []
    i, n = 0, len(text)
    while i < n:
        if word[i] and text[i].isalpha():
            j = i
            while j < n and text[j].isalpha():
                j += 1
            if j - i >= 7:
                out.append((i, j))
            i = j
        else:
            i += 1
    return out


def default_hyphenator(lang: str = "en_US", cache_file: str | None = None):
    """A pyphen-backed hyphenation function: text, word flags → break offsets.

    Hyphenation points are kept per word in a small cache file, and the
    dictionary itself (a quarter of a second to load) is opened only for a word
    the cache does not know, so Chinese-only issues and warm exports never pay for it.
    """
    dic = None
    cache = JsonCache(cache_file)

    def positions(word: str) -> list[int]:
        nonlocal dic
        got = cache.get(word)
        if got is None:
            if dic is None:
                import pyphen
                dic = pyphen.Pyphen(lang=lang)
            got = cache.put(word, [int(p) for p in dic.positions(word)])   # (pyphen gives an
            # int subclass, which marshal — a forked worker's bytes — refuses)
        return got

    def hyphenate(text: str, word: list[bool]):
        for i, j in word_spans(text, word):
            for pos in positions(text[i:j]):
                if 3 <= pos <= j - i - 3:
                    yield i + pos
    hyphenate.save = cache.save
    hyphenate.learnt, hyphenate.learn = cache.added, cache.update   # (a forked child's)
    return hyphenate


class Composer:
    """Composes an issue; keep one per open document to benefit from its caches."""

    def __init__(self, issue: m.Issue, fontset, *, base_dir: str = ".",
                 segmenter: Segmenter | None = None, hyphenator=None,
                 allow_outside: bool = False, disk=None, whole: bool = True,
                 workers: int = 1):
        self.issue, self.fontset, self.base_dir = issue, fontset, base_dir
        # processes a whole compose may share its work with (``_fork``; the command line
        # gives ``common.forked.default_workers()``, the editor keeps one)
        self.workers = workers
        self._children = None                   # common.forked.Forked while they run
        self.disk = disk                        # a layout.diskcache.LayoutDiskCache, or None
        # whole: look the whole result up (and store it), and store every frame composed
        # (an export); else (an editor) only frames missing from memory are looked up,
        # and frames are stored by the first compose only
        self.whole = whole
        self._disk_context = None               # (folder, outside) the disk context is of
        self._composed = 0
        self._writes = False
        self.allow_outside = allow_outside      # images outside base_dir (else an error)
        self.segmenter = segmenter or Segmenter()
        self.setter = Setter(issue, fontset, hyphenator or default_hyphenator())
        self._frame_cache: dict[str, tuple] = {}
        self._paint_cache: dict[str, tuple] = {}
        self._layer_cache: dict[tuple, tuple] = {}
        # (stories and pages passed by forked children: ``_fork``)
        self.stats = {"frames_filled": 0, "frames_reused": 0, "stories_forked": 0,
                      "pages_forked": 0}
        self._inks: dict[str, tuple] = {}       # frame id → (result, its ink boxes)
        self._feet_memo: dict[str, tuple] = {}  # frame id → (result, its column feet)
        self._chars_memo: dict[str, tuple] = {}  # frame id → (result, characters shown)
        self._overlap_memo: dict[int, tuple] = {}   # page → (key, diagnostics, results)
        self._glyph_memo: dict[str, tuple] = {}     # story → (paragraph keys, diagnostics)
        self._boxes: dict[tuple, tuple] = {}        # placed lines (Flow.boxes)
        self._para_glyphs: dict[str, dict] = {}     # story → {paragraph key: its glyph findings}
        self._last: _Last | None = None             # what the last compose made, per story and page
        self._tokens: dict[str, tuple] = {}         # frame id → its fill's entry and paragraphs
        # an export's story passes kept from a compose before (``_kept_pass``): per frame
        # its story and fill entry (read when first asked for), per story its glyph
        # findings and the pass as kept
        self._lazy_fills: dict[str, tuple] = {}
        self._kept_glyphs: dict[str, list] = {}
        self._kept_passes: dict[str, tuple] = {}
        self._pass_memo: dict = {}

    def invalidate_styles(self) -> None:
        """Forget resolved styles (after a style or paper setting changed)."""
        self.setter.invalidate_styles()
        self._last = None
        self._frame_cache.clear()
        self._paint_cache.clear()
        self._glyph_memo.clear()
        self._para_glyphs.clear()
        self._boxes.clear()
        self._disk_context = None               # the styles are part of its context

    # ------------------------------------------------------------ compose
    @without_gc
    def compose(self, text_of: str | None = None) -> LayoutResult:
        """Lay out every page of the issue.

        ``text_of``: the caller vouches that since the last compose nothing changed but
        the paragraphs of that story (their text and styles: an editor's typing).  The
        other stories' fills and findings and the pages none of its frames is on are then
        those of the last compose, as a full compose would find them again; everything
        is composed when there is no last compose to go on from (or the layout cache is
        to be asked).
        """
        try:
            return self._compose(text_of, True)
        except _StaleEntry:                     # a kept story pass's frame has gone
            return self._compose(text_of, False)
        finally:
            if self._children is not None:      # an error before they were read
                self._children.close()
                self._children = None

    def _compose(self, text_of: str | None, keep: bool) -> LayoutResult:
        """``compose``; ``keep``: an export may keep story passes (``_kept_pass``)."""
        self._lazy_fills, self._kept_glyphs, self._kept_passes = {}, {}, {}
        self._pass_memo: dict = {}              # (``_page_pass_key``)
        kept_passes: dict = {}
        issue = self.issue
        whole = cached = None
        here = (self.base_dir, self.allow_outside)
        last = self._last
        self._last = None
        if last is None or text_of not in issue.stories or (
                self.disk is not None and (self.whole or self._disk_context != here)):
            last = None
        if self.disk is not None and (self.whole or self._disk_context != here):
            whole = self.disk.begin(self)
            self._disk_context = here
            if not self.whole:
                whole = None
        self._writes = self.disk is not None and (self.whole or not self._composed)
        self._composed += 1
        cached = self.disk.get_issue_result(whole) if whole is not None else None
        if cached is not None:
            return cached                       # unchanged issue: composed before
        geo = PageGeometry.of(issue.paper)
        diagnostics: list[Diagnostic] = []
        problem = self.segmenter.use_dictionary(issue.paper.dictionary, self.base_dir)
        if problem:                 # the paper's word list for headline breaks
            diagnostics.append(Diagnostic("warning", "dictionary", problem))
        composer = FrameComposer(self.setter, geo, issue, self.segmenter, self.base_dir,
                                 self.allow_outside)
        flow = Flow(self.setter, geo, issue, self._boxes)
        forked = None                           # children passing shares (``_fork``)
        if last is not None:
            page_of, blocked, blocked_keys = last.page_of, last.blocked, last.blocked_keys
            stories = dict(last.stories)
            stories[text_of] = self._story_pass(flow, issue.stories[text_of], page_of, geo,
                                                blocked, blocked_keys)
            again = {page_of[fid].number for fid in issue.stories[text_of].thread}
        else:
            page_of = {fr.id: page for page in issue.pages for fr in page.frames}
            if whole is not None and keep:
                # an export: the pages of the stories passed again (not those kept) alone
                by_number = {page.number: page for page in issue.pages}
                blocked = _Made(lambda n: self._blocked(by_number[n], geo, composer))
                blocked_keys = _Made(lambda n: _blocked_key(blocked[n]))
            else:
                blocked = {page.number: self._blocked(page, geo, composer)
                           for page in issue.pages}
                blocked_keys = {n: _blocked_key(b) for n, b in blocked.items()}
            # an export: the stories whose paragraphs are as at a compose of this issue
            # with everything else the same keep that compose's pass (their frames read
            # from the layout cache only when a page pass needs them)
            if whole is not None and keep:
                kept_passes = self.disk.get_story_passes()
            stories = {}
            todo = []
            for sid, story in issue.stories.items():
                done = self._kept_pass(story, kept_passes.get(sid)) if kept_passes else None
                if done is not None:
                    stories[sid] = done
                else:
                    todo.append(story)

            def run(story) -> _StoryDone:
                return self._story_pass(flow, story, page_of, geo, blocked, blocked_keys)
            # shared with forked children, the parts of the issue are passed as each
            # process takes them (``_fork``); alone, the stories in order
            forked = self._fork(todo, page_of, lambda queue, parts: self._child_share(
                queue, parts, run, stories, composer, geo, whole))
            if forked is None:
                for story in todo:
                    stories[story.id] = run(story)
            again = None
        flowed = _Flowed(self)
        for done in stories.values():
            flowed.update(done.flowed)
        made: dict[int, tuple] = {}             # page → (result, drawn pairs, findings)
        passes: dict[int, str | None] = {}      # an export: page → its page pass's entry
        kept: dict[int, list] = {}              # page → overlap findings of a stored pass

        def page_pass(page: m.Page) -> None:
            done = last.pages.get(page.number) if again is not None and \
                page.number not in again else None
            if done is None and whole is not None:
                pk = passes[page.number] = self._page_pass_key(page, flowed)
                got = self.disk.get_page_pass(pk) if pk is not None else None
                if got is not None:             # its frames' items stay undecoded
                    done = (got[0], None, got[1])
                    kept[page.number] = got[2]
            if done is None:
                done = self._page_pass(composer, page, flowed, geo)
            made[page.number] = done

        def do_part(part: tuple) -> None:
            for story in part[0]:
                stories[story.id] = done = run(story)
                flowed.update(done.flowed)
            for page in part[1]:
                page_pass(page)
        if forked is not None:
            done_here = set()
            for i in forked.children.queue.taken():     # (one at a time, as they take)
                do_part(forked.parts[i])
                done_here.add(i)
            # the children's parts, and those no child brought back
            for i in self._join(forked, done_here, stories, made, kept):
                do_part(forked.parts[i])
        for page in issue.pages:
            if page.number not in made:
                page_pass(page)
        live: set[int] = set()
        shown = 0                               # lines set in the story frames
        copyfit: dict[str, Copyfit] = {}
        for sid in issue.stories:
            done = stories[sid]
            live |= done.live
            shown += done.shown
            copyfit[sid] = done.copy
            diagnostics.extend(done.diagnostics)
        pages = []
        drawn = []                              # per page: (model frame, result), drawing order
        for page in issue.pages:
            done = made[page.number]
            pages.append(done[0])
            drawn.append((page.number, done[1]))
            diagnostics.extend(done[2])
        diagnostics.extend(self._glyph_diagnostics(text_of if last is not None else None))
        if whole is not None and self._writes:
            self._put_story_passes(kept_passes, stories, geo)
        if whole is not None:                   # an export: page passes kept page by page
            for number, pairs in drawn:
                found = kept.get(number)
                if found is None:
                    found = overlap_diagnostics([(number, pairs)], self._ink)
                    if self._writes and passes.get(number) is not None:
                        self.disk.put_page_pass(passes[number], made[number][0],
                                                made[number][2], found)
                diagnostics.extend(found)
        else:
            diagnostics.extend(self._overlaps(drawn, None if again is None else
                                              {n for n, _ in drawn} - again, kept))
        self.segmenter.save()
        self.setter.save()
        self.setter.forget_unused(live)       # a long editing session: drop dead paragraphs
        if len(self._boxes) > 4 * shown + 10_000:
            self._boxes.clear()                 # and the lines set before the edits
        res = LayoutResult(tuple(pages), copyfit, tuple(diagnostics), self._colors())
        if whole is not None:
            res = self.disk.put_issue_result(whole, res)
        elif forked is None:                    # (a child's pages have no drawn pairs here)
            self._last = _Last(page_of, blocked, blocked_keys, stories, made)
        return res

    # ------------------------------------------------------------ forked shares
    def _fork(self, todo: list, page_of: dict, work) -> "_Forked | None":
        """Start children to share a whole compose (``common.forked``): with ``workers``
        > 1 and enough text to pay for it, the issue is cut into parts where nothing
        joins — stories and the pages their frames (or frames showing their fields) are
        on — and each process, this one too, takes the next part (the costliest first)
        from a queue until none is left, passing its stories and then its pages (a
        child: ``work(queue, parts)``, ``_child_share``).  None: no children."""
        if self.workers < 2 or len(todo) < 2:      # (an editor's compose: nothing to count)
            return None
        cost = {s.id: sum(len(p.text) for p in s.paragraphs) for s in todo}
        if sum(cost.values()) < PARALLEL_MIN_CHARS:
            return None
        from common import forked as fk
        if not fk.can_fork():
            return None
        issue = self.issue
        up: dict = {}                           # union-find over ("s", id) and ("p", number)

        def root(k):
            while up.get(k, k) != k:
                k = up[k] = up.get(up[k], up[k])
            return k
        for page in issue.pages:
            up.setdefault(("p", page.number), ("p", page.number))
            for fr in page.frames:
                sid = getattr(fr, "story", "") or ""
                if sid in issue.stories:
                    up[root(("s", sid))] = root(("p", page.number))
        for sid, story in issue.stories.items():
            for fid in story.thread:
                if fid in page_of:
                    up[root(("s", sid))] = root(("p", page_of[fid].number))
        found: dict = {}                        # root → ([stories to pass], [pages])
        pending = {s.id for s in todo}
        for sid, story in issue.stories.items():
            if sid in pending:
                found.setdefault(root(("s", sid)), ([], []))[0].append(story)
        for page in issue.pages:
            part = found.get(root(("p", page.number)))
            if part is not None:
                part[1].append(page)
        if len(found) < 2 or len(found) > fk.Queue.MAX:
            return None
        parts = sorted(found.values(), key=lambda part: -(
            sum(cost[s.id] for s in part[0]) + PAGE_COST * len(part[1])))
        queue = fk.Queue(len(parts))
        try:                                    # (a failed fork closes the queue)
            self._children = fk.Forked(self.workers - 1, lambda: work(queue, parts),
                                       queue)   # (ended by ``compose`` on an error)
        except OSError:
            return None
        return _Forked(self._children, parts)

    def _child_share(self, queue, parts: list, run, stories: dict,
                     composer: FrameComposer, geo: PageGeometry, whole: str | None) -> bytes:
        """A forked child's work (``_fork``): the passes of the stories and pages of each
        part it takes from ``queue`` (``stories``: those kept before the fork), as the
        bytes ``_join`` reads — the parts' numbers, frames and pages in the layout
        cache's encoding, their items as marshal bytes — with the findings this process
        keeps (glyphs per story; per page its own and its overlaps) and what the child
        learnt that this process keeps: layout cache entries written (an export writes
        its fills and page passes itself), hyphenations, headline breaks, counts."""
        import marshal
        disk = self.disk
        stats = dict(self.stats)                # (the counts at the fork)
        disk_stats = dict(disk.stats) if disk is not None else {}
        written = len(disk.written) if disk is not None else 0
        flowed = _Flowed(self)
        for done in stories.values():
            flowed.update(done.flowed)
        out_stories = []
        out_pages = []
        taken = []
        for i in queue.taken():
            taken.append(i)
            self._child_part(parts[i], run, flowed, composer, geo, whole, out_stories,
                             out_pages)
        return marshal.dumps((
            _SHARE_FORMAT, taken, out_stories, out_pages,
            {k: v - stats.get(k, 0) for k, v in self.stats.items()},
            {k: v - disk_stats.get(k, 0) for k, v in disk.stats.items()} if disk else {},
            disk.written[written:] if disk is not None else [],
            self.setter.learnt(), self.segmenter.learnt()))

    def _child_part(self, part: tuple, run, flowed: "_Flowed", composer: FrameComposer,
                    geo: PageGeometry, whole: str | None, out_stories: list,
                    out_pages: list) -> None:
        """One part's passes in a child (``_child_share``), encoded into the lists."""
        from .diskcache import encode
        disk = self.disk
        for story in part[0]:
            done = run(story)
            flowed.update(done.flowed)
            glyphs = self._story_glyph_diagnostics(story)
            frames = [(fid, encode(fr), self._fill_summary(fr, geo.pitch),
                       self._tokens.get(fid)) for fid, fr in done.flowed.items()]
            out_stories.append((story.id, frames, encode(done.copy),
                                encode(tuple(done.diagnostics)), done.shown,
                                encode(tuple(glyphs))))
        for page in part[1]:
            pk = got = None
            if whole is not None:
                pk = self._page_pass_key(page, flowed)
                got = disk.get_page_pass(pk) if pk is not None else None
            if got is None:
                res, pairs, diags = self._page_pass(composer, page, flowed, geo)
                got = (res, diags, overlap_diagnostics([(page.number, pairs)], self._ink))
                if whole is not None and self._writes and pk is not None:
                    disk.put_page_pass(pk, *got)
            # a page stored in the layout cache goes back by its name (read from there, it
            # is the page a later export's page pass reads, for the writer to know again)
            stored = disk.stored_digest(got[0]) if whole is not None else None
            out_pages.append((page.number, stored or encode(got[0]), encode(tuple(got[1])),
                              encode(tuple(got[2]))))

    def _join(self, forked: "_Forked", here: set, stories: dict, made: dict,
              kept: dict) -> list:
        """Wait for the children and take the parts they passed (``_child_share``) into
        ``stories``, ``made`` (the pages, without drawn pairs) and ``kept`` (their overlap
        findings); the numbers of the parts neither they nor this process (``here``)
        passed, for this process to pass (a child that failed)."""
        import marshal

        from .diskcache import decode, frame_with_summary
        brought = set(here)
        try:
            got = forked.children.results()
        finally:
            forked.children.close()
            self._children = None
        for data in got:
            try:
                if data is None:
                    raise ValueError("no share")
                fmt, taken, out_stories, out_pages, stats, disk_stats, written, hyph, \
                    segs = marshal.loads(data)
                if fmt != _SHARE_FORMAT:
                    raise ValueError("format")
                took_stories, took_pages = {}, {}
                for sid, frames, copy, diags, shown, glyphs in out_stories:
                    flowed = {fid: frame_with_summary(decode(enc), summary)
                              for fid, enc, summary, _token in frames}
                    took_stories[sid] = (_StoryDone(flowed, decode(copy), list(decode(diags)),
                                                    set(), shown),
                                         list(decode(glyphs)), frames)
                for number, res, diags, found in out_pages:
                    page = self.disk.get_page(res) if type(res) is str else decode(res)
                    if page is None:
                        raise ValueError("a page the child stored is gone")
                    took_pages[number] = ((page, None, list(decode(diags))),
                                          list(decode(found)))
            except (EOFError, ValueError, TypeError, KeyError, IndexError):
                continue
            brought.update(taken)
            for sid, (done, glyphs, frames) in took_stories.items():
                stories[sid] = done
                self._kept_glyphs[sid] = glyphs
                for fid, _enc, _summary, token in frames:
                    if token is not None:
                        self._tokens[fid] = token
            for number, (done, found) in took_pages.items():
                made[number] = done
                kept[number] = found
            for k, v in stats.items():
                self.stats[k] = self.stats.get(k, 0) + v
            self.stats["stories_forked"] += len(took_stories)
            self.stats["pages_forked"] += len(took_pages)
            if self.disk is not None:
                for k, v in disk_stats.items():
                    self.disk.stats[k] = self.disk.stats.get(k, 0) + v
                self.disk.written.extend(written)
            self.setter.learn(hyph)
            self.segmenter.learn(segs)
        return [i for i in range(len(forked.parts)) if i not in brought]

    def _kept_pass(self, story, kept) -> "_StoryDone | None":
        """The pass a compose of this issue made of ``story`` (``kept``: as
        ``LayoutDiskCache.get_story_passes`` holds it) if its paragraphs are the same,
        else None.  Its frames' results are read from the layout cache when first asked
        for (``_Flowed``); their entries' names are the page passes' tokens."""
        if kept is None or kept[0] != self.disk.story_digests.get(story.id):
            return None
        from .diskcache import decode
        try:
            frames, copy, diags, shown, glyphs = kept[1]
            copy, diags, glyphs = decode(copy), list(decode(diags)), list(decode(glyphs))
            if type(copy) is not Copyfit:
                return None
            for fid, name, deps, _summary in frames:
                self._tokens[fid] = (name, deps)
                self._lazy_fills[fid] = (story, name)
        except (KeyError, TypeError, IndexError, ValueError):
            return None
        self._kept_glyphs[story.id] = glyphs
        self._kept_passes[story.id] = kept
        return _StoryDone({}, copy, diags, set(), shown)

    def _put_story_passes(self, kept: dict, stories: dict, geo: PageGeometry) -> None:
        """Store the story passes of this export (``_kept_pass``) when one was made anew."""
        from .diskcache import encode
        out = {}
        for sid, story in self.issue.stories.items():
            got = self._kept_passes.get(sid)
            if got is None:
                done, memo = stories[sid], self._glyph_memo.get(sid)
                frames = []
                for fid in story.thread:
                    token, fr = self._tokens.get(fid), done.flowed.get(fid)
                    if token is None or fr is None or memo is None:
                        break
                    frames.append((fid, *token, self._fill_summary(fr, geo.pitch)))
                else:
                    got = (self.disk.story_digests.get(sid), (
                        tuple(frames), encode(done.copy), encode(tuple(done.diagnostics)),
                        done.shown, encode(tuple(memo[1]))))
            if got is not None and got[0] is not None:
                out[sid] = got
        if out != kept:
            self.disk.put_story_passes(out)

    def _story_pass(self, flow: Flow, story, page_of: dict, geo: PageGeometry, blocked: dict,
                    blocked_keys: dict) -> "_StoryDone":
        """One story through its thread: its frames' results, copyfit and findings."""
        diagnostics: list[Diagnostic] = []
        flowed: dict[str, FrameResult] = {}
        live: set[int] = set()
        n_lines = n_chars = 0
        pos = StoryPos()
        last_frame = None
        for i, fid in enumerate(story.thread):
            page = page_of[fid]
            frame = next(f for f in page.frames if f.id == fid)
            prev_page = page_of[story.thread[i - 1]] if i else None
            next_page = page_of[story.thread[i + 1]] if i + 1 < len(story.thread) else None
            jumps = Jumps()
            if frame.jump_lines and pos.para < len(story.paragraphs):
                if prev_page is not None and prev_page.number != page.number:
                    jumps.from_page = prev_page.number
                if next_page is not None and next_page.number != page.number:
                    jumps.to_page = next_page.number
            more = i + 1 < len(story.thread)
            fill = self._fill(flow, story, frame, pos, jumps, blocked[page.number], more,
                              blocked_keys[page.number])
            live |= fill.prepared
            fr_result = flowed[fid] = fill.result
            n_lines += self._n_lines(fr_result)
            n_chars += self._n_chars(fr_result)
            pos = fill.end
            last_frame = (page, frame, fill.result)
        copy = Copyfit(story.id, n_lines, n_chars)
        if last_frame is not None:
            page, frame, fr = last_frame
            short = self._feet(story, flowed, page_of, geo, diagnostics)
            copy = Copyfit(story.id, n_lines, n_chars, underset_lines=short)
            if pos.para < len(story.paragraphs):
                cx, cy, cw, ch = fr.columns[-1] if fr.columns else fr.rect
                over = flow.overset(story, pos, cw, cx, fr.rect[1] + fr.rect[3])
                copy = Copyfit(story.id, n_lines, n_chars, over.lines, over.chars,
                               short, tuple(over.runs))
                diagnostics.append(diagnose_overset(story, copy, page.number, frame.id))
        return _StoryDone(flowed, copy, diagnostics, live, n_lines)

    def _page_pass_key(self, page: m.Page, flowed: dict) -> str | None:
        """The layout cache's name of a page pass (an export): what ``_page_pass`` and the
        overlap check read: the page, its master and fields, the layers, the fields of the
        stories its other frames show, their pictures' files, and what each fill on it is
        made of (None: a fill not from the layout cache)."""
        issue = self.issue
        # the issue's info and layers and each master, digested once per compose (the
        # model does not change while it is composed)
        memo = self._pass_memo
        shared = memo.get(None)
        if shared is None:
            from .diskcache import digest
            shared = memo[None] = digest(issue.info, issue.layers)
        master = memo.get(page.master) if page.master else None
        if page.master and master is None:
            from .diskcache import digest
            master = memo[page.master] = digest(issue.masters.get(page.master))
        parts: list = [self.disk.page_digest(page), shared, master]
        for master, frame in self._page_frames(page):
            if not (master or frame.replaces) and isinstance(frame, m.TextFrame):
                if frame.id in flowed:
                    token = self._tokens.get(frame.id)
                    if token is None:
                        return None
                    parts.append(token)
                continue
            story = issue.stories.get(getattr(frame, "story", "") or "")
            parts.append(self.disk._fields_digest(story) if story is not None else None)
            if frame.kind == "photo" and frame.image:
                try:
                    st = os.stat(os.path.join(self.base_dir, frame.image))
                    parts.append((st.st_size, st.st_mtime_ns))
                except OSError:
                    parts.append(None)
        return self.disk.key("pagepass", *parts)

    def _page_pass(self, composer: FrameComposer, page: m.Page, flowed: dict,
                   geo: PageGeometry) -> tuple:
        """(the page's result, its (model frame, result) pairs in drawing order, findings)."""
        frames = []
        pairs = []
        diagnostics: list[Diagnostic] = []
        for master, frame in self._page_frames(page):
            if master or frame.replaces:      # fields filled: master frames, overrides
                fr = self._master_frame(composer, page, master, frame, diagnostics)
            elif isinstance(frame, m.TextFrame):
                fr = flowed.get(frame.id)
                if fr is None:
                    fr = self._empty_frame(frame, geo)
            else:
                fr = self._compose_frame(composer, page, frame, diagnostics)
            frames.append(self._on_layer(fr, frame, master, page.number))
            pairs.append((frame, frames[-1]))
        return (PageResult(page.number, geo.width, geo.height, tuple(frames)), pairs,
                diagnostics)

    # ------------------------------------------------------------ masters, layers, colours
    def _page_frames(self, page: m.Page) -> list[tuple[str, m.Frame]]:
        """(master name or "", frame) in drawing order: layer by layer (bottom first),
        in each layer the master's frames below the page's own."""
        issue = self.issue
        out: list[tuple[str, m.Frame]] = []
        master = issue.masters.get(page.master) if page.master else None
        if master is not None:
            gone = set(page.hide_master) | {fr.replaces for fr in page.frames if fr.replaces}
            out.extend((page.master, fr) for fr in master.frames if fr.id not in gone)
        out.extend(("", fr) for fr in page.frames)
        if issue.layers:
            order = {ly.name: i for i, ly in enumerate(issue.layers)}
            out.sort(key=lambda mf: order.get(mf[1].layer, 0))      # stable within a layer
        return out

    def _master_frame(self, composer: FrameComposer, page: m.Page, master: str, frame,
                      diagnostics: list) -> FrameResult:
        """A master frame (or a page's override of one) on one page: its fields filled in,
        composed and cached per page."""
        values = m.master_fields(self.issue, page)
        changes = {attr: m.fill_fields(getattr(frame, attr), values)
                   for attr in ("text", "caption", "credit") if getattr(frame, attr, "")}
        filled = replace(frame, **changes) if changes else frame
        fr = self._compose_frame(composer, page, filled, diagnostics,
                                 cache_id=f"{page.number}\x00{frame.id}")
        return fr

    def _on_layer(self, fr: FrameResult, frame: m.Frame, master: str,
                  page: int) -> FrameResult:
        """The result with its layer's flags (the same object while nothing changed)."""
        ly = self.issue.layer(frame.layer)
        flags = ((ly.name, ly.printable, ly.visible) if ly is not None else ("", True, True)) \
            + (master,)
        if flags == ("", True, True, ""):
            return fr
        key = (page, master, frame.id)        # a master frame is on every page using it
        hit = self._layer_cache.get(key)
        if hit is not None and hit[0] is fr and hit[1] == flags:
            return hit[2]
        out = replace_frame(fr, layer=flags[0], printable=flags[1], visible=flags[2],
                            master=master)
        self._layer_cache[key] = (fr, flags, out)
        return out

    def _colors(self) -> dict:
        """Every swatch, and every tint or paper colour a style or frame names, as CMYK."""
        issue = self.issue
        colors = {k: tuple(v) for k, v in issue.colors.items()}
        refs = [st.color for st in issue.paragraph_styles.values()]
        refs += [cs.color for cs in issue.char_styles.values()]
        frames = [fr for _, fr in issue.frames()]
        frames += [fr for ms in issue.masters.values() for fr in ms.frames]
        for fr in frames:
            refs += [getattr(fr, "color", ""), getattr(fr, "fill", "")]
        for ref in refs:
            if ref and ref not in colors:
                value = m.color_value(issue.colors, ref)
                if value is not None:
                    colors[ref] = value
        return colors

    # ------------------------------------------------------------ helpers
    def _ink(self, fr: FrameResult) -> list:
        """A frame result's ink boxes, kept while the result is reused."""
        hit = self._inks.get(fr.frame_id)
        if hit is None or hit[0] is not fr:
            hit = self._inks[fr.frame_id] = (fr, _ink(fr))
        return hit[1]

    def _column_feet(self, fr: FrameResult, pitch: float) -> list:
        """A text frame result's column feet, kept while the result is reused."""
        hit = self._feet_memo.get(fr.frame_id)
        if hit is None or hit[0] is not fr:
            summary = lazy_summary(fr)
            feet = list(summary[2]) if summary is not None else column_feet(fr, pitch)
            hit = self._feet_memo[fr.frame_id] = (fr, feet)
        return hit[1]

    def _feet(self, story, flowed: dict, page_of: dict, geo: PageGeometry,
              diagnostics: list) -> int:
        """Grid lines the story leaves empty at column feet in its frames ("缺 N 行").

        A hole inside the thread (a column ending early before the story goes
        on) or uneven feet in a balanced frame is also a warning on its frame.
        """
        short = 0
        for i, fid in enumerate(story.thread):
            fr = flowed.get(fid)
            if fr is None or not fr.columns:
                continue
            feet = self._column_feet(fr, geo.pitch)
            short += fr.empty_lines
            frame = next(f for f in page_of[fid].frames if f.id == fid)
            last = i == len(story.thread) - 1
            bad = uneven_feet(feet)
            if (bad and frame.balance) or (fr.empty_lines and not last):
                diagnostics.append(Diagnostic(
                    "warning", "uneven-feet",
                    f"frame '{fid}' (story '{story.id}'): columns end unevenly "
                    f"({', '.join(str(d) for _, d in feet)} lines deep, 缺 {fr.empty_lines} 行): "
                    "no re-break within the spacing limits evens them",
                    page=page_of[fid].number, frame=fid, story=story.id))
        return short

    def _empty_frame(self, frame, geo: PageGeometry) -> FrameResult:
        """A text frame no story runs through (the same object while it stays so)."""
        key = (_frame_key(frame), geo.frame_rect(frame))
        hit = self._paint_cache.get(frame.id)
        if hit is None or hit[0] != key:
            hit = (key, FrameResult(frame.id, frame.kind, geo.frame_rect(frame)), [])
            self._paint_cache[frame.id] = hit
        return hit[1]

    def _compose_frame(self, composer: FrameComposer, page, frame,
                       diagnostics: list, cache_id: str | None = None) -> FrameResult:
        """A non-flow frame's result, re-composed only when the frame or its text changed."""
        story = self.issue.stories.get(getattr(frame, "story", "") or "")
        hl = story.headline if story is not None else None
        key = (page.number, _frame_key(frame),
               (hl.kicker, hl.title, hl.subtitle, story.byline, story.credit)
               if story is not None else None)
        if frame.kind == "photo" and frame.image:
            try:
                key += (os.stat(os.path.join(self.base_dir, frame.image)).st_mtime_ns,)
            except OSError:
                key += (None,)
        cache_id = cache_id or frame.id
        hit = self._paint_cache.get(cache_id)
        if hit is None or hit[0] != key:
            got = self.disk.get_frame(key, story) if self.disk is not None else None
            if got is None:
                composer.diagnostics = []
                got = (composer.compose(page, frame), list(composer.diagnostics))
                if self._writes:
                    self.disk.put_frame(key, story, *got)
            hit = (key,) + got
            self._paint_cache[cache_id] = hit
        diagnostics.extend(hit[2])
        return hit[1]

    def _n_chars(self, fr: FrameResult) -> int:
        """The characters a text frame result's lines show, counted once per result (a
        frame from the layout cache: as its summary says, its items not decoded)."""
        hit = self._chars_memo.get(fr.frame_id)
        if hit is None or hit[0] is not fr:
            summary = lazy_summary(fr)
            n = summary[1] if summary is not None else sum(ln.end - ln.start for ln in fr.lines)
            hit = self._chars_memo[fr.frame_id] = (fr, n)
        return hit[1]

    def _fill_summary(self, fr: FrameResult, pitch: float) -> tuple:
        """What the layout cache keeps beside a fill so that a story pass need not decode
        it (``lazy_summary``): its lines, characters and column feet."""
        return self._n_lines(fr), self._n_chars(fr), tuple(self._column_feet(fr, pitch))

    @staticmethod
    def _n_lines(fr: FrameResult) -> int:
        """The lines of a text frame result (from its summary while it is not decoded)."""
        summary = lazy_summary(fr)
        return summary[0] if summary is not None else len(fr.lines)

    def _fill(self, flow: Flow, story, frame, pos, jumps, blocked, more, blocked_key):
        key = (_frame_key(frame), pos, jumps.from_page, jumps.to_page, more, blocked_key)
        hit = self._frame_cache.get(frame.id)
        if hit is not None and hit[0] == key and all(
                self._para_key(story, i) == k for i, k in hit[2]):
            self.stats["frames_reused"] += 1
            return hit[1]
        # an editor asks the disk only for a frame it has not filled yet (after an edit,
        # the entry stored under the same key holds the text before it)
        name = self.disk.fill_name(story, key) if self.disk is not None and (
            self.whole or hit is None) else None
        fill = self.disk.get_fill(story, key, name) if name is not None else None
        if fill is None:
            fill = flow.fill(story, frame, pos, jumps, blocked, more, blocked_key)
            if self._writes:
                fr = fill.result
                self.disk.put_fill(story, key, fill, self._fill_summary(fr, flow.geo.pitch),
                                   name)
        if self.whole and name is not None:     # what the fill is made of (a page pass key)
            self._tokens[frame.id] = (name, self.disk.fill_deps(story, pos.para, fill.end))
        end_para = min(fill.end.para, len(story.paragraphs) - 1)
        deps = [(i, self._para_key(story, i)) for i in range(pos.para, end_para + 1)]
        deps.append((-1, len(story.paragraphs)))    # a paragraph added or removed refills
        self._frame_cache[frame.id] = (key, fill, deps)
        self.stats["frames_filled"] += 1
        return fill

    def warm(self, frame_id: str) -> bool:
        """Set a text frame again as its last fill did, keeping nothing but what the setter
        learns (shaped and broken paragraphs): after frames came from the layout cache,
        the first edit in them then re-breaks only the edited paragraph.  False when the
        frame has no fill to repeat."""
        hit = self._frame_cache.get(frame_id)
        if hit is None:
            return False
        (_fk, pos, from_page, to_page, more, blocked), fill, _deps = hit
        story = self.issue.stories.get(fill.result.story)
        try:
            frame = self.issue.frame(frame_id)[1]
        except KeyError:
            return False
        if story is None or pos.para > len(story.paragraphs):
            return False
        Flow(self.setter, PageGeometry.of(self.issue.paper), self.issue, self._boxes).fill(
            story, frame, pos, Jumps(from_page, to_page), {k: set(v) for k, v in blocked},
            more)
        return True

    def _para_key(self, story, i):
        if i < 0:
            return len(story.paragraphs)
        if i >= len(story.paragraphs):
            return None
        p = story.paragraphs[i]
        return (p.style, tuple((r.text, r.style) for r in p.runs))

    def _blocked(self, page: m.Page, geo: PageGeometry, composer: FrameComposer) -> dict:
        """Grid lines photos and boxes take from the text columns under them (图文互斥):
        their frame, or the picture's visible crop, widened by the wrap offset; a rotated
        frame by its bounding box."""
        out: dict[tuple[float, float], set[int]] = {}
        for master, fr in self._page_frames(page):          # the master's frames too
            wrap = getattr(fr, "wrap", None)
            if wrap is None or wrap.mode == "none":
                continue
            rect = geo.frame_rect(fr)
            if wrap.mode == "crop" and isinstance(fr, m.PhotoFrame) and not master:
                rect = self._picture_rect(composer, page, fr) or rect
            x, y, w, h = rotated_bounds(rect, getattr(fr, "rotate", 0.0))
            off = geo.length(wrap.offset)
            x, y, w, h = x - off, y - off, w + 2 * off, h + 2 * off
            first = geo.line_at(y + 0.01)
            last = geo.line_at(y + h - 0.01)
            rows = set(range(first, last + 1))
            out.setdefault((x, x + w), set()).update(rows)
        return out

    def _picture_rect(self, composer: FrameComposer, page: m.Page, frame: m.PhotoFrame):
        """The part of a photo frame its picture shows (None without a picture)."""
        result = self._compose_frame(composer, page, frame, [])   # cached; diagnostics later
        for it in result.items:
            if isinstance(it, ImageItem):
                cx, cy, cw, ch = it.clip
                dx, dy, dw, dh = it.rect
                x0, y0 = max(cx, dx), max(cy, dy)
                x1, y1 = min(cx + cw, dx + dw), min(cy + ch, dy + dh)
                if x1 > x0 and y1 > y0:
                    return (x0, y0, x1 - x0, y1 - y0)
        return None

    def _overlaps(self, drawn: list, same: set | None = None,
                  given: dict | None = None) -> list[Diagnostic]:
        """overlap_diagnostics, page by page; a page whose frames and results are the
        same as at the last compose keeps its findings (the pages in ``same`` are known
        to be); ``given``: page → findings already made (a forked child's pages)."""
        out = []
        memo: dict = {}
        for number, pairs in drawn:
            if given and number in given:
                out.extend(given[number])
                continue
            if same is not None and number in same and number in self._overlap_memo:
                memo[number] = self._overlap_memo[number]
                out.extend(memo[number][1])
                continue
            # the results are held in the memo, so their ids stay theirs
            key = tuple((id(r), type(f), f.id, _frozen(getattr(f, "wrap", None)),
                         getattr(f, "fill", None)) for f, r in pairs)
            hit = self._overlap_memo.get(number)
            found = hit[1] if hit is not None and hit[0] == key else \
                overlap_diagnostics([(number, pairs)], self._ink)
            memo[number] = (key, found, [r for _, r in pairs])
            out.extend(found)
        self._overlap_memo = memo
        return out

    def _glyph_diagnostics(self, only: str | None = None) -> list[Diagnostic]:
        """Missing glyphs, story by story (a story whose text is the same as at the last
        compose keeps its findings; with ``only``, every other story is known to be)."""
        out = []
        memo: dict = {}
        for story in self.issue.stories.values():
            kept = self._kept_glyphs.get(story.id)
            if kept is not None:                # an export: kept with the story's pass
                memo[story.id] = (None, kept)
                out.extend(kept)
                continue
            if only is not None and story.id != only and story.id in self._glyph_memo:
                memo[story.id] = self._glyph_memo[story.id]
                out.extend(memo[story.id][1])
                continue
            key = (story.language,) + tuple(self._para_key(story, i)
                                            for i in range(len(story.paragraphs)))
            hit = self._glyph_memo.get(story.id)
            if hit is not None and hit[0] == key:
                found = hit[1]
            else:
                found = self._story_glyph_diagnostics(story, hit is None)
            memo[story.id] = (key, found)
            out.extend(found)
        self._glyph_memo = memo
        return out

    def _story_glyph_diagnostics(self, story, first: bool = True) -> list[Diagnostic]:
        """Missing glyphs and fallback faces of one story; an editor asks the disk only the
        first time (after an edit, the entry there holds the text before it), and looks
        again only at the paragraphs whose text or style changed."""
        got = self.disk.get_glyphs(story) if self.disk is not None and (
            self.whole or first) else None
        if got is not None:
            return list(got)
        out = []
        names = set()
        seen = self._para_glyphs.get(story.id, {})
        kept: dict = {}                         # paragraph key → (missing, fallbacks, text)
        for i, para in enumerate(story.paragraphs):
            pk = (story.language, self._para_key(story, i))
            hit = seen.get(pk)
            if hit is None:
                st = self.setter.style(para.style)
                p = self.setter.prepare(self.setter.run_specs(para, st, story.language), st)
                hit = (tuple(p.sh.missing), tuple(p.sh.fallbacks), p.sh.text)
            kept[pk] = hit
            missing, fallbacks, text = hit
            for off in missing:
                ch = text[off]
                out.append(Diagnostic(
                    "error", "missing-glyph",
                    f"story '{story.id}' paragraph {i + 1} offset {off}: no font has "
                    f"'{ch}' (U+{ord(ch):04X})", story=story.id,
                    offset=StoryPos(i, off)))
            for off, face in fallbacks:
                if (story.id, face) not in names:
                    names.add((story.id, face))
                    ch = text[off]
                    out.append(Diagnostic(
                        "info", "font-fallback",
                        f"story '{story.id}': '{ch}' (U+{ord(ch):04X}) and maybe others "
                        f"set in fallback face {face}", story=story.id,
                        offset=StoryPos(i, off)))
        self._para_glyphs[story.id] = kept
        if self._writes:
            self.disk.put_glyphs(story, out)
        return out


def _ink(fr: FrameResult) -> list:
    """The boxes a frame's glyphs cover (x0, y0, x1, y1), one per run."""
    out = []
    for run in fr.runs:
        if not run.xs:
            continue
        ys = run.ys or (run.y,)
        x1 = run.right if run.ys is None else max(x + a for x, a in zip(run.xs, run.advances))
        out.append((min(run.xs), min(ys) - 0.8 * run.size * run.vscale, x1,
                    max(ys) + 0.1 * run.size))
    return out


def _wraps(frame) -> bool:
    """Whether text frames under this frame flow around it (a photo's or box's wrap)."""
    wrap = getattr(frame, "wrap", None)
    return wrap is not None and wrap.mode != "none"


def _meets(a, b, eps: float = 0.5) -> bool:
    return a[0] < b[2] - eps and b[0] < a[2] - eps and a[1] < b[3] - eps and b[1] < a[3] - eps


def overlap_diagnostics(drawn: list, ink_of=None) -> list[Diagnostic]:
    """Text hidden under another frame (an error) and overlapping text frames (a warning).

    Frames are drawn in their page's order, later ones on top.  Text is hidden
    when glyphs of a frame below meet a photo, a filled box or the glyphs of a
    frame above; a photo that wraps text (图文互斥) hides nothing of a text
    frame, whose lines flow around it.  Two text frames whose areas overlap
    without touching glyphs are a warning.  ``drawn`` holds, per page, its number
    and its (model frame, frame result) pairs in drawing order; frames on a layer
    that does not print are left out.
    """
    ink_of = ink_of or _ink
    out = []
    for number, pairs in drawn:
        frames = [(f, r) for f, r in pairs if r.printable]
        for i, (fa, ra) in enumerate(frames):
            ink = None
            ax, ay, aw, ah = ra.rect
            rect_a = (ax, ay, ax + aw, ay + ah)
            for fb, rb in frames[i + 1:]:
                bx, by, bw, bh = rb.rect
                rect_b = (bx, by, bx + bw, by + bh)
                if not _meets(rect_a, rect_b):
                    continue
                if isinstance(fa, m.PhotoFrame) and not (_wraps(fa) and isinstance(fb, m.TextFrame)):
                    # text laid over a photo that does not push it aside overprints the image
                    image = next((it.clip for it in ra.items if isinstance(it, ImageItem)),
                                 next((it.rect for it in ra.items if isinstance(it, BoxItem)),
                                      None))
                    if image is not None:
                        ix, iy, iw, ih = image
                        if any(_meets(c, (ix, iy, ix + iw, iy + ih)) for c in ink_of(rb)):
                            out.append(Diagnostic(
                                "error", "text-hidden",
                                f"page {number}: text of {fb.kind} frame '{fb.id}' is set "
                                f"over photo frame '{fa.id}', which does not wrap text",
                                page=number, frame=fb.id, story=rb.story))
                            continue
                if ink is None:
                    ink = ink_of(ra)
                if not ink:
                    continue
                if _wraps(fb) and isinstance(fa, m.TextFrame):
                    continue                 # the text flows around it
                if isinstance(fb, m.PhotoFrame):
                    cover = [rect_b]
                elif isinstance(fb, m.BoxFrame):
                    cover = [rect_b] if fb.fill else []
                else:
                    cover = ink_of(rb)
                hidden = any(_meets(a, c) for a in ink for c in cover)
                what = f"{fb.kind} frame '{fb.id}'"
                if hidden:
                    out.append(Diagnostic(
                        "error", "text-hidden",
                        f"page {number}: text of {fa.kind} frame '{fa.id}' is hidden "
                        f"under {what}" + (" (it does not wrap text)"
                                          if isinstance(fb, m.PhotoFrame) else ""),
                        page=number, frame=fa.id, story=ra.story))
                elif isinstance(fa, m.TextFrame) and isinstance(fb, m.TextFrame):
                    out.append(Diagnostic(
                        "warning", "frame-overlap",
                        f"page {number}: text frames '{fa.id}' and '{fb.id}' overlap",
                        page=number, frame=fb.id, story=rb.story))
    return out


class _StaleEntry(Exception):
    """A frame of a kept story pass is no longer in the layout cache."""


#: a whole compose shared with forked children (``Composer._fork``): only where the
#: stories to pass hold this many characters (on the development machine a fork took
#: 10–20 ms and reading a child's parts back up to 70 ms, about as long as passing
#: 2,000–7,000 characters); the form of a child's bytes
PARALLEL_MIN_CHARS = 20_000
#: (a page pass costs about as much as passing this many characters: the parts' order)
PAGE_COST = 300
_SHARE_FORMAT = 2


@named_tuple
class _Forked:
    """Children started by ``Composer._fork``: their handle (with the queue of the
    parts' numbers), and the parts (([stories to pass], [pages]), the costliest first)."""
    children: object        # common.forked.Forked
    parts: list


class _Flowed(dict):
    """Frame id → its text frame result; the frames of a kept story pass (``_lazy_fills``)
    read from the layout cache when first asked for."""

    def __init__(self, composer: Composer):
        super().__init__()
        self.composer = composer

    def __contains__(self, fid) -> bool:
        return dict.__contains__(self, fid) or fid in self.composer._lazy_fills

    def get(self, fid, default=None):
        got = dict.get(self, fid)
        if got is None:
            lazy = self.composer._lazy_fills.get(fid)
            if lazy is None:
                return default
            fill = self.composer.disk.get_fill(lazy[0], None, lazy[1])
            if fill is None:
                raise _StaleEntry(fid)
            got = self[fid] = fill.result
        return got


@named_tuple       # (typing.NamedTuple's class, without typing)
class _StoryDone:
    """One story's pass through its thread."""
    flowed: dict            # frame id → FrameResult
    copy: Copyfit
    diagnostics: list
    live: set               # ids of the prepared paragraphs its fills used
    shown: int              # lines set in its frames


@named_tuple
class _Last:
    """What a compose made, for the next one told that only one story's text changed."""
    page_of: dict
    blocked: dict
    blocked_keys: dict
    stories: dict           # story id → _StoryDone
    pages: dict             # page number → (PageResult, drawn pairs, findings)


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
_PLAIN = (str, int, float, bool, type(None))


def _names(cls) -> tuple[str, ...]:
    """The field names of a dataclass type (looked up once per type)."""
    got = _FIELD_NAMES.get(cls)
    if got is None:
        got = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return got


_GETTERS: dict[type, object] = {}
_PLAIN_TYPES = frozenset(_PLAIN)


def _values(cls):
    """A function giving an object's field values of a dataclass type, as a tuple (made
    once per type)."""
    got = _GETTERS.get(cls)
    if got is None:
        names = _names(cls)
        if len(names) == 1:
            got = _GETTERS[cls] = lambda obj, get=attrgetter(names[0]): (get(obj),)
        elif names:
            got = _GETTERS[cls] = attrgetter(*names)
        else:
            got = _GETTERS[cls] = lambda obj: ()
    return got


class _Made(dict):
    """A dict whose values are made by ``make(key)`` when first asked for."""

    def __init__(self, make):
        super().__init__()
        self.make = make

    def __missing__(self, key):
        value = self[key] = self.make(key)
        return value


def _blocked_key(blocked: dict) -> tuple:
    """A page's blocked grid lines ({column: lines}) as a key: sorted tuples."""
    return tuple(sorted((k, tuple(sorted(v))) for k, v in blocked.items()))


def _frame_key(frame) -> tuple:
    """A frame's field values as a hashable key (lists become tuples)."""
    cls = type(frame)
    vals = _values(cls)(frame)
    if all(map(_PLAIN_TYPES.__contains__, map(type, vals))):
        return (cls,) + vals
    return (cls,) + tuple(v if type(v) in _PLAIN else _frozen(v) for v in vals)


def _frozen(v):
    """A field value as a comparable snapshot: lists → tuples, records → tuples (deep)."""
    if type(v) in _PLAIN:
        return v
    if isinstance(v, list):
        return tuple(_frozen(x) for x in v)
    if is_dataclass(v) and not isinstance(v, type):
        return (type(v),) + tuple(_frozen(getattr(v, n)) for n in _names(type(v)))
    return v


def compose_issue(issue: m.Issue, fontset, base_dir: str | None = None,
                  cache_dir: str | None = None, allow_outside: bool = False,
                  workers: int = 1) -> LayoutResult:
    """Compose once (no caches kept): the CLI's export and check use this (``workers``:
    as ``Composer``'s)."""
    from .diskcache import LayoutDiskCache
    seg = Segmenter(os.path.join(cache_dir, "segments.json") if cache_dir else None)
    hyph = default_hyphenator(cache_file=os.path.join(cache_dir, "hyphenation-en_US.json")
                              if cache_dir else None)
    disk = LayoutDiskCache(os.path.join(cache_dir, "layout")) if cache_dir else None
    res = Composer(issue, fontset, base_dir=base_dir or ".", segmenter=seg, hyphenator=hyph,
                   allow_outside=allow_outside, disk=disk, workers=workers).compose()
    if disk is not None:            # old entries go, the writer's subsets, images and pages too
        disk.maybe_prune([os.path.join(cache_dir, d) for d in ("subsets", "images", "pages")])
    return res
