"""Civil society's part of the demo: a contributor of a (made-up) human-rights organisation, with
comments approved on two published items and on a public report, a link to evidence waiting in
the moderation queue, and a comment rejected with its reason. ``hrtrack demo`` calls
:func:`add_demo_input` once the story has published what a mechanism would."""

import secrets

from hrtrack.accounts.models import Role, User
from hrtrack.followup.models import ProgressReport
from hrtrack.recommendations.models import Recommendation

from . import workflow
from .models import Contribution, ContributorProfile

USERNAME = "sociedad-civil@demo.example.org"
ORGANISATION = "Red de Defensoras de Derechos Humanos (demo)"
COMMENTS = [
    "La ley general existe, pero las fiscalías de los estados aún no tienen unidades especializadas.",
    "Pedimos que el informe diga cuántas víctimas recibieron reparación, no solo cuántas carpetas se abrieron.",
]
REPORT_COMMENT = "El informe omite los datos de 2023; nuestro monitoreo cuenta 41 casos nuevos en ese año."
EVIDENCE = ("Nuestro informe sombra al Examen Periódico Universal, con los casos documentados.",
            "https://example.org/informe-sombra-epu.pdf")
REJECTED = ("¡Visiten mi tienda en línea!", "Publicidad: no trata de la recomendación.")


def add_demo_input(coordinator: User) -> tuple[User, str] | None:
    """Make the contributor (a new password on every run) and, the first time, their
    contributions on the first published items and report. Returns the contributor and the
    password, or None when nothing is published yet."""
    items = list(Recommendation.objects.published().order_by("pk")[:3])
    if not items:
        return None
    password = secrets.token_urlsafe(12)
    user = User.objects.filter(username=USERNAME).first() or User(username=USERNAME)
    user.email, user.first_name, user.role, user.language = USERNAME, "Lucía Hernández", Role.CONTRIBUTOR, "es"
    user.is_active = True
    user.set_password(password)
    user.save()
    ContributorProfile.objects.update_or_create(user=user, defaults={"organisation": ORGANISATION})
    if Contribution.objects.filter(author=user).exists():
        return user, password
    for item, text in zip(items, COMMENTS, strict=False):
        workflow.approve(workflow.submit(item, user, text=text), coordinator)
    report = (ProgressReport.objects.published().validated()
              .filter(assignment__recommendation__published_at__isnull=False).order_by("pk").first())
    if report is not None:
        workflow.approve(workflow.submit(report, user, text=REPORT_COMMENT), coordinator)
    workflow.submit(items[0], user, text=EVIDENCE[0], url=EVIDENCE[1])
    workflow.reject(workflow.submit(items[-1], user, text=REJECTED[0]), coordinator, REJECTED[1])
    return user, password
