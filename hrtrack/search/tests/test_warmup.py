"""The search loaded as a web worker starts (hrtrack.search.warmup), safely."""

import pytest

from hrtrack.search import catalog, semantic, warmup

# The fixtures come from page_data by import; their names are then reused as test arguments.
# ruff: noqa: F811
from .page_data import indexed, items  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    catalog._catalogs.clear()
    semantic._loaded["index"] = None
    yield
    catalog._catalogs.clear()


def test_the_warm_up_loads_the_catalog_and_runs_the_searches(items, monkeypatch, tmp_path):
    monkeypatch.setenv("HRTRACK_EMBEDDINGS_DIR", str(tmp_path / "no-model"))
    report = warmup.warm_up()
    assert report.finished and "catalog" in report.loaded and "templates" in report.loaded
    assert report.documents == len(items)
    assert catalog._catalogs  # the first request finds it loaded
    assert "search ready in" in report.line()


def test_a_failing_step_is_reported_and_never_raised(items, monkeypatch):
    def broken(report):
        raise OSError("index file cut short")

    monkeypatch.setattr(warmup, "_searches", broken)
    report = warmup.warm_up()
    assert report.finished and any("index file cut short" in problem for problem in report.problems)
    assert "templates" in report.loaded  # the other steps still ran


def test_it_can_be_turned_off(monkeypatch):
    monkeypatch.setenv("HRTRACK_SEARCH_WARM_UP", "0")
    assert warmup.start() is None
