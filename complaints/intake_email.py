"""E-mail intake: turn messages in the complaints mailbox into cases, or into
new entries of an existing case when they quote its reference.

The mailbox is named by a URL (``settings.COMPLAINTS_MAIL_URL``):
``imaps://user:password@host:993/INBOX`` reads unseen messages over IMAP/SSL and
marks them seen once stored; ``maildir:///path/to/Maildir`` reads ``new/`` and
moves each processed message to ``cur/``.

Every message is stored under its Message-ID (``Message.external_id``), so a
message is never imported twice, however often the fetch runs.
"""

from __future__ import annotations

import datetime
import email
import email.policy
import hashlib
import html
import imaplib
import logging
import mailbox
import re
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from qms.models import Channel, Customer, Language, OrgUnit

from . import services
from .attachments import attachment_add
from .models import Case, Message

logger = logging.getLogger(__name__)

ERR_NO_MAILBOX = "COMPLAINTS_MAIL_URL is not set: there is no mailbox to read."
ERR_BAD_URL = (
    "COMPLAINTS_MAIL_URL must start with imaps:// or maildir:// (got %(scheme)r)."
)
ERR_NO_SENDER = "the message has no usable From address"
ERR_UNDECODABLE = "the message text cannot be decoded"
NOTE_ATTACHMENT_REFUSED = _(
    "The attachment “%(name)s” of the e-mail was not stored: %(reason)s"
)
NO_TEXT = _("(The e-mail contained no text.)")

REFERENCE_RE = re.compile(r"\bK-\d{4}-\d{6}\b")
# A Date header further back than this is not trusted as the time of receipt.
MAX_DATE_AGE = datetime.timedelta(days=30)
EXTERNAL_ID_MAX = Message._meta.get_field("external_id").max_length

CREATED, THREADED, SKIPPED = "created", "threaded", "skipped"


@dataclass
class Summary:
    created: int = 0
    threaded: int = 0
    skipped: int = 0
    errors: int = 0

    def __str__(self) -> str:
        return (
            f"{self.created} new case(s), {self.threaded} added to existing cases, "
            f"{self.skipped} skipped, {self.errors} error(s)"
        )


class MalformedMessage(Exception):
    """The message cannot become a case; it is logged and skipped."""


def default_intake_unit() -> OrgUnit:
    """The unit that receives cases from the public form, the API and e-mail:
    the unit with code ``service`` if there is one, else the root unit."""
    unit = (
        OrgUnit.objects.filter(code="service").first()
        or OrgUnit.objects.filter(parent=None).order_by("pk").first()
    )
    if unit is None:
        raise ImproperlyConfigured("There is no organisation unit to receive cases.")
    return unit


# --- Parsing -----------------------------------------------------------------


@dataclass
class ParsedMail:
    external_id: str
    sender_name: str
    sender_email: str
    from_header: str
    to_header: str
    subject: str
    body: str
    sent_at: datetime.datetime | None
    attachments: list[tuple[str, bytes, str]]


def _external_id(message: EmailMessage, raw: bytes) -> str:
    message_id = str(message.get("Message-ID") or "").strip()
    if not message_id or len(message_id) > EXTERNAL_ID_MAX:
        return "sha256:" + hashlib.sha256(raw).hexdigest()
    return message_id


