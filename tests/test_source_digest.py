"""The issue file's text and its digest as ``load_issue_cached`` read it
(``diskcache.text_read``): hashed once, handed to a proof round (``rounds._digest``), and
never those of an earlier version of the file."""
from __future__ import annotations

import hashlib

from layout import diskcache
from layout.diskcache import load_issue_cached, text_read
from layout.docfile import parse_issue, save_issue
from proofs import rounds
from support.bigissue import big_issue


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def test_the_text_read_and_its_digest_follow_the_file(tmp_path):
    path, cache = tmp_path / "issue.yaml", str(tmp_path / "cache")
    save_issue(big_issue(2, vary=True), path)
    text = path.read_text("utf-8")
    assert load_issue_cached(path, cache) == parse_issue(text, str(path))
    assert text_read(path) == (text, _sha1(text))
    changed = text.replace("本报讯", "本报讯〇", 1)
    assert changed != text
    path.write_text(changed, "utf-8")                   # read by parts, a new model
    assert load_issue_cached(path, cache) == parse_issue(changed, str(path))
    assert text_read(path) == (changed, _sha1(changed))
    path.write_text(text, "utf-8")                      # back: the model kept for it
    assert load_issue_cached(path, cache) == parse_issue(text, str(path))
    assert text_read(path) == (text, _sha1(text))
    path.write_bytes(b"\xef\xbb\xbf" + changed.encode("utf-8"))   # a BOM: not in the text
    assert load_issue_cached(path, cache) == parse_issue(changed, str(path))
    assert text_read(path) == (changed, _sha1(changed))
    assert text_read(tmp_path / "other.yaml") is None


def test_a_models_key_tells_a_bom_from_none(tmp_path):
    """The same text with and without a BOM: two files' bytes, two model entries."""
    path, cache = tmp_path / "issue.yaml", str(tmp_path / "cache")
    save_issue(big_issue(1, vary=True), path)
    body = path.read_bytes()
    load_issue_cached(path, cache)
    path.write_bytes(b"\xef\xbb\xbf" + body)
    load_issue_cached(path, cache)
    assert len(list((tmp_path / "cache" / "layout").glob("model-*.pickle"))) == 2


def test_a_rounds_digest_is_the_one_told_for_that_text_only(monkeypatch):
    text = "issue: 本报讯\n" * 3
    other = "".join(list(text))                 # equal, another object
    assert other == text and other is not text
    rounds.known_digest(text, "0" * 40)
    assert rounds._digest(text) == "0" * 40
    assert rounds._digest(other) == _sha1(text)             # worked out, not taken
    want = _sha1(text)
    hashed = []
    real = hashlib.sha1
    monkeypatch.setattr(hashlib, "sha1", lambda *a: hashed.append(a) or real(*a))
    assert rounds._digest(other) == want and hashed == []              # once, then kept
    assert rounds._digest(text + "x") == real((text + "x").encode("utf-8")).hexdigest()
    assert diskcache.text_read("nowhere.yaml") is None


def test_a_file_with_a_bom_is_read_by_parts_from_the_text_kept(tmp_path, monkeypatch):
    """The source entry keeps the text as the file's UTF-8 (the BOM left out): an edit of
    one paragraph is read by parts from it, equal to the whole parse."""
    from layout import docload
    path, cache = tmp_path / "issue.yaml", str(tmp_path / "cache")
    save_issue(big_issue(2, vary=True), path)
    text = path.read_text("utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    load_issue_cached(path, cache)
    whole = []
    real = docload.parse_indexed
    monkeypatch.setattr(docload, "parse_indexed", lambda t, p: whole.append(p) or real(t, p))
    changed = text.replace("本报讯", "本报讯〇", 1)
    path.write_bytes(b"\xef\xbb\xbf" + changed.encode("utf-8"))
    assert load_issue_cached(path, cache) == parse_issue(changed, str(path))
    assert whole == []
    assert text_read(path) == (changed, _sha1(changed))
