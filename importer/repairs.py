"""Finding repairs: each is a record with evidence and the edits that carry it out.

Structural repairs work on whole blocks (drop a duplicated fragment, join a
paragraph split by a page or column break, move a misplaced tail fragment or
headline, split a one-line headline stack); character repairs come from
``textfix``.  Nothing here changes a block: ``assemble.build`` applies the
accepted ones.
"""
from __future__ import annotations

from layout.hanzi import looks_traditional, traditional_share
from layout.model import is_traditional

from .blocks import Block, Draft, Plan
from .chars import (NO_START, OPEN_ENDINGS, PAIRS, SPACES, end_evidence, ends_sentence,
                    is_enumerated, is_han, skeleton, start_evidence, strip_jumps)
from .parse import SIDEBAR_RE, TAIL_EDITOR_RE, dateline_span
from .result import Repair
from .textfix import Fix, apply_edits, block_fixes

#: Repairs at or above this confidence are applied unless the editor rejects them.
APPLY_AT = 0.6
#: A one-line headline stack: the kicker ends with a verb of saying.
KICKER_ENDS = ("强调", "指出", "表示", "要求", "提出", "寄语", "批示", "指示", "称", "说")


def _head(t: str, n: int = 14) -> str:
    """The start of a text, shortened with an ellipsis."""
    return t if len(t) <= n else t[:n] + "…"


def _tail(t: str, n: int = 14) -> str:
    """The end of a text, shortened with an ellipsis."""
    return t if len(t) <= n else "…" + t[-n:]


def _clean(b: Block) -> str:
    """A block's text without jump markers and outer spaces, as judged for repairs."""
    return strip_jumps(b.text).strip(SPACES)


def _repair(kind: str, b: Block, before: str, after: str, conf: float, evidence: str,
            ops: tuple = (), applied: bool | None = None) -> Repair:
    """A repair record not yet numbered or placed in a story."""
    if applied is None:
        applied = bool(ops) and conf >= APPLY_AT
    return Repair(id="", kind=kind, story="", paragraph=-1, line=b.line, before=before,
                  after=after, confidence=round(conf, 2), applied=applied,
                  evidence=evidence, ops=ops, anchor=b.id)


def _end_reason(t: str) -> str:
    """Why the text seems to stop mid-sentence."""
    t = t.rstrip(SPACES)
    if t and t[-1] in OPEN_ENDINGS:
        return f"ends with '{t[-1]}'"
    for o, c in PAIRS.items():
        if t.rfind(o) > t.rfind(c):
            return f"ends inside {o}…{c}"
    return "ends without sentence-final punctuation"


def _start_reason(t: str) -> str:
    """Why the text seems to start mid-sentence."""
    t = t.lstrip(SPACES)
    if t and t[0] in NO_START:
        return f"starts with '{t[0]}'"
    if len(t) > 1 and is_han(t[0]) and t[1] in "，、。；":
        return f"starts with '{t[:2]}'"
    for o, c in PAIRS.items():
        k = t.find(c)
        if k >= 0 and (t.find(o) < 0 or t.find(o) > k):
            return f"has a closing '{c}' without its opening '{o}'"
    return f"starts with the particle '{t[:1]}'"


def _excerpt(text: str, edits: list[tuple[int, int, str]], pad: int = 8) -> tuple[str, str]:
    """Before/after excerpts around some edits of one text."""
    wins: list[list[int]] = []
    for s, e, _ in sorted(edits):
        lo, hi = max(0, s - pad), min(len(text), e + pad)
        if wins and lo <= wins[-1][1]:
            wins[-1][1] = max(wins[-1][1], hi)
        else:
            wins.append([lo, hi])
    before, after = [], []
    for lo, hi in wins:
        inside = [(s - lo, e - lo, new) for s, e, new in edits if lo <= s and e <= hi]
        before.append(text[lo:hi])
        after.append(apply_edits(text[lo:hi], (), inside)[0])
    return " … ".join(before), " … ".join(after)


