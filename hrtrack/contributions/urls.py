from django.urls import path, register_converter

from hrtrack.lib import web  # noqa: F401  (registers the "id" converter)
from hrtrack.lib.web import coordinator_required

from . import views


class TargetConverter:
    """What a contribution is on: an item or a progress report."""

    regex = "item|report"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TargetConverter, "target")

moderators = coordinator_required(views.MODERATORS_ONLY)
moderators_json = coordinator_required(views.MODERATORS_ONLY, json=True)


def twins(route: str, view, name: str, *, moderated: bool = False, **extra) -> list:
    """A page at ``route`` and its JSON twin at the same path with ``.json`` for the slash."""
    page, twin = (moderators(view), moderators_json(view)) if moderated else (view, view)
    return [path(route, page, extra, name=name),
            path(route.removesuffix("/") + ".json", twin, {**extra, "as_json": True}, name=f"{name}_json")]


app_name = "contributions"
urlpatterns = [
    path("contribute/sign-up/", views.sign_up, name="sign_up"),
    path("contribute/files/<id:pk>/", views.contribution_file, name="file"),
    *twins("contribute/<target:kind>/<id:pk>/", views.contribute, "contribute"),
    *twins("moderation/", views.moderation, "moderation", moderated=True),
    *twins("moderation/<id:pk>/approve/", views.moderate, "approve", moderated=True, decision="approve"),
    *twins("moderation/<id:pk>/reject/", views.moderate, "reject", moderated=True, decision="reject"),
]
