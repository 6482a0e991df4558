"""Demo data of the surveys area.

- A yearly, anonymous customer satisfaction survey with three closed waves
  (October of the last three years, about 3,000 responses each) and the next
  wave's draft plan. Scored items follow one latent satisfaction per
  respondent plus noise; two items really move between waves — waiting time
  improves clearly, bill clarity drops in the last wave (a new bill layout) —
  while the others only differ by sampling noise. Overall satisfaction is
  driven by the items with different weights, so the key-driver analysis has
  something to find. About 2 % straight-liners and 3 % speeders are planted
  for the data-quality checks.
- A post-complaint survey (identified) with a closed wave for last year and a
  wave in fieldwork this year, answered by customers of closed demo
  complaints; satisfaction depends on the complaint's outcome. Low scores
  opened follow-up tasks.

Deterministic for a given day (own random stream), written with bulk_create,
and safe to run twice (nothing is created when the yearly series exists).

The yearly survey is written by :mod:`~surveys.demo.yearly`, the
post-complaint survey by :mod:`~surveys.demo.post_complaint`, with what both
use in :mod:`~surveys.demo.common`; ``seed_demo`` calls :func:`seed`.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from ..models import Series
from .common import COMMENTS, POST_CODE, SEED, YEARLY_CODE
from .post_complaint import seed_post_complaint
from .yearly import (
    CHANNEL_WEIGHTS,
    CHANNELS,
    DRIVERS,
    GROUPS,
    LANGUAGE_CODES,
    LANGUAGE_WEIGHTS,
    MARGIN,
    WEIGHTS,
    seed_yearly,
)

__all__ = [
    "CHANNELS",
    "CHANNEL_WEIGHTS",
    "COMMENTS",
    "DRIVERS",
    "GROUPS",
    "LANGUAGE_CODES",
    "LANGUAGE_WEIGHTS",
    "MARGIN",
    "POST_CODE",
    "SEED",
    "WEIGHTS",
    "YEARLY_CODE",
    "seed",
]


def seed(ctx) -> None:
    if Series.objects.filter(code=YEARLY_CODE).exists():
        return
    rng = random.Random(SEED)
    today = timezone.localdate()
    last = today.year if today >= datetime.date(today.year, 11, 1) else today.year - 1
    with transaction.atomic():
        responses, answers = seed_yearly(ctx, rng, last)
        responses += seed_post_complaint(ctx, rng, today.year)
    ctx.count("survey responses", responses)
    ctx.count("survey answers", answers)
