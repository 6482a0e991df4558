"""Attachments: checked by content, stored outside static/, served only to
those allowed to see the case."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename

from qms.uploads import validate_upload

from .models import Attachment, Case, Message


def attachment_add(
    *, case: Case, upload: UploadedFile, by=None, message: Message | None = None
) -> Attachment:
    """Validate and store an uploaded file on a case."""
    content_type = validate_upload(upload)
    name = get_valid_filename(upload.name or "attachment")[:200] or "attachment"
    attachment = Attachment(
        case=case,
        message=message,
        original_name=name,
        content_type=content_type,
        size=upload.size,
        uploaded_by=by if by is not None and by.is_authenticated else None,
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    return attachment
