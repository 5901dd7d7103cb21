"""Simulated desks: separate processes making random, valid edits to one issue in a store.

One desk::

    python -m support.desks ADDRESS --desk N [--desks T] --seconds S --seed K --log FILE
        [--units page:p1,story:lead] [--transfer FRAME:PAGE] [--start-at EPOCH]

opens the issue through ``IssueSession``, and until its time is up repeatedly
picks a unit of its own — desk N of T lays out pages N and N+1 of the issue (in
the order of their numbers) and edits the stories shown on them, so neighbours
share a page and its stories on purpose and refusals happen — checks it out
(or not), makes a random but valid edit (moves or resizes a frame on the grid,
moves a story's text frame to its other page, changes a story's text, headline
or byline; now and then a page and a story in one commit), saves, and appends
one JSON line per attempt to its log: the units with their base version, the
new version and the hash of the text committed, or the refusal (its type and
message), and the commit latency.  Before each commit a ``begin`` line names
what is being sent (so a desk killed inside a save leaves the texts it may have
written).  When the store fails (a PostgreSQL server restarting, a folder gone
away) the desk logs the error, reconnects with back-off, finds out whether the
commit in flight was made (the unit's new version carries its text and its
name) and retries it when it was not.

A PostgreSQL store reconnects by itself; the desk notices (the server process
behind its connection changed) and logs that too.  ``--stop-at STEP`` stops the
desk inside its first commit at a step of the store (for a test to kill it there).

``run_load`` starts T such desks on a fresh issue and ``check`` holds the logs
against the store's final state: every acknowledged change present, every
version in the store acknowledged to some desk, every refusal reported and
true (a conflict names the desk whose version it met, a check-out another desk
working on the unit).  ``jump_mistakes`` composes an issue and holds its jump
lines (下转/上接) to the pages its stories' frames are on.  The load, fault and
concurrency tests and ``bench/bench_store.py`` use them.
"""
from __future__ import annotations

import argparse
import copy
import dataclasses
import hashlib
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from layout import model as m
from layout.grid import PageGeometry
from store import open_store
from store.base import CommitRefused, Desk, UnitDoc, UnitKey
from store.session import IssueSession
from store.units import name_pages

from .paths import ROOT

CHARS = "本报讯记者今日从市委宣传部获悉全省职工技能大赛在省会开幕来自各地的选手将参加决赛工会新闻"
TITLES = ["全省职工技能大赛开幕", "春耕备耕有序推进", "城乡居民收入稳步增长", "新建学校秋季招生",
          "老旧小区改造提速", "港口吞吐量创新高", "乡村振兴见实效", "文化惠民走基层"]
NAMES = ["王明", "李华", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "周婷"]


def text_hash(text: str | None) -> str | None:
    """What the logs keep of a unit's text."""
    return None if text is None else hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def desk_user(n: int) -> str:
    return f"desk{n:02d}"


# ---------------------------------------------------------------- which units a desk works on
def frames_story(fr: m.Frame, issue: m.Issue) -> str:
    """The story a frame shows (text frames through the thread; headline and byline frames
    by name)."""
    story = getattr(fr, "story", "")
    if story:
        return story
    for sid, st in issue.stories.items():
        if fr.id in st.thread:
            return sid
    return ""


def desk_units(issue: m.Issue, n: int, total: int) -> list[UnitKey]:
    """Desk ``n`` of ``total``: pages n and n+1 (in page order, wrapping) and the stories
    shown on them.  With fewer desks than pages the last pages are nobody's."""
    name_pages(issue)
    pages = sorted(issue.pages, key=lambda p: p.number)
    if not pages:
        return []
    mine = [pages[n % len(pages)]]
    if len(pages) > 1:
        mine.append(pages[(n + 1) % len(pages)])
    keys = [UnitKey("page", p.id) for p in mine]
    stories = []
    for p in mine:
        for fr in p.frames:
            sid = frames_story(fr, issue)
            if sid and sid in issue.stories and sid not in stories:
                stories.append(sid)
    return keys + [UnitKey("story", s) for s in stories]


# ---------------------------------------------------------------- edits
@dataclasses.dataclass
class Edit:
    """One random edit with its values drawn: ``apply`` makes it on an issue (again after a
    reconnect) and says whether anything changed."""
    kind: str
    keys: tuple[UnitKey, ...]
    ops: tuple                      # (op, args...) steps, each on a page or a story

    def apply(self, issue: m.Issue) -> bool:
        changed = False
        for op in self.ops:
            changed |= _apply(issue, op)
        return changed


def _page(issue: m.Issue, pid: str) -> m.Page | None:
    return next((p for p in issue.pages if p.id == pid), None)


