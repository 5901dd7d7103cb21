"""Reading an edited issue file again by the parts that changed.

A whole parse (``parse_indexed``) gives, besides the model, an *index* of the file:
where each entry of the ``stories:``, ``masters:`` and ``pages:`` sections begins (a
character offset, as the YAML parse found it), each section's indentation and where it
ends.  ``reparse`` takes the text, index and model of the file as it was and its new
text: it finds the changed span (the common prefix and suffix), and when that span lies
inside the entries of one of those sections it composes only those entries' text (after
as many blank lines as precede them, so that lines are counted as in the file), builds
them as the whole parse does, puts them in place of the old ones in the old model, and
checks the result across objects (``doccheck.validate``).  A change inside one story
paragraph written as a plain one-line text, which YAML can read only as that text (no
indicator first, no comment, no ``: ``, some character outside ASCII …), needs no YAML
at all: the new text goes into the model as the paragraph, and of the checks only those
of a paragraph (its styles; the rest of the model is as it was, valid); the YAML library
and the loader are imported only when entries are composed.

Whatever could read differently alone than within the file gives None, and the caller
parses the whole text: anchors, aliases, tags, directives, document markers, line breaks
other than ``\\n`` (anywhere in the old text, or in the new entries' text), a change
outside those sections or across two of them, entries that do not compose alone as a
block collection at the section's indentation, a key that another entry of the section
already has, a section left empty, any DocumentError in the entries' text, and any
problem ``validate`` finds (so an error is always the whole parse's, line included).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from . import doccheck
from . import model as m

#: sections read entry by entry: (name, a mapping (True) or a list)
INDEXED = (("masters", True), ("stories", True), ("pages", False))

#: what may read differently in a part of the file than in the whole: an anchor, alias
#: or tag at the start of a value, a directive or document marker, other line breaks
_DOUBTFUL = re.compile(r"[\r\x85\u2028\u2029\ufeff]|(?:^|[\s\[\]{},:?-])[&*!]"
                       r"|^(?:%|---|\.\.\.)", re.M)

#: a paragraph YAML reads as the text of its line, whatever file it is in: a plain scalar
#: starting with no indicator, with no comment (" #"), no ": ", no control characters or
#: line breaks; with a character outside ASCII (so no null, number, date or true/false)
_SAFE_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`]"
                         r"[^\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]*")
_STR = "tag:yaml.org,2002:str"

#: an index: section name → (column, entry offsets, entry keys (None for a list), end offset,
#: for stories each entry's paragraphs as (offset in the entry, length) when the paragraph
#: is a plain one-line text (``- 本报讯……``) that ends its line, else (-1, 0))
Index = dict


def _safe_plain(s: str) -> bool:
    return bool(_SAFE_PLAIN.fullmatch(s)) and " #" not in s and ": " not in s and \
        not s.endswith((":", " ")) and not s.isascii() and not _DOUBTFUL.search(s)


def _plains(text: str, base_line: int, offsets: list[int], values) -> list[list]:
    """For the story entries beginning at ``offsets`` in ``text`` (whose first line is
    ``base_line``), with value nodes ``values``: their paragraphs as the index keeps them."""
    import yaml
    items = []
    for v in values:
        paras = []
        if isinstance(v, yaml.MappingNode) and not v.flow_style:
            for k, n in v.value:
                if k.value == "paragraphs" and isinstance(n, yaml.SequenceNode) and \
                        not n.flow_style:
                    paras = n.value
        items.append([n if isinstance(n, yaml.ScalarNode) and not n.style and
                      n.tag == _STR and n.start_mark.line == n.end_mark.line else None
                      for n in paras])
    lines = sorted({n.start_mark.line for ps in items for n in ps if n is not None})
    starts = dict(zip(lines, _line_starts(text, lines, base_line)))
    out = []
    for entry, ps in zip(offsets, items):
        row = []
        for n in ps:
            if n is not None:
                at = starts[n.start_mark.line] + n.start_mark.column
                if text[at:at + len(n.value) + 1] == n.value + "\n":
                    row.append((at - entry, len(n.value)))
                    continue
            row.append((-1, 0))
        out.append(row)
    return out


def _line_starts(text: str, lines, base_line: int = 0) -> list[int]:
    """The offsets in ``text`` of the starts of ``lines`` (ascending, none before
    ``base_line``, the line ``text`` starts with)."""
    out, line, pos = [], base_line, 0
    for want in lines:
        while line < want:
            pos = text.index("\n", pos) + 1
            line += 1
        out.append(pos)
    return out


def _entry_lines(node, col: int, is_map: bool) -> list[int] | None:
    """The lines where the entries of a block collection begin (None if it is in flow
    style, or not at column ``col``)."""
    import yaml
    kind = yaml.MappingNode if is_map else yaml.SequenceNode
    if not isinstance(node, kind) or node.flow_style or node.start_mark.column != col:
        return None
    if is_map:
        if any(k.start_mark.column != col for k, _ in node.value):
            return None
        return [k.start_mark.line for k, _ in node.value]
    return [n.start_mark.line for n in node.value]


def _starts_ok(text: str, starts: list[int], col: int, is_map: bool) -> bool:
    """Each entry's line holds only spaces before column ``col`` (and a list item's
    ``-`` at it): the entry begins on that line."""
    for s in starts:
        if text[s:s + col].strip(" ") or (not is_map and text[s + col:s + col + 1] != "-"):
            return False
    return True


def make_index(text: str, root, issue: m.Issue) -> Index | None:
    """The index of a file wholly parsed (``root``: its nodes, ``issue``: its model);
    None if it holds anything a part could read differently."""
    import yaml
    if _DOUBTFUL.search(text) or not isinstance(root, yaml.MappingNode) or root.flow_style:
        return None
    keys = [(k.value, k.start_mark.line, v) for k, v in root.value]
    wanted = dict(INDEXED)
    lines = sorted({ln for _, ln, _ in keys})
    found = []
    for i, (name, _, v) in enumerate(keys):
        if name not in wanted or not v.value:
            continue
        lines_of = _entry_lines(v, v.start_mark.column, wanted[name])
        if lines_of is None:
            return None
        found.append((name, v.start_mark.column, lines_of,
                      keys[i + 1][1] if i + 1 < len(keys) else None, v))
        lines += lines_of
    wanted_lines = sorted(set(lines))
    starts = dict(zip(wanted_lines, _line_starts(text, wanted_lines)))
    index: Index = {}
    for name, col, lines_of, end_line, v in found:
        offsets = [starts[ln] for ln in lines_of]
        if not _starts_ok(text, offsets, col, wanted[name]):
            return None
        model_keys = list(getattr(issue, name)) if wanted[name] else None
        if model_keys is not None and len(model_keys) != len(offsets):
            return None
        plains = _plains(text, 0, offsets, [n for _, n in v.value]) \
            if name == "stories" else None
        if plains is not None and any(len(ps) != len(st.paragraphs) for ps, st in
                                      zip(plains, issue.stories.values())):
            return None
        index[name] = (col, offsets, model_keys, starts[end_line] if end_line is not None
                       else len(text), plains)
    return index


def parse_indexed(text: str, path: str) -> tuple[m.Issue, Index | None]:
    """``docfile.parse_issue(text, path)`` and the file's index (None when it has none)."""
    from . import docfile
    root = docfile._compose(text, path)
    issue, rd = docfile._build(root, path)
    docfile._checked(issue, rd, path)
    return issue, make_index(text, root, issue)


