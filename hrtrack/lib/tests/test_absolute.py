"""``hrtrack.lib.web.absolute``: the same addresses as Django's ``build_absolute_uri``, however the path reads."""

import pytest
from django.test import RequestFactory
from django.utils.functional import lazystr

from hrtrack.lib.web import absolute

LOCATIONS = ["/", "/recommendations/12/", "/recommendations/?q=tortura&recipient=MX&page=2", "/búsqueda/?q=niñas",
             "/a/./b/", "/a/../b/", "/a/b/..", "//evil.example/x", "///x", "/x?next=/a/../b", "/x#frag",
             "/%E2%80%A6/", "/x y/", "http://other.example/x", "relative/path", "?q=1", "", lazystr("/lazy/")]


@pytest.mark.parametrize("secure", [False, True])
@pytest.mark.parametrize("location", LOCATIONS)
def test_it_makes_the_address_djangos_build_absolute_uri_makes(settings, location, secure):
    settings.ALLOWED_HOSTS = ["hrtrack.example"]
    request = RequestFactory().get("/api/v1/search", secure=secure, HTTP_HOST="hrtrack.example")
    to_absolute = absolute(request)
    assert to_absolute(location) == request.build_absolute_uri(location)
    assert to_absolute(location) == request.build_absolute_uri(location)  # the host kept from the first call
