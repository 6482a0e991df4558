"""Follow-up tasks that close the loop with a respondent, and their status
log (the workflow is declared in :mod:`surveys.followups`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qms.workflow import StatusChange

from .responses import Response


class FollowUp(models.Model):
    """Close the loop: a task to contact a respondent who gave a low score
    (identified mode only) or asked for contact."""

    # Where its workflow is declared (qms.workflow.workflow_for).
    WORKFLOW_MODULE = "surveys.followups"

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    response = models.ForeignKey(
        Response,
        verbose_name=_("response"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    reason = models.CharField(_("reason"), max_length=200)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_follow_ups",
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    outcome = models.TextField(_("outcome"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["status", "due_at", "id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"{self.reason} (R-{self.response_id})"


class FollowUpTransition(StatusChange):
    """Append-only log of a follow-up's status (done, with its outcome)."""

    follow_up = models.ForeignKey(
        FollowUp,
        verbose_name=_("follow-up"),
        on_delete=models.PROTECT,
        related_name="transitions",
    )
    from_status = models.CharField(
        _("from"), max_length=24, choices=FollowUp.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("to"), max_length=24, choices=FollowUp.Status.choices
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("follow-up status change")
        verbose_name_plural = _("follow-up status changes")

    def __str__(self) -> str:
        return f"{self.follow_up_id}: {self.from_status} → {self.to_status}"
