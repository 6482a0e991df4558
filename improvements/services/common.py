"""What the improvement services share: their messages and links."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy

ERR_REASON_REQUIRED = gettext_lazy("Give the reason for rejecting the proposal.")
ERR_PROPOSAL_TRANSITION = gettext_lazy(
    "A proposal that is “%(from)s” cannot become “%(to)s”."
)
ERR_ACTION_TRANSITION = gettext_lazy(
    "An action that is “%(from)s” cannot become “%(to)s”."
)
ERR_PLAN_TRANSITION = gettext_lazy("A plan that is “%(from)s” cannot become “%(to)s”.")
ERR_NO_CRITERION = gettext_lazy(
    "Fix the effectiveness criterion (indicator, baseline period and follow-up "
    "window) before the plan starts."
)
ERR_NOT_APPROVED = gettext_lazy("The plan must be approved before it starts.")
ERR_CRITERION_LOCKED = gettext_lazy(
    "The effectiveness criterion is fixed once the plan is in progress."
)
ERR_OPEN_ACTIONS = gettext_lazy(
    "The plan cannot be implemented while %(n)s action(s) are still open."
)
ERR_APPROVER_IS_OWNER = gettext_lazy("The plan's owner cannot approve their own plan.")
ERR_UNKNOWN_MEASURE = gettext_lazy("Unknown indicator: %(key)s.")
ERR_BASELINE_PERIOD = gettext_lazy("The baseline must end after it starts.")
ERR_WINDOW_OPEN = gettext_lazy(
    "The follow-up window ends on %(date)s; check effectiveness after that."
)
ERR_NOT_IMPLEMENTED = gettext_lazy(
    "Only an implemented plan can have its effectiveness checked."
)
ERR_NO_CHECK = gettext_lazy("Run the effectiveness check first.")
ERR_NOT_CLOSED_INEFFECTIVE = gettext_lazy(
    "Only a plan closed as not effective can be reopened or followed up."
)


def _site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"
