"""What several survey models share: the answer languages, link tokens and
texts kept in three languages."""

from __future__ import annotations

import secrets

from django.utils import translation

LANGUAGES = ("et", "en", "ru")


def new_token() -> str:
    """An unguessable personal link token (256 bits)."""
    return secrets.token_urlsafe(32)


class TranslatedText:
    """Pick ``<prefix>_<lang>`` for the active language, falling back to
    English, then Estonian."""

    @staticmethod
    def pick(obj, prefix: str, language: str | None = None) -> str:
        language = (language or translation.get_language() or "en")[:2]
        for code in (language, "en", "et", "ru"):
            value = getattr(obj, f"{prefix}_{code}", "")
            if value:
                return value
        return ""
