"""Every answer carries a Content-Security-Policy with no inline script and a Permissions-Policy,
and no template holds what that policy would refuse (inline scripts, handlers, style attributes)."""

import re

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


def test_a_public_page_carries_the_policy(client):
    response = client.get("/")
    assert response.status_code == 200
    assert policy(response) == {
        "default-src": ["'self'"], "script-src": ["'self'"], "style-src": ["'self'"],
        "img-src": ["'self'", "data:"], "object-src": ["'none'"], "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"], "form-action": ["'self'"],
    }
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in response["Permissions-Policy"]


@pytest.mark.parametrize("path", ["/search.csv?q=torture", "/recommendations.json", "/api/v1/search?q=x",
                                  "/states/%00.json", "/no-such-page/"])
def test_every_door_carries_it_errors_too(client, path):
    response = client.get(path)
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]


def test_the_admin_may_use_style_attributes_but_no_inline_script(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    directives = policy(response)
    assert directives["style-src-attr"] == ["'unsafe-inline'"]
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["style-src"]


#: Templates that are e-mails, not pages (no policy applies to them, and mail readers drop style sheets).
EMAIL_TEMPLATES = ("/email/",)
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I)
STYLE_ATTRIBUTE = re.compile(r"""\sstyle\s*=\s*["']""", re.I)


def templates():
    root = settings.BASE_DIR / "hrtrack"
    return sorted(path for path in root.rglob("templates/**/*.html") if not any(part in str(path)
                                                                               for part in EMAIL_TEMPLATES))


def test_no_template_has_an_inline_script_a_handler_or_a_javascript_link():
    found = templates()
    assert len(found) > 50
    for path in found:
        text = path.read_text(encoding="utf-8")
        assert not INLINE_SCRIPT.search(text), f"inline <script> in {path}"
        assert not HANDLER.search(text), f"on...= handler in {path}"
        assert not JAVASCRIPT_URL.search(text), f"javascript: link in {path}"


def test_no_page_template_has_a_style_attribute_but_the_admins():
    for path in templates():
        if "/admin/" in str(path):
            continue
        assert not STYLE_ATTRIBUTE.search(path.read_text(encoding="utf-8")), f'style="" in {path}'
