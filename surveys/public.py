"""Answer pages reachable without signing in: the personal link /s/<token>/,
the open public link /s/p/<public_token>/, their thank-you pages and the
opt-out page.

One section per page; progress is saved after every page (on the
participant for a personal link, in the session for the public link), so a
respondent can come back later. The public link is protected against
repeated answers from the same browser by a signed cookie whose keyed hash is
stored on the response (see :func:`surveys.services.public_fingerprint`):
someone who clears their cookies or uses a second browser can answer again —
the public link is for open opinion polls, not for measured samples.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from qms.access import public

from . import selectors, services
from .forms import AnswerForm
from .models import LANGUAGES, Participant, Question, Response, Wave

D = Participant.Disposition
COOKIE = "qms_survey_browser"
COOKIE_SALT = "surveys.public"
COOKIE_MAX_AGE = 365 * 24 * 3600
SESSION_KEY = "survey-public-{pk}"

STATE_CLOSED = "closed"
STATE_NOT_OPEN = "not_open"
STATE_USED = "used"
STATE_EXPIRED = "expired"
STATE_OPTED_OUT = "opted_out"
STATE_UNKNOWN = "unknown"

STATE_MESSAGES = {
    STATE_CLOSED: (
        _("This survey is closed"),
        _(
            "The survey has ended and no longer accepts answers. "
            "Thank you for your interest."
        ),
    ),
    STATE_NOT_OPEN: (
        _("This survey is not open yet"),
        _("The survey has not started yet. Please come back when it opens."),
    ),
    STATE_USED: (
        _("This link has already been used"),
        _(
            "An answer has already been given with this link. "
            "Each link can be used once. Thank you!"
        ),
    ),
    STATE_EXPIRED: (
        _("This link has expired"),
        _("The personal link is no longer valid."),
    ),
    STATE_OPTED_OUT: (
        _("You have opted out"),
        _(
            "You have asked not to take part in our surveys, "
            "so this link no longer works."
        ),
    ),
    STATE_UNKNOWN: (
        _("Unknown link"),
        _(
            "This survey link is not valid. "
            "Please check that you copied the whole address."
        ),
    ),
}


def wave_state(wave: Wave) -> str | None:
    """Why a wave does not accept answers now, or None when it does."""
    today = timezone.localdate()
    if wave.status in (Wave.Status.CLOSED, Wave.Status.CANCELLED):
        return STATE_CLOSED
    if wave.closes_on and wave.closes_on < today:
        return STATE_CLOSED
    if wave.status != Wave.Status.FIELDWORK:
        return STATE_NOT_OPEN
    if wave.opens_on and wave.opens_on > today:
        return STATE_NOT_OPEN
    return None


def participant_state(participant: Participant) -> str | None:
    if participant.disposition == D.COMPLETE:
        return STATE_USED
    if participant.disposition == D.OPTED_OUT:
        return STATE_OPTED_OUT
    state = wave_state(participant.wave)
    if state:
        return state
    if participant.expires_at and participant.expires_at < timezone.now():
        return STATE_EXPIRED
    return None


def _state_page(request: HttpRequest, state: str, language: str) -> HttpResponse:
    title, text = STATE_MESSAGES[state]
    status = 404 if state == STATE_UNKNOWN else 410 if state != STATE_NOT_OPEN else 200
    with translation.override(language):
        return render(
            request,
            "surveys/public/state.html",
            {"title": title, "text": text, "state": state, "language": language},
            status=status,
        )


def _language(request: HttpRequest, default: str) -> str:
    chosen = request.GET.get("lang", "")
    if chosen in LANGUAGES:
        return chosen
    return default if default in LANGUAGES else "et"


def _request_language() -> str:
    code = (translation.get_language() or "et")[:2]
    return code if code in LANGUAGES else "et"


def _incomplete_page(pages: list[list[Question]], values: dict) -> int | None:
    """The first page with a visible required question left unanswered."""
    for number, questions in enumerate(pages):
        for question in questions:
            if (
                question.required
                and services.visible(question, values)
                and values.get(question.code) in (None, "", [])
            ):
                return number
    return None


def answer_flow(
    request: HttpRequest,
    *,
    wave: Wave,
    language: str,
    draft: dict,
    save: Callable[[dict, int], None] | None,
    submit: Callable[[dict, list[Question]], object] | None,
    base_url: str,
    preview: bool = False,
    extra: dict | None = None,
) -> HttpResponse:
    """One page of a questionnaire: show it, validate it, keep the progress,
    and on the last page submit everything. ``save``/``submit`` are None in
    the preview, which never stores anything."""
    pages = selectors.pages_of(wave.questionnaire)
    if not pages:
        return _state_page(request, STATE_NOT_OPEN, language)
    last = len(pages) - 1
    try:
        page = int(request.GET.get("page", draft.get("_page", 0)))
    except (TypeError, ValueError):
        page = 0
    page = max(0, min(page, last))
    on_page = {q.code for q in pages[page]}
    previous = {
        k: v for k, v in draft.items() if not k.startswith("_") and k not in on_page
    }
    initial = {k: v for k, v in draft.items() if k in on_page}

    def url(number: int) -> str:
        return f"{base_url}?page={number}&lang={language}"

    with translation.override(language):
        if request.method == "POST" and not preview:
            if "back" in request.POST:
                return redirect(url(max(0, page - 1)))
            form = AnswerForm(
                request.POST,
                questions=pages[page],
                language=language,
                previous=previous,
            )
            if form.is_valid():
                values = form.values()
                if page < last:
                    save(values, page + 1)
                    return redirect(url(page + 1))
                missing = _incomplete_page(pages, values)
                if missing is not None and missing != page:
                    save(values, missing)
                    return redirect(url(missing))
                try:
                    submit(values, [q for questions in pages for q in questions])
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    return redirect(f"{base_url}thanks/?lang={language}")
        else:
            form = AnswerForm(
                initial=initial,
                questions=pages[page],
                language=language,
                previous=previous,
            )
        sections = [questions[0].section for questions in pages]
        section = sections[page]
        return render(
            request,
            "surveys/public/answer.html",
            {
                "wave": wave,
                "form": form,
                "items": form.items(),
                "page": page,
                "page_number": page + 1,
                "page_count": len(pages),
                "progress": round(100 * page / len(pages)),
                "is_last": page == last,
                "section_title": section.title(language) if section else "",
                "intro": wave.questionnaire.intro(language) if page == 0 else "",
                "language": language,
                "languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
                "base_url": base_url,
                "prev_url": url(page - 1) if page > 0 else "",
                "next_url": url(page + 1) if page < last else "",
                "preview": preview,
                **(extra or {}),
            },
        )


LANGUAGE_NAMES = {"et": "Eesti", "en": "English", "ru": "Русский"}


def _participant(token: str) -> Participant | None:
    return (
        Participant.objects.select_related("wave__questionnaire", "group")
        .filter(token=token)
        .first()
    )


@public
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    participant = _participant(token)
    if participant is None:
        return _state_page(request, STATE_UNKNOWN, _request_language())
    language = _language(request, participant.language)
    state = participant_state(participant)
    if state:
        return _state_page(request, state, language)
    wave = participant.wave
    if request.method == "GET":
        services.participant_opened(participant=participant)
        if participant.language != language:
            participant.language = language
            participant.save(update_fields=["language"])

    def save(values: dict, page: int) -> None:
        services.draft_save(participant=participant, values=values, page=page)

    def submit(values: dict, questions: list[Question]) -> Response:
        return services.response_submit(
            wave=wave,
            questions=questions,
            values=values,
            language=language,
            source=(
                Response.Source.POST_COMPLAINT
                if participant.case_id
                else Response.Source.PERSONAL_LINK
            ),
            participant=participant,
        )

    return answer_flow(
        request,
        wave=wave,
        language=language,
        draft=participant.draft,
        save=save,
        submit=submit,
        base_url=reverse("surveys_public:answer", args=[token]),
        extra={"opt_out_url": reverse("surveys_public:opt-out", args=[token])},
    )


@public
def answer_thanks(request: HttpRequest, token: str) -> HttpResponse:
    participant = _participant(token)
    language = _language(request, participant.language if participant else "et")
    if participant is None or participant.disposition != D.COMPLETE:
        return _state_page(request, STATE_UNKNOWN, language)
    with translation.override(language):
        return render(request, "surveys/public/thanks.html", {"wave": participant.wave})


@public
@require_http_methods(["GET", "POST"])
def opt_out(request: HttpRequest, token: str) -> HttpResponse:
    participant = _participant(token)
    if participant is None:
        return _state_page(request, STATE_UNKNOWN, _request_language())
    language = _language(request, participant.language)
    done = participant.disposition == D.OPTED_OUT
    if request.method == "POST" and not done:
        services.participant_opt_out(participant=participant)
        done = True
    with translation.override(language):
        return render(
            request,
            "surveys/public/opt_out.html",
            {"participant": participant, "done": done, "language": language},
        )


def _browser_id(request: HttpRequest) -> tuple[str, bool]:
    """The browser's repeat-protection id from its signed cookie, or a new one
    (second value True when the cookie must be set)."""
    value = request.get_signed_cookie(COOKIE, default=None, salt=COOKIE_SALT)
    if value:
        return value, False
    return secrets.token_urlsafe(24), True


def _set_browser_cookie(response: HttpResponse, value: str) -> HttpResponse:
    response.set_signed_cookie(
        COOKIE,
        value,
        salt=COOKIE_SALT,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


@public
@require_http_methods(["GET", "POST"])
def public_answer(request: HttpRequest, public_token: str) -> HttpResponse:
    wave = (
        Wave.objects.select_related("questionnaire")
        .filter(public_token=public_token, public_link=True)
        .first()
    )
    if wave is None:
        return _state_page(request, STATE_UNKNOWN, _request_language())
    key = SESSION_KEY.format(pk=wave.pk)
    stored = request.session.get(key, {})
    language = _language(request, stored.get("_lang") or _request_language())
    state = wave_state(wave)
    if state:
        return _state_page(request, state, language)
    browser_id, new_cookie = _browser_id(request)
    fingerprint = services.public_fingerprint(wave, browser_id)
    if (
        not new_cookie
        and Response.objects.filter(wave=wave, public_fingerprint=fingerprint).exists()
    ):
        return _state_page(request, STATE_USED, language)
    if stored.get("_lang") != language:
        stored["_lang"] = language
        request.session[key] = stored

    def save(values: dict, page: int) -> None:
        request.session[key] = {
            **stored,
            **values,
            "_page": page,
            "_started": stored.get("_started") or timezone.now().isoformat(),
        }

    def submit(values: dict, questions: list[Question]) -> Response:
        started = stored.get("_started")
        response = services.response_submit(
            wave=wave,
            questions=questions,
            values=values,
            language=language,
            source=Response.Source.PUBLIC_LINK,
            started_at=(datetime.datetime.fromisoformat(started) if started else None),
            fingerprint=fingerprint,
        )
        request.session.pop(key, None)
        return response

    response = answer_flow(
        request,
        wave=wave,
        language=language,
        draft=stored,
        save=save,
        submit=submit,
        base_url=reverse("surveys_public:public-answer", args=[public_token]),
    )
    if new_cookie:
        _set_browser_cookie(response, browser_id)
    return response


@public
def public_thanks(request: HttpRequest, public_token: str) -> HttpResponse:
    wave = get_object_or_404(Wave, public_token=public_token, public_link=True)
    language = _language(request, _request_language())
    with translation.override(language):
        return render(request, "surveys/public/thanks.html", {"wave": wave})
