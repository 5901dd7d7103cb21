"""A small pool of `python -m fonts.worker` processes fed through pipes (never re-imports __main__)."""
from __future__ import annotations

import os
import pickle
import queue
import subprocess
import sys
import threading
from collections import deque
from pathlib import Path

PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent)


class WorkerProcess:
    """One worker process converting glyph chunks sent to it one at a time."""

    def __init__(self):
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (PACKAGE_PARENT, env.get("PYTHONPATH", "")) if p)
        self.proc = subprocess.Popen([sys.executable, "-m", "fonts.worker"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, env=env, cwd=PACKAGE_PARENT)
        status, _ = pickle.load(self.proc.stdout)      # EOFError if it could not start
        if status != "ready":
            raise RuntimeError("font worker did not start")

    def run(self, args):
        """Convert one chunk; RuntimeError with the worker's message on failure."""
        pickle.dump(args, self.proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        self.proc.stdin.flush()
        status, payload = pickle.load(self.proc.stdout)
        if status != "ok":
            raise RuntimeError(payload)
        return payload

    def close(self) -> None:
        """Let the worker exit (end of input), killing it if it does not."""
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()


def start_workers(n: int) -> list[WorkerProcess]:
    """Up to n started workers (fewer, or none, if starting them fails)."""
    out = []
    for _ in range(n):
        try:
            out.append(WorkerProcess())
        except (OSError, EOFError, RuntimeError, pickle.UnpicklingError):
            break
    return out


def run_parallel(workers: list[WorkerProcess], items: list[tuple]):
    """Yield (item, result) as chunks finish, or (item, exception); items are (tag, args) pairs.

    Driver threads only move pickles; the caller's thread gets every result, so progress
    callbacks and file writes happen on the thread that asked for the conversion.
    """
    todo = deque(items)
    results: queue.Queue = queue.Queue()
    stop = threading.Event()

    def drive(worker):
        while not stop.is_set():
            try:
                item = todo.popleft()
            except IndexError:
                return
            try:
                results.put((item, worker.run(item[1])))
            except Exception as e:
                results.put((item, e))
                return

    threads = [threading.Thread(target=drive, args=(w,), daemon=True) for w in workers]
    for t in threads:
        t.start()
    try:
        for _ in range(len(items)):
            yield results.get()
    finally:
        stop.set()
        for w in workers:
            w.close()
        for t in threads:
            t.join(timeout=5)
