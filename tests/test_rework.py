"""What a re-export keeps from the exports before it, and drops when what it was made from
changes: the proof round's summary of each page, the fonts found on this machine;
and an export's process ending without the interpreter's teardown."""
from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys

import pytest

from layout.docfile import load_issue, save_issue
from support.paths import MAIN, SAMPLE


@pytest.fixture
def issue_file(tmp_path):
    shutil.copy(SAMPLE.parent / "photo.jpg", tmp_path / "photo.jpg")
    path = tmp_path / "issue.yaml"
    shutil.copy(SAMPLE, path)
    return path


def _fresh(result):
    """The result with no page known to the layout cache (so nothing is reused for it)."""
    return dataclasses.replace(result, pages=tuple(
        dataclasses.replace(p, composed_from="") for p in result.pages))


# ---------------------------------------------------------------- round summaries
def test_a_round_summary_reuses_unchanged_pages_and_drops_a_changed_one(
        tmp_path, monkeypatch, issue_file):
    import main
    from proofs import rounds as R
    monkeypatch.setenv("BANMIAN_CACHE_DIR", str(tmp_path / "cache"))
    issue, _fs, result = main.compose(str(issue_file))
    assert all(p.composed_from for p in result.pages)
    first = R.summarize(issue, result)
    assert first == R.summarize(issue, _fresh(result))       # as looked at afresh
    assert R.summarize(issue, result) == first               # and read back from the cache

    # the kept summary of page 1 is what a round reads (marked here to be seen)
    kept = R._PageSummaries()
    page1 = result.pages[0]
    frames, images, _text = kept.get(page1)
    marked = {fid: dict(v, kind="marked") for fid, v in frames.items()}
    kept.put(page1, (marked, images, R.flow_yaml(marked)))
    kept.save()
    assert {v["kind"] for v in R.summarize(issue, result)["pages"][page1.number].values()} \
        == {"marked"}

    # an edit of a story on page 1 makes another page 1: looked at again, the mark gone
    iss = load_issue(issue_file)
    sid = next(fr.story for fr in page1.frames if fr.story and fr.kind == "text")
    iss.stories[sid].paragraphs[0].runs[0].text = "补一句开头的话，" + \
        iss.stories[sid].paragraphs[0].runs[0].text
    save_issue(iss, issue_file)
    issue2, _fs, result2 = main.compose(str(issue_file))
    assert result2.pages[0].composed_from != page1.composed_from
    got = R.summarize(issue2, result2)
    assert got == R.summarize(issue2, _fresh(result2))
    assert "marked" not in {v["kind"] for v in got["pages"][page1.number].values()}


def test_a_recorded_round_writes_its_summary_as_flow_yaml_does(tmp_path, monkeypatch,
                                                               issue_file):
    import main
    from proofs import rounds as R
    monkeypatch.setenv("BANMIAN_CACHE_DIR", str(tmp_path / "cache"))
    issue, _fs, result = main.compose(str(issue_file))
    store = R.RoundStore(issue_file)
    R.summarize(issue, result)                                  # pages kept
    rnd = store.record(issue, result, 1, pdf="a.pdf")
    line = next(ln for ln in store._file(1).read_text("utf-8").splitlines()
                if ln.startswith("summary: "))
    assert line == "summary: " + R.flow_yaml(R.summarize(issue, _fresh(result)))
    assert store.load(1).summary == rnd.summary == R.summarize(issue, _fresh(result))


