"""What both demo series use: the random seed, series codes, answer labels,
comments, and helpers that write questions and sections."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from ..models import Participant, Question, Section

SEED = 2026
YEARLY_CODE = "yearly-satisfaction"
POST_CODE = "post-complaint"
T = Question.Type
D = Participant.Disposition


AGREE = ("Ei ole üldse nõus", "Strongly disagree", "Совершенно не согласен")
AGREE_HIGH = ("Täiesti nõus", "Strongly agree", "Полностью согласен")


COMMENTS = {
    "negative": [
        ("et", "Arve on segane, ei saa aru, mille eest maksan."),
        ("et", "Klienditeenindusse helistades pidin ootama üle 20 minuti."),
        ("et", "Veekatkestusest ei teatatud ette, hommikul polnud vett."),
        ("et", "Kaebusele vastati alles kolme nädala pärast."),
        ("en", "I waited far too long on the phone."),
        ("en", "Nobody told us about the water cut in advance."),
        ("en", "The bill is confusing and the amounts do not match my readings."),
        ("ru", "Очень долго ждал ответа по телефону."),
    ],
    "mixed": [
        ("et", "Teenindajad on abivalmid, aga vastust tuli kaua oodata."),
        ("et", "Vesi on hea, kuid portaal on kohmakas."),
        ("et", "Üldiselt korras, aga katkestustest võiks SMS-iga teatada."),
        ("en", "Staff were friendly but the portal keeps logging me out."),
        ("en", "Good water, but information about works in our street was late."),
        ("ru", "Вода хорошая, но сайт неудобный."),
    ],
    "positive": [
        ("et", "Kõik toimib, aitäh!"),
        ("et", "Väga meeldiv ja kiire teenindus."),
        ("et", "Portaalis on mugav näite sisestada."),
        ("et", "Probleem lahendati samal päeval, suur tänu."),
        ("en", "Everything works well, thank you."),
        ("en", "Quick and friendly help on the phone."),
        ("en", "Meter reading in the portal is easy."),
        ("ru", "Всё хорошо, спасибо!"),
    ],
    # The last wave's new bill layout.
    "bill": [
        ("et", "Uus arve vorm on raskemini loetav, ei leia tarbimist üles."),
        ("et", "Miks arve muutus? Varem oli selgem."),
        ("en", "The new bill format is harder to read."),
        ("en", "I cannot find my consumption on the new bill."),
    ],
}


def _clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


def _question(q, section, order, code, type_, texts, **fields) -> Question:
    return Question.objects.create(
        questionnaire=q,
        section=section,
        order=order,
        code=code,
        type=type_,
        text_et=texts[0],
        text_en=texts[1],
        text_ru=texts[2],
        **fields,
    )


def _labels(low, high) -> dict:
    return {
        "low_label_et": low[0],
        "low_label_en": low[1],
        "low_label_ru": low[2],
        "high_label_et": high[0],
        "high_label_en": high[1],
        "high_label_ru": high[2],
    }


def _section(q, order, titles) -> Section:
    return Section.objects.create(
        questionnaire=q,
        order=order,
        title_et=titles[0],
        title_en=titles[1],
        title_ru=titles[2],
    )


def _moment(day: datetime.date, rng: random.Random) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(
            day, datetime.time(8 + rng.randrange(12), rng.randrange(60))
        )
    )
