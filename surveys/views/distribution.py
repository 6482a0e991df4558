"""Distribution and fieldwork: the sample, imported participants,
invitations, the fieldwork monitor, the participant list and bounces."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qms.access import require_perm
from qms.forms import apply_validation_error
from qms.uploads import validate_upload

from .. import selectors, services
from ..forms import ImportForm
from ..models import Participant
from .common import wave_or_404

PAGE_SIZE = 50


@require_POST
@require_perm("surveys.change_wave", "surveys.add_participant")
def wave_sample(request: HttpRequest, pk: int) -> HttpResponse:
    wave = wave_or_404(pk)
    try:
        created = services.sample_draw(wave=wave)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(n)s participants drawn.") % {"n": created})
    return redirect("surveys:wave-detail", pk)


@require_perm("surveys.change_wave", "surveys.add_participant")
def wave_import(request: HttpRequest, pk: int) -> HttpResponse:
    wave = wave_or_404(pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            validate_upload(upload)
            text = upload.read().decode("utf-8-sig")
            result = services.participants_import(
                wave=wave, text=text, dry_run=form.cleaned_data["dry_run"]
            )
        except UnicodeDecodeError:
            form.add_error("file", _("The file is not UTF-8 text."))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if result.created:
                messages.success(
                    request, _("%(n)s participants imported.") % {"n": result.created}
                )
                return redirect(wave)
    return render(
        request,
        "surveys/import.html",
        {
            "wave": wave,
            "form": form,
            "result": result,
            "columns": services.IMPORT_COLUMNS,
        },
    )


@require_POST
@require_perm("surveys.change_wave", "surveys.change_participant")
def wave_invite(request: HttpRequest, pk: int) -> HttpResponse:
    wave = wave_or_404(pk)
    pending = services.invitations_pending(wave).count()
    try:
        services.invitations_send(wave=wave)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Invitations to %(n)s participants are on their way.") % {"n": pending},
        )
    return redirect("surveys:wave-detail", pk)


@require_perm("surveys.view_wave")
def wave_monitor(request: HttpRequest, pk: int) -> HttpResponse:
    wave = wave_or_404(pk)
    return render(
        request,
        "surveys/monitor.html",
        {
            "wave": wave,
            "monitor": selectors.fieldwork_monitor(wave),
            "under_share": selectors.UNDER_SHARE_RATIO,
            "under_rr": selectors.UNDER_RR_RATIO,
            "under_min": selectors.UNDER_MIN_COMPLETES,
        },
    )


@require_perm("surveys.view_participant")
def wave_participants(request: HttpRequest, pk: int) -> HttpResponse:
    wave = wave_or_404(pk)
    participants = selectors.participants_of(wave)
    disposition = request.GET.get("disposition", "")
    if disposition in Participant.Disposition.values:
        participants = participants.filter(disposition=disposition)
    page = Paginator(participants, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/participants.html",
        {
            "wave": wave,
            "page": page,
            "dispositions": Participant.Disposition.choices,
            "bounce_form": ImportForm(auto_id="bounce_%s")
            if request.user.has_perm("surveys.change_participant")
            else None,
            "disposition": disposition,
            "query": f"disposition={disposition}",
        },
    )


@require_POST
@require_perm("surveys.change_participant")
def wave_bounces(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload the addresses whose invitations bounced (CSV, column email)."""
    wave = wave_or_404(pk)
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            validate_upload(form.cleaned_data["file"])
            text = form.cleaned_data["file"].read().decode("utf-8-sig")
            result = services.bounces_import(wave=wave, text=text)
        except UnicodeDecodeError:
            messages.error(request, _("The file is not UTF-8 text."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if result.errors:
                messages.error(
                    request,
                    _("Nothing was marked: %(errors)s")
                    % {
                        "errors": "; ".join(
                            f"{row} {column}: {message}"
                            for row, column, message in result.errors[:20]
                        )
                    },
                )
            else:
                messages.success(
                    request,
                    _("%(n)s invitations marked as bounced.") % {"n": result.marked},
                )
    else:
        messages.error(request, _("Choose a CSV file."))
    return redirect("surveys:wave-participants", pk)


@require_POST
@require_perm("surveys.change_participant")
def participant_bounced(
    request: HttpRequest, pk: int, participant_pk: int
) -> HttpResponse:
    participant = get_object_or_404(Participant, pk=participant_pk, wave_id=pk)
    services.participant_bounced(participant=participant)
    messages.success(request, _("Marked as bounced."))
    return redirect("surveys:wave-participants", pk)
