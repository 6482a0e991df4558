"""The public customer charter (no login): published promises in the
visitor's language, with the remedy if a promise is broken."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from qms.access import public
from qms.models import Language

from . import selectors


def charter_language(request: HttpRequest) -> str:
    """``?lang=`` chosen on the page, else the request's language (cookie or
    Accept-Language, resolved by LocaleMiddleware), else Estonian."""
    chosen = request.GET.get("lang", "")
    if chosen in Language.values:
        return chosen
    code = (translation.get_language() or "").split("-")[0]
    return code if code in Language.values else Language.ESTONIAN


@public
def charter(request: HttpRequest) -> HttpResponse:
    language = charter_language(request)
    with translation.override(language):
        promises = [
            {
                "promise": p,
                "text": p.text_for(language),
                "remedy": p.remedy_for(language),
                "channels": [c.name for c in p.channels.all()],
            }
            for p in selectors.charter_promises()
        ]
        response = render(
            request,
            "promises/charter.html",
            {
                "promises": promises,
                "language": language,
                "languages": Language.choices,
            },
        )
    response["Content-Language"] = language
    return response
