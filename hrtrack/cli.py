"""The ``hrtrack`` command: a thin face over the project's management commands."""

import os
import sys

#: The commands `hrtrack --help` lists, in the order a new user meets them.
COMMANDS = [
    ("migrate", "Create or update the database tables."),
    ("demo", None),
    ("serve", None),
    ("worker", None),
    ("taxonomy", None),
    ("dialogues", None),
    ("import", None),
    ("extract", None),
    ("model", None),
    ("classify", None),
    ("embeddings", None),
    ("similar", None),
    ("search", None),
    ("reminders", None),
    ("two-factor", None),
    ("backup", None),
    ("restore", None),
    ("createsuperuser", "Create an administrator who can sign in."),
    ("changepassword", "Change a user's password."),
    ("check", "Check the installation for problems."),
]


def _help_text() -> str:
    from django.core.management import get_commands, load_command_class

    available = get_commands()
    lines = [
        "usage: hrtrack COMMAND [options]",
        "",
        "hrtrack follows human-rights commitments and recommendations from the statements and",
        "reviews that made them to the evidence that they were kept.",
        "",
        "commands:",
    ]
    for name, summary in COMMANDS:
        if name not in available:
            continue
        if summary is None:
            summary = load_command_class(available[name], name).help.split(". ")[0].split(":")[0].rstrip(".")
        lines.append(f"  {name:<16}{summary}")
    lines += [
        "",
        "Run `hrtrack COMMAND --help` for a command's options. Every other Django management",
        "command works too (`hrtrack help --commands` lists them).",
        "",
        "environment: DATABASE_URL (PostgreSQL; SQLite in var/ otherwise), HRTRACK_PORT, DEBUG, SECRET_KEY,",
        "HRTRACK_SHARED_DIR (the shared data folder; ../shared by default).",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrtrack.settings")
    argv = sys.argv[1:] if argv is None else argv
    import django

    django.setup()
    if not argv or argv == ["help"] or argv[0] in ("-h", "--help"):
        print(_help_text())
        return
    from django.core.management import ManagementUtility

    ManagementUtility(["hrtrack", *argv]).execute()


if __name__ == "__main__":
    main()
