"""Fuzzing: the loader, the importer and the composer never fail in any but their own way.

* The YAML loader: random YAML-ish text, and random mutations of the sample issue
  (of its data and of its text) raise nothing but ``DocumentError``; a mutated
  document the loader accepts also composes, and saves and loads back equal.
* The importer: mutated Word files and re-encoded, damaged text files raise
  nothing but ``ImportFailure`` (tests/test_import.py already throws random text
  and random bytes at it).
* The composer: random issues built through the model (pages, text frames,
  photos, headlines, captions, rules; stories of Han, punctuation, Latin,
  digits, emoji, spaces) with the square test font never raise, and every
  story's lines joined give back its text, up to what is counted as overset.

Each property runs twice: quickly in the normal test run, and with thousands of
examples in a ``slow`` test (``pytest -m slow tests/test_fuzz.py``).  The numbers
can be set with BANMIAN_FUZZ_QUICK and BANMIAN_FUZZ_LONG.
"""
from __future__ import annotations

import io
import os
import zipfile

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import event as _event
from hypothesis.errors import InvalidArgument
from hypothesis import strategies as st

from layout import model as m
from layout.compose import Composer
from layout.docfile import DocumentError, dump_issue, parse_issue, validate
from support.fakefont import SquareFace, SquareFontSet
from support.paths import SAMPLE, seed_text

SAMPLE_TEXT = SAMPLE.read_text("utf-8")
SAMPLE_DATA = yaml.safe_load(SAMPLE_TEXT)

QUICK = int(os.environ.get("BANMIAN_FUZZ_QUICK", "60"))
LONG = int(os.environ.get("BANMIAN_FUZZ_LONG", "3000"))
_COMMON = dict(deadline=None, print_blob=True,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                      HealthCheck.filter_too_much])


def event(what: str) -> None:
    """Count an outcome in the statistics (--hypothesis-show-statistics); no-op outside a test."""
    try:
        _event(what)
    except InvalidArgument:
        pass


def twice(strategies, body, quick: int = QUICK, long: int = LONG):
    """A quick test and a slow-marked long test of the same property."""
    fast = settings(max_examples=quick, **_COMMON)(given(*strategies)(body))
    slow = pytest.mark.slow(settings(max_examples=long, **_COMMON)(given(*strategies)(body)))
    return fast, slow


_FONTS = SquareFontSet()
_SEGMENTER = None


def _compose(issue: m.Issue, base_dir: str = "."):
    global _SEGMENTER
    from layout.headline import Segmenter
    if _SEGMENTER is None:
        _SEGMENTER = Segmenter()
    return Composer(issue, _FONTS, base_dir=base_dir, segmenter=_SEGMENTER).compose()


# ====================================================================== the YAML loader
KEYS = ["banmian", "info", "paper", "fonts", "colors", "paragraph_styles", "char_styles",
        "stories", "pages", "number", "frames", "type", "id", "col", "line", "cols", "lines",
        "box", "thread", "paragraphs", "style", "text", "runs", "headline", "title", "kicker",
        "byline", "grid", "columns", "column", "gutter", "hao", "jumps", "to_text", "image",
        "crop", "fit", "caption", "credit", "weight", "size", "leading", "indent", "align",
        "font", "body", "story", "balance", "vertical", "locked", "colour", "小五"]
SCALARS = ["1", "0", "-1", "3", "8", "1e9", "1.5", ".inf", "-.inf", ".nan", "null", "~", "true",
           "no", "''", '""', "小五", "13字", "3mm", "-2mm", "0pt", "1栏", "text", "photo",
           "headline", "rule", "box", "caption", "byline", "body", "t1", "s", "[]", "{}",
           "[t1]", "[0, 0, 1, 1]", "[1mm, 1mm, 10mm, 10mm]", "本报讯　正文。", "'{page}'",
           "2019-03-20", "0x1F", "0o17", "1_000", "12:30", "!!str 5", "!!binary aGk=",
           "!!python/name:os.system", "&a x", "*a", "*b", "|\n  块", ">\n  折", "'", '"']
