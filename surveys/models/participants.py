"""The people a wave invites, with their disposition and unfinished answers."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qms.models import Customer

from .common import new_token
from .waves import TargetGroup, Wave


class Participant(models.Model):
    class Disposition(models.TextChoices):
        SELECTED = "selected", _("Selected")
        INVITED = "invited", _("Invited")
        BOUNCED = "bounced", _("Bounced")
        OPENED = "opened", _("Opened")
        PARTIAL = "partial", _("Partial")
        COMPLETE = "complete", _("Complete")
        OPTED_OUT = "opted_out", _("Opted out")
        REFUSED = "refused", _("Refused")

    wave = models.ForeignKey(
        Wave,
        verbose_name=_("wave"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    group = models.ForeignKey(
        TargetGroup,
        verbose_name=_("target group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participants",
    )
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_participations",
    )
    # After a complaint is closed (post-complaint survey).
    case = models.ForeignKey(
        "complaints.Case",
        verbose_name=_("complaint"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_participants",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=5, default="et")
    token = models.CharField(
        _("personal link token"), max_length=64, unique=True, default=new_token
    )
    disposition = models.CharField(
        _("disposition"),
        max_length=20,
        choices=Disposition.choices,
        default=Disposition.SELECTED,
    )
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminded_at = models.DateTimeField(_("last reminded"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    expires_at = models.DateTimeField(_("link expires"), null=True, blank=True)
    # Unfinished answers ({question code: value}); deleted on submission.
    draft = models.JSONField(_("saved progress"), default=dict, blank=True)
    draft_started_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["wave", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["wave", "customer"],
                condition=Q(customer__isnull=False),
                name="participant_once_per_wave",
            )
        ]
        indexes = [
            # Fieldwork monitor: dispositions per group.
            models.Index(
                fields=["wave", "group", "disposition"], name="participant_disp_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.wave} #{self.pk}"
