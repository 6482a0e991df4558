"""Complaints, claims, disputes and feedback handled by one ISO 10002 workflow.

The models live in one module per part (cases, their handling, messages and
attachments, root-cause analysis, the monthly summaries of the monitoring
figures) and are all imported here, in the order they were declared, so
Django finds them and ``complaints.models.X`` works.
"""

# In declaration order, which is the order Django registers the models in
# (apps.get_models(), dumpdata): not sorted.
# isort: off
from .cases import Case, CaseQuerySet, Category
from .handling import CaseSequence, DeadlineRule, Pause, Transition
from .messages import Attachment, Message, _attachment_path
from .rca import (
    AnalysisTransition,
    IshikawaCategory,
    IshikawaCause,
    RootCauseAnalysis,
    RootCauseAnalysisQuerySet,
    RootCauseCategory,
    WhyStep,
)
from .summaries import CaseMonthSummary, CaseMonthTally, CaseSummaryMonth

# isort: on

__all__ = [
    "AnalysisTransition",
    "Attachment",
    "Case",
    "CaseMonthSummary",
    "CaseMonthTally",
    "CaseQuerySet",
    "CaseSequence",
    "CaseSummaryMonth",
    "Category",
    "DeadlineRule",
    "IshikawaCategory",
    "IshikawaCause",
    "Message",
    "Pause",
    "RootCauseAnalysis",
    "RootCauseAnalysisQuerySet",
    "RootCauseCategory",
    "Transition",
    "WhyStep",
    # Named by migration 0001 (the attachments' upload_to).
    "_attachment_path",
]
