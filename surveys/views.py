"""Staff pages of the surveys area: landing page, series, questionnaire
builder, survey plan and its approval, sample and invitations, fieldwork
monitor, staff entry of phone and paper answers, export."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qms.access import require_perm
from qms.areas import Area
from qms.exports import FORMATS, table_response
from qms.forms import apply_validation_error
from qms.selectors import process_description
from qms.uploads import validate_upload
from qms.workflow import run_transition

from . import selectors, services
from .forms import (
    GroupForm,
    ImportForm,
    NeedLinkForm,
    OptionForm,
    QuestionForm,
    QuestionnaireForm,
    SectionForm,
    SeriesForm,
    StaffEntryForm,
    WaveForm,
)
from .models import (
    LANGUAGES,
    Option,
    Participant,
    Question,
    Questionnaire,
    Section,
    Series,
    TargetGroup,
    Wave,
)
from .public import LANGUAGE_NAMES, answer_flow

PAGE_SIZE = 50


# --- Landing page and series -----------------------------------------------


@require_perm("surveys.view_wave")
def home(request: HttpRequest) -> HttpResponse:
    fieldwork = list(selectors.fieldwork_waves())
    for wave in fieldwork:
        wave.rr = wave.complete / wave.invited if wave.invited else None
    return render(
        request,
        "surveys/home.html",
        {
            "area": Area(Area.SURVEYS),
            "document": process_description(Area.SURVEYS),
            "series_list": (
                selectors.series_list()
                if request.user.has_perm("surveys.view_series")
                else None
            ),
            "fieldwork": fieldwork,
            "upcoming": selectors.upcoming_waves()[:20],
            "follow_ups": selectors.open_follow_ups()[:20],
        },
    )


@require_perm("surveys.view_series")
def series_detail(request: HttpRequest, pk: int) -> HttpResponse:
    series = get_object_or_404(Series.objects.select_related("owner"), pk=pk)
    return render(
        request,
        "surveys/series_detail.html",
        {
            "series": series,
            "questionnaires": series.questionnaires.annotate(
                question_count=Count("questions")
            ),
            "waves": selectors.waves_of(series),
        },
    )


@require_perm("surveys.add_series")
def series_create(request: HttpRequest) -> HttpResponse:
    return _series_form(request, Series(owner=request.user))


@require_perm("surveys.change_series")
def series_update(request: HttpRequest, pk: int) -> HttpResponse:
    return _series_form(request, get_object_or_404(Series, pk=pk))


def _series_form(request: HttpRequest, series: Series) -> HttpResponse:
    form = SeriesForm(request.POST or None, instance=series)
    if request.method == "POST" and form.is_valid():
        try:
            series = services.series_save(series=form.save(commit=False))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Series saved."))
            return redirect(series)
    return render(
        request, "surveys/form.html", _form_context(form, series, _("Survey series"))
    )


def _form_context(form, obj, title: str, cancel: str = "") -> dict:
    return {
        "form": form,
        "object": obj,
        "title": title,
        "cancel_url": cancel
        or (obj.get_absolute_url() if getattr(obj, "pk", None) else "/surveys/"),
    }


# --- Questionnaire builder -------------------------------------------------


def _questionnaire(pk: int) -> Questionnaire:
    return get_object_or_404(Questionnaire.objects.select_related("series"), pk=pk)


@require_perm("surveys.add_questionnaire")
def questionnaire_create(request: HttpRequest, series_pk: int) -> HttpResponse:
    series = get_object_or_404(Series, pk=series_pk)
    form = QuestionnaireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        questionnaire = services.questionnaire_create(
            series=series, by=request.user, **form.cleaned_data
        )
        messages.success(request, _("Questionnaire version created."))
        return redirect(questionnaire)
    return render(
        request,
        "surveys/form.html",
        _form_context(form, None, _("New questionnaire"), series.get_absolute_url()),
    )


@require_perm("surveys.view_series")
def questionnaire_detail(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = _questionnaire(pk)
    sections = list(selectors.sections_of(questionnaire))
    loose = list(
        questionnaire.questions.filter(section=None)
        .select_related("show_if")
        .prefetch_related("options")
    )
    return render(
        request,
        "surveys/questionnaire_detail.html",
        {
            "questionnaire": questionnaire,
            "sections": sections,
            "loose": loose,
            "languages": LANGUAGES,
            "editable": not questionnaire.locked
            and request.user.has_perm("surveys.change_questionnaire"),
        },
    )


@require_perm("surveys.change_questionnaire")
def questionnaire_update(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = _questionnaire(pk)
    form = QuestionnaireForm(request.POST or None, instance=questionnaire)
    if request.method == "POST" and form.is_valid():
        try:
            services.questionnaire_save(questionnaire=form.save(commit=False))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect(questionnaire)
    return render(
        request,
        "surveys/form.html",
        _form_context(form, questionnaire, str(questionnaire)),
    )


@require_POST
@require_perm("surveys.add_questionnaire")
def questionnaire_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    copy = services.questionnaire_new_version(
        questionnaire=_questionnaire(pk), by=request.user
    )
    messages.success(
        request,
        _("Version %(n)s created with the same questions and codes.")
        % {"n": copy.version},
    )
    return redirect(copy)


@require_perm("surveys.view_series")
def questionnaire_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The answer pages as a respondent sees them, in any language; nothing
    is saved (the buttons only move between pages)."""
    questionnaire = _questionnaire(pk)
    language = request.GET.get("lang", "et")
    if language not in LANGUAGES:
        language = "et"
    wave = Wave(
        series=questionnaire.series,
        questionnaire=questionnaire,
        name=questionnaire.title,
    )
    return answer_flow(
        request,
        wave=wave,
        language=language,
        draft={},
        save=None,
        submit=None,
        base_url=reverse("surveys:questionnaire-preview", args=[pk]),
        preview=True,
        extra={"back_url": questionnaire.get_absolute_url()},
    )


