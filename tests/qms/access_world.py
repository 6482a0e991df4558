"""A small world of records for the role-by-view matrix: one of each thing a
URL can point at, and a user for each role. Views of a new area need their
objects here (``World``) and their URL arguments in ``ARGS``.

Each later area builds its records in its own ``_build_<area>`` function
with the app's services or its test helpers. Surveys have their own section
(``SurveyWorld``, ``_build_surveys`` and the surveys block of ``ARGS``) so the
planning and collection views can be added there when they merge."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from complaints.attachments import attachment_add
from complaints.models import IshikawaCategory
from complaints.rca import services as rca_services
from improvements import services as improvement_services
from needs import services as need_services
from needs.models import NeedLink
from promises import services as promise_services
from promises.models import FulfilmentEvent, PromiseReview
from qms import roles
from qms import services as core_services
from qms.areas import Area
from qms.models import Channel, Document, Membership
from reports import services as report_services
from reports.models import DistributionList, ReportDecision
from reports.periods import parse_period
from standards.models import CalibrationSession, SamplingPlan, TimelinessFigure
from surveys.followups import create_follow_ups
from surveys.models import Participant, Wave
from tests.factories import CustomerFactory, OrgUnitFactory, UserFactory, register_case
from tests.needs.helpers import make_need
from tests.promises.helpers import make_indicator, make_promise
from tests.standards.helpers import add_criterion, approve, evaluate, make_standard
from tests.surveys.conftest import (
    add_group,
    add_participant,
    build_questionnaire,
    build_wave,
)
from tests.surveys.factories_analysis import (
    add_responses,
    make_questionnaire,
    make_series,
    make_wave,
)

# Column order of the expectation table.
ROLES = ("quality_manager", "service_staff", "process_owner", "executive", "outsider")


@dataclass
class World:
    users: dict[str, Any]
    case: Any
    attachment: Any
    analysis: Any
    why_step: Any
    cause: Any
    customer: Any
    need: Any
    need_link: Any
    plan: Any
    action: Any
    proposal: Any
    document: Any
    version: Any
    standard: Any
    standard_version: Any
    criterion: Any
    # Standards monitoring: a second standard in force, evaluated.
    evaluation: Any
    sampling_plan: Any
    calibration: Any
    timeliness: Any
    # Promises.
    promise: Any
    indicator: Any
    event: Any
    review: Any
    broken_tag: Any
    # Management reports.
    report_draft: Any
    report_issued: Any
    decision: Any
    distribution: Any
    # Surveys (results side; see _build_surveys).
    survey: Any


def build_world() -> World:
    users = {
        "quality_manager": UserFactory(username="m-qm", roles=[roles.QUALITY_MANAGER]),
        "service_staff": UserFactory(username="m-staff", roles=[roles.SERVICE_STAFF]),
        "process_owner": UserFactory(username="m-owner", roles=[roles.PROCESS_OWNER]),
        "executive": UserFactory(username="m-exec", roles=[roles.EXECUTIVE]),
        "outsider": UserFactory(username="m-outsider"),
    }
    qm, staff, owner = (
        users["quality_manager"],
        users["service_staff"],
        users["process_owner"],
    )
    unit = OrgUnitFactory(code="matrix")
    Membership.objects.create(user=staff, unit=unit)
    customer = CustomerFactory(name="Mari Maasikas", email="mari@example.org")
    case = register_case(org_unit=unit, customer=customer, subject="Wrong bill")
    attachment = attachment_add(
        case=case, upload=SimpleUploadedFile("note.txt", b"A plain note."), by=staff
    )
    analysis = rca_services.analysis_create(
        title="Brown water", problem_what="Brown water.", lead=qm, by=qm
    )
    why_step = rca_services.why_step_add(
        analysis=analysis, question="Why?", answer="Rust"
    )
    category, _ = IshikawaCategory.objects.get_or_create(
        code="machine", defaults={"name": "Machine"}
    )
    cause = rca_services.cause_add(
        analysis=analysis, category=category, text="Old pipes"
    )
    need = make_need(by=qm, owner=qm)
    need_link = need_services.link_add(
        need=need, target=case, kind=NeedLink.Kind.ANSWERS
    )
    plan = improvement_services.plan_create(
        title="Fewer wrong bills", problem="Bills are wrong.", owner=owner, by=qm
    )
    action = improvement_services.action_create(
        plan=plan,
        description="Check the tariff table.",
        owner=owner,
        due_date=datetime.date.today() + datetime.timedelta(days=30),
    )
    proposal = improvement_services.proposal_submit(
        title="Clearer bills", description="Show the tariff.", proposer=staff
    )
    document = core_services.document_create(
        identifier="PD-M",
        title="Handling complaints",
        kind=Document.Kind.PROCESS,
        area=Area.COMPLAINTS,
        owner=qm,
        body="Acknowledge within one working day.",
    )
    standard = make_standard(qm)
    standard_version = standard.document.versions.get()
    criterion = add_criterion(standard_version)
    monitoring = _build_standards_monitoring(qm, staff, owner)
    return World(
        users=users,
        case=case,
        attachment=attachment,
        analysis=analysis,
        why_step=why_step,
        cause=cause,
        customer=customer,
        need=need,
        need_link=need_link,
        plan=plan,
        action=action,
        proposal=proposal,
        document=document,
        version=document.versions.get(),
        standard=standard,
        standard_version=standard_version,
        criterion=criterion,
        **monitoring,
        **_build_promises(qm, owner, case),
        **_build_reports(qm, owner),
        survey=_build_surveys(qm, customer),
    )


def _build_standards_monitoring(qm, staff, owner) -> dict:
    """A standard in force (approved 30 days ago) and an evaluation of the
    service-staff user by the quality manager, with a sampling plan, a
    calibration session and a day's timeliness figure."""
    standard = make_standard(owner, identifier="STD-E", title="E-mail standard")
    version = standard.document.versions.get()
    add_criterion(version, "Greets.")
    today = timezone.localdate()
    approve(version, owner, qm, effective_from=today - datetime.timedelta(days=30))
    phone = Channel.objects.get(code="phone")
    return {
        "evaluation": evaluate(standard, staff, qm, "yes"),
        "sampling_plan": SamplingPlan.objects.create(
            name="Phone", channel=phone, per_employee_month=2
        ),
        "calibration": CalibrationSession.objects.create(
            standard=standard,
            title="Calibration",
            reference="CALL-CAL",
            interaction_date=today - datetime.timedelta(days=5),
            created_by=qm,
        ),
        "timeliness": TimelinessFigure.objects.create(
            date=today - datetime.timedelta(days=1),
            channel=phone,
            metric=TimelinessFigure.Metric.ANSWER_SECONDS,
            count=10,
            within_target=9,
        ),
    }


