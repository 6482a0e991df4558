"""Staff pages of the surveys area, one module per part of the work:
:mod:`~surveys.views.series` (landing page and series),
:mod:`~surveys.views.questionnaires` (the questionnaire builder),
:mod:`~surveys.views.waves` (the survey plan and its approval),
:mod:`~surveys.views.distribution` (sample, invitations, fieldwork monitor,
participants), :mod:`~surveys.views.responses` (staff entry of phone and
paper answers, export), :mod:`~surveys.views.results` (results, comments,
data quality) and :mod:`~surveys.views.followups`. ``surveys.urls`` names
them; the answer pages respondents see are in :mod:`surveys.public`."""
