"""QMS project package and shared core app."""

from qms.celery import app as celery_app

__all__ = ["celery_app"]
