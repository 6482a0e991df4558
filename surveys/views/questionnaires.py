"""The questionnaire builder: versions, sections, questions (with the needs
they measure) and answer options, and the preview of the answer pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qms.access import require_perm
from qms.forms import apply_validation_error

from .. import selectors, services
from ..forms import (
    NeedLinkForm,
    OptionForm,
    QuestionForm,
    QuestionnaireForm,
    SectionForm,
)
from ..models import LANGUAGES, Option, Question, Questionnaire, Section, Series, Wave
from ..public import answer_flow
from .common import form_context


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
        form_context(form, None, _("New questionnaire"), series.get_absolute_url()),
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
        form_context(form, questionnaire, str(questionnaire)),
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
        form_context(form, None, _("Section"), questionnaire.get_absolute_url()),
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
        form_context(form, None, _("Question"), questionnaire.get_absolute_url()),
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
        form_context(
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