# ------------------------------------------------------------------ body structure
def _duplicates(d: Draft, out: list[Repair]) -> set[int]:
    """A paragraph that repeats (the tail of) the one before: proposed for removal."""
    dropped: set[int] = set()
    prev: Block | None = None
    for b in d.body:
        if b.role != "para":
            continue
        sk = skeleton(_clean(b))
        if prev is not None and len(sk) >= 8:
            psk = skeleton(_clean(prev))
            if sk in psk:
                suffix = psk.endswith(sk)
                what = "the tail" if suffix else "part"
                out.append(_repair(
                    "duplicate", b, _head(_clean(b), 20), "", 0.95 if suffix else 0.85,
                    f"repeats {what} of the paragraph on line {prev.line} "
                    f"({len(sk)} characters: '{_head(sk, 10)}')", (("drop", b.id),)))
                dropped.add(b.id)
                continue
        prev = b
    return dropped


def _credits_and_signoffs(d: Draft, out: list[Repair]) -> None:
    """Stand-alone sign-offs run into the last paragraph; photo credits become photos."""
    last: Block | None = None
    for b in d.body:
        if b.role == "credit":
            out.append(_repair("photo_credit", b, b.text, f"图片署名 photo credit: {b.text}",
                               0.9, "a photo credit line, not body text",
                               (("credit", b.id),)))
        elif b.role == "signoff" and last is not None:
            out.append(_repair("signoff", b, b.text, _tail(_clean(last), 8) + b.text, 0.9,
                               f"a reporter's name closing the story runs in at the end of "
                               f"the last paragraph (line {last.line})", (("join", b.id),)))
        elif b.role in ("para", "subhead"):
            last = b


def _splits_and_fragments(d: Draft, dropped: set[int], out: list[Repair]) -> None:
    """Paragraphs split mid-sentence joined; a misplaced tail fragment moved back."""
    seq = [b for b in d.body if b.role in ("para", "subhead") and b.id not in dropped]
    unfinished: list[tuple[Block, Block | None]] = []
    for a, b in zip(seq, seq[1:]):
        ta, tb = _clean(a), _clean(b)
        if (a.role != "para" or b.role != "para" or ends_sentence(ta) or is_enumerated(ta)
                or is_enumerated(tb) or a.found or b.found):
            continue                      # list items ("一、…", "（2）…") need no full stop
        ea, sb = end_evidence(ta), start_evidence(tb)
        conf = max(ea, sb)
        if conf >= APPLY_AT:
            why = [f"line {a.line} {_end_reason(ta)}"]
            if sb:
                why.append(f"line {b.line} {_start_reason(tb)}")
            out.append(_repair("split", b, _tail(ta) + " ¶ " + _head(tb), _tail(ta) + _head(tb),
                               min(0.95, conf + (0.05 if ea and sb else 0)),
                               "; ".join(why), (("join", b.id),)))
        else:
            unfinished.append((a, b))
    if seq and seq[-1].role == "para" and not ends_sentence(_clean(seq[-1])) \
            and not is_enumerated(_clean(seq[-1])) and not seq[-1].found:
        unfinished.append((seq[-1], None))
    candidates = [b for k, b in enumerate(seq) if k and b.role == "para" and not b.found
                  and start_evidence(_clean(b)) >= APPLY_AT and ends_sentence(_clean(seq[k - 1]))]
    claimed: set[int] = set()
    for a, b in unfinished:
        ta = _clean(a)
        cands = [f for f in candidates if f.id not in claimed and f is not a and f is not b]
        if len(cands) == 1:
            f = cands[0]
            claimed.add(f.id)
            tf = _clean(f)
            place = "the story's last paragraph" if b is None else "a paragraph"
            out.append(_repair(
                "misplaced_fragment", f, _head(tf, 20), _tail(ta) + _head(tf),
                min(0.9, start_evidence(tf)),
                f"line {a.line}, {place}, {_end_reason(ta)} ('{_tail(ta, 10)}'); line {f.line} "
                f"{_start_reason(tf)} after a paragraph that ends a sentence: it belongs "
                f"after line {a.line}", (("move", (f.id,), a.id),)))
        elif len(cands) > 1:
            out.append(_repair(
                "misplaced_fragment", a, _tail(ta), "", 0.3,
                f"line {a.line} {_end_reason(ta)}; its continuation may be one of lines "
                + ", ".join(str(f.line) for f in cands)))
        elif b is not None:
            out.append(_repair("split", b, _tail(ta) + " ¶ " + _head(_clean(b)),
                               _tail(ta) + _head(_clean(b)), 0.4,
                               f"line {a.line} {_end_reason(ta)}, but line {b.line} starts "
                               "like a paragraph", (("join", b.id),)))
        else:
            out.append(_repair("unfinished", a, _tail(ta), "", 0.0,
                               f"the story's last paragraph {_end_reason(ta)}; "
                               "no continuation found"))