def _apply(issue: m.Issue, op: tuple) -> bool:
    name = op[0]
    if name in ("place", "transfer"):
        if name == "place":
            _, pid, fid, col, line, cols, lines = op
            page = _page(issue, pid)
            fr = next((f for f in page.frames if f.id == fid), None) if page else None
            if fr is None:
                return False
        else:
            _, src, dst, fid = op
            a, b = _page(issue, src), _page(issue, dst)
            fr = next((f for f in a.frames if f.id == fid), None) if a and b else None
            if fr is None:
                return False
            a.frames.remove(fr)
            b.frames.append(fr)
            return True
        before = (fr.col, fr.line, fr.cols, fr.lines)
        fr.col, fr.line, fr.cols, fr.lines = col, line, cols, lines
        return before != (col, line, cols, lines)
    story = issue.stories.get(op[1])
    if story is None:
        return False
    if name == "text":
        _, _, pi, ri, pos, cut, put = op
        if pi >= len(story.paragraphs) or ri >= len(story.paragraphs[pi].runs):
            return False
        run = story.paragraphs[pi].runs[ri]
        pos = min(pos, len(run.text))
        new = run.text[:pos] + put + run.text[pos + cut:]
        changed, run.text = new != run.text, new
        return changed
    field = "byline" if name == "byline" else None
    if field:
        changed, story.byline = story.byline != op[2], op[2]
        return changed
    changed, story.headline.title = story.headline.title != op[2], op[2]
    return changed


def _movable(page: m.Page) -> list[m.Frame]:
    return [f for f in page.frames if f.box is None and not f.group and not f.locked]


def page_edit(rng: random.Random, issue: m.Issue, key: UnitKey, geo: PageGeometry,
              pages: list[UnitKey]) -> Edit | None:
    """Move or resize a frame on the grid, or move a story's text frame to the desk's
    other page."""
    page = _page(issue, key.name)
    frames = _movable(page) if page else []
    if not frames:
        return None
    others = [k for k in pages if k != key]
    if others and rng.random() < 0.2:
        texts = [f for f in frames if isinstance(f, m.TextFrame) and not f.replaces]
        if texts:
            fr = rng.choice(texts)
            dst = rng.choice(others)
            return Edit("transfer", tuple(sorted((key, dst))),
                        (("transfer", key.name, dst.name, fr.id),))
    fr = rng.choice(frames)
    cols, lines = fr.cols, fr.lines
    if rng.random() < 0.5:                          # resize
        kind = "resize"
        lines = max(1, min(geo.lines - fr.line, lines + rng.choice([-3, -2, -1, 1, 2, 3])))
        fixed_columns = isinstance(fr, m.TextFrame) and fr.columns > 0
        if not fixed_columns and rng.random() < 0.3:
            cols = max(1, min(geo.columns - fr.col, cols + rng.choice([-1, 1])))
        col, line = fr.col, fr.line
    else:                                           # move
        kind = "move"
        col = rng.randint(0, max(0, geo.columns - cols))
        line = rng.randint(0, max(0, geo.lines - lines))
    if (col, line, cols, lines) == (fr.col, fr.line, fr.cols, fr.lines):
        return None
    return Edit(kind, (key,), (("place", key.name, fr.id, col, line, cols, lines),))


def story_edit(rng: random.Random, issue: m.Issue, key: UnitKey, tag: str) -> Edit | None:
    """Change a few characters of the text, the headline or the byline."""
    story = issue.stories.get(key.name)
    if story is None:
        return None
    r = rng.random()
    if r < 0.6:
        places = [(pi, ri) for pi, p in enumerate(story.paragraphs)
                  for ri, run in enumerate(p.runs) if run.text]
        if places:
            pi, ri = rng.choice(places)
            text = story.paragraphs[pi].runs[ri].text
            pos = rng.randint(0, len(text))
            cut = min(rng.randint(0, 3), len(text) - pos)
            put = "".join(rng.choice(CHARS) for _ in range(rng.randint(1, 4)))
            return Edit("text", (key,), (("text", key.name, pi, ri, pos, cut, put),))
    if r < 0.8:
        return Edit("headline", (key,), (("headline", key.name,
                                          f"{rng.choice(TITLES)}（{tag}）"),))
    return Edit("byline", (key,), (("byline", key.name, f"本报记者 {rng.choice(NAMES)} {tag}"),))


def random_edit(rng: random.Random, issue: m.Issue, mine: list[UnitKey], tag: str) -> Edit | None:
    geo = PageGeometry.of(issue.paper)
    pages = [k for k in mine if k.kind == "page"]
    stories = [k for k in mine if k.kind == "story"]
    r = rng.random()
    if pages and (r < 0.4 or not stories):
        return page_edit(rng, issue, rng.choice(pages), geo, pages)
    if stories and (r < 0.9 or not pages):
        return story_edit(rng, issue, rng.choice(stories), tag)
    a = page_edit(rng, issue, rng.choice(pages), geo, [])
    b = story_edit(rng, issue, rng.choice(stories), tag)
    if a is None or b is None:
        return a or b
    return Edit("pair", tuple(sorted(a.keys + b.keys)), a.ops + b.ops)


