"""The OpenAPI 3 schema at /api/v1/openapi.json is valid and names every operation; the docs page
and its Swagger UI files are served by the platform itself (no CDN)."""

import re

from drf_spectacular.validation import validate_schema


def test_the_schema_is_valid_openapi_3_and_lists_every_operation(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)  # raises on an invalid schema
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for path in ("/api/v1/recommendations", "/api/v1/recommendations/{id}", "/api/v1/dialogues", "/api/v1/reports",
                 "/api/v1/search", "/api/v1/reports/{id}/validate", "/api/v1/imports", "/api/v1/suggestions/decide"):
        assert path in paths, path
    operations = [op for methods in paths.values() for op in methods.values()]
    assert len({op["operationId"] for op in operations}) == len(operations)
    for op in operations:  # every operation says how its errors look
        assert {"400", "401", "403", "404", "429"} <= set(op["responses"]), op["operationId"]
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_the_item_list_documents_the_pages_filters(client, db):
    from hrtrack.recommendations.filters import ItemFilterSet

    parameters = {p["name"] for p in client.get("/api/v1/openapi.json").json()["paths"][
        "/api/v1/recommendations"]["get"]["parameters"]}
    assert set(ItemFilterSet.base_filters) | {"page"} <= parameters


def test_the_docs_page_loads_its_files_from_the_platform(client, db):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(not s.startswith(("http:", "https:", "//")) for s in sources), sources
    # No inline script or style (the site's Content-Security-Policy allows neither): they are files too.
    assert "<script>" not in page.replace(" ", "") and "<style" not in page
    for source in sources:
        assert client.get(source).status_code == 200, source


def test_every_operation_is_in_docs_api_md(client, db):
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[3] / "docs" / "api.md").read_text(encoding="utf-8")
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    missing = [path for path in paths if path.removeprefix("/api/v1") not in docs]
    assert missing == []
