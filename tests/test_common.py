"""common/: atomic writes, the cache directory, the JSON cache, pid_alive, safe image opening,
and the PDF number format of output/pdfobjects."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from common import color, fs, images, jsoncache, proc
from support.imagefiles import jpeg, png_header


# ------------------------------------------------------------------ atomic_write
def test_atomic_write_replaces_and_keeps_the_mode(tmp_path):
    target = tmp_path / "a.json"
    target.write_bytes(b"old")
    os.chmod(target, 0o640)
    fs.atomic_write(target, b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_atomic_write_new_file_gets_the_umask_mode(tmp_path):
    mask = os.umask(0o027)
    try:
        fs.atomic_write(tmp_path / "n.bin", b"x")
    finally:
        os.umask(mask)
    assert (tmp_path / "n.bin").stat().st_mode & 0o777 == 0o640


def test_atomic_write_with_a_writer_and_new_folders(tmp_path):
    target = tmp_path / "deep" / "er" / "f.txt"
    with pytest.raises(FileNotFoundError):
        fs.atomic_write(target, b"x")                      # folders are not made unless asked
    seen = []

    def writer(tmp):
        seen.append(Path(tmp))
        Path(tmp).write_text("from writer")
    fs.atomic_write(target, writer=writer, make_dirs=True)
    assert target.read_text() == "from writer"
    assert seen[0].parent == target.parent and seen[0].name.startswith(".f.txt.")
    assert seen[0].name.endswith(".tmp") and not seen[0].exists()
    with pytest.raises(TypeError):
        fs.atomic_write(target)


def test_atomic_write_failing_writer_keeps_the_old_file(tmp_path):
    target = tmp_path / "f.txt"
    target.write_text("old")

    def writer(tmp):
        Path(tmp).write_text("half")
        raise RuntimeError("disk gone")
    with pytest.raises(RuntimeError):
        fs.atomic_write(target, writer=writer)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]


def test_atomic_write_fsyncs_the_file_and_its_folder(tmp_path, monkeypatch):
    synced = []
    real = os.fsync

    def fsync(fd):
        synced.append(os.path.realpath(f"/proc/self/fd/{fd}") if os.path.exists("/proc/self/fd")
                      else fd)
        real(fd)
    monkeypatch.setattr(os, "fsync", fsync)
    fs.atomic_write(tmp_path / "x", b"1")
    assert len(synced) == 2
    if isinstance(synced[1], str):
        assert synced[1] == os.path.realpath(tmp_path)


# ------------------------------------------------------------------ cache_dir
def test_cache_dir_override_xdg_and_default(monkeypatch, tmp_path):
    monkeypatch.setenv("BANMIAN_CACHE_DIR", str(tmp_path / "mine"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert fs.cache_dir() == tmp_path / "mine"
    assert fs.cache_dir("fonts", "x.ttf") == tmp_path / "mine" / "fonts" / "x.ttf"
    monkeypatch.delenv("BANMIAN_CACHE_DIR")
    assert fs.cache_dir() == tmp_path / "xdg" / "banmian"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")         # the XDG spec: ignore it
    assert fs.cache_dir() == Path.home() / ".cache" / "banmian"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert fs.cache_dir() == Path.home() / ".cache" / "banmian"
    assert not (tmp_path / "mine").exists()                            # nothing is created


def test_every_cache_user_follows_the_override(monkeypatch, tmp_path):
    monkeypatch.setenv("BANMIAN_CACHE_DIR", str(tmp_path))
    from fonts.cachefile import default_cache_dir
    assert default_cache_dir() == tmp_path
    pytest.importorskip("PySide6")
    from editor.document import cache_dir
    assert cache_dir() == str(tmp_path)


# ------------------------------------------------------------------ JsonCache
def test_json_cache_loads_lazily_and_saves_only_changes(tmp_path):
    path = tmp_path / "sub" / "c.json"
    c = jsoncache.JsonCache(path)
    assert c.get("a") is None and len(c) == 0
    c.save()
    assert not path.exists()                                       # nothing new: no file
    assert c.put("a", [1, 2]) == [1, 2]
    c.save()
    assert json.loads(path.read_text("utf-8")) == {"a": [1, 2]}
    mtime = path.stat().st_mtime_ns
    c.save()
    assert path.stat().st_mtime_ns == mtime
    path.write_text(json.dumps({"a": [9], "汉": [1]}, ensure_ascii=False), "utf-8")
    d = jsoncache.JsonCache(path)
    assert d.get("汉") == [1] and d.get("a") == [9]


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", ""])
def test_json_cache_ignores_a_damaged_file(tmp_path, content):
    path = tmp_path / "c.json"
    path.write_text(content)
    c = jsoncache.JsonCache(path)
    assert c.get("x", "none") == "none"
    c.put("x", 1)
    c.save()
    assert json.loads(path.read_text()) == {"x": 1}


def test_json_cache_without_a_file_stays_in_memory(tmp_path):
    c = jsoncache.JsonCache(None)
    c.put("k", 1)
    c.save()
    assert c.get("k") == 1 and list(tmp_path.iterdir()) == []


def test_json_cache_with_a_limit_drops_the_older_half(tmp_path):
    c = jsoncache.JsonCache(tmp_path / "c.json", limit=4)
    for k in "abcd":
        c.put(k, k)
    c.put("a", "again")                         # a key held: nothing goes
    assert len(c) == 4
    c.put("e", "e")                             # a fifth: a and b (the older half) go
    assert [k for k in "abcde" if c.get(k) is not None] == ["c", "d", "e"]
    c.save()
    assert list(json.loads((tmp_path / "c.json").read_text())) == ["c", "d", "e"]


# ------------------------------------------------------------------ pid_alive
def test_pid_alive():
    assert proc.pid_alive(os.getpid())
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    assert not proc.pid_alive(child.pid)
    assert not proc.pid_alive(0) and not proc.pid_alive(-5)


# ------------------------------------------------------------------ images
def test_image_size_and_limits_per_call(tmp_path):
    p = tmp_path / "a.jpg"
    p.write_bytes(jpeg(400, 300))
    assert images.image_size(p) == (400, 300)
    with pytest.raises(images.ImageTooLarge, match="400 × 300"):
        images.image_size(p, max_pixels=1000)
    assert images.image_size(p, max_pixels=120_000) == (400, 300)


def test_a_bomb_is_refused_clearly_and_pillow_is_left_alone(tmp_path):
    from PIL import Image
    before = Image.MAX_IMAGE_PIXELS
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(png_header(100_000, 100_000))
    with pytest.raises(images.ImageTooLarge, match="too large"):
        images.open_image(bomb)
    small_bomb = tmp_path / "small.png"
    small_bomb.write_bytes(png_header(5000, 5000))       # below Pillow's own limit
    with pytest.raises(images.ImageTooLarge, match="5000 × 5000"):
        images.open_image(small_bomb, max_pixels=1_000_000)
    import layout.images
    with pytest.raises(ValueError, match="too large"):
        layout.images.image_size(str(bomb))
    assert Image.MAX_IMAGE_PIXELS == before


def test_layout_and_output_agree_whatever_runs_first(tmp_path):
    # layout.images used to raise Pillow's global limit, which output then read
    from output.images import open_image
    import layout.images
    near, over = tmp_path / "near.png", tmp_path / "over.png"
    near.write_bytes(png_header(13_000, 13_000))         # 169 million: just under the default
    over.write_bytes(png_header(20_000, 20_000))         # 400 million: over it
    for _ in range(2):
        with open_image(str(near)) as im:
            assert im.size == (13_000, 13_000)
        assert layout.images.image_size(str(near)) == (13_000, 13_000)
        with pytest.raises(images.ImageTooLarge):
            open_image(str(over))
        with pytest.raises(ValueError, match="too large"):
            layout.images.image_size(str(over))


def test_missing_and_unreadable_images(tmp_path):
    with pytest.raises(images.ImageError, match="not found"):
        images.open_image(tmp_path / "none.jpg")
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"\xff\xd8\xffgarbage" * 10)
    with pytest.raises(images.ImageError, match="cannot be read") as got:
        images.open_image(bad)
    assert not isinstance(got.value, images.ImageTooLarge)


# ------------------------------------------------------------------ colours and numbers
def test_cmyk_to_rgb():
    assert color.cmyk_to_rgb((0, 0, 0, 1)) == (0, 0, 0)
    assert color.cmyk_to_rgb((0, 0, 0, 0)) == (1, 1, 1)
    assert color.cmyk_to_rgb((1, 0, 0, 0)) == (0, 1, 1)


def test_pdf_numbers():
    from output.pdfobjects import num
    assert [num(v) for v in (0, -0.00001, 1.0, 10, 2.5, 0.123456, -3.10)] == \
        ["0", "0", "1", "10", "2.5", "0.1235", "-3.1"]
    assert num(100.0, 3) == "100" and num(0.0005, 3) in ("0.001", "0") and num(1.23456, 3) == "1.235"
