"""Core records: bench staff (handlers besides the demo users) and customers
in segments. The demo organisation itself (units, roles, demo logins, segments,
services) comes from ``qms.demo.seed`` before any generator runs."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from qms import demo, roles
from qms.models import Customer, Membership

from .base import BenchContext, first_id, reset_sequences, scaled, write

CUSTOMERS = 50_000
AGENTS = 40
AGENT_UNITS = ["contact-centre", "written", "offices"]
# Segment code: share of customers (a customer may be in "new" as well).
SEGMENT_MIX = {"households": 78, "business": 15, "housing": 4, "public": 3}


def generate(conn, scale: float, rng, ctx: BenchContext) -> None:
    _staff(scale, rng, ctx)
    _customers(scale, rng, ctx)


def _staff(scale, rng, ctx: BenchContext) -> None:
    User = get_user_model()
    for username, user in ctx.demo.users.items():
        ctx.users[username] = user.pk
    n = scaled(AGENTS, scale, minimum=3)
    start = first_id(User)
    ids = range(start, start + n)
    joined = ctx.now - datetime.timedelta(days=3650)
    names = [(rng.choice(demo.FIRST_NAMES), rng.choice(demo.LAST_NAMES)) for _ in ids]
    write(
        User,
        ["id", "username", "password", "first_name", "last_name", "email",
         "is_active", "is_staff", "is_superuser", "date_joined"],
        (
            (pk, f"bench-agent-{pk}", "!bench", first, last,
             f"bench-agent-{pk}@example.org", True, False, False, joined)
            for pk, (first, last) in zip(ids, names, strict=True)
        ),
    )  # fmt: skip
    group = Group.objects.get(name=roles.SERVICE_STAFF)
    write(
        User.groups.through,
        ["user_id", "group_id"],
        ((pk, group.pk) for pk in ids),
    )
    units = ctx.demo.units
    write(
        Membership,
        ["user_id", "unit_id", "job_title"],
        (
            (pk, units[AGENT_UNITS[i % len(AGENT_UNITS)]].pk, "Service agent")
            for i, pk in enumerate(ids)
        ),
    )
    reset_sequences(User, Membership)
    ctx.handlers = [ctx.users[u] for u in ("agent", "agent2", "lead")] + list(ids)
    ctx.count("staff", n)


def _customers(scale, rng, ctx: BenchContext) -> None:
    n = scaled(CUSTOMERS, scale, minimum=20)
    start = first_id(Customer)
    ids = range(start, start + n)
    segments = {code: s.pk for code, s in ctx.demo.segments.items()}
    since = ctx.now - datetime.timedelta(days=3650)
    memberships: list[tuple[int, int]] = []
    seg_keys, seg_weights = list(SEGMENT_MIX), list(SEGMENT_MIX.values())

    def rows():
        for pk in ids:
            segment = rng.choices(seg_keys, seg_weights)[0]
            is_org = segment != "households"
            memberships.append((pk, segments[segment]))
            if rng.random() < 0.1:
                memberships.append((pk, segments["new"]))
            if is_org:
                name = (
                    f"{rng.choice(demo.COMPANY_WORDS)} "
                    f"{rng.choice(demo.COMPANY_KINDS)} {pk} OÜ"
                )
                email = f"info{pk}@company.example"
                language = "et"
            else:
                first, last = rng.choice(demo.FIRST_NAMES), rng.choice(demo.LAST_NAMES)
                name = f"{first} {last}"
                email = f"c{pk}@example.org"
                language = rng.choices(["et", "ru", "en"], [70, 25, 5])[0]
            yield (
                pk,
                f"B-{pk:07d}",
                Customer.Kind.ORGANISATION if is_org else Customer.Kind.PERSON,
                name,
                email if rng.random() < 0.9 else "",
                f"+372 5{rng.randrange(100000, 9999999)}",
                f"{rng.choice(demo.STREETS)} {rng.randrange(1, 120)}, "
                f"{rng.choice(demo.CITIES)}",
                language,
                rng.random() < 0.7,
                since + datetime.timedelta(seconds=rng.randrange(315_000_000)),
            )

    write(
        Customer,
        ["id", "reference", "kind", "name", "email", "phone", "address",
         "preferred_language", "consent_surveys", "created_at"],
        rows(),
    )  # fmt: skip
    write(Customer.segments.through, ["customer_id", "segment_id"], memberships)
    reset_sequences(Customer)
    ctx.customer_ids = ids
    ctx.count("customers", n)
