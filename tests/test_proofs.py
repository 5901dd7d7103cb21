"""Proof rounds (校次), the diff between them, and corrections read back from a marked proof."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import main
from layout.docfile import load_issue, save_issue
from layout.edits import plain_text
from proofs import RoundStore
from proofs import layoutview as LV
from proofs.annotations import check_against, correction_edit, read_annotations
from proofs.stamp import read_stamp

pymupdf = pytest.importorskip("pymupdf")

SAMPLE_DIR = Path(main.SAMPLE).parent
WORD_OLD, WORD_NEW = "在兰州召开", "在兰州举行"


@pytest.fixture
def issue_dir(tmp_path):
    d = tmp_path / "issue"
    shutil.copytree(SAMPLE_DIR, d)
    return d


def run(capsys, *argv) -> tuple[int, str]:
    code = main.main([str(a) for a in argv])
    return code, capsys.readouterr().out


def export_round(capsys, path: Path, out: Path) -> None:
    code, text = run(capsys, "export", path, "-o", out)
    assert code == 0 and "recorded 校次" in text, text


def edit_three(path: Path) -> None:
    """Change a word, a headline and a frame's position (nothing else)."""
    issue = load_issue(path)
    para = issue.stories["yibao"].paragraphs[0]
    assert para.runs[0].text.count(WORD_OLD) == 1
    para.runs[0].text = para.runs[0].text.replace(WORD_OLD, WORD_NEW)
    issue.stories["jinni"].headline.title = "金泥集团维护职工权益见实效"
    _page, rule = issue.frame("r-ad")
    rule.line += 1
    save_issue(issue, path)


def test_proof_export_records_rounds_with_the_round_in_slug_and_metadata(issue_dir, capsys):
    path = issue_dir / "issue.yaml"
    export_round(capsys, path, issue_dir / "p1.pdf")
    export_round(capsys, path, issue_dir / "p1-again.pdf")
    store = RoundStore(path)
    assert store.numbers() == [1], "the same issue exported again is the same round"
    edit_three(path)
    export_round(capsys, path, issue_dir / "p2.pdf")
    assert store.numbers() == [1, 2]
    rnd = store.load(2)
    assert rnd.issue().stories.keys() == load_issue(path).stories.keys()
    assert rnd.user is not None and rnd.time.startswith("20")
    with pymupdf.open(issue_dir / "p2.pdf") as doc:
        stamp = read_stamp(doc)
        assert (stamp.round, stamp.issue, stamp.pages) == (2, "issue.yaml", (1, 2, 3))
        assert "二校" in doc[0].get_text() and "2校" in doc.metadata["title"]
    code, text = run(capsys, "export", path, "-o", issue_dir / "x.pdf", "--no-round")
    assert code == 0 and store.numbers() == [1, 2]


def test_diff_lists_exactly_the_three_changes(issue_dir, capsys):
    path = issue_dir / "issue.yaml"
    export_round(capsys, path, issue_dir / "p1.pdf")
    edit_three(path)
    export_round(capsys, path, issue_dir / "p2.pdf")
    code, text = run(capsys, "diff", path, "--from", 1, "--to", 2, "--json",
                     "-o", issue_dir / "diff.pdf")
    assert code == 0
    changes = json.loads(text)["changes"]
    assert sorted(c["kind"] for c in changes) == ["frame-moved", "headline", "text"], changes
    by = {c["kind"]: c for c in changes}
    t = by["text"]
    para = load_issue(path).stories["yibao"].paragraphs[0].text
    assert (t["story"], t["para"], t["offset"]) == ("yibao", 0, para.index("举行"))
    assert (t["deleted"], t["inserted"], t["page"]) == ("召开", "举行", 1)
    h = by["headline"]
    assert (h["story"], h["part"], h["old"], h["new"]) == (
        "jinni", "title", "金泥集团维护职工权益出实招", "金泥集团维护职工权益见实效")
    f = by["frame-moved"]
    assert f["frame"] == "r-ad" and f["page"] == 1
    assert f["new_rect"][1] == pytest.approx(f["old_rect"][1] + 12, abs=0.1)   # one grid line
    # the current issue equals round 2: no changes; round 1 against now: the same three
    code, text = run(capsys, "diff", path, "--from", 2, "--json")
    assert json.loads(text)["changes"] == []
    code, text = run(capsys, "diff", path, "--from", 1)
    assert "3 处改动" in text
    with pymupdf.open(issue_dir / "diff.pdf") as doc:
        assert doc.page_count == 4                        # three proof pages and the change list
        listing = doc[-1].get_text()
        assert "召开" in listing and "举行" in listing and "r-ad" in listing
        assert "删：召开" in doc[0].get_text()            # the deleted word in the margin


