"""The survey plan of a wave: its form, target groups, and its approval and
other status steps."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qms.access import require_perm
from qms.forms import apply_validation_error
from qms.workflow import run_transition

from .. import services
from ..forms import GroupForm, WaveForm
from ..models import Series, TargetGroup, Wave
from .common import form_context, wave_or_404


@require_perm("surveys.add_wave")
def wave_create(request: HttpRequest, series_pk: int) -> HttpResponse:
    series = get_object_or_404(Series, pk=series_pk)
    return _wave_form(
        request, Wave(series=series, questionnaire=series.questionnaires.first())
    )


@require_perm("surveys.change_wave")
def wave_update(request: HttpRequest, pk: int) -> HttpResponse:
    wave = wave_or_404(pk)
    if wave.status not in services.EDITABLE:
        messages.error(request, str(services.ERR_PLAN_READ_ONLY))
        return redirect(wave)
    return _wave_form(request, wave)


def _wave_form(request: HttpRequest, wave: Wave) -> HttpResponse:
    form = WaveForm(request.POST or None, instance=wave, series=wave.series)
    if request.method == "POST" and form.is_valid():
        try:
            wave = services.wave_save(wave=form.save(commit=False), by=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Survey plan saved."))
            return redirect(wave)
    return render(
        request,
        "surveys/form.html",
        form_context(
            form,
            wave,
            _("Survey plan"),
            wave.get_absolute_url() if wave.pk else wave.series.get_absolute_url(),
        ),
    )


@require_perm("surveys.view_wave")
def wave_detail(request: HttpRequest, pk: int) -> HttpResponse:
    wave = wave_or_404(pk)
    user = request.user
    editable = wave.status in services.EDITABLE and user.has_perm("surveys.change_wave")
    return render(
        request,
        "surveys/wave_detail.html",
        {
            "wave": wave,
            "groups": wave.groups.select_related("segment"),
            "transitions": wave.transitions.select_related("by"),
            "editable": editable,
            "group_form": GroupForm() if editable else None,
            "targets": services.WORKFLOW.targets(wave, user)
            if user.has_perm("surveys.change_wave")
            else [],
            "can_approve": user.has_perm("surveys.approve_wave"),
            "can_distribute": user.has_perm("surveys.add_participant")
            and wave.status in (Wave.Status.APPROVED, Wave.Status.FIELDWORK),
            "participant_count": wave.participants.count(),
            "pending": services.invitations_pending(wave).count(),
            "public_url": request.build_absolute_uri(
                reverse("surveys_public:public-answer", args=[wave.public_token])
            )
            if wave.public_link
            else "",
        },
    )


@require_POST
@require_perm("surveys.change_wave")
def group_add(request: HttpRequest, pk: int) -> HttpResponse:
    wave = wave_or_404(pk)
    form = GroupForm(request.POST)
    if form.is_valid():
        try:
            services.group_save(
                wave=wave,
                name=form.cleaned_data["name"],
                segment=form.cleaned_data["segment"],
                population=form.cleaned_data["population"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Target group added; sample sizes recomputed."))
    else:
        messages.error(
            request, " ".join(e for errs in form.errors.values() for e in errs)
        )
    return redirect(wave)


@require_POST
@require_perm("surveys.change_wave")
def group_delete(request: HttpRequest, pk: int, group_pk: int) -> HttpResponse:
    group = get_object_or_404(
        TargetGroup.objects.select_related("wave"), pk=group_pk, wave_id=pk
    )
    try:
        services.group_delete(group=group)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("surveys:wave-detail", pk)


@require_POST
@require_perm("surveys.change_wave")
def wave_transition(request: HttpRequest, pk: int) -> HttpResponse:
    wave = wave_or_404(pk)
    # Approving without surveys.approve_wave raises PermissionDenied: 403.
    run_transition(request, services.WORKFLOW, wave)
    return redirect("surveys:wave-detail", pk)
