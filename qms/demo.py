"""Demo data: a believable organisation to try QMS with.

Deterministic (fixed random seed) and safe to run twice: every record is looked
up by a natural key before it is created. Area apps add their own demo data in
``<app>/demo.py`` with a ``seed(context)`` function, which the ``seed_demo``
command calls after this module's :func:`seed`.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from qms import roles, services
from qms.areas import Area
from qms.models import (
    ClosureDay,
    Customer,
    Document,
    DocumentVersion,
    Membership,
    OrgUnit,
    Segment,
    Service,
)

SEED = 2026
DEMO_PASSWORD = "qms-demo-2026"
CUSTOMER_COUNT = 500

UNITS = [
    # code, name, parent code
    ("board", "Management Board", None),
    ("quality", "Quality Department", "board"),
    ("service", "Customer Service Bureau", "board"),
    ("contact-centre", "Contact Centre", "service"),
    ("written", "Written Service Team", "service"),
    ("offices", "Service Offices", "service"),
    ("network", "Network Operations", "board"),
    ("billing", "Billing and Finance", "board"),
]

# username, first, last, role, unit, job title, is_staff
STAFF = [
    (
        "quality",
        "Kadri",
        "Tamm",
        roles.QUALITY_MANAGER,
        "quality",
        "Quality manager",
        True,
    ),
    (
        "agent",
        "Mart",
        "Kask",
        roles.SERVICE_STAFF,
        "contact-centre",
        "Service agent",
        False,
    ),
    (
        "agent2",
        "Jelena",
        "Ivanova",
        roles.SERVICE_STAFF,
        "written",
        "Service agent",
        False,
    ),
    ("lead", "Liis", "Saar", roles.SERVICE_STAFF, "contact-centre", "Team lead", False),
    (
        "owner",
        "Jaan",
        "Mets",
        roles.PROCESS_OWNER,
        "network",
        "Head of network operations",
        False,
    ),
    (
        "owner2",
        "Piret",
        "Rebane",
        roles.PROCESS_OWNER,
        "service",
        "Head of customer service",
        False,
    ),
    ("exec", "Tiina", "Lepp", roles.EXECUTIVE, "board", "Chief executive", False),
]

SEGMENTS = [
    ("households", "Private households", "Residential customers billed individually."),
    ("business", "Business customers", "Companies and sole traders."),
    (
        "housing",
        "Housing associations",
        "Apartment associations billed for a building.",
    ),
    ("public", "Public sector", "Schools, hospitals, municipal bodies."),
    ("new", "New customers", "Customers in their first year of contract."),
]

SERVICES = [
    ("water", "Water supply", "network"),
    ("wastewater", "Wastewater", "network"),
    ("connections", "New connections", "network"),
    ("meter", "Meter reading", "network"),
    ("billing", "Billing and payments", "billing"),
    ("portal", "Self-service portal", "service"),
]

CLOSURE_DAYS = [
    (datetime.date(2026, 12, 31), "Year-end closing (offices closed)"),
    (datetime.date(2027, 6, 22), "Summer staff day"),
]

FIRST_NAMES = [
    "Mari", "Jüri", "Kati", "Andres", "Anu", "Toomas", "Maarja", "Rein", "Kristi",
    "Priit", "Helen", "Marko", "Triin", "Siim", "Eva", "Margus", "Kaja", "Tõnu",
]  # fmt: skip
LAST_NAMES = [
    "Tamm", "Saar", "Sepp", "Mägi", "Kukk", "Rebane", "Ilves", "Pärn", "Koppel",
    "Kallas", "Lepik", "Vaher", "Oja", "Põder", "Kuusk", "Lõhmus",
]  # fmt: skip
# Russian surnames agree with the person's gender: (first names, surnames).
RUSSIAN_NAMES = [
    (["Sergei", "Dmitri", "Aleksei", "Andrei", "Pavel"],
     ["Smirnov", "Volkov", "Petrov", "Lebedev", "Sokolov", "Ivanov"]),
    (["Olga", "Natalia", "Irina", "Jelena", "Svetlana"],
     ["Smirnova", "Volkova", "Petrova", "Lebedeva", "Sokolova", "Ivanova"]),
]  # fmt: skip
COMPANY_WORDS = [
    "Põhja",
    "Lõuna",
    "Mere",
    "Kivi",
    "Metsa",
    "Järve",
    "Tähe",
    "Kalda",
    "Uus",
    "Vana",
    "Linna",
    "Küla",
]
COMPANY_KINDS = ["Ehitus", "Kinnisvara", "Pagar", "Transport", "Kaubandus", "IT"]
STREETS = ["Pärnu mnt", "Tartu mnt", "Narva mnt", "Mustamäe tee", "Pae", "Kalda"]
CITIES = ["Tallinn", "Tartu", "Pärnu", "Narva", "Rakvere", "Viljandi"]


@dataclass
class DemoContext:
    """What the core seed made, for area seeds to build on."""

    rng: random.Random
    users: dict[str, object] = field(default_factory=dict)
    units: dict[str, OrgUnit] = field(default_factory=dict)
    segments: dict[str, Segment] = field(default_factory=dict)
    services: dict[str, Service] = field(default_factory=dict)
    created: dict[str, int] = field(default_factory=dict)

    def count(self, what: str, n: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + n


def _units(ctx: DemoContext) -> None:
    for code, name, parent in UNITS:
        unit, created = OrgUnit.objects.get_or_create(
            code=code, defaults={"name": name, "parent": ctx.units.get(parent)}
        )
        ctx.units[code] = unit
        ctx.count("units", created)


def _staff(ctx: DemoContext) -> None:
    User = get_user_model()
    for username, first, last, role, unit, title, is_staff in STAFF:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@example.org",
                is_staff=is_staff,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            ctx.count("users")
        user.groups.add(Group.objects.get(name=role))
        Membership.objects.get_or_create(
            user=user, defaults={"unit": ctx.units[unit], "job_title": title}
        )
        ctx.users[username] = user
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        User.objects.create_superuser(
            "admin",
            "admin@example.org",
            DEMO_PASSWORD,
            first_name="System",
            last_name="Administrator",
        )
        ctx.count("users")
    for code, username in [
        ("quality", "quality"),
        ("contact-centre", "lead"),
        ("network", "owner"),
        ("service", "owner2"),
        ("board", "exec"),
    ]:
        unit = ctx.units[code]
        if unit.manager_id is None:
            unit.manager = ctx.users[username]
            unit.save(update_fields=["manager"])


def _reference_data(ctx: DemoContext) -> None:
    for code, name, description in SEGMENTS:
        segment, created = Segment.objects.get_or_create(
            code=code, defaults={"name": name, "description": description}
        )
        ctx.segments[code] = segment
        ctx.count("segments", created)
    for code, name, unit in SERVICES:
        service, created = Service.objects.get_or_create(
            code=code, defaults={"name": name, "owner_unit": ctx.units[unit]}
        )
        ctx.services[code] = service
        ctx.count("services", created)
    for day, reason in CLOSURE_DAYS:
        _obj, created = ClosureDay.objects.get_or_create(
            date=day, defaults={"reason": reason}
        )
        ctx.count("closure days", created)


def customer_specs(segments: dict[str, Segment]) -> list[tuple[Customer, list]]:
    """The demo customers (unsaved) with their segments. Pure: the same list on
    every call, whatever the database holds."""
    rng = random.Random(SEED)  # own stream: the same customers on every run
    segment_list = list(segments.values())
    specs = []
    for number in range(1, CUSTOMER_COUNT + 1):
        is_org = rng.random() < 0.2
        if is_org:
            name = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_KINDS)} OÜ"
            contact = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            email_user = "info"
            domain = name.split()[0].lower().translate(str.maketrans("õäöü", "oaou"))
            registry = f"1{rng.randrange(10**6, 10**7)}"
            last = ""
        else:
            if rng.random() < 0.25:
                firsts, lasts = rng.choice(RUSSIAN_NAMES)
                first, last = rng.choice(firsts), rng.choice(lasts)
            else:
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            name, contact = f"{first} {last}", ""
            email_user = f"{first}.{last}{number}".lower().translate(
                str.maketrans("õäöü", "oaou")
            )
            domain = "example"
            registry = ""
        language = (
            "ru"
            if last.endswith(("ov", "ova", "ev"))
            else rng.choices(["et", "en"], weights=[95, 5])[0]
        )
        chosen = [segments["business"] if is_org else segments["households"]]
        if rng.random() < 0.15:
            chosen.append(segments["new"])
        if is_org and rng.random() < 0.3:
            chosen = [rng.choice(segment_list[2:4])]
        customer = Customer(
            reference=f"C-{number:06d}",
            kind=Customer.Kind.ORGANISATION if is_org else Customer.Kind.PERSON,
            name=name,
            registry_code=registry,
            contact_person=contact,
            email=f"{email_user}@{domain}.ee" if rng.random() < 0.9 else "",
            phone=f"+372 5{rng.randrange(100000, 9999999)}",
            address=f"{rng.choice(STREETS)} {rng.randrange(1, 120)}, "
            f"{rng.choice(CITIES)}",
            preferred_language=language,
            consent_surveys=rng.random() < 0.7,
            consent_updated_at=timezone.now(),
        )
        specs.append((customer, chosen))
    return specs


def _customers(ctx: DemoContext) -> None:
    existing = set(Customer.objects.values_list("reference", flat=True))
    specs = [
        (c, segs)
        for c, segs in customer_specs(ctx.segments)
        if c.reference not in existing
    ]
    new = [customer for customer, _segments in specs]
    if new:
        bulk_create_with_history(new, Customer, batch_size=500)
        by_ref = dict(
            Customer.objects.filter(
                reference__in=[c.reference for c in new]
            ).values_list("reference", "pk")
        )
        Through = Customer.segments.through
        Through.objects.bulk_create(
            Through(customer_id=by_ref[c.reference], segment_id=s.pk)
            for c, segments in specs
            for s in segments
        )
    ctx.count("customers", len(new))


PROCESS_TEXTS: dict[str, tuple[str, str, str]] = {
    Area.PROMISES: (
        "PD-01",
        "Giving and keeping customer promises",
        """Purpose
