"""Submitted responses and their answers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .participants import Participant
from .questionnaires import Option, Question
from .waves import TargetGroup, Wave


class Response(models.Model):
    """A submitted (or staff-entered) set of answers.

    In an anonymous wave ``participant`` stays empty: only the target group
    is kept, which response rates and breakdowns need.
    """

    class Source(models.TextChoices):
        PERSONAL_LINK = "personal_link", _("Personal link")
        PUBLIC_LINK = "public_link", _("Public link")
        PHONE = "phone", _("Phone interview")
        PAPER = "paper", _("Paper questionnaire")
        POST_COMPLAINT = "post_complaint", _("After a complaint")

    wave = models.ForeignKey(
        Wave, verbose_name=_("wave"), on_delete=models.PROTECT, related_name="responses"
    )
    group = models.ForeignKey(
        TargetGroup,
        verbose_name=_("target group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responses",
    )
    participant = models.OneToOneField(
        Participant,
        verbose_name=_("participant"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="response",
    )
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.PERSONAL_LINK
    )
    language = models.CharField(_("language"), max_length=5, default="et")
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"))
    duration_seconds = models.PositiveIntegerField(
        _("duration (s)"), null=True, blank=True
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Public link: a keyed hash of the browser's repeat-protection cookie, so a
    # second answer from the same browser is refused without storing who it is.
    public_fingerprint = models.CharField(max_length=64, blank=True, db_index=True)
    # Data-quality exclusion (speeder, straight-liner, duplicate…), logged.
    excluded = models.BooleanField(_("excluded from analysis"), default=False)
    exclusion_reason = models.CharField(
        _("reason for exclusion"), max_length=200, blank=True
    )
    excluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("excluded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    excluded_at = models.DateTimeField(_("excluded"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["public_fingerprint"])

    class Meta:
        ordering = ["wave", "id"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [
            # Results page: responses of a wave that count, per group.
            models.Index(
                fields=["wave", "excluded", "group"], name="response_wave_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"R-{self.pk}"


class Answer(models.Model):
    """One answer; a multiple-choice question has one row per chosen option.

    ``wave`` and ``question`` are stored on every row so the results page can
    aggregate a wave's answers per question (GROUP BY question, value) with
    one index scan, whatever the number of responses.
    """

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers"
    )
    wave = models.ForeignKey(Wave, on_delete=models.PROTECT, related_name="+")
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="answers"
    )
    # Scale points and the chosen option's value.
    value_int = models.SmallIntegerField(null=True, blank=True)
    value_num = models.FloatField(null=True, blank=True)
    option = models.ForeignKey(
        Option, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [
            # Results page: distribution per question of one wave.
            models.Index(
                fields=["wave", "question", "value_int"], name="answer_results_idx"
            ),
        ]

    def __str__(self) -> str:
        value = self.value_int if self.value_int is not None else self.text[:20]
        return f"{self.question_id}={value}"
