"""What is stored of a closed wave's results: its aggregates and its
rendered charts and sections."""

from __future__ import annotations

from django.db import models

from .waves import Wave


class WaveAggregate(models.Model):
    """The stored aggregates of a closed wave (what :mod:`surveys.results`
    reads from its answers, responses and participants), so the results page
    and the reports read one row instead of a wave's half a million answers.

    Written when first needed for a closed wave (:mod:`surveys.aggregates`);
    deleted, in the same transaction, by everything that changes those
    figures: a response excluded or included again, answers scrubbed or
    participants anonymised, a disposition changed, a question or option
    edited, a wave leaving the closed status. ``schema`` is the layout of
    ``data``: a row of another layout is recomputed.
    """

    wave = models.OneToOneField(
        Wave, on_delete=models.CASCADE, primary_key=True, related_name="aggregate"
    )
    schema = models.PositiveSmallIntegerField()
    computed_at = models.DateTimeField(auto_now=True)
    data = models.JSONField()

    def __str__(self) -> str:
        return f"{self.wave_id} (schema {self.schema})"


class WaveChart(models.Model):
    """A rendered chart (SVG) or section (HTML) of a closed wave's results
    page, addressed by a hash of everything it is drawn from (figures,
    labels, titles, language, code version), so a stored one is never shown
    for other figures; deleted with the wave's stored aggregates."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    svg = models.TextField()

    class Meta:
        constraints = [
            # Results page: the charts of a wave by their keys (one query).
            models.UniqueConstraint(fields=["wave", "key"], name="wave_chart_key")
        ]

    def __str__(self) -> str:
        return f"{self.wave_id}:{self.key[:12]}"
