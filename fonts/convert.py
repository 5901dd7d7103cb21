"""Turn CFF/CFF2 faces (and faces inside collections) into standalone, uniquely named TrueType files."""
from __future__ import annotations

import contextlib
import os
import time
from array import array
from dataclasses import dataclass
from pathlib import Path

from .build import build_metrics, open_face
from .cachefile import atomic_write, file_lock
from .errors import FontError
from .gsub import closure
from .info import FontInfo
from .metrics import ink_to_bytes, save_metrics
from .worker import clear as clear_worker_fonts
from .worker import convert_chunk

CHUNK = 1000                      # glyphs per work item
VARIATION_TABLES = ("fvar", "avar", "gvar", "cvar", "HVAR", "VVAR", "MVAR", "STAT")
NAME_IDS_REPLACED = (1, 2, 3, 4, 6, 16, 17, 18, 21, 22, 25)


@dataclass
class Job:
    """One face to write as a TrueType file, with its metrics and ink boxes, into the cache."""
    info: FontInfo
    ttf: Path
    metrics: Path
    ink: Path
    lock: Path


def default_workers() -> int:
    """Worker processes for conversion: $BANMIAN_FONT_WORKERS, else min(2, CPUs)."""
    env = os.environ.get("BANMIAN_FONT_WORKERS", "")
    if env.strip().isdigit():
        return max(1, int(env))
    return max(1, min(2, os.cpu_count() or 1))


def rename(font, key: str, style: str) -> None:
    """Give the font its own family, full, unique and PostScript name (all = key)."""
    name = font["name"]
    for nid in NAME_IDS_REPLACED:
        name.removeNames(nameID=nid)
    style = style if style in ("Regular", "Bold", "Italic", "Bold Italic") else "Regular"
    for nid, text in ((1, key), (2, style), (3, key), (4, key), (6, key)):
        name.setName(text, nid, 3, 1, 0x409)
        name.setName(text, nid, 1, 0, 0)


def extract_face(job: Job) -> None:
    """Write a TrueType face of a collection as a standalone, renamed .ttf (tables copied raw)."""
    info = job.info
    font = open_face(info, recalcBBoxes=False, recalcTimestamp=False)
    try:
        rename(font, info.key, info.style)
        atomic_write(job.ttf, writer=font.save)
    except FontError:
        raise
    except Exception as e:
        raise FontError(info.source, f"cannot extract face ({type(e).__name__}: {e})") from None
    finally:
        font.close()


class _Face:
    """Parent-side state of one face being converted."""

    def __init__(self, job: Job):
        self.job = job
        info = job.info
        self.font = open_face(info, recalcBBoxes=False, recalcTimestamp=False)
        try:
            self.metrics = build_metrics(self.font, info)
            save_metrics(job.metrics, self.metrics)
            keep = {0} | {g for g in self.metrics.bmp if g} | set(self.metrics.sup.values())
            self.keep = sorted(closure(self.font, keep))
        except FontError:
            raise
        except Exception as e:
            raise FontError(info.source, f"cannot read face ({type(e).__name__}: {e})") from None
        self.results: list[tuple] = []
        self.pending = 0

    def chunks(self):
        """Work items for the worker: (args, glyph count)."""
        i = self.job.info
        for s in range(0, len(self.keep), CHUNK):
            part = self.keep[s:s + CHUNK]
            yield (i.path, i.index, i.collection, i.location, i.mtime_ns, part), len(part)

    def finish(self) -> None:
        """Assemble the converted glyphs into a TrueType font and write it, with its ink boxes."""
        try:
            _assemble(self.font, self.job.info, self.results, self.metrics)
            ink = array("h", bytes(8 * self.metrics.num_glyphs))
            for g, _d, x0, y0, x1, y1, *_ in self.results:
                ink[4 * g: 4 * g + 4] = array("h", (x0, y0, x1, y1))
            atomic_write(self.job.ink, ink_to_bytes(self.job.info.key, ink))
            atomic_write(self.job.ttf, writer=self.font.save)     # written last: it marks the job done
        except FontError:
            raise
        except Exception as e:
            raise FontError(self.job.info.source, f"cannot write converted font ({type(e).__name__}: {e})") from None
        finally:
            self.font.close()
            self.results = []


