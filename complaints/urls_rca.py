"""Filled in by the root-cause analysis issue."""

urlpatterns: list = []
