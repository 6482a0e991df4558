"""The survey area's section of the management report (qms.reporting).

Headline scores of the waves closed in the period, with their intervals and
the significance mark against the previous wave; the top key drivers; the
improvement actions raised from survey results in the period.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from qms.measures import local_midnight
from qms.reporting import Indicator, Section, SectionRequest, Signal, Table

from . import analysis, results
from .models import Question, Wave

HEADLINE_TYPES = (Question.Type.NPS, Question.Type.CSAT, Question.Type.CES)
TOP_DRIVERS = 3


def _change_text(item: analysis.QuestionResult) -> str:
    comparison = item.comparison
    if comparison is None:
        return _("no earlier wave")
    if comparison.p_value is None:
        return _("not testable")
    if not comparison.significant:
        return _("no significant change")
    if comparison.direction == analysis.UP:
        return _("significant change: up %(d)s") % {"d": comparison.difference_text}
    if comparison.direction == analysis.DOWN:
        return _("significant change: down %(d)s") % {"d": comparison.difference_text}
    return _("significant change")


def section(request: SectionRequest) -> Section:
    period = request.period
    waves = list(
        Wave.objects.filter(
            status=Wave.Status.CLOSED,
            closes_on__gte=period.start,
            closes_on__lt=period.end,
        )
        .select_related("series", "questionnaire")
        .order_by("closes_on", "pk")
    )
    out = Section(
        key="surveys",
        title=_("Customer satisfaction surveys"),
        order=40,
        indicators=[
            Indicator("surveys.nps"),
            Indicator("surveys.csat_t2b"),
            Indicator("surveys.ces_mean"),
            Indicator("surveys.post_complaint_satisfaction"),
        ],
    )
    if request.unit is not None:
        out.notes.append(
            _("Survey results are not split by organisation unit; figures cover all.")
        )
    headline_rows: list[list] = []
    driver_rows: list[list] = []
    for wave in waves:
        result = analysis.wave_results(wave, with_charts=False)
        url = reverse("surveys:wave-results", args=[wave.pk])
        for item in result.questions:
            question = item.question
            if question.type not in HEADLINE_TYPES and not question.is_overall:
                continue
            headline_rows.append(
                [
                    f"{wave.series.name}: {wave.name}",
                    item.code,
                    str(item.question.get_type_display()),
                    item.value_text if not item.suppressed else "",
                    item.interval_text if not item.suppressed else "",
                    item.n,
                    _change_text(item),
                ]
            )
            if item.comparison and item.comparison.significant:
                out.signals.append(
                    Signal(
                        "change",
                        _("%(wave)s, %(code)s: %(change)s")
                        % {
                            "wave": f"{wave.series.name} {wave.name}",
                            "code": item.code,
                            "change": _change_text(item),
                        },
                        url,
                    )
                )
        for item in result.drivers[:TOP_DRIVERS]:
            driver_rows.append(
                [
                    f"{wave.series.name}: {wave.name}",
                    item.code,
                    round(item.driver.r, 2),
                    analysis.fmt(analysis.FIGURE_MEAN, item.mean.estimate)
                    if item.mean
                    else "",
                    item.driver.n,
                ]
            )
    if not waves:
        out.notes.append(_("No survey wave closed in this period."))
    out.tables.append(
        Table(
            title=_("Headline scores of the waves closed in the period"),
            columns=[
                _("Wave"),
                _("Question"),
                _("Measure"),
                _("Value"),
                _("Interval (95 %)"),
                _("n"),
                _("Change since the previous wave"),
            ],
            rows=headline_rows,
            note=_(
                "Changes are tested against the previous wave of the series and "
                "corrected for many comparisons (Benjamini-Hochberg)."
            ),
            base_column=5,
        )
    )
    out.tables.append(
        Table(
            title=_("Top key drivers of overall satisfaction"),
            columns=[_("Wave"), _("Item"), _("Correlation r"), _("Mean"), _("n")],
            rows=driver_rows,
            note=_("Correlation with the overall item; correlation is not causation."),
            base_column=4,
        )
    )
    actions = results.actions_from(
        list(Question.objects.filter(questionnaire__waves__isnull=False).distinct()),
        list(Wave.objects.all()),
        since=local_midnight(period.start),
        before=local_midnight(period.end),
    )
    out.tables.append(
        Table(
            title=_("Improvement actions raised from survey results"),
            columns=[_("Kind"), _("Title"), _("Status")],
            rows=[
                [
                    _("Plan") if link.kind == "plan" else _("Proposal"),
                    link.title,
                    link.status,
                ]
                for link in actions
            ],
        )
    )
    return out
