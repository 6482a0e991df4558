"""Staff entry of phone and paper answers, and the export of a wave's
responses."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qms.access import require_perm
from qms.exports import FORMATS, table_response

from .. import selectors, services
from ..forms import StaffEntryForm
from ..models import LANGUAGES, Question, Wave
from ..public import LANGUAGE_NAMES
from .common import wave_or_404


@require_perm("surveys.enter_response")
def wave_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """Type in a phone interview or a paper questionnaire: all questions on
    one page, the same validation as the answer pages."""
    from ..forms import AnswerForm

    wave = wave_or_404(pk)
    if wave.status != Wave.Status.FIELDWORK:
        messages.error(
            request, _("Answers can be entered only while the wave is in fieldwork.")
        )
        return redirect(wave)
    questions = list(selectors.questions_of(wave.questionnaire))
    header = StaffEntryForm(request.POST or None, wave=wave, prefix="h")
    language = request.POST.get("h-language") or "et"
    if language not in LANGUAGES:
        language = "et"
    form = AnswerForm(request.POST or None, questions=questions, language=language)
    if request.method == "POST" and header.is_valid() and form.is_valid():
        data = header.cleaned_data
        try:
            services.response_submit(
                wave=wave,
                questions=questions,
                values=form.values(),
                language=language,
                source=data["source"],
                participant=data["participant"],
                group=data["group"],
                entered_by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Answers saved. You can enter the next one."))
            return redirect("surveys:wave-entry", pk)
    return render(
        request,
        "surveys/entry.html",
        {
            "wave": wave,
            "header": header,
            "form": form,
            "items": form.items(),
            "language_names": LANGUAGE_NAMES,
        },
    )


@require_perm("surveys.view_response")
def wave_export(request: HttpRequest, pk: int) -> HttpResponse:
    """One row per respondent, coded columns; personal data only in
    identified waves."""
    wave = wave_or_404(pk)
    kind = request.GET.get("format", "csv")
    if kind not in FORMATS:
        raise Http404
    questions = list(selectors.questions_of(wave.questionnaire))
    columns: list[tuple[str, int | None, Question]] = []
    for question in questions:
        if question.type == Question.Type.MULTIPLE:
            for option in question.options.all():
                columns.append(
                    (f"{question.code}_{option.value}", option.value, question)
                )
        else:
            columns.append((question.code, None, question))
    base = [
        "response_id", "wave", "group", "source", "language", "started_at",
        "submitted_at", "duration_seconds", "excluded", "exclusion_reason",
    ]  # fmt: skip
    personal = (
        [] if wave.anonymous else ["customer_reference", "customer_name", "email"]
    )
    header = base + personal + [c[0] for c in columns]
    responses, answers = selectors.export_rows(wave)

    def rows():
        answer_iter = iter(answers.iterator(chunk_size=2000))
        pending = next(answer_iter, None)
        for response in responses.iterator(chunk_size=500):
            values: dict[str, object] = {}
            while pending is not None and pending[0] < response.pk:
                pending = next(answer_iter, None)
            while pending is not None and pending[0] == response.pk:
                _rid, code, value_int, value_num, text = pending
                values.setdefault(code, []).append(
                    value_num
                    if value_num is not None
                    else value_int
                    if value_int is not None
                    else text
                )
                pending = next(answer_iter, None)
            yield response, values

    def row(item):
        response, values = item
        out = [
            response.pk,
            wave.name,
            response.group.name if response.group else "",
            response.source,
            response.language,
            response.started_at.isoformat() if response.started_at else "",
            response.submitted_at.isoformat(),
            response.duration_seconds if response.duration_seconds is not None else "",
            int(response.excluded),
            response.exclusion_reason,
        ]
        if not wave.anonymous:
            participant = response.participant
            customer = participant.customer if participant else None
            out += [
                customer.reference if customer else "",
                customer.name if customer else "",
                participant.email if participant else "",
            ]
        for _name, option_value, question in columns:
            given = values.get(question.code)
            if option_value is not None:
                out.append(
                    ""
                    if given is None and not values
                    else int(option_value in (given or []))
                )
            else:
                out.append("" if not given else given[0])
        return out

    return table_response(
        header=header, items=rows(), row=row, kind=kind, name=f"survey-{wave.pk}"
    )