def test_diff_of_a_round_that_does_not_exist_is_one_line(issue_dir, capsys):
    code = main.main(["diff", str(issue_dir / "issue.yaml"), "--from", "4"])
    err = capsys.readouterr().err
    assert code == 2 and "no 校次 4" in err and len(err.strip().splitlines()) == 1


# ---------------------------------------------------------------- annotations
def _glyph_boxes(path: Path, story: str, para: int, start: int, end: int):
    issue, fontset, result = main.compose(str(path))
    boxes = [g for g in LV.glyphs(result, 1)
             if g.story == story and g.part == "body" and g.para == para
             and start <= g.offset < end]
    assert len(boxes) == end - start
    return boxes


def _quad(boxes):
    x0 = min(b.box[0] for b in boxes)
    x1 = max(b.box[0] + b.box[2] for b in boxes)
    y0 = min(b.box[1] for b in boxes)
    y1 = max(b.box[1] + b.box[3] for b in boxes)
    return pymupdf.Rect(x0, y0, x1, y1)


def mark_proof(path: Path, proof: Path, marked: Path) -> dict:
    """Highlight, strike out, caret and note on page 1; the expected (story, para, offset)."""
    issue = load_issue(path)
    yibao = issue.stories["yibao"].paragraphs[0].text
    linze = issue.stories["linze"].paragraphs[1].text
    jinni = issue.stories["jinni"].paragraphs[0].text
    hl = yibao.index("问题整改")         # after a Han character: a half-width mark before it
    # (开明) would overlap the text layer's box
    so = yibao.index("召开")
    caret = linze.index("临泽县总工会") + 3          # insert after 临泽县
    note = jinni.index("金昌水泥集团")
    with pymupdf.open(proof) as doc:
        page = doc[0]
        r = _quad(_glyph_boxes(path, "yibao", 0, hl, hl + 4))
        inner = pymupdf.Rect(r.x0 + 1, r.y0, r.x1 - 1, r.y1)   # not the neighbours it touches
        assert page.get_textbox(inner).replace("\n", "") == "问题整改"   # the text layer agrees
        a = page.add_highlight_annot(r)
        a.set_info(content="请核实", title="张编辑")
        a.update()
        r = _quad(_glyph_boxes(path, "yibao", 0, so, so + 2))
        a = page.add_strikeout_annot(r)
        a.set_info(content="举行", title="李校对")
        a.update()
        g = _glyph_boxes(path, "linze", 1, caret, caret + 1)[0]
        x, y, w, h = g.box                             # PyMuPDF puts the point 1 pt inside the
        a = page.add_caret_annot(pymupdf.Point(x - 9, y + h / 2))     # left of a 20 pt caret
        a.set_info(content="大力")
        a.update()
        g = _glyph_boxes(path, "jinni", 0, note, note + 1)[0]
        a = page.add_text_annot(pymupdf.Point(g.box[0] + 1, g.box[1] + 1), "单位全称？")
        a.update()
        doc.save(marked)
    return {"highlight": ("yibao", 0, hl, "问题整改"), "replace": ("yibao", 0, so, "召开"),
            "insert": ("linze", 1, caret, ""), "note": ("jinni", 0, note, "金")}


