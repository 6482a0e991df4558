"""Promises fragments shown on other areas' pages: the broken-promise tags of
a complaint and the promises needing review on the dashboard."""

from __future__ import annotations

from django import template

register = template.Library()


@register.inclusion_tag("promises/partials/_case_promises.html", takes_context=True)
def case_promises(context, case):
    """The promises a complaint is tagged as breaking, with the tag form for
    staff allowed to tag. Two queries (tags; promises for the form)."""
    from promises.forms import TagForm
    from promises.models import BrokenPromiseTag

    request = context.get("request")
    user = getattr(request, "user", None)
    if not (user and user.has_perm("promises.view_brokenpromisetag")):
        return {"show": False}
    tags = list(BrokenPromiseTag.objects.filter(case=case).select_related("promise"))
    can_tag = user.has_perm("promises.add_brokenpromisetag")
    return {
        "show": True,
        "case": case,
        "tags": tags,
        "form": TagForm() if can_tag else None,
        "can_untag": user.has_perm("promises.delete_brokenpromisetag"),
    }


@register.inclusion_tag("promises/partials/_needs_review.html", takes_context=True)
def promises_needing_review(context):
    """Published promises below target or at risk for N periods, for the
    quality manager's dashboard (see monitoring.promises_needing_review for
    the queries)."""
    from promises.monitoring import promises_needing_review, review_after_periods

    request = context.get("request")
    user = getattr(request, "user", None)
    if not (user and user.has_perm("promises.manage_promise")):
        return {"show": False}
    return {
        "show": True,
        "flags": promises_needing_review(),
        "periods": review_after_periods(),
    }