def _build_promises(qm, owner, case) -> dict:
    """A promise owned by the process owner, with a time indicator, one
    kept event, a review and a broken-promise tag on the complaint."""
    promise = make_promise(owner)
    indicator = make_indicator(promise)
    now = timezone.now()
    event = promise_services.event_record(
        event=FulfilmentEvent(
            indicator=indicator,
            started_at=now - datetime.timedelta(hours=3),
            ended_at=now - datetime.timedelta(hours=1),
        ),
        by=qm,
    )
    review = promise_services.review_record(
        review=PromiseReview(
            promise=promise,
            period_start=now.date() - datetime.timedelta(days=365),
            period_end=now.date(),
            performance_summary="Kept.",
            decision=PromiseReview.Decision.KEEP,
        ),
        by=owner,
    )
    tag = promise_services.case_tag(promise=promise, case=case, by=qm)
    return {
        "promise": promise,
        "indicator": indicator,
        "event": event,
        "review": review,
        "broken_tag": tag,
    }


def _build_reports(qm, owner) -> dict:
    """Last month's report as a draft and last year's issued, with a
    decision owned by the process owner and a distribution list."""
    today = timezone.localdate()
    distribution = DistributionList.objects.create(
        name="Board", emails="board@example.org"
    )
    draft = report_services.report_create(
        period=parse_period("last-month", today), by=qm, distribution=distribution
    )
    issued = report_services.report_issue(
        report=report_services.report_create(
            period=parse_period("last-year", today), by=qm
        ),
        by=qm,
    )
    decision = report_services.decision_save(
        decision=ReportDecision(
            report=issued,
            text="Hire two agents.",
            owner=owner,
            due_date=today + datetime.timedelta(days=60),
        )
    )
    return {
        "report_draft": draft,
        "report_issued": issued,
        "decision": decision,
        "distribution": distribution,
    }


