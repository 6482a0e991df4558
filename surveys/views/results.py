"""Results pages of a wave: figures and comparisons, comments, data-quality
checks with exclusions, and the aggregated table as CSV/XLSX."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from qms.access import require_perm
from qms.exports import FORMATS, table_response
from qms.measures import local_midnight

from .. import analysis, results
from ..models import Question, Response, Wave

RESULTS_PERMS = ("surveys.view_wave", "surveys.view_series")
PAGE_SIZE = 25
QUALITY_LIMIT = 200


def _wave(pk: int) -> Wave:
    try:
        return results.wave_for_results(pk)
    except Wave.DoesNotExist:
        raise Http404(_("No such survey wave.")) from None


def _actions(result: analysis.WaveResults) -> list[dict]:
    """Plans and proposals raised from the previous wave's results, each with
    how its targeted question moved in this wave."""
    previous = result.previous
    if previous is None:
        return []
    previous_questions = list(
        Question.objects.filter(questionnaire_id=previous.questionnaire_id)
    )
    code_of = {q.pk: q.code for q in previous_questions}
    items = {item.code: item for item in result.questions}
    since = local_midnight(previous.opens_on) if previous.opens_on else None
    wave = result.wave
    before = local_midnight(wave.opens_on) if wave.opens_on else None
    rows = []
    for link in results.actions_from(
        previous_questions, [previous], since=since, before=before
    ):
        code = code_of.get(link.question_id)
        rows.append({"link": link, "code": code, "item": items.get(code)})
    return rows


@require_perm(*RESULTS_PERMS)
def wave_results(request: HttpRequest, pk: int) -> HttpResponse:
    wave = _wave(pk)
    result = analysis.wave_results(wave, with_charts=False)
    figures = analysis.figures_html(
        result,
        can_propose=request.user.has_perm("improvements.add_proposal"),
        can_plan=request.user.has_perm("improvements.add_plan"),
    )
    return render(
        request,
        "surveys/results/wave_results.html",
        {
            "wave": wave,
            "result": result,
            "figures": figures,
            "actions": _actions(result),
            "can_clean": request.user.has_perm("surveys.change_response"),
            "suppress_below": analysis.SUPPRESS_BELOW,
            "indicative_below": analysis.INDICATIVE_BELOW,
            "alpha": analysis.ALPHA,
        },
    )


EXPORT_HEADER = (
    "code",
    "question",
    "type",
    "n",
    "figure",
    "value",
    "low",
    "high",
    "mean",
    "mean_low",
    "mean_high",
    "share",
    "share_low",
    "share_high",
    "previous_value",
    "previous_n",
    "difference",
    "test",
    "p_value",
    "p_adjusted_bh",
    "significant_change",
    "direction",
    "driver_r",
    "base_note",
)


def _export_row(item: analysis.QuestionResult) -> list:
    suppressed = item.suppressed

    def hide(value):
        return None if suppressed or value is None else round(value, 6)

    comparison = item.comparison
    interval = item.interval
    mean = item.mean
    share = item.share
    note = "suppressed" if suppressed else ("indicative" if item.indicative else "")
    return [
        item.code,
        item.question.text(),
        item.question.type,
        item.n,
        item.figure,
        hide(item.value),
        hide(interval.low if interval else None),
        hide(interval.high if interval else None),
        hide(mean.estimate if mean else None),
        hide(mean.low if mean else None),
        hide(mean.high if mean else None),
        hide(share.estimate if share else None),
        hide(share.low if share else None),
        hide(share.high if share else None),
        hide(comparison.previous_value if comparison else None),
        comparison.previous_n if comparison else None,
        hide(comparison.difference if comparison else None),
        comparison.method if comparison else "",
        hide(comparison.p_value if comparison else None),
        hide(comparison.adjusted_p if comparison else None),
        bool(comparison and comparison.significant) if comparison else None,
        (comparison.direction or "") if comparison else "",
        hide(item.driver.r if item.driver else None),
        note,
    ]


@require_perm(*RESULTS_PERMS)
def wave_results_export(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in FORMATS:
        raise Http404(_("Unknown download format."))
    wave = _wave(pk)
    result = analysis.wave_results(wave, with_charts=False)
    return table_response(
        header=EXPORT_HEADER,
        items=result.questions,
        row=_export_row,
        kind=kind,
        name=f"survey-results-{wave.pk}",
    )


class CommentFilter(forms.Form):
    question = forms.TypedChoiceField(
        label=gettext_lazy("Question"), required=False, coerce=int, empty_value=None
    )
    group = forms.TypedChoiceField(
        label=gettext_lazy("Group"), required=False, coerce=int, empty_value=None
    )
    score_min = forms.IntegerField(
        label=gettext_lazy("Overall score from"), required=False, min_value=0
    )
    score_max = forms.IntegerField(
        label=gettext_lazy("to"), required=False, min_value=0
    )
    search = forms.CharField(
        label=gettext_lazy("Search"), required=False, max_length=100
    )

    def __init__(self, *args, wave: Wave, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].choices = [("", _("All questions"))] + [
            (q.pk, q.code)
            for q in Question.objects.filter(
                questionnaire_id=wave.questionnaire_id, type=Question.Type.TEXT
            ).order_by("order", "pk")
        ]
        self.fields["group"].choices = [("", _("All groups"))] + [
            (g.pk, g.name) for g in wave.groups.order_by("name")
        ]
        for field in self.fields.values():
            select = isinstance(field, forms.ChoiceField)
            field.widget.attrs["class"] = "form-select" if select else "form-control"


@require_perm(*RESULTS_PERMS)
def wave_comments(request: HttpRequest, pk: int) -> HttpResponse:
    wave = _wave(pk)
    form = CommentFilter(request.GET or None, wave=wave)
    overall = (
        Question.objects.filter(questionnaire_id=wave.questionnaire_id, is_overall=True)
        .order_by("order", "pk")
        .first()
    )
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    answers = results.comments(wave, overall=overall, **filters)
    page = Paginator(answers, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "surveys/results/comments.html",
        {
            "wave": wave,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "overall": overall,
        },
    )


@require_perm("surveys.change_response")
def wave_quality(request: HttpRequest, pk: int) -> HttpResponse:
    wave = _wave(pk)
    min_items = analysis.straight_line_items(wave)
    return render(
        request,
        "surveys/results/quality.html",
        {
            "wave": wave,
            "speeders": list(results.speeders(wave)[:QUALITY_LIMIT]),
            "straight_liners": list(
                results.straight_liners(wave, min_items)[:QUALITY_LIMIT]
            ),
            "excluded": list(
                Response.objects.filter(wave=wave, excluded=True)
                .select_related("group", "excluded_by")
                .order_by("-excluded_at", "pk")[:QUALITY_LIMIT]
            ),
            "min_items": min_items,
            "limit": QUALITY_LIMIT,
        },
    )


@require_POST
@require_perm("surveys.change_response")
def response_exclude(request: HttpRequest, pk: int) -> HttpResponse:
    response = get_object_or_404(Response, pk=pk)
    try:
        analysis.response_exclude(
            response=response, reason=request.POST.get("reason", ""), by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Response R-%(pk)s is excluded from the analysis.") % {"pk": response.pk},
        )
    return redirect("surveys:wave-quality", pk=response.wave_id)


@require_POST
@require_perm("surveys.change_response")
def response_include(request: HttpRequest, pk: int) -> HttpResponse:
    response = get_object_or_404(Response, pk=pk)
    try:
        analysis.response_include(response=response, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Response R-%(pk)s counts again.") % {"pk": response.pk}
        )
    return redirect("surveys:wave-quality", pk=response.wave_id)
