"""The command line on issue stores: addresses everywhere, and ``store init|push|pull|who``."""
from __future__ import annotations

import copy
import json

import pytest

import main
from layout.docfile import load_issue
from store.base import Desk, UnitKey
from store.folder import FolderStore, file_name
from store.units import split
from support.paths import SAMPLE


@pytest.fixture(scope="module")
def sample():
    return load_issue(SAMPLE)


def run(capsys, *argv):
    code = main.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def folder(tmp_path, capsys, monkeypatch):
    """The sample pushed into an issue folder (the current directory is tmp_path)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BANMIAN_USER", "排版")
    code, out, err = run(capsys, "store", "push", SAMPLE, "news/today")
    assert code == 0, err
    assert "3 pages, 13 stories" in out and "copied" in out       # photo.jpg came along
    return tmp_path / "news" / "today"


def _named(issue):
    out = copy.deepcopy(issue)
    split(out)
    return out


def test_init_push_who_pull(tmp_path, capsys, monkeypatch, sample):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BANMIAN_USER", "排版")
    code, out, _ = run(capsys, "store", "init", "f")
    assert code == 0 and "ready (0 units" in out
    assert (tmp_path / "f" / ".banmian" / "store.json").is_file()
    assert run(capsys, "store", "push", SAMPLE, "f")[0] == 0
    FolderStore(tmp_path / "f", Desk.here("张三")).checkout(UnitKey("page", "p2"))
    code, out, _ = run(capsys, "store", "who", "f")
    assert code == 0 and "17 units, 1 checked out" in out
    line = next(x for x in out.splitlines() if "page p2" in x)
    assert "v1" in line and "排版 on" in line and "held by 张三" in line
    code, out, _ = run(capsys, "store", "who", "f", "--json")
    units = {u["unit"]: u for u in json.loads(out)["units"]}
    assert units["page:p2"]["held_by"]["user"] == "张三" and units["page:p1"]["held_by"] is None
    # out again: one file, and a second folder; both the same issue as the one pushed
    code, out, _ = run(capsys, "store", "pull", "f", "-o", "copy.yaml")
    assert code == 0 and load_issue(tmp_path / "copy.yaml") == _named(sample)
    assert (tmp_path / "photo.jpg").is_file()
    assert run(capsys, "store", "pull", "f", "-o", "g")[0] == 0
    st = FolderStore(tmp_path / "g", Desk.here("x"))
    from store.session import IssueSession
    assert IssueSession(st).open() == _named(sample)
    assert run(capsys, "store", "pull", "f", "-o", "copy.yaml")[0] == 2      # no overwriting
    assert run(capsys, "store", "pull", "f", "-o", "copy.yaml", "--replace")[0] == 0


def test_push_again_replaces_only_what_changed(folder, tmp_path, capsys, sample):
    code, _, err = run(capsys, "store", "push", SAMPLE, folder)
    assert code == 2 and "--replace" in err and err.count("\n") == 1
    issue = copy.deepcopy(sample)
    issue.stories["lead"].byline = "本报记者 新"
    del issue.stories["brief-home"]                        # with its two frames on page 2
    for page in issue.pages:
        page.frames = [f for f in page.frames if f.id not in ("h-brief-home", "t-brief-home")]
    from layout.docfile import save_issue
    save_issue(issue, tmp_path / "changed.yaml")
    code, out, err = run(capsys, "store", "push", tmp_path / "changed.yaml", folder, "--replace")
    assert code == 0, err
    units = FolderStore(folder, Desk.here("x")).units()
    assert units[UnitKey("story", "lead")].version == 2
    assert UnitKey("story", "brief-home") not in units
    assert units[UnitKey("story", "yibao")].version == 1


def test_export_check_diff_on_a_folder(folder, tmp_path, capsys):
    code, out, err = run(capsys, "check", folder)
    assert code == 0, out + err
    assert "photo.jpg" in (folder / "pages" / "p1.yaml").read_text("utf-8")
    assert "not found" not in out                   # the photo is found in the folder
    code, out, err = run(capsys, "export", folder)
    assert code == 0, err
    assert (tmp_path / "news" / "today.pdf").is_file()                # beside the folder
    assert (folder / ".banmian" / "rounds" / "today" / "1.yaml").is_file()   # 校次 1, shared
    # another desk changes a story; diff sees it against round 1
    st = FolderStore(folder, Desk.here("编辑"))
    from store.session import IssueSession
    s = IssueSession(st)
    issue = s.open()
    issue.stories["lead"].paragraphs[0].runs[0].text += "补一句。"
    s.save(issue)
    code, out, err = run(capsys, "diff", folder, "--from", "1", "--json")
    assert code == 0, err
    assert any(c.get("story") == "lead" for c in json.loads(out)["changes"])


def test_a_truncated_unit_is_named_and_the_rest_checks(folder, capsys):
    page2 = folder / file_name(UnitKey("page", "p2"))
    data = page2.read_bytes()
    page2.write_bytes(data[: len(data) // 2])
    code, out, err = run(capsys, "check", folder, "--json")
    rep = json.loads(out)
    assert code == 1 and rep["errors"] >= 1
    assert any(str(page2) in p for p in rep["left_out"])
    assert f"warning: {page2}:" in err
    code, _, err = run(capsys, "export", folder, "--print", "-o", folder.parent / "p.pdf")
    assert code == 1 and "refused" in err
    code, out, err = run(capsys, "export", folder, "--no-round", "-o", folder.parent / "p.pdf")
    assert code == 0 and "(2 pages" in out            # pages 1 and 3


def test_import_into_a_folder(folder, tmp_path, capsys):
    (tmp_path / "稿.txt").write_text("新稿标题\n\n正文第一段。\n", "utf-8")
    holder = FolderStore(folder, Desk.here("美编"))
    assert holder.checkout(UnitKey("page", "p1")) is None       # busy pages do not matter
    code, out, err = run(capsys, "import", tmp_path / "稿.txt", "--into", folder)
    assert code == 0, err
    assert "已保存 saved: " in out
    new = set(FolderStore(folder, Desk.here("x")).units()) - set(split(load_issue(SAMPLE)))
    assert len(new) == 1 and next(iter(new)).kind == "story"


@pytest.mark.parametrize("argv,expect", [
    (["check", "postgresql://desk:secret@127.0.0.1:1/paper"], "name the issue after '#'"),
    (["check", "nowhere/"], "no such issue folder"),
    (["store", "who", "nowhere"], "no such issue folder"),
    (["store", "push", "missing.yaml", "f"], "missing.yaml: no such file"),
    (["store", "push", SAMPLE, "x.yaml"], "a single file is not a store"),
    (["store", "pull", SAMPLE, "-o", "o"], "a single issue file, not a store"),
])
def test_bad_addresses_in_one_line(tmp_path, capsys, monkeypatch, argv, expect):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *argv)
    assert code == 2 and expect in err and err.count("\n") == 1
    assert "secret" not in err and "Traceback" not in err


def test_database_addresses_never_show_the_password(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "check", "postgresql://desk:secret@127.0.0.1:1/paper#today")
    assert code == 2 and err.count("\n") == 1 and "secret" not in err
    assert err.startswith("error: postgresql://desk@127.0.0.1:1/paper#today")


def test_plain_folder_with_an_issue_file(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "issue.yaml").write_text(SAMPLE.read_text("utf-8"), "utf-8")
    code, _, err = run(capsys, "check", "old")
    assert code == 2 and "store push" in err
    code, _, err = run(capsys, "store", "init", "old")
    assert code == 2 and "not an issue folder" in err
    assert not (tmp_path / "old" / ".banmian").exists()


def test_epaper_and_fonts_from_a_folder(folder, tmp_path, capsys):
    code, out, err = run(capsys, "epaper", folder, "-o", tmp_path / "site", "--dpi", "20")
    assert code == 0, err
    assert (tmp_path / "site" / "index.html").is_file()
    code, out, err = run(capsys, "fonts", folder)
    assert code == 0 and out.strip(), err
