"""Admin of the surveys area: reference data and a read-only view of the
records the services write (status log, responses)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from qms.admin import WorkflowFieldReadOnly

from .models import (
    FollowUp,
    Option,
    Question,
    Questionnaire,
    Series,
    Wave,
    WaveTransition,
)


@admin.register(Series)
class SeriesAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "owner", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "code"]


class OptionInline(admin.TabularInline):
    model = Option
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["code", "type", "questionnaire", "required"]
    list_filter = ["type", "questionnaire__series"]
    search_fields = ["code", "text_en", "text_et"]
    list_select_related = ["questionnaire"]
    inlines = [OptionInline]


@admin.register(Questionnaire)
class QuestionnaireAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "series", "version", "locked"]
    list_filter = ["series", "locked"]


@admin.register(Wave)
class WaveAdmin(WorkflowFieldReadOnly, SimpleHistoryAdmin):
    """Plans change through the wave pages, whose service enforces approval."""

    list_display = ["name", "series", "status", "opens_on", "closes_on", "anonymous"]
    list_filter = ["status", "series", "anonymous"]
    readonly_fields = ["status", "approved_by", "approved_at", "public_token"]


@admin.register(WaveTransition)
class WaveTransitionAdmin(admin.ModelAdmin):
    """Read-only: the status log is written by the transition service only."""

    list_display = ["wave", "from_status", "to_status", "by", "at"]
    list_select_related = ["wave", "by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FollowUp)
class FollowUpAdmin(WorkflowFieldReadOnly, SimpleHistoryAdmin):
    list_display = ["reason", "response", "assigned_to", "due_at", "status"]
    list_filter = ["status"]
    list_select_related = ["response", "assigned_to"]
