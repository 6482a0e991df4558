"""A draft quarterly management report for the last full quarter.

The report's figures are never stored for a draft: the "Quarterly report
build + PDF" scenario asks for the draft's PDF, which builds every area's
section from the data and renders it (``reports.views.report_pdf``), so each
request measures a whole build. Issuing one here would only time the same
build once more during generation.
"""

from __future__ import annotations

from reports.models import Report
from reports.periods import last_full

from .base import BenchContext


def generate(conn, scale: float, rng, ctx: BenchContext) -> None:
    period = last_full(Report.Kind.QUARTER, ctx.now.date())
    Report.objects.create(
        kind=Report.Kind.QUARTER,
        period_start=period.start,
        period_end=period.end,
        language="en",
        author=ctx.demo.users["quality"],
        summary="Bench draft: the figures are built when the PDF is asked for.",
    )
    ctx.count("management reports", 1)