PUNCT = ["\n", "\n", "\n  ", "\n    ", "\n- ", "\n  - ", ": ", ", ", "- ", "[", "]", "{", "}",
         "? ", "#", "---\n", "...\n", "%YAML 1.1\n", "\t", " ", "\ufeff", "\x00", "\u2028"]

yamlish = st.lists(st.one_of(st.sampled_from(KEYS), st.sampled_from(SCALARS),
                             st.sampled_from(PUNCT), st.text(max_size=8)),
                   max_size=60).map("".join)


def _loads_or_refuses(text: str):
    """parse_issue either gives an issue or raises DocumentError; the issue round-trips."""
    try:
        issue = parse_issue(text, "fuzz.yaml")
    except DocumentError as exc:
        assert str(exc).startswith("fuzz.yaml")
        assert "\n" not in str(exc)
        event("refused")
        return None
    event("accepted")
    again = parse_issue(dump_issue(issue), "again.yaml")
    assert again == issue
    assert validate(issue) == []
    return issue


def yaml_text_property(head, text):
    _loads_or_refuses(head + text)


test_yaml_like_text_only_document_error, test_yaml_like_text_long = twice(
    [st.sampled_from(["", "banmian: 1\n", "banmian: 1\npages:\n", "banmian: 1\nstories:\n  s:\n"]),
     yamlish], yaml_text_property, quick=100, long=5000)


# ------------------------------------------------------------------ mutations of the sample
VALUES = st.one_of(
    st.sampled_from([None, True, False, 0, 1, -1, 2, 8, 100, 10**9, -10**9, 0.5, -0.5, 1e300,
                     float("inf"), float("-inf"), float("nan"), "", "x", "小五", "初号", "13字",
                     "0字", "-1字", "3mm", "1栏", "100栏", "0pt", "999pt", "{page}", "{pages}",
                     "t-lead", "t-lead2", "lead", "photo.jpg", "../photo.jpg", "/etc/passwd",
                     "nosuch", "text", "photo", "justify", "center", "double", "run-in",
                     "arabic", "centered", "en", "black", "red", [], {}, [1], [0, 0, 0, 1],
                     ["t-lead"], ["t-lead", "t-lead"], ["1mm", "1mm", "1mm", "1mm"],
                     {"title": "标题"}, {"text": "x"}, {"runs": []}, {"type": "text"},
                     "😀𠀀\u200b\t\n", "a" * 300, "中" * 500]),
    st.integers(-5, 120), st.text(max_size=12))


def _paths(node, prefix=()):
    """Every path into the plain data (mapping keys and list indices)."""
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, prefix + (i,))


ALL_PATHS = [p for p in _paths(SAMPLE_DATA) if p]


def _mutate(data, path, op, value, key):
    *parent_path, last = path
    parent = data
    for k in parent_path:
        parent = parent[k]
    if op == "set":
        parent[last] = value
    elif op == "delete":
        del parent[last]
    elif op == "add-key":
        target = parent[last]
        if isinstance(target, dict):
            target[key] = value
        elif isinstance(target, list):
            target.append(value)
        else:
            parent[last] = value
    elif op == "duplicate" and isinstance(parent, list):
        parent.insert(last, parent[last])
    elif op == "rename" and isinstance(parent, dict):
        parent[key] = parent.pop(last)


@st.composite
def mutated_samples(draw):
    import copy
    data = copy.deepcopy(SAMPLE_DATA)
    for _ in range(draw(st.integers(1, 4))):
        paths = [p for p in _paths(data) if p]
        path = draw(st.sampled_from(paths))
        op = draw(st.sampled_from(["set", "set", "set", "delete", "add-key", "duplicate",
                                   "rename"]))
        value = copy.deepcopy(draw(VALUES))      # never share the pool's lists and dicts
        _mutate(data, path, op, value, draw(st.sampled_from(KEYS)))
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def mutated_sample_property(text):
    issue = _loads_or_refuses(text)
    if issue is not None:
        # a document the loader accepts composes without an exception
        res = _compose(issue, str(SAMPLE.parent))
        assert len(res.pages) == len(issue.pages)


