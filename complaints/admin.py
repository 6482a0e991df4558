from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from qms.admin import ReadOnlyAdmin

from .models import Case, Category, DeadlineRule, Transition
from .rca import admin as rca_admin  # noqa: F401 - registers the root-cause admin


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["__str__", "code", "is_active", "sort_order"]
    list_filter = ["is_active", "parent"]
    list_editable = ["is_active", "sort_order"]
    search_fields = ["name", "code"]


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(SimpleHistoryAdmin):
    list_display = [
        "kind",
        "priority",
        "acknowledge_within",
        "acknowledge_unit",
        "respond_within",
        "respond_unit",
        "note",
    ]


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    """Read-only: cases change through the workflow pages, which log every step."""

    list_display = ["reference", "kind", "status", "received_at", "org_unit", "handler"]
    list_filter = ["kind", "status", "channel"]
    search_fields = ["reference", "subject"]
    date_hierarchy = "received_at"
    list_select_related = ["org_unit", "handler"]
    show_full_result_count = False


@admin.register(Transition)
class TransitionAdmin(ReadOnlyAdmin):
    list_display = ["case", "from_status", "to_status", "action", "by", "at"]
    list_select_related = ["case", "by"]