# ------------------------------------------------------------------ structure
def _structure(d: Draft, out: list[Repair]) -> None:
    """Section heads, author and affiliation lines, an editor's note, a 链接/背景 box and
    the desk editor's name: each a repair giving the paragraph its style or field."""
    body = d.body
    started = False                      # body text seen (an author line after it is no byline)
    i = 0
    while i < len(body):
        b = body[i]
        i += 1
        if b.role != "para":
            started = started or b.role in ("subhead",)
            continue
        t = _clean(b)
        if b.found == "section":
            out.append(_repair("section_head", b, t, f"小标题 subhead: {t}", 0.8,
                               "a short numbered line without sentence punctuation "
                               f"('{t[:3]}…') heads a section", (("role", b.id, "subhead"),)))
        elif b.found == "author":
            where = ("the story's byline" if not started
                     else "an author line (style 'author')")
            out.append(_repair("author", b, t, f"署名 {where}: {t}", 0.85,
                               f"'{t[:3]}' opens an author's name"
                               + ("" if started else ", before the text"),
                               (("role", b.id, "author" if started else "byline"),)))
        elif b.found == "affiliation":
            out.append(_repair("affiliation", b, t, f"作者单位 (style 'affiliation'): {t}", 0.9,
                               "the author's affiliation ('作者单位/作者系…'), not body text",
                               (("role", b.id, "affiliation"),)))
        elif b.found == "editor":
            out.append(_repair("desk_editor", b, t, f"责任编辑 story field editor: {t}", 0.9,
                               "the desk editor's name (责任编辑) is not printed in the text",
                               (("role", b.id, "editor"),)))
        elif b.found == "note":
            ops = [("role", b.id, "note")]
            label_only = len(t) <= 8
            if label_only and i < len(body) and body[i].role == "para" and not body[i].found:
                ops.append(("role", body[i].id, "note"))
                i += 1
            out.append(_repair("editor_note", b, _head(t, 20), "编者按 (style 'note')", 0.9,
                               f"'{t[:3]}' opens an editor's note"
                               + (" (the label and the paragraph after it)" if label_only
                                  else ""), tuple(ops)))
        elif b.found == "sidebar-head":
            label = SIDEBAR_RE.match(t).group(0).strip(SPACES + "：:【】[]")
            ops = [("role", b.id, "sidebar-head" if len(t) <= len(label) + 4 else "sidebar")]
            while i < len(body) and body[i].role in ("para", "subhead") \
                    and body[i].found not in ("editor", "affiliation"):
                ops.append(("role", body[i].id, "sidebar"))
                i += 1
            out.append(_repair("sidebar", b, _head(t, 20),
                               f"{label} box: {len(ops)} paragraph(s), styles 'sidebar-head'"
                               "/'sidebar'", 0.85,
                               f"'{label}' opens a box set apart from the story; the "
                               "paragraphs after it to the story's end are its text",
                               tuple(ops)))
            continue
        started = started or b.found not in ("author", "affiliation", "editor", "note")
    paras = [b for b in body if b.role == "para"]
    if paras:
        last = paras[-1]
        m = TAIL_EDITOR_RE.search(last.text)
        if m and m.start() > 0:
            out.append(_repair("desk_editor", last, last.text[m.start():].strip(SPACES),
                               f"责任编辑 story field editor: {m.group(1)}", 0.9,
                               "the desk editor's name closing the text is not printed there",
                               (("edit", last.id, m.start(), len(last.text), ""),
                                ("field", last.id, "editor", m.group(1)))))
    lead = next((b for b in body if b.role == "para" and not b.found), None)
    if lead is not None:
        t = lead.text.lstrip(SPACES)
        end = dateline_span(t, d.meta.get("dateline", ""))
        if end:
            head = t[:end]
            out.append(_repair("dateline", lead, head, f"电头 dateline: {head} (story field "
                               "dateline; character style 'dateline')", 0.9,
                               "the lead opens with a dateline" + (" and a run-in byline"
                                                                   if head.endswith(("）", ")"))
                                                                   else "")
                               + (" (given by the source's metadata)" if d.meta.get("dateline")
                                  else ""), (("dateline", lead.id, d.meta.get("dateline", "")),)))


