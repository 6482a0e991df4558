from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from qms.admin import WorkflowFieldReadOnly

from .models import Need, NeedLink, NeedReview, NeedTransition


class ReviewInline(admin.TabularInline):
    model = NeedReview
    extra = 0


class LinkInline(admin.TabularInline):
    model = NeedLink
    extra = 0


@admin.register(Need)
class NeedAdmin(WorkflowFieldReadOnly, SimpleHistoryAdmin):
    list_display = ["__str__", "status", "source", "importance", "performance", "owner"]
    list_filter = ["status", "source", "requirement_class", "kano"]
    search_fields = ["statement"]
    list_select_related = ["owner"]
    autocomplete_fields = ["conflicts_with"]
    inlines = [ReviewInline, LinkInline]


@admin.register(NeedTransition)
class NeedTransitionAdmin(admin.ModelAdmin):
    """Read-only: the status log is written by the lifecycle service only."""

    list_display = ["need", "from_status", "to_status", "by", "at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
