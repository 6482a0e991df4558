"""Admin of the root-cause taxonomies (imported by complaints.admin)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ..models import IshikawaCategory, RootCauseCategory


@admin.register(RootCauseCategory)
class RootCauseCategoryAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "code", "is_active", "sort_order"]
    list_filter = ["is_active", "parent"]
    list_editable = ["is_active", "sort_order"]
    list_select_related = ["parent"]
    search_fields = ["name", "code"]


@admin.register(IshikawaCategory)
class IshikawaCategoryAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "is_active", "sort_order"]
    list_editable = ["is_active", "sort_order"]
    search_fields = ["name", "code"]