# ------------------------------------------------------------------ headlines
def pairs_of(text: str) -> set[str]:
    """The character pairs (bigrams) of a text's skeleton."""
    sk = skeleton(text)
    return {sk[i:i + 2] for i in range(len(sk) - 1)}


def coverage(headline: str, text_pairs: set[str]) -> tuple[float, list[str]]:
    """Share of the headline's character pairs found in a text (given by its pairs),
    and the runs of the headline they cover."""
    h = skeleton(headline)
    pairs = [h[i:i + 2] for i in range(len(h) - 1)]
    if not pairs:
        return 0.0, []
    hits = [p in text_pairs for p in pairs]
    runs, i = [], 0
    while i < len(hits):
        if hits[i]:
            j = i
            while j + 1 < len(hits) and hits[j + 1]:
                j += 1
            runs.append(h[i:j + 2])
            i = j + 1
        else:
            i += 1
    return sum(hits) / len(pairs), runs


def _body_text(d: Draft) -> str:
    """All body text of a draft, for comparing with a headline."""
    return "".join(b.text for b in d.body if b.role in ("para", "subhead"))


def _headline_text(d: Draft) -> str:
    """The draft's headline lines as one string."""
    return " ".join(b.text for b in d.heads)


def _misplaced_headlines(drafts: list[Draft], out: list[Repair]) -> set[int]:
    """A headline with no text of its own right after a story without one: matched to it
    (moved when clear); returns the drafts that get a headline so."""
    targets: set[int] = set()
    pairs: dict[int, set[str]] = {}

    def pairs_of_draft(o: Draft) -> set[str]:
        """A draft's body pairs, computed once."""
        if o.index not in pairs:
            pairs[o.index] = pairs_of(_body_text(o))
        return pairs[o.index]

    for j, d in enumerate(drafts):
        if not d.heads or d.body:
            continue
        title = _headline_text(d)
        prev = drafts[j - 1] if j else None
        anchor = d.heads[-1]
        if prev is None or prev.heads or not prev.has_text():
            out.append(_repair("misplaced_headline", anchor, title, "", 0.2,
                               "a headline with no text of its own, and no story "
                               "without a headline right before it"))
            continue
        cov, runs = coverage(title, pairs_of_draft(prev))
        others = [coverage(title, pairs_of_draft(o))[0] for o in drafts
                  if o is not prev and o is not d and o.has_text()]
        best = max(others, default=0.0)
        clear = cov >= 0.4 and cov >= best + 0.15
        conf = min(0.95, 0.5 + cov - best) if clear else min(0.5, 0.2 + cov)
        first = next((b for b in prev.body if b.role == "para"), prev.body[0])
        if clear:
            targets.add(prev.index)
        out.append(_repair(
            "misplaced_headline", anchor, title, f"headline of the story on line {first.line} "
            f"('{_head(_clean(first), 12)}')", conf,
            f"stands after that story, which has none, and has no text of its own; shared "
            f"words: {'/'.join(runs) or 'none'} ({cov:.0%} of the headline's character pairs; "
            f"best other story {best:.0%})", (("headline", d.index, prev.index),),
            applied=clear))
    return targets


def _headline_splits(d: Draft, out: list[Repair]) -> None:
    """A one-line stack "某某强调 主题 副题" split into kicker, title and subtitle."""
    title = next((b for b in d.heads if b.role == "title"), None)
    if title is None:
        return
    has_kicker = any(b.role == "kicker" for b in d.heads)
    has_sub = any(b.role == "subtitle" for b in d.heads)
    parts = title.text.split()
    if len(parts) >= 2 and not has_kicker and parts[0].endswith(KICKER_ENDS) \
            and len(parts[0]) >= 4:
        kicker = parts[0]
        if has_sub or len(parts) == 2:
            main, sub = " ".join(parts[1:]), ""
        else:
            main, sub = parts[1], " ".join(parts[2:])
        after = f"引题 {kicker} | 主题 {main}" + (f" | 副题 {sub}" if sub else "")
        out.append(_repair("headline_split", title, title.text, after, 0.85,
                           f"one line holding a stack: the first part ends with "
                           f"'{parts[0][-2:]}' (a kicker)" + (", the rest after the title "
                           "is the subtitle" if sub else ""),
                           (("split_head", title.id, kicker, main, sub),)))
        return
    k = title.text.find("——", 4)
    if k > 0 and not has_sub and title.text[k - 1] in SPACES:
        main, sub = title.text[:k].strip(SPACES), title.text[k:].strip(SPACES)
        out.append(_repair("headline_split", title, title.text,
                           f"主题 {main} | 副题 {sub}", 0.8,
                           "a '——' subtitle on the title's line",
                           (("split_head", title.id, "", main, sub),)))


