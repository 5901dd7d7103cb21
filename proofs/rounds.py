"""Proof rounds (校次): each proof export records the model and a summary of its layout.

A round is kept as ``.banmian/rounds/<issue name>/<N>.yaml`` beside the issue:
who exported it and when, the issue's model as it was (the YAML document, so
the round can be composed again), and a summary of the composed result (frame
rectangles, photos and their image hashes, overset).  Everything goes through
``RoundStore`` so that the storage can move to another per-unit store later.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import re
from dataclasses import field
from datetime import datetime
from pathlib import Path

from common.fs import atomic_write
from common.prebuilt import prebuilt_dataclass
from common.user import getuser
from layout import model as m

from . import layoutview as LV
from . import _methods as _dataclass_methods

# @dataclass, with the methods dataclasses would write generated ahead of time into
# proofs/_methods.py (see common/prebuilt.py)
dataclass = prebuilt_dataclass(_dataclass_methods)

# the YAML library and the issue loader are imported where a round is read or a model
# written out: a proof export records its round without them (15–20 ms of its start)

FORMAT = 1


class RoundError(Exception):
    """A round that does not exist or cannot be read (one line, names the file)."""


@dataclass
class Round:
    """One recorded proof round: its number, who and when, the model and the layout summary."""
    number: int
    time: str = ""
    user: str = ""
    host: str = ""
    pdf: str = ""
    model_text: str = ""
    summary: dict = field(default_factory=dict)
    path: str = ""

    def issue(self) -> m.Issue:
        """The issue's model as it was exported in this round."""
        from layout.docfile import DocumentError, parse_issue
        try:
            return parse_issue(self.model_text, f"{self.path} (校次 {self.number})")
        except DocumentError as exc:
            raise RoundError(str(exc)) from None


def _sha1(path: str) -> str:
    try:
        with open(path, "rb") as f:
            return hashlib.sha1(f.read()).hexdigest()
    except OSError:
        return ""


class _ImageDigests:
    """The SHA-1 of image files, kept in the cache folder by each file's path, size and
    time: a proof round names its photos' files by digest without reading them again
    while they are unchanged."""

    LIMIT = 2000                            # entries kept (then the older half goes)

    def __init__(self):
        from common.fs import cache_dir
        from common.jsoncache import JsonCache
        self.cache = JsonCache(cache_dir("image-sha1.json"), self.LIMIT)

    def get(self, path: str) -> str:
        try:
            st = os.stat(path)
        except OSError:
            return ""
        key = f"{os.path.abspath(path)}\0{st.st_size}\0{st.st_mtime_ns}"
        got = self.cache.get(key)
        if isinstance(got, str) and len(got) == 40:
            return got
        got = _sha1(path)
        if got:
            self.cache.put(key, got)
        return got

    def save(self) -> None:
        try:
            self.cache.save()
        except OSError:
            pass


def summarize(issue: m.Issue, result) -> dict:
    """What a round keeps of the composed result: frames, photos, overset (plain data)."""
    return _summarize(issue, result)[0]


