"""What changed between two proof rounds: text, headlines, captions, frames, photos, overset.

``diff(old, new)`` compares two ``Side``s — a model and the summary of its
composed result (``rounds.summarize``) — and lists ``Change``s in page
order.  Text positions are (paragraph, offset) in the newer story; a deleted
range also keeps its place in the older one.
"""
from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass

from layout import model as m
from layout.edits import index_to_pos, plain_text

from . import layoutview as LV

MOVE_TOLERANCE = 0.5     # pt: smaller shifts are not a move
MERGE_GAP = 1            # text changes this close together are one change


@dataclass
class Side:
    """One side of a comparison: a model and the summary of its composed result."""
    issue: m.Issue
    summary: dict
    label: str = ""          # "校次 1", "当前"


@dataclass
class Change:
    """One difference between two rounds."""
    kind: str                # text | headline | byline | caption | story-added | story-removed |
    #                          frame-moved | frame-resized | frame-added | frame-removed |
    #                          photo-replaced | photo-recropped | overset-appeared | overset-gone |
    #                          overset-changed
    story: str = ""
    frame: str = ""
    page: int = 0            # page in the newer round (the older one for removed frames)
    part: str = ""           # body | kicker | title | subtitle | byline | caption | credit
    para: int = -1           # newer story position of a text change
    offset: int = -1
    old_para: int = -1       # older story position of a text change
    old_offset: int = -1
    deleted: str = ""
    inserted: str = ""
    old: str = ""            # headline, caption, image, overset before …
    new: str = ""            # … and after
    old_rect: list[float] | None = None
    new_rect: list[float] | None = None
    old_page: int = 0

    def as_dict(self) -> dict:
        """Plain data for ``--json`` (fields left at their defaults are dropped)."""
        d = asdict(self)
        default = Change(kind=self.kind)
        return {k: v for k, v in d.items() if k == "kind" or v != getattr(default, k)}

    def describe(self) -> str:
        """One line for the change list, in Chinese (the proof's language)."""
        where = f"第{self.page}版 " if self.page else ""
        k = self.kind
        if k == "text":
            pos = f"{self.story} 第{self.para + 1}段 第{self.offset + 1}字"
            if self.deleted and self.inserted:
                return f"{where}{pos}：“{_short(self.deleted)}”改为“{_short(self.inserted)}”"
            if self.inserted:
                return f"{where}{pos}：增“{_short(self.inserted)}”"
            return f"{where}{pos}：删“{_short(self.deleted)}”"
        names = {"headline": "标题", "byline": "署名", "caption": "图片说明"}
        if k in names:
            part = {"kicker": "引题", "title": "主题", "subtitle": "副题",
                    "credit": "摄影署名"}.get(self.part, names[k])
            return f"{where}{self.story or self.frame} {part}：“{_short(self.old)}”改为“{_short(self.new)}”"
        frame = f"{self.frame}"
        return {
            "story-added": f"新稿件 {self.story}",
            "story-removed": f"撤下稿件 {self.story}",
            "frame-moved": f"{where}{frame} 移动（原在第{self.old_page}版 {_rect(self.old_rect)}）",
            "frame-resized": f"{where}{frame} 改变大小（{_rect(self.old_rect)} → {_rect(self.new_rect)}）",
            "frame-added": f"{where}新增 {frame}",
            "frame-removed": f"第{self.old_page}版 删去 {frame}",
            "photo-replaced": f"{where}{frame} 换图（{self.old} → {self.new}）",
            "photo-recropped": f"{where}{frame} 重新裁切",
            "overset-appeared": f"{where}{self.story} 出现超版：{self.new}",
            "overset-gone": f"{where}{self.story} 超版已消除（原 {self.old}）",
            "overset-changed": f"{where}{self.story} 超版 {self.old} → {self.new}",
        }.get(k, f"{where}{k} {frame}")


def _short(s: str, n: int = 30) -> str:
    s = s.replace("\n", "¶")
    return s if len(s) <= n else s[:n - 1] + "…"


def _rect(r) -> str:
    if not r:
        return ""
    return "x {:.0f} y {:.0f} {:.0f}×{:.0f}pt".format(*r)