test_mutated_sample_only_document_error, test_mutated_sample_long = twice(
    [mutated_samples()], mutated_sample_property, quick=60, long=3000)


@st.composite
def damaged_sample_text(draw):
    lines = SAMPLE_TEXT.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "indent", "dedent",
                                   "insert", "cut"]))
        if op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "indent":
            lines[i] = "  " + lines[i]
        elif op == "dedent":
            lines[i] = lines[i][2:] if lines[i].startswith("  ") else lines[i]
        elif op == "insert":
            at = draw(st.integers(0, len(lines[i])))
            junk = draw(st.one_of(st.sampled_from(PUNCT + SCALARS), st.text(max_size=4)))
            lines[i] = lines[i][:at] + junk + lines[i][at:]
        elif op == "cut":
            lines[i] = lines[i][:draw(st.integers(0, len(lines[i])))]
    text = "".join(lines)
    if draw(st.booleans()):
        text = text[:draw(st.integers(0, len(text)))]        # a file cut short
    return text


def damaged_text_property(text):
    _loads_or_refuses(text)


test_damaged_sample_text_only_document_error, test_damaged_sample_text_long = twice(
    [damaged_sample_text()], damaged_text_property, quick=60, long=3000)


def test_sample_itself_loads_and_composes():
    issue = _loads_or_refuses(SAMPLE_TEXT)
    assert issue is not None
    _compose(issue, str(SAMPLE.parent))


# ====================================================================== the importer
def _docx_bytes() -> bytes:
    import docx
    d = docx.Document()
    d.add_heading("深入学习贯彻习近平总书记重要讲话精神", level=1)
    d.add_paragraph("本报讯（记者 周鹏）3月15日上午，省总工会召开推进会。")
    p = d.add_paragraph("会议要求")
    p.add_run("各地要严格").bold = True
    d.add_heading("小标题", level=3)
    d.add_paragraph("（宗和）")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


DOCX = _docx_bytes()
XML_JUNK = ["<w:p>", "</w:p>", "<w:r>", "</w:r>", "<w:t>", "</w:t>", "&", "&amp;", "&#0;",
            "<", ">", "\"", "]]>", "<!DOCTYPE x [<!ENTITY a 'aaaa'>]>", "&a;", "\x00", "😀",
            "<w:pStyle w:val=\"Heading1\"/>", "<w:b/>", "<w:drawing/>", "<w:tbl>", "r:embed=\"rId99\""]


@st.composite
def damaged_docx(draw):
    names = zipfile.ZipFile(io.BytesIO(DOCX)).namelist()
    kind = draw(st.sampled_from(["xml", "xml", "bytes", "drop", "cut"]))
    if kind == "bytes":                       # flip bytes of the package itself
        data = bytearray(DOCX)
        for _ in range(draw(st.integers(1, 20))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(data)
    if kind == "cut":
        return DOCX[:draw(st.integers(0, len(DOCX)))]
    target = draw(st.sampled_from(names))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(DOCX)) as zin, zipfile.ZipFile(out, "w") as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if name == target:
                if kind == "drop":
                    continue
                text = data.decode("utf-8", "replace")
                for _ in range(draw(st.integers(1, 6))):
                    at = draw(st.integers(0, len(text)))
                    junk = draw(st.one_of(st.sampled_from(XML_JUNK), st.text(max_size=6)))
                    if draw(st.booleans()):
                        text = text[:at] + junk + text[at:]
                    else:
                        text = text[:at] + text[at + draw(st.integers(0, 40)):]
                data = text.encode("utf-8", "surrogatepass")
            zout.writestr(name, data)
    return out.getvalue()


