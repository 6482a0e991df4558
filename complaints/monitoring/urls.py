"""Monitoring of the complaints area, under /complaints/monitoring/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.monitoring_page, name="monitoring"),
]