def test_page_summaries_keep_at_most_their_limit(tmp_path, monkeypatch):
    from layout.result import FrameResult, PageResult
    from proofs import rounds as R
    monkeypatch.setenv("BANMIAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(R._PageSummaries, "LIMIT", 4)
    kept = R._PageSummaries()
    pages = [PageResult(1, 100.0, 100.0, (FrameResult("f", "text", (0, 0, 10, 10)),),
                        composed_from=f"d{i}") for i in range(6)]
    for p in pages:
        kept.put(p, R._page_summary(p))
    kept.save()
    again = R._PageSummaries()
    have = [p.composed_from for p in pages if again.get(p) is not None]
    assert 0 < len(have) <= 4 and "d5" in have and "d0" not in have


# ---------------------------------------------------------------- the process's end
def test_an_export_process_ends_with_its_output_and_code(tmp_path, issue_file):
    import os
    env = dict(os.environ, BANMIAN_CACHE_DIR=str(tmp_path / "cache"))
    out = subprocess.run([sys.executable, str(MAIN), "export", str(issue_file), "-o",
                          str(tmp_path / "a.pdf")], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[-1].startswith(f"wrote {tmp_path / 'a.pdf'} (")
    assert "recorded 校次 1" in out.stdout and (tmp_path / "a.pdf").stat().st_size > 1000
    # a script running main.py (as the tests' probes do) goes on after it, and its own
    # output is written before the process ends
    code = ("import runpy, sys\nsys.argv = sys.argv[1:]\n"
            "try:\n    runpy.run_path(sys.argv[0], run_name='__main__')\n"
            "except SystemExit as e:\n    print('after', e.code)\n")
    out = subprocess.run([sys.executable, "-c", code, str(MAIN), "export", str(issue_file),
                          "-o", str(tmp_path / "b.pdf")], capture_output=True, text=True,
                         env=env)
    assert out.returncode == 0 and out.stdout.strip().splitlines()[-1] == "after 0", out.stderr


def test_end_process_ends_only_after_a_clean_run(monkeypatch):
    import banmian_cli as cli
    ended = []
    monkeypatch.setattr(cli.os, "_exit", ended.append)
    monkeypatch.setattr(sys, "last_value", ValueError("uncaught"), raising=False)
    cli._end_process(0)
    assert ended == []                      # an uncaught error: the usual end
    monkeypatch.delattr(sys, "last_value")
    cli._end_process(1)
    assert ended == [1]


# ---------------------------------------------------------------- fonts found
def _font_file() -> str:
    import pylopdf_fonts_zh_cn
    from pathlib import Path
    return str(Path(pylopdf_fonts_zh_cn.__file__).parent / "NotoSansSC-Regular.otf")


def test_the_font_files_found_are_kept_while_their_folders_are_unchanged(tmp_path,
                                                                          monkeypatch):
    import os
    import time

    import fonts.discover as D
    from fonts import FontLibrary
    folder = tmp_path / "fonts-here"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(_font_file(), folder / "sub" / "A.otf")
    walked = []
    real = D.list_font_files
    monkeypatch.setattr(D, "list_font_files", lambda *a: walked.append(1) or real(*a))

    def found():
        lib = FontLibrary(extra_dirs=[folder], cache_dir=tmp_path / "cache", system=False,
                          user=False, bundled=False)
        return sorted(os.path.basename(i.path) for i in lib.discover())

    def touched(path):                  # a folder's time moves on (coarse clocks too)
        st = os.stat(path)
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000))

    first = found()
    assert first and set(first) == {"A.otf"} and len(walked) == 1
    assert found() == first and len(walked) == 1            # kept: not walked again
    shutil.copy(_font_file(), folder / "sub" / "B.otf")     # a file added in a subfolder
    touched(folder / "sub")
    assert set(found()) == {"A.otf", "B.otf"} and len(walked) == 2
    assert set(found()) == {"A.otf", "B.otf"} and len(walked) == 2
    (folder / "sub" / "A.otf").unlink()                     # a file gone
    touched(folder / "sub")
    assert set(found()) == {"B.otf"} and len(walked) == 3
    (folder / "sub" / "B.otf").unlink()                     # gone without the folder's time
    st = os.stat(folder / "sub")                            # moving (kept as it was)
    time.sleep(0.01)
    os.utime(folder / "sub", ns=(st.st_atime_ns, st.st_mtime_ns))
    assert found() == [] and len(walked) == 4
    (folder / "C.otf").symlink_to(_font_file())            # a link added at the top
    touched(folder)
    assert set(found()) == {"C.otf"} and len(walked) == 5