def _guarded(request, form, save, success_url):
    if request.method == "POST" and form.is_valid():
        try:
            save(form)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect(success_url)
    return None


@require_perm("surveys.change_questionnaire")
def section_edit(
    request: HttpRequest, questionnaire_pk: int, pk: int | None = None
) -> HttpResponse:
    questionnaire = _questionnaire(questionnaire_pk)
    section = (
        get_object_or_404(Section, pk=pk, questionnaire=questionnaire)
        if pk
        else Section(
            questionnaire=questionnaire, order=questionnaire.sections.count() + 1
        )
    )
    form = SectionForm(request.POST or None, instance=section)
    done = _guarded(
        request, form, lambda f: services.section_save(section=f.save(commit=False)),
        questionnaire.get_absolute_url(),
    )  # fmt: skip
    return done or render(
        request,
        "surveys/form.html",
        _form_context(form, None, _("Section"), questionnaire.get_absolute_url()),
    )


@require_POST
@require_perm("surveys.change_questionnaire")
def section_delete(
    request: HttpRequest, questionnaire_pk: int, pk: int
) -> HttpResponse:
    section = get_object_or_404(Section, pk=pk, questionnaire_id=questionnaire_pk)
    try:
        services.section_delete(section=section)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("surveys:questionnaire-detail", questionnaire_pk)


def _save_question(form: QuestionForm) -> Question:
    question = services.question_save(question=form.save(commit=False))
    form.save_m2m()  # the promises it measures
    return question


@require_perm("surveys.change_questionnaire")
def question_edit(
    request: HttpRequest, questionnaire_pk: int, pk: int | None = None
) -> HttpResponse:
    questionnaire = _questionnaire(questionnaire_pk)
    question = (
        get_object_or_404(Question, pk=pk, questionnaire=questionnaire)
        if pk
        else Question(
            questionnaire=questionnaire,
            section=questionnaire.sections.last(),
            order=questionnaire.questions.count() + 1,
        )
    )
    form = QuestionForm(
        request.POST or None, instance=question, questionnaire=questionnaire
    )
    done = _guarded(request, form, _save_question, questionnaire.get_absolute_url())
    return done or render(
        request,
        "surveys/form.html",
        _form_context(form, None, _("Question"), questionnaire.get_absolute_url()),
    )


@require_POST
@require_perm("surveys.change_questionnaire")
def question_delete(
    request: HttpRequest, questionnaire_pk: int, pk: int
) -> HttpResponse:
    question = get_object_or_404(Question, pk=pk, questionnaire_id=questionnaire_pk)
    try:
        services.question_delete(question=question)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("surveys:questionnaire-detail", questionnaire_pk)