# --------------------------------------------------------------------------
# Surveys
# --------------------------------------------------------------------------


@dataclass
class SurveyWorld:
    """One series with a questionnaire, a closed wave with a target group,
    a participant's (completed) low-score response and its follow-up; for the
    planning and collection views also an unlocked questionnaire version to
    build on, a draft wave, and a wave in fieldwork with an open public link
    and an invited participant. The URL arguments are in the surveys block
    of ARGS (``_wave``, ``_series``, ``_builder``, ``_draft_wave``,
    ``_fieldwork_wave``)."""

    series: Any
    questionnaire: Any
    questions: dict
    wave: Any
    group: Any
    participant: Any
    response: Any
    follow_up: Any
    # Planning and collection: an unlocked questionnaire version with a
    # section, a single-choice question and its option; a draft wave (plan
    # still editable) with a target group; a wave in fieldwork with an open
    # public link and an invited participant holding a personal link.
    builder: Any
    section: Any
    question: Any
    option: Any
    draft_wave: Any
    draft_group: Any
    fieldwork_wave: Any
    invitee: Any


def _build_surveys(qm, customer) -> SurveyWorld:
    series = make_series("matrix")
    series.owner = qm
    series.save(update_fields=["owner"])
    questionnaire, questions = make_questionnaire(
        series,
        {
            "Q_NPS": ("nps", False),
            "Q_OVERALL": ("csat", True),
            "Q_COMMENT": ("text", False),
        },
    )
    wave, groups = make_wave(series, questionnaire, groups={"Private": 100})
    group = groups["Private"]
    participant = Participant.objects.create(wave=wave, group=group, customer=customer)
    (response,) = add_responses(
        wave,
        [
            {
                "answers": {"Q_NPS": 2, "Q_OVERALL": 1, "Q_COMMENT": "Too slow."},
                "group": group,
                "participant": participant,
            }
        ],
    )
    (follow_up,) = create_follow_ups(response)
    participant.disposition = Participant.Disposition.COMPLETE
    participant.completed_at = response.submitted_at
    participant.save(update_fields=["disposition", "completed_at"])
    builder = build_questionnaire(series, title="Builder", version=2)
    section = builder.sections.order_by("order").last()
    question = builder.questions.get(code="Q_CHANNEL")
    draft_wave = build_wave(status=Wave.Status.DRAFT, questionnaire=builder)
    fieldwork_wave = build_wave(questionnaire=builder, public_link=True)
    invitee = add_participant(
        fieldwork_wave,
        group=add_group(fieldwork_wave, name="Households (fieldwork)"),
        customer=customer,
        email=customer.email,
        language="en",
    )
    return SurveyWorld(
        series=series,
        questionnaire=questionnaire,
        questions=questions,
        wave=wave,
        group=group,
        participant=participant,
        response=response,
        follow_up=follow_up,
        builder=builder,
        section=section,
        question=question,
        option=question.options.order_by("value").last(),
        draft_wave=draft_wave,
        draft_group=add_group(draft_wave, name="Households (plan)"),
        fieldwork_wave=fieldwork_wave,
        invitee=invitee,
    )


def _case(w: World) -> dict:
    return {"reference": w.case.reference}


def _analysis(w: World) -> dict:
    return {"pk": w.analysis.pk}


