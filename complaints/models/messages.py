"""What is said to and by the customer, and the files that come with it."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qms.models import Channel

from .cases import Case


class Message(models.Model):
    """Everything said to or by the customer, and internal notes kept apart."""

    class Direction(models.TextChoices):
        INCOMING = "in", _("From the customer")
        OUTGOING = "out", _("To the customer")
        NOTE = "note", _("Internal note")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(
        _("direction"), max_length=5, choices=Direction.choices
    )
    channel = models.ForeignKey(
        Channel,
        verbose_name=_("channel"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    to_address = models.CharField(_("sent to"), max_length=300, blank=True)
    from_address = models.CharField(_("from"), max_length=300, blank=True)
    template = models.CharField(_("template"), max_length=40, blank=True)
    # Message-ID of an e-mail, so the same message is never imported twice.
    external_id = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~Q(external_id=""),
                name="message_external_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.get_direction_display()} {self.at:%Y-%m-%d}"


def _attachment_path(instance: Attachment, filename: str) -> str:
    # Random directory: names never collide and cannot be guessed.
    return f"cases/{instance.case.received_at:%Y}/{secrets.token_hex(16)}/{filename}"


class Attachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        Message,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("complaints:attachment", args=[self.case.reference, self.pk])
