"""Reading an edited issue file by the parts that changed (layout/docload.py) gives what
parsing the whole new text gives: the same model, or the same error at the same line."""
from __future__ import annotations

import pickle
import random
import re

import pytest

from layout import docload
from layout.diskcache import load_issue_cached
from layout.docfile import DocumentError, parse_issue, save_issue
from support.bigissue import big_issue
from support.paths import SAMPLE

P = "issue.yaml"
CJK = "本报讯近日全省医保扶贫问题整改工作推进会，。、“”（）《》"


def _lines(text: str, pattern: str) -> list[re.Match]:
    return list(re.finditer(pattern, text, re.M))


def _replace(text: str, m: re.Match, new: str, group: int = 0) -> str:
    return text[:m.start(group)] + new + text[m.end(group):]


# ---------------------------------------------------------------- edits of the text
def edit_paragraph(rng, text):
    """Characters added to, or taken from, a paragraph."""
    m = rng.choice(_lines(text, r"^ +- ([^{\n].*)$"))
    s = m.group(1)
    k = rng.randrange(len(s) + 1)
    if rng.random() < 0.7:
        s = s[:k] + "".join(rng.choice(CJK) for _ in range(rng.randint(1, 12))) + s[k:]
    else:
        s = s[:k] + s[k + rng.randint(1, 5):]
    return _replace(text, m, s or "空", 1)


def edit_paragraph_yaml(rng, text):
    """A paragraph given YAML's punctuation, or made all ASCII (a number, true, null …)."""
    m = rng.choice(_lines(text, r"^ +- ([^{\n].*)$"))
    s, k = m.group(1), rng.randrange(len(m.group(1)) + 1)
    bit = rng.choice((": ", " #", "#", ":", "- ", "-", "&a ", " *a", "!x ", "'", '"', "[", "]",
                      "{", ",", "|", "> ", "%", "@", "`", " ", "\t", "\u3000", "\x85", "\u2028"))
    if rng.random() < 0.2:
        s = rng.choice(("12", "0x1F", "true", "null", "~", "2019-03-20", "1e3", ".nan", "<<",
                        "=", "yes", "abc", "a: b"))
    elif rng.random() < 0.5:
        s = s[:k] + bit + s[k:]
    else:
        s = rng.choice((bit + s, s + bit))
    return _replace(text, m, s, 1)


def edit_geometry(rng, text):
    """A frame's column, line or size changed (sometimes off the page)."""
    m = rng.choice(_lines(text, r"\b(?:col|line|cols|lines): (\d+)"))
    return _replace(text, m, str(max(0, int(m.group(1)) + rng.choice((-2, -1, 1, 3, 40)))), 1)


def add_paragraph(rng, text):
    m = rng.choice(_lines(text, r"^( +- )[^{\n].*\n"))
    return text[:m.end()] + m.group(1) + "新增一段。" * rng.randint(1, 4) + "\n" + text[m.end():]


def remove_paragraph(rng, text):
    return _replace(text, rng.choice(_lines(text, r"^ +- [^{\n].*\n")), "")


def rename_story(rng, text):
    """A story's key renamed: to a new name, or to another story's (given twice)."""
    stories = _lines(text[text.index("\nstories:"):], r"^  ([\w-]+):$")
    m = rng.choice(_lines(text, r"^  (%s):$" % re.escape(rng.choice(stories).group(1))))
    new = rng.choice(stories).group(1) if rng.random() < 0.3 else m.group(1) + "-x"
    return _replace(text, m, new, 1)


def yaml_error(rng, text):
    """Text that is not YAML: an open bracket or quote, or a line badly indented."""
    m = rng.choice(_lines(text, r"^( +)(.+)$"))
    bad = rng.choice(("[", '"', "{a: ", " " * rng.randint(1, 3) + "x: 1\n" + m.group(1)))
    return text[:m.start(2)] + bad + text[m.start(2):]


def model_error(rng, text):
    """A thread naming a missing frame, a page number given twice, an unknown key, a
    paragraph style that does not exist."""
    kind = rng.randrange(4)
    if kind == 0:
        m = rng.choice(_lines(text, r"thread: \[()"))
        return _replace(text, m, "no-such-frame, ", 1)
    if kind == 1:
        m = rng.choice(_lines(text, r"^- number: (\d+)"))
        return _replace(text, m, "1", 1)
    if kind == 2:
        m = rng.choice(_lines(text, r"^ +- \{type: \w+, ()"))
        return _replace(text, m, "colour: red, ", 1)
    m = rng.choice(_lines(text, r"^( +)- ([^{\n].*)$"))
    return _replace(text, m, "{style: no-such-style, text: 文}", 2)


def alias(rng, text):
    """An anchor on one paragraph and an alias to it in another."""
    ms = _lines(text, r"^ +- ([^{\n].*)$")
    a, b = sorted(rng.sample(range(len(ms)), 2))
    text = _replace(text, ms[b], "*p", 1)
    return text[:ms[a].start(1)] + "&p " + text[ms[a].start(1):]


