from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Country, Organization, Person, Post


@admin.register(Country)
class CountryAdmin(SimpleHistoryAdmin):
    list_display = ["code", "alpha3", "name_en", "name_es", "kind"]
    list_filter = ["kind"]
    search_fields = ["code", "alpha3", "name_en", "name_es"]


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "acronym", "country", "level", "branch", "parent"]
    list_filter = ["level", "branch", ("country", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["country", "parent"]
    search_fields = ["name", "name_es", "acronym"]
    autocomplete_fields = ["parent", "country", "mechanism"]


class PostInline(admin.TabularInline):
    model = Post
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "restricted"]
    list_filter = ["restricted"]
    search_fields = ["name", "match_key"]
    readonly_fields = ["match_key"]
    inlines = [PostInline]


@admin.register(Post)
class PostAdmin(SimpleHistoryAdmin):
    list_display = ["person", "title", "organization", "start", "end"]
    list_filter = [("organization", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["person", "organization"]
    search_fields = ["title", "person__name", "organization__name", "organization__acronym"]
    autocomplete_fields = ["person", "organization"]
