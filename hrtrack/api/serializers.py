"""The shapes of the API's requests and answers, for the OpenAPI schema (drf-spectacular reads them).

The answers themselves are built by the same functions as the pages' JSON twins (an item's
``as_json``, the follow-up's report JSON...), so that every door shows the same thing; these
serializers name the fields a program may rely on. An object may carry more fields than listed.
The requests are checked by the pages' own forms (the views hand them the same data), so that a
field means the same and is refused for the same reasons on every door.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from hrtrack.followup.models import Assignment, ImplementationStatus

from .models import ApiToken


class ErrorSerializer(serializers.Serializer):
    """Every error: a message, and for a form's problems each field's messages."""

    error = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)
    retry_after = serializers.IntegerField(required=False, help_text=_("Seconds to wait (429 only)."))


class IndexSerializer(serializers.Serializer):
    schema = serializers.URLField()
    docs = serializers.URLField()
    operations = serializers.DictField(child=serializers.URLField())


class LinkedSerializer(serializers.Serializer):
    """Any object of an answer: its id and the absolute address of its page."""

    id = serializers.IntegerField()
    url = serializers.URLField(allow_null=True, required=False)


class PageSerializer(serializers.Serializer):
    """A page of a list: how many in all, absolute links to the next and previous pages."""

    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)


class CountrySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ItemSerializer(LinkedSerializer):
    """An item (a recommendation, commitment, pledge or observation): the facts every door shows;
    a list's entry and an item's own answer add more (its themes, reports, similar items...)."""

    title = serializers.CharField()
    kind = serializers.CharField(help_text=_("recommendation, commitment, pledge or observation"))
    text = serializers.CharField(allow_blank=True, help_text=_("Restricted people's names read […] to the public."))
    heading = serializers.CharField(allow_blank=True)
    language = serializers.CharField()
    document_symbol = serializers.CharField(allow_blank=True)
    session = serializers.IntegerField(allow_null=True)
    cycle = serializers.IntegerField(allow_null=True)
    date = serializers.DateField(allow_null=True)
    due = serializers.CharField(allow_blank=True)


class ItemEntrySerializer(ItemSerializer):
    """An item in a list."""

    recommending_states = CountrySerializer(many=True)
    recipients = CountrySerializer(many=True)
    recommending_body = serializers.CharField(allow_blank=True)
    response = serializers.CharField(allow_null=True)
    action_category = serializers.IntegerField(allow_null=True)


class ItemPageSerializer(PageSerializer):
    results = ItemEntrySerializer(many=True)


class DialogueSerializer(LinkedSerializer):
    pass


class DialoguePageSerializer(PageSerializer):
    results = DialogueSerializer(many=True)


class SeriesSerializer(serializers.Serializer):
    slug = serializers.CharField(required=False)


class SearchSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text=_("The matching items."))
    texts = serializers.IntegerField(help_text=_("The results they make (identical repeated recommendations "
                                                 "once, unless repeats=apart): what offset and limit page over."))
    mode = serializers.CharField(help_text=_("The ranking used: fused, text or semantic."))
    took_ms = serializers.FloatField()
    results = serializers.ListField(child=serializers.DictField())
    facets = serializers.DictField()
    warnings = serializers.ListField(child=serializers.CharField())


class AgencySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class EvidenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    description = serializers.CharField(allow_blank=True)
    url = serializers.CharField(allow_null=True, allow_blank=True,
                                help_text=_("The file's download address, or the evidence's own link."))
    file_name = serializers.CharField(allow_blank=True, allow_null=True)


class ReportSerializer(serializers.Serializer):
    """A progress report: the public see validated, published ones; agency members their agency's."""

    id = serializers.IntegerField()
    agency = AgencySerializer()
    status = serializers.CharField()
    narrative = serializers.CharField(allow_blank=True)
    evidence = EvidenceSerializer(many=True)
    item_url = serializers.URLField(required=False)


class ReportPageSerializer(PageSerializer):
    results = ReportSerializer(many=True)


class TermSerializer(serializers.Serializer):
    """A theme, a mechanism or a state, with the address of its page."""

    code = serializers.CharField()
    label = serializers.CharField()
    url = serializers.URLField()
    scheme = serializers.CharField(required=False)


class TermPageSerializer(PageSerializer):
    results = TermSerializer(many=True)


class SameSuggestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    item = serializers.IntegerField()


class SuggestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    item = serializers.IntegerField()
    scheme = serializers.CharField()
    concept = serializers.CharField()
    confidence = serializers.FloatField(allow_null=True)
    same = SameSuggestionSerializer(many=True, required=False,
                                    help_text=_("The same suggestion waiting on near-identical items: one "
                                                "decision can apply to them all."))


class SuggestionPageSerializer(PageSerializer):
    results = SuggestionSerializer(many=True)


class ImportRunSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    url = serializers.URLField(required=False)
    page = serializers.URLField(required=False)


# Requests ----------------------------------------------------------------------------------------


class AssignRequestSerializer(serializers.Serializer):
    agencies = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1,
                                     help_text=_("Ids of our state's agencies."))
    role = serializers.ChoiceField(choices=Assignment.Role.choices, required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class AssignResultSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    created = serializers.IntegerField()
    assignments = LinkedSerializer(many=True)


class ReportRequestSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ImplementationStatus.choices)
    narrative = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    period_start = serializers.DateField(required=False)
    period_end = serializers.DateField(required=False)
    evidence_links = serializers.CharField(required=False, allow_blank=True,
                                           help_text=_("One address a line; words after it describe it."))


class ReportEditRequestSerializer(ReportRequestSerializer):
    version = serializers.IntegerField(min_value=0, help_text=_("The version you read: a newer one is a 409."))


class VersionRequestSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0, help_text=_("The version you read: a newer one is a 409."))


class ReturnRequestSerializer(VersionRequestSerializer):
    reason = serializers.CharField(max_length=5000)


class EvidenceRequestSerializer(serializers.Serializer):
    file = serializers.FileField(required=False)
    url = serializers.URLField(required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=500)


class DecisionRequestSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("confirm", _("Confirm")), ("reject", _("Reject"))])
    link = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1,
                                 help_text=_("Ids of the suggestions."))


class DecisionResultSerializer(serializers.Serializer):
    decision = serializers.CharField()
    decided = serializers.IntegerField()


class ImportRequestSerializer(serializers.Serializer):
    source = serializers.CharField(help_text=_("The file's format, as on the import page."))
    file = serializers.FileField()
    mapping = serializers.CharField(required=False, allow_blank=True)
    encoding = serializers.CharField(required=False, allow_blank=True, max_length=30)
    skip_invalid = serializers.BooleanField(required=False)


class ApiTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "key_start", "created_at", "last_used_at", "revoked_at"]
