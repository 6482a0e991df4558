"""The results page: compliance by channel, unit, employee, criterion and
month with Wilson intervals, critical fails, the Pareto of failed criteria,
training needs and timeliness against target."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qms import charts
from qms.access import require_perm
from qms.models import Channel, OrgUnit
from qms.periods import month_start

from . import results
from .forms import bootstrap_inputs
from .models import Criterion

DEFAULT_MONTHS = 12
DEFAULT_THRESHOLD = 30


class ResultsFilterForm(forms.Form):
    months = forms.IntegerField(
        label=gettext_lazy("Months"), min_value=1, max_value=36, required=False
    )
    channel = forms.ModelChoiceField(
        label=gettext_lazy("Channel"), queryset=Channel.objects.all(), required=False
    )
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit"), queryset=OrgUnit.objects.all(), required=False
    )
    threshold = forms.IntegerField(
        label=gettext_lazy("Training need threshold (failed, %)"),
        min_value=1,
        max_value=100,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap_inputs(self)


def filters_from(form: ResultsFilterForm) -> tuple[results.Filters, int]:
    data = form.cleaned_data if form.is_valid() else {}
    months = data.get("months") or DEFAULT_MONTHS
    end = month_start(timezone.localdate(), 1)
    start = month_start(end, -months)
    channel, unit = data.get("channel"), data.get("unit")
    filters = results.Filters(
        start=start,
        end=end,
        channel=channel.pk if channel else None,
        unit=unit.pk if unit else None,
    )
    return filters, data.get("threshold") or DEFAULT_THRESHOLD


def _trend_svg(months: list[results.Row]) -> str:
    if not any(row.n for row in months):
        return ""
    return charts.line_chart_svg(
        [row.label for row in months],
        {
            _("Compliant evaluations"): [row.share.estimate for row in months],
            _("Critical fails"): [row.critical_share for row in months],
        },
        _("Compliance by month"),
        _("Share of evaluations"),
        percent=True,
    )


def _pareto_svg(rows) -> str:
    if not rows:
        return ""
    return charts.pareto_chart_svg(
        [r.label for r in rows],
        [r.value for r in rows],
        [r.cumulative_share for r in rows],
        0.8,
        _("Failed criteria"),
        _("Failed checks"),
        vital_few=[r.vital_few for r in rows],
    )


@require_perm("standards.view_results")
def results_page(request: HttpRequest) -> HttpResponse:
    form = ResultsFilterForm(request.GET or None)
    filters, threshold = filters_from(form)
    compliance = results.summary(filters)
    months = compliance.by_month
    criteria = results.by_criterion(filters)
    pareto = results.pareto(criteria, other=_("Other"))
    weakest = None
    if criteria and criteria[0].failed:
        weakest = (
            Criterion.objects.select_related("version__document__standard")
            .filter(pk=criteria[0].criterion_id)
            .first()
        )
    return render(
        request,
        "standards/results.html",
        {
            "form": form,
            "filters": filters,
            "overall": compliance.overall,
            "by_channel": compliance.by_channel,
            "by_unit": compliance.by_unit,
            "by_employee": compliance.by_employee,
            "by_month": months,
            "by_criterion": criteria,
            "pareto": pareto,
            "training": results.training_needs(filters, threshold=threshold / 100),
            "threshold": threshold,
            "timeliness": results.timeliness_table(filters),
            "trend_svg": _trend_svg(months),
            "pareto_svg": _pareto_svg(pareto),
            "weakest": weakest,
            "weakest_standard": (
                weakest.version.document.standard if weakest else None
            ),
        },
    )
