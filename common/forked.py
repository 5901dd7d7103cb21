"""Work split over forked worker processes.

A whole-issue compose spends nine tenths of its time on story passes, and the stories of
an issue are set independently of one another (a story's frames, their pages' photo
wraps and its jump lines are all in the model).  On a machine with more than one core a
command-line export can therefore share the work with child processes made with
``fork``: each child inherits the loaded engine, fonts and model, takes parts of the
work from a ``Queue`` as the parent does, sends back plain bytes through a pipe and
leaves with ``os._exit``.  Nothing here knows what the work is; the caller turns a
child's parts into bytes and reads the bytes back.

Forking is refused (``can_fork``) where it is unsafe: anywhere but Linux, and in a
process that runs more than one thread or has loaded Qt (the editor: its threads'
locks would be copied held).  A child that fails, crashes or is killed sends nothing
usable, and its caller does the parts that child took itself.
"""
from __future__ import annotations

import os
import sys

#: the environment variable that sets the number of processes (1: no forking)
WORKERS_ENV = "BANMIAN_WORKERS"
MAX_WORKERS = 4


def default_workers() -> int:
    """The processes a command-line compose may use: ``BANMIAN_WORKERS`` when set to a
    whole number, else the cores this process may run on (at most ``MAX_WORKERS``)."""
    text = os.environ.get(WORKERS_ENV, "").strip()
    if text:
        try:
            return max(1, min(int(text), 64))
        except ValueError:
            pass
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


def can_fork() -> bool:
    """Whether this process may fork workers: Linux, one thread, and no Qt loaded."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    import threading
    if threading.active_count() != 1:
        return False
    return not any(name in sys.modules for name in ("PySide6.QtCore", "PyQt5.QtCore",
                                                     "PyQt6.QtCore"))


class Queue:
    """The numbers 0 … n-1 handed out once each, in order, to whichever process asks
    first: a pipe filled before the fork, read four bytes a number by every process
    (a pipe's reads are atomic, and its pages hold whole numbers).  ``taken`` yields
    the numbers this process gets until none is left."""

    MAX = 16_000                # numbers that fit a pipe's 64 KB without blocking

    def __init__(self, n: int):
        if n > self.MAX:
            raise ValueError(f"{n} items: at most {self.MAX}")
        self._r, w = os.pipe()
        try:
            data = b"".join(i.to_bytes(4, "little") for i in range(n))
            view = memoryview(data)
            while view:
                view = view[os.write(w, view):]
        finally:
            os.close(w)                         # (no writer left: empty reads as the end)

    def taken(self):
        """The numbers this process takes, one at a time, until the queue is empty."""
        while True:
            got = os.read(self._r, 4)
            if len(got) != 4:
                return
            yield int.from_bytes(got, "little")

    def close(self) -> None:
        if self._r >= 0:
            os.close(self._r)
            self._r = -1


class Forked:
    """``count`` child processes, each running ``work()`` (taking its work from a
    ``Queue`` made before them) and sending back the bytes it returns.  ``results``
    waits for them; ``close`` ends any still running and closes ``queue`` (call it in a
    ``finally``)."""

    def __init__(self, count: int, work, queue: Queue | None = None):
        self.queue = queue
        self._children: list[tuple[int, int]] = []       # (pid, read end of its pipe)
        try:
            for _ in range(count):
                r, w = os.pipe()
                pid = os.fork()
                if pid == 0:                              # the child
                    os.close(r)
                    _child(w, work)                       # (does not return)
                os.close(w)
                self._children.append((pid, r))
        except BaseException:
            self.close()
            raise

    def results(self) -> list[bytes | None]:
        """The bytes each child sent, in order; None where a child failed."""
        out = []
        for pid, r in self._children:
            chunks = []
            try:
                while True:
                    chunk = os.read(r, 1 << 20)
                    if not chunk:
                        break
                    chunks.append(chunk)
            except OSError:
                chunks = None
            finally:
                os.close(r)
            status = _reap(pid)
            out.append(b"".join(chunks) if chunks is not None and status == 0 else None)
        self._children = []
        return out

    def close(self) -> None:
        """End and reap the children not read yet (an error in the caller's own share),
        and close the queue."""
        import signal
        for pid, r in self._children:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
            os.close(r)
            _reap(pid)
        self._children = []
        if self.queue is not None:
            self.queue.close()


def _child(w: int, work) -> None:
    """A child's whole life: do ``work()``, write its bytes, leave without running the
    parent's exit handlers or flushing its buffers (status 1 on any failure)."""
    code = 1
    try:
        view = memoryview(work())
        while view:
            view = view[os.write(w, view):]
        code = 0
    except BaseException:                                 # noqa: BLE001 - the parent redoes it
        pass
    finally:
        os._exit(code)


def _reap(pid: int) -> int | None:
    """Wait for child ``pid``; its exit status (None when it was killed by a signal or
    was already gone)."""
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return None
    return os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else None
