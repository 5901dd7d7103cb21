"""The checksum of a checked cache entry (``common.fs``): CRC-32 and length before the
data; an entry written by an older version (SHA-1 first) or torn over an older entry
reads as a miss."""
import hashlib

from common.fs import cache_read_checked, cache_write_checked


def test_an_entry_with_the_older_sha1_checksum_is_a_miss(tmp_path):
    path = tmp_path / "entry.bin"
    data = bytes(range(256)) * 5
    path.write_bytes(hashlib.sha1(data).digest() + data)
    assert cache_read_checked(path) is None
    cache_write_checked(path, data)
    assert bytes(cache_read_checked(path)) == data
    assert len(path.read_bytes()) == len(data) + 8


def test_a_shorter_entry_written_over_a_longer_one_in_place_reads_whole(tmp_path):
    path = tmp_path / "entry.bin"
    cache_write_checked(path, b"x" * 5000)
    cache_write_checked(path, b"y" * 100)
    assert bytes(cache_read_checked(path)) == b"y" * 100


def test_a_torn_write_over_an_older_entry_is_a_miss(tmp_path):
    """A reader meeting an entry half written over another of the same length (the new
    head, the old tail) finds its checksum wrong."""
    path = tmp_path / "entry.bin"
    old, new = b"a" * 4000, b"b" * 4000
    cache_write_checked(path, old)
    whole_old = path.read_bytes()
    cache_write_checked(path, new)
    whole_new = path.read_bytes()
    for cut in (4, 8, 9, 2000, 4007):
        path.write_bytes(whole_new[:cut] + whole_old[cut:])
        assert cache_read_checked(path) is None, cut