# ---------------------------------------------------------------- the desk
class Log:
    """JSON lines, each written whole and flushed (a killed desk loses nothing written)."""

    def __init__(self, path: str | os.PathLike):
        self.f = open(path, "a", encoding="utf-8")

    def write(self, rec: dict) -> None:
        self.f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        self.f.flush()

    def close(self) -> None:
        self.f.close()


def store_failure(exc: BaseException) -> bool:
    """An error of the store itself (not a refusal): reconnect and carry on."""
    return isinstance(exc, Exception) and not isinstance(exc, CommitRefused)


class SimDesk:
    """One simulated desk.  ``opener(desk)`` opens the store (a new connection each time)."""

    def __init__(self, opener, n: int, *, total: int = 20, seed: int = 0, log: Log,
                 units: list[UnitKey] | None = None, transfer: tuple[str, str] | None = None,
                 checkout: float = 0.5, pause: float = 0.0):
        self.opener, self.n, self.total = opener, n, total
        self.rng = random.Random(seed * 1000 + n)
        self.log = log
        self.desk = Desk.here(desk_user(n))
        self.fixed_units = units
        self.transfer = transfer
        self.p_checkout, self.pause = checkout, pause
        self.seq = 0
        self.counts = {"ok": 0, "refused": 0, "error": 0, "recovered": 0, "retried": 0,
                       "unknown": 0, "reconnects": 0, "noop": 0}
        self.store = self.session = self.issue = None
        self.sending: dict[str, tuple[int, str | None]] | None = None
        self.latency = self.t_refresh = 0.0

    # ---------------------------------------------------------- connection
    def connect(self) -> None:
        self.store = self.opener(self.desk)
        self.session = IssueSession(self.store)
        self.issue = self.session.open()
        orig = self.store.commit

        def timed(changes):
            self.sending = {str(c.key): (c.base, text_hash(c.text)) for c in changes}
            self.log.write({"desk": self.n, "attempt": self.seq, "event": "begin",
                            "units": self.sending, "t": time.time()})
            t0 = time.perf_counter()
            try:
                return orig(changes)
            finally:
                self.latency = time.perf_counter() - t0
        self.store.commit = timed
        for p in self.session.problems:
            self.log.write({"desk": self.n, "event": "problem", "error": str(p)})
        self.mine = set(self.session.mine())
        if self.fixed_units is not None:
            self.units = list(self.fixed_units)
        else:
            self.units = desk_units(self.issue, self.n, self.total)

    def reconnect(self, error: BaseException, deadline: float) -> bool:
        """Open the store again (back-off up to ``deadline``); False when it stays away."""
        t0, tries, delay = time.time(), 0, 0.1
        try:
            self.store.close()
        except Exception:                                   # noqa: BLE001 — it is gone anyway
            pass
        last = error
        while True:
            tries += 1
            try:
                self.connect()
            except Exception as exc:                       # noqa: BLE001 — still away: retry
                last = exc
                if time.time() > deadline:
                    self.log.write({"desk": self.n, "event": "gave-up", "tries": tries,
                                    "error": _name(last)})
                    return False
                time.sleep(delay)
                delay = min(1.0, delay * 2)
                continue
            self.counts["reconnects"] += 1
            self.log.write({"desk": self.n, "event": "reconnect", "tries": tries,
                            "down_s": round(time.time() - t0, 3), "error": _name(error),
                            "units": [str(k) for k in self.units]})
            return True

    # ---------------------------------------------------------- work
    def run(self, seconds: float, start_at: float | None = None, grace: float = 60.0) -> dict:
        self.connect()
        if start_at is not None and start_at > time.time():
            time.sleep(start_at - time.time())
        t_start, cpu0 = time.time(), time.process_time()
        end = (start_at or t_start) + seconds
        self.log.write({"desk": self.n, "event": "start", "t": t_start, "user": self.desk.user,
                        "units": [str(k) for k in self.units]})
        first = self.transfer
        while time.time() < end:
            try:
                t0 = time.perf_counter()
                got = self.session.refresh(self.issue)
                self.t_refresh = time.perf_counter() - t0
                for p in got.problems:
                    self.log.write({"desk": self.n, "event": "problem", "error": str(p)})
                self._noticed_reconnect()
                if got.both:        # this desk never keeps unsaved changes between attempts
                    self.log.write({"desk": self.n, "event": "problem", "error": "unsaved here "
                                    "and changed there: " + ", ".join(str(i.key) for i in got.both)})
                if first is not None:
                    edit = self.transfer_edit(*first)
                    if edit is None:
                        first = None
                        continue
                else:
                    edit = random_edit(self.rng, self.issue, self.units, f"{self.n}-{self.seq}")
                if edit is None:
                    continue
                done = self.attempt(edit, end + grace)
                if first is not None and done:
                    first = None
            except Exception as exc:                       # noqa: BLE001 — the store failed
                if not store_failure(exc):
                    raise
                self.counts["error"] += 1
                self.log.write({"desk": self.n, "event": "error", "error": _name(exc)})
                if not self.reconnect(exc, end + grace):
                    break
            if self.pause:
                time.sleep(self.rng.uniform(0, 2 * self.pause))
        try:
            self.store.close()
        except Exception as exc:                           # noqa: BLE001 — report, finish
            self.log.write({"desk": self.n, "event": "error", "error": _name(exc)})
        summary = {"desk": self.n, "event": "end", "t": time.time(), "attempts": self.seq,
                   "cpu_s": round(time.process_time() - cpu0, 3), **self.counts}
        self.log.write(summary)
        return summary

    def _noticed_reconnect(self) -> None:
        """A store that reconnects by itself (PostgreSQL: its server process changed, so the
        old connection was cut): log it and count it with the desk's own reconnects."""
        conn = getattr(self.store, "_conn", None)
        backend = getattr(getattr(conn, "info", None), "backend_pid", None)
        if backend is None:
            return
        before, self._backend = getattr(self, "_backend", None), (id(self.store), backend)
        if before is not None and before[0] == id(self.store) and before[1] != backend:
            self.counts["reconnects"] += 1
            self.log.write({"desk": self.n, "event": "reconnect", "by": "store",
                            "t": time.time(), "units": [str(k) for k in self.units]})

    def transfer_edit(self, fid: str, pid: str) -> Edit | None:
        """The scripted first edit: move frame ``fid`` to page ``pid`` (None once it is there)."""
        src = next((p for p in self.issue.pages if any(f.id == fid for f in p.frames)), None)
        if src is None or src.id == pid or _page(self.issue, pid) is None:
            return None
        keys = tuple(sorted((UnitKey("page", src.id), UnitKey("page", pid))))
        return Edit("transfer", keys, (("transfer", src.id, pid, fid),))

    def _snapshot(self, keys) -> dict[UnitKey, object]:
        out = {}
        for k in keys:
            if k.kind == "page":
                out[k] = copy.deepcopy(_page(self.issue, k.name))
            elif k.kind == "story":
                out[k] = copy.deepcopy(self.issue.stories.get(k.name))
        return out

    def _restore(self, saved: dict[UnitKey, object]) -> None:
        for k, obj in saved.items():
            if obj is None:
                continue
            if k.kind == "page":
                self.issue.pages = [obj if p.id == k.name else p for p in self.issue.pages]
            else:
                self.issue.stories[k.name] = obj

    def attempt(self, edit: Edit, deadline: float, retry: bool = False) -> bool:
        """Check out (or not), edit, save, log; True when the change was acknowledged."""
        self.seq += 1
        rec = {"desk": self.n, "attempt": self.seq, "kind": edit.kind,
               "keys": [str(k) for k in edit.keys], "t": time.time()}
        if retry:
            rec["retry"] = True
        held, t0 = {}, time.perf_counter()
        for k in edit.keys:
            if k in self.mine or self.rng.random() < self.p_checkout:
                h = self.session.checkout(k)
                if h is None:
                    self.mine.add(k)
                else:
                    held[str(k)] = h.user
        rec["checked_out"] = sorted(str(k) for k in edit.keys if k in self.mine)
        rec["refresh_s"] = round(self.t_refresh, 4)
        rec["checkout_s"] = round(time.perf_counter() - t0, 4)
        if held:
            rec["held_by"] = held
        saved = self._snapshot(edit.keys)
        if not edit.apply(self.issue):
            self.counts["noop"] += 1
            self.seq -= 1
            return False
        self.sending, self.latency = None, 0.0
        try:
            t0 = time.perf_counter()
            infos = self.session.save(self.issue, only=set(edit.keys))
            rec["save_s"] = round(time.perf_counter() - t0, 4)
        except CommitRefused as exc:
            self._restore(saved)
            self.counts["refused"] += 1
            rec.update(outcome="refused", refused=type(exc).__name__, message=str(exc),
                       unit=str(getattr(exc, "key", "")), units=self._sent(),
                       latency=round(self.latency, 6))
            self.log.write(rec)
            self._release_some()
            return False
        except Exception as exc:                           # noqa: BLE001 — the store failed
            if not store_failure(exc):
                raise
            sent = self.sending
            rec.update(outcome="error", error=_name(exc), units=self._sent())
            self.counts["error"] += 1
            self.log.write(rec)
            if not self.reconnect(exc, deadline):
                return False
            return self._resolve(edit, sent, deadline, retry)
        if not infos:
            self.counts["noop"] += 1
            self.log.write({**rec, "outcome": "noop"})
            return False
        self.counts["ok"] += 1
        self._noticed_reconnect()
        rec.update(outcome="ok", latency=round(self.latency, 6),
                   units={str(k): [self.sending[str(k)][0], i.version,
                                   text_hash(self.session.base[k].text)]
                          for k, i in infos.items()})
        self.log.write(rec)
        self._release_some()
        return True

    def _sent(self) -> dict:
        return {k: [b, None, h] for k, (b, h) in (self.sending or {}).items()}

    def _resolve(self, edit: Edit, sent, deadline: float, retry: bool) -> bool:
        """After a failure inside a save: was the commit made?  Log it as acknowledged when
        the store has it (its version is one up, with this text and this desk's name); retry
        it when every unit is still at its base; otherwise log it as unknown."""
        if not sent:
            outcome = "not-made"
        else:
            now = self.session.base
            made = all((d := now.get(UnitKey.parse(k))) is not None and d.version == b + 1
                       and text_hash(d.text) == h and d.info.author == self.desk.describe()
                       for k, (b, h) in sent.items())
            kept = all(((d := now.get(UnitKey.parse(k))) is None and b == 0)
                       or (d is not None and d.version == b) for k, (b, h) in sent.items())
            outcome = "made" if made else "not-made" if kept else "unknown"
        if outcome == "made":
            self.counts["recovered"] += 1
            self.counts["ok"] += 1
            self.log.write({"desk": self.n, "attempt": self.seq, "kind": edit.kind,
                            "outcome": "ok", "recovered": True, "latency": None,
                            "units": {k: [b, b + 1, h] for k, (b, h) in sent.items()}})
            return True
        if outcome == "unknown":
            self.counts["unknown"] += 1
            self.log.write({"desk": self.n, "attempt": self.seq, "kind": edit.kind,
                            "outcome": "unknown",
                            "units": {k: [b, None, h] for k, (b, h) in sent.items()}})
            return False
        self.log.write({"desk": self.n, "attempt": self.seq, "kind": edit.kind,
                        "outcome": "not-made", "units": {k: [b, None, h] for k, (b, h)
                                                         in (sent or {}).items()}})
        if retry:
            return False
        self.counts["retried"] += 1
        return self.attempt(edit, deadline, retry=True)

    def _release_some(self) -> None:
        lost = self.store.take_lost() if hasattr(self.store, "take_lost") else {}
        if lost:        # check-outs not taken back after a reconnect
            self.log.write({"desk": self.n, "event": "lost-checkouts",
                            "units": {str(k): h.user if h else None for k, h in lost.items()}})
            self.mine -= set(lost)
        for k in sorted(self.mine):
            if self.rng.random() < 0.6:
                self.session.release(k)
                self.mine.discard(k)


