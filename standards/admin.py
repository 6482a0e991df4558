from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from qms.admin import WorkflowFieldReadOnly

from .models import (
    Acknowledgement,
    CalibrationSession,
    Criterion,
    Evaluation,
    SamplingPlan,
    Standard,
    TimelinessFigure,
)


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


@admin.register(Evaluation)
class EvaluationAdmin(WorkflowFieldReadOnly, SimpleHistoryAdmin):
    """Read-mostly: scores are computed by the service, so evaluations are
    created on the scorecard or by import, not here."""

    list_display = [
        "reference",
        "interaction_date",
        "channel",
        "employee",
        "evaluator",
        "score",
        "critical_fail",
        "status",
    ]
    list_filter = ["status", "critical_fail", "channel"]
    list_select_related = ["channel", "employee", "evaluator"]
    search_fields = ["reference"]
    readonly_fields = ["score", "critical_fail", "compliant", "version"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(SamplingPlan)
class SamplingPlanAdmin(SimpleHistoryAdmin):
    list_display = ["name", "channel", "org_unit", "per_employee_month", "is_active"]
    list_select_related = ["channel", "org_unit"]


@admin.register(CalibrationSession)
class CalibrationSessionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "standard", "reference", "interaction_date"]


@admin.register(TimelinessFigure)
class TimelinessFigureAdmin(admin.ModelAdmin):
    list_display = ["date", "channel", "metric", "count", "within_target"]
    list_filter = ["channel", "metric"]
    list_select_related = ["channel"]
    date_hierarchy = "date"