def _html_to_text(markup: str) -> str:
    markup = re.sub(r"(?is)<(script|style).*?</\1>", "", markup)
    markup = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</li>|</tr>", "\n", markup)
    text = html.unescape(strip_tags(markup))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _sent_at(message: EmailMessage) -> datetime.datetime | None:
    header = message.get("Date")
    moment = getattr(header, "datetime", None)
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def parse_mail(raw: bytes) -> ParsedMail:
    """Read what intake needs from a raw message; MalformedMessage if it lacks a
    sender or its text cannot be decoded."""
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        from_header = message.get("From")
        addresses = getattr(from_header, "addresses", ()) if from_header else ()
        if not addresses or not addresses[0].addr_spec:
            raise MalformedMessage(ERR_NO_SENDER)
        sender = addresses[0]
        try:
            validate_email(sender.addr_spec)
        except ValidationError as error:
            raise MalformedMessage(ERR_NO_SENDER) from error
        subject = " ".join(str(message.get("Subject") or "").split())
        body_part = message.get_body(preferencelist=("plain", "html"))
        body = ""
        if body_part is not None:
            content = body_part.get_content()
            if body_part.get_content_subtype() == "html":
                content = _html_to_text(content)
            body = content.strip()
        attachments = []
        for part in message.walk():
            if part is body_part or part.is_multipart():
                continue
            filename = part.get_filename()
            if not filename and part.get_content_disposition() != "attachment":
                continue
            data = part.get_payload(decode=True) or b""
            attachments.append(
                (filename or "attachment", data, part.get_content_type())
            )
        return ParsedMail(
            external_id=_external_id(message, raw),
            sender_name=(sender.display_name or "").strip(),
            sender_email=sender.addr_spec.strip(),
            from_header=str(from_header),
            to_header=str(message.get("To") or ""),
            subject=subject,
            body=body,
            sent_at=_sent_at(message),
            attachments=attachments,
        )
    except MalformedMessage:
        raise
    except (LookupError, UnicodeError, ValueError, TypeError, AttributeError) as error:
        # Unknown charsets, broken encodings and unparsable headers.
        raise MalformedMessage(f"{ERR_UNDECODABLE} ({error})") from error


# --- Storing -----------------------------------------------------------------


def _received_at(parsed: ParsedMail, now: datetime.datetime) -> datetime.datetime:
    """The Date header when it is plausible, else now: a sender's clock can be
    wrong, and a forged old date must not push a case into a past year."""
    if parsed.sent_at and now - MAX_DATE_AGE <= parsed.sent_at <= now:
        return parsed.sent_at
    return now


def _find_case(parsed: ParsedMail) -> Case | None:
    references = REFERENCE_RE.findall(parsed.subject) + REFERENCE_RE.findall(
        parsed.body
    )
    if not references:
        return None
    found = {c.reference: c for c in Case.objects.filter(reference__in=references)}
    return next((found[r] for r in references if r in found), None)


def _store_attachments(case: Case, message: Message, parsed: ParsedMail) -> None:
    for name, data, content_type in parsed.attachments:
        upload = SimpleUploadedFile(name, data, content_type=content_type)
        try:
            attachment_add(case=case, upload=upload, by=None, message=message)
        except ValidationError as error:
            services.message_add(
                case=case,
                direction=Message.Direction.NOTE,
                body=str(NOTE_ATTACHMENT_REFUSED)
                % {"name": name, "reason": " ".join(error.messages)},
                by=None,
            )


def _language_for(customer: Customer | None) -> str:
    if customer is not None:
        return customer.preferred_language
    return Language.ESTONIAN


def import_message(raw: bytes) -> str:
    """Store one raw e-mail: a new case, or a message on the case it quotes.
    Returns CREATED, THREADED or SKIPPED (already imported); raises
    MalformedMessage for a message that cannot be read."""
    parsed = parse_mail(raw)
    if Message.objects.filter(external_id=parsed.external_id).exists():
        return SKIPPED
    now = timezone.now()
    at = _received_at(parsed, now)
    channel = Channel.objects.get(code="email")
    body = parsed.body or parsed.subject or str(NO_TEXT)
    try:
        with transaction.atomic():
            case = _find_case(parsed)
            outcome = THREADED
            if case is None:
                outcome = CREATED
                customer = Customer.objects.filter(
                    email__iexact=parsed.sender_email
                ).first()
                case = services.case_register(
                    case=Case(
                        kind=Case.Kind.COMPLAINT,
                        channel=channel,
                        customer=customer,
                        contact_name=parsed.sender_name[:200],
                        contact_email=parsed.sender_email,
                        language=_language_for(customer),
                        subject=parsed.subject[:200],
                        description=body,
                        org_unit=default_intake_unit(),
                        received_at=at,
                    ),
                    by=None,
                )
            message = services.message_add(
                case=case,
                direction=Message.Direction.INCOMING,
                body=body,
                subject=parsed.subject[:300],
                channel=channel,
                at=at,
                from_address=parsed.from_header[:300],
                to_address=parsed.to_header[:300],
                external_id=parsed.external_id,
                by=None,
            )
            _store_attachments(case, message, parsed)
    except IntegrityError:
        # A concurrent run stored the same Message-ID first.
        if Message.objects.filter(external_id=parsed.external_id).exists():
            return SKIPPED
        raise
    except ValidationError as error:
        raise MalformedMessage("; ".join(error.messages)) from error
    return outcome


