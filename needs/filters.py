"""Filters of the needs registry."""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qms.models import Segment, Service

from .forms import person_label
from .models import Need


class NeedFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=Need.Status.choices, widget=forms.SelectMultiple
    )
    requirement_class = django_filters.ChoiceFilter(
        label=_("Requirement class"),
        choices=Need.RequirementClass.choices,
        empty_label=_("Any class"),
    )
    kano = django_filters.ChoiceFilter(
        label=_("Kano class"), choices=Need.Kano.choices, empty_label=_("Any")
    )
    segment = django_filters.ModelChoiceFilter(
        label=_("Segment"),
        field_name="segments",
        queryset=Segment.objects.all(),
        empty_label=_("Any segment"),
    )
    service = django_filters.ModelChoiceFilter(
        label=_("Service or product"),
        queryset=Service.objects.all(),
        empty_label=_("Any service"),
    )
    source = django_filters.ChoiceFilter(
        label=_("Source"), choices=Need.Source.choices, empty_label=_("Any source")
    )
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"),
        queryset=get_user_model().objects.filter(is_active=True).order_by("first_name"),
        empty_label=_("Anyone"),
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue for review"), method="only_overdue", widget=forms.CheckboxInput
    )

    class Meta:
        model = Need
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["owner"].label_from_instance = person_label

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q(statement__icontains=value)
        number = value.upper().removeprefix("N-")
        if number.isdigit():
            condition |= Q(pk=int(number))
        return queryset.filter(condition)

    def only_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.overdue_for_review(timezone.localdate())
