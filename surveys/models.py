"""Customer satisfaction and opinion surveys (ISO 10004, ISO 9001 §9.1.2).

A *series* is a survey that is repeated (the yearly satisfaction survey, the
post-complaint survey); each run is a *wave* with its own plan, target groups,
participants and responses. A wave uses one *questionnaire* version; question
*codes* stay the same across versions so waves can be compared question by
question.

Anonymous waves: the participant record (who was invited, their disposition)
and the response (what was answered) are never linked — a response holds its
target group only. Progress of an unfinished answer is kept on the participant
(``draft``) and deleted when the response is submitted.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qms.concurrency import Versioned
from qms.models import Customer, Segment
from qms.workflow import StatusChange

LANGUAGES = ("et", "en", "ru")


def new_token() -> str:
    """An unguessable personal link token (256 bits)."""
    return secrets.token_urlsafe(32)


class TranslatedText:
    """Pick ``<prefix>_<lang>`` for the active language, falling back to
    English, then Estonian."""

    @staticmethod
    def pick(obj, prefix: str, language: str | None = None) -> str:
        language = (language or translation.get_language() or "en")[:2]
        for code in (language, "en", "et", "ru"):
            value = getattr(obj, f"{prefix}_{code}", "")
            if value:
                return value
        return ""


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


class Wave(Versioned):
    """One run of a series, with its plan (ISO 10004 §6): approved before
    fieldwork starts."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft plan")
        APPROVED = "approved", _("Plan approved")
        FIELDWORK = "fieldwork", _("In fieldwork")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    class Sampling(models.TextChoices):
        CENSUS = "census", _("Census (everyone)")
        SIMPLE_RANDOM = "simple_random", _("Simple random sample")
        STRATIFIED = "stratified", _("Stratified, proportional")

    class Mode(models.TextChoices):
        WEB_LINK = "web_link", _("Web link")
        EMAIL = "email", _("E-mail invitation")
        PHONE = "phone", _("Phone interview entered by staff")
        PAPER = "paper", _("Paper entered by staff")

    series = models.ForeignKey(
        Series, verbose_name=_("series"), on_delete=models.PROTECT, related_name="waves"
    )
    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        on_delete=models.PROTECT,
        related_name="waves",
    )
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # The plan.
    goal = models.TextField(_("goal"), blank=True)
    research_questions = models.TextField(
        _("questions the survey must answer"), blank=True
    )
    sampling = models.CharField(
        _("sampling method"),
        max_length=20,
        choices=Sampling.choices,
        default=Sampling.STRATIFIED,
    )
    confidence = models.DecimalField(
        _("confidence level"), max_digits=4, decimal_places=3, default=0.95
    )
    margin_of_error = models.DecimalField(
        _("margin of error"), max_digits=4, decimal_places=3, default=0.05
    )
    expected_response_rate = models.DecimalField(
        _("expected response rate"), max_digits=4, decimal_places=3, default=0.30
    )
    mode = models.CharField(
        _("data-collection mode"),
        max_length=20,
        choices=Mode.choices,
        default=Mode.EMAIL,
    )
    anonymous = models.BooleanField(
        _("anonymous"),
        default=False,
        help_text=_("No link between an answer and the person is stored."),
    )
    public_link = models.BooleanField(
        _("open public link"),
        default=False,
        help_text=_("A generic link anyone can answer, protected against repeats."),
    )
    public_token = models.CharField(
        _("public link token"), max_length=64, default=new_token, unique=True
    )
    opens_on = models.DateField(_("fieldwork starts"), null=True, blank=True)
    closes_on = models.DateField(_("fieldwork ends"), null=True, blank=True)
    # Days after the invitation on which a reminder goes to non-respondents.
    reminder_days = models.JSONField(_("reminder days"), default=list, blank=True)
    analysis_plan = models.TextField(_("analysis plan"), blank=True)
    responsibilities = models.TextField(_("responsibilities"), blank=True)
    # Responses faster than this are flagged as speeders.
    min_seconds = models.PositiveIntegerField(
        _("minimum plausible completion time (s)"), default=60
    )
    sample_seed = models.PositiveIntegerField(_("random seed of the sample"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["row_version"])

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name = _("survey wave")
        verbose_name_plural = _("survey waves")
        permissions = [
            ("approve_wave", _("Can approve a survey plan")),
            ("enter_response", _("Can type in phone and paper answers")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(confidence__gt=0, confidence__lt=1),
                name="wave_confidence_0_1",
            ),
            models.CheckConstraint(
                condition=Q(margin_of_error__gt=0, margin_of_error__lt=1),
                name="wave_margin_0_1",
            ),
            models.CheckConstraint(
                condition=Q(
                    expected_response_rate__gt=0, expected_response_rate__lte=1
                ),
                name="wave_response_rate_0_1",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("surveys:wave-detail", args=[self.pk])


class WaveTransition(StatusChange):
    """Append-only log of a wave's status changes."""

    wave = models.ForeignKey(
        Wave,
        verbose_name=_("wave"),
        on_delete=models.PROTECT,
        related_name="transitions",
    )
    from_status = models.CharField(
        _("from"), max_length=24, choices=Wave.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=24, choices=Wave.Status.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("wave status change")
        verbose_name_plural = _("wave status changes")

    def __str__(self) -> str:
        return f"{self.wave_id}: {self.from_status} → {self.to_status}"


class TargetGroup(models.Model):
    """A group (stratum) of the plan: usually a customer segment, with its
    population size and the sample it needs."""

    wave = models.ForeignKey(
        Wave, verbose_name=_("wave"), on_delete=models.CASCADE, related_name="groups"
    )
    segment = models.ForeignKey(
        Segment,
        verbose_name=_("segment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=200)
    population = models.PositiveIntegerField(_("population size"))
    # Computed from the plan (Cochran with finite-population correction, or
    # proportional allocation) and stored so the plan is a fixed record.
    required_sample = models.PositiveIntegerField(_("required responses"), default=0)
    invitations = models.PositiveIntegerField(_("invitations needed"), default=0)

    class Meta:
        ordering = ["wave", "name"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        constraints = [
            models.UniqueConstraint(fields=["wave", "name"], name="group_name_per_wave")
        ]

    def __str__(self) -> str:
        return self.name


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


class WaveAggregate(models.Model):
    """The stored aggregates of a closed wave (what :mod:`surveys.results`
    reads from its answers, responses and participants), so the results page
    and the reports read one row instead of a wave's half a million answers.

    Written when first needed for a closed wave (:mod:`surveys.aggregates`);
    deleted, in the same transaction, by everything that changes those
    figures: a response excluded or included again, answers scrubbed or
    participants anonymised, a disposition changed, a question or option
    edited, a wave leaving the closed status. ``schema`` is the layout of
    ``data``: a row of another layout is recomputed.
    """

    wave = models.OneToOneField(
        Wave, on_delete=models.CASCADE, primary_key=True, related_name="aggregate"
    )
    schema = models.PositiveSmallIntegerField()
    computed_at = models.DateTimeField(auto_now=True)
    data = models.JSONField()

    def __str__(self) -> str:
        return f"{self.wave_id} (schema {self.schema})"


class WaveChart(models.Model):
    """A rendered chart (SVG) or section (HTML) of a closed wave's results
    page, addressed by a hash of everything it is drawn from (figures,
    labels, titles, language, code version), so a stored one is never shown
    for other figures; deleted with the wave's stored aggregates."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    svg = models.TextField()

    class Meta:
        constraints = [
            # Results page: the charts of a wave by their keys (one query).
            models.UniqueConstraint(fields=["wave", "key"], name="wave_chart_key")
        ]

    def __str__(self) -> str:
        return f"{self.wave_id}:{self.key[:12]}"