# URL name -> keyword arguments for reverse(). Names not here take none.
ARGS: dict[str, Callable[[World], dict]] = {
    "api:case-detail": _case,
    "complaints:analysis-conclude": _analysis,
    "complaints:analysis-detail": _analysis,
    "complaints:analysis-reopen": _analysis,
    "complaints:analysis-update": _analysis,
    "complaints:attachment": lambda w: {**_case(w), "pk": w.attachment.pk},
    "complaints:case-step": _case,
    "complaints:case-decide": _case,
    "complaints:case-delay": _case,
    "complaints:case-detail": _case,
    "complaints:case-dispute": _case,
    "complaints:case-dispute-outcome": _case,
    "complaints:case-link": lambda w: {**_case(w), "how": "related"},
    "complaints:case-message": _case,
    "complaints:case-pause": _case,
    "complaints:case-resume": _case,
    "complaints:case-root-cause": _case,
    "complaints:case-update": _case,
    "complaints:cause-add": _analysis,
    "complaints:cause-delete": lambda w: {**_analysis(w), "cause_pk": w.cause.pk},
    "complaints:cause-update": lambda w: {**_analysis(w), "cause_pk": w.cause.pk},
    "complaints:whystep-add": _analysis,
    "complaints:whystep-delete": lambda w: {**_analysis(w), "step_pk": w.why_step.pk},
    "complaints:whystep-move": lambda w: {
        **_analysis(w),
        "step_pk": w.why_step.pk,
        "direction": "up",
    },
    "complaints:whystep-update": lambda w: {**_analysis(w), "step_pk": w.why_step.pk},
    "complaints_public:case-status": lambda w: {
        **_case(w),
        "token": w.case.public_token,
    },
    "complaints_public:case-thanks": lambda w: {
        **_case(w),
        "token": w.case.public_token,
    },
    "improvements:action-create": lambda w: {"pk": w.plan.pk},
    "improvements:action-edit": lambda w: {"pk": w.action.pk},
    "improvements:action-evidence": lambda w: {"pk": w.action.pk},
    **{
        f"improvements:plan-{name}": (lambda w: {"pk": w.plan.pk})
        for name in (
            "approve",
            "check",
            "criterion",
            "detail",
            "edit",
            "not-effective",
            "transition",
            "verdict",
        )
    },
    **{
        f"improvements:proposal-{name}": (lambda w: {"pk": w.proposal.pk})
        for name in ("decide", "detail", "plan", "review")
    },
    **{
        f"needs:{name}": (lambda w: {"pk": w.need.pk})
        for name in (
            "conflict-resolve",
            "link-add",
            "links-reviewed",
            "need-detail",
            "need-review",
            "need-transition",
            "need-update",
        )
    },
    "needs:link-remove": lambda w: {"pk": w.need.pk, "link_pk": w.need_link.pk},
    **{
        f"qms:customer-{name}": (lambda w: {"pk": w.customer.pk})
        for name in ("detail", "update", "personal-data", "erase")
    },
    "qms:customer-personal-data-export": lambda w: {"pk": w.customer.pk, "fmt": "csv"},
    **{
        f"qms:document-{name}": (lambda w: {"pk": w.document.pk})
        for name in ("compare", "detail", "version-create")
    },
    **{
        f"qms:document-{name}": (
            lambda w: {"pk": w.document.pk, "number": w.version.number}
        )
        for name in (
            "version",
            "version-approve",
            "version-return",
            "version-submit",
            "version-update",
        )
    },
    **{
        f"standards:{name}": (lambda w: {"pk": w.standard.pk})
        for name in ("standard-detail", "standard-update", "version-create")
    },
    **{
        f"standards:{name}": (
            lambda w: {"pk": w.standard.pk, "number": w.standard_version.number}
        )
        for name in ("acknowledge", "criterion-create")
    },
    **{
        f"standards:{name}": (
            lambda w: {
                "pk": w.standard.pk,
                "number": w.standard_version.number,
                "criterion_pk": w.criterion.pk,
            }
        )
        for name in ("criterion-detail", "criterion-update")
    },
}


def _promise(w: World) -> dict:
    return {"pk": w.promise.pk}


def _wave(w: World) -> dict:
    return {"pk": w.survey.wave.pk}


def _series(w: World) -> dict:
    return {"pk": w.survey.series.pk}


def _builder(w: World) -> dict:
    return {"pk": w.survey.builder.pk}


def _builder_of(w: World) -> dict:
    return {"questionnaire_pk": w.survey.builder.pk}


def _draft_wave(w: World) -> dict:
    return {"pk": w.survey.draft_wave.pk}


def _fieldwork_wave(w: World) -> dict:
    return {"pk": w.survey.fieldwork_wave.pk}