def docx_property(data):
    from importer import ImportFailure, import_bytes
    try:
        import_bytes(data, "fuzz.docx")
        event("imported")
    except ImportFailure as exc:
        assert "fuzz.docx" in str(exc)
        event("refused")


test_damaged_docx_only_import_failure, test_damaged_docx_long = twice(
    [damaged_docx()], docx_property, quick=60, long=2000)


_SEED_TEXT = seed_text()


@st.composite
def damaged_text_files(draw):
    start = draw(st.integers(0, max(0, len(_SEED_TEXT) - 1)))
    text = _SEED_TEXT[start:start + draw(st.integers(0, 3000))]
    enc = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le",
                                "utf-16-be", "big5"]))
    data = bytearray(text.encode(enc, "replace"))
    for _ in range(draw(st.integers(0, 8))):
        if not data:
            break
        op = draw(st.sampled_from(["flip", "insert", "delete"]))
        i = draw(st.integers(0, len(data) - 1))
        if op == "flip":
            data[i] = draw(st.integers(0, 255))
        elif op == "insert":
            data[i:i] = draw(st.binary(min_size=1, max_size=4))
        else:
            del data[i:i + draw(st.integers(1, 4))]
    return bytes(data), draw(st.sampled_from(["a.txt", "a.md", "a"]))


def text_file_property(args):
    from importer import ImportFailure, import_bytes
    data, name = args
    try:
        import_bytes(data, name)
        event("imported")
    except ImportFailure as exc:
        assert name in str(exc)
        event("refused")


test_damaged_text_files_only_import_failure, test_damaged_text_files_long = twice(
    [damaged_text_files()], text_file_property, quick=40, long=1500)


# ====================================================================== the composer
HAN = "中国新闻工作者协会职工之家建设工会服务深入学习贯彻"
PIECES = st.one_of(
    st.text(alphabet=HAN, min_size=1, max_size=30),
    st.sampled_from(list("，。、；：？！“”《》（）——……·") + ["——", "……"]),
    st.sampled_from(["2018年", "15.2%", "QQ", "wifi", "3月15日", "12.18万元", "GDP", " ",
                     "\u3000", "Newspaper ", "international ", "a" * 40, "x" * 300,
                     "😀", "𠀀", "\u200b", "-", "/", "1-2", "(", ")", "'", "\t"]),
    st.text(max_size=5))
PARA_TEXT = st.lists(PIECES, max_size=40).map("".join)


@st.composite
def random_issues(draw):
    iss = m.Issue(fonts=m.default_fonts(), paragraph_styles=m.default_styles())
    if draw(st.booleans()):
        iss.paper.grid.columns = draw(st.integers(1, 10))
    n_pages = draw(st.integers(1, 3))
    text_ids = []
    cols_n, rows_n = iss.paper.grid.columns, 100          # the default grid has 100+ lines
    for pn in range(1, n_pages + 1):
        page = m.Page(pn)
        for k in range(draw(st.integers(0, 6))):
            col = draw(st.integers(0, cols_n - 1))
            cols = draw(st.integers(1, cols_n - col))
            line = draw(st.integers(0, rows_n - 2))
            lines = draw(st.integers(1, min(40, rows_n - line)))
            fid = f"f{pn}-{k}"
            kind = draw(st.sampled_from(["text", "text", "text", "photo", "headline", "caption",
                                         "byline", "rule", "box"]))
            geo = dict(col=col, line=line, cols=cols, lines=lines)
            if kind == "text":
                fr = m.TextFrame(fid, **geo, columns=draw(st.integers(0, 3)),
                                 balance=draw(st.booleans()), jump_lines=draw(st.booleans()))
                text_ids.append(fid)
            elif kind == "photo":
                fr = m.PhotoFrame(fid, **geo, image=draw(st.sampled_from(["", "nope.jpg"])),
                                  caption=draw(PARA_TEXT), credit=draw(st.sampled_from(["", "某某 摄"])),
                                  wrap=m.Wrap(draw(st.sampled_from(["frame", "crop", "none"]))))
            elif kind == "headline":
                fr = m.HeadlineFrame(fid, **geo, story="s0", vertical=draw(st.booleans()),
                                     align=draw(st.sampled_from(["center", "left"])))
            elif kind == "caption":
                fr = m.CaptionFrame(fid, **geo, text=draw(PARA_TEXT))
            elif kind == "byline":
                fr = m.BylineFrame(fid, **geo, story="s0")
            elif kind == "rule":
                fr = m.RuleFrame(fid, **geo, pattern=draw(st.sampled_from(["solid", "double",
                                                                           "dotted"])))
            else:
                fr = m.BoxFrame(fid, **geo)
            page.frames.append(fr)
        iss.pages.append(page)
    # stories take the text frames in random order
    order = draw(st.permutations(text_ids))
    n_stories = draw(st.integers(1, 3))
    cuts = sorted(draw(st.lists(st.integers(0, len(order)), min_size=n_stories - 1,
                                max_size=n_stories - 1)))
    bounds = [0, *cuts, len(order)]
    for i in range(n_stories):
        paras = [m.Paragraph(draw(st.sampled_from(["body", "body", "subhead", "latin", "lead",
                                                   "caption"])), [m.Run(draw(PARA_TEXT))])
                 for _ in range(draw(st.integers(0, 5)))]
        iss.stories[f"s{i}"] = m.Story(
            f"s{i}", headline=m.Headline(draw(PARA_TEXT), draw(PARA_TEXT), draw(PARA_TEXT)),
            byline=draw(PARA_TEXT), paragraphs=paras, thread=list(order[bounds[i]:bounds[i + 1]]))
    return iss