def _prefix(a: str, b: str) -> int:
    """The length of the common prefix of ``a`` and ``b``."""
    n, i, step = min(len(a), len(b)), 0, 8192
    while i + step <= n and a[i:i + step] == b[i:i + step]:
        i += step
    hi = min(n, i + step)
    while i < hi:                       # the block that differs, halved until found
        mid = (i + hi + 1) // 2
        if a[i:mid] == b[i:mid]:
            i = mid
        else:
            hi = mid - 1
    return i


def _suffix(a: str, b: str, limit: int) -> int:
    """The length of the common suffix of ``a`` and ``b``, at most ``limit``."""
    la, lb, i, step = len(a), len(b), 0, 8192
    while i + step <= limit and a[la - i - step:la - i] == b[lb - i - step:lb - i]:
        i += step
    hi = min(limit, i + step)
    while i < hi:
        mid = (i + hi + 1) // 2
        if a[la - mid:la - i] == b[lb - mid:lb - i]:
            i = mid
        else:
            hi = mid - 1
    return i


def reparse(old_text: str, index: Index | None, old_issue, text: str, path: str,
            changed: list | None = None) -> tuple[m.Issue, Index] | None:
    """The model of ``text`` made from the model of ``old_text`` (``old_issue()``, asked
    for only when the change can be read by parts; changed in place) by reading again
    only the entries that changed, and the new text's index; None when the whole text
    must be parsed (see the module's docstring).  ``changed``: a list given gets, when
    the change was one plain paragraph's, (the story's key, the paragraph's index, its
    text): the new model is the old one with that paragraph ``Paragraph.plain(text)``."""
    if not index:
        return None
    p = _prefix(old_text, text)
    s = _suffix(old_text, text, min(len(old_text), len(text)) - p)
    old_end, delta = len(old_text) - s, len(text) - len(old_text)
    for name, (col, starts, keys, end, plains) in index.items():
        if starts[0] <= p and old_end <= end:
            break
    else:
        return None
    is_map = keys is not None
    i = bisect_right(starts, p) - 1
    j = max(i, bisect_left(starts, old_end) - 1)
    start, stop = starts[i], (starts[j + 1] if j + 1 < len(starts) else end) + delta
    if plains is not None and i == j:
        got = _reparse_plain(index, old_issue, text, name, i, p - start, old_end - start, delta,
                             changed)
        if got is not None:
            return got
    part = text[start:stop]
    if _DOUBTFUL.search(part):
        return None
    from . import docfile
    first_line = old_text.count("\n", 0, start)
    try:
        root = docfile._compose("\n" * first_line + part, path)
    except docfile.DocumentError:
        return None
    rd = docfile._Reader(path)
    if root is None:
        lines, nodes = [], []
    else:
        lines = _entry_lines(root, col, is_map)
        if lines is None:
            return None
        try:
            nodes = rd.mapping(root, name) if is_map else rd.sequence(root, name)
        except docfile.DocumentError:
            return None
    offsets = _line_starts(part, lines, first_line)
    if not _starts_ok(part, offsets, col, is_map):
        return None
    new_starts = [*starts[:i], *(start + o for o in offsets),
                  *(o + delta for o in starts[j + 1:])]
    if not new_starts:
        return None                     # a section left empty: the whole parse says what
    issue = old_issue()
    if issue is None:
        return None
    try:
        if is_map:
            outside = set(keys[:i]) | set(keys[j + 1:])
            if any(k in outside for k, _, _ in nodes):
                return None
            read = rd.story if name == "stories" else \
                (lambda k, n, line: docfile._read_master(rd, k, n, line))
            built = [(k, read(k, n, kn.start_mark.line + 1)) for k, kn, n in nodes]
            old = list(getattr(issue, name).items())
            setattr(issue, name, dict([*old[:i], *built, *old[j + 1:]]))
            new_keys = [*keys[:i], *(k for k, _ in built), *keys[j + 1:]]
        else:
            built = [rd.page(n, f"page {i + t + 1}", n.start_mark.line + 1)
                     for t, n in enumerate(nodes)]
            issue.pages[i:j + 1] = built
            new_keys = None
    except docfile.DocumentError:
        return None
    if doccheck.validate(issue):
        return None
    if plains is not None:
        values = [n for _, _, n in nodes]
        plains = [*plains[:i], *_plains(part, first_line, offsets, values), *plains[j + 1:]]
    return issue, _shifted(index, name, start, delta, (col, new_starts, new_keys, end + delta,
                                                       plains))


