"""File → Import: read stories with ``importer``, let the editor accept or reject each repair."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout)

from layout import edits as E
from layout import model as m

from .i18n import language, tr


# ------------------------------------------------------------------ the report in Chinese
#: the importer writes its evidence in English; under a Chinese UI each phrase is put into
#: Chinese here, in order (the reasons first, then the sentences built from them).
#: Quoted source text ('…') keeps its characters and takes Chinese quotes.
_Q = r"'([^']*)'"
EVIDENCE_ZH: list[tuple[str, str]] = [
    # a headline stack on one line (before the reasons: it too says "ends with")
    (r"one line holding a stack: the first part ends with " + _Q + r" \(a kicker\), the rest "
     r"after the title is the subtitle",
     r"一行里有多层标题：第一部分以“\1”结尾（引题），主题之后的是副题"),
    (r"one line holding a stack: the first part ends with " + _Q + r" \(a kicker\)",
     r"一行里有多层标题：第一部分以“\1”结尾（引题）"),
    # why a paragraph seems to stop or start mid-sentence (importer.repairs._end/_start_reason)
    (r"ends without sentence-final punctuation", "结尾没有句末标点"),
    (r"ends with " + _Q, r"以“\1”结尾"),
    (r"ends inside (.)…(.)", r"结尾停在\1…\2之内"),
    (r"has a closing " + _Q + " without its opening " + _Q, r"有后半“\1”而无前半“\2”"),
    (r"starts with the particle " + _Q, r"以虚词“\1”开头"),
    (r"starts with " + _Q, r"以“\1”开头"),
    (r"starts like a paragraph", "像一段的开头"),
    # paragraphs split, fragments out of place, stories left unfinished
    (r"line (\d+), the story's last paragraph, (.+?) \(" + _Q + r"\); line (\d+) (.+?) after a "
     r"paragraph that ends a sentence: it belongs after line (\d+)",
     r"第 \1 行（稿件最后一段）\2（“\3”）；第 \4 行\5，而它前面一段已经结句：应接在第 \6 行之后"),
    (r"line (\d+), a paragraph, (.+?) \(" + _Q + r"\); line (\d+) (.+?) after a "
     r"paragraph that ends a sentence: it belongs after line (\d+)",
     r"第 \1 行（一段）\2（“\3”）；第 \4 行\5，而它前面一段已经结句：应接在第 \6 行之后"),
    (r"its continuation may be one of lines ([\d, ]+)", r"后续可能是第 \1 行之一"),
    (r", but line (\d+) ", r"，但第 \1 行"),
    (r"the story's last paragraph (.+?); no continuation found",
     r"稿件最后一段\1；没有找到后续"),
    (r"repeats the tail of the paragraph on line (\d+) \((\d+) characters: " + _Q + r"\)",
     r"与第 \1 行那段的末尾重复（\2 字：“\3”）"),
    (r"repeats part of the paragraph on line (\d+) \((\d+) characters: " + _Q + r"\)",
     r"与第 \1 行那段的一部分重复（\2 字：“\3”）"),
    (r"a reporter's name closing the story runs in at the end of the last paragraph "
     r"\(line (\d+)\)", r"稿末的记者署名接排在最后一段末尾（第 \1 行）"),
    (r"a photo credit line, not body text", "图片署名行，不是正文"),
    # structure
    (r"a short numbered line without sentence punctuation \(" + _Q + r"\) heads a section",
     r"不带句末标点的编号短行（“\1”）是小标题"),
    (_Q + r" opens an author's name, before the text", r"“\1”引出作者署名，在正文之前"),
    (_Q + r" opens an author's name", r"“\1”引出作者署名"),
    (r"the author's affiliation \(" + _Q + r"\), not body text", r"作者单位（“\1”），不是正文"),
    (r"the desk editor's name \(责任编辑\) is not printed in the text", "责任编辑的名字不印在正文里"),
    (r"the desk editor's name closing the text is not printed there", "正文末尾的责任编辑名字不印出"),
    (_Q + r" opens an editor's note \(the label and the paragraph after it\)",
     r"“\1”引出编者按（标签和其后一段）"),
    (_Q + r" opens an editor's note", r"“\1”引出编者按"),
    (_Q + r" opens a box set apart from the story; the paragraphs after it to the story's end "
     r"are its text", r"“\1”引出与正文分开的专栏框；其后直到稿末的段落都是框内文字"),
    (r"the lead opens with a dateline", "导语以电头开始"),
    (r" and a run-in byline", "，后接署名"),
    (r" \(given by the source's metadata\)", "（来源的元数据给出）"),
    # headlines
    (r"a headline with no text of its own, and no story without a headline right before it",
     "一个没有正文的标题，它前面也没有缺标题的稿件"),
    (r"stands after that story, which has none, and has no text of its own; shared words: "
     r"(.*?) \((\d+)% of the headline's character pairs; best other story (\d+)%\)",
     r"紧跟在这篇没有标题的稿件之后，自己没有正文；共有的词：\1（标题字对的 \2%；"
     r"其他稿件最多 \3%）"),
    (r"a '——' subtitle on the title's line", "主题行里带有“——”副题"),
    (r"a story without a headline", "稿件没有标题"),
    # characters (importer.textfix)
    (r"a jump line in the text; the layout generates jump lines", "正文里的转版标记；转版行由排版生成"),
    (r"full-width digits/Latin letters are set half-width", "全角数字和拉丁字母改为半角"),
    (r"parentheses in Chinese text are full-width", "中文里的括号用全角"),
    (r"an unpaired parenthesis next to Chinese text", "中文旁不成对的括号"),
    (_Q + r" after/before Chinese text is full-width", r"中文前后的“\1”用全角"),
    (r"'\.' ending a Chinese sentence is '。'", "中文句末的“.”应为“。”"),
    (r"straight quotes in Chinese text are “ ”", "中文里的直引号改为“ ”"),
    (r"no gap between the dateline " + _Q + r" and its run-in byline",
     r"电头“\1”和其后的署名之间不留空"),
    (r"the gap after the dateline " + _Q + r" is one character wide \(U\+3000\)",
     r"电头“\1”之后空一个字（全角空格）"),
    (r"a space next to the full-width " + _Q + r" \(removed: full-width punctuation needs no "
     r"space\)", r"全角“\1”旁的空格（已删：全角标点不需要空格）"),
    (r"a space inside the word " + _Q + r" \(removed: extraction damage\)",
     r"词“\1”中间的空格（已删：提取造成的损坏）"),
    (r"a doubled space between the names " + _Q + " and " + _Q + r" \(one kept\)",
     r"名称“\1”和“\2”之间的双空格（保留一个）"),
    (r"kept: a space between the names " + _Q + " and " + _Q + r" may part a place, an "
     r"affiliation or names \(accept to remove it\)",
     r"保留：名称“\1”和“\2”之间的空格可能分隔地名、单位或人名（勾选即删除）"),
    (r"a space between " + _Q + " and " + _Q + r" inside a sentence \(removed: extraction "
     r"damage; not between two names\)",
     r"句中“\1”和“\2”之间的空格（已删：提取造成的损坏；不在两个名称之间）"),
    (r"; 「」 in Traditional text", "；繁体文本用「」"),
    (r"Traditional text \(zh-Hant\) is quoted with 「」 and 『』", "繁体文本的引号用「」和『』"),
    # what is left: a line number, the joints between reasons
    (r"\bline (\d+) ?", r"第 \1 行"),
    (r"; ", "；"),
]

#: the importer's own labels in the "after" column of its structure repairs
AFTER_ZH: list[tuple[str, str]] = [
    (r"^图片署名 photo credit: ", "图片署名："),
    (r"^小标题 subhead: ", "小标题："),
    (r"^署名 the story's byline: ", "署名（稿件署名）："),
    (r"^署名 an author line \(style 'author'\): ", "署名（作者行）："),
    (r"^作者单位 \(style 'affiliation'\): ", "作者单位："),
    (r"^责任编辑 story field editor: ", "责任编辑（不印出）："),
    (r"^编者按 \(style 'note'\)$", "编者按"),
    (r"^(.+?) box: (\d+) paragraph\(s\), styles 'sidebar-head'/'sidebar'$", r"\1框：\2 段"),
    (r"^电头 dateline: (.+) \(story field dateline; character style 'dateline'\)$", r"电头：\1"),
    (r"^headline of the story on line (\d+) \(" + _Q + r"\)$", r"第 \1 行稿件的标题（“\2”）"),
]
#: repairs whose "after" is the importer's description, not an excerpt of the text
DESCRIBED = {"photo_credit", "section_head", "author", "affiliation", "desk_editor",
             "editor_note", "sidebar", "dateline", "misplaced_headline"}


def _english_left(text: str) -> bool:
    """Latin words outside the quoted source text."""
    import re
    return bool(re.search(r"[A-Za-z]{2,}", re.sub(r"“[^”]*”", "", text)))


def evidence_text(repair) -> str:
    """A repair's evidence in the UI language.  Under Chinese every known phrase of the
    importer is translated; a phrase this table does not know yet gives the repair's
    kind and confidence in Chinese rather than English."""
    import re
    from importer import KINDS
    text = repair.evidence or ""
    if language() != "zh" or not text:
        return text
    for pat, rep in EVIDENCE_ZH:
        text = re.sub(pat, rep, text)
    if _english_left(text):
        return tr("import.evidence.unknown", kind=KINDS.get(repair.kind, repair.kind),
                  conf=round(100 * (repair.confidence or 0)))
    return text


def after_text(repair) -> str:
    """A repair's "after" text: the importer's labels in the UI language."""
    import re
    text = repair.after or ""
    if language() != "zh" or repair.kind not in DESCRIBED:
        return text
    for pat, rep in AFTER_ZH:
        text = re.sub(pat, rep, text)
    return text


class ImportDialog(QDialog):
    """The repair report of one import: a checkbox per repair (checked = accepted)."""

    def __init__(self, result, parent=None):
        super().__init__(parent)
        from importer import KINDS
        self.result = result
        report = result.report
        self.setWindowTitle(tr("import.title", source=Path(report.source).name))
        self.resize(980, 520)
        lay = QVBoxLayout(self)
        self.summary = QLabel(tr("import.stories", n=len(result.stories)) + "  ·  " +
                              tr("list.sep").join(s.name or s.id for s in result.stories))
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        lay.addWidget(QLabel(tr("import.repairs")))
        self.tree = QTreeWidget()
        self.tree.setColumnCount(5)
        self.tree.setHeaderLabels(["", tr("import.col.line"), tr("import.col.before"),
                                   tr("import.col.after"), tr("import.col.evidence")])
        self.tree.setRootIsDecorated(False)
        for r in report.repairs:
            kind = KINDS.get(r.kind, r.kind) if language() == "zh" else \
                r.kind.replace("-", " ").replace("_", " ")
            after, why = after_text(r), evidence_text(r)
            it = QTreeWidgetItem([kind, str(r.line), r.before[:60], after[:60], why])
            it.setToolTip(4, why)
            it.setData(0, Qt.ItemDataRole.UserRole, r.id)
            if r.actionable:
                it.setCheckState(0, Qt.CheckState.Checked if r.applied else Qt.CheckState.Unchecked)
            it.setToolTip(2, r.before)
            it.setToolTip(3, after)
            self.tree.addTopLevelItem(it)
        for c in range(5):
            self.tree.resizeColumnToContents(c)
        for c in (2, 3):            # excerpts: the evidence beside them stays in view
            self.tree.setColumnWidth(c, min(self.tree.columnWidth(c), 190))
        self.tree.header().setStretchLastSection(True)
        lay.addWidget(self.tree)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("ok"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def accepted_ids(self) -> set[str]:
        """The repairs left checked."""
        out = set()
        for i in range(self.tree.topLevelItemCount()):
            it = self.tree.topLevelItem(i)
            if it.checkState(0) == Qt.CheckState.Checked:
                out.add(it.data(0, Qt.ItemDataRole.UserRole))
        return out

    def final_result(self):
        """The import rebuilt with only the accepted repairs."""
        from importer import apply
        ids = self.accepted_ids()
        if ids == self.result.report.applied_ids():
            return self.result
        return apply(self.result.report, ids)


def import_edit(issue: m.Issue, result) -> E.Edit:
    """One edit adding the imported stories (and any character styles they use)."""
    edits: list[E.Edit] = []
    used = {r.style for s in result.stories for p in s.paragraphs for r in p.runs if r.style}
    from importer.styles import import_styles
    for name in sorted(used - set(issue.char_styles)):
        font = "headline" if name in ("bold", "strong", "dateline") else ""
        edits.append(E.SetStyleDef(name, m.CharStyle(font=font), "char_styles"))
    pused = {p.style for s in result.stories for p in s.paragraphs}
    for name in sorted(pused - set(issue.paragraph_styles)):
        edits.append(E.SetParagraphStyleDef(name, import_styles().get(name, m.ParagraphStyle())))
    for story in result.stories:
        st = dataclasses.replace(story, thread=[])      # every field: dateline, credit, editor
        edits.append(E.AddStory(st))
    return E.Batch(edits, "import")


def run_import(window, doc, path: str, ask: bool = True) -> bool:
    """Import a file into the document; show the repair report first when ``ask``."""
    from importer import ImportFailure, import_file
    try:
        result = import_file(path, issue_path=doc.path, existing_ids=list(doc.issue.stories))
    except ImportFailure as exc:
        window.show_error(str(exc))
        return False
    if ask:
        dlg = ImportDialog(result, window)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return False
        result = dlg.final_result()
    return doc.push(import_edit(doc.issue, result), "import")
