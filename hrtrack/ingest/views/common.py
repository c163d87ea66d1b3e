"""Who may use the ingest pages: the national mechanism's coordinators and administrators."""

from django.utils.translation import gettext_lazy

from hrtrack.lib.web import coordinator_required

# Imports change thousands of items at once, and a statement becomes a dialogue everyone relies
# on: the national mechanism's staff only.
IMPORTS_REFUSED = gettext_lazy("Only coordinators and administrators import files.")
STATEMENTS_REFUSED = gettext_lazy("Only coordinators and administrators add statements.")
importers_only = coordinator_required(IMPORTS_REFUSED)
statement_writers_only = coordinator_required(STATEMENTS_REFUSED)
