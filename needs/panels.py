"""What the needs area shows on other areas' pages (see qms.panels): on a
complaint, the button that records it as a customer need."""

from __future__ import annotations

from qms.panels import Panel, register

register(
    Panel(
        "case",
        "needs.capture",
        "needs/partials/_case_need.html",
        lambda request, case: {"case": case},
        permissions=("needs.add_need",),
        order=20,
    )
)
