"""Find and replace across the issue: story text, headlines, bylines, captions, credits.

The search itself (``find``, ``replace_edit``) needs no widgets.  Options:
whole word (Chinese words from the layout's word segmenter, Latin words by
letters and digits), 全角/半角-insensitive (ＡＢＣ１２３ finds ABC123, "，" finds
","; offsets stay those of the original text) and regular expressions.
Replace all is one ``layout.edits.Batch``: one undo step.

``FindPanel`` is the dock: the fields, the options, a results list whose
entries select each hit on its page, replace one and replace all.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QGridLayout, QLabel, QLineEdit,
                               QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from layout import edits as E
from layout import model as m
from layout.position import StoryPos

from .i18n import tr


@dataclass(frozen=True)
class Target:
    """A piece of text the search looks at.

    kind: "para" (owner = story id, field = paragraph index), "headline"
    (story id; kicker/title/subtitle), "story" (story id; byline/credit) or
    "frame" (frame id; text/caption/credit).
    """
    kind: str
    owner: str
    field: object


@dataclass(frozen=True)
class Hit:
    """One match: where, the span in the target's text, and the text found."""
    target: Target
    start: int
    end: int
    found: str
    replacement: str = ""       # for regular expressions: the expanded template


@dataclass
class Options:
    """How to match."""
    whole_word: bool = False
    fold_width: bool = True
    regex: bool = False
    case: bool = False


def targets(issue: m.Issue):
    """Every searchable text of the issue with its target, in page order where placed."""
    for sid, st in issue.stories.items():
        for f in ("kicker", "title", "subtitle"):
            text = getattr(st.headline, f)
            if text:
                yield Target("headline", sid, f), text
        for i, p in enumerate(st.paragraphs):
            yield Target("para", sid, i), p.text
        for f in ("byline", "credit"):
            if getattr(st, f):
                yield Target("story", sid, f), getattr(st, f)
    for _, fr in issue.frames():
        for f in ("text", "caption", "credit"):
            text = getattr(fr, f, "")
            if isinstance(text, str) and text:
                yield Target("frame", fr.id, f), text


def _fold_char(ch: str, regex: bool) -> str:
    if regex and not (ch.isalnum() or ch == "\u3000"):
        return ch               # keep punctuation: "（" must not become a regex group
    f = unicodedata.normalize("NFKC", ch)
    return f if len(f) == 1 else ch


def fold(text: str, options: Options, pattern: bool = False) -> str:
    """The text as matched: width folded and case folded, one character for one."""
    if options.fold_width:
        text = "".join(_fold_char(c, options.regex and pattern) for c in text)
    if not options.case:
        text = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return text


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def find(issue: m.Issue, pattern: str, options: Options | None = None,
         segmenter=None, replacement: str = "") -> list[Hit]:
    """Every match of ``pattern`` in the issue (ValueError for a bad regular expression)."""
    options = options or Options()
    if not pattern:
        return []
    pat = fold(pattern, options, pattern=True)
    try:
        rx = re.compile(pat if options.regex else re.escape(pat))
    except re.error as exc:
        raise ValueError(tr("find.bad_regex", msg=str(exc))) from None
    out = []
    for target, text in targets(issue):
        folded = fold(text, options)
        words = None
        for mt in rx.finditer(folded):
            a, b = mt.span()
            if a == b:
                continue
            if options.whole_word:
                if words is None:
                    words = set(segmenter.boundaries(text)) if segmenter is not None and \
                        any(_is_han(c) for c in text) else set()
                if not _whole(text, a, b, words):
                    continue
            rep = replacement
            if options.regex and replacement:
                try:
                    rep = mt.expand(replacement)
                except (re.error, IndexError) as exc:
                    raise ValueError(tr("find.bad_regex", msg=str(exc))) from None
            out.append(Hit(target, a, b, text[a:b], rep))
    return out


def _whole(text: str, a: int, b: int, words: set[int]) -> bool:
    """Whether text[a:b] is whole words: Latin/digits not continued by letters or digits,
    Chinese starting and ending at word boundaries."""
    for edge, inside, outside in ((a, text[a], text[a - 1] if a else ""),
                                  (b, text[b - 1], text[b] if b < len(text) else "")):
        if not outside or not _word_char(outside) or not _word_char(inside):
            continue
        if _is_han(inside) and _is_han(outside):
            if edge not in words:
                return False
        elif not (_is_han(inside) or _is_han(outside)):
            return False
    return True


def _field_text(issue: m.Issue, t: Target) -> str:
    if t.kind == "headline":
        return getattr(issue.stories[t.owner].headline, t.field)
    if t.kind == "story":
        return getattr(issue.stories[t.owner], t.field)
    if t.kind == "frame":
        return getattr(issue.frame(t.owner)[1], t.field)
    return issue.stories[t.owner].paragraphs[t.field].text