class _PageSummaries:
    """What a round keeps of each page composed through the layout cache (its frames, the
    images its photo frames draw, and those frames as a round file writes them), kept in
    the cache folder by the page as composed (``PageResult.composed_from``, its number and
    its frames): a round after an edit looks again only at the pages the edit changed."""

    LIMIT = 200                             # pages kept (then the half used longest ago goes)
    FORMAT = 1

    def __init__(self):
        from common.fs import cache_dir
        self.file = cache_dir("proofs", "page-summaries.marshal")
        self.held: dict | None = None
        self.dirty = False

    def _load(self) -> dict:
        if self.held is None:
            import marshal

            from common.fs import cache_read_checked
            self.held = {}
            try:
                got = marshal.loads(cache_read_checked(self.file))
                if type(got) is tuple and len(got) == 2 and got[0] == self.FORMAT and \
                        type(got[1]) is dict:
                    self.held = got[1]
            except (TypeError, ValueError, EOFError):
                pass
        return self.held

    @staticmethod
    def key(page):
        return (page.composed_from, page.number, tuple(fr.frame_id for fr in page.frames))

    def get(self, page):
        """(frames, images, frames written as YAML) kept for ``page``, or None."""
        if not getattr(page, "composed_from", ""):
            return None
        held = self._load()
        key = self.key(page)
        got = held.pop(key, None)
        if type(got) is tuple and len(got) == 3 and type(got[0]) is dict and \
                type(got[1]) is dict and type(got[2]) is str:
            held[key] = got                 # now the one used last (kept longest)
            return got
        return None

    def put(self, page, value) -> None:
        if not getattr(page, "composed_from", ""):
            return
        held = self._load()
        key = self.key(page)
        if key not in held and len(held) >= self.LIMIT:
            for k in list(held)[:self.LIMIT // 2]:
                del held[k]
        held[key] = value
        self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        import marshal

        from common.fs import cache_write_checked
        try:
            cache_write_checked(self.file, marshal.dumps((self.FORMAT, self.held)))
        except (OSError, ValueError):
            pass
        self.dirty = False


class _Yaml(str):
    """Text ``flow_yaml`` made before, written as it is (``_summarize``)."""


def _page_summary(page) -> tuple:
    """(frames, images drawn by frame, the frames as ``flow_yaml`` writes them) of a page."""
    one = _OnePage(page)
    frames: dict = {}
    for fv in LV.frames(one):
        frames[fv.id] = {"kind": fv.kind, "rect": [round(v, 2) for v in fv.rect],
                         "story": fv.story}
    return frames, LV.frame_images(one), flow_yaml(frames)


class _OnePage:
    """A result of one page, as ``layoutview`` reads it."""

    def __init__(self, page):
        self.pages = (page,)


def _summarize(issue: m.Issue, result) -> tuple[dict, dict]:
    """(``summarize``, the summary with each page's frames as ``flow_yaml`` writes them,
    for ``flow_yaml`` of it): pages kept from a round before (``_PageSummaries``) are
    not looked at again."""
    pages, written = {}, {}
    images: dict = {}
    known_pages = _PageSummaries()
    for page in result.pages:
        got = known_pages.get(page)
        if got is None:
            got = _page_summary(page)
            known_pages.put(page, got)
        frames, placed, text = got
        images.update(placed)
        if not frames:                      # (a page without frames is not named)
            continue
        if page.number in pages:            # (a number twice: one page, frame by frame)
            pages[page.number] = {**pages[page.number], **frames}
            written[page.number] = flow_yaml(pages[page.number])
        else:
            pages[page.number] = frames
            written[page.number] = _Yaml(text)
    known_pages.save()
    photos = {}
    sums: dict[str, str] = {}            # an image file placed in many frames is read once
    known = None
    for _page, fr in issue.frames():
        if isinstance(fr, m.PhotoFrame):
            path = images.get(fr.id, "")
            if path and path not in sums:
                if known is None:
                    known = _ImageDigests()
                sums[path] = known.get(path)
            photos[fr.id] = {"image": fr.image, "sha1": sums[path] if path else "",
                             "fit": fr.fit, "crop": [float(c) for c in fr.crop]}
    if known is not None:
        known.save()
    overset = {sid: list(v) for sid, v in LV.copyfit(result).items()}
    return ({"pages": pages, "photos": photos, "overset": overset},
            {"pages": written, "photos": photos, "overset": overset})


class RoundStore:
    """The recorded rounds of one issue file."""

    def __init__(self, issue_path: str | os.PathLike):
        p = Path(issue_path).resolve()
        self.issue_path = p
        self.dir = p.parent / ".banmian" / "rounds" / p.stem

    def numbers(self) -> list[int]:
        """The recorded round numbers, ascending."""
        if not self.dir.is_dir():
            return []
        return sorted(int(f.stem) for f in self.dir.glob("*.yaml") if f.stem.isdigit())

    def latest(self) -> int:
        """The last recorded round (0: none yet)."""
        nums = self.numbers()
        return nums[-1] if nums else 0

    def next_number(self, issue: m.Issue | None = None, text: str | None = None) -> int:
        """The number the next proof export gets: one past the last, at least the issue's 校次.

        An issue unchanged since the last round is that round again (exporting the
        same proof twice is not a new 校次).  ``text``: the issue file's text the
        issue was read from; when the last round recorded a file's text, a file whose
        text is not that text is a new round (the model is not written out to compare).
        """
        floor = int(issue.info.version or 1) if issue is not None else 1
        last = self.latest()
        if issue is not None and last >= floor:
            recorded, from_file = self._head(last)
            if text is not None and _digest(text) == recorded:
                return last
            if recorded and not (text is not None and from_file):
                from layout.docfile import dump_issue
                mine = _digest(dump_issue(issue))
                if recorded == mine:
                    return last
                if from_file and self._model_digest(last) == mine:
                    return last      # a file's text as recorded, the same model written out
        return max(last + 1, floor)

    def _model_digest(self, number: int) -> str:
        """The digest of a round's model written out (as ``dump_issue`` writes it)."""
        from layout.docfile import dump_issue
        try:
            return _digest(dump_issue(self.load(number).issue()))
        except RoundError:
            return ""

    def _digest(self, number: int) -> str:
        """The model digest recorded with a round ("" when it has none), read from its head."""
        return self._head(number)[0]

    def _head(self, number: int) -> tuple[str, bool]:
        """(the model digest recorded with a round or "", whether its model is a file's text)."""
        try:
            with open(self._file(number), encoding="utf-8") as fh:
                head = fh.read(4096)
        except (OSError, UnicodeDecodeError):
            return "", False
        found = re.search(r"^digest: ([0-9a-f]{40})$", head, re.M)
        return (found.group(1) if found else "",
                re.search(r"^source: file$", head, re.M) is not None)

    def _file(self, number: int) -> Path:
        return self.dir / f"{int(number)}.yaml"

    def record(self, issue: m.Issue, result, number: int | None = None, pdf: str = "",
               when: datetime | None = None, user: str | None = None,
               model_text: str | None = None) -> Round:
        """Record a proof export as round ``number`` (default: the next one); return it.

        ``model_text``: the text of the issue file ``issue`` was read from, recorded
        as the model (default: the model written out)."""
        n = int(number) if number else self.next_number(issue, model_text)
        if n < 1:
            raise RoundError(f"校次 {n}: rounds count from 1")
        when = when or datetime.now().astimezone()
        model = model_text
        if model is None:
            from layout.docfile import dump_issue
            model = dump_issue(issue)
        summary, written = _summarize(issue, result)
        rnd = Round(number=n, time=when.isoformat(timespec="seconds"),
                    user=user if user is not None else _user(), host=_host(),
                    pdf=str(pdf), model_text=model, summary=summary,
                    path=str(self._file(n)))
        digest = _digest(rnd.model_text)
        data = {"time": rnd.time, "user": rnd.user,
                "host": rnd.host, "issue": self.issue_path.name, "pdf": rnd.pdf,
                "summary": written, "model": rnd.model_text}
        self.dir.mkdir(parents=True, exist_ok=True)
        # one "key: value" line each, the values in flow style (strings in double quotes);
        # the digest and the source unquoted, as ``_head`` finds them in the file's head
        lines = [f"banmian-round: {FORMAT}", f"round: {n}",
                 f"digest: {digest if not digest.isdigit() else flow_yaml(digest)}"]
        if model_text is not None:
            lines.append("source: file")
        lines += [f"{k}: {flow_yaml(v)}" for k, v in data.items()]
        # whole or not at all, but not fsynced, as the proof PDF it records is not: both
        # are made again by exporting the issue (which is), and the syncs cost an export
        # 10–20 ms on this machine
        atomic_write(self._file(n), ("\n".join(lines) + "\n").encode("utf-8"), sync=False)
        return rnd

    def load(self, number: int) -> Round:
        """Round ``number`` as recorded (RoundError when there is none or it is unreadable)."""
        f = self._file(number)
        if not f.is_file():
            have = ", ".join(map(str, self.numbers())) or "none"
            raise RoundError(f"{self.issue_path.name}: no 校次 {number} recorded "
                             f"(recorded: {have}; a proof export records one)")
        import yaml
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        try:
            data = yaml.load(f.read_text(encoding="utf-8"), Loader=loader)
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise RoundError(f"{f}: cannot read the round: {str(exc).splitlines()[0]}") from None
        if not isinstance(data, dict) or not isinstance(data.get("model"), str):
            raise RoundError(f"{f}: not a recorded proof round")
        return Round(number=int(data.get("round", number)), time=str(data.get("time", "")),
                     user=str(data.get("user", "")), host=str(data.get("host", "")),
                     pdf=str(data.get("pdf", "")), model_text=data["model"],
                     summary=data.get("summary") or {}, path=str(f))


def _json_like(value) -> bool:
    """Only dicts with string keys, lists, strings, ints, booleans, None and finite floats
    that Python writes without an exponent (``repr`` does from 1e16 up and below 1e-4)."""
    todo = [value]
    while todo:
        v = todo.pop()
        t = type(v)
        if t is dict:
            if not all(type(k) is str for k in v):
                return False
            todo.extend(v.values())
        elif t is list or t is tuple:
            todo.extend(v)
        elif t is float:
            if v and not 1e-4 <= abs(v) < 1e16:         # also NaN and the infinities
                return False
        elif not (t is str or t is int or t is bool or v is None):
            return False
    return True


def flow_yaml(value) -> str:
    """Plain data (dicts, lists, strings, numbers, None, booleans) as one line of YAML
    flow style that loads back equal (strings in JSON's quoting, which YAML reads)."""
    t = type(value)
    if t is _Yaml:                          # written before (``_summarize``)
        return str.__str__(value)
    if (t is dict or t is list) and _json_like(value):
        # JSON is YAML flow style, but for numbers with an exponent (YAML 1.1 reads 1e+16
        # as a string: those go the long way) and characters YAML cannot hold unescaped
        text = json.dumps(value, ensure_ascii=False)
        return text if _plain(text) else _NOT_PLAIN.sub(_escaped, text)
    if t is dict:
        return "{" + ", ".join(f"{flow_yaml(k)}: {flow_yaml(v)}" for k, v in value.items()) + "}"
    if t is list or t is tuple:
        return "[" + ", ".join(flow_yaml(v) for v in value) + "]"
    if t is str:
        text = json.dumps(value, ensure_ascii=False)
        return text if _plain(text) else _NOT_PLAIN.sub(_escaped, text)
    if value is None:
        return "null"
    if t is bool:
        return "true" if value else "false"
    if t is int:
        return str(value)
    if t is float:
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        text = repr(value)
        if "e" in text:          # YAML 1.1 reads 1e+16 as a string: its digits written out
            from decimal import Decimal
            text = format(Decimal(text), "f")
            text = text if "." in text else text + ".0"
        return text
    raise TypeError(f"flow_yaml: cannot write a {t.__name__}")


# characters JSON leaves as they are that a YAML double-quoted string cannot hold as they
# are: line breaks of YAML 1.1 (NEL, LS, PS: they would be folded), characters outside its
# printable set, and lone surrogates
_NOT_PLAIN = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")


def _plain(text: str) -> bool:
    """Whether ``text`` has none of the characters ``_NOT_PLAIN`` finds.  Each of them is
    one Python does not print, so text it prints all of (taking the ideographic space,
    U+3000, which Chinese text is full of, for a space) has none: told at C speed, the
    expression searched only where that is not so (a model's text: 0.1 ms, not 0.5–0.8)."""
    return text.isprintable() or text.replace("\u3000", " ").isprintable() or \
        _NOT_PLAIN.search(text) is None


def _escaped(match) -> str:
    return "\\u%04x" % ord(match.group(0))


#: the digest of a model text worked out (or told, ``known_digest``) last: (text, digest)
_LAST_DIGEST: list = [None, ""]


def known_digest(text: str, digest: str) -> None:
    """Tell ``_digest`` the digest of ``text`` (the SHA-1 of its UTF-8), worked out by
    whoever read it (the command line: the issue file's bytes, hashed as it was read)."""
    _LAST_DIGEST[:] = [text, digest]


def _digest(model_text: str) -> str:
    """The SHA-1 of ``model_text``'s UTF-8 (once for the same text object: an export asks
    for it to number its round and again to record it)."""
    if _LAST_DIGEST[0] is model_text:
        return _LAST_DIGEST[1]
    d = hashlib.sha1(model_text.encode("utf-8")).hexdigest()
    _LAST_DIGEST[:] = [model_text, d]
    return d


def _host() -> str:
    """The machine's name (what socket.gethostname gives, without loading sockets)."""
    try:
        return os.uname().nodename
    except AttributeError:                  # no uname (Windows)
        import socket
        return socket.gethostname()


def _user() -> str:
    try:
        return getuser()
    except (KeyError, OSError):
        return ""
