"""The standards area's section of the management report (``qms.reporting``):
compliance by channel, acknowledgement coverage, the weakest criteria and
signals where a target is missed."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from qms.reporting import Indicator, Section, SectionRequest, Signal, Table

from . import measures, results, selectors

WEAK_CRITERIA = 5
# A criterion failed in more than this share of checks is a signal.
WEAK_SHARE = 0.3


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f} %"


def section(request: SectionRequest) -> Section:
    period = request.period
    units = request.unit.descendant_ids() if request.unit is not None else None
    filters = results.Filters(start=period.start, end=period.end, units=units)
    results_url = reverse("standards:results")
    section = Section(
        key="standards",
        title=_("Communication standards"),
        order=30,
        indicators=[
            Indicator(measures.COMPLIANCE.key, url=results_url),
            Indicator(measures.CRITICAL_FAIL_SHARE.key, url=results_url),
            Indicator(measures.MEAN_SCORE.key, url=results_url),
            Indicator(measures.TIMELINESS.key, url=results_url),
        ],
    )
    channels = results.by("channel", filters)
    section.tables.append(
        Table(
            title=_("Compliance by channel"),
            columns=[
                _("Channel"),
                _("Evaluations"),
                _("Compliant"),
                _("Interval (95 %)"),
                _("Critical fails"),
            ],
            rows=[
                [
                    row.label,
                    row.n,
                    _pct(row.share.estimate),
                    f"{_pct(row.share.low)} to {_pct(row.share.high)}",
                    _pct(row.critical_share),
                ]
                for row in channels
            ],
            base_column=1,
        )
    )
    coverage = selectors.acknowledgement_coverage()
    section.tables.append(
        Table(
            title=_("Acknowledgement of the standards in force"),
            columns=[_("Standard"), _("Version"), _("Staff"), _("Read"), _("Share")],
            rows=[
                [
                    str(row.standard),
                    row.version.number,
                    row.staff,
                    row.read,
                    f"{row.percent:.1f} %",
                ]
                for row in coverage
            ],
            note=_("As of today, for the whole organisation."),
        )
    )
    criteria = [r for r in results.by_criterion(filters) if r.failed]
    section.tables.append(
        Table(
            title=_("Weakest criteria"),
            columns=[_("Standard"), _("Criterion"), _("Checks"), _("Met")],
            rows=[
                [r.standard, r.behaviour, r.applicable, _pct(r.share.estimate)]
                for r in criteria[:WEAK_CRITERIA]
            ],
            base_column=2,
        )
    )
    overall = results.overall(filters)
    if overall.n:
        target = measures.COMPLIANCE.target
        if overall.share.estimate < target:
            section.signals.append(
                Signal(
                    "breach",
                    _(
                        "Compliance with the communication standards was %(value)s "
                        "against a target of %(target)s."
                    )
                    % {"value": _pct(overall.share.estimate), "target": _pct(target)},
                    results_url,
                )
            )
        critical_target = measures.CRITICAL_FAIL_SHARE.target
        if (overall.critical_share or 0) > critical_target:
            section.signals.append(
                Signal(
                    "breach",
                    _(
                        "%(value)s of evaluated interactions failed a critical "
                        "criterion (target at most %(target)s)."
                    )
                    % {
                        "value": _pct(overall.critical_share),
                        "target": _pct(critical_target),
                    },
                    results_url,
                )
            )
    for row in criteria:
        if row.applicable >= 20 and (row.fail_share or 0) > WEAK_SHARE:
            section.signals.append(
                Signal(
                    "info",
                    _("“%(criterion)s” was not met in %(value)s of checks.")
                    % {"criterion": row.behaviour, "value": _pct(row.fail_share)},
                    results_url,
                )
            )
    if request.unit is not None:
        section.notes.append(
            _("Acknowledgement coverage is shown for the whole organisation.")
        )
    return section
