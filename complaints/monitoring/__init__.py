"""Monitoring of the complaints area: the figures, computed in SQL.

- :mod:`~complaints.monitoring.scope`: which cases a reader's figures count,
  and the page's filters;
- :mod:`~complaints.monitoring.selectors`: the live grouped queries (one per
  figure) and the recurring problems;
- :mod:`~complaints.monitoring.periods`: everything about one period
  (:class:`~complaints.monitoring.periods.PeriodRow`), for tables, measures
  and charts;
- :mod:`~complaints.monitoring.dashboard`: the monitoring page's data;
- :mod:`~complaints.monitoring.summaries`: the monthly summaries of the
  figures, kept up to date, and
  :mod:`~complaints.monitoring.summary_figures`: the figures read from them;
- :mod:`~complaints.monitoring.views` and ``urls``: the page, under
  ``/complaints/monitoring/``.
"""
