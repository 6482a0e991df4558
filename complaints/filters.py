"""Filters of the complaint work queue."""

from __future__ import annotations

import django_filters
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qms import options
from qms.models import Channel, Customer, OrgUnit

from .models import Case, Category

# The option lists of the model choice filters, cached (qms.options): the
# filter offers them on every queue page; the chosen value is still checked
# against the field's queryset.
CACHED_OPTIONS = {
    "channel": "channels",
    "category": "complaints.categories",
    "org_unit": "org_units",
    "handler": "staff",
}

SORTS = {
    "newest": ("-received_at", "-id"),
    "oldest": ("received_at", "id"),
    "due": ("response_due_at", "id"),
    "status": ("status", "-received_at", "-id"),
    "priority": ("priority", "-received_at", "-id"),
}


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        help_text=_("Reference, subject, text, customer or contact"),
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=Case.Status.choices,
        widget=forms.SelectMultiple,
        # A case has one status: no duplicate rows to remove, and DISTINCT over
        # every selected column made PostgreSQL sort the filtered cases.
        distinct=False,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Case.Kind.choices, empty_label=_("Any kind")
    )
    channel = django_filters.ModelChoiceFilter(
        label=_("Channel"), queryset=Channel.objects.all(), empty_label=_("Any channel")
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        queryset=Category.objects.select_related("parent"),
        method="in_category",
        empty_label=_("Any category"),
    )
    org_unit = django_filters.ModelChoiceFilter(
        label=_("Unit"), queryset=OrgUnit.objects.all(), empty_label=_("Any unit")
    )
    handler = django_filters.ModelChoiceFilter(
        label=_("Handler"),
        queryset=get_user_model()
        .objects.filter(is_active=True)
        .order_by("first_name", "last_name"),
        empty_label=_("Anyone"),
    )
    due = django_filters.ChoiceFilter(
        label=_("Deadline"),
        method="by_due",
        empty_label=_("Any"),
        choices=[
            ("overdue", _("Overdue")),
            ("soon", _("Due soon")),
            ("paused", _("Paused")),
            ("open", _("Open")),
        ],
    )
    received_from = django_filters.DateFilter(
        label=_("Received from"),
        field_name="received_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    received_to = django_filters.DateFilter(
        label=_("Received to"),
        field_name="received_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    mine = django_filters.BooleanFilter(
        label=_("My cases"), method="only_mine", widget=forms.CheckboxInput
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        method="sort_by",
        empty_label=None,
        choices=[
            ("newest", _("Newest first")),
            ("oldest", _("Oldest first")),
            ("due", _("Deadline")),
            ("status", _("Status")),
            ("priority", _("Priority")),
        ],
    )

    class Meta:
        model = Case
        fields: list[str] = []

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for name, option_list in CACHED_OPTIONS.items():
            field = self.form.fields[name]
            field.widget.choices = [
                ("", field.empty_label),
                *options.choices(option_list),
            ]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # Customers by name through a subquery rather than a join: at a
        # million cases a join costs a customer lookup per case scanned, the
        # subquery one pass over the customers' trigram index (hashed).
        return queryset.filter(
            Q(reference__iexact=value)
            | Q(subject__icontains=value)
            | Q(description__icontains=value)
            | Q(contact_name__icontains=value)
            | Q(contact_email__iexact=value)
            | Q(customer__in=Customer.objects.filter(name__icontains=value))
        )

    def in_category(self, queryset, name, value):
        # The category and its subcategories as one IN list on the case's own
        # column (served by case_category_idx) instead of an OR across a join.
        return queryset.filter(
            category__in=Category.objects.filter(Q(pk=value.pk) | Q(parent=value))
        )

    def by_due(self, queryset, name, value):
        now = timezone.now()
        if value == "overdue":
            return queryset.overdue(now)
        if value == "soon":
            hours = settings.COMPLAINTS_DUE_SOON_HOURS
            return queryset.due_soon(now, timezone.timedelta(hours=hours))
        if value == "paused":
            return queryset.open().filter(paused_since__isnull=False)
        if value == "open":
            return queryset.open()
        return queryset

    def only_mine(self, queryset, name, value):
        if value and self.user is not None:
            return queryset.filter(handler=self.user)
        return queryset

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["newest"]))
