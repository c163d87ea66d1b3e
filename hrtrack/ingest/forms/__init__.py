"""The ingest pages' forms: imports (:mod:`.imports`) and statements (:mod:`.statements`)."""

from .imports import ImportForm
from .statements import StatementRecordForm, StatementSourceForm

__all__ = ["ImportForm", "StatementRecordForm", "StatementSourceForm"]
