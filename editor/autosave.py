"""Autosave to a recovery file: a few seconds after the last change, every minute and
after every 20 commands — at the first half-second pause once they are done, so that
writing the copy (a YAML dump of the issue: up to a few hundred ms) never stalls typing.

The recovery file sits beside the issue as ``.<name>.banmian-recovery.yaml``
(untitled documents keep theirs under the cache folder), is written
atomically, and is removed on a clean save or close.  Opening an issue with a
newer recovery file offers to recover it, saying when the copy was written and
what it holds (``describe_recovery``).
"""
from __future__ import annotations

import os
import time
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from layout.docfile import atomic_write, dump_issue

SUFFIX = ".banmian-recovery.yaml"


def describe_recovery(rec: str | Path, original: str | Path | None = None) -> str:
    """When a recovery copy was written and what it holds: pages, stories, and which stories
    differ from the saved file (``original``; found beside ``rec`` when not given)."""
    from datetime import datetime

    from layout.docfile import DocumentError, load_issue

    from .i18n import tr
    rec = Path(rec)
    try:
        when = rec.stat().st_mtime
        issue = load_issue(rec)
    except (OSError, DocumentError) as exc:
        return str(exc)
    age = max(0, int(time.time() - when))
    stamp = datetime.fromtimestamp(when).strftime("%Y-%m-%d %H:%M:%S")
    ago = tr("recover.seconds", n=age) if age < 120 else tr("recover.minutes", n=age // 60)
    lines = [tr("recover.when", when=stamp, ago=ago),
             tr("recover.holds", pages=len(issue.pages), stories=len(issue.stories))]
    if original is None and rec.name.startswith(".") and rec.name.endswith(SUFFIX):
        stem = rec.name[1:-len(SUFFIX)]
        original = next((rec.with_name(stem + ext) for ext in (".yaml", ".yml")
                         if rec.with_name(stem + ext).exists()), None)
    if original is not None:
        try:
            saved = load_issue(original)
        except DocumentError:
            saved = None
        if saved is not None:
            changed = [st.name or sid for sid, st in issue.stories.items()
                       if saved.stories.get(sid) != st]
            gone = [sid for sid in saved.stories if sid not in issue.stories]
            if changed or gone:
                lines.append(tr("recover.changed", names="、".join(changed + gone)))
            if [p for p in issue.pages] != [p for p in saved.pages]:
                lines.append(tr("recover.pages_changed"))
            if not (changed or gone) and issue == saved:
                lines.append(tr("recover.same"))
    return "\n".join(lines)


def recovery_path(path: str | None, cache: str, token: str = "") -> Path:
    """Where the recovery file of a document goes."""
    if path:
        p = Path(path)
        return p.with_name(f".{p.stem}{SUFFIX}")
    return Path(cache) / "recovery" / f"untitled-{token or os.getpid()}{SUFFIX}"


def newer_recovery(path: str) -> Path | None:
    """The recovery file of an issue when it exists and is newer than the issue."""
    rec = recovery_path(path, "")
    try:
        if rec.exists() and rec.stat().st_mtime_ns > Path(path).stat().st_mtime_ns:
            return rec
    except OSError:
        return None
    return None


def save_timers(owner: QObject, interval_ms: int, quiet_ms: int) -> tuple[QTimer, QTimer]:
    """An autosaver's two timers, both calling ``owner.save_now``: every ``interval_ms``
    (running), and once ``quiet_ms`` after the last change (the owner starts it on each
    change: the copy is written when typing stops for a moment)."""
    timer = QTimer(owner)
    timer.setInterval(interval_ms)
    timer.timeout.connect(owner.save_now)
    timer.start()
    quiet = QTimer(owner)
    quiet.setSingleShot(True)
    quiet.setInterval(max(quiet_ms, 0))
    quiet.timeout.connect(owner.save_now)
    return timer, quiet


class Autosaver(QObject):
    """Writes the document's recovery file on a timer and every ``every`` commands."""

    saved = Signal(str)

    def __init__(self, doc, cache: str, interval_ms: int = 60_000, every: int = 20, parent=None,
                 quiet_ms: int = 3_000):
        super().__init__(parent)
        self.doc, self.cache, self.every = doc, cache, every
        self.token = f"{os.getpid()}-{int(time.time() * 1000)}"
        self._count = 0
        self._written = -1            # undo index last written
        self.timer, self.quiet = save_timers(self, interval_ms, quiet_ms)
        #: after ``every`` commands: written at the first pause this long
        self.pause = QTimer(self)
        self.pause.setSingleShot(True)
        self.pause.setInterval(min(500, quiet_ms) if quiet_ms > 0 else 500)
        self.pause.timeout.connect(self.save_now)
        self._live = True
        doc.undo.indexChanged.connect(self._command)
        doc.undo.cleanChanged.connect(self._clean)
        doc.destroyed.connect(self._gone)          # before its undo stack is torn down

    def _gone(self, *_args) -> None:
        self._live = False
        self.timer.stop()
        self.quiet.stop()
        self.pause.stop()

    @property
    def path(self) -> Path:
        """The recovery file."""
        return recovery_path(self.doc.path, self.cache, self.token)

    def _command(self, _index: int) -> None:
        if not self._live:
            return
        self._count += 1
        if self._count >= self.every:
            self.pause.start()                 # restarted by every change: written at a pause
        if self.quiet.interval() > 0:
            self.quiet.start()                 # restarted by every change

    def _clean(self, clean: bool) -> None:
        if self._live and clean and not self.doc.is_modified():
            self.discard()

    def save_now(self) -> bool:
        """Write the recovery file if there are unsaved changes not yet written."""
        self._count = 0
        self.pause.stop()
        if not self._live or not self.doc.is_modified() or self._written == self.doc.undo.index() \
                and self.path.exists():
            return False
        p = self.path
        p.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(p, dump_issue(self.doc.issue).encode("utf-8"))
        self._written = self.doc.undo.index()
        self.saved.emit(str(p))
        return True

    def discard(self) -> None:
        """Remove the recovery file (after a save, or closing without keeping changes)."""
        self._written = -1
        for p in {self.path, recovery_path(None, self.cache, self.token)}:
            try:
                p.unlink()
            except OSError:
                pass

    def stop(self) -> None:
        """Stop the timer and stop listening (the document is closing)."""
        self._live = False
        self.timer.stop()
        self.quiet.stop()
        self.pause.stop()
