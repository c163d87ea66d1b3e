"""The site's cache: Django's file cache, culled at intervals rather than at every write.

Django's ``FileBasedCache`` lists its whole folder before every write, to cull it once it holds
``MAX_ENTRIES`` files. The per-address counters of expensive requests hold one file per visitor's
address (thousands under a crowd), and listing 1,700 of them took 1.9 ms of each anonymous search
(5,000: about 5 ms); the API's throttles pay the same on the default cache. :class:`FileCache` culls
at most once every :attr:`FileCache.CULL_EVERY_SECONDS` from each cache object (Django makes one a
thread): the folder may pass its limit by what is written meanwhile, and is then culled as Django
culls it (a third of the files, at random, by default).
"""

from __future__ import annotations

import time

from django.core.cache.backends.filebased import FileBasedCache


class FileCache(FileBasedCache):
    #: The least time between two looks at the folder's size from one cache object.
    CULL_EVERY_SECONDS = 5.0

    def __init__(self, dir, params):
        super().__init__(dir, params)
        self._last_cull = float("-inf")

    def _cull(self):
        now = time.monotonic()
        if now - self._last_cull < self.CULL_EVERY_SECONDS:
            return
        self._last_cull = now
        super()._cull()