def stop_inside_commit(address: str, spec: str, log: Log, n: int) -> None:
    """``--stop-at STEP[:N]``: at the N-th time the store's commit reaches STEP (folder:
    tmp, intent, renamed, journal; PostgreSQL: locked, written) log ``stopped`` and sleep
    for ever — for a test to kill the process there."""
    from store import parse_address
    step, _, nth = spec.partition(":")
    want, seen = int(nth or 1), 0

    def hook(name: str) -> None:
        nonlocal seen
        if name != step:
            return
        seen += 1
        if seen == want:
            log.write({"desk": n, "event": "stopped", "step": name, "t": time.time()})
            while True:
                time.sleep(3600)
    if parse_address(address).kind == "postgresql":
        from store import pg as module
    else:
        from store import folder as module
    module._hook = hook


def _name(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".strip()[:500]


# ---------------------------------------------------------------- the jump lines
def jump_lines(result) -> dict[str, list[str]]:
    """Frame id → the jump lines (下转/上接) composed in it."""
    return {fr.frame_id: [r.text for r in fr.runs if r.source.part == "jump"]
            for page in result.pages for fr in page.frames}


def jump_mistakes(issue: m.Issue, res=None) -> list[str]:
    """Compose the issue (or take ``res``) and hold each threaded frame's jump lines to the
    pages of the frames before and after it: a jump line shown names the right page, and
    a frame showing some of its story's text carries 上接 when the frame before is on
    another page and 下转 when the text runs on to a frame on another page.  (A frame
    with no room left — under a photo's wrap — shows neither.)  The mistakes."""
    from layout.compose import Composer
    from layout.flow import page_label

    from .fakefont import SquareFontSet
    res = res or Composer(issue, SquareFontSet()).compose()
    got = jump_lines(res)
    frames = {fr.frame_id: fr for page in res.pages for fr in page.frames}
    page_of = {fr.id: p.number for p in issue.pages for fr in p.frames}
    j = issue.paper.jumps
    bad = []
    for sid, story in issue.stories.items():
        n_paras = len(story.paragraphs)
        for i, fid in enumerate(story.thread):
            here, fr = page_of[fid], frames[fid]
            shows = bool(fr.lines)
            allowed, need = [], []
            if i and page_of[story.thread[i - 1]] != here:
                line = j.from_text.format(page=page_label(page_of[story.thread[i - 1]],
                                                          j.numerals))
                allowed.append(line)
                if shows:
                    need.append(line)
            if i + 1 < len(story.thread) and page_of[story.thread[i + 1]] != here:
                line = j.to_text.format(page=page_label(page_of[story.thread[i + 1]],
                                                        j.numerals))
                allowed.append(line)
                if shows and fr.end.para < n_paras:
                    need.append(line)
            if [t for t in allowed if t in got[fid]] != got[fid] or \
                    any(t not in got[fid] for t in need):
                bad.append(f"{sid}: frame {fid} on page {here} shows {got[fid]}, not {need}")
    for fid, texts in got.items():
        if texts and fid not in {f for st in issue.stories.values() for f in st.thread}:
            bad.append(f"frame {fid} outside any thread shows {texts}")
    return bad


# ---------------------------------------------------------------- a load run
def read_logs(paths) -> list[dict]:
    """Every record of these logs (a last line cut by a kill is skipped)."""
    out = []
    for p in paths:
        p = Path(p)
        if not p.exists():
            continue
        for line in p.read_text("utf-8").splitlines():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                pass
    return out


@dataclasses.dataclass
class Verdict:
    """What ``check`` found.  ``lost``: acknowledged changes not in the store;
    ``unreported``: versions in the store no desk was told about;
    ``problems``: one line each for those and every other inconsistency."""
    acked: int = 0
    refused: int = 0
    unknown: int = 0
    lost: int = 0
    unreported: int = 0
    problems: list[str] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


_CHANGED_BY = re.compile(r"was changed by (.+?) \(version (\d+), you started from version (\d+)\)")


def check(initial: dict[UnitKey, UnitDoc], final: dict[UnitKey, UnitDoc], records: list[dict],
          *, killed: set[int] = frozenset()) -> Verdict:
    """Hold desks' logs against the store: ``initial`` as pushed, ``final`` as read at the
    end.  ``killed``: desks that were killed (their last ``begin`` may have no answer; what
    it sent may or may not be in the store, never part of it)."""
    v = Verdict()
    acks: dict[UnitKey, dict[int, tuple[str, str]]] = {}
    maybe: dict[UnitKey, dict[int, str]] = {}      # unit → base → text hash of unknown outcomes
    begun: dict[tuple[int, int], dict] = {}
    answered: set[tuple[int, int]] = set()
    users = {r["desk"]: r["user"] for r in records if r.get("event") == "start"}
    units_of: dict[int, set[str]] = {}
    for r in records:
        if r.get("event") in ("start", "reconnect"):
            units_of.setdefault(r["desk"], set()).update(r.get("units", ()))
    for r in records:
        if r.get("event") == "begin":
            begun[(r["desk"], r["attempt"])] = r
            continue
        out = r.get("outcome")
        if out is None:
            continue
        answered.add((r["desk"], r["attempt"]))
        if out == "ok":
            v.acked += 1
            for k, (base, ver, h) in r["units"].items():
                key = UnitKey.parse(k)
                got = acks.setdefault(key, {})
                if ver in got:
                    v.problems.append(f"{key}: version {ver} acknowledged twice "
                                      f"(desks {got[ver][1]} and {r['desk']})")
                got[ver] = (h, r["desk"])
        elif out == "refused":
            v.refused += 1
        elif out in ("unknown", "error"):
            for k, (base, _, h) in r.get("units", {}).items():
                if h is not None and out == "unknown":
                    maybe.setdefault(UnitKey.parse(k), {})[base] = h
            v.unknown += out == "unknown"
    # a killed desk's last commit: it may or may not have been made
    for (desk, att), r in begun.items():
        if (desk, att) in answered:
            continue
        if desk in killed:
            for k, (base, h) in r["units"].items():
                maybe.setdefault(UnitKey.parse(k), {})[base] = h
            v.unknown += 1
        else:
            v.problems.append(f"desk {desk}: attempt {att} was sent and never answered")
    # every unit: the last acknowledged text is the final one, and every version is accounted for
    for key in sorted(set(initial) | set(final) | set(acks)):
        init, fin = initial.get(key), final.get(key)
        got, unsure = acks.get(key, {}), maybe.get(key, {})
        v0 = init.version if init else 0
        vf = fin.version if fin else 0
        if got:
            top = max(got)
            h, desk = got[top]
            if fin is None or vf < top:
                v.lost += 1
                v.problems.append(f"{key}: version {top} was acknowledged to desk {desk}; the "
                                  f"store has {'nothing' if fin is None else f'version {vf}'}")
            elif vf == top and text_hash(fin.text) != h:
                v.lost += 1
                v.problems.append(f"{key}: version {top} is not the text acknowledged to desk "
                                  f"{desk}")
        elif fin is not None and init is not None and vf == v0 and fin.text != init.text:
            v.problems.append(f"{key}: changed in place though nobody committed it")
        for ver in range(v0 + 1, vf + 1):
            if ver in got:
                continue
            if ver - 1 in unsure and (ver != vf or text_hash(fin.text) == unsure[ver - 1]):
                continue                    # an outcome a desk could not learn (killed, cut off)
            v.unreported += 1
            v.problems.append(f"{key}: version {ver} is in the store but no desk was told "
                              f"it was made")
        if fin is None and init is not None and not got and not unsure:
            v.problems.append(f"{key}: removed though nobody removed it")
    # refusals: each true and named
    for r in records:
        if r.get("outcome") != "refused":
            continue
        msg, kind = r.get("message", ""), r.get("refused")
        key = UnitKey.parse(r["unit"]) if r.get("unit") else None
        if not msg or key is None or key.describe() not in msg:
            v.problems.append(f"desk {r['desk']}: refusal without the unit's name: {msg!r}")
            continue
        if kind == "Conflict":
            mt = _CHANGED_BY.search(msg)
            if not mt:
                continue                                # "already exists", "was removed"
            who, ver = mt.group(1), int(mt.group(2))
            if ver not in acks.get(key, {}) and ver - 1 not in maybe.get(key, {}) \
                    and not (initial.get(key) and initial[key].version == ver):
                v.problems.append(f"desk {r['desk']}: refused for {key} version {ver}, which "
                                  f"no desk made")
            elif ver in acks.get(key, {}):
                maker = users.get(acks[key][ver][1], "")
                if maker and not who.startswith(maker):
                    v.problems.append(f"desk {r['desk']}: refusal names {who} for {key} "
                                      f"version {ver}, made by {maker}")
        elif kind == "HeldElsewhere":
            holder = next((d for d, u in users.items() if f"checked out by {u} " in msg), None)
            if holder is None or holder == r["desk"] or str(key) not in units_of.get(holder, ()):
                v.problems.append(f"desk {r['desk']}: refused for {key} held by no other desk "
                                  f"working on it: {msg}")
    return v


@dataclasses.dataclass
class LoadReport:
    """Figures of one load run (what the tests print and the benchmark reports)."""
    store: str
    desks: int
    seconds: float
    attempts: int
    acked: int
    refused: int
    errors: int
    reconnects: int
    recovered: int
    unknown: int
    lost: int
    unreported: int
    edits_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    cpu_ms_per_attempt: float         # the desks' own work (split, join): what bounds edits/s
    problems: list[str]

    def line(self) -> str:
        return (f"{self.store}: {self.desks} desks, {self.seconds:.0f} s: "
                f"{self.edits_per_s:.1f} edits/s ({self.acked} acknowledged of "
                f"{self.attempts}), commit latency p50 {self.p50_ms:.1f} ms, "
                f"p95 {self.p95_ms:.1f} ms, p99 {self.p99_ms:.1f} ms; desk CPU "
                f"{self.cpu_ms_per_attempt:.0f} ms an attempt; refused {self.refused}, "
                f"store errors {self.errors} (reconnects {self.reconnects}, recovered "
                f"{self.recovered}, unknown {self.unknown}); lost {self.lost}")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    return s[min(len(s) - 1, max(0, int(round(q / 100 * len(s) + 0.5)) - 1))]


def push_issue(address: str, issue: m.Issue) -> dict[UnitKey, UnitDoc]:
    """Put ``issue`` into a new store at ``address``; the units as stored."""
    with open_store(address, Desk.here("push"), create=True) as st:
        IssueSession(st).save(copy.deepcopy(issue))
        return st.read()


def read_all(address: str) -> dict[UnitKey, UnitDoc]:
    with open_store(address, Desk.here("check")) as st:
        return st.read()


def open_final(address: str) -> tuple[m.Issue, list[str]]:
    """The issue as a desk opening it now sees it, and the units it had to leave out."""
    with open_store(address, Desk.here("check")) as st:
        s = IssueSession(st)
        issue = s.open()
        return issue, [str(p) for p in s.problems]


def spawn(address: str, n: int, *, total: int, seconds: float, seed: int, log: Path,
          start_at: float | None = None, extra: list[str] = (), env: dict | None = None
          ) -> subprocess.Popen:
    """One desk process (its stderr goes to LOG.err)."""
    cmd = [sys.executable, "-m", "support.desks", address, "--desk", str(n), "--desks",
           str(total), "--seconds", str(seconds), "--seed", str(seed), "--log", str(log)]
    if start_at is not None:
        cmd += ["--start-at", repr(start_at)]
    err = open(str(log) + ".err", "w")
    try:
        return subprocess.Popen([*cmd, *extra], cwd=str(ROOT), stdout=subprocess.DEVNULL,
                                stderr=err, env={**os.environ, **(env or {})})
    finally:
        err.close()


def run_load(address: str, workdir: str | os.PathLike, *, desks: int = 20,
             seconds: float = 60.0, seed: int = 1, pages: int = 24, name: str = "",
             events: list = (), startup: float | None = None) -> LoadReport:
    """``desks`` desk processes on a fresh ``pages``-page issue at ``address`` for
    ``seconds`` (after a common start, once all have opened the issue); ``events``:
    ``(seconds after the start, callable)`` done meanwhile (a server restart).  Checks the
    logs against the store and returns the figures; ``LoadReport.problems`` lists what
    ``check`` found."""
    from .bigissue import big_issue
    work = Path(workdir)
    work.mkdir(parents=True, exist_ok=True)
    initial = push_issue(address, big_issue(pages))
    startup = 3.0 + 0.5 * desks if startup is None else startup
    start_at = time.time() + startup
    logs = [work / f"desk{n:02d}.jsonl" for n in range(desks)]
    procs = [spawn(address, n, total=desks, seconds=seconds, seed=seed, log=logs[n],
                   start_at=start_at) for n in range(desks)]
    problems = []
    pending = sorted(events, key=lambda e: e[0])
    limit = start_at + seconds + 120
    try:
        while any(p.poll() is None for p in procs):
            now = time.time()
            while pending and now >= start_at + pending[0][0]:
                pending.pop(0)[1]()
            if now > limit:
                problems.append("desks still running two minutes after their time: killed")
                break
            time.sleep(0.1)
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
            p.wait()
    for n, p in enumerate(procs):
        if p.returncode != 0:
            tail = Path(str(logs[n]) + ".err").read_text("utf-8", "replace").strip()
            problems.append(f"desk {n} exited with {p.returncode}: {tail[-600:]}")
    records = read_logs(logs)
    final = read_all(address)
    verdict = check(initial, final, records)
    problems += [f"the issue at the end: {p}" for p in open_final(address)[1]]
    problems += [f"desk {r['desk']}: {r['event']}: {r['error']}" for r in records
                 if r.get("event") in ("problem", "failed", "gave-up")]
    ends = [r for r in records if r.get("event") == "end"]
    starts = [r["t"] for r in records if r.get("event") == "start"]
    t0 = min(starts) if starts else start_at
    t1 = max((r["t"] for r in ends), default=start_at + seconds)
    lat = [r["latency"] * 1000 for r in records
           if r.get("outcome") == "ok" and r.get("latency") is not None]
    return LoadReport(
        store=name or address, desks=desks, seconds=t1 - t0,
        attempts=sum(r["attempts"] for r in ends), acked=verdict.acked,
        refused=verdict.refused, errors=sum(r["error"] for r in ends),
        reconnects=sum(r["reconnects"] for r in ends),
        recovered=sum(r["recovered"] for r in ends), unknown=verdict.unknown,
        lost=verdict.lost, unreported=verdict.unreported,
        edits_per_s=verdict.acked / max(1e-9, t1 - t0),
        p50_ms=percentile(lat, 50), p95_ms=percentile(lat, 95), p99_ms=percentile(lat, 99),
        cpu_ms_per_attempt=1000 * sum(r.get("cpu_s", 0) for r in ends)
        / max(1, sum(r["attempts"] for r in ends)),
        problems=problems + verdict.problems)


# ---------------------------------------------------------------- the command
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m support.desks", description=__doc__.split("\n")[0])
    ap.add_argument("address", help="an issue folder or postgresql://USER@HOST/DB#ISSUE")
    ap.add_argument("--desk", type=int, required=True, help="this desk's number (0…)")
    ap.add_argument("--desks", type=int, default=20, help="how many desks share the issue")
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--log", required=True, help="JSON lines, appended")
    ap.add_argument("--units", default="", help="work on these units only (page:p1,story:lead)")
    ap.add_argument("--transfer", default="", help="first move frame FRAME to page PAGE (FRAME:PAGE)")
    ap.add_argument("--start-at", type=float, default=None, help="begin at this time (epoch s)")
    ap.add_argument("--checkout", type=float, default=0.5, help="chance of checking a unit out")
    ap.add_argument("--pause", type=float, default=0.0, help="mean pause between edits (s)")
    ap.add_argument("--stop-at", default="", help="stop inside a commit at STEP[:N] (tests)")
    a = ap.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(3))
    units = [UnitKey.parse(u) for u in a.units.split(",")] if a.units else None
    transfer = tuple(a.transfer.split(":", 1)) if a.transfer else None
    log = Log(a.log)
    if a.stop_at:
        stop_inside_commit(a.address, a.stop_at, log, a.desk)
    desk = SimDesk(lambda d: open_store(a.address, d), a.desk, total=a.desks, seed=a.seed,
                   log=log, units=units, transfer=transfer, checkout=a.checkout, pause=a.pause)
    try:
        desk.run(a.seconds, a.start_at)
    except Exception as exc:                               # noqa: BLE001 — one line, logged
        log.write({"desk": a.desk, "event": "failed", "error": _name(exc)})
        print(f"desk {a.desk}: {_name(exc)}", file=sys.stderr)
        return 1
    finally:
        log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
