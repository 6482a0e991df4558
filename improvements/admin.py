from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from qms.admin import WorkflowFieldReadOnly

from .models import (
    Action,
    EffectivenessCheck,
    Plan,
    PlanOrigin,
    PlanTransition,
    Proposal,
)


@admin.register(Proposal)
class ProposalAdmin(WorkflowFieldReadOnly, SimpleHistoryAdmin):
    list_display = ["title", "status", "proposer", "created_at"]
    list_filter = ["status", "area"]
    search_fields = ["title", "description"]
    raw_id_fields = ["proposer", "decided_by", "plan"]


class PlanOriginInline(admin.TabularInline):
    model = PlanOrigin
    extra = 0


class ActionInline(admin.TabularInline):
    model = Action
    extra = 0
    raw_id_fields = ["owner"]
    # Changed only by a workflow step (improvements.services.ACTION_WORKFLOW).
    readonly_fields = ["status"]


class PlanTransitionInline(admin.TabularInline):
    model = PlanTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "by", "at", "comment"]


@admin.register(Plan)
class PlanAdmin(WorkflowFieldReadOnly, SimpleHistoryAdmin):
    list_display = ["title", "type", "status", "owner", "implemented_on"]
    list_filter = ["status", "type"]
    search_fields = ["title", "problem"]
    raw_id_fields = ["owner", "approved_by", "created_by", "follow_up_of"]
    filter_horizontal = ["team"]
    inlines = [PlanOriginInline, ActionInline, PlanTransitionInline]


@admin.register(Action)
class ActionAdmin(WorkflowFieldReadOnly, SimpleHistoryAdmin):
    list_display = ["__str__", "plan", "owner", "due_date", "status"]
    list_filter = ["status", "type"]
    raw_id_fields = ["plan", "owner"]


@admin.register(EffectivenessCheck)
class EffectivenessCheckAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "measure_key", "verdict", "p_value", "checked_at"]
    list_filter = ["verdict"]
    raw_id_fields = ["plan", "checked_by"]
