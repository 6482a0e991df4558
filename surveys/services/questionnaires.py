"""Questionnaire versions and their sections, questions and options: edited
only while unlocked; a locked version is changed by copying it into a new
one."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ..models import Option, Question, Questionnaire, Section, Series

ERR_LOCKED = _(
    "This questionnaire version already has answers and is locked; make a new "
    "version to change it."
)
ERR_CODE_TAKEN = _("Another question of this version already has this code.")
ERR_SHOW_IF_LATER = _("A question can only depend on an earlier question.")
ERR_SHOW_IF_TYPE = _(
    "Conditions work on scale and single-choice questions (compared by value)."
)


def _check_unlocked(questionnaire: Questionnaire) -> None:
    if questionnaire.locked:
        raise ValidationError(ERR_LOCKED)


def questionnaire_create(
    *, series: Series, title: str, by, intro_en: str = "", intro_et: str = "",
    intro_ru: str = "",
) -> Questionnaire:  # fmt: skip
    last = series.questionnaires.order_by("-version").first()
    questionnaire = Questionnaire(
        series=series,
        version=(last.version + 1) if last else 1,
        title=title,
        intro_en=intro_en,
        intro_et=intro_et,
        intro_ru=intro_ru,
        created_by=by,
    )
    questionnaire.full_clean()
    questionnaire.save()
    return questionnaire


def questionnaire_save(*, questionnaire: Questionnaire) -> Questionnaire:
    if questionnaire.pk:
        stored = Questionnaire.objects.get(pk=questionnaire.pk)
        _check_unlocked(stored)
    questionnaire.full_clean()
    questionnaire.save()
    return questionnaire


def section_save(*, section: Section) -> Section:
    _check_unlocked(section.questionnaire)
    section.full_clean()
    section.save()
    return section


def section_delete(*, section: Section) -> None:
    _check_unlocked(section.questionnaire)
    section.delete()


def question_save(*, question: Question) -> Question:
    """Validate and save a question of an unlocked version: a unique code, and
    a condition only on an earlier scale or single-choice question."""
    questionnaire = question.questionnaire
    _check_unlocked(questionnaire)
    taken = questionnaire.questions.filter(code=question.code)
    if question.pk:
        taken = taken.exclude(pk=question.pk)
    if taken.exists():
        raise ValidationError({"code": ERR_CODE_TAKEN})
    if question.show_if_id:
        parent = question.show_if
        if parent.questionnaire_id != questionnaire.pk or parent.pk == question.pk:
            raise ValidationError({"show_if": ERR_SHOW_IF_LATER})
        if parent.type not in Question.INTEGER_TYPES:
            raise ValidationError({"show_if": ERR_SHOW_IF_TYPE})
        if _position(parent) >= _position(question):
            raise ValidationError({"show_if": ERR_SHOW_IF_LATER})
        question.show_if_values = sorted({int(v) for v in question.show_if_values})
    else:
        question.show_if_values = []
    question.full_clean(validate_constraints=False)
    question.save()
    return question


def _position(question: Question) -> tuple[int, int, int]:
    section = question.section
    return (
        section.order if section else 10**6,
        question.order,
        question.pk or 10**9,
    )


def question_delete(*, question: Question) -> None:
    _check_unlocked(question.questionnaire)
    question.delete()


def option_save(*, option: Option) -> Option:
    _check_unlocked(option.question.questionnaire)
    option.full_clean()
    option.save()
    return option


def option_delete(*, option: Option) -> None:
    _check_unlocked(option.question.questionnaire)
    option.delete()


@transaction.atomic
def questionnaire_new_version(*, questionnaire: Questionnaire, by) -> Questionnaire:
    """Copy a version with its sections, questions (same codes), conditions and
    options into the next version number, unlocked."""
    last = questionnaire.series.questionnaires.order_by("-version").first()
    copy = Questionnaire.objects.create(
        series=questionnaire.series,
        version=last.version + 1,
        title=questionnaire.title,
        intro_en=questionnaire.intro_en,
        intro_et=questionnaire.intro_et,
        intro_ru=questionnaire.intro_ru,
        based_on=questionnaire,
        created_by=by,
    )
    section_map: dict[int, Section] = {}
    for section in questionnaire.sections.all():
        old_pk = section.pk
        section.pk = None
        section.questionnaire = copy
        section.save()
        section_map[old_pk] = section
    question_map: dict[int, Question] = {}
    old_questions = list(
        questionnaire.questions.prefetch_related("options", "promises")
    )
    for question in old_questions:
        old_pk = question.pk
        options = list(question.options.all())
        promises = list(question.promises.all())
        show_if_id = question.show_if_id
        question.pk = None
        question.questionnaire = copy
        question.section = section_map.get(question.section_id)
        question.show_if = None
        question.save()
        question._old_show_if = show_if_id
        # The prefetched links belong to the old row.
        question._prefetched_objects_cache = {}
        question.promises.add(*promises)
        question_map[old_pk] = question
        Option.objects.bulk_create(
            [
                Option(
                    question=question,
                    order=o.order,
                    value=o.value,
                    label_en=o.label_en,
                    label_et=o.label_et,
                    label_ru=o.label_ru,
                )
                for o in options
            ]
        )
    for question in question_map.values():
        if question._old_show_if:
            question.show_if = question_map[question._old_show_if]
            question.save(update_fields=["show_if"])
    return copy
