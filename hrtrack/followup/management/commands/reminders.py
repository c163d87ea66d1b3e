import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hrtrack.followup.tasks import run_now


def day_value(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(_("--date wants a day as YYYY-MM-DD, not %(value)r.") % {"value": text}) from None


class Command(BaseCommand):
    help = (
        "Send the reminder digests: `reminders send` e-mails each focal point and validator what is due, "
        "overdue, returned or waiting for them, in their language, now (the daily job does it every morning). "
        "Nobody gets a day's digest twice."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        send = sub.add_parser(
            "send", help="Send the day's reminder digests now.",
            description="Send the day's reminder digests now, to every focal point and validator with something "
            "waiting and an e-mail address, except those already sent that day's digest. Mail goes through "
            "EMAIL_BACKEND: printed on the console unless EMAIL_HOST is set.",
        )
        send.add_argument("--date", metavar="YYYY-MM-DD",
                          help="the day to remind of (default: today): what is overdue or due soon on that day")

    def handle(self, *args, action, date=None, **options):
        day = day_value(date) if date else None
        result = run_now(day)
        sent = result["sent"]
        self.stdout.write(ngettext("%(count)d digest sent for %(day)s.", "%(count)d digests sent for %(day)s.",
                                   len(sent)) % {"count": len(sent), "day": result["day"]})
        for line in sent:
            self.stdout.write("  " + _("%(username)s <%(email)s> (%(language)s): %(overdue)d overdue, "
                                       "%(due_soon)d due soon, %(returned)d returned, %(to_validate)d to validate")
                              % line)
        if result["already_sent"]:
            self.stdout.write(ngettext("%(count)d person already had this day's digest.",
                                       "%(count)d people already had this day's digest.",
                                       result["already_sent"]) % {"count": result["already_sent"]})
        if result["nothing_to_say"]:
            self.stdout.write(ngettext("%(count)d person had nothing waiting.", "%(count)d people had nothing waiting.",
                                       result["nothing_to_say"]) % {"count": result["nothing_to_say"]})
        if result["no_address"]:
            self.stdout.write(_("Not sent, no e-mail address: %(names)s.") % {"names": ", ".join(result["no_address"])})
        if result["failed"]:
            raise CommandError(_("Not sent: %(failures)s") % {"failures": "; ".join(
                f"{f['username']} ({f['error']})" for f in result["failed"])})
