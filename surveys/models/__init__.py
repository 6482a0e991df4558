"""Customer satisfaction and opinion surveys (ISO 10004, ISO 9001 §9.1.2).

A *series* is a survey that is repeated (the yearly satisfaction survey, the
post-complaint survey); each run is a *wave* with its own plan, target groups,
participants and responses. A wave uses one *questionnaire* version; question
*codes* stay the same across versions so waves can be compared question by
question.

Anonymous waves: the participant record (who was invited, their disposition)
and the response (what was answered) are never linked — a response holds its
target group only. Progress of an unfinished answer is kept on the participant
(``draft``) and deleted when the response is submitted.

The models live in one module per part (questionnaires, waves, participants,
responses, follow-ups, stored aggregates) and are all imported here, in the
order they were declared, so Django finds them and ``surveys.models.X`` works.
"""

# In declaration order, which is the order Django registers the models in
# (apps.get_models(), dumpdata): not sorted.
# isort: off
from .common import LANGUAGES, TranslatedText, new_token
from .questionnaires import Option, Question, Questionnaire, Section, Series
from .waves import TargetGroup, Wave, WaveTransition
from .participants import Participant
from .responses import Answer, Response
from .followups import FollowUp, FollowUpTransition
from .aggregates import WaveAggregate, WaveChart

# isort: on

__all__ = [
    "LANGUAGES",
    "Answer",
    "FollowUp",
    "FollowUpTransition",
    "Option",
    "Participant",
    "Question",
    "Questionnaire",
    "Response",
    "Section",
    "Series",
    "TargetGroup",
    "TranslatedText",
    "Wave",
    "WaveAggregate",
    "WaveChart",
    "WaveTransition",
    "new_token",
]