We only promise customers what our people, systems and budget can deliver, and we check that we keep it (ISO 10001).

Principles
1. Each promise is written in plain language, with its conditions and limits.
2. Each promise has at least one indicator with a target before it is published.
3. The process owner confirms the capability to keep the promise; the quality manager approves it.
4. A broken promise is remedied as the promise says and recorded as a breach.

Monitoring
Fulfilment rate per promise is reviewed monthly against its target; promises below target for two months get an improvement proposal.

Review
Each promise is reviewed at least yearly: performance, complaints that cite it, changes in law or capability; decision keep, change or withdraw.""",
    ),
    Area.NEEDS: (
        "PD-02",
        "Mapping and registering customer needs",
        """Purpose
We know what our customer groups need and expect, and we decide consciously which needs we commit to (ISO 9001 8.2).

Sources
Surveys, complaints, focus groups, interviews, contracts, legislation, staff observations and market research.

Process
1. Anyone may register a need, stating the segment, service and source.
2. The owner validates it within 10 working days.
3. A can-we-meet-it review records who decided, the result and any conditions.
4. The organisation decides (accept, reject or defer) within 20 working days of identification.
5. Accepted needs are linked to what answers them: a promise, a communication standard, a service change or a survey question.
6. Each need is reviewed at least once a year; the owner sets the next review date.

