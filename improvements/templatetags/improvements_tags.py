"""``{% propose_improvement obj %}``: the shared "propose an improvement"
card any area's page includes to raise a proposal linked to ``obj``."""

from django import template
from django.contrib.contenttypes.models import ContentType

from improvements.models import Plan
from improvements.origins import origin_ref

register = template.Library()


@register.inclusion_tag("improvements/partials/_propose_card.html", takes_context=True)
def propose_improvement(context, obj):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "ref": origin_ref(obj),
        "can_plan": bool(user and user.has_perm("improvements.add_plan")),
        "show": bool(user and user.has_perm("improvements.add_proposal")),
    }


@register.inclusion_tag("improvements/partials/_plans_for.html", takes_context=True)
def plans_for(context, obj):
    """The improvement plans raised from ``obj`` (a case, an analysis, …), for
    its page: one query."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not (user and user.has_perm("improvements.view_plan")):
        return {"plans": []}
    plans = (
        Plan.objects.filter(
            origins__origin_type=ContentType.objects.get_for_model(obj),
            origins__origin_id=str(obj.pk),
        )
        .select_related("owner")
        .distinct()
        .order_by("-created_at")
    )
    return {"plans": list(plans)}
