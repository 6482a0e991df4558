"""Staff pages for importing historical cases from a CSV file: upload, check
(a dry run with a preview), confirm."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from qms.access import require_perm

from .importing import COLUMNS, PREVIEW_LIMIT, REQUIRED_COLUMNS, import_cases

SESSION_KEY = "complaints_import"
IMPORT_MAX_BYTES = 20 * 1024 * 1024
# Uploaded files nobody confirmed are removed after this long.
PENDING_MAX_AGE_SECONDS = 24 * 3600

ERR_TOO_LARGE = _("The file is larger than %(limit)s MB.")
ERR_EXPIRED = _("The checked file is no longer available. Please upload it again.")


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8, separated by commas or semicolons, with a header row. "
            "Nothing is saved before you have checked the preview."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                ERR_TOO_LARGE % {"limit": IMPORT_MAX_BYTES // 1024 // 1024}
            )
        return upload


def _pending_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _pending_path(token: str) -> Path:
    return _pending_dir() / f"{token}.csv"


def _store_pending(upload: UploadedFile) -> str:
    """Keep the upload until it is confirmed; returns the token naming it."""
    directory = _pending_dir()
    directory.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - PENDING_MAX_AGE_SECONDS
    for old in directory.glob("*.csv"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    with _pending_path(token).open("wb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    return token


def _discard_pending(request: HttpRequest) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        _pending_path(pending["token"]).unlink(missing_ok=True)


def _preview(request: HttpRequest, result, *, name: str, token: str = ""):
    return render(
        request,
        "complaints/import_preview.html",
        {
            "result": result,
            "rows": result.rows[:PREVIEW_LIMIT],
            "name": name,
            "token": token,
            "form": ImportUploadForm(),
        },
    )


def _upload_page(request: HttpRequest, form: ImportUploadForm) -> HttpResponse:
    return render(
        request,
        "complaints/import.html",
        {"form": form, "columns": COLUMNS, "required_columns": REQUIRED_COLUMNS},
    )


@require_perm("complaints.add_case")
@require_http_methods(["GET", "POST"])
def case_import(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm()
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            _discard_pending(request)
            upload = form.cleaned_data["file"]
            token = _store_pending(upload)
            with _pending_path(token).open("rb") as file:
                result = import_cases(file, dry_run=True, by=request.user)
            if not result.ok:
                _pending_path(token).unlink(missing_ok=True)
                return _preview(request, result, name=upload.name)
            request.session[SESSION_KEY] = {"token": token, "name": upload.name}
            return _preview(request, result, name=upload.name, token=token)
    return _upload_page(request, form)


@require_perm("complaints.add_case")
@require_POST
def case_import_confirm(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(SESSION_KEY)
    # The file is found through the session, never through a posted path.
    if not pending or not secrets.compare_digest(
        request.POST.get("token", ""), pending["token"]
    ):
        messages.error(request, ERR_EXPIRED)
        return redirect("complaints:case-import")
    path = _pending_path(pending["token"])
    if not path.exists():
        request.session.pop(SESSION_KEY, None)
        messages.error(request, ERR_EXPIRED)
        return redirect("complaints:case-import")
    with path.open("rb") as file:
        result = import_cases(file, dry_run=False, by=request.user)
    _discard_pending(request)
    if not result.ok:
        # Something changed since the check (e.g. a reference was taken).
        return _preview(request, result, name=pending["name"])
    messages.success(
        request,
        ngettext(
            "%(count)d case imported.", "%(count)d cases imported.", result.created
        )
        % {"count": result.created},
    )
    return redirect("complaints:home")
