"""Values read once a request: the platform's settings that several parts of one page ask for
(our state: the item page's suggestions, its assign form and the list's scope each read it).

:func:`once` keeps a value from the moment a request starts until it ends, in the thread that
serves it, and forgets everything as soon as any row is saved or deleted in that thread (a
request that changes the settings reads them afresh) and outside requests (the command line,
the workers and tests calling functions directly read the database every time, as before).
"""

import threading
from collections.abc import Callable

from django.core.signals import request_finished, request_started
from django.db.models.signals import m2m_changed, post_delete, post_save

_local = threading.local()


def once(name: str, compute: Callable):
    """``compute()``, read once during the current request under ``name``; every call outside a
    request computes it again."""
    memo = getattr(_local, "memo", None)
    if memo is None:
        return compute()
    if name not in memo:
        memo[name] = compute()
    return memo[name]


def _request_started(**kwargs) -> None:
    _local.memo = {}


def _request_finished(**kwargs) -> None:
    _local.memo = None


def _forget(**kwargs) -> None:
    if getattr(_local, "memo", None):
        _local.memo = {}


request_started.connect(_request_started, dispatch_uid="lib.per_request.started")
request_finished.connect(_request_finished, dispatch_uid="lib.per_request.finished")
post_save.connect(_forget, dispatch_uid="lib.per_request.saved")
post_delete.connect(_forget, dispatch_uid="lib.per_request.deleted")
m2m_changed.connect(_forget, dispatch_uid="lib.per_request.linked")
