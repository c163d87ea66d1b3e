"""What a person reads of the follow-up's free texts: restricted people's names (victims,
defenders, people of cases raised) only for those ``User.can_see_restricted`` (the mechanism's
coordinators and administrators); everyone else, an agency's focal points and validators
included, reads them withheld ("[…]"), on every follow-up door: the assignment and report pages
and their JSON twins (so the API), my work, the dashboard, the agencies' pages, cycles,
indicators and the reminder e-mails.

One place decides it: :func:`withhold_for` takes the names out of the items, reports and history
entries a page or JSON answer is about to show, finding the names in one query however many
rows (:func:`hrtrack.dialogues.restricted.restricted_names`). It changes the objects in memory
only, for showing: it is called when a page or an answer is built, never on objects about to be
saved.

A report's narrative is not withheld from whoever may still change it (its agency's focal points,
while it is a draft or returned: ``rules.can_edit_report``), on its page, its JSON and its form:
it is their agency's own text, and a text shown withheld and saved again (the form's field, an API
client sending back what it read) would write "[…]" over the name. Once it is submitted, or for
anyone else (a validator, another agency), it is withheld like every other text.
"""

from collections.abc import Callable, Iterable

from hrtrack.dialogues.restricted import restricted_names


def sees_restricted(user) -> bool:
    """Whether ``user`` reads restricted people's names (``User.can_see_restricted``)."""
    return bool(user is not None and user.is_authenticated and user.can_see_restricted())


def _shown(text: str) -> str:
    return text


def withhold_for(user, *, items: Iterable = (), reports: Iterable = (), history: Iterable = (),
                 changes: Iterable = (), narratives=True) -> Callable[[str], str]:
    """For a ``user`` who may not read restricted names, those names withheld, in place, from
    ``items`` (their text and heading), ``reports`` (their return reason, their items, and their
    narrative unless ``narratives`` is false, or a function of the report that is false for it),
    ``history`` entries (the subject and each change's old and new values, as
    :mod:`hrtrack.lib.history` gives them) and a conflict's ``changes`` (their values then and
    now). Returns the function that withholds them from any other text for that user (for a
    coordinator, the text as it is)."""
    if sees_restricted(user):
        return _shown
    items, reports, history, changes = list(items), list(reports), list(history), list(changes)
    every = items + [report.assignment.recommendation for report in reports]
    names = restricted_names(sorted({item.dialogue_id for item in every if item.dialogue_id}))

    def withhold(text) -> str:
        return names.withhold(text)[0] if text else text

    def withhold_change(change: dict) -> None:
        for key in ("old", "new", "then", "now"):  # a history entry's change, or a conflict's
            if key in change:
                change[key] = withhold(str(change[key]))

    seen: set[int] = set()
    for item in every:
        if id(item) not in seen:  # an item shown twice is withheld once ("[…]" is not a name, but why twice)
            seen.add(id(item))
            item.text, item.heading = withhold(item.text), withhold(item.heading)
    for report in reports:
        if narratives(report) if callable(narratives) else narratives:
            report.narrative = withhold(report.narrative)
        report.return_reason = withhold(report.return_reason)
    for entry in history:
        if entry.get("subject"):
            entry["subject"] = withhold(str(entry["subject"]))
        for change in entry.get("changes", []):
            withhold_change(change)
    for change in changes:
        withhold_change(change)
    return withhold
