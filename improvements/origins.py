"""Origin references: ``<app_label>.<model>:<pk>`` strings that point at any
record (a case, a root-cause analysis, a survey result) without this app
importing the area that owns it."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

ERR_BAD_ORIGIN = _("The record this proposal comes from could not be found.")


def origin_ref(obj: models.Model) -> str:
    meta = obj._meta
    return f"{meta.app_label}.{meta.model_name}:{obj.pk}"


def resolve(ref: str) -> tuple[ContentType, models.Model]:
    """The content type and record of ``ref``; ``ValidationError`` when the
    reference is malformed or either does not exist."""
    try:
        label, pk = ref.split(":", 1)
        app_label, model = label.split(".", 1)
        content_type = ContentType.objects.get_by_natural_key(app_label, model)
        model_class = content_type.model_class()
        if model_class is None:
            raise ContentType.DoesNotExist
        obj = model_class._default_manager.get(pk=pk)
    except (ValueError, TypeError, ValidationError, ObjectDoesNotExist):
        raise ValidationError(ERR_BAD_ORIGIN, code="bad_origin") from None
    return content_type, obj


def link_of(obj: models.Model | None) -> str | None:
    """The record's page, when it has one."""
    if obj is None:
        return None
    get_url = getattr(obj, "get_absolute_url", None)
    try:
        return get_url() if get_url else None
    except Exception:
        return None