def test_annotations_map_each_mark_to_story_and_offset(issue_dir, capsys):
    path = issue_dir / "issue.yaml"
    export_round(capsys, path, issue_dir / "p1.pdf")
    want = mark_proof(path, issue_dir / "p1.pdf", issue_dir / "marked.pdf")
    code, text = run(capsys, "annotations", issue_dir / "marked.pdf", "--into", path, "--json")
    assert code == 0
    data = json.loads(text)
    assert data["round"] == 1
    got = {c["kind"]: c for c in data["corrections"]}
    assert set(got) == set(want)
    for kind, (story, para, offset, marked) in want.items():
        c = got[kind]
        assert (c["story"], c["para"], c["offset"], c["text"]) == (story, para, offset, marked), c
        assert c["status"] == "ok" and c["page"] == 1
    assert got["highlight"]["comment"] == "请核实" and got["highlight"]["author"] == "张编辑"
    assert got["replace"]["replacement"] == "举行"
    assert got["insert"]["replacement"] == "大力"
    assert got["note"]["comment"] == "单位全称？"
    code, text = run(capsys, "annotations", issue_dir / "marked.pdf", "--into", path)
    assert "4 条校对意见" in text and "请核实" in text


def test_corrections_apply_and_stale_ones_are_flagged(issue_dir, capsys):
    path = issue_dir / "issue.yaml"
    export_round(capsys, path, issue_dir / "p1.pdf")
    mark_proof(path, issue_dir / "p1.pdf", issue_dir / "marked.pdf")
    store = RoundStore(path)
    round_issue = store.load(1).issue()
    _i, _f, result = main.compose(str(path))
    found = read_annotations(str(issue_dir / "marked.pdf"), round_issue, result, (1, 2))
    # the story changed since: text added before the marks moves them; the marked word edited
    now = load_issue(path)
    p = now.stories["yibao"].paragraphs[0]
    p.runs[0].text = "【新】" + p.runs[0].text.replace("问题整改", "问题全面整改", 1)
    check_against(found, now)
    by = {c.kind: c for c in found}
    assert by["highlight"].status == "changed"
    assert by["replace"].status == "moved" and by["replace"].now_offset == by["replace"].offset + 5
    assert correction_edit(now, by["highlight"]) is None
    edit = correction_edit(now, by["replace"])
    edit.apply(now)
    assert "在兰州举行" in plain_text(now.stories["yibao"])
    edit.revert(now)
    assert "在兰州召开" in plain_text(now.stories["yibao"])
    ins = correction_edit(now, by["insert"])
    ins.apply(now)
    assert "临泽县大力总工会" in plain_text(now.stories["linze"])


def test_annotations_refuse_a_pdf_without_a_round(issue_dir, capsys, tmp_path):
    pdf = tmp_path / "plain.pdf"
    doc = pymupdf.open()
    doc.new_page()
    doc.save(pdf)
    code = main.main(["annotations", str(pdf), "--into", str(issue_dir / "issue.yaml")])
    err = capsys.readouterr().err
    assert code == 2 and "校次" in err and len(err.strip().splitlines()) == 1


def test_flow_yaml_tells_text_yaml_cannot_hold_as_it_is_by_every_character():
    """``rounds._plain`` (printable text, the ideographic space taken for a space) finds
    what the expression ``_NOT_PLAIN`` finds, for every character, in Chinese text with
    ideographic spaces; such text with one of them written by ``flow_yaml`` loads back
    equal."""
    import yaml

    from proofs import rounds as R
    for c in range(0x110000):
        for text in (chr(c), "\u3000\u3000正文" + chr(c) + "。"):
            assert R._plain(text) == (R._NOT_PLAIN.search(text) is None), hex(c)
    for ch in ("\x85", "\u2028", "\ufeff", "\uffff", "\u200b", "\t", "\x7f"):
        text = "\u3000\u3000第一段" + ch + "（补充）\n第二段"
        assert yaml.safe_load("v: " + R.flow_yaml(text))["v"] == text
