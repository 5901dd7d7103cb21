#!/usr/bin/env python3
"""Editor speed, offscreen: open to first paint, typing latency, frame dragging.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_editor.py [--square] [--zoom PCT] [--json]

Prints figures; asserts nothing.  ``--json`` prints one JSON object instead:
{"typing_p50_ms", "typing_p95_ms", "typing_max_ms", "first_paint_ms"}.  Uses the sample issue
(resources/samples/front-page/issue.yaml) with the real fonts, or a stand-in
page built here when the sample is missing; ``--square`` uses the square test
fonts instead (no font files: layout and editing cost without glyph drawing).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import statistics
import tempfile
import time
from pathlib import Path

from support.paths import SAMPLE, SEED, TEMPLATES

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def standin(path: Path) -> str:
    """A full 对开 page: a lead story in 3 columns, four others, a photo."""
    from layout import model as m
    from layout.docfile import load_issue, save_issue
    iss = load_issue(TEMPLATES / "duikai.yaml")
    text = SEED.read_text("utf-8") if SEED.exists() else "本报讯 工会服务职工，" * 400
    paras = [p.strip() for p in text.split("\n") if len(p.strip()) > 20 and not p.startswith("#")]
    frames = [m.TextFrame("t-lead", col=0, line=12, cols=3, lines=60)]
    iss.stories["lead"] = m.Story("lead", name="lead", headline=m.Headline(title="头条标题"),
                                  paragraphs=[m.Paragraph("body", [m.Run(p)]) for p in paras[:12]],
                                  thread=["t-lead"])
    for i in range(4):
        fid = f"t{i}"
        frames.append(m.TextFrame(fid, col=3 + (i % 2) * 2, line=12 + (i // 2) * 50, cols=2,
                                  lines=48))
        iss.stories[f"s{i}"] = m.Story(f"s{i}", paragraphs=[m.Paragraph("body", [m.Run(p)])
                                                            for p in paras[i:i + 6]], thread=[fid])
    frames.append(m.HeadlineFrame("h", col=0, line=0, cols=8, lines=10, story="lead"))
    frames.append(m.PhotoFrame("ph", col=0, line=75, cols=3, lines=30, caption="图片说明"))
    iss.pages[0].frames = frames
    save_issue(iss, path)
    return str(path)


def pct(values, q):
    """The q-quantile of a list (nearest rank)."""
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def main() -> None:
    """Run the three measurements and print them."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--square", action="store_true", help="square test fonts (no glyph files)")
    ap.add_argument("--zoom", type=float, default=0, help="zoom %% (default: fit page)")
    ap.add_argument("--keys", type=int, default=100)
    ap.add_argument("--json", action="store_true", help="print the typing and first-paint "
                    "figures as one JSON object (the other figures are skipped)")
    args = ap.parse_args()
    out = sys.stderr if args.json else sys.stdout

    def say(*a, **kw):
        print(*a, file=out, **kw)
    tmp = tempfile.mkdtemp(prefix="bench-editor-")

    t0 = time.perf_counter()
    from PySide6.QtCore import QEvent, QPointF, QSettings, Qt
    from PySide6.QtGui import QKeyEvent, QMouseEvent
    from PySide6.QtWidgets import QApplication
    qapp = QApplication.instance() or QApplication([])
    from editor.app import EditorApp
    t_import = time.perf_counter() - t0

    path = str(SAMPLE) if SAMPLE.exists() else standin(Path(tmp) / "standin.yaml")
    factory = None
    if args.square:
        from support.fakefont import SquareFontSet
        factory = lambda issue: SquareFontSet()          # noqa: E731
    app = EditorApp(factory, ask_recover=lambda *a: False, ask_save=lambda w: "discard",
                    settings=QSettings(os.path.join(tmp, "s.ini"), QSettings.Format.IniFormat))
    t1 = time.perf_counter()
    win = app.open(path)
    win.resize(1500, 950)
    qapp.processEvents()
    if args.zoom:
        win.view.set_zoom(args.zoom)
    else:
        win.view.fit_page()
    win.view.viewport().grab()                          # forces the first paint
    t_open = time.perf_counter() - t1
    doc, view = win.doc, win.view
    if doc.read_only:          # another process holds the sample's lock: keys are refused
        sys.exit(f"bench_editor: {path} opened read-only ({doc.read_only_reason}); "
                 "typing cannot be measured while another editor or bench has it open")
    say(f"sample: {Path(path).name}  fonts: {'square' if args.square else 'real'}  "
          f"zoom: {view.zoom():.0f}%  frames on page 1: {len(win.scene.frames)}")
    say(f"import Qt + editor        {t_import * 1000:8.0f} ms")
    say(f"open → first page painted {t_open * 1000:8.0f} ms")

    # ------------------------------------------------------------ typing
    lead = "lead" if "lead" in doc.issue.stories else next(iter(doc.issue.stories))
    view.set_tool("type")
    win.text.start(lead, (0, 12))
    view.setFocus()
    qapp.processEvents()
    times, grabs, composes, cpu = [], [], [], []
    chars = "工会服务职工，推进会强调要深化思想认识。" * 10
    for ch in chars[:args.keys]:
        t_cpu = time.thread_time()
        a = time.perf_counter()
        QApplication.sendEvent(view, QKeyEvent(QEvent.Type.KeyPress, 0,
                                               Qt.KeyboardModifier.NoModifier, ch))
        b = time.perf_counter()
        qapp.processEvents()                             # the update → partial repaint
        c = time.perf_counter()
        times.append((c - a) * 1000)
        cpu.append((time.thread_time() - t_cpu) * 1000)
        composes.append((b - a) * 1000)
    for ch in chars[:20]:
        a = time.perf_counter()
        QApplication.sendEvent(view, QKeyEvent(QEvent.Type.KeyPress, 0,
                                               Qt.KeyboardModifier.NoModifier, ch))
        view.viewport().grab()                           # whole viewport repainted
        grabs.append((time.perf_counter() - a) * 1000)
    if not times:                                        # --keys 0 (a baseline to subtract)
        times = cpu = composes = [0.0]
    say(f"typing, key → repainted   median {statistics.median(times):6.1f} ms   "
          f"p95 {pct(times, 0.95):6.1f} ms   max {max(times):6.1f} ms  (n={len(times)})")
    say(f"  CPU time of the GUI thread   median {statistics.median(cpu):6.1f} ms   "
          f"p95 {pct(cpu, 0.95):6.1f} ms   (load-independent)")
    say(f"  of which edit+compose+items  median {statistics.median(composes):6.1f} ms   "
          f"p95 {pct(composes, 0.95):6.1f} ms")
    say(f"  with a full viewport grab    median {statistics.median(grabs):6.1f} ms   "
          f"p95 {pct(grabs, 0.95):6.1f} ms")
    stats = doc.composer.stats
    say(f"  composer: frames filled {stats['frames_filled']}, reused {stats['frames_reused']}")
    if args.json:
        print(json.dumps({"typing_p50_ms": round(statistics.median(times), 2),
                          "typing_p95_ms": round(pct(times, 0.95), 2),
                          "typing_max_ms": round(max(times), 2),
                          "first_paint_ms": round(t_open * 1000, 1)}))
        for w_ in list(app.windows):
            w_.doc.undo.clear()
            w_.close()
        return

    # ------------------------------------------------------------ dragging a frame
    win.text.stop()
    view.set_tool("select")
    fid = doc.issue.stories[lead].thread[0]
    fr = doc.issue.frame(fid)[1]
    was_locked = fr.locked
    fr.locked = False
    g = doc.geometry
    x, y, w, h = g.frame_rect(fr)
    vp = view.viewport()

    def send(kind, sx, sy, held=True):
        """A mouse event at scene point (sx, sy) on the viewport."""
        p = QPointF(view.mapFromScene(QPointF(sx, sy)))
        button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else \
            Qt.MouseButton.LeftButton
        buttons = Qt.MouseButton.LeftButton if held else Qt.MouseButton.NoButton
        QApplication.sendEvent(vp, QMouseEvent(kind, p, QPointF(vp.mapToGlobal(p.toPoint())),
                                               button, buttons, Qt.KeyboardModifier.NoModifier))
    sx, sy = x + w / 2, y + h / 2
    send(QEvent.Type.MouseButtonPress, sx, sy)
    moves = []
    for i in range(1, 61):
        a = time.perf_counter()
        send(QEvent.Type.MouseMove, sx + i * 4, sy + i * 3)
        qapp.processEvents()
        moves.append((time.perf_counter() - a) * 1000)
    a = time.perf_counter()
    send(QEvent.Type.MouseButtonRelease, sx + 240, sy + 180, held=False)
    qapp.processEvents()
    drop = (time.perf_counter() - a) * 1000
    fr.locked = was_locked
    say(f"dragging a text frame     median {statistics.median(moves):6.1f} ms/move   "
          f"p95 {pct(moves, 0.95):6.1f} ms   drop (move edit + reflow) {drop:6.1f} ms")
    for w_ in list(app.windows):
        w_.doc.undo.clear()
        w_.close()


if __name__ == "__main__":
    main()
