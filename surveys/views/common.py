"""Helpers the staff pages share."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from .. import selectors
from ..models import Wave


def form_context(form, obj, title: str, cancel: str = "") -> dict:
    return {
        "form": form,
        "object": obj,
        "title": title,
        "cancel_url": cancel
        or (obj.get_absolute_url() if getattr(obj, "pk", None) else "/surveys/"),
    }


def wave_or_404(pk: int) -> Wave:
    return get_object_or_404(selectors.wave_detail(), pk=pk)
