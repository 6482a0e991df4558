"""Pages of the promises area: register, promise page with monitoring,
forms, fulfilment events, import, review, self-assessment, case tags."""

from __future__ import annotations

import datetime
import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qms import charts
from qms import selectors as core_selectors
from qms.access import require_perm
from qms.areas import Area
from qms.forms import apply_validation_error, errors_to_messages
from qms.measures import bucket_start
from qms.periods import month_start
from qms.workflow import run_transition

from . import importing, monitoring, selectors, services
from .access import get_promise_for_user, may_edit, may_record
from .filters import EventFilter, PromiseFilter
from .forms import (
    AssessmentForm,
    EventForm,
    ExcludeForm,
    ImportForm,
    IndicatorForm,
    PromiseForm,
    ReviewForm,
    TagForm,
)
from .models import (
    FulfilmentEvent,
    Principle,
    PrincipleScore,
    Promise,
    PromiseIndicator,
)

PAGE_SIZE = 25
CHART_ID = re.compile(r'id="(chart-[0-9a-f]+)"')
MONITORING_MONTHS = 24


@require_perm("promises.view_promise")
def promise_list(request: HttpRequest) -> HttpResponse:
    filterset = PromiseFilter(request.GET, queryset=selectors.promise_list())
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "promises/promise_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "process": core_selectors.process_description(Area.PROMISES),
        },
    )


