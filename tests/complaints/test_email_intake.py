"""E-mail intake: new mail becomes a case, replies join their case, nothing is
imported twice, and a bad message never stops the others."""

import mailbox
from email.message import EmailMessage

import pytest
from django.core.management import call_command

from complaints import intake_email
from complaints.intake_email import fetch_mail
from complaints.models import Case, Message
from complaints.tasks import fetch_complaint_mail
from qms.uploads import ERR_TYPE_NOT_ALLOWED
from tests.factories import CustomerFactory, OrgUnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(db):
    return OrgUnitFactory(code="service", name="Customer service")


@pytest.fixture
def maildir(tmp_path, unit):
    path = tmp_path / "Maildir"
    box = mailbox.Maildir(path, create=True)
    box.url = f"maildir://{path}"
    return box


def make_mail(
    *,
    sender="Mari Maasikas <mari@example.com>",
    subject="Broken heater",
    body="The heater you installed stopped working after two days.",
    message_id="<1@mail.example.com>",
    attachments=(),
) -> bytes:
    message = EmailMessage()
    if sender:
        message["From"] = sender
    message["To"] = "complaints@example.org"
    message["Subject"] = subject
    if message_id:
        message["Message-ID"] = message_id
    message.set_content(body)
    for name, data, maintype, subtype in attachments:
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return bytes(message)


def test_new_mail_becomes_a_case_with_the_message_in_its_log(maildir, unit):
    maildir.add(make_mail())

    summary = fetch_mail(maildir.url)

    assert (summary.created, summary.skipped, summary.errors) == (1, 0, 0)
    case = Case.objects.get()
    assert case.channel.code == "email"
    assert case.kind == Case.Kind.COMPLAINT
    assert case.org_unit == unit
    assert case.contact_email == "mari@example.com"
    assert case.contact_name == "Mari Maasikas"
    assert case.subject == "Broken heater"
    assert "stopped working" in case.description
    message = case.messages.get()
    assert message.direction == Message.Direction.INCOMING
    assert message.external_id == "<1@mail.example.com>"


def test_processed_mail_moves_to_cur(maildir):
    maildir.add(make_mail())

    fetch_mail(maildir.url)

    assert [m.get_subdir() for m in maildir] == ["cur"]
    assert "S" in next(iter(maildir)).get_flags()


def test_sender_known_as_customer_is_linked(maildir):
    customer = CustomerFactory(email="mari@example.com", preferred_language="ru")
    maildir.add(make_mail(sender="MARI@example.com"))

    fetch_mail(maildir.url)

    case = Case.objects.get()
    assert case.customer == customer
    assert case.language == "ru"


def test_same_message_is_imported_once(maildir):
    maildir.add(make_mail())
    maildir.add(make_mail())  # the same Message-ID delivered twice

    first = fetch_mail(maildir.url)
    second = fetch_mail(maildir.url)

    assert (first.created, first.skipped) == (1, 1)
    assert (second.created, second.skipped) == (0, 0)
    assert Case.objects.count() == 1


def test_message_without_message_id_is_recognised_by_its_content(unit):
    raw = make_mail(message_id="")

    assert intake_email.import_message(raw) == intake_email.CREATED
    assert intake_email.import_message(raw) == intake_email.SKIPPED

    assert Case.objects.count() == 1
    assert Message.objects.get().external_id.startswith("sha256:")


def test_reply_quoting_the_reference_joins_the_case(maildir):
    maildir.add(make_mail())
    fetch_mail(maildir.url)
    case = Case.objects.get()
    maildir.add(
        make_mail(
            subject=f"Re: We have received your case {case.reference}",
            body="Here is the photo you asked for.",
            message_id="<2@mail.example.com>",
        )
    )

    summary = fetch_mail(maildir.url)

    assert (summary.created, summary.threaded) == (0, 1)
    assert Case.objects.count() == 1
    reply = case.messages.get(external_id="<2@mail.example.com>")
    assert reply.direction == Message.Direction.INCOMING
    assert reply.body.startswith("Here is the photo")


def test_reference_in_the_body_also_threads(maildir):
    maildir.add(make_mail())
    fetch_mail(maildir.url)
    case = Case.objects.get()
    maildir.add(
        make_mail(
            subject="Another thing",
            body=f"About my case {case.reference}: it is still broken.",
            message_id="<3@mail.example.com>",
        )
    )

    assert fetch_mail(maildir.url).threaded == 1
    assert Case.objects.count() == 1


def test_unknown_reference_opens_a_new_case(maildir):
    maildir.add(make_mail(subject="Re: K-1999-000001"))

    assert fetch_mail(maildir.url).created == 1


