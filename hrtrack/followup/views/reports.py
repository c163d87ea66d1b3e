"""See the package's docstring."""

urlpatterns: list = []