Monitoring
Time from identification to decision (share decided within 20 working days), needs overdue for review, and accepted needs that nothing answers or measures are reviewed monthly.""",
    ),
    Area.STANDARDS: (
        "PD-03",
        "Customer communication standards",
        """Purpose
Staff talk to customers in a consistent, courteous and correct way in every channel.

Principles
1. Each channel has a written standard of concrete, observable behaviours with good and bad example phrasings.
2. Standards are written with the staff who use them and introduced as help, not punishment.
3. Every employee confirms having read each new version.

Monitoring
Team leads evaluate a monthly sample of real interactions per employee against the criteria; compliance is reported per channel and criterion. Failing a critical criterion fails the evaluation.

Training
The weakest criteria each quarter become the topics of team training.""",
    ),
    Area.COMPLAINTS: (
        "PD-04",
        "Handling complaints, claims and disputes",
        """Purpose
Every complaint is received, acknowledged, investigated and answered fairly and on time, and we learn from it (ISO 10002, ISO 10003).

Intake
Complaints are accepted in every channel: phone, e-mail, letter, web form, in person and social media. Each is registered the same day.

Deadlines
Acknowledge within 1 working day. Answer a written consumer claim within 15 calendar days (Consumer Protection Act §19); if more time is needed, tell the customer why and give a new date.

