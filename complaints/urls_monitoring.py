"""Monitoring of the complaints area, under /complaints/monitoring/."""

from django.urls import path

from complaints import views_monitoring

urlpatterns = [
    path("", views_monitoring.monitoring_page, name="monitoring"),
]
