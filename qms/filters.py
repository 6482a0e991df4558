"""List filters of the core app (django-filter)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from qms.models import Customer, Segment


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
