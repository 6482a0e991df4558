"""Series and their questionnaire versions: sections, questions (with codes
that stay the same across versions) and answer options."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qms.concurrency import Versioned

from .common import TranslatedText


class Series(models.Model):
    class Kind(models.TextChoices):
        RELATIONSHIP = "relationship", _("Relationship (periodic)")
        TRANSACTIONAL = "transactional", _("Transactional (after a contact)")
        POST_COMPLAINT = "post_complaint", _("After a complaint is closed")
        OPINION = "opinion", _("Opinion or needs study")

    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.RELATIONSHIP
    )
    purpose = models.TextField(_("purpose"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_series",
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("survey series")
        verbose_name_plural = _("survey series")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("surveys:series-detail", args=[self.pk])


class Questionnaire(Versioned):
    """One version of a series' questionnaire. Locked (read-only) once any
    response exists; a change then makes a new version (``based_on``)."""

    series = models.ForeignKey(
        Series,
        verbose_name=_("series"),
        on_delete=models.PROTECT,
        related_name="questionnaires",
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=200)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    intro_et = models.TextField(_("introduction (Estonian)"), blank=True)
    intro_ru = models.TextField(_("introduction (Russian)"), blank=True)
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("based on"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    locked = models.BooleanField(
        _("locked"),
        default=False,
        help_text=_("Set when the first answer arrives; a locked version is final."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["row_version"])

    class Meta:
        ordering = ["series", "-version"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "version"], name="questionnaire_series_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("surveys:questionnaire-detail", args=[self.pk])

    def intro(self, language: str | None = None) -> str:
        return TranslatedText.pick(self, "intro", language)


class Section(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        on_delete=models.CASCADE,
        related_name="sections",
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title_et = models.CharField(_("title (Estonian)"), max_length=200, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=200, blank=True)

    class Meta:
        ordering = ["questionnaire", "order", "id"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.title()

    def title(self, language: str | None = None) -> str:
        return TranslatedText.pick(self, "title", language)


class Question(models.Model):
    class Type(models.TextChoices):
        NPS = "nps", _("Net Promoter Score (0-10)")
        CSAT = "csat", _("Satisfaction (CSAT, 1-5)")
        CES = "ces", _("Customer effort (CES, 1-7)")
        LIKERT = "likert", _("Agreement (Likert, 1-5)")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        NUMERIC = "numeric", _("Number")
        TEXT = "text", _("Free text")

    # The scale of the scored types: (lowest, highest).
    SCALES = {
        Type.NPS: (0, 10),
        Type.CSAT: (1, 5),
        Type.CES: (1, 7),
        Type.LIKERT: (1, 5),
    }
    # Answers stored in Answer.value_int (scales and the option's value).
    INTEGER_TYPES = (Type.NPS, Type.CSAT, Type.CES, Type.LIKERT, Type.SINGLE)

    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    code = models.SlugField(
        _("code"),
        max_length=40,
        help_text=_("Stable across versions and waves, e.g. Q_OVERALL."),
    )
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    text_en = models.TextField(_("question (English)"), blank=True)
    text_et = models.TextField(_("question (Estonian)"), blank=True)
    text_ru = models.TextField(_("question (Russian)"), blank=True)
    low_label_en = models.CharField(
        _("low end label (English)"), max_length=80, blank=True
    )
    low_label_et = models.CharField(
        _("low end label (Estonian)"), max_length=80, blank=True
    )
    low_label_ru = models.CharField(
        _("low end label (Russian)"), max_length=80, blank=True
    )
    high_label_en = models.CharField(
        _("high end label (English)"), max_length=80, blank=True
    )
    high_label_et = models.CharField(
        _("high end label (Estonian)"), max_length=80, blank=True
    )
    high_label_ru = models.CharField(
        _("high end label (Russian)"), max_length=80, blank=True
    )
    required = models.BooleanField(_("required"), default=False)
    # Key-driver analysis: the outcome the other scored items are related to.
    is_overall = models.BooleanField(_("overall satisfaction item"), default=False)
    # Simple conditional display: show this question only when the answer to
    # ``show_if`` is one of ``show_if_values`` (integers: scale points or
    # option values).
    show_if = models.ForeignKey(
        "self",
        verbose_name=_("show only if the answer to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dependants",
    )
    show_if_values = models.JSONField(_("is one of"), default=list, blank=True)
    # The customer promises whose keeping this question asks the customer
    # about (ISO 10004 §7.3.1: items mapped to promises). Needs link to
    # questions through needs.NeedLink.
    promises = models.ManyToManyField(
        "promises.Promise",
        verbose_name=_("customer promises it measures"),
        blank=True,
        related_name="survey_questions",
    )

    class Meta:
        ordering = ["questionnaire", "order", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "code"], name="question_code_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.text()[:60]}"

    def text(self, language: str | None = None) -> str:
        return TranslatedText.pick(self, "text", language)

    def low_label(self, language: str | None = None) -> str:
        return TranslatedText.pick(self, "low_label", language)

    def high_label(self, language: str | None = None) -> str:
        return TranslatedText.pick(self, "high_label", language)

    @property
    def scale(self) -> tuple[int, int] | None:
        return self.SCALES.get(self.type)


class Option(models.Model):
    question = models.ForeignKey(
        Question,
        verbose_name=_("question"),
        on_delete=models.CASCADE,
        related_name="options",
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    # The coded value exported and compared across waves.
    value = models.IntegerField(_("code value"))
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)
    label_et = models.CharField(_("label (Estonian)"), max_length=200, blank=True)
    label_ru = models.CharField(_("label (Russian)"), max_length=200, blank=True)

    class Meta:
        ordering = ["question", "order", "value"]
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "value"], name="option_value_per_question"
            )
        ]

    def __str__(self) -> str:
        return self.label()

    def label(self, language: str | None = None) -> str:
        return TranslatedText.pick(self, "label", language)