ARGS.update(
    {
        "api:promise-event-detail": lambda w: {"pk": w.event.pk},
        **{
            f"promises:{name}": _promise
            for name in (
                "assessment",
                "event-create",
                "event-import",
                "event-list",
                "indicator-create",
                "promise-detail",
                "promise-transition",
                "promise-update",
                "review-create",
            )
        },
        "promises:event-exclude": lambda w: {**_promise(w), "event_pk": w.event.pk},
        "promises:indicator-update": lambda w: {
            **_promise(w),
            "indicator_pk": w.indicator.pk,
        },
        "promises:case-tag": _case,
        "promises:case-untag": lambda w: {**_case(w), "pk": w.promise.pk},
        # Readers see issued reports; the draft is for the author's actions.
        **{
            f"reports:report-{name}": (lambda w: {"pk": w.report_issued.pk})
            for name in ("detail", "pdf", "send")
        },
        **{
            f"reports:report-{name}": (lambda w: {"pk": w.report_draft.pk})
            for name in ("edit", "issue", "approve", "return")
        },
        "reports:decision-create": lambda w: {"pk": w.report_issued.pk},
        **{
            f"reports:decision-{name}": (lambda w: {"pk": w.decision.pk})
            for name in ("edit", "close", "delete")
        },
        "reports:distribution-edit": lambda w: {"pk": w.distribution.pk},
        **{
            f"standards:evaluation-{name}": (lambda w: {"pk": w.evaluation.pk})
            for name in ("detail", "respond")
        },
        "standards:plan-detail": lambda w: {"pk": w.sampling_plan.pk},
        "standards:plan-import": lambda w: {"pk": w.sampling_plan.pk},
        "standards:calibration-detail": lambda w: {"pk": w.calibration.pk},
        "standards:standard-pdf": lambda w: {"pk": w.evaluation.standard_id},
        # Surveys: results and follow-ups (on the closed wave).
        "surveys:wave-results": _wave,
        "surveys:wave-results-export": lambda w: {**_wave(w), "kind": "csv"},
        "surveys:wave-comments": _wave,
        "surveys:wave-quality": _wave,
        "surveys:response-exclude": lambda w: {"pk": w.survey.response.pk},
        "surveys:response-include": lambda w: {"pk": w.survey.response.pk},
        "surveys:follow-up-done": lambda w: {"pk": w.survey.follow_up.pk},
        # Planning: series, questionnaire builder, the draft wave's plan.
        "surveys:series-detail": _series,
        "surveys:series-update": _series,
        "surveys:questionnaire-create": lambda w: {"series_pk": w.survey.series.pk},
        "surveys:wave-create": lambda w: {"series_pk": w.survey.series.pk},
        **{
            f"surveys:questionnaire-{name}": _builder
            for name in ("detail", "update", "new-version", "preview")
        },
        "surveys:section-create": _builder_of,
        "surveys:question-create": _builder_of,
        **{
            f"surveys:section-{name}": (
                lambda w: {**_builder_of(w), "pk": w.survey.section.pk}
            )
            for name in ("update", "delete")
        },
        **{
            f"surveys:question-{name}": (
                lambda w: {**_builder_of(w), "pk": w.survey.question.pk}
            )
            for name in ("update", "delete")
        },
        "surveys:question-detail": lambda w: {"pk": w.survey.question.pk},
        "surveys:option-create": lambda w: {"question_pk": w.survey.question.pk},
        "surveys:option-delete": lambda w: {"pk": w.survey.option.pk},
        **{
            f"surveys:{name}": _draft_wave
            for name in (
                "wave-update",
                "wave-transition",
                "group-add",
                "wave-sample",
                "wave-import",
                "wave-invite",
            )
        },
        "surveys:group-delete": lambda w: {
            **_draft_wave(w),
            "group_pk": w.survey.draft_group.pk,
        },
        # Collection: the wave in fieldwork and its invited participant.
        **{
            f"surveys:{name}": _fieldwork_wave
            for name in (
                "wave-detail",
                "wave-monitor",
                "wave-participants",
                "wave-bounces",
                "wave-entry",
            )
        },
        "surveys:participant-bounced": lambda w: {
            **_fieldwork_wave(w),
            "participant_pk": w.survey.invitee.pk,
        },
        # The export of the closed wave, which has a response.
        "surveys:wave-export": _wave,
        # Public answer pages: the invitee's personal link, the thank-you
        # page of the participant who has answered, the open public link.
        "surveys_public:answer": lambda w: {"token": w.survey.invitee.token},
        "surveys_public:opt-out": lambda w: {"token": w.survey.invitee.token},
        "surveys_public:answer-thanks": lambda w: {"token": w.survey.participant.token},
        **{
            f"surveys_public:{name}": (
                lambda w: {"public_token": w.survey.fieldwork_wave.public_token}
            )
            for name in ("public-answer", "public-thanks")
        },
    }
)
