"""What the promises area shows on other areas' pages (see qms.panels): the
broken-promise tags of a complaint and, on the start page, the promises
needing review."""

from __future__ import annotations

from qms.panels import Panel, register


def case_tags(request, case) -> dict:
    """The promises a complaint is tagged as breaking, with the tag form for
    staff allowed to tag. Two queries (tags; promises for the form)."""
    from promises.forms import TagForm
    from promises.models import BrokenPromiseTag

    user = request.user
    can_tag = user.has_perm("promises.add_brokenpromisetag")
    return {
        "show": True,
        "case": case,
        "tags": list(
            BrokenPromiseTag.objects.filter(case=case).select_related("promise")
        ),
        "form": TagForm() if can_tag else None,
        "can_untag": user.has_perm("promises.delete_brokenpromisetag"),
    }


def needing_review(request, _record) -> dict:
    """Published promises below target or at risk for N periods (see
    monitoring.promises_needing_review for the queries)."""
    from promises.monitoring import promises_needing_review, review_after_periods

    return {
        "show": True,
        "flags": promises_needing_review(),
        "periods": review_after_periods(),
    }


register(
    Panel(
        "case",
        "promises.broken",
        "promises/partials/_case_promises.html",
        case_tags,
        permissions=("promises.view_brokenpromisetag",),
        order=30,
    )
)
register(
    Panel(
        "home",
        "promises.review",
        "promises/partials/_needs_review.html",
        needing_review,
        permissions=("promises.manage_promise",),
    )
)