# ---------------------------------------------------------------- comparing
def _opcodes(a: str, b: str):
    """Non-equal difflib opcodes, neighbours closer than MERGE_GAP joined into one."""
    ops = [o for o in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
           if o[0] != "equal"]
    merged: list[list] = []
    for tag, i1, i2, j1, j2 in ops:
        if merged and i1 - merged[-1][2] <= MERGE_GAP and j1 - merged[-1][4] <= MERGE_GAP:
            merged[-1][2], merged[-1][4] = i2, j2
        else:
            merged.append([tag, i1, i2, j1, j2])
    return merged


def text_changes(sid: str, old: m.Story, new: m.Story) -> list[Change]:
    """Inserted and deleted text of one story, with positions in both versions."""
    a, b = plain_text(old), plain_text(new)
    out = []
    for _tag, i1, i2, j1, j2 in _opcodes(a, b):
        para, off = index_to_pos(new, j1)
        opara, ooff = index_to_pos(old, i1)
        out.append(Change("text", story=sid, part="body", para=para, offset=off,
                          old_para=opara, old_offset=ooff, deleted=a[i1:i2], inserted=b[j1:j2]))
    return out


def _story_changes(old: m.Issue, new: m.Issue) -> list[Change]:
    out = []
    for sid, st in new.stories.items():
        prev = old.stories.get(sid)
        if prev is None:
            out.append(Change("story-added", story=sid))
            continue
        for part in ("kicker", "title", "subtitle"):
            a, b = getattr(prev.headline, part), getattr(st.headline, part)
            if a != b:
                out.append(Change("headline", story=sid, part=part, old=a, new=b))
        if prev.byline != st.byline:
            out.append(Change("byline", story=sid, part="byline", old=prev.byline, new=st.byline))
        out.extend(text_changes(sid, prev, st))
    out.extend(Change("story-removed", story=sid) for sid in old.stories if sid not in new.stories)
    return out


def _frame_fields(issue: m.Issue) -> dict[str, m.Frame]:
    return {fr.id: fr for _p, fr in issue.frames()}


def _frames_in(summary: dict) -> dict[str, tuple[int, dict]]:
    out = {}
    for page, frames in (summary.get("pages") or {}).items():
        for fid, info in frames.items():
            out[fid] = (int(page), info)
    return out


def _caption_changes(old: m.Issue, new: m.Issue, where: dict) -> list[Change]:
    out = []
    a, b = _frame_fields(old), _frame_fields(new)
    for fid, fr in b.items():
        prev = a.get(fid)
        if prev is None or type(prev) is not type(fr):
            continue
        page = where.get(fid, (0, {}))[0]
        if isinstance(fr, m.PhotoFrame):
            for part in ("caption", "credit"):
                if getattr(prev, part) != getattr(fr, part):
                    out.append(Change("caption", frame=fid, page=page, part=part,
                                      old=getattr(prev, part), new=getattr(fr, part)))
        elif isinstance(fr, (m.CaptionFrame, m.BylineFrame)) and prev.text != fr.text:
            kind = "caption" if isinstance(fr, m.CaptionFrame) else "byline"
            out.append(Change(kind, frame=fid, page=page, part=kind, old=prev.text, new=fr.text))
    return out


def _moved(r0, r1) -> bool:
    return abs(r0[0] - r1[0]) > MOVE_TOLERANCE or abs(r0[1] - r1[1]) > MOVE_TOLERANCE


def _resized(r0, r1) -> bool:
    return abs(r0[2] - r1[2]) > MOVE_TOLERANCE or abs(r0[3] - r1[3]) > MOVE_TOLERANCE


