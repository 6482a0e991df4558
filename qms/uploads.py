"""Uploaded files are checked by their content (magic bytes), not their name,
against the limits in settings (ATTACHMENT_MAX_BYTES, ATTACHMENT_ALLOWED_TYPES).
Shared by every app that accepts files."""

from __future__ import annotations

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

ERR_TOO_LARGE = _("The file is larger than %(limit)s MB.")
ERR_TYPE_NOT_ALLOWED = _(
    "Files of this type cannot be attached (detected: %(type)s). "
    "Allowed: PDF, images, text and Office documents."
)
ERR_EMPTY = _("The file is empty.")

# How much of the file is read to recognise its type.
SNIFF_BYTES = 8192


def detect_type(head: bytes) -> str:
    """The content type recognised from the file's first bytes; plain text is
    UTF-8 without NUL bytes. ``application/octet-stream`` when unknown."""
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            # A multi-byte character cut at the end of the sample is still text.
            if error.start < len(head) - 4:
                return "application/octet-stream"
        return "text/plain"
    return "application/octet-stream"


def validate_upload(upload: UploadedFile) -> str:
    """Check size and content; return the detected content type."""
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size == 0:
        raise ValidationError(ERR_EMPTY)
    if upload.size > limit:
        raise ValidationError(ERR_TOO_LARGE % {"limit": round(limit / 1024 / 1024, 1)})
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    detected = detect_type(head)
    if detected not in settings.ATTACHMENT_ALLOWED_TYPES:
        raise ValidationError(ERR_TYPE_NOT_ALLOWED % {"type": detected})
    return detected
