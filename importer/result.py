"""What an import returns: stories, photos, and the report of every repair."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from layout.model import Story

from .blocks import Plan

#: Repair kinds with their Chinese names (for the report and the editor).
KINDS = {
    "duplicate": "重复片段",
    "split": "断段合并",
    "misplaced_fragment": "错位片段",
    "unfinished": "段落未完",
    "misplaced_headline": "错位标题",
    "no_headline": "缺少标题",
    "headline_split": "标题拆分",
    "signoff": "署名并入",
    "photo_credit": "图片署名",
    "jump_marker": "转版标记",
    "punctuation": "标点全角",
    "space": "多余空格",
    "fullwidth": "全角字母数字",
    "dateline": "电头",
    "section_head": "小标题",
    "author": "作者署名",
    "affiliation": "作者单位",
    "editor_note": "编者按",
    "sidebar": "链接/背景",
    "desk_editor": "责任编辑",
    "quotes": "繁体引号",
}


@dataclass
class Repair:
    """One repair the importer made or proposes; the editor confirms or rejects it.

    ``paragraph`` is the 0-based index in ``Story.paragraphs`` of the story as
    returned (-1 for the headline, byline or a photo); ``line`` the source line.
    """
    id: str
    kind: str
    story: str
    paragraph: int
    line: int
    before: str
    after: str
    confidence: float
    applied: bool
    evidence: str = ""
    ops: tuple = field(default=(), repr=False, compare=False)
    anchor: int = field(default=-1, repr=False, compare=False)

    @property
    def actionable(self) -> bool:
        """Whether accepting the repair changes anything (False for mere flags)."""
        return bool(self.ops)

    def to_dict(self) -> dict:
        """Plain data for JSON."""
        d = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)
             if f.name not in ("ops", "anchor")}
        d["label"] = KINDS.get(self.kind, self.kind)
        return d


@dataclass
class Photo:
    """A photo record for a story: its credit ("骆进林 摄"), caption and image file."""
    story: str
    credit: str = ""
    caption: str = ""
    image: str = ""

    def to_dict(self) -> dict:
        """Plain data for JSON."""
        return dataclasses.asdict(self)


@dataclass
class Report:
    """The repairs of one import, with what is needed to rebuild with another choice."""
    source: str
    encoding: str
    repairs: list[Repair]
    plan: Plan = field(repr=False, compare=False)

    def get(self, repair_id: str) -> Repair:
        """The repair with this id (KeyError when there is none)."""
        for r in self.repairs:
            if r.id == repair_id:
                return r
        raise KeyError(repair_id)

    def applied_ids(self) -> set[str]:
        """The ids of the repairs applied in the stories as returned."""
        return {r.id for r in self.repairs if r.applied}

    def to_dict(self) -> dict:
        """Plain data for JSON."""
        return {"source": self.source, "encoding": self.encoding,
                "repairs": [r.to_dict() for r in self.repairs]}


@dataclass
class ImportResult:
    """Stories and photos read from one file, and the report of repairs made on the way."""
    report: Report
    stories: list[Story]
    photos: list[Photo] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    run_in_bylines: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def repairs(self) -> list[Repair]:
        """The report's repairs."""
        return self.report.repairs

    def to_dict(self) -> dict:
        """Plain data for JSON: story summaries, photos, images, repairs, notes."""
        return {
            "source": self.report.source,
            "encoding": self.report.encoding,
            "stories": [{
                "id": s.id, "name": s.name,
                "headline": dataclasses.asdict(s.headline),
                "byline": s.byline,
                "dateline": s.dateline, "credit": s.credit, "editor": s.editor,
                "language": s.language,
                "run_in_bylines": self.run_in_bylines.get(s.id, []),
                "styles": sorted({p.style for p in s.paragraphs}),
                "paragraphs": len(s.paragraphs),
                "chars": sum(len(p.text) for p in s.paragraphs),
                "text": [p.text for p in s.paragraphs],
            } for s in self.stories],
            "photos": [p.to_dict() for p in self.photos],
            "images": list(self.images),
            "repairs": [r.to_dict() for r in self.repairs],
            "notes": list(self.notes),
        }