def _story_lines(result, story: m.Story):
    """(para, start, end) of every line of the story, in thread order."""
    frames = {fr.frame_id: fr for page in result.pages for fr in page.frames}
    return [(ln.para, ln.start, ln.end) for fid in story.thread for ln in frames[fid].lines]


def composer_property(issue):
    assume(validate(issue) == [])
    res = _compose(issue)
    assert [p.number for p in res.pages] == [p.number for p in issue.pages]
    for story in issue.stories.values():
        if not story.thread:
            continue                          # not placed yet: nothing to set
        texts = [p.text for p in story.paragraphs]
        got = [""] * len(texts)
        pos = [0] * len(texts)
        for para, s, e in _story_lines(res, story):
            assert 0 <= para < len(texts) and 0 <= s <= e <= len(texts[para])
            assert s >= pos[para], "lines go back in the text"
            assert not texts[para][pos[para]:s].strip(), "characters skipped between lines"
            got[para] += texts[para][s:e]
            pos[para] = e
        copy = res.copyfit[story.id]
        event("overset" if copy.overset_lines else "fits")
        shown = sum(len("".join(g.split())) for g in got)
        total = sum(len("".join(t.split())) for t in texts)
        if copy.overset_lines == 0:
            # the lines joined give back the text (spaces at line breaks are dropped)
            assert ["".join(g.split()) for g in got] == ["".join(t.split()) for t in texts]
        else:
            assert shown + copy.overset_chars == total, (shown, copy.overset_chars, total)


test_random_issues_compose, test_random_issues_compose_long = twice(
    [random_issues()], composer_property, quick=80, long=3000)


def test_composer_with_a_face_missing_everything():
    # no glyph at all: every character is a missing-glyph diagnostic, nothing raises
    fonts = SquareFontSet([SquareFace(missing=HAN + "，。abc")])
    iss = m.Issue(fonts=m.default_fonts(), paragraph_styles=m.default_styles())
    iss.stories["s"] = m.Story("s", paragraphs=[m.Paragraph("body", [m.Run(HAN + "，。abc")])],
                               thread=["t"])
    iss.pages = [m.Page(1, frames=[m.TextFrame("t", cols=2, lines=10)])]
    res = Composer(iss, fonts).compose()
    assert sum(d.code == "missing-glyph" for d in res.diagnostics) == len(HAN) + 5