# ---------------------------------------------------------------- source digests
def test_a_source_digest_is_kept_until_a_file_changes(tmp_path, monkeypatch):
    import hashlib
    import os
    from pathlib import Path

    import output.pdf as P
    from layout.diskcache import _sources_digest
    monkeypatch.setenv("BANMIAN_CACHE_DIR", str(tmp_path / "cache"))

    def direct(folder, seed=b""):
        h = hashlib.sha1(seed)
        for p in sorted(Path(folder).glob("*.py")):
            h.update(p.name.encode())
            h.update(p.read_bytes())
        return h.hexdigest()
    out = Path(P.__file__).resolve().parent
    assert P._writer_version() == direct(out, b"banmian-writer-%d" % P.MEMO_FORMAT)
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.py").write_text("x = 1\n")
    (src / "b.py").write_text("y = 2\n")
    first = _sources_digest(src, hashlib.sha1())
    assert first == direct(src) == _sources_digest(src, hashlib.sha1())   # kept
    read = []
    monkeypatch.setattr(Path, "read_bytes", lambda self, real=Path.read_bytes:
                        read.append(self.name) or real(self))
    assert _sources_digest(src, hashlib.sha1()) == first and read == []
    (src / "a.py").write_text("x = 3\n")                 # same size, another time
    st = os.stat(src / "a.py")
    os.utime(src / "a.py", ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert _sources_digest(src, hashlib.sha1()) == direct(src) != first


# ---------------------------------------------------------------- the model's digests
def test_an_export_reuses_the_digests_kept_with_the_model_it_read(tmp_path, monkeypatch,
                                                                  issue_file):
    import glob
    import marshal
    import os

    import main
    from layout import diskcache as D
    from layout.compose import compose_issue
    cache = tmp_path / "cache"
    monkeypatch.setenv("BANMIAN_CACHE_DIR", str(cache))
    save_issue(load_issue(issue_file), issue_file)      # as saved: an edit reads by parts
    main.compose(str(issue_file))                       # composed, the model kept
    main.compose(str(issue_file))                       # read back: its digests kept
    kept = glob.glob(str(cache / "layout" / "digests-*.marshal"))
    assert len(kept) == 1
    calls = []
    monkeypatch.setattr(D, "digest", lambda *a, real=D.digest: calls.append(1) or real(*a))
    _i, _f, again = main.compose(str(issue_file))
    fewer = len(calls)
    calls.clear()
    issue = load_issue(issue_file)                      # the same model, nothing known
    from fonts import FontSet, default_library
    fs = FontSet(issue.fonts, default_library())
    D.compose_cached(issue, fs, str(cache), str(tmp_path))
    assert fewer < len(calls) - len(issue.pages)        # pages and stories not digested

    # a story's text changed (the edited file read by parts): its digest is worked out
    # anew (with the one kept, its pass before the edit would be taken)
    iss = load_issue(issue_file)
    sid = next(s for s, st in iss.stories.items() if st.thread and st.paragraphs)
    iss.stories[sid].paragraphs[-1].runs[-1].text += "再补一句。"
    save_issue(iss, issue_file)
    known = []
    monkeypatch.setattr(D, "_known_digests", lambda *a, real=D._known_digests:
                        known.append(real(*a)) or known[-1])
    _e, fs2, edited = main.compose(str(issue_file))
    assert known and len(known[0]) > len(iss.stories)   # read by parts: digests known
    fresh = compose_issue(load_issue(issue_file), fs2, base_dir=str(tmp_path))
    assert _lines(edited) == _lines(fresh)
    assert "再补一句" in "".join(t for *_x, t in _lines(edited))

    # a wrong digest kept for a story is what the next export keys its story by (its
    # whole result is looked for under another name, and stored)
    main.compose(str(issue_file))
    kept = sorted(glob.glob(str(cache / "layout" / "digests-*.marshal")),
                  key=lambda f: os.stat(f).st_mtime_ns)
    assert len(kept) == 2
    fmt, pages, stories = marshal.loads(D.cache_read_checked(kept[-1]))
    wrong = [(s, f, "0" * 40 if s == sid else p) for s, f, p in stories]
    D.cache_write_checked(kept[-1], marshal.dumps((fmt, pages, wrong)))
    results = set(glob.glob(str(cache / "layout" / "issue-*")))
    main.compose(str(issue_file))
    assert len(set(glob.glob(str(cache / "layout" / "issue-*"))) - results) == 1


def _lines(result) -> list:
    return [(p.number, fr.frame_id, "".join(r.text for r in ln.runs))
            for p in result.pages for fr in p.frames for ln in fr.lines]


def test_a_model_changed_after_it_was_read_is_digested_again(tmp_path, monkeypatch,
                                                             issue_file):
    import main
    from layout import diskcache as D
    cache = tmp_path / "cache"
    monkeypatch.setenv("BANMIAN_CACHE_DIR", str(cache))
    main.compose(str(issue_file))
    main.compose(str(issue_file))
    issue = main.load(str(issue_file))                  # read back, its digests kept
    sid = next(s for s, st in issue.stories.items() if st.thread and st.paragraphs)
    issue.stories[sid].paragraphs[-1].runs[-1].text += "改了一句。"    # changed in place
    fs = main.fontset_for(issue, str(issue_file))
    got = D.compose_cached(issue, fs, str(cache), str(tmp_path))   # not vouched for
    assert "改了一句" in "".join(t for *_x, t in _lines(got))


# ---------------------------------------------------------------- checked entries
def test_a_checked_entry_is_written_over_in_place_and_read_whole(tmp_path, monkeypatch):
    import os

    from common import fs
    path = tmp_path / "entry"
    fs.cache_write_checked(path, b"first" * 1000)
    ino = os.stat(path).st_ino
    made = []
    monkeypatch.setattr(fs, "cache_write", lambda *a: made.append(a))
    fs.cache_write_checked(path, b"second")                  # there: written over in place
    assert made == [] and os.stat(path).st_ino == ino
    assert bytes(fs.cache_read_checked(path)) == b"second"
    with open(path, "r+b") as fh:                            # cut while being written
        fh.truncate(15)
    assert fs.cache_read_checked(path) is None
    fs.cache_write_checked(tmp_path / "new", b"x")          # not there: made in place too
    assert made == [] and bytes(fs.cache_read_checked(tmp_path / "new")) == b"x"
    fs.cache_write_checked(tmp_path / "no" / "such" / "folder", b"y")   # through cache_write
    assert len(made) == 1


def test_the_entry_read_last_survives_a_cut_pointer(tmp_path):
    from layout import diskcache as D
    from support.bigissue import big_issue
    cache = str(tmp_path / "cache")
    a = tmp_path / "a.yaml"
    save_issue(big_issue(2, vary=True), a)
    D.load_issue_cached(a, cache)
    recent = tmp_path / "cache" / "layout" / "source-recent"
    assert D._recent_source(recent, tmp_path / "x") is not None
    recent.write_bytes(recent.read_bytes()[:-3])            # cut: as none
    assert D._recent_source(recent, tmp_path / "x") is None
    copy = tmp_path / "b.yaml"
    copy.write_text(a.read_text("utf-8").replace("本报讯", "本报讯（补）", 1), "utf-8")
    assert D.load_issue_cached(copy, cache) == load_issue(copy)


# ---------------------------------------------------------------- models kept as changes
def test_a_model_edited_in_plain_paragraphs_is_kept_as_changes_of_the_one_before(tmp_path):
    import glob
    import os

    from layout import diskcache as D
    from layout.docfile import parse_issue
    from support.bigissue import big_issue
    cache = str(tmp_path / "cache")
    path = tmp_path / "a.yaml"
    save_issue(big_issue(2, vary=True), path)
    first = path.read_text("utf-8")
    D.load_issue_cached(path, cache)                         # parsed: pickled

    def entry(text):
        import hashlib
        version = (D.FORMAT, D.engine_version(), D._common_version(), D._yaml_stamp())
        h = hashlib.sha1(repr((*version, str(path))).encode("utf-8", "surrogatepass"))
        h.update(b"0 " + hashlib.sha1(text.encode("utf-8")).hexdigest().encode())  # no BOM
        return D._model_file(cache, h.hexdigest())

    def read(text):
        path.write_text(text, "utf-8")
        got = D.load_issue_cached(path, cache)
        assert got == parse_issue(text, str(path))
        return bytes(D.cache_read_checked(entry(text)))
    assert read(first).startswith(b"\x80")                  # pickled
    second = first.replace("本报讯", "本报讯（一）", 1)
    assert read(second).startswith(D._PARTS)               # one paragraph changed
    again = second.replace("本报讯（一）", "本报讯（一）（又）", 1)   # the same paragraph again
    at = again.index("本报讯", again.index("本报讯（一）") + 1) + 3
    third = again[:at] + "（二）" + again[at:]                # and another
    assert read(again).startswith(D._PARTS)
    kept = read(third)
    assert kept.startswith(D._PARTS) and len(kept) < 5000
    root, changes = __import__("marshal").loads(kept[len(D._PARTS):])
    assert entry(first).name == f"model-{root}.pickle" and len(changes) == 2
    D._MADE_OF.clear()
    assert D.load_issue_cached(path, cache) == parse_issue(third, str(path))   # read back
    # the model it was made from gone: a miss, read again (by parts or wholly)
    os.unlink(entry(first))
    assert D._read_model(entry(third)) is None
    assert D.load_issue_cached(path, cache) == parse_issue(third, str(path))
    assert glob.glob(str(tmp_path / "cache" / "layout" / "model-*"))
    # a paragraph changed through YAML (a new key) is pickled
    fourth = third.replace("本报讯（一）（又）", "'本报讯（一）（又）", 1)
    fourth = fourth[:fourth.index("\n", fourth.index("'本报讯"))] + "'" + \
        fourth[fourth.index("\n", fourth.index("'本报讯")):]
    assert read(fourth).startswith(b"\x80")


def test_a_checked_entry_written_over_with_less_is_cut_to_it(tmp_path):
    from common import fs
    path = tmp_path / "entry"
    fs.cache_write_checked(path, b"long" * 1000)
    fs.cache_write_checked(path, b"short")
    assert bytes(fs.cache_read_checked(path)) == b"short"
    assert path.stat().st_size == 8 + len(b"short")          # (CRC-32 and length first)
    fs.cache_write_checked(path, b"longer again" * 100)
    assert bytes(fs.cache_read_checked(path)) == b"longer again" * 100
