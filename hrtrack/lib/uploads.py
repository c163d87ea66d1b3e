"""Uploads refused as they arrive, past the largest file their door takes, before they fill the disk.

Django writes an upload to a temporary file (or memory) as its body streams in, and a form sees
its size only once it has all arrived: a 50 GB body would fill the disk first. The
:class:`LimitedUploadHandler` sits first among ``FILE_UPLOAD_HANDLERS`` and counts each file's
bytes as they come; past the limit it deletes what the handlers after it wrote, passes them
nothing more, and hands the form an :class:`OversizedUpload` in the file's place: an empty file
whose ``size`` is what arrived, so that the form's own size check refuses it with its usual
message, next to the field or in the JSON error. The rest of the body is read and dropped.

Each view says its limit with :func:`limit_uploads` (a function of the file's name, as an import
takes a larger JSON file than a CSV); a door that says none takes ``FILE_UPLOAD_MAX_BYTES``.
"""

import io
from collections.abc import Callable

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.urls import Resolver404, resolve

#: A view's limit: the most bytes it takes in a file of this name.
Limit = Callable[[str], int]


def limit_uploads(limit: Limit | int):
    """Decorator: the view takes files of at most ``limit`` bytes (a number, or a function of the
    file's name). Kept on the view function, so that decorators that wrap it (``functools.wraps``)
    keep it too."""

    def decorate(view):
        view.upload_limit = limit if callable(limit) else (lambda _name: limit)
        return view

    return decorate


def default_limit() -> int:
    """The most bytes a file may have on a door that names no limit of its own."""
    return getattr(settings, "FILE_UPLOAD_MAX_BYTES", 1024 * 1024 * 1024)


def limit_for(request, file_name: str) -> int:
    """The limit of the view ``request`` goes to, for a file of this name."""
    match = getattr(request, "resolver_match", None) if request is not None else None
    if match is None and request is not None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
    view = match.func if match is not None else None
    limit = getattr(getattr(view, "func", view), "upload_limit", None)  # a functools.partial's view too
    return int(limit(file_name or "")) if limit is not None else default_limit()


class OversizedUpload(UploadedFile):
    """What the form gets for a file refused at its limit: no content, ``size`` the bytes that
    arrived (more than ``limit``)."""

    oversized = True

    def __init__(self, name: str, size: int, limit: int, content_type: str = "", charset=None):
        super().__init__(io.BytesIO(), name=name, content_type=content_type, size=size, charset=charset)
        self.limit = limit


class LimitedUploadHandler(FileUploadHandler):
    """Counts each file's bytes as they arrive; past its door's limit, stops the handlers after it
    (Django's, which write the file) and deletes what they wrote."""

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        self.limit = limit_for(self.request, file_name)
        self.received = 0
        self.over = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received <= self.limit:
            return raw_data
        if not self.over:
            self.over = True
            self._drop_written()
        return None  # the handlers after this one get nothing more of this file

    def _drop_written(self) -> None:
        """Close (and so delete: a temporary upload is a NamedTemporaryFile) the file each later
        handler has been writing."""
        handlers = getattr(self.request, "upload_handlers", None) or []
        for handler in handlers:
            if handler is self:
                continue
            written = getattr(handler, "file", None)
            if written is not None and not getattr(written, "closed", True):
                written.close()

    def file_complete(self, file_size):
        if not self.over:
            return None  # the next handler makes the file
        return OversizedUpload(self.file_name or "", self.received, self.limit, self.content_type or "",
                               self.charset)


def is_oversized(upload) -> bool:
    """Whether an uploaded file was refused at its limit as it arrived (see :class:`OversizedUpload`)."""
    return bool(getattr(upload, "oversized", False))
