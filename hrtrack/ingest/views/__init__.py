"""The ingest pages of the staff site, coordinators and administrators only: imports
(:mod:`.imports`) and statements (:mod:`.statements`)."""

from .imports import import_detail, import_detail_json, import_list, import_problems_csv, import_start
from .statements import statement_extract_json, statement_new

__all__ = ["import_detail", "import_detail_json", "import_list", "import_problems_csv", "import_start",
           "statement_extract_json", "statement_new"]
