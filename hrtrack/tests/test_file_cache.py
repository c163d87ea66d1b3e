"""The site's file cache (hrtrack.lib.cache.FileCache): it looks at its folder's size at intervals,
not at every write, and still culls what passes its limit."""

import pytest
from django.core.cache.backends.filebased import FileBasedCache

from hrtrack.lib.cache import FileCache


@pytest.fixture
def cache(tmp_path):
    return FileCache(str(tmp_path / "cache"), {"OPTIONS": {"MAX_ENTRIES": 30, "CULL_FREQUENCY": 3}})


def test_a_write_does_not_list_the_folder_each_time(cache, monkeypatch):
    listed = []
    real = FileBasedCache._list_cache_files
    monkeypatch.setattr(FileBasedCache, "_list_cache_files", lambda self: listed.append(1) or real(self))
    for number in range(200):
        cache.add(f"rate:10.2.0.{number}", 1, timeout=60)
    assert len(listed) == 1  # the first write looked; the next ones within the interval did not
    assert cache.get("rate:10.2.0.199") == 1


def test_the_folder_is_culled_once_the_interval_has_passed(cache, monkeypatch):
    for number in range(90):
        cache.set(f"key-{number}", number)
    assert len(cache._list_cache_files()) == 90  # past its limit of 30 since the one look
    monkeypatch.setattr(cache, "_last_cull", float("-inf"))  # the interval has passed
    cache.set("one-more", 1)
    assert len(cache._list_cache_files()) == 90 - 90 // 3 + 1  # a third culled, as Django culls
    assert cache.get("one-more") == 1


def test_every_cache_of_the_site_is_one(tmp_path):
    from hrtrack.tests.test_settings import settings_in

    backends = settings_in(tmp_path, "sorted({c['BACKEND'] for c in s.CACHES.values()})")
    assert backends == "['hrtrack.lib.cache.FileCache']"  # the tests themselves run on LocMemCache
