"""The clipboard: frames with their stories, formatted text, and text from other programs.

Frames travel as a small Banmian issue in YAML under ``FRAMES_MIME`` (the
frames on one page, the stories they show, and the styles and colours they
use), with their text as plain text for other programs.  Text copied from a
story travels as paragraphs of runs under ``TEXT_MIME`` (character styles
kept) plus plain text.  Text from Word or a web page (HTML or plain text)
goes through the importer's character cleaning — full-width digits and
Latin made half-width, half-width punctuation in Chinese made full-width,
stray spaces removed — and the caller is told what changed.

Everything here builds ``layout.edits`` edits; the caller pushes each paste
as one undo step.
"""
from __future__ import annotations

import atexit
import copy
import os
from collections import Counter
from dataclasses import dataclass, field

import yaml
from PySide6.QtCore import QMimeData
from PySide6.QtGui import QGuiApplication
from shiboken6 import Shiboken

from importer.repairs import APPLY_AT
from importer.textfix import apply_edits, block_fixes
from layout import edits as E
from layout import model as m
from layout.docfile import DocumentError, dump_issue, parse_issue
from layout.position import StoryPos

from .i18n import tr

FRAMES_MIME = "application/x-banmian-frames"
TEXT_MIME = "application/x-banmian-text"


_released_at_exit = False


def put(md: QMimeData) -> None:
    """Put mime data built here on the system clipboard.

    Qt owns it from then on and deletes it when the application's statics are torn
    down — after Python has finalized, where deleting a Python-made object crashes
    (a PySide6 limitation). So before Python exits, the clipboard keeps only the
    plain text, as a copy Qt makes itself (other programs can still paste it).
    """
    global _released_at_exit
    QGuiApplication.clipboard().setMimeData(md)
    if not _released_at_exit:
        _released_at_exit = True
        atexit.register(release)


def release() -> None:
    """Replace the clipboard data this process put there by its plain text (see ``put``)."""
    if QGuiApplication.instance() is None:
        return
    cb = QGuiApplication.clipboard()
    md = cb.mimeData()
    if md is not None and Shiboken.createdByPython(md):
        cb.setText(md.text())


# ====================================================================== frames
def _frame_text(issue: m.Issue, fr: m.Frame) -> str:
    """What a frame shows, as plain text (for other programs)."""
    st = issue.story_of_frame(fr.id) if fr.kind == "text" else \
        issue.stories.get(getattr(fr, "story", ""))
    if fr.kind == "text" and st is not None:
        return E.plain_text(st)
    if fr.kind == "headline" and st is not None:
        return "\n".join(t for t in (st.headline.kicker, st.headline.title,
                                     st.headline.subtitle) if t)
    if fr.kind == "byline":
        return st.byline if st is not None else fr.text
    if fr.kind == "caption":
        return fr.text
    if fr.kind == "photo":
        return "\n".join(t for t in (fr.caption, fr.credit) if t)
    return ""


def frames_mime(issue: m.Issue, ids: list[str], base_dir: str | None = None
                ) -> QMimeData | None:
    """The clipboard contents for these frames (all on one page) and their stories.

    Photo paths are made absolute from ``base_dir`` (the issue's folder), so
    that a paste into an issue in another folder still finds the image.
    """
    frames = []
    page_no = None
    for fid in ids:
        page, fr = issue.frame(fid)
        if page_no is None:
            page_no = page.number
        elif page.number != page_no:
            continue
        fr = copy.deepcopy(fr)
        if hasattr(fr, "replaces"):
            fr.replaces = ""            # a copy stands in for no master frame
        if base_dir and getattr(fr, "image", "") and not os.path.isabs(fr.image):
            fr.image = os.path.normpath(os.path.join(base_dir, fr.image))
        frames.append(fr)
    if not frames:
        return None
    fids = {fr.id for fr in frames}
    stories = {}
    for sid, st in issue.stories.items():
        thread = [f for f in st.thread if f in fids]
        shown = any(getattr(fr, "story", "") == sid for fr in frames)
        if thread or shown:
            s = copy.deepcopy(st)
            s.thread = thread
            stories[sid] = s
    mini = m.Issue(info=copy.deepcopy(issue.info), paper=copy.deepcopy(issue.paper),
                   fonts=copy.deepcopy(issue.fonts), colors=copy.deepcopy(issue.colors),
                   paragraph_styles=copy.deepcopy(issue.paragraph_styles),
                   char_styles=copy.deepcopy(issue.char_styles), stories=stories,
                   pages=[m.Page(page_no, frames=frames)])
    if hasattr(issue, "layers"):
        mini.layers = copy.deepcopy(issue.layers)
    md = QMimeData()
    md.setData(FRAMES_MIME, dump_issue(mini).encode("utf-8"))
    md.setText("\n\n".join(t for t in (_frame_text(issue, fr) for fr in frames) if t))
    return md


