"""The content-addressed chart cache (see the package docstring)."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Iterator, Mapping

import matplotlib
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

# Part of every cache key: bump it when a chart function draws differently
# for the same arguments, so no SVG of the old drawing is served.
CACHE_VERSION = 1
DEFAULT_CACHE_SECONDS = 24 * 3600


def _cache_seconds() -> int:
    return int(getattr(settings, "QMS_CHART_CACHE_SECONDS", DEFAULT_CACHE_SECONDS))


def _plain(value):
    """Arguments as JSON-able data for the key; one-shot iterators become
    lists (they are passed on as lists too, see :func:`cached_chart`)."""
    if isinstance(value, Mapping):
        return [[str(k), _plain(v)] for k, v in value.items()]
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    # Lazy translations, numpy numbers: their text with their type, so a
    # string never collides with a number of the same spelling.
    return f"{type(value).__name__}:{value}"


def cache_key(name: str, args: tuple, kwargs: dict) -> str:
    """The cache key of chart ``name`` drawn from ``args``/``kwargs`` in the
    active language."""
    payload = json.dumps(
        [
            CACHE_VERSION,
            matplotlib.__version__,
            name,
            translation.get_language() or "",
            _plain(list(args)),
            sorted((k, _plain(v)) for k, v in kwargs.items()),
        ],
        allow_nan=True,
        separators=(",", ":"),
    )
    return "qms-chart:" + hashlib.sha256(payload.encode()).hexdigest()


def cached_chart(function: Callable[..., str]) -> Callable[..., str]:
    """Serve ``function``'s SVG from the cache when it was drawn from equal
    arguments in the same language; draw and store it otherwise."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs) -> str:
        args = tuple(list(a) if isinstance(a, Iterator) else a for a in args)
        kwargs = {
            k: list(v) if isinstance(v, Iterator) else v for k, v in kwargs.items()
        }
        seconds = _cache_seconds()
        if seconds <= 0:
            return function(*args, **kwargs)
        key = cache_key(function.__qualname__, args, kwargs)
        svg = cache.get(key)
        if svg is None:
            svg = function(*args, **kwargs)
            cache.set(key, svg, seconds)
        return svg

    wrapper.uncached = function  # type: ignore[attr-defined]
    return wrapper
