"""Filters for the log (settings.LOGGING)."""

import logging


class RefusalsOnOneLine(logging.Filter):
    """A refused request (403) on one line, with the reason it was refused; no traceback.

    Django logs a PermissionDenied with its exception, so every contributor who opens a staff
    page would write a whole traceback that says nothing the reason does not. Errors (500) keep
    theirs: there the traceback is what one needs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403 and record.exc_info:
            reason = str(record.exc_info[1] or "").strip()
            message = record.getMessage()
            record.msg = f"{message} ({' '.join(reason.split())})" if reason else message
            record.args = ()
            record.exc_info = None
            record.exc_text = None
        return True
