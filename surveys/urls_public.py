"""Answer pages without login under /s/, namespace ``surveys_public``."""

from django.urls import path

from surveys import public

urlpatterns = [
    path("p/<str:public_token>/", public.public_answer, name="public-answer"),
    path("p/<str:public_token>/thanks/", public.public_thanks, name="public-thanks"),
    path("<str:token>/", public.answer, name="answer"),
    path("<str:token>/thanks/", public.answer_thanks, name="answer-thanks"),
    path("<str:token>/opt-out/", public.opt_out, name="opt-out"),
]