def _monitoring_range(period: str) -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    months = MONITORING_MONTHS if period == "month" else MONITORING_MONTHS + 3
    end = month_start(today, 1)
    start = month_start(end, -months)
    if period == "quarter":
        start = start.replace(month=(start.month - 1) // 3 * 3 + 1)
    return start, end


def _unique_ids(svg: str, suffix: str) -> str:
    """qms.charts derives element ids from the drawing alone, so two charts
    with the same data (untitled inside) would repeat ids on one page."""
    found = CHART_ID.search(svg)
    return svg.replace(found.group(1), f"{found.group(1)}{suffix}") if found else svg


def indicator_panels(promise: Promise, period: str) -> list[dict]:
    """Per indicator: the period rows, the p-chart and whether it needs review."""
    start, end = _monitoring_range(period)
    indicators = list(promise.indicators.all())
    points = monitoring.indicator_points(indicators, start, end, period)
    current = bucket_start(timezone.localdate(), period)
    panels = []
    for indicator in indicators:
        series = points.get(indicator.pk, [])
        rows = monitoring.rows_for(series, indicator.target)
        chart = monitoring.control_chart(series) if series else None
        labels = [monitoring.period_label(p.start, period) for p in series]
        svg = ""
        if chart and any(p.trials for p in series):
            svg = charts.control_chart_svg(
                labels,
                list(chart.values),
                chart.centre,
                list(chart.lower),
                list(chart.upper),
                chart.signal_indices,
                _("p-chart: %(name)s") % {"name": indicator.name},
                _("Share kept"),
                percent=True,
            )
            svg = _unique_ids(svg, f"i{indicator.pk}")
        # The running period is incomplete: review looks at complete ones.
        complete = [r for r in rows if r.end <= current]
        panels.append(
            {
                "indicator": indicator,
                "rows": [
                    (monitoring.period_label(r.start, period), r)
                    for r in reversed(rows)
                ],
                "svg": svg,
                "needs_review": monitoring.needs_review(complete),
                "latest": complete[-1] if complete else None,
            }
        )
    return panels


@require_perm("promises.view_promise")
def promise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    get_promise_for_user(request.user, pk)
    promise = selectors.promise_detail(pk)
    period = "quarter" if request.GET.get("period") == "quarter" else "month"
    manage = request.user.has_perm("promises.manage_promise")
    scores = {s.principle: s for s in promise.principle_scores.all()}
    assessment = [(label, scores.get(value)) for value, label in Principle.choices]
    scored = [s.score for s in scores.values()]
    return render(
        request,
        "promises/promise_detail.html",
        {
            "promise": promise,
            "editable": may_edit(request.user, promise),
            "can_record": may_record(request.user, promise),
            "can_transition": manage,
            "transitions": services.WORKFLOW.targets(promise),
            "panels": indicator_panels(promise, period),
            "period": period,
            "broken": selectors.broken_events(promise),
            "cases": selectors.tagged_cases(promise, request.user)[:20],
            "case_count": promise.case_tags.count(),
            "reviews": promise.reviews.select_related("reviewed_by"),
            "log": promise.transitions.select_related("by"),
            "assessment": assessment,
            "assessment_total": sum(scored),
            "assessment_max": len(Principle.choices) * PrincipleScore.MAX,
            "review_after": monitoring.review_after_periods(),
            # Survey questions that ask customers whether it is kept (the
            # surveys app holds the link).
            "survey_questions": (
                promise.survey_questions.select_related("questionnaire__series")
                if hasattr(promise, "survey_questions")
                else []
            ),
        },
    )


def _save_promise(request, form: PromiseForm) -> Promise | None:
    if not form.is_valid():
        return None
    promise = form.save(commit=False)
    try:
        return services.promise_save(
            promise=promise,
            by=request.user,
            services=form.cleaned_data["services"],
            channels=form.cleaned_data["channels"],
            segments=form.cleaned_data["segments"],
            procedures=form.cleaned_data["procedures"],
        )
    except ValidationError as error:
        apply_validation_error(form, error)
    return None


@require_perm("promises.add_promise")
def promise_create(request: HttpRequest) -> HttpResponse:
    form = PromiseForm(request.POST or None, initial={"owner": request.user})
    if request.method == "POST":
        promise = _save_promise(request, form)
        if promise is not None:
            messages.success(
                request, _("Promise %(ref)s recorded.") % {"ref": promise.reference}
            )
            return redirect(promise)
    return render(
        request, "promises/promise_form.html", {"form": form, "promise": None}
    )


@require_perm("promises.view_promise")
def promise_update(request: HttpRequest, pk: int) -> HttpResponse:
    promise = get_promise_for_user(request.user, pk, write=True)
    form = PromiseForm(request.POST or None, instance=promise)
    if request.method == "POST":
        saved = _save_promise(request, form)
        if saved is not None:
            messages.success(
                request, _("Promise %(ref)s saved.") % {"ref": saved.reference}
            )
            return redirect(saved)
    return render(
        request, "promises/promise_form.html", {"form": form, "promise": promise}
    )


@require_POST
@require_perm("promises.view_promise")
def promise_transition(request: HttpRequest, pk: int) -> HttpResponse:
    promise = get_promise_for_user(request.user, pk, manage=True)
    run_transition(request, services.WORKFLOW, promise)
    return redirect(promise)


@require_perm("promises.view_promise")
def indicator_edit(request: HttpRequest, pk: int, indicator_pk: int | None = None):
    promise = get_promise_for_user(request.user, pk, write=True)
    indicator = (
        get_object_or_404(PromiseIndicator, pk=indicator_pk, promise=promise)
        if indicator_pk
        else PromiseIndicator(promise=promise)
    )
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_save(indicator=form.save(commit=False))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Indicator saved."))
            return redirect(promise)
    return render(
        request,
        "promises/indicator_form.html",
        {"form": form, "promise": promise, "indicator": indicator},
    )


@require_perm("promises.view_promise")
def assessment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    promise = get_promise_for_user(request.user, pk, write=True)
    scores = {s.principle: s for s in promise.principle_scores.all()}
    form = AssessmentForm(request.POST or None, scores=scores)
    if request.method == "POST" and form.is_valid():
        services.assessment_save(promise=promise, scores=form.scores(), by=request.user)
        messages.success(request, _("Self-assessment saved."))
        return redirect(promise)
    return render(
        request, "promises/assessment_form.html", {"form": form, "promise": promise}
    )


def _performance_summary(promise: Promise, start: datetime.date, end: datetime.date):
    indicators = list(promise.indicators.all())
    points = monitoring.indicator_points(indicators, start, end, None)
    lines = []
    for indicator in indicators:
        for point in points.get(indicator.pk, []):
            row = monitoring.rows_for([point], indicator.target)[0]
            if row.trials:
                lines.append(
                    _(
                        "%(name)s: %(kept)s of %(n)s kept (%(rate).1f %%, 95 %% CI "
                        "%(low).1f-%(high).1f %%), target %(target).1f %%: %(status)s."
                    )
                    % {
                        "name": indicator.name,
                        "kept": row.successes,
                        "n": row.trials,
                        "rate": row.rate * 100,
                        "low": row.interval.low * 100,
                        "high": row.interval.high * 100,
                        "target": indicator.target * 100,
                        "status": row.status_label,
                    }
                )
            else:
                lines.append(_("%(name)s: no data.") % {"name": indicator.name})
    return "\n".join(lines)


@require_perm("promises.add_promisereview")
def review_create(request: HttpRequest, pk: int) -> HttpResponse:
    promise = get_promise_for_user(request.user, pk, write=True)
    today = timezone.localdate()
    start = promise.reviews.values_list("period_end", flat=True).first() or (
        today - datetime.timedelta(days=365)
    )
    initial = {
        "period_start": start,
        "period_end": today,
        "performance_summary": _performance_summary(
            promise, start, today + datetime.timedelta(days=1)
        ),
        "complaints_summary": _(
            "%(count)s complaints tagged as this promise broken in total."
        )
        % {"count": promise.case_tags.count()},
        "next_review_date": today + datetime.timedelta(days=365),
    }
    form = ReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        review = form.save(commit=False)
        review.promise = promise
        try:
            services.review_record(review=review, by=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Review recorded."))
            return redirect(promise)
    return render(
        request, "promises/review_form.html", {"form": form, "promise": promise}
    )


# Fulfilment events -----------------------------------------------------------


@require_perm("promises.view_fulfilmentevent")
def event_list(request: HttpRequest, pk: int) -> HttpResponse:
    promise = get_promise_for_user(request.user, pk)
    filterset = EventFilter(
        request.GET,
        queryset=selectors.event_list().filter(indicator__promise=promise),
        promise=promise,
    )
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "promises/event_list.html",
        {
            "promise": promise,
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "can_record": may_record(request.user, promise),
            "exclude_form": ExcludeForm(),
        },
    )


@require_perm("promises.add_fulfilmentevent")
def event_create(request: HttpRequest, pk: int) -> HttpResponse:
    promise = get_promise_for_user(request.user, pk, record=True)
    form = EventForm(request.POST or None, promise=promise)
    if request.method == "POST" and form.is_valid():
        event = form.save(commit=False)
        event.kept = form.cleaned_data["kept"]
        try:
            services.event_record(event=event, by=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Event recorded: kept.")
                if event.kept
                else _("Event recorded: broken."),
            )
            return redirect("promises:event-list", pk=promise.pk)
    return render(
        request, "promises/event_form.html", {"form": form, "promise": promise}
    )


@require_POST
@require_perm("promises.add_fulfilmentevent")
def event_exclude(request: HttpRequest, pk: int, event_pk: int) -> HttpResponse:
    promise = get_promise_for_user(request.user, pk, record=True)
    event = get_object_or_404(FulfilmentEvent, pk=event_pk, indicator__promise=promise)
    if request.POST.get("include"):
        services.event_include(event=event, by=request.user)
        messages.success(request, _("The event counts again."))
    else:
        form = ExcludeForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give a reason for excluding the event."))
        else:
            services.event_exclude(
                event=event, reason=form.cleaned_data["reason"], by=request.user
            )
            messages.success(request, _("The event is excluded."))
    return redirect("promises:event-list", pk=promise.pk)


@require_perm("promises.add_fulfilmentevent")
def event_import(request: HttpRequest, pk: int) -> HttpResponse:
    promise = get_promise_for_user(request.user, pk, record=True)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = importing.import_events(
            form.cleaned_data["file"],
            promise=promise,
            dry_run=form.cleaned_data["dry_run"],
            by=request.user,
        )
        if result.created:
            messages.success(
                request, _("%(count)s events imported.") % {"count": result.created}
            )
        elif result.ok:
            messages.info(request, _("All rows are valid; nothing saved yet."))
        else:
            messages.error(request, _("Nothing was saved: correct the errors below."))
    return render(
        request,
        "promises/import.html",
        {
            "form": form,
            "result": result,
            "promise": promise,
            "columns": importing.COLUMNS,
            "indicators": promise.indicators.exclude(
                kind=PromiseIndicator.Kind.MEASURE
            ),
        },
    )


# Broken-promise tags on complaints -------------------------------------------


@require_POST
@require_perm("promises.add_brokenpromisetag")
def case_tag(request: HttpRequest, reference: str) -> HttpResponse:
    from complaints.selectors import get_case_for_user

    case = get_case_for_user(request.user, reference)
    form = TagForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a promise."))
    else:
        try:
            services.case_tag(
                promise=form.cleaned_data["promise"], case=case, by=request.user
            )
        except ValidationError as error:
            errors_to_messages(request, error)
        else:
            messages.success(request, _("Complaint tagged as a broken promise."))
    return redirect(case)


@require_POST
@require_perm("promises.delete_brokenpromisetag")
def case_untag(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    from complaints.selectors import get_case_for_user

    case = get_case_for_user(request.user, reference)
    promise = get_object_or_404(Promise, pk=pk)
    if not promise.case_tags.filter(case=case).exists():
        raise Http404
    services.case_untag(promise=promise, case=case, by=request.user)
    messages.success(request, _("Broken-promise tag removed."))
    return redirect(case)
