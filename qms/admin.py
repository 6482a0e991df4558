from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from qms.models import (
    Channel,
    ClosureDay,
    Customer,
    Document,
    DocumentTransition,
    DocumentVersion,
    ErasureLog,
    Membership,
    OrgUnit,
    Segment,
    Service,
)
from qms.workflow import workflow_for


class WorkflowFieldReadOnly:
    """Mix into a ModelAdmin whose model has a workflow: its status changes
    only through ``qms.workflow`` (log, guards), never by editing the field."""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        workflow = workflow_for(self.model)
        if workflow is not None and workflow.field not in fields:
            fields.append(workflow.field)
        return fields


class ReadOnlyAdmin(admin.ModelAdmin):
    """Audit records: visible in the admin, changed only through the app."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OrgUnit)
class OrgUnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "parent", "manager", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent", "manager"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "job_title"]
    list_filter = ["unit"]
    search_fields = ["user__username", "user__last_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]


@admin.register(Segment)
class SegmentAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]


@admin.register(Channel)
class ChannelAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "is_written", "is_active", "sort_order"]
    list_editable = ["sort_order", "is_active"]
    list_filter = ["kind", "is_written", "is_active"]


@admin.register(Service)
class ServiceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "owner_unit", "is_active"]
    list_filter = ["is_active", "owner_unit"]
    search_fields = ["name", "code"]


@admin.register(Customer)
class CustomerAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "name", "kind", "email", "phone", "preferred_language"]
    list_filter = ["kind", "preferred_language", "segments", "consent_surveys"]
    search_fields = ["reference", "name", "email", "phone", "registry_code"]
    readonly_fields = ["reference", "consent_updated_at", "created_at", "updated_at"]
    filter_horizontal = ["segments"]


@admin.register(ClosureDay)
class ClosureDayAdmin(SimpleHistoryAdmin):
    list_display = ["date", "reason"]
    date_hierarchy = "date"


class VersionInline(admin.TabularInline):
    model = DocumentVersion
    fields = ["number", "status", "author", "approver", "effective_from"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        # Versions are written through the document pages, where the workflow
        # (review, approver ≠ author) is enforced.
        return False


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ["identifier", "title", "kind", "area", "owner"]
    list_filter = ["kind", "area"]
    search_fields = ["identifier", "title"]
    inlines = [VersionInline]


@admin.register(DocumentVersion)
class DocumentVersionAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    """Read-only: the workflow (review, approver ≠ author) lives in the pages."""

    list_display = [
        "document",
        "number",
        "status",
        "author",
        "approver",
        "effective_from",
    ]
    list_filter = ["status"]


@admin.register(DocumentTransition)
class DocumentTransitionAdmin(ReadOnlyAdmin):
    list_display = ["version", "from_status", "to_status", "by", "at"]


@admin.register(ErasureLog)
class ErasureLogAdmin(ReadOnlyAdmin):
    list_display = ["customer_reference", "at", "by", "reason"]
    search_fields = ["customer_reference"]
