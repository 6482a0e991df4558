"""Filters of the promise register and the event list."""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qms.models import Channel, Service

from .forms import person_label
from .models import FulfilmentEvent, Promise, PromiseIndicator


class PromiseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Promise.Status.choices, empty_label=_("Any status")
    )
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"),
        queryset=get_user_model().objects.filter(is_active=True).order_by("first_name"),
        empty_label=_("Anyone"),
    )
    channel = django_filters.ModelChoiceFilter(
        label=_("Channel"),
        field_name="channels",
        queryset=Channel.objects.all(),
        empty_label=_("Any channel"),
    )
    service = django_filters.ModelChoiceFilter(
        label=_("Service"),
        field_name="services",
        queryset=Service.objects.all(),
        empty_label=_("Any service"),
    )

    class Meta:
        model = Promise
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["owner"].label_from_instance = person_label

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = (
            Q(title__icontains=value)
            | Q(text_et__icontains=value)
            | Q(text_en__icontains=value)
        )
        number = value.upper().removeprefix("P-")
        if number.isdigit():
            condition |= Q(pk=int(number))
        return queryset.filter(condition)


class EventFilter(django_filters.FilterSet):
    indicator = django_filters.ModelChoiceFilter(
        label=_("Indicator"), queryset=PromiseIndicator.objects.none(),
        empty_label=_("Any indicator"),
    )  # fmt: skip
    kept = django_filters.BooleanFilter(
        label=_("Kept"),
        widget=forms.Select(
            choices=[("", _("Any")), ("true", _("Kept")), ("false", _("Broken"))]
        ),
    )
    excluded = django_filters.BooleanFilter(
        label=_("Excluded"),
        widget=forms.Select(
            choices=[("", _("Any")), ("true", _("Excluded")), ("false", _("Counted"))]
        ),
    )
    since = django_filters.DateFilter(
        label=_("From"), field_name="occurred_at", lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )  # fmt: skip

    class Meta:
        model = FulfilmentEvent
        fields: list[str] = []

    def __init__(self, *args, promise: Promise, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["indicator"].queryset = promise.indicators.all()