def frames_from_mime(md: QMimeData) -> m.Issue | None:
    """The small issue on the clipboard, or None (not ours, or damaged)."""
    if md is None or not md.hasFormat(FRAMES_MIME):
        return None
    try:
        return parse_issue(bytes(md.data(FRAMES_MIME)).decode("utf-8"), "<clipboard>")
    except (DocumentError, UnicodeDecodeError):
        return None


def _fits(cells: tuple[int, int, int, int], columns: int, lines: int) -> tuple[int, int]:
    col, line, cols, nlines = cells
    return (min(max(0, col), max(0, columns - cols)), min(max(0, line), max(0, lines - nlines)))


def paste_frames(issue: m.Issue, clip: m.Issue, page: int, *, offset: tuple[int, int] = (0, 0),
                 at: tuple[int, int] | None = None, linked: bool = False,
                 grid: tuple[int, int] = (10**6, 10**6), base_dir: str | None = None
                 ) -> tuple[E.Edit, list[str]]:
    """The edit adding the clipboard's frames to ``page`` and the new frame ids.

    ``offset`` moves every frame by (columns, lines); ``at`` puts the group's top
    left at that grid cell.  Text frames get a copy of their story under a new
    id, unless ``linked`` and the story is in this issue: then they continue it.
    Styles and colours the frames need but this issue lacks come along.
    """
    frames = [fr for p in clip.pages for fr in p.frames]
    if not frames:
        raise E.EditError(tr("clip.empty"))
    gridded = [fr for fr in frames if not fr.box]
    if at is not None and gridded:
        offset = (at[0] - min(fr.col for fr in gridded), at[1] - min(fr.line for fr in gridded))
    used = {fr.id for _, fr in issue.frames()}
    renamed: dict[str, str] = {}
    new_frames = []
    for fr in frames:
        n = 1
        while f"p{page}-{fr.kind}-{n}" in used:
            n += 1
        nid = f"p{page}-{fr.kind}-{n}"
        used.add(nid)
        renamed[fr.id] = nid
        new = E.copy_frame(fr, nid)
        layers = {ly.name for ly in getattr(issue, "layers", [])}
        if getattr(new, "layer", "") and new.layer not in layers:
            new.layer = ""              # a layer this issue lacks: the first layer
        if base_dir and getattr(new, "image", "") and os.path.isabs(new.image):
            rel = os.path.relpath(new.image, base_dir)
            new.image = rel if not rel.startswith("..") else new.image
        if not fr.box:
            new.col, new.line = _fits((fr.col + offset[0], fr.line + offset[1], fr.cols,
                                       fr.lines), *grid)
        new_frames.append(new)
    edits: list[E.Edit] = []
    # styles and colours from another issue
    for name, ps in clip.paragraph_styles.items():
        if name not in issue.paragraph_styles:
            edits.append(E.SetStyleDef(name, ps, "paragraph_styles"))
    for name, cs in clip.char_styles.items():
        if name not in issue.char_styles:
            edits.append(E.SetStyleDef(name, cs, "char_styles"))
    for name, c in clip.colors.items():
        if name not in issue.colors:
            edits.append(E.SetColor(name, c))
    for fr in new_frames:
        edits.append(E.AddFrame(page, fr))
    sids = set(issue.stories)
    for sid, st in clip.stories.items():
        thread = [renamed[f] for f in st.thread if f in renamed]
        if linked and sid in issue.stories:
            if thread:
                edits.append(E.SetThread(sid, issue.stories[sid].thread + thread))
            continue
        nid, k = sid, 1
        while nid in sids:
            k += 1
            nid = f"{sid}-{k}"
        sids.add(nid)
        new = copy.deepcopy(st)
        new.id, new.thread = nid, thread
        if sid in issue.stories:
            new.name = (st.name or sid) + tr("clip.copy_suffix")
        edits.append(E.AddStory(new))
        for fr in new_frames:
            if getattr(fr, "story", "") == sid:
                fr.story = nid
    # AddFrame copied its frame when it was made: make them again with the story ids
    edits = [E.AddFrame(page, next(f for f in new_frames if f.id == e.frame.id))
             if isinstance(e, E.AddFrame) else e for e in edits]
    return E.Batch(edits, "paste"), [fr.id for fr in new_frames]


# ====================================================================== text
def text_mime(issue: m.Issue, story: str, start, end) -> QMimeData:
    """The clipboard contents for a text selection: runs with their styles, and plain text."""
    st = issue.stories[story]
    paras = E.runs_between(st, start, end)
    p0 = StoryPos.of(min(StoryPos.of(start), StoryPos.of(end))).para
    styles = [st.paragraphs[p0 + i].style for i in range(len(paras))]
    used = {r.style for p in paras for r in p if r.style}
    data = {"paragraphs": [{"style": s, "runs": [[r.text, r.style] for r in p]}
                           for s, p in zip(styles, paras)],
            "char_styles": {k: {f: getattr(v, f) for f in ("font", "size", "color", "label")}
                            for k, v in issue.char_styles.items() if k in used}}
    md = QMimeData()
    md.setData(TEXT_MIME, yaml.safe_dump(data, allow_unicode=True).encode("utf-8"))
    md.setText("\n".join("".join(r.text for r in p) for p in paras))
    return md