@require_perm("surveys.view_series")
def question_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A question with its options, its answers so far and the needs it
    measures (needs.NeedLink pointing at it)."""
    question = get_object_or_404(
        Question.objects.select_related("questionnaire__series", "section", "show_if"),
        pk=pk,
    )
    from django.contrib.contenttypes.models import ContentType

    from needs.models import NeedLink

    links = NeedLink.objects.filter(
        target_type=ContentType.objects.get_for_model(Question),
        target_id=str(question.pk),
    ).select_related("need")
    form = NeedLinkForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("needs.add_needlink"):
            raise PermissionDenied
        if form.is_valid():
            from needs import services as need_services
            from needs.models import NeedLink as Link

            try:
                need_services.link_add(
                    need=form.cleaned_data["need"],
                    target=question,
                    kind=Link.Kind.MEASURES,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The question now measures this need."))
                return redirect("surveys:question-detail", pk)
    return render(
        request,
        "surveys/question_detail.html",
        {
            "promises": question.promises.all(),
            "question": question,
            "options": question.options.all(),
            "answer_count": question.answers.count(),
            "links": links,
            "link_form": form if request.user.has_perm("needs.add_needlink") else None,
        },
    )


@require_perm("surveys.change_questionnaire")
def option_edit(request: HttpRequest, question_pk: int) -> HttpResponse:
    question = get_object_or_404(
        Question.objects.select_related("questionnaire"), pk=question_pk
    )
    last = question.options.order_by("-value").first()
    option = Option(
        question=question,
        order=question.options.count() + 1,
        value=(last.value + 1) if last else 1,
    )
    form = OptionForm(request.POST or None, instance=option)
    done = _guarded(
        request, form, lambda f: services.option_save(option=f.save(commit=False)),
        question.questionnaire.get_absolute_url(),
    )  # fmt: skip
    return done or render(
        request,
        "surveys/form.html",
        _form_context(
            form, None, _("Answer option"), question.questionnaire.get_absolute_url()
        ),
    )


@require_POST
@require_perm("surveys.change_questionnaire")
def option_delete(request: HttpRequest, pk: int) -> HttpResponse:
    option = get_object_or_404(
        Option.objects.select_related("question__questionnaire"), pk=pk
    )
    try:
        services.option_delete(option=option)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(option.question.questionnaire)


# --- The plan ----------------------------------------------------------------


def _wave(pk: int) -> Wave:
    return get_object_or_404(selectors.wave_detail(), pk=pk)


@require_perm("surveys.add_wave")
def wave_create(request: HttpRequest, series_pk: int) -> HttpResponse:
    series = get_object_or_404(Series, pk=series_pk)
    return _wave_form(
        request, Wave(series=series, questionnaire=series.questionnaires.first())
    )


@require_perm("surveys.change_wave")
def wave_update(request: HttpRequest, pk: int) -> HttpResponse:
    wave = _wave(pk)
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
        _form_context(
            form,
            wave,
            _("Survey plan"),
            wave.get_absolute_url() if wave.pk else wave.series.get_absolute_url(),
        ),
    )


@require_perm("surveys.view_wave")
def wave_detail(request: HttpRequest, pk: int) -> HttpResponse:
    wave = _wave(pk)
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
    wave = _wave(pk)
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
    wave = _wave(pk)
    # Approving without surveys.approve_wave raises PermissionDenied: 403.
    run_transition(request, services.WORKFLOW, wave)
    return redirect("surveys:wave-detail", pk)


# --- Distribution --------------------------------------------------------------


@require_POST
@require_perm("surveys.change_wave", "surveys.add_participant")
def wave_sample(request: HttpRequest, pk: int) -> HttpResponse:
    wave = _wave(pk)
    try:
        created = services.sample_draw(wave=wave)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(n)s participants drawn.") % {"n": created})
    return redirect("surveys:wave-detail", pk)


@require_perm("surveys.change_wave", "surveys.add_participant")
def wave_import(request: HttpRequest, pk: int) -> HttpResponse:
    wave = _wave(pk)
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
    wave = _wave(pk)
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
    wave = _wave(pk)
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
    wave = _wave(pk)
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
    wave = _wave(pk)
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


# --- Staff entry and export ----------------------------------------------------


@require_perm("surveys.enter_response")
def wave_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """Type in a phone interview or a paper questionnaire: all questions on
    one page, the same validation as the answer pages."""
    from .forms import AnswerForm

    wave = _wave(pk)
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
    wave = _wave(pk)
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
