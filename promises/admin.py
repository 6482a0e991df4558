from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from qms.admin import WorkflowFieldReadOnly

from .models import (
    BrokenPromiseTag,
    FulfilmentEvent,
    Promise,
    PromiseIndicator,
    PromiseReview,
)


class IndicatorInline(admin.TabularInline):
    model = PromiseIndicator
    extra = 0


@admin.register(Promise)
class PromiseAdmin(WorkflowFieldReadOnly, SimpleHistoryAdmin):
    list_display = ["title", "status", "owner", "next_review_date"]
    list_filter = ["status"]
    search_fields = ["title", "text_et", "text_en"]
    inlines = [IndicatorInline]


@admin.register(FulfilmentEvent)
class FulfilmentEventAdmin(admin.ModelAdmin):
    list_display = ["indicator", "occurred_at", "kept", "excluded", "source"]
    list_filter = ["kept", "excluded", "source"]
    list_select_related = ["indicator"]
    raw_id_fields = ["indicator"]


admin.site.register(PromiseReview)
admin.site.register(BrokenPromiseTag, list_display=["promise", "case", "tagged_at"])
