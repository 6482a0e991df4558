"""Who may change a report's decisions (object level on top of the model
permissions)."""

from __future__ import annotations

from dataclasses import replace

from qms.access import Rule, declare

from .models import ReportDecision

# Editing and deleting a decision: whoever may change decisions (the quality
# manager). Every decision is readable to readers of reports.
DECISIONS = declare(ReportDecision, Rule(write_all=("reports.change_reportdecision",)))
# Closing it: also the decision's owner, if they may read reports.
CLOSE = replace(DECISIONS, change="reports.view_report", own=("owner",))
