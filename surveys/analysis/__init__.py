"""Analysis of a wave (issue 8, item 5): figures with intervals, the
comparison with the previous wave, segment breakdowns and key drivers,
computed from the aggregates of :mod:`surveys.results`.

Rules the page follows (REFERENCES.md §6.F3-F5):

* Headline per type: NPS (promoters 9-10 minus detractors 0-6) with its
  interval; CSAT and Likert top-2-box (4-5) with a Wilson interval and the
  mean with its t interval; CES mean and "agree" (5-7); numeric mean; choice
  questions their distribution.
* Wave comparison per question code: NPS by the z-test for two NPS; CSAT
  top-2-box by the two-proportion z-test (Fisher's exact test when a cell is
  small); Likert by Mann-Whitney from counts (ordinal); CES and numeric by
  Welch's t; single choice by chi-square. Segment breakdowns: Kruskal-Wallis
  (scored items) or chi-square (single choice) across target groups.
* Every p-value on the page goes through Benjamini-Hochberg together; a
  change is "significant" when its adjusted p is below ``ALPHA`` and both
  bases reach ``INDICATIVE_BELOW`` (the F4 flag rule), else "no significant
  change".
* A figure resting on fewer than ``INDICATIVE_BELOW`` answers is marked
  indicative; fewer than ``SUPPRESS_BELOW`` is not shown at all.
* Key drivers: Pearson's r of each scored item with the ``is_overall`` item
  over the respondents who answered both (paired sums from SQL); importance
  is r, performance the mean as a share of the scale.

By topic: :mod:`~surveys.analysis.display` (thresholds, formatting, result
types), :mod:`~surveys.analysis.figures` (one question's figures and tests),
:mod:`~surveys.analysis.wave` (the whole wave),
:mod:`~surveys.analysis.rendering` (charts and the stored figures section)
and :mod:`~surveys.analysis.quality` (speeders, straight-liners,
exclusions). Callers use the names re-exported here.
"""

from .display import (
    ALPHA,
    DOWN,
    FIGURE_DISTRIBUTION,
    FIGURE_MEAN,
    FIGURE_NPS,
    FIGURE_SHARE,
    INDICATIVE_BELOW,
    METHOD_NAMES,
    SUPPRESS_BELOW,
    UP,
    Bar,
    Comparison,
    GroupCell,
    GroupRate,
    QuestionResult,
    WaveResults,
    fmt,
    fmt_interval,
    fmt_p,
)
from .figures import moments, nps_of, top_box
from .quality import (
    ERR_ALREADY_EXCLUDED,
    ERR_NOT_EXCLUDED,
    ERR_REASON_REQUIRED,
    STRAIGHT_LINE_MIN_ITEMS,
    response_exclude,
    response_include,
    straight_line_items,
)
from .rendering import FIGURES_TEMPLATE, draw_charts, figures_html
from .wave import response_table, wave_results

__all__ = [
    "ALPHA",
    "DOWN",
    "ERR_ALREADY_EXCLUDED",
    "ERR_NOT_EXCLUDED",
    "ERR_REASON_REQUIRED",
    "FIGURES_TEMPLATE",
    "FIGURE_DISTRIBUTION",
    "FIGURE_MEAN",
    "FIGURE_NPS",
    "FIGURE_SHARE",
    "INDICATIVE_BELOW",
    "METHOD_NAMES",
    "STRAIGHT_LINE_MIN_ITEMS",
    "SUPPRESS_BELOW",
    "UP",
    "Bar",
    "Comparison",
    "GroupCell",
    "GroupRate",
    "QuestionResult",
    "WaveResults",
    "draw_charts",
    "figures_html",
    "fmt",
    "fmt_interval",
    "fmt_p",
    "moments",
    "nps_of",
    "response_exclude",
    "response_include",
    "response_table",
    "straight_line_items",
    "top_box",
    "wave_results",
]
