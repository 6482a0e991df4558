"""What the demo cases are about: categories and their monthly volumes and
seasons, subjects, the channel mix, handlers, dispute outcomes, and the
planted spike of discoloured water."""

from __future__ import annotations

import datetime

from qms.periods import month_start

from ..models import Case

SEED = 2026
MONTHS = 24
SPIKE_MONTHS_AGO = 4
SPIKE_CATEGORY = "water-discoloured"
SPIKE_EXTRA_CASES = 75
# Scales the monthly volumes of TAXONOMY (about 3,500 cases in two years).
VOLUME = 1.25


# The month of the planted spike, a few months back so the default twelve
# months of the monitoring page show it.
SPIKE_MONTH = month_start(datetime.date.today(), -SPIKE_MONTHS_AGO)

# code, name, unit code, service code, [(code, name, cases a month, season)]
TAXONOMY = [
    ("billing", "Billing", "billing", "billing", [
        ("billing-wrong-amount", "Wrong amount", 20, "winter"),
        ("billing-payment-not-registered", "Payment not registered", 11, "winter"),
        ("billing-late-invoice", "Late invoice", 7, "winter"),
    ]),
    ("water-quality", "Water quality", "network", "water", [
        (SPIKE_CATEGORY, "Discoloured water", 5, None),
        ("water-taste-smell", "Taste or smell", 4, None),
        ("water-pressure", "Low pressure", 6, "summer"),
    ]),
    ("service", "Service", "contact-centre", None, [
        ("service-rude-staff", "Rude staff", 4, None),
        ("service-no-answer", "No answer", 8, None),
        ("service-wrong-information", "Wrong information", 6, None),
    ]),
    ("connections", "Connections", "network", "connections", [
        ("connections-delay", "Delay", 5, "summer"),
        ("connections-cost", "Cost", 3, None),
    ]),
    ("metering", "Metering", "network", "meter", [
        ("metering-reading-error", "Reading error", 9, "winter"),
        ("metering-meter-fault", "Meter fault", 4, "winter"),
    ]),
    ("portal", "Website and portal", "service", "portal", [
        ("portal-login", "Login", 7, None),
        ("portal-errors", "Errors", 5, None),
    ]),
]  # fmt: skip

SUBJECTS = {
    "billing-wrong-amount": ["Invoice amount too high", "Charged twice this month"],
    "billing-payment-not-registered": ["Payment not shown", "Reminder after paying"],
    "billing-late-invoice": ["Invoice arrived late", "No invoice this month"],
    SPIKE_CATEGORY: ["Brown water from the tap", "Water is discoloured"],
    "water-taste-smell": ["Water smells of chlorine", "Strange taste"],
    "water-pressure": ["Very low pressure", "No pressure upstairs"],
    "service-rude-staff": ["Unfriendly agent", "Staff member was rude"],
    "service-no-answer": ["Nobody answers the phone", "No reply to my e-mail"],
    "service-wrong-information": ["Was told the wrong date", "Conflicting answers"],
    "connections-delay": ["Connection still not done", "Works delayed again"],
    "connections-cost": ["Connection fee too high", "Unexpected extra cost"],
    "metering-reading-error": ["Meter reading is wrong", "Estimated reading"],
    "metering-meter-fault": ["Meter not working", "Meter leaking"],
    "portal-login": ["Cannot log in", "Password reset fails"],
    "portal-errors": ["Error when paying online", "Page does not load"],
}
COMPLIMENTS = ["Quick repair, thank you", "Very helpful agent", "Clear answer"]
SUGGESTIONS = ["Please add SMS reminders", "Show usage history in the portal"]

# Channel code: share of cases.
CHANNEL_MIX = {
    "phone": 34,
    "email": 24,
    "web-form": 16,
    "in-person": 8,
    "letter": 4,
    "social-media": 5,
    "chatbot": 3,
    "ticket-system": 6,
}
WRITTEN = {"email", "web-form", "letter", "social-media", "chatbot", "ticket-system"}
HANDLERS = {"agent": 45, "agent2": 35, "lead": 20}

DISPUTE_OUTCOMES = [
    (Case.DisputeOutcome.SETTLED, 35),
    (Case.DisputeOutcome.FOR_US, 30),
    (Case.DisputeOutcome.PARTLY_FOR_CUSTOMER, 15),
    (Case.DisputeOutcome.FOR_CUSTOMER, 12),
    (Case.DisputeOutcome.WITHDRAWN, 8),
]
