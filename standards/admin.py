from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Acknowledgement, Criterion, Standard


@admin.register(Standard)
class StandardAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "document"]
    list_select_related = ["document"]
    search_fields = ["document__title", "document__identifier"]
    filter_horizontal = ["channels"]


@admin.register(Criterion)
class CriterionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "version", "weight", "scoring", "is_critical"]
    list_filter = ["scoring", "is_critical"]
    list_select_related = ["version", "version__document"]
    search_fields = ["behaviour"]


@admin.register(Acknowledgement)
class AcknowledgementAdmin(admin.ModelAdmin):
    list_display = ["user", "version", "at"]
    list_select_related = ["user", "version", "version__document"]
