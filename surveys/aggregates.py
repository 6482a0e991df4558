"""Stored aggregates of closed waves: the sums :mod:`surveys.results` reads
from a wave's answers, kept in one :class:`~surveys.models.WaveAggregate`
row per closed wave, so the results page, its exports and the report's
survey section read a row instead of re-aggregating half a million answers
(25,000 responses: about 4 s of SQL per view on the benchmark).

What is stored is exactly what the live queries return: the answers counted
per (question, group, value), the sums per question, the paired sums of the
key-driver analysis (for the overall item of the time), and the counted and
excluded responses and the participant dispositions per group. Target groups'
names and populations, questions and options stay live (small reads).

When it is written: the first time a closed wave's figures are needed
(:func:`wave_figures`), under a lock on the wave's row, so that an exclusion
waits for the computation and then deletes what it stored. Open waves
(fieldwork) are always computed live and never stored.

When it is deleted (:func:`invalidate`, in the transaction of the change):
a response excluded or counted again (:mod:`surveys.analysis`), answers
scrubbed or participants anonymised (:mod:`surveys.personal_data`), a
disposition changed after the close (bounce, opt-out:
:mod:`surveys.services`), a question or option of the wave's questionnaire
saved or deleted (signals: the admin edits them directly), and a wave
leaving or entering the closed status. The rendered charts of the wave
(:class:`~surveys.models.WaveChart`) go with them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from . import results
from .models import Question, Wave, WaveAggregate, WaveChart
from .results import GroupCounts, PairedSums, QuestionSums

# Layout of WaveAggregate.data; a row of another layout is recomputed.
SCHEMA = 1


@dataclass
class WaveFigures:
    """The aggregates of one wave, live or stored (same numbers either way)."""

    wave_id: int
    # (question, group) -> answers per coded value
    counts: dict[tuple[int, int | None], Counter] = field(default_factory=dict)
    sums: dict[int, QuestionSums] = field(default_factory=dict)
    # group -> (counted responses, excluded responses)
    responses: dict[int | None, tuple[int, int]] = field(default_factory=dict)
    # group -> participants per disposition
    dispositions: dict[int | None, Counter] = field(default_factory=dict)
    # The overall item the driver sums pair with (None: no such item).
    overall_id: int | None = None
    drivers: dict[int, PairedSums] = field(default_factory=dict)
    stored: bool = False

    def value_counts(self) -> dict[tuple[int, int, int | None], Counter]:
        """In the shape of :func:`surveys.results.value_counts`."""
        return {(self.wave_id, q, g): c for (q, g), c in self.counts.items()}

    def question_sums(self) -> dict[tuple[int, int], QuestionSums]:
        """In the shape of :func:`surveys.results.question_sums`."""
        return {(self.wave_id, q): s for q, s in self.sums.items()}

    def group_counts(self, wave: Wave) -> list[GroupCounts]:
        """In the shape of :func:`surveys.results.group_counts` (one query:
        the wave's target groups)."""
        return results.assemble_group_counts(wave, self.dispositions, self.responses)

    # --- JSON ---------------------------------------------------------------

    def to_json(self) -> dict:
        return {
            "counts": [
                [q, g, value, n]
                for (q, g), counter in sorted(self.counts.items(), key=_key)
                for value, n in sorted(counter.items())
            ],
            "sums": [
                [q, s.respondents, s.num_n, s.num_sum, s.num_sum2, s.texts]
                for q, s in sorted(self.sums.items())
            ],
            "responses": [
                [g, counted, excluded]
                for g, (counted, excluded) in sorted(self.responses.items(), key=_key)
            ],
            "dispositions": [
                [g, disposition, n]
                for g, counter in sorted(self.dispositions.items(), key=_key)
                for disposition, n in sorted(counter.items())
            ],
            "overall": self.overall_id,
            "drivers": [
                [q, p.n, p.sum_x, p.sum_y, p.sum_x2, p.sum_y2, p.sum_xy]
                for q, p in sorted(self.drivers.items())
            ],
        }

    @classmethod
    def from_json(cls, wave_id: int, data: dict) -> WaveFigures:
        counts: dict[tuple[int, int | None], Counter] = defaultdict(Counter)
        for q, g, value, n in data["counts"]:
            counts[(q, g)][value] = n
        dispositions: dict[int | None, Counter] = defaultdict(Counter)
        for g, disposition, n in data["dispositions"]:
            dispositions[g][disposition] = n
        return cls(
            wave_id=wave_id,
            counts=dict(counts),
            sums={
                q: QuestionSums(r, nn, float(s), float(s2), t)
                for q, r, nn, s, s2, t in data["sums"]
            },
            responses={g: (c, e) for g, c, e in data["responses"]},
            dispositions=dict(dispositions),
            overall_id=data["overall"],
            drivers={
                q: PairedSums(n, *map(float, rest)) for q, n, *rest in data["drivers"]
            },
            stored=True,
        )


def _key(item):
    """Sort key for keys holding a group id that may be None."""
    key = item[0]
    if isinstance(key, tuple):
        return tuple((-1 if k is None else k) for k in key)
    return -1 if key is None else key


def overall_of(questionnaire_id: int) -> Question | None:
    """The overall item of a questionnaire version, as the results page
    picks it (first by section, order, id). One query."""
    return (
        Question.objects.filter(questionnaire_id=questionnaire_id, is_overall=True)
        .order_by("section__order", "order", "id")
        .first()
    )


def compute(wave: Wave, overall: Question | None) -> WaveFigures:
    """The aggregates of ``wave`` read live from its rows (five queries, four
    with no overall item)."""
    figures = WaveFigures(wave_id=wave.pk)
    for (_w, q, g), counter in results.value_counts([wave.pk]).items():
        figures.counts[(q, g)] = counter
    figures.sums = {q: s for (_w, q), s in results.question_sums([wave.pk]).items()}
    figures.dispositions, figures.responses = results.group_rows(wave)
    if overall is not None:
        figures.overall_id = overall.pk
        figures.drivers = results.driver_sums(wave, overall)
    return figures


def _stored(wave_ids: Iterable[int]) -> dict[int, WaveFigures]:
    return {
        row.wave_id: WaveFigures.from_json(row.wave_id, row.data)
        for row in WaveAggregate.objects.filter(
            wave_id__in=list(wave_ids), schema=SCHEMA
        )
    }


def _freeze(wave: Wave, overall: Question | None) -> WaveFigures:
    """Compute and store the aggregates of a closed wave, holding its row
    lock so that a concurrent exclusion (which takes the same lock to
    invalidate) either comes before the reads or deletes what is stored
    after them. A wave found open meanwhile is computed, not stored."""
    with transaction.atomic():
        status = (
            Wave.objects.select_for_update()
            .filter(pk=wave.pk)
            .values_list("status", flat=True)
            .first()
        )
        stored = _stored([wave.pk]).get(wave.pk)
        if stored is not None:  # another request stored it while we waited
            return stored
        figures = compute(wave, overall)
        if status != Wave.Status.CLOSED:
            return figures
        WaveAggregate.objects.filter(wave_id=wave.pk).delete()  # other schema
        try:
            with transaction.atomic():
                WaveAggregate.objects.create(
                    wave_id=wave.pk, schema=SCHEMA, data=figures.to_json()
                )
        except IntegrityError:  # pragma: no cover - SQLite has no row locks
            return figures
        figures.stored = True
    return figures


def wave_figures(waves: list[Wave], overall_ids: dict[int, Question | None]):
    """The aggregates of each of ``waves`` (by wave id): stored ones for
    closed waves (one query for all), computed and stored on first use,
    computed live for open waves. ``overall_ids`` maps a wave id to the
    overall item its driver sums pair with."""
    found = _stored(w.pk for w in waves if w.status == Wave.Status.CLOSED)
    figures: dict[int, WaveFigures] = {}
    for wave in waves:
        overall = overall_ids.get(wave.pk)
        overall_id = overall.pk if overall is not None else None
        stored = found.get(wave.pk)
        if stored is not None and stored.overall_id != overall_id:
            # The overall item changed without a save signal (should not
            # happen); pair with the current one, live.
            stored.overall_id = overall_id
            stored.drivers = (
                results.driver_sums(wave, overall) if overall is not None else {}
            )
        if stored is not None:
            figures[wave.pk] = stored
        elif wave.status == Wave.Status.CLOSED:
            figures[wave.pk] = _freeze(wave, overall)
        else:
            figures[wave.pk] = compute(wave, overall)
    return figures


def invalidate(wave_ids: Iterable[int]) -> None:
    """Delete the stored aggregates and charts of the given waves, after
    taking their row locks (so a computation in progress finishes first and
    its result is deleted, not kept). Call it inside the transaction of the
    change: a rollback keeps the stored figures, which are then still right."""
    ids = sorted({pk for pk in wave_ids if pk is not None})
    if not ids:
        return
    with transaction.atomic():
        list(
            Wave.objects.select_for_update()
            .filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        WaveAggregate.objects.filter(wave_id__in=ids).delete()
        WaveChart.objects.filter(wave_id__in=ids).delete()


def invalidate_questionnaire(questionnaire_id: int | None) -> None:
    """Invalidate every wave that uses a questionnaire version (its
    questions or options changed)."""
    if questionnaire_id is None:
        return
    invalidate(
        Wave.objects.filter(questionnaire_id=questionnaire_id).values_list(
            "pk", flat=True
        )
    )


def question_changed(sender, instance, **kwargs) -> None:
    """Signal receiver (Question, Option saved or deleted): the stored
    figures of the waves of its questionnaire no longer hold (an option's
    value, a question's type or overall flag may have changed; the admin
    edits them without the services)."""
    if isinstance(instance, Question):
        invalidate_questionnaire(instance.questionnaire_id)
    else:
        questionnaire_id = (
            Question.objects.filter(pk=instance.question_id)
            .values_list("questionnaire_id", flat=True)
            .first()
        )
        invalidate_questionnaire(questionnaire_id)


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    from .models import Option

    for model in (Question, Option):
        post_save.connect(question_changed, sender=model, dispatch_uid=f"agg-{model}")
        post_delete.connect(
            question_changed, sender=model, dispatch_uid=f"agg-del-{model}"
        )
