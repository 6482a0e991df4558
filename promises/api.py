"""REST API of fulfilment events (/api/v1/promise-events/): list the events
of the promises the user may see and post new ones (``add_fulfilmentevent``;
process owners only for promises they own). An event with a ``reference``
already recorded for the indicator is refused, so clients may resend safely.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.pagination import PageNumberPagination

from qms.api_permissions import ViewModelPermissions
from qms.bounds import validate_past_moment
from qms.filters import MomentFilter

from . import services
from .access import may_record
from .models import FulfilmentEvent, PromiseIndicator


class EventSerializer(serializers.ModelSerializer):
    indicator = serializers.PrimaryKeyRelatedField(
        queryset=PromiseIndicator.objects.exclude(
            kind=PromiseIndicator.Kind.MEASURE
        ).select_related("promise")
    )
    promise = serializers.IntegerField(source="indicator.promise_id", read_only=True)
    kept = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="For kept/broken indicators; computed for time and level ones.",
    )

    class Meta:
        model = FulfilmentEvent
        fields = [
            "id",
            "indicator",
            "promise",
            "occurred_at",
            "started_at",
            "ended_at",
            "value",
            "kept",
            "elapsed",
            "reason",
            "reference",
            "excluded",
            "exclusion_reason",
            "recorded_at",
        ]
        read_only_fields = ["id", "elapsed", "recorded_at"]
        extra_kwargs = {
            "occurred_at": {"required": False, "validators": [validate_past_moment]},
            "started_at": {"validators": [validate_past_moment]},
            "ended_at": {"validators": [validate_past_moment]},
        }
        # The reference's uniqueness is checked by the service (readable error).
        validators: list = []

    def create(self, validated_data: dict) -> FulfilmentEvent:
        user = self.context["request"].user
        indicator = validated_data["indicator"]
        if not may_record(user, indicator.promise):
            raise PermissionDenied
        reference = validated_data.get("reference", "")
        if (
            reference
            and FulfilmentEvent.objects.filter(
                indicator=indicator, reference=reference
            ).exists()
        ):
            raise serializers.ValidationError(
                {"reference": [str(services.ERR_DUPLICATE)]}
            )
        try:
            return services.event_record(
                event=FulfilmentEvent(
                    source=FulfilmentEvent.Source.API, **validated_data
                ),
                by=user,
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(
                serializers.as_serializer_error(error)
            ) from error


class EventFilter(django_filters.FilterSet):
    promise = django_filters.NumberFilter(field_name="indicator__promise_id")
    since = MomentFilter(field_name="occurred_at", lookup_expr="gte")

    class Meta:
        model = FulfilmentEvent
        fields = ["indicator", "promise", "since"]


class EventPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


class EventViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Fulfilment events, newest first."""

    serializer_class = EventSerializer
    permission_classes = [ViewModelPermissions]
    pagination_class = EventPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = EventFilter
    queryset = FulfilmentEvent.objects.none()

    def get_queryset(self) -> QuerySet[FulfilmentEvent]:
        if getattr(self, "swagger_fake_view", False):
            return FulfilmentEvent.objects.none()
        return FulfilmentEvent.objects.select_related("indicator").order_by(
            "-occurred_at", "-id"
        )
