"""Filled in by the complaints issue."""

urlpatterns: list = []