@dataclass
class Cleaned:
    """Text from another program after the importer's cleaning, and what changed."""
    paragraphs: list[str]
    changes: Counter = field(default_factory=Counter)     # fix kind → count
    examples: list[str] = field(default_factory=list)     # "before → after"

    def summary(self) -> str:
        """One line for the status bar ("" when nothing changed)."""
        if not self.changes:
            return ""
        parts = [tr("clip.fix." + k, n=n) if ("clip.fix." + k) in _FIX_KEYS else f"{k} {n}"
                 for k, n in sorted(self.changes.items())]
        return tr("clip.cleaned", what="，".join(parts))


_FIX_KEYS = {"clip.fix.fullwidth", "clip.fix.punctuation", "clip.fix.space",
             "clip.fix.jump_marker", "clip.fix.blank"}


def html_to_text(html: str) -> str:
    """The text of an HTML fragment, one line per paragraph."""
    from PySide6.QtGui import QTextDocument
    doc = QTextDocument()
    doc.setHtml(html)
    return doc.toPlainText()


def clean_foreign(text: str) -> Cleaned:
    """Split pasted text into paragraphs and apply the importer's confident character fixes."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2029", "\n")
    text = text.replace("\u00a0", " ")
    out = Cleaned([])
    lines = text.split("\n")
    for line in lines:
        stripped = line.strip(" \t")
        if not stripped.strip("\u3000"):
            if line:
                out.changes["blank"] += 1
            continue
        fixes = [f for f in block_fixes(stripped, "para") if f.confidence >= APPLY_AT]
        if fixes:
            edits = [e for f in fixes for e in f.edits]
            new, _ = apply_edits(stripped, (), edits)
            for f in fixes:
                out.changes[f.kind] += 1
            if len(out.examples) < 5:
                out.examples.append(f"{stripped[:20]} → {new[:20]}")
            stripped = new
        out.paragraphs.append(stripped)
    return out


@dataclass
class TextPaste:
    """A paste into a story: the edit, where the cursor goes, and what cleaning did."""
    edit: E.Edit
    end: StoryPos
    cleaned: Cleaned | None = None


def paste_text(issue: m.Issue, story: str, pos, selection, md: QMimeData, *,
               formatted: bool = True) -> TextPaste | None:
    """The edit pasting the clipboard at ``pos`` (replacing ``selection``), or None.

    Our own text keeps its character styles when ``formatted``; without, it
    takes the style of the text it lands in.  Text from other programs is
    cleaned by the importer's rules.
    """
    st = issue.stories[story]
    edits: list[E.Edit] = []
    pos = StoryPos.of(pos)
    if selection is not None:
        edits.append(E.DeleteText(story, *selection))
        pos = StoryPos.of(selection[0])
    cleaned = None
    styles = None
    if md.hasFormat(TEXT_MIME):
        try:
            data = yaml.safe_load(bytes(md.data(TEXT_MIME)).decode("utf-8")) or {}
            paras = [[m.Run(str(t), str(s or "")) for t, s in p["runs"]]
                     for p in data["paragraphs"]]
            styles = [str(p.get("style", "")) for p in data["paragraphs"]]
            defs = data.get("char_styles") or {}
        except (yaml.YAMLError, KeyError, TypeError, ValueError, UnicodeDecodeError):
            return None
        if formatted:
            for name, d in defs.items():
                if name not in issue.char_styles:
                    edits.append(E.SetStyleDef(name, m.CharStyle(**{
                        k: str(v) for k, v in d.items() if k in ("font", "size", "color",
                                                                  "label")}), "char_styles"))
            styles = [s if s in issue.paragraph_styles else "" for s in styles]
        else:
            paras = [[m.Run("".join(r.text for r in p))] for p in paras]
            styles = None
    else:
        raw = md.text() if md.hasText() else ""
        if not raw and md.hasHtml():
            raw = html_to_text(md.html())
        if not raw:
            return None
        cleaned = clean_foreign(raw)
        if not cleaned.paragraphs:
            return None
        paras = [[m.Run(t)] for t in cleaned.paragraphs]
    if not any(r.text for p in paras for r in p) and len(paras) < 2:
        return None
    if not formatted or not md.hasFormat(TEXT_MIME):
        # plain text takes the character style where it lands
        style = E.char_style_at(st, selection[0] if selection is not None else pos)
        paras = [[m.Run(r.text, style) for r in p] for p in paras]
    ins = E.InsertRuns(story, pos, paras, styles)
    edits.append(ins)
    return TextPaste(E.Batch(edits, "paste"), ins.end(), cleaned)
