"""Script and markup payloads in the free-text fields of the later areas
(promise texts, an evaluation's comments and criterion, a survey question
and a free-text answer, a report's commentary) come back as text on the
pages that show them (the pattern of test_payload_escaping.py). The texts
are stored directly: what is checked here is the output side."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from promises.models import Promise
from reports import services as report_services
from reports.models import Report
from reports.periods import parse_period
from standards.models import Evaluation
from surveys.models import Question
from tests.promises.helpers import make_promise
from tests.qms.test_payload_escaping import PAYLOAD, assert_escaped
from tests.standards.helpers import add_criterion, approve, evaluate, make_standard
from tests.surveys.factories_analysis import (
    add_responses,
    make_questionnaire,
    make_series,
    make_wave,
)

pytestmark = pytest.mark.django_db


def _shows_escaped(client, url: str, where: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, (where, response.status_code)
    html = response.content.decode()
    assert_escaped(html, where)
    assert "&lt;script&gt;alert(" in html, where


def test_promise_texts(client_for, quality_manager, process_owner):
    promise = make_promise(process_owner, title=PAYLOAD[:200])
    Promise.objects.filter(pk=promise.pk).update(
        text_en=PAYLOAD,
        text_et=PAYLOAD,
        remedy_en=PAYLOAD,
        conditions=PAYLOAD,
        internal_description=PAYLOAD,
    )
    url = reverse("promises:promise-detail", args=[promise.pk])
    _shows_escaped(client_for(quality_manager), url, "promise detail")
    _shows_escaped(
        client_for(quality_manager), reverse("promises:promise-list"), "promise list"
    )


def test_evaluation_comments(client_for, quality_manager, service_staff, process_owner):
    standard = make_standard(process_owner)
    version = standard.document.versions.get()
    add_criterion(version, PAYLOAD)
    approve(
        version,
        process_owner,
        quality_manager,
        effective_from=timezone.localdate() - datetime.timedelta(days=30),
    )
    evaluation = evaluate(standard, service_staff, quality_manager, "yes")
    Evaluation.objects.filter(pk=evaluation.pk).update(
        comments=PAYLOAD, employee_comment=PAYLOAD
    )
    url = reverse("standards:evaluation-detail", args=[evaluation.pk])
    _shows_escaped(client_for(quality_manager), url, "evaluation (evaluator)")
    _shows_escaped(client_for(service_staff), url, "evaluation (employee)")


def test_survey_question_text_and_free_text_answer(client_for, quality_manager):
    series = make_series("esc")
    questionnaire, questions = make_questionnaire(
        series, {"Q_OVERALL": ("csat", True), "Q_COMMENT": ("text", False)}
    )
    Question.objects.filter(pk=questions["Q_COMMENT"].pk).update(text_en=PAYLOAD)
    wave, groups = make_wave(series, questionnaire, groups={"All": 100})
    add_responses(
        wave,
        [
            {"answers": {"Q_OVERALL": 4, "Q_COMMENT": PAYLOAD}, "group": groups["All"]}
            for _ in range(3)
        ],
    )
    client = client_for(quality_manager)
    for name, args in (
        ("surveys:question-detail", [questions["Q_COMMENT"].pk]),
        ("surveys:questionnaire-detail", [questionnaire.pk]),
        ("surveys:wave-comments", [wave.pk]),
        ("surveys:wave-results", [wave.pk]),
    ):
        _shows_escaped(client, reverse(name, args=args), name)
    # The question as a respondent sees it (preview of the answer pages).
    preview = reverse("surveys:questionnaire-preview", args=[questionnaire.pk])
    _shows_escaped(client, f"{preview}?lang=en", "questionnaire preview")


def test_report_commentary(client_for, quality_manager):
    report = report_services.report_create(
        period=parse_period("last-quarter", timezone.localdate()), by=quality_manager
    )
    Report.objects.filter(pk=report.pk).update(
        summary=PAYLOAD, conclusions=PAYLOAD, recommendations=PAYLOAD
    )
    url = reverse("reports:report-detail", args=[report.pk])
    _shows_escaped(client_for(quality_manager), url, "draft report")
