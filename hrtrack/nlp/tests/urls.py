"""The project's URLs plus this app's, for tests, until hrtrack/urls.py includes them."""

from django.urls import include, path

from hrtrack.urls import urlpatterns as project_urls

urlpatterns = [*project_urls, path("", include("hrtrack.nlp.urls"))]
