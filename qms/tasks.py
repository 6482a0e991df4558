"""Background tasks of the core app (run by Celery; inline without a broker)."""

import datetime

from celery import shared_task
from django.utils import timezone


@shared_task
def ping(value: str = "pong") -> dict:
    """Liveness check of the worker: echoes the value and where it ran."""
    import os
    import socket

    return {"value": value, "host": socket.gethostname(), "pid": os.getpid()}


@shared_task
def documents_apply_effective_dates(day: str | None = None) -> int:
    """Mark released document versions superseded once a later version is in force."""
    from qms.services import documents_apply_effective_dates as apply

    on = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return apply(today=on)


@shared_task
def apply_retention() -> dict:
    """Anonymise personal data past its retention period (qms.personal_data)."""
    from qms.personal_data import apply_retention as apply

    return apply()