def test_malformed_messages_are_skipped_and_the_others_processed(maildir, caplog):
    maildir.add(make_mail(sender="", message_id="<nofrom@x>"))
    maildir.add(
        b"From: a@example.com\r\nSubject: odd\r\nMessage-ID: <odd@x>\r\n"
        b"Content-Type: text/plain; charset=x-no-such-charset\r\n\r\n\xff\xfe text\r\n"
    )
    maildir.add(make_mail(message_id="<good@x>"))

    summary = fetch_mail(maildir.url)

    assert (summary.created, summary.skipped, summary.errors) == (1, 2, 0)
    assert Case.objects.get().messages.get().external_id == "<good@x>"
    assert caplog.text.count("Skipped an unreadable e-mail") == 2
    # They are not read again on the next run.
    assert fetch_mail(maildir.url).skipped == 0


def test_html_only_mail_is_stored_as_text(maildir):
    message = EmailMessage()
    message["From"] = "jaan@example.com"
    message["Subject"] = "Rude staff"
    message["Message-ID"] = "<html@x>"
    message.set_content(
        "<html><body><p>The cashier was <b>rude</b> &amp; slow.</p></body></html>",
        subtype="html",
    )
    maildir.add(bytes(message))

    fetch_mail(maildir.url)

    assert Case.objects.get().description == "The cashier was rude & slow."


def test_allowed_attachment_is_stored_on_the_case(maildir):
    maildir.add(
        make_mail(attachments=[("receipt.txt", b"Receipt 123\n", "text", "plain")])
    )

    fetch_mail(maildir.url)

    case = Case.objects.get()
    attachment = case.attachments.get()
    assert attachment.original_name == "receipt.txt"
    assert attachment.message == case.messages.get()


def test_refused_attachment_becomes_a_note_and_the_case_is_kept(maildir):
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200
    maildir.add(make_mail(attachments=[("invoice.pdf", exe, "application", "pdf")]))

    summary = fetch_mail(maildir.url)

    assert summary.created == 1
    case = Case.objects.get()
    assert not case.attachments.exists()
    note = case.messages.get(direction=Message.Direction.NOTE)
    assert "invoice.pdf" in note.body
    refused = str(ERR_TYPE_NOT_ALLOWED).split("%")[0]
    assert refused in note.body


def test_command_prints_a_summary_and_is_safe_to_run_twice(maildir, capsys):
    maildir.add(make_mail())

    call_command("fetch_complaint_mail", url=maildir.url)
    call_command("fetch_complaint_mail", url=maildir.url)

    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Complaint mail: 1 new case(s)")
    assert out[1].startswith("Complaint mail: 0 new case(s)")
    assert Case.objects.count() == 1


def test_command_without_a_mailbox_fails_with_a_message(settings):
    settings.COMPLAINTS_MAIL_URL = ""

    with pytest.raises(Exception, match="COMPLAINTS_MAIL_URL is not set"):
        call_command("fetch_complaint_mail")


def test_task_reads_the_configured_mailbox(maildir, settings):
    settings.COMPLAINTS_MAIL_URL = maildir.url
    maildir.add(make_mail())

    result = fetch_complaint_mail.delay().get()

    assert result["created"] == 1
    assert Case.objects.count() == 1


class FakeIMAP:
    """Just enough of imaplib.IMAP4_SSL for the intake's conversation."""

    instances: list["FakeIMAP"] = []

    def __init__(self, host, port, **kwargs):
        self.host, self.port = host, port
        self.messages = {b"7": make_mail(), b"8": make_mail(sender="")}
        self.seen: list[bytes] = []
        self.logged_in = None
        FakeIMAP.instances.append(self)

    def login(self, user, password):
        self.logged_in = (user, password)

    def select(self, folder):
        self.folder = folder
        return "OK", [b"2"]

    def uid(self, command, *args):
        if command == "SEARCH":
            return "OK", [b" ".join(self.messages)]
        if command == "FETCH":
            uid = args[0]
            return "OK", [(b"1 (UID %s BODY[] {n}" % uid, self.messages[uid]), b")"]
        if command == "STORE":
            self.seen.append(args[0])
            return "OK", []
        raise AssertionError(command)

    def logout(self):
        pass


def test_imap_mailbox_marks_imported_messages_seen(monkeypatch, unit):
    monkeypatch.setattr(intake_email.imaplib, "IMAP4_SSL", FakeIMAP)

    summary = fetch_mail("imaps://intake%40example.org:s%3Acret@mail.example.org/INBOX")

    imap = FakeIMAP.instances[-1]
    assert (imap.host, imap.port) == ("mail.example.org", 993)
    assert imap.logged_in == ("intake@example.org", "s:cret")
    assert (summary.created, summary.skipped) == (1, 1)
    assert imap.seen == [b"7", b"8"]
