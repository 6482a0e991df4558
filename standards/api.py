"""REST API of the standards area (/api/v1/standards/): timeliness figures
from the contact-centre or e-mail systems, read and posted.

A posted figure is measured against the timeliness criterion of the channel's
standard in force on its date, exactly as a CSV import row is.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, serializers, viewsets

from qms.api_fields import CodeRelatedField
from qms.api_permissions import ViewModelPermissions
from qms.models import Channel

from . import importing
from .models import TimelinessFigure


class TimelinessFigureSerializer(serializers.ModelSerializer):
    channel = CodeRelatedField(slug_field="code", queryset=Channel.objects.all())
    count = serializers.IntegerField(min_value=0, required=False)
    within_target = serializers.IntegerField(min_value=0, required=False)
    value = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        write_only=True,
        required=False,
        help_text=_(
            "One contact's value instead of count and within_target; it is "
            "within target when at most the standard's target."
        ),
    )

    class Meta:
        model = TimelinessFigure
        fields = [
            "id",
            "date",
            "channel",
            "metric",
            "count",
            "within_target",
            "mean_value",
            "value",
            "target_value",
        ]
        read_only_fields = ["id", "target_value"]
        # The unique (date, channel, metric) check is the service's.
        validators = []

    def validate_date(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError(str(importing.ERR_FUTURE))
        return value

    def create(self, validated_data: dict) -> TimelinessFigure:
        mean = validated_data.get("mean_value")
        try:
            figure = importing.timeliness_figure_from(
                day=validated_data["date"],
                channel=validated_data["channel"],
                metric=validated_data["metric"],
                count=validated_data.get("count"),
                within_target=validated_data.get("within_target"),
                mean_value=None if mean is None else mean,
                value=validated_data.get("value"),
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        if TimelinessFigure.objects.filter(
            date=figure.date, channel=figure.channel, metric=figure.metric
        ).exists():
            raise serializers.ValidationError(
                {"date": [str(importing.ERR_FIGURE_EXISTS)]}
            )
        figure.save()
        return figure


class TimelinessFigureViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Daily timeliness figures per channel and metric, newest first."""

    serializer_class = TimelinessFigureSerializer
    permission_classes = [ViewModelPermissions]
    queryset = TimelinessFigure.objects.select_related("channel").order_by(
        "-date", "channel__code", "metric"
    )
