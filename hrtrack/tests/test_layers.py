"""The house plan holds: the web on top, nothing below imports anything above it, no cycles.

The plan is drawn in docs/architecture.md; ``python -m hrtrack.tests.layers`` prints the figures.
"""

from hrtrack.tests import layers


def graph():
    return layers.imports(layers.modules())


def test_no_module_outside_the_portal_imports_it():
    assert layers.into_portal(graph()) == []


def test_no_domain_ingest_nlp_or_search_module_imports_a_view_or_url_module():
    doors = [(a, b) for a, b in layers.upward(graph()) if layers.is_door(b)]
    assert doors == []


def test_no_import_runs_from_a_lower_layer_back_up():
    assert layers.upward(graph()) == []


def test_no_modules_import_each_other_in_a_loop():
    assert layers.cycles(graph()) == []


def test_every_app_has_a_layer_in_the_plan():
    apps = {layers.app(name) for name in layers.modules() if name not in layers.FRAME}
    assert apps - set(layers.LAYERS) == set()


def test_the_plan_reads_late_imports_and_relative_ones():
    # The reading itself: a relative import and an import inside a function are both arrows.
    found = graph()
    assert "hrtrack.recommendations.models" in found["hrtrack.recommendations.filters"]
    assert "hrtrack.recommendations.models" in found["hrtrack.dialogues.models"]  # inside a method


def test_the_architecture_document_names_every_app():
    from pathlib import Path

    text = (Path(layers.ROOT).parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    for app in layers.LAYERS:
        assert f"`{app}`" in text, app
