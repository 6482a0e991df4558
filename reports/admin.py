from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from qms.admin import WorkflowFieldReadOnly

from .models import DistributionList, Report, ReportDecision


@admin.register(Report)
class ReportAdmin(WorkflowFieldReadOnly, SimpleHistoryAdmin):
    list_display = ["__str__", "kind", "org_unit", "language", "status", "version"]
    list_filter = ["status", "kind", "language"]
    readonly_fields = [
        "snapshot_checksum",
        "pdf_checksum",
        "issued_at",
        "submitted_at",
        "distributed_at",
    ]


@admin.register(ReportDecision)
class ReportDecisionAdmin(WorkflowFieldReadOnly, SimpleHistoryAdmin):
    list_display = ["__str__", "report", "owner", "due_date", "status"]
    list_filter = ["status"]


@admin.register(DistributionList)
class DistributionListAdmin(SimpleHistoryAdmin):
    list_display = ["name", "is_default"]
    filter_horizontal = ["users"]