def replace_edit(issue: m.Issue, hits: list[Hit], replacement: str,
                 use_expanded: bool = False) -> E.Edit:
    """One edit replacing these hits (made by ``find`` on the issue as it is now)."""
    by_target: dict[Target, list[Hit]] = {}
    for h in hits:
        by_target.setdefault(h.target, []).append(h)
    edits: list[E.Edit] = []
    for t, hs in by_target.items():
        hs = sorted(hs, key=lambda h: h.start, reverse=True)
        if t.kind == "para":
            st = issue.stories[t.owner]
            for h in hs:
                rep = h.replacement if use_expanded else replacement
                a, b = StoryPos(t.field, h.start), StoryPos(t.field, h.end)
                style = E.char_style_at(st, StoryPos(t.field, h.start + 1))
                edits.append(E.DeleteText(t.owner, a, b))
                if rep:
                    edits.append(E.InsertText(t.owner, a, rep, style))
            continue
        text = _field_text(issue, t)
        for h in hs:
            rep = h.replacement if use_expanded else replacement
            text = text[:h.start] + rep + text[h.end:]
        if t.kind == "headline":
            edits.append(E.SetHeadline(t.owner, **{t.field: text}))
        elif t.kind == "story":
            edits.append(E.SetStory(t.owner, **{t.field: text}))
        else:
            edits.append(E.SetFrame(t.owner, **{t.field: text}))
    return E.Batch(edits, "replace")


def where(issue: m.Issue, result, hit: Hit) -> tuple[int | None, str | None]:
    """The page and frame showing a hit (None, None when it is not placed)."""
    t = hit.target
    if t.kind == "frame":
        try:
            return issue.frame(t.owner)[0].number, t.owner
        except KeyError:
            return None, None
    if t.kind == "para":
        pos = StoryPos(t.field, hit.start)
        st = issue.stories[t.owner]
        for pr in result.pages:
            for fr in pr.frames:
                if fr.frame_id in st.thread and fr.start <= pos < fr.end:
                    return pr.number, fr.frame_id
        if st.thread:
            return issue.frame(st.thread[-1])[0].number, st.thread[-1]
        return None, None
    kinds = {"headline": ("headline",), "story": ("byline", "photo")}[t.kind]
    for page, fr in issue.frames():
        if fr.kind in kinds and getattr(fr, "story", "") == t.owner:
            return page.number, fr.id
    st = issue.stories[t.owner]
    if st.thread:
        return issue.frame(st.thread[0])[0].number, st.thread[0]
    return None, None


def describe(issue: m.Issue, t: Target) -> str:
    """Where a target is, for the results list: "稿件名 · 第3段" and so on."""
    if t.kind == "frame":
        return tr("find.in_frame", frame=t.owner, field=tr("find.field." + t.field))
    st = issue.stories.get(t.owner)
    name = (st.name or st.headline.title or t.owner) if st is not None else t.owner
    if t.kind == "para":
        return tr("find.in_para", story=name, n=t.field + 1)
    return tr("find.in_field", story=name, field=tr("find.field." + t.field))