def random_bytes(rng, text):
    """A few characters, YAML's punctuation among them, put in or taken out anywhere."""
    k = rng.randrange(len(text))
    if rng.random() < 0.5:
        return text[:k] + text[k + rng.randint(1, 8):]
    return text[:k] + "".join(rng.choice(": -#\n{}[],'\"&*!|>x1本") for _ in range(
        rng.randint(1, 4))) + text[k:]


def add_story_and_page(rng, text):
    """A new story (before another one) or a new page (after the last)."""
    if rng.random() < 0.5:
        m = rng.choice(_lines(text[text.index("\nstories:"):], r"^  [\w-]+:\n"))
        at = text.index("\nstories:") + m.start()
        n = rng.randrange(10**6)
        return text[:at] + f"  new-{n}:\n    paragraphs:\n    - 新稿{n}\n" + text[at:]
    n = max(int(x) for x in re.findall(r"^- number: (\d+)", text, re.M)) + 1
    return text.rstrip("\n") + f"\n- number: {n}\n  frames:\n  - {{type: text, id: new-{n}, " \
                               "cols: 2, lines: 5}\n"


EDITS = [edit_paragraph] * 6 + [edit_paragraph_yaml] * 3 + [edit_geometry] * 3 + [add_paragraph, remove_paragraph] * 2 + [
    rename_story, yaml_error, model_error, alias, random_bytes, random_bytes, add_story_and_page]


def _whole(text: str):
    try:
        return parse_issue(text, P), None
    except DocumentError as exc:
        return None, (str(exc), exc.line)


def _texts():
    yield "sample", SAMPLE.read_text("utf-8")
    import tempfile
    from pathlib import Path
    with tempfile.TemporaryDirectory() as tmp:
        save_issue(big_issue(4, vary=True), Path(tmp, "big.yaml"))
        yield "big4", Path(tmp, "big.yaml").read_text("utf-8")


@pytest.mark.parametrize("name,text", list(_texts()))
def test_reparse_is_the_whole_parse(name, text, monkeypatch):
    """Hundreds of random edits, each on the last good text: the model read by parts
    equals the whole parse's, the index kept equals a whole parse's; a text the whole
    parse refuses is never read by parts (its error is the whole parse's)."""
    rng = random.Random(f"docload-{name}")
    issue, index = docload.parse_indexed(text, P)
    assert index is not None and set(index) == {"masters", "stories", "pages"}
    by_parts = whole = 0
    first = text, issue, index
    plain = []                                  # changes read without YAML
    real = docload._reparse_plain
    monkeypatch.setattr(docload, "_reparse_plain", lambda *a: plain.append(real(*a)) or plain[-1])
    for step in range(400):
        if index is None or rng.random() < 0.1:     # back to the file as saved, now and then
            text, issue, index = first
            issue = pickle.loads(pickle.dumps(issue))
        edit = rng.choice(EDITS)
        try:
            new = edit(rng, text)
        except (ValueError, IndexError):        # nothing of that kind left to edit
            continue
        ref, error = _whole(new)
        got = docload.reparse(text, index, lambda: pickle.loads(pickle.dumps(issue)), new, P)
        if got is None:
            whole += 1
            if error is not None:
                continue                        # the caller parses wholly: the same error
            issue, index = docload.parse_indexed(new, P)
        else:
            by_parts += 1
            assert error is None, f"step {step} {edit.__name__}: read by parts, but {error}"
            assert got[0] == ref, f"step {step} {edit.__name__}: a different model"
            assert got[1] == docload.parse_indexed(new, P)[1], f"step {step}: index"
            issue, index = got
        assert issue == ref
        text = new
    # the paragraph and geometry edits (half of them) are read by parts
    assert by_parts > 120 and whole > 40, (by_parts, whole)
    # paragraph edits are read without YAML, unless YAML could read them otherwise
    assert sum(1 for g in plain if g is not None) > 50 and plain.count(None) > 20


def test_doubtful_texts_have_no_index():
    """Directives, other line breaks, anchors, a section in flow style: no index, so an
    edit of such a file is always read wholly."""
    text = SAMPLE.read_text("utf-8")
    assert docload.parse_indexed(text, P)[1] is not None
    for bad in ("%YAML 1.1\n---\n" + text, text.replace("\n", "\r\n"),
                text.replace("\npaper:", "\npaper: &p", 1)):
        issue, index = docload.parse_indexed(bad, P)
        assert issue == parse_issue(text, P) and index is None
    # the pages in flow style (one line): read as well, but not indexed
    import yaml
    from layout.docfile import to_plain
    pages = yaml.safe_dump(to_plain(parse_issue(text, P))["pages"], default_flow_style=True,
                           allow_unicode=True, width=10**9)
    flow = text[:text.index("\npages:")] + "\npages: " + pages
    issue, index = docload.parse_indexed(flow, P)
    assert issue == parse_issue(text, P) and index is None


