"""``hrtrack two-factor reset USERNAME``: remove a person's authenticator and backup codes."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from hrtrack.accounts.two_factor import reset_devices


class Command(BaseCommand):
    help = ("Two-factor sign-in: `reset USERNAME` removes a person's authenticator and backup codes "
            "(a lost phone) and signs them out; they set up a new one at their next sign-in.")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        reset = actions.add_parser("reset", help="Remove a person's authenticator and backup codes.")
        reset.add_argument("username")

    def handle(self, *args, action, username, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        removed = reset_devices(user)
        self.stdout.write(f"Removed {removed} two-factor device(s) of {username} and signed them out: they set up "
                          "an authenticator again at their next sign-in.")
