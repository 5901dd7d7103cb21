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