def test_cached_load_reads_by_parts(tmp_path, monkeypatch):
    """``load_issue_cached`` of a file edited since its model was kept: read by parts
    where it can be, equal to the whole parse; errors the whole parse's, line included."""
    path, cache = tmp_path / "issue.yaml", tmp_path / "cache"
    save_issue(big_issue(4, vary=True), path)
    text = first = path.read_text("utf-8")
    assert load_issue_cached(path, str(cache)) == parse_issue(text, str(path))
    assert list((cache / "layout").glob("source-*.marshal"))
    whole = []
    real = docload.parse_indexed
    monkeypatch.setattr(docload, "parse_indexed", lambda t, p: whole.append(p) or real(t, p))
    rng = random.Random("cached")
    for _ in range(60):
        if rng.random() < 0.25:
            text = first
        new = rng.choice(EDITS)(rng, text)
        path.write_text(new, "utf-8")
        try:
            ref, error = parse_issue(new, str(path)), None
        except DocumentError as exc:
            ref, error = None, (str(exc), exc.line)
        try:
            got, got_error = load_issue_cached(path, str(cache)), None
        except DocumentError as exc:
            got, got_error = None, (str(exc), exc.line)
        assert (got, got_error) == (ref, error)
        if error is None:
            text = new
    assert 0 < len(whole) < 45
    # back to the file as saved (with a change: not in the cache), then edits inside one
    # paragraph, which never parse the whole text
    text = first.replace("本报讯", "本报讯〇", 1)
    path.write_text(text, "utf-8")
    assert load_issue_cached(path, str(cache)) == parse_issue(text, str(path))
    n = len(whole)
    for i in range(5):
        text = text.replace("本报讯", f"本报讯{i}", 1)
        path.write_text(text, "utf-8")
        assert load_issue_cached(path, str(cache)) == parse_issue(text, str(path))
    assert len(whole) == n
    # a copy under another name, edited: read by parts from the file read last
    copy = tmp_path / "copy.yaml"
    copy.write_text(text.replace("本报讯", "本报讯（副本）", 1), "utf-8")
    assert load_issue_cached(copy, str(cache)) == parse_issue(copy.read_text("utf-8"), str(copy))
    assert len(whole) == n
    # an unrelated file is parsed wholly
    other = tmp_path / "other.yaml"
    other.write_text(SAMPLE.read_text("utf-8"), "utf-8")
    assert load_issue_cached(other, str(cache)) == parse_issue(other.read_text("utf-8"), P)
    assert len(whole) == n + 1
    # another version of Banmian (its model classes may differ) never reads by parts
    # from what this one kept, not even the file read last
    from layout import diskcache
    text = text.replace("本报讯", "本报讯一", 1)
    path.write_text(text, "utf-8")
    assert load_issue_cached(path, str(cache)) == parse_issue(text, str(path))
    assert len(whole) == n + 1
    monkeypatch.setattr(diskcache, "_common_version", lambda: "another")
    text = text.replace("本报讯", "本报讯〇", 1)
    path.write_text(text, "utf-8")
    assert load_issue_cached(path, str(cache)) == parse_issue(text, str(path))
    assert len(whole) == n + 2


def test_copy_of_a_file_read_from_the_cache_is_read_by_parts(tmp_path, monkeypatch):
    """The file read last is the one whose model was last read, kept or not: an issue
    read from the cache after another was parsed is where an edited copy of it under a
    new name is read from (by parts, not wholly)."""
    cache = str(tmp_path / "cache")
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    save_issue(big_issue(2, vary=True), a)
    b.write_text(SAMPLE.read_text("utf-8"), "utf-8")
    load_issue_cached(a, cache)
    load_issue_cached(b, cache)                 # parsed last
    whole = []
    real = docload.parse_indexed
    monkeypatch.setattr(docload, "parse_indexed", lambda t, p: whole.append(p) or real(t, p))
    load_issue_cached(a, cache)                 # read from the cache: now the last read
    assert whole == []
    copy = tmp_path / "a-edit.yaml"
    text = a.read_text("utf-8").replace("本报讯", "本报讯（补）", 1)
    copy.write_text(text, "utf-8")
    assert load_issue_cached(copy, cache) == parse_issue(text, str(copy))
    assert whole == []


def test_common_prefix_and_suffix():
    """The changed span: common prefix and suffix as a character-by-character walk finds
    them, across the block size, for equal texts and texts one inside the other."""
    rng = random.Random("span")

    def walk(a, b):
        n = 0
        while n < min(len(a), len(b)) and a[n] == b[n]:
            n += 1
        return n
    for _ in range(300):
        a = "".join(rng.choice("ab本") for _ in range(rng.choice((0, 5, 8191, 8192, 8193,
                                                                   20000))))
        b = rng.choice((a, a[:rng.randint(0, len(a))], a + "x",
                        a[:len(a) // 3] + rng.choice(("", "c", "本本")) + a[len(a) // 2:]))
        p = docload._prefix(a, b)
        assert p == walk(a, b)
        limit = min(len(a), len(b)) - p
        assert docload._suffix(a, b, limit) == min(walk(a[::-1], b[::-1]), limit)
