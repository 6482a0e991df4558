"""Pages of the promises area: owners' access to their own promises (the
role-by-view answers are in tests/qms/access_matrix.py), what each page
shows, query budgets, the import, the charter and the tags on a complaint."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from promises import services
from promises.models import (
    BrokenPromiseTag,
    FulfilmentEvent,
    PrincipleScore,
    Promise,
    PromiseIndicator,
    PromiseReview,
)
from promises.reminders import send_review_reminders
from qms.models import Channel
from tests.factories import register_case

from .helpers import add_events, at, make_indicator, make_promise, publish

KEPT = PromiseIndicator.Kind.KEPT


@pytest.fixture
def promise(process_owner, quality_manager):
    promise = make_promise(process_owner)
    make_indicator(promise, kind=KEPT)
    return promise


def _many_promises(owner, count):
    phone = Channel.objects.get(code="phone")
    for i in range(count):
        p = make_promise(owner, title=f"Promise {i}")
        p.channels.set([phone])
        indicator = make_indicator(p, kind=KEPT)
        add_events(indicator, at(2026, 1, 10), 5, 1)


# Access -----------------------------------------------------------------------


def test_missing_promise_is_404(client_for, quality_manager):
    client = client_for(quality_manager)
    assert client.get(reverse("promises:promise-detail", args=[999])).status_code == 404
    assert client.get(reverse("promises:event-list", args=[999])).status_code == 404


def test_process_owner_edits_own_promise_only(
    client_for, process_owner, quality_manager, promise
):
    client = client_for(process_owner)
    url = reverse("promises:promise-update", args=[promise.pk])
    assert client.get(url).status_code == 200
    other = make_promise(quality_manager, title="Not mine")
    assert (
        client.get(reverse("promises:promise-update", args=[other.pk])).status_code
        == 403
    )
    # Owners record events of their own promises, not of others'.
    assert (
        client.get(reverse("promises:event-create", args=[promise.pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("promises:event-create", args=[other.pk])).status_code == 403
    )


def test_service_staff_records_events_of_any_promise(
    client_for, service_staff, promise
):
    client = client_for(service_staff)
    indicator = promise.indicators.get()
    response = client.post(
        reverse("promises:event-create", args=[promise.pk]),
        {
            "indicator": indicator.pk,
            "occurred_at": "2026-03-02T10:00",
            "kept": "0",
            "reason": "Forgot to call",
        },
    )
    assert response.status_code == 302
    event = FulfilmentEvent.objects.get()
    assert event.kept is False and event.recorded_by == service_staff


def test_event_form_shows_the_service_error(client_for, service_staff, promise):
    client = client_for(service_staff)
    response = client.post(
        reverse("promises:event-create", args=[promise.pk]),
        {"indicator": promise.indicators.get().pk, "occurred_at": "2026-03-02T10:00"},
    )
    assert response.status_code == 200
    assert str(services.ERR_KEPT_MISSING) in response.content.decode()
    assert not FulfilmentEvent.objects.exists()


# Register and detail ----------------------------------------------------------


def test_register_filters_and_counts(client_for, quality_manager, promise):
    publish(promise, quality_manager)
    make_promise(quality_manager, title="Still a draft")
    client = client_for(quality_manager)
    response = client.get(reverse("promises:home"), {"status": "published"})
    body = response.content.decode()
    assert promise.title in body and "Still a draft" not in body
    response = client.get(reverse("promises:home"), {"owner": quality_manager.pk})
    body = response.content.decode()
    assert "Still a draft" in body and promise.title not in body


@pytest.mark.parametrize("count", [2, 12])
def test_register_query_count_is_constant(
    client_for, quality_manager, django_assert_num_queries, count
):
    _many_promises(quality_manager, count)
    client = client_for(quality_manager)
    # Session, user, user and group permissions (4); count and page (2);
    # channels and services prefetched (2); process description (2); filter
    # choices rendered from their own querysets (2). Measured: 12 for 2 and 12.
    with django_assert_num_queries(11):
        response = client.get(reverse("promises:home"))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 6])
def test_detail_and_monitoring_query_count_is_constant(
    client_for, quality_manager, django_assert_num_queries, count
):
    promise = make_promise(quality_manager)
    for i in range(count):
        indicator = make_indicator(promise, kind=KEPT, name=f"Indicator {i}")
        for month in range(1, 13):
            add_events(indicator, at(2025, month, 10), 20, 2)
    client = client_for(quality_manager)
    # Session, user, permissions (4); the access check and the detail (2);
    # services, channels, segments, procedures, indicators (5); scores (1);
    # ONE grouped query for the events of every indicator; tag count, broken
    # events, tagged cases, reviews, log, history (6); content type and plans
    # of the improvement cards (2). Measured: 21 for 1 and 6 indicators.
    with django_assert_num_queries(21):
        response = client.get(promise.get_absolute_url())
    assert response.status_code == 200
    with django_assert_num_queries(20):
        response = client.get(promise.get_absolute_url(), {"period": "quarter"})
    assert response.status_code == 200


def test_detail_shows_monitoring_and_needs_review(client_for, quality_manager, promise):
    indicator = promise.indicators.get()
    today = datetime.date.today()
    for back in (1, 2):
        month = (today.replace(day=1) - datetime.timedelta(days=28 * back)).replace(
            day=10
        )
        add_events(
            indicator,
            at(month.year, month.month, 10),
            50,
            50,
        )
    BrokenPromiseTag.objects.create(promise=promise, case=register_case())
    response = client_for(quality_manager).get(promise.get_absolute_url())
    body = response.content.decode()
    assert "needs review" in body
    assert "below target" in body
    assert "<svg" in body
    assert "1 complaint tagged broken promise" in body


# Forms ------------------------------------------------------------------------


def test_quality_manager_creates_and_publishes(client_for, quality_manager):
    client = client_for(quality_manager)
    response = client.post(
        reverse("promises:promise-create"),
        {
            "title": "Letters answered in 10 working days",
            "text_et": "Vastame kirjale 10 tööpäeva jooksul.",
            "text_en": "We answer letters within 10 working days.",
            "text_ru": "Ответ на письмо в течение 10 рабочих дней.",
            "owner": quality_manager.pk,
        },
    )
    promise = Promise.objects.get()
    assert response.status_code == 302
    url = reverse("promises:promise-transition", args=[promise.pk])
    client.post(url, {"to": "approved"})
    response = client.post(url, {"to": "published"}, follow=True)
    assert str(services.ERR_NO_INDICATOR) in response.content.decode()
    promise.refresh_from_db()
    assert promise.status == Promise.Status.APPROVED
    client.post(
        reverse("promises:indicator-create", args=[promise.pk]),
        {
            "name": "Letters on time",
            "kind": "time",
            "time_limit": "10",
            "time_unit": "working_days",
            "target_share": "0.95",
        },
    )
    client.post(url, {"to": "published"})
    promise.refresh_from_db()
    assert promise.status == Promise.Status.PUBLISHED


def test_assessment_saves_a_score_per_principle(client_for, process_owner, promise):
    from promises.models import Principle

    data = {f"score_{v}": "2" for v, _l in Principle.choices}
    data["score_capacity"] = "3"
    data["evidence_capacity"] = "Staffing plan 2026"
    response = client_for(process_owner).post(
        reverse("promises:assessment", args=[promise.pk]), data
    )
    assert response.status_code == 302
    assert PrincipleScore.objects.filter(promise=promise).count() == 12
    capacity = PrincipleScore.objects.get(promise=promise, principle="capacity")
    assert (capacity.score, capacity.evidence) == (3, "Staffing plan 2026")


def test_review_form_is_prefilled_with_performance(
    client_for, quality_manager, promise
):
    add_events(promise.indicators.get(), at(2026, 1, 10), 9, 1)
    client = client_for(quality_manager)
    url = reverse("promises:review-create", args=[promise.pk])
    response = client.get(url)
    assert "9 of 10 kept" in response.content.decode()
    response = client.post(
        url,
        {
            "period_start": "2025-12-01",
            "period_end": "2026-11-30",
            "performance_summary": "9 of 10 kept",
            "decision": "keep",
            "next_review_date": "2027-12-01",
        },
    )
    assert response.status_code == 302
    assert PromiseReview.objects.get().reviewed_by == quality_manager
    promise.refresh_from_db()
    assert promise.next_review_date == datetime.date(2027, 12, 1)


def test_event_exclusion_from_the_list(client_for, service_staff, promise):
    (event,) = add_events(promise.indicators.get(), at(2026, 1, 10), 0, 1)
    client = client_for(service_staff)
    url = reverse("promises:event-exclude", args=[promise.pk, event.pk])
    client.post(url, {"reason": ""})
    event.refresh_from_db()
    assert not event.excluded
    client.post(url, {"reason": "Customer asked to wait"})
    event.refresh_from_db()
    assert event.excluded
    page = client.get(reverse("promises:event-list", args=[promise.pk]))
    assert "Customer asked to wait" in page.content.decode()


# Import -----------------------------------------------------------------------


def _upload(client, promise, text, dry_run=False):
    data = {"file": SimpleUploadedFile("events.csv", text.encode(), "text/csv")}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse("promises:event-import", args=[promise.pk]), data)


def test_import_with_a_bad_row_saves_nothing(client_for, service_staff, promise):
    indicator = promise.indicators.get()
    text = (
        "indicator,occurred_at,kept,reason,reference\n"
        f"{indicator.pk},2026-03-02 10:00,yes,,A1\n"
        f"{indicator.pk},2026-03-02 11:00,maybe,,A2\n"
        f"{indicator.pk},not a date,no,late,A3\n"
    )
    response = _upload(client_for(service_staff), promise, text)
    body = response.content.decode()
    assert not FulfilmentEvent.objects.exists()
    assert "Nothing was saved" in body
    errors = response.context["result"].errors
    assert [(row, column) for row, column, _m in errors] == [
        (3, "kept"),
        (4, "occurred_at"),
    ]


def test_import_dry_run_then_save(client_for, service_staff, promise):
    time_indicator = make_indicator(
        promise, name="Call-back", time_limit=2, time_unit="working_hours"
    )
    text = (
        "indicator;started_at;ended_at;kept;reference;exclusion_reason\n"
        "Call-back;2026-03-06 16:30;2026-03-09 10:00;;C1;\n"
        f"{promise.indicators.get(kind=KEPT).pk};2026-03-02;;no;C2;Duplicate call\n"
    )
    client = client_for(service_staff)
    response = _upload(client, promise, text, dry_run=True)
    assert response.context["result"].ok
    assert not FulfilmentEvent.objects.exists()
    _upload(client, promise, text)
    callback = FulfilmentEvent.objects.get(reference="C1")
    assert callback.indicator == time_indicator
    assert callback.kept is True and callback.elapsed == pytest.approx(1.5)
    assert FulfilmentEvent.objects.get(reference="C2").excluded
    # The same file again: duplicates are refused, nothing more is saved.
    response = _upload(client, promise, text)
    assert FulfilmentEvent.objects.count() == 2
    assert not response.context["result"].ok


# Charter ----------------------------------------------------------------------


def test_charter_is_public_and_shows_only_published(client, quality_manager, promise):
    publish(promise, quality_manager)
    make_promise(quality_manager, title="Draft", text_en="A draft promise.")
    response = client.get(reverse("promises:charter"), {"lang": "en"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "We answer your e-mail within one working day." in body
    assert "We call you the same day." in body
    assert "A draft promise." not in body
    russian = client.get(reverse("promises:charter"), HTTP_ACCEPT_LANGUAGE="ru")
    assert "Мы отвечаем в течение одного рабочего дня." in russian.content.decode()
    assert russian["Content-Language"] == "ru"
    estonian = client.get(reverse("promises:charter"), {"lang": "et"})
    assert "Vastame e-kirjale ühe tööpäeva jooksul." in estonian.content.decode()


# Tags on a complaint and the dashboard ----------------------------------------


def test_staff_tags_a_case_as_broken_promise(client_for, quality_manager, promise):
    publish(promise, quality_manager)
    case = register_case(by=quality_manager)
    client = client_for(quality_manager)
    page = client.get(case.get_absolute_url())
    assert "Tag as broken promise" in page.content.decode()
    client.post(
        reverse("promises:case-tag", args=[case.reference]), {"promise": promise.pk}
    )
    assert promise.broken_in_cases.get() == case
    page = client.get(promise.get_absolute_url())
    assert case.reference in page.content.decode()
    client.post(reverse("promises:case-untag", args=[case.reference, promise.pk]))
    assert not promise.broken_in_cases.exists()


def test_executive_cannot_tag(client_for, executive, quality_manager, promise):
    case = register_case(by=quality_manager)
    response = client_for(executive).post(
        reverse("promises:case-tag", args=[case.reference]), {"promise": promise.pk}
    )
    assert response.status_code == 403
    assert not BrokenPromiseTag.objects.exists()


def test_dashboard_lists_promises_needing_review(client_for, quality_manager, promise):
    publish(promise, quality_manager)
    today = datetime.date.today()
    indicator = promise.indicators.get()
    for back in (1, 2):
        month = (today.replace(day=1) - datetime.timedelta(days=28 * back)).replace(
            day=10
        )
        add_events(indicator, at(month.year, month.month, 10), 10, 10)
    response = client_for(quality_manager).get(reverse("qms:home"))
    body = response.content.decode()
    assert "Promises needing review" in body
    assert promise.title in body


def test_review_reminder_is_sent_once(quality_manager, promise):
    quality_manager.email = "qm@example.org"
    quality_manager.save()
    promise.owner = quality_manager
    promise.next_review_date = datetime.date.today() + datetime.timedelta(days=3)
    promise.save()
    assert send_review_reminders() == 1
    assert send_review_reminders() == 0
    assert mail.outbox[0].to == ["qm@example.org"]
    assert promise.reference in mail.outbox[0].subject


def test_pages_have_unique_ids(client_for, quality_manager, promise):
    import re
    from collections import Counter

    make_indicator(promise, kind=KEPT, name="Second")
    for indicator in promise.indicators.all():
        add_events(indicator, at(2026, 1, 10), 3, 1)
    publish(promise, quality_manager)
    case = register_case(by=quality_manager)
    client = client_for(quality_manager)
    for url in [
        reverse("promises:home"),
        promise.get_absolute_url(),
        reverse("promises:event-list", args=[promise.pk]),
        reverse("promises:event-create", args=[promise.pk]),
        reverse("promises:assessment", args=[promise.pk]),
        reverse("promises:review-create", args=[promise.pk]),
        reverse("promises:charter"),
        case.get_absolute_url(),
        reverse("qms:home"),
    ]:
        html = client.get(url).content.decode()
        ids = Counter(re.findall(r'\sid="([^"]+)"', html))
        assert [i for i, n in ids.items() if n > 1] == [], url