def _assemble(font, info: FontInfo, results: list[tuple], metrics) -> None:
    """Replace the CFF/CFF2 outlines of an open font by glyf data, fixing the tables that depend on it."""
    from fontTools.ttLib import newTable
    from fontTools.ttLib.tables._g_l_y_f import Glyph

    order = font.getGlyphOrder()
    n = len(order)
    glyphs = {name: Glyph() for name in order}
    boxes = {}
    max_points = max_contours = 0
    for g, data, x0, y0, x1, y1, points, contours in results:
        if data:
            glyphs[order[g]] = Glyph(data)
            boxes[g] = (x0, y0, x1, y1)
            max_points = max(max_points, points)
            max_contours = max(max_contours, contours)
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    font["loca"] = newTable("loca")

    adv = metrics.adv
    hmtx = newTable("hmtx")
    hmtx.metrics = {name: (adv[g], boxes[g][0] if g in boxes else 0) for g, name in enumerate(order)}
    font["hmtx"] = hmtx
    _fix_vmtx(font, order, boxes)

    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.numGlyphs = n
    maxp.maxPoints, maxp.maxContours = max_points, max_contours
    for attr in ("maxCompositePoints", "maxCompositeContours", "maxTwilightPoints", "maxStorage",
                 "maxFunctionDefs", "maxInstructionDefs", "maxStackElements",
                 "maxSizeOfInstructions", "maxComponentElements", "maxComponentDepth"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1

    all_boxes = list(boxes.values()) or [(0, 0, 0, 0)]
    head = font["head"]
    head.glyphDataFormat = 0
    head.xMin = min(b[0] for b in all_boxes)
    head.yMin = min(b[1] for b in all_boxes)
    head.xMax = max(b[2] for b in all_boxes)
    head.yMax = max(b[3] for b in all_boxes)
    hhea = font["hhea"]
    hhea.advanceWidthMax = max(adv) if len(adv) else 0
    hhea.minLeftSideBearing = min(b[0] for b in all_boxes)
    hhea.minRightSideBearing = min(adv[g] - b[2] for g, b in boxes.items()) if boxes else 0
    hhea.xMaxExtent = max(b[2] for b in all_boxes)

    post = font["post"]
    post.formatType = 3.0
    for attr in ("extraNames", "mapping", "glyphOrder"):
        if hasattr(post, attr):
            delattr(post, attr)

    for tag in ("CFF ", "CFF2", "VORG", "DSIG"):
        if tag in font:
            del font[tag]
    if info.location:
        _drop_variations(font, info)
    rename(font, info.key, info.style)
    font.sfntVersion = "\x00\x01\x00\x00"


def _fix_vmtx(font, order, boxes) -> None:
    """Top side bearings relative to the new glyf boxes, keeping each glyph's vertical origin (VORG)."""
    if "vmtx" not in font:
        return
    old = font["vmtx"].metrics
    vorg = font["VORG"] if "VORG" in font else None
    new = {}
    for g, name in enumerate(order):
        vadv, tsb = old.get(name, (font["head"].unitsPerEm, 0))
        if vorg is not None and g in boxes:
            origin = vorg.VOriginRecords.get(name, vorg.defaultVertOriginY)
            tsb = origin - boxes[g][3]
        new[name] = (vadv, tsb)
    from fontTools.ttLib import newTable
    vmtx = newTable("vmtx")
    vmtx.metrics = new
    font["vmtx"] = vmtx


def _drop_variations(font, info: FontInfo) -> None:
    """Make an instance of a variable CFF2 font static: no variation tables or variable layout data."""
    for tag in VARIATION_TABLES + ("GPOS",):
        if tag in font:
            del font[tag]
    if "GDEF" in font and getattr(font["GDEF"].table, "VarStore", None) is not None:
        font["GDEF"].table.VarStore = None
    if "GSUB" in font and getattr(font["GSUB"].table, "FeatureVariations", None) is not None:
        font["GSUB"].table.FeatureVariations = None
        font["GSUB"].table.Version = 0x00010000
    if "OS/2" in font:
        font["OS/2"].usWeightClass = info.weight


def convert(jobs: list[Job], progress=None, workers: int | None = None) -> None:
    """Convert every job's face to TrueType (glyph chunks spread over worker processes), reporting progress."""
    progress = progress or (lambda msg, frac: None)
    workers = default_workers() if workers is None else max(1, workers)
    with contextlib.ExitStack() as locks:
        todo = []
        for job in sorted(jobs, key=lambda j: j.info.key):
            locks.enter_context(file_lock(job.lock))
            if not job.ttf.exists():          # another process may have finished it meanwhile
                todo.append(job)
        if not todo:
            return
        started = time.perf_counter()
        names = ", ".join(j.info.display_name for j in todo)
        progress(f"Preparing {names}", 0.0)
        faces = [_Face(job) for job in todo]
        total = sum(len(f.keep) for f in faces) or 1
        done = 0

        def collect(face, result, count):
            nonlocal done
            face.results.extend(result)
            face.pending -= 1
            done += count
            progress(f"Converting {face.job.info.display_name} to TrueType", min(0.99, done / total))
            if face.pending == 0:
                face.finish()

        items = [(face, args, count) for face in faces for args, count in face.chunks()]
        for face in faces:
            face.pending = sum(1 for f, _a, _c in items if f is face)
            if face.pending == 0:
                face.finish()
        if workers <= 1 or len(items) <= 1:
            try:
                for face, args, count in items:
                    collect(face, _run(face, args), count)
            finally:
                clear_worker_fonts()
        else:
            _convert_parallel(items, workers, collect)
        progress(f"Converted {names} in {time.perf_counter() - started:.1f} s", 1.0)


def _run(face, args):
    """Convert one chunk in this process, naming the file on failure."""
    try:
        return convert_chunk(*args)
    except Exception as e:
        raise FontError(face.job.info.source, f"cannot convert glyphs ({type(e).__name__}: {e})") from None


def _convert_parallel(items, workers, collect) -> None:
    """Run the chunks in worker processes; in this process if none can be started."""
    from .pool import run_parallel, start_workers
    procs = start_workers(min(workers, len(items)))
    if not procs:
        for face, args, count in items:
            collect(face, _run(face, args), count)
        clear_worker_fonts()
        return
    tagged = [((face, count), args) for face, args, count in items]
    for ((face, count), _args), result in run_parallel(procs, tagged):
        if isinstance(result, Exception):
            raise FontError(face.job.info.source, f"cannot convert glyphs ({result})")
        collect(face, result, count)
