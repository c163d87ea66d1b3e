"""The follow-up's pages and their JSON twins, one module per part of the work:

- :mod:`.work`: my work, the dashboard, indicators, reporting cycles;
- :mod:`.assign`: assigning items (one, in bulk, a suggestion accepted), agencies and their people;
- :mod:`.reports`: assignments, progress reports from draft to validated, evidence files.

Each module lists its own ``urlpatterns``; ``followup/urls.py`` joins them. The rules of who may
do what are in ``followup/rules.py``, the steps themselves in ``followup/workflow.py``.
"""