class FindPanel(QWidget):
    """The find-and-replace dock."""

    goTo = Signal(object)             # a Hit to show and select

    def __init__(self, doc, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.hits: list[Hit] = []
        self.current = -1
        lay = QVBoxLayout(self)
        grid = QGridLayout()
        self.find_edit = QLineEdit()
        self.find_edit.setPlaceholderText(tr("find.what"))
        self.replace_edit = QLineEdit()
        self.replace_edit.setPlaceholderText(tr("find.with"))
        grid.addWidget(QLabel(tr("find.find")), 0, 0)
        grid.addWidget(self.find_edit, 0, 1)
        grid.addWidget(QLabel(tr("find.replace")), 1, 0)
        grid.addWidget(self.replace_edit, 1, 1)
        lay.addLayout(grid)
        opts = QGridLayout()
        self.whole = QCheckBox(tr("find.whole_word"))
        self.width = QCheckBox(tr("find.fold_width"))
        self.width.setChecked(True)
        self.regex = QCheckBox(tr("find.regex"))
        self.case = QCheckBox(tr("find.case"))
        for i, w in enumerate((self.whole, self.width, self.regex, self.case)):
            opts.addWidget(w, i // 2, i % 2)
        lay.addLayout(opts)
        row = QGridLayout()                  # 2 × 2: the dock fits a 1366-wide screen
        self.find_btn = QPushButton(tr("find.find_all"))
        self.next_btn = QPushButton(tr("find.next"))
        self.replace_btn = QPushButton(tr("find.replace_one"))
        self.replace_all_btn = QPushButton(tr("find.replace_all"))
        for i, b in enumerate((self.find_btn, self.next_btn, self.replace_btn,
                               self.replace_all_btn)):
            row.addWidget(b, i // 2, i % 2)
        lay.addLayout(row)
        self.results = QTreeWidget()
        self.results.setColumnCount(2)
        self.results.setHeaderLabels([tr("find.where"), tr("find.context")])
        self.results.setRootIsDecorated(False)
        self.results.setMinimumHeight(130)      # several hits visible even in a crowded column
        lay.addWidget(self.results, 1)
        self.status = QLabel()
        lay.addWidget(self.status)
        self.find_btn.clicked.connect(self.find_all)
        self.find_edit.returnPressed.connect(self.find_next)
        self.next_btn.clicked.connect(self.find_next)
        self.replace_btn.clicked.connect(self.replace_one)
        self.replace_all_btn.clicked.connect(self.replace_all)
        self.results.currentItemChanged.connect(self._chosen)
        self.results.itemActivated.connect(lambda it, _c: self._chosen(it))

    def options(self) -> Options:
        """The options as ticked."""
        return Options(self.whole.isChecked(), self.width.isChecked(), self.regex.isChecked(),
                       self.case.isChecked())

    def _segmenter(self):
        return getattr(getattr(self.doc, "composer", None), "segmenter", None)

    def search(self) -> list[Hit] | None:
        """Search the issue as it is now; None (and a message) for a bad expression."""
        try:
            return find(self.doc.issue, self.find_edit.text(), self.options(), self._segmenter(),
                        self.replace_edit.text())
        except ValueError as exc:
            self.status.setText(str(exc))
            return None

    def find_all(self) -> int:
        """Fill the results list; select the first hit."""
        hits = self.search()
        if hits is None:
            return 0
        self.hits = hits
        self.results.blockSignals(True)
        self.results.clear()
        for h in hits:
            text = _field_text(self.doc.issue, h.target)
            ctx = text[max(0, h.start - 8):h.start] + "【" + h.found + "】" + text[h.end:h.end + 8]
            it = QTreeWidgetItem([describe(self.doc.issue, h.target), ctx])
            self.results.addTopLevelItem(it)
        self.results.resizeColumnToContents(0)
        self.results.blockSignals(False)
        self.status.setText(tr("find.count", n=len(hits)))
        self.current = -1
        if hits:
            self.results.setCurrentItem(self.results.topLevelItem(0))
        return len(hits)

    def find_next(self) -> None:
        """The next hit (searching again when the list is stale)."""
        if not self.hits or self.results.topLevelItemCount() != len(self.hits):
            self.find_all()
            return
        i = (self.current + 1) % len(self.hits)
        self.results.setCurrentItem(self.results.topLevelItem(i))

    def _chosen(self, item, _prev=None) -> None:
        if item is None:
            return
        i = self.results.indexOfTopLevelItem(item)
        if 0 <= i < len(self.hits):
            hit = self.hits[i]
            if not self._still_there(hit):       # the text changed since the search
                self.status.setText(tr("find.stale"))
                self.find_all()
                return
            self.current = i
            self.goTo.emit(hit)

    def _still_there(self, hit: Hit) -> bool:
        try:
            return _field_text(self.doc.issue, hit.target)[hit.start:hit.end] == hit.found
        except (KeyError, IndexError, AttributeError):
            return False

    def replace_one(self) -> None:
        """Replace the current hit (one undo step), then go to the next."""
        if not (0 <= self.current < len(self.hits)):
            self.find_all()
            return
        fresh = self.search() or []
        hit = self.hits[self.current]
        if hit not in fresh:
            self.status.setText(tr("find.stale"))
            self.find_all()
            return
        if self.doc.push(replace_edit(self.doc.issue, [hit], self.replace_edit.text(),
                                      self.regex.isChecked()), tr("find.replace_one")):
            keep = self.current
            self.find_all()
            if self.hits:
                self.results.setCurrentItem(self.results.topLevelItem(min(keep,
                                                                           len(self.hits) - 1)))

    def replace_all(self) -> int:
        """Replace every hit as one undo step; say how many."""
        hits = self.search()
        if hits is None:
            return 0
        if not hits:
            self.status.setText(tr("find.count", n=0))
            return 0
        ok = self.doc.push(replace_edit(self.doc.issue, hits, self.replace_edit.text(),
                                        self.regex.isChecked()), tr("find.replace_all"))
        self.hits, self.current = [], -1
        self.results.clear()
        self.status.setText(tr("find.replaced", n=len(hits)) if ok else "")
        return len(hits) if ok else 0

    def focus_find(self, replace: bool = False) -> None:
        """Ctrl+F / Ctrl+H: put the cursor in the find (or replace) field."""
        w = self.replace_edit if replace and self.find_edit.text() else self.find_edit
        w.setFocus(Qt.FocusReason.ShortcutFocusReason)
        w.selectAll()
