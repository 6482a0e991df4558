"""Demo communication standards for phone, e-mail, paper letters, chatbot and
in-person service, drawn from the seed documents (a written, concrete standard
with model phrasings, introduced as help). Approved by the quality manager,
authored by a process owner; a few staff acknowledgements. Safe to run twice."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from qms import services as core_services
from qms.models import Channel, DocumentVersion

from . import services
from .models import Criterion, Standard

# identifier, title, channel codes, purpose, scope, text, criteria:
# (behaviour, good example, bad example, weight, critical, target, unit, scoring)
STANDARDS = [
    (
        "STD-PHONE",
        "Phone service standard",
        ["phone"],
        "Every caller is answered quickly, knows who they are talking to and "
        "ends the call knowing what happens next.",
        "All incoming and outgoing customer calls of the contact centre.",
        "This standard is a help, not a punishment: it describes what a good "
        "call sounds like, so that every colleague can give the same service.\n\n"
        "Answer quickly, introduce yourself, listen, protect personal data and "
        "close with a clear next step.",
        [
            (
                "Answers within three rings.",
                "",
                "(the phone rings six times)",
                2,
                False,
                "3",
                "rings",
                "yes_no",
            ),
            (
                "Greets with the organisation's and their own name.",
                "Good morning, Customer Service, Mart speaking. How can I help?",
                "Yes?",
                2,
                False,
                None,
                "",
                "yes_no",
            ),
            (
                "Checks the caller's identity before disclosing personal data.",
                "Before I look at your account, may I have your personal code?",
                "Your debt is 120 euros, I can see it here.",
                3,
                True,
                None,
                "",
                "yes_no",
            ),
            (
                "Listens without interrupting and confirms the need in own words.",
                "So the bill for March shows two meter readings — is that right?",
                "Yes, yes, I know, everybody calls about that.",
                2,
                False,
                None,
                "",
                "scale",
            ),
            (
                "Uses plain language without internal jargon.",
                "We will send a technician to check the meter.",
                "I'll raise an FSR for the AMR unit.",
                1,
                False,
                None,
                "",
                "scale",
            ),
            (
                "Ends by summarising the agreed next step.",
                "To sum up: the technician comes on Tuesday between 10 and 12.",
                "OK, bye.",
                2,
                False,
                None,
                "",
                "yes_no",
            ),
        ],
    ),
    (
        "STD-EMAIL",
        "E-mail service standard",
        ["email"],
        "Customers who write to us get a timely, complete and friendly answer.",
        "E-mails to the customer-service mailbox and to individual staff.",
        "Written answers stay on record: write them so that the customer needs "
        "no second message.",
        [
            (
                "Answers an e-mail within one working day.",
                "(reply sent the next working morning)",
                "(reply sent after four days)",
                3,
                False,
                "1",
                "working_days",
                "yes_no",
            ),
            (
                "Addresses the customer by name and signs with own name and contact.",
                "Dear Ms Kask, … Best regards, Jelena Ivanova, Customer Service",
                "Hello, … Customer Service",
                1,
                False,
                None,
                "",
                "yes_no",
            ),
            (
                "Answers every question the customer asked.",
                "You asked about the fee and the deadline: the fee is …; the "
                "deadline is …",
                "(answers the fee, ignores the deadline)",
                3,
                False,
                None,
                "",
                "scale",
            ),
            (
                "Does not disclose personal data to an unverified address.",
                "For your security, please send the request from the e-mail "
                "address in your contract.",
                "Here is your contract with your personal code attached.",
                3,
                True,
                None,
                "",
                "yes_no",
            ),
            (
                "Writes in plain language in the customer's language.",
                "Your meter will be replaced on 5 May; you need not be home.",
                "Pursuant to section 12 the metering device shall be substituted.",
                1,
                False,
                None,
                "",
                "scale",
            ),
            (
                "Ends by summarising the agreed next step.",
                "Next step: we will call you by Friday to agree the visit.",
                "Let us know if anything.",
                2,
                False,
                None,
                "",
                "yes_no",
            ),
        ],
    ),
    (
        "STD-LETTER",
        "Paper letter standard",
        ["letter"],
        "Letters are answered on time, formally correct and easy to understand.",
        "Incoming paper letters and the answers sent by post.",
        "A letter is often the customer's most formal contact with us: answer "
        "within the legal deadline, clearly and politely.",
        [
            (
                "Registers the letter on the day it arrives.",
                "",
                "",
                1,
                False,
                "1",
                "working_days",
                "yes_no",
            ),
            (
                "Answers within the deadline (ten working days).",
                "",
                "",
                3,
                False,
                "10",
                "working_days",
                "yes_no",
            ),
            (
                "States the customer's question at the start of the answer.",
                "You asked us on 3 March why your bill rose.",
                "Regarding your letter.",
                1,
                False,
                None,
                "",
                "yes_no",
            ),
            (
                "Explains the decision and how to contest it.",
                "If you disagree, you may file a complaint within 30 days at …",
                "The decision is final.",
                3,
                True,
                None,
                "",
                "yes_no",
            ),
            (
                "Uses the customer's name and a signature with contact details.",
                "Respectfully, Mari Oja, customer adviser, phone 600 0000",
                "(unsigned letter)",
                1,
                False,
                None,
                "",
                "yes_no",
            ),
        ],
    ),
    (
        "STD-CHATBOT",
        "Chatbot standard",
        ["chatbot"],
        "The chatbot helps with simple questions and never traps a customer.",
        "The chatbot on the website and in the self-service portal.",
        "The chatbot is measured against the same standard as people, plus two "
        "rules of honesty: it says it is a bot and always offers a person.",
        [
            (
                "Says it is a bot at the start of the conversation.",
                "Hello! I am the virtual assistant, a computer program.",
                "Hi, I'm Anna, how are you today?",
                3,
                True,
                None,
                "",
                "yes_no",
            ),
            (
                "Always offers a route to a person.",
                "Would you like to talk to a colleague? Call 600 0000 or leave "
                "your number.",
                "(repeats the same answer three times)",
                3,
                True,
                None,
                "",
                "yes_no",
            ),
            (
                "Gives a correct answer to the question asked.",
                "",
                "",
                2,
                False,
                None,
                "",
                "scale",
            ),
            (
                "Does not ask for or show personal data in the chat.",
                "Please log in to see your bills.",
                "Enter your personal code and I will show your debt.",
                3,
                True,
                None,
                "",
                "yes_no",
            ),
            (
                "Answers in the customer's language.",
                "",
                "",
                1,
                False,
                None,
                "",
                "yes_no",
            ),
            (
                "Hands over the conversation history when passing to a person.",
                "",
                "(the customer has to repeat everything)",
                2,
                False,
                None,
                "",
                "yes_no",
            ),
        ],
    ),
    (
        "STD-INPERSON",
        "In-person service standard",
        ["in-person"],
        "Visitors of the service office feel welcome and leave with their "
        "matter settled or a clear next step.",
        "The service office and visits at the customer's premises.",
        "Greet, listen, protect privacy at the counter and close with a clear "
        "next step.",
        [
            (
                "Greets the visitor within a minute of arrival.",
                "Good afternoon! I'll be with you in a moment.",
                "(continues typing without looking up)",
                2,
                False,
                "1",
                "minutes",
                "yes_no",
            ),
            (
                "Introduces themselves by name.",
                "My name is Liis, how can I help?",
                "Next!",
                1,
                False,
                None,
                "",
                "yes_no",
            ),
            (
                "Checks identity with a document before disclosing personal data.",
                "May I see your ID card, please?",
                "(reads the debt out loud to a stranger)",
                3,
                True,
                None,
                "",
                "yes_no",
            ),
            (
                "Keeps the conversation private from other visitors.",
                "Let's step to the side desk.",
                "(discusses the debt loudly)",
                2,
                False,
                None,
                "",
                "scale",
            ),
            (
                "Gives written information to take home when useful.",
                "Here is the leaflet with the steps and my phone number.",
                "",
                1,
                False,
                None,
                "",
                "yes_no",
            ),
            (
                "Ends by summarising the agreed next step.",
                "So: you send the reading tonight and we correct the bill tomorrow.",
                "That's it.",
                2,
                False,
                None,
                "",
                "yes_no",
            ),
        ],
    ),
]
READERS = ["agent", "agent2", "lead"]


def _criteria(version: DocumentVersion, rows: list) -> None:
    for order, row in enumerate(rows, start=1):
        behaviour, good, bad, weight, critical, target, unit, scoring = row
        Criterion.objects.create(
            version=version,
            order=order * 10,
            behaviour=behaviour,
            good_example=good,
            bad_example=bad,
            weight=weight,
            is_critical=critical,
            target_value=Decimal(target) if target else None,
            target_unit=unit,
            scoring=scoring,
        )


def seed(ctx) -> None:
    author, approver = ctx.users["owner2"], ctx.users["quality"]
    # In force for over a year, so the demo evaluations reach back 12 months.
    effective = timezone.localdate() - datetime.timedelta(days=400)
    channels = {c.code: c for c in Channel.objects.all()}
    for identifier, title, codes, purpose, scope, text, rows in STANDARDS:
        if Standard.objects.filter(document__identifier=identifier).exists():
            continue
        with transaction.atomic():
            standard = services.standard_create(
                identifier=identifier,
                title=title,
                owner=author,
                purpose=purpose,
                scope=scope,
                channels=[channels[c] for c in codes if c in channels],
                body=text,
            )
            version = standard.document.versions.get()
            _criteria(version, rows)
            core_services.version_submit(version=version, by=author)
            version = core_services.version_approve(version=version, by=approver)
            DocumentVersion.objects.filter(pk=version.pk).update(
                effective_from=effective
            )
            version.refresh_from_db()
            for offset, username in enumerate(READERS):
                if identifier == "STD-LETTER" and offset:
                    continue  # the letter standard is only partly read
                user = ctx.users.get(username)
                if user is not None:
                    services.acknowledge(user=user, version=version)
        ctx.count("communication standards")
    from . import demo_evaluations

    demo_evaluations.seed(ctx)