def _shifted(index: Index, name: str, start: int, delta: int, entry: tuple) -> Index:
    """``index`` with section ``name`` replaced by ``entry`` and the sections after
    ``start`` moved by ``delta`` characters."""
    out = {}
    for other, (c, st, ks, e, pl) in index.items():
        if other == name:
            out[other] = entry
        elif st[0] > start:
            out[other] = (c, [o + delta for o in st], ks, e + delta, pl)
        else:
            out[other] = (c, st, ks, e, pl)
    return out


def _reparse_plain(index: Index, old_issue, text: str, name: str, i: int, rel_p: int,
                   rel_end: int, delta: int, changed: list | None = None):
    """A change inside one plain one-line paragraph of story entry ``i`` (``rel_p`` to
    ``rel_end``: the changed span in the old text, from the entry's start), which stays
    one: the paragraph's new text put in the model without YAML.  None otherwise."""
    col, starts, keys, end, plains = index[name]
    row = plains[i]
    for k, (at, length) in enumerate(row):
        if 0 <= at <= rel_p and rel_end <= at + length:
            break
    else:
        return None
    start = starts[i]
    new = text[start + at:start + at + length + delta]
    if "\n" in new or not _safe_plain(new):
        return None
    issue = old_issue()
    if issue is None:
        return None
    story = issue.stories.get(keys[i])
    if story is None or len(story.paragraphs) != len(row):
        return None
    para = story.paragraphs[k] = m.Paragraph.plain(new)
    # the model was valid (a kept model was checked when it was made), and only this
    # paragraph changed: what validate checks of it is its own (the others' findings
    # are those of the model before, none)
    if doccheck.paragraph_problems(issue, keys[i], k, para):
        return None
    row = [*row[:k], (at, length + delta), *((a + delta if a >= 0 else a, n)
                                            for a, n in row[k + 1:])]
    entry = (col, [*starts[:i + 1], *(o + delta for o in starts[i + 1:])], keys, end + delta,
             [*plains[:i], row, *plains[i + 1:]])
    if changed is not None:
        changed.append((keys[i], k, new))
    return issue, _shifted(index, name, start, delta, entry)
