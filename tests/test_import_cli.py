"""The import command: `import FILE [--into ISSUE.yaml] [--json]`."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from importer.cli import main

SEED = str(Path(__file__).resolve().parent / "data" / "front-page.txt")


def test_dry_run_prints_the_report(tmp_path, capsys):
    assert main(["import", SEED]) == 0
    out = capsys.readouterr().out
    assert "story-07" in out and "□本报记者 张小芳 石杰" in out
    for word in ("重复片段 duplicate", "断段合并 split", "错位标题 misplaced_headline",
                 "错位片段 misplaced_fragment", "转版标记 jump_marker"):
        assert word in out


def test_json_output(capsys):
    assert main([SEED, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["stories"]) == 7 and data["issue"] is None
    assert {r["kind"] for r in data["repairs"]} >= {"duplicate", "split", "misplaced_headline"}
    assert data["photos"] == [{"story": "story-04", "credit": "骆进林 摄", "caption": "",
                               "image": ""}]


def test_into_creates_then_extends_an_issue(tmp_path, capsys):
    docfile = pytest.importorskip("layout.docfile")
    issue = tmp_path / "issue.yaml"
    assert main(["import", SEED, "--into", str(issue)]) == 0
    first = docfile.load_issue(issue)
    assert list(first.stories) == [f"story-0{i}" for i in range(1, 8)]
    assert first.stories["story-07"].byline == "□本报记者 张小芳 石杰"
    capsys.readouterr()
    assert main(["import", SEED, "--into", str(issue), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["issue"] == str(issue)
    assert [s["id"] for s in data["stories"]] == [f"story-{i:02d}" for i in range(8, 15)]
    second = docfile.load_issue(issue)
    assert len(second.stories) == 14 and "story-14" in second.stories
    assert second.stories["story-01"] == first.stories["story-01"]


def test_into_with_a_word_file(tmp_path, capsys):
    docfile = pytest.importorskip("layout.docfile")
    from tests.test_import import make_docx
    src = tmp_path / "稿件.docx"
    make_docx(src)
    issue = tmp_path / "out" / "issue.yaml"
    issue.parent.mkdir()
    assert main(["import", str(src), "--into", str(issue)]) == 0
    loaded = docfile.load_issue(issue)
    assert {"bold", "italic"} <= set(loaded.char_styles)
    assert (issue.parent / "images").is_dir() and any((issue.parent / "images").iterdir())
    assert "images/" in capsys.readouterr().out


def test_bad_issue_file_is_refused(tmp_path, capsys):
    pytest.importorskip("layout.docfile")
    issue = tmp_path / "issue.yaml"
    issue.write_text("banmian: 1\nstories: [oops\n", "utf-8")
    assert main(["import", SEED, "--into", str(issue)]) == 2
    err = capsys.readouterr().err
    assert str(issue) in err and "Traceback" not in err
    assert issue.read_text("utf-8") == "banmian: 1\nstories: [oops\n"


def test_undecodable_file_is_refused(tmp_path, capsys):
    bad = tmp_path / "photo.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    issue = tmp_path / "issue.yaml"
    assert main(["import", str(bad), "--into", str(issue)]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "Traceback" not in err
    assert not issue.exists()


def test_bad_arguments(capsys):
    assert main([]) == 2
    assert main(["import", SEED, "--nonsense"]) == 2
    assert main(["--help"]) == 0
    capsys.readouterr()


# ------------------------------------------------------------------ papercuts (issue 18)
def test_into_a_folder_or_a_missing_folder_says_so(tmp_path, capsys):
    src = tmp_path / "a.txt"
    src.write_text("## 标题\n\n本报讯 正文一段。\n", "utf-8")
    assert main(["import", str(src), "--into", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is a folder, not an issue file" in err
    assert "cannot read" not in err and str(tmp_path / "issue.yaml") in err
    assert main(["import", str(src), "--into", str(tmp_path / "no" / "issue.yaml")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "does not exist" in err


def test_importing_a_folder_says_so(tmp_path, capsys):
    assert main(["import", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "is a folder" in err and "Is a directory" not in err


def test_json_reports_the_encoding_found(tmp_path, capsys):
    src = tmp_path / "gb.txt"
    src.write_bytes("## 标题\n\n本报讯 正文一段，内容充实。\n".encode("gb18030"))
    assert main(["import", str(src), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["encoding"] == "gb18030"


def _issue_with_fonts(tmp_path, fonts: str) -> Path:
    path = tmp_path / "issue.yaml"
    path.write_text("banmian: 1\n" + fonts + "stories:\n  s:\n    thread: [t1]\n    paragraphs:\n"
                    "    - 本报讯　测试正文。\npages:\n- number: 1\n  frames:\n"
                    "  - {type: text, id: t1, col: 0, line: 0, cols: 3, lines: 20}\n", "utf-8")
    return path


def _cli(*args):
    import subprocess
    import sys
    root = Path(__file__).resolve().parent.parent
    return subprocess.run([sys.executable, str(root / "main.py"), *map(str, args)],
                          capture_output=True, text=True, timeout=300, cwd=str(root))


def test_export_warns_about_a_font_that_is_not_installed(tmp_path):
    path = _issue_with_fonts(tmp_path, "fonts: {body: [No Such Font Sans, Noto Serif CJK SC, "
                                       "Noto Serif SC]}\n")
    proc = _cli("export", path, "-o", tmp_path / "x.pdf")
    assert proc.returncode == 0, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if "not installed" in ln]
    assert len(lines) == 1 and "role 'body': 'No Such Font Sans'" in lines[0]


def test_png_export_without_output_goes_to_a_pages_folder(tmp_path):
    path = _issue_with_fonts(tmp_path, "")
    proc = _cli("export", path, "--png", "--dpi", "20")
    assert proc.returncode == 0, proc.stderr
    assert not (tmp_path / "issue.png").exists()
    assert sorted(p.suffix for p in (tmp_path / "issue-pages").iterdir()) == [".png"]
    assert "issue-pages" in proc.stdout


def test_reject_and_accept_repairs_by_id_or_kind(tmp_path, capsys):
    docfile = pytest.importorskip("layout.docfile")
    src, issue = tmp_path / "a.md", tmp_path / "issue.yaml"
    src.write_text("## 标题\n\n作者：王建国\n\n一、引言\n\n湖南 长沙等地召开会议。\n", "utf-8")
    assert main(["import", str(src), "--json"]) == 0
    repairs = json.loads(capsys.readouterr().out)["repairs"]
    author = next(r["id"] for r in repairs if r["kind"] == "author")
    assert main(["import", str(src), "--into", str(issue), "--reject",
                 f"{author},section_head", "--accept", "space"]) == 0
    s = docfile.load_issue(issue).stories["story-01"]
    assert s.byline == ""
    assert [(p.style, p.text) for p in s.paragraphs] == [
        ("body", "作者：王建国"), ("body", "一、引言"), ("body", "湖南长沙等地召开会议。")]
    assert "--reject" in capsys.readouterr().out
    assert main(["import", str(src), "--reject", "r999"]) == 2
    assert "no repair or kind 'r999'" in capsys.readouterr().err