# ------------------------------------------------------------------ all
def find_repairs(plan: Plan) -> list[Repair]:
    """Every repair for a plan, unnumbered, in source order."""
    out: list[Repair] = []
    for d in plan.drafts:
        dropped = _duplicates(d, out)
        _credits_and_signoffs(d, out)
        _splits_and_fragments(d, dropped, out)
        _headline_splits(d, out)
        _structure(d, out)
    targets = _misplaced_headlines(plan.drafts, out)
    for d in plan.drafts:
        if d.has_text() and not d.heads and d.index not in targets:
            first = next(b for b in d.body if b.role in ("para", "subhead", "signoff",
                                                           "caption"))
            out.append(_repair("no_headline", first, _head(_clean(first), 20), "", 0.0,
                               "a story without a headline"))
    for d in plan.drafts:
        hant = is_traditional(d.meta.get("language", ""))
        for b in [*d.heads, *d.bylines, *d.body]:
            fixes = block_fixes(b.text, b.role, b.found)
            if hant:
                fixes = [_hant_quotes_in(f) for f in fixes] + quote_fixes(b.text, fixes)
            for f in fixes:
                before, after = _excerpt(b.text, list(f.edits))
                out.append(_repair(f.kind, b, before, after, f.confidence, f.evidence,
                                   tuple(("edit", b.id, s, e, new) for s, e, new in f.edits)))
    return out


# ---------------------------------------------------------------- Traditional text
#: quotation marks of Simplified text → the corner brackets Taiwan and Hong Kong print
HANT_QUOTES = {"“": "「", "”": "」", "‘": "『", "’": "』"}


def _hant_quotes_in(f: Fix) -> Fix:
    """A fix whose new text holds “” (straight quotes made curly) gives 「」 instead."""
    if not any(q in new for _, _, new in f.edits for q in HANT_QUOTES):
        return f
    edits = tuple((s, e, "".join(HANT_QUOTES.get(ch, ch) for ch in new)) for s, e, new in f.edits)
    return Fix(f.kind, edits, f.confidence, f.evidence + "; 「」 in Traditional text")


def quote_fixes(text: str, fixes: list[Fix] = ()) -> list[Fix]:
    """“”‘’ in a Traditional story become 「」『』 (one fix per block), unless another
    fix already rewrites that character."""
    taken = {i for f in fixes for s, e, _ in f.edits for i in range(s, e)}
    edits = tuple((i, i + 1, HANT_QUOTES[ch]) for i, ch in enumerate(text)
                  if ch in HANT_QUOTES and i not in taken)
    if not edits:
        return []
    return [Fix("quotes", edits, 0.8, "Traditional text (zh-Hant) is quoted with 「」 and 『』")]


def mark_traditional(plan: Plan) -> list[str]:
    """Find the drafts written in Traditional characters and give them a language
    (zh-Hant-HK when the file was Big5-HKSCS, else zh-Hant-TW) in ``meta``; the
    notes say what was found."""
    lang = "zh-Hant-HK" if "hkscs" in plan.encoding.lower() else "zh-Hant-TW"
    found = []
    for d in plan.drafts:
        text = "".join(b.text for b in [*d.heads, *d.bylines, *d.body])
        if d.meta.get("language") or not looks_traditional(text):
            continue
        d.meta["language"] = lang
        found.append((d, traditional_share(text)))
    if not found:
        return []
    share = sum(s for _, s in found) / len(found)
    return [f"繁体 Traditional Chinese text ({len(found)} of {len(plan.drafts)} stories, "
            f"{share:.0%} of their Han characters Traditional-only forms): language {lang}, "
            "quotes “” ‘’ made 「」 『』"]
