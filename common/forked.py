"""Work split over forked worker processes.

A whole-issue compose spends nine tenths of its time on story passes, and the stories of
an issue are set independently of one another (a story's frames, their pages' photo
wraps and its jump lines are all in the model).  On a machine with more than one core a
command-line export can therefore hand groups of stories to child processes made with
``fork``: each child inherits the loaded engine, fonts and model, does its share, sends
back plain bytes through a pipe and leaves with ``os._exit``.  Nothing here knows what
the work is; the caller turns its share into bytes and reads the bytes back.

Forking is refused (``can_fork``) where it is unsafe: anywhere but Linux, and in a
process that runs more than one thread or has loaded Qt (the editor: its threads'
locks would be copied held).  A child that fails, crashes or is killed sends nothing
usable, and its caller does that share itself.
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


def split(items: list, cost, shares: list[float]) -> list[list]:
    """``items`` in one group per share, each group's ``cost(item)`` in proportion to its
    share (the costliest item first, each to the group it leaves least loaded for its
    share); each group keeps the items' order.  Groups may be empty when there are fewer
    items than groups."""
    loads = [0.0] * len(shares)
    member: dict[int, int] = {}
    for i in sorted(range(len(items)), key=lambda i: -cost(items[i])):
        c = cost(items[i])
        g = min(range(len(shares)), key=lambda g: (loads[g] + c) / shares[g])
        loads[g] += c
        member[i] = g
    groups: list[list] = [[] for _ in shares]
    for i, item in enumerate(items):
        groups[member[i]].append(item)
    return groups


class Forked:
    """One child process per group, each running ``work(group)`` and sending back the
    bytes it returns.  ``results`` waits for them; ``close`` ends any still running
    (call it in a ``finally``)."""

    def __init__(self, groups: list[list], work):
        self.groups = groups
        self._children: list[tuple[int, int]] = []       # (pid, read end of its pipe)
        for group in groups:
            r, w = os.pipe()
            pid = os.fork()
            if pid == 0:                                  # the child
                os.close(r)
                _child(w, group, work)                    # (does not return)
            os.close(w)
            self._children.append((pid, r))

    def results(self) -> list[tuple[list, bytes | None]]:
        """(group, the bytes its child sent) per group, in order; None where the child
        failed."""
        out = []
        for group, (pid, r) in zip(self.groups, self._children):
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
            ok = chunks is not None and status == 0
            out.append((group, b"".join(chunks) if ok else None))
        self._children = []
        return out

    def close(self) -> None:
        """End and reap the children not read yet (an error in the caller's own share)."""
        import signal
        for pid, r in self._children:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
            os.close(r)
            _reap(pid)
        self._children = []


def _child(w: int, group: list, work) -> None:
    """A child's whole life: do ``work(group)``, write its bytes, leave without running
    the parent's exit handlers or flushing its buffers (status 1 on any failure)."""
    code = 1
    try:
        view = memoryview(work(group))
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