# --- Mailboxes ---------------------------------------------------------------

# Each source yields (raw bytes, mark_done) pairs; mark_done is called once the
# message is stored (or will never be), so it is not read again.
Source = Iterator[tuple[bytes, Callable[[], None]]]


@contextmanager
def _maildir_source(path: str) -> Iterator[Source]:
    box = mailbox.Maildir(path, factory=None, create=False)

    def messages() -> Source:
        for key in sorted(box.keys()):
            item = box.get_message(key)
            if item.get_subdir() != "new":
                continue

            def done(key=key, item=item) -> None:
                item.set_subdir("cur")
                item.add_flag("S")
                box[key] = item

            yield box.get_bytes(key), done

    try:
        yield messages()
    finally:
        box.close()


@contextmanager
def _imap_source(url) -> Iterator[Source]:
    connection = imaplib.IMAP4_SSL(
        url.hostname,
        url.port or 993,
        ssl_context=ssl.create_default_context(),
        timeout=60,
    )
    try:
        connection.login(unquote(url.username or ""), unquote(url.password or ""))
        folder = unquote(url.path.lstrip("/")) or "INBOX"
        connection.select(f'"{folder}"')

        def messages() -> Source:
            _status, data = connection.uid("SEARCH", None, "UNSEEN")
            for uid in (data[0] or b"").split():
                # PEEK leaves the message unseen until it is safely stored.
                _status, parts = connection.uid("FETCH", uid, "(BODY.PEEK[])")
                raw = next(
                    (p[1] for p in parts if isinstance(p, tuple) and len(p) > 1), None
                )
                if raw is None:
                    continue

                def done(uid=uid) -> None:
                    connection.uid("STORE", uid, "+FLAGS", "(\\Seen)")

                yield raw, done

        yield messages()
    finally:
        try:
            connection.logout()
        except (imaplib.IMAP4.error, OSError):
            logger.warning("Could not log out of the complaints mailbox cleanly")


def _open_source(url: str):
    if not url:
        raise ImproperlyConfigured(ERR_NO_MAILBOX)
    parts = urlsplit(url)
    if parts.scheme == "maildir":
        return _maildir_source(unquote(parts.netloc + parts.path))
    if parts.scheme == "imaps":
        return _imap_source(parts)
    raise ImproperlyConfigured(ERR_BAD_URL % {"scheme": parts.scheme})


def fetch_mail(url: str | None = None) -> Summary:
    """Import every new message of the complaints mailbox (``url`` or
    ``settings.COMPLAINTS_MAIL_URL``). A message that cannot be read is logged
    and skipped; one that fails unexpectedly is left for the next run."""
    summary = Summary()
    with _open_source(url if url is not None else settings.COMPLAINTS_MAIL_URL) as (
        messages
    ):
        for raw, done in messages:
            try:
                outcome = import_message(raw)
            except MalformedMessage as error:
                logger.warning("Skipped an unreadable e-mail: %s", error)
                summary.skipped += 1
                # Retrying would fail the same way; keep it out of the next run.
                done()
                continue
            except Exception:
                logger.exception("Could not import an e-mail; will retry next run")
                summary.errors += 1
                continue
            if outcome == CREATED:
                summary.created += 1
            elif outcome == THREADED:
                summary.threaded += 1
            else:
                summary.skipped += 1
            done()
    return summary