def _frame_changes(old: dict, new: dict) -> list[Change]:
    a, b = _frames_in(old), _frames_in(new)
    out = []
    for fid, (page, info) in b.items():
        prev = a.get(fid)
        story = info.get("story", "")
        if prev is None:
            out.append(Change("frame-added", frame=fid, story=story, page=page,
                              new_rect=list(info["rect"])))
            continue
        opage, oinfo = prev
        r0, r1 = oinfo["rect"], info["rect"]
        kind = ("frame-resized" if _resized(r0, r1) else
                "frame-moved" if opage != page or _moved(r0, r1) else "")
        if kind:
            out.append(Change(kind, frame=fid, story=story, page=page, old_page=opage,
                              old_rect=list(r0), new_rect=list(r1)))
    for fid, (page, info) in a.items():
        if fid not in b:
            out.append(Change("frame-removed", frame=fid, story=info.get("story", ""),
                              old_page=page, old_rect=list(info["rect"])))
    return out


def _photo_changes(old: dict, new: dict, where: dict) -> list[Change]:
    a, b = old.get("photos") or {}, new.get("photos") or {}
    out = []
    for fid, ph in b.items():
        prev = a.get(fid)
        if prev is None:
            continue                       # a new photo frame is listed as frame-added
        page = where.get(fid, (0, {}))[0]
        if prev.get("image") != ph.get("image") or prev.get("sha1") != ph.get("sha1"):
            out.append(Change("photo-replaced", frame=fid, page=page,
                              old=prev.get("image", ""), new=ph.get("image", "")))
        elif prev.get("fit") != ph.get("fit") or \
                [round(float(c), 4) for c in prev.get("crop") or []] != \
                [round(float(c), 4) for c in ph.get("crop") or []]:
            out.append(Change("photo-recropped", frame=fid, page=page,
                              old=f"{prev.get('fit')} {prev.get('crop')}",
                              new=f"{ph.get('fit')} {ph.get('crop')}"))
    return out


def _fit_label(v) -> str:
    lines, chars = (list(v) + [0, 0])[:2]
    return f"超出 {lines} 行 / {chars} 字"


def _overset_changes(old: dict, new: dict) -> list[Change]:
    a, b = old.get("overset") or {}, new.get("overset") or {}
    out = []
    for sid in list(b) + [s for s in a if s not in b]:
        o, n = list(a.get(sid) or [0, 0]), list(b.get(sid) or [0, 0])
        had, has = any(o), any(n)
        if o == n or (not had and not has):
            continue
        kind = ("overset-appeared" if has and not had else
                "overset-gone" if had and not has else "overset-changed")
        out.append(Change(kind, story=sid, old=_fit_label(o) if had else "",
                          new=_fit_label(n) if has else ""))
    return out


def diff(old: Side, new: Side) -> list[Change]:
    """Every change from ``old`` to ``new``, in page order."""
    where = _frames_in(new.summary)
    changes = (_story_changes(old.issue, new.issue)
               + _caption_changes(old.issue, new.issue, where)
               + _frame_changes(old.summary, new.summary)
               + _photo_changes(old.summary, new.summary, where)
               + _overset_changes(old.summary, new.summary))
    story_page: dict[str, int] = {}
    for fid, (page, info) in where.items():
        sid = info.get("story")
        if sid and (sid not in story_page or page < story_page[sid]):
            story_page[sid] = page
    for ch in changes:
        if not ch.page and ch.story and ch.kind not in ("frame-removed", "story-removed"):
            ch.page = story_page.get(ch.story, 0)
    order = {k: i for i, k in enumerate(
        ("story-added", "story-removed", "headline", "byline", "text", "caption",
         "photo-replaced", "photo-recropped", "frame-added", "frame-moved", "frame-resized",
         "frame-removed", "overset-appeared", "overset-changed", "overset-gone"))}
    return sorted(changes, key=lambda c: (c.page or c.old_page or 10 ** 6, order.get(c.kind, 99)))


def locate(changes: list[Change], result) -> None:
    """Put text changes on the page where their newer position is drawn."""
    glyphs = [g for g in LV.glyphs(result) if g.part == "body" and g.story]
    for ch in changes:
        if ch.kind != "text":
            continue
        best = None
        for g in glyphs:
            if g.story == ch.story and (g.para, g.offset) >= (ch.para, ch.offset):
                best = g
                break
        if best is None:                    # at the story's end: its last glyph
            mine = [g for g in glyphs if g.story == ch.story]
            best = mine[-1] if mine else None
        if best is not None:
            ch.page, ch.frame = best.page, best.frame