Objectivity
The employee a complaint is about does not handle or decide it.

Decision
A rejection always states its reasons and the customer's options, including the Consumer Disputes Committee.

Learning
Complaints are categorised; recurring categories and root causes are analysed monthly and lead to improvement plans.""",
    ),
    Area.SURVEYS: (
        "PD-05",
        "Customer satisfaction surveys",
        """Purpose
We measure how customers perceive our service and act on what matters (ISO 10004, ISO 9001 9.1.2).

Planning
Each survey wave has an approved plan: goal, target groups, sample size (Cochran with finite-population correction, 95 % confidence, ±5 % margin), mode, fieldwork dates and analysis plan.

Conducting
Invitations carry personal links; each customer answers once; customers who declined surveys are never invited.

Analysis
Headline scores are reported with confidence intervals; a change is called a change only when it is statistically significant.

Action
Results are presented to management within a month of fieldwork; each agreed action has an owner and a due date.""",
    ),
    Area.IMPROVEMENTS: (
        "PD-06",
        "Improvement proposals and corrective actions",
        """Purpose
Problems found in any area are corrected at their root cause and the correction is proven to work (ISO 9001 10.2, 10.3).

Proposals
Anyone may propose an improvement; the proposer is told the decision and its reasons within 20 working days.

Plans
A plan states the problem, root cause, actions with owners and due dates, and before implementation the measure, baseline and target by which its effect will be judged.

Effectiveness
After the verification window the effect is checked with data; an ineffective plan is reopened.""",
    ),
    Area.REPORTS: (
        "PD-07",
        "Management reporting on the customer-relations system",
        """Purpose
Management receives a regular, reliable picture of the customer-relations system and records its decisions (ISO 9001 9.3).

Frequency
Monthly dashboard; quarterly management report; yearly management review.

Content
Each area reports its indicators against targets, significant changes only, overdue actions and the status of earlier decisions.

Approval
The quality manager prepares the report; it is frozen and issued as PDF after approval, and its decisions are tracked as actions.""",
    ),
}

COMPLAINTS_V2_ADDITION = """

Safety
A complaint about a risk to health or safety is escalated to the head of network operations within 2 working hours."""


def _process_descriptions(ctx: DemoContext) -> None:
    author, approver = ctx.users["owner2"], ctx.users["quality"]
    effective = timezone.localdate() - datetime.timedelta(days=60)
    for area, (identifier, title, text) in PROCESS_TEXTS.items():
        if Document.objects.filter(identifier=identifier).exists():
            continue
        with transaction.atomic():
            document = services.document_create(
                identifier=identifier,
                title=title,
                kind=Document.Kind.PROCESS,
                area=area,
                owner=author,
                body=text,
            )
            version = document.versions.get()
            services.version_submit(version=version, by=author)
            version = services.version_approve(version=version, by=approver)
            # Demo history: the first version has been in force for two months.
            DocumentVersion.objects.filter(pk=version.pk).update(
                effective_from=effective
            )
            if area == Area.COMPLAINTS:
                draft = services.version_create_draft(
                    document=document,
                    author=author,
                    body=text + COMPLAINTS_V2_ADDITION,
                    change_reason="Safety-related complaints need a faster route "
                    "(finding of the October review).",
                )
                services.version_submit(version=draft, by=author)
        ctx.count("process descriptions")


def seed() -> DemoContext:
    ctx = DemoContext(rng=random.Random(SEED))
    with transaction.atomic():
        _units(ctx)
        _staff(ctx)
        _reference_data(ctx)
        _customers(ctx)
        _process_descriptions(ctx)
    return ctx
