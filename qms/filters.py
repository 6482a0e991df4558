"""List filters of the core app (django-filter), and filter types the areas
share."""

import datetime

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField

from qms.bounds import validate_from_1900
from qms.models import Customer, Segment


class MomentField(IsoDateTimeField):
    """An ISO 8601 moment, from 1900 on, handed to the database in UTC: an
    offset the database does not know (PostgreSQL takes at most 15:59, ISO
    allows 23:59) would otherwise fail the query (found by the API fuzzing)."""

    default_validators = [validate_from_1900]

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is not None and timezone.is_aware(moment):
            moment = moment.astimezone(datetime.UTC)
        return moment


class MomentFilter(django_filters.IsoDateTimeFilter):
    """``?since=2026-03-01T00:00:00+02:00`` on an API list."""

    field_class = MomentField


class CustomerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        help_text=_("Name, customer number, e-mail, phone or code"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Customer.Kind.choices, empty_label=_("Any kind")
    )
    segment = django_filters.ModelChoiceFilter(
        label=_("Segment"),
        field_name="segments",
        queryset=Segment.objects.all(),
        empty_label=_("Any segment"),
    )
    preferred_language = django_filters.ChoiceFilter(
        label=_("Language"),
        choices=Customer._meta.get_field("preferred_language").choices,
        empty_label=_("Any language"),
    )

    class Meta:
        model = Customer
        fields = ["q", "kind", "segment", "preferred_language"]

    def search(self, queryset, name, value):
        return queryset.search(value)
