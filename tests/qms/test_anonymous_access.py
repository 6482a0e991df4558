"""Every page needs a login except those marked public: walk all URL patterns."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Views a visitor may open without signing in (by URL name).
PUBLIC = {
    "login",
    "healthz",
    "set_language",
    "complaints_public:case-create",
    "complaints_public:case-thanks",
    "complaints_public:case-status",
    "complaints_public:status-lookup",
    "promises:charter",
    "surveys_public:answer",
    "surveys_public:answer-thanks",
    "surveys_public:opt-out",
    "surveys_public:public-answer",
    "surveys_public:public-thanks",
}
# Machine clients authenticate per request and get 401/403, not a redirect.
API_PREFIX = ("api:", "standards_api:")
SAMPLE_ARGS = {"int": "1", "str": "K-2026-000001", "slug": "x", "path": "x"}


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            yield from _walk(
                entry,
                prefix + str(entry.pattern),
                f"{namespace}{ns}:" if ns else namespace,
            )
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name or ''}", prefix + str(entry.pattern)


def _concrete(route: str) -> str | None:
    """A request path for a route, with sample values for its parameters."""
    if route.startswith("^") or "(?P" in route:
        return None  # regex routes (admin internals, static) are skipped
    path = re.sub(
        r"<(?:(\w+):)?\w+>", lambda m: SAMPLE_ARGS.get(m.group(1) or "str", "x"), route
    )
    return "/" + path


ROUTES = sorted(
    {
        (name, path)
        for name, route in _walk(get_resolver())
        if (path := _concrete(route)) is not None and not name.startswith("admin:")
    }
)


def test_the_walk_finds_the_pages():
    names = {name for name, _path in ROUTES}
    assert "complaints:case-list" in names
    assert "improvements:home" in names
    assert len(ROUTES) > 80


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "path"), ROUTES)
def test_anonymous_visitors_are_refused_except_on_public_pages(client, name, path):
    response = client.get(path)
    if name in PUBLIC:
        assert response.status_code != 302 or "/accounts/login/" not in response.get(
            "Location", ""
        )
        return
    if name.startswith(API_PREFIX):
        assert response.status_code in (401, 403), name
        return
    assert response.status_code == 302, (name, path, response.status_code)
    assert response["Location"].startswith("/accounts/login/"), name
