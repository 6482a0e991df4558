"""The follow-ups that close the loop with respondents: the list and
marking one done."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qms.access import require_perm

from .. import followups
from ..models import FollowUp

PAGE_SIZE = 25


@require_perm("surveys.view_followup")
def follow_up_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", FollowUp.Status.OPEN)
    if status not in FollowUp.Status.values:
        status = ""
    page = Paginator(followups.follow_ups(status or None), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "surveys/results/follow_ups.html",
        {
            "page": page,
            "status": status,
            "statuses": FollowUp.Status.choices,
            "query": f"status={status}",
            "can_change": request.user.has_perm("surveys.change_followup"),
        },
    )


@require_POST
@require_perm("surveys.change_followup")
def follow_up_done(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = get_object_or_404(FollowUp, pk=pk)
    try:
        followups.follow_up_complete(
            follow_up=follow_up,
            outcome=request.POST.get("outcome", ""),
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The follow-up is done."))
    return redirect("surveys:follow-up-list")
