"""REST API of the complaints area (/api/v1/): list, read and register cases.

Clients authenticate with a token (``manage.py api_token <username>``) or a
session; they see the cases the user may see and need ``add_case`` to register.
"""

from __future__ import annotations

import datetime

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins, serializers, viewsets
from rest_framework.pagination import PageNumberPagination

from qms.api_fields import CodeRelatedField
from qms.api_permissions import ViewModelPermissions
from qms.filters import MomentFilter
from qms.models import Channel, Customer, Language, OrgUnit, Service

from . import services
from .intake_email import default_intake_unit
from .models import Case, Category
from .selectors import cases_visible_to

ERR_RECEIVED_IN_FUTURE = _("The time of receipt cannot be in the future.")
# Clock difference tolerated between the client and the server.
CLOCK_SKEW = datetime.timedelta(minutes=5)


def _code_field(queryset, slug_field: str = "code", **kwargs):
    return CodeRelatedField(slug_field=slug_field, queryset=queryset, **kwargs)


class CaseSerializer(serializers.ModelSerializer):
    """A case as the API shows it; the intake fields are writable on create."""

    channel = _code_field(Channel.objects.filter(is_active=True))
    customer = _code_field(
        Customer.objects.all(),
        slug_field="reference",
        required=False,
        allow_null=True,
    )
    org_unit = _code_field(
        OrgUnit.objects.filter(is_active=True),
        required=False,
        help_text=_("Unit code; the default intake unit when left out."),
    )
    category = _code_field(
        Category.objects.filter(is_active=True), required=False, allow_null=True
    )
    service = _code_field(
        Service.objects.filter(is_active=True), required=False, allow_null=True
    )
    language = serializers.ChoiceField(
        choices=Language.choices, default=Language.ESTONIAN
    )
    # Blank until decided: declared so the schema's enum admits "" (found by
    # the API fuzzing test; a read-only model field loses allow_blank).
    outcome = serializers.ChoiceField(
        choices=Case.Outcome.choices, allow_blank=True, read_only=True
    )
    send_acknowledgement = serializers.BooleanField(
        write_only=True,
        default=False,
        help_text=_("E-mail the acknowledgement letter to contact_email."),
    )

    class Meta:
        model = Case
        fields = [
            "reference",
            "kind",
            "status",
            "received_at",
            "channel",
            "customer",
            "contact_name",
            "contact_email",
            "contact_phone",
            "language",
            "org_unit",
            "category",
            "service",
            "subject",
            "description",
            "remedy_sought",
            "severity",
            "priority",
            "safety_related",
            "acknowledge_due_at",
            "response_due_at",
            "acknowledged_at",
            "closed_at",
            "outcome",
            "updated_at",
            "send_acknowledgement",
        ]
        read_only_fields = [
            "reference",
            "status",
            "acknowledge_due_at",
            "response_due_at",
            "acknowledged_at",
            "closed_at",
            "outcome",
            "updated_at",
        ]
        extra_kwargs = {"received_at": {"required": False}}

    def validate_received_at(self, value: datetime.datetime) -> datetime.datetime:
        if value > timezone.now() + CLOCK_SKEW:
            raise serializers.ValidationError(ERR_RECEIVED_IN_FUTURE)
        return value

    def create(self, validated_data: dict) -> Case:
        send = validated_data.pop("send_acknowledgement", False)
        validated_data.setdefault("org_unit", None)
        if validated_data["org_unit"] is None:
            validated_data["org_unit"] = default_intake_unit()
        try:
            return services.case_register(
                case=Case(**validated_data),
                by=self.context["request"].user,
                send_acknowledgement=send,
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(
                serializers.as_serializer_error(error)
            ) from error


class CaseFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Case.Status.choices)
    kind = django_filters.ChoiceFilter(choices=Case.Kind.choices)
    updated_since = MomentFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text=_("ISO 8601 date-time: cases changed at or after it."),
    )

    class Meta:
        model = Case
        fields = ["status", "kind", "updated_since"]


class CasePagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


class CaseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Cases the signed-in user may see, newest first."""

    serializer_class = CaseSerializer
    permission_classes = [ViewModelPermissions]
    pagination_class = CasePagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = CaseFilter
    lookup_field = "reference"
    # For the permission class and the schema; rows come from get_queryset().
    queryset = Case.objects.none()

    def get_queryset(self) -> QuerySet[Case]:
        """Runs the scope queries once per request (the permission check asks
        for the queryset too)."""
        if getattr(self, "swagger_fake_view", False):
            return Case.objects.none()
        if not hasattr(self, "_cases"):
            self._cases = cases_visible_to(self.request.user).select_related(
                "channel", "customer", "org_unit", "category", "service"
            )
        return self._cases.all()
