"""A customer need can be linked to a criterion of a released standard."""

import pytest
from django.urls import reverse

from needs.forms import LinkForm
from standards.models import Criterion
from tests.needs.helpers import accept, make_need
from tests.standards.helpers import add_criterion, approve, make_standard

pytestmark = pytest.mark.django_db


def test_need_is_linked_to_a_released_criterion(
    client_for, quality_manager, process_owner
):
    standard = make_standard(process_owner)
    version = standard.document.versions.get()
    criterion = add_criterion(version, "Answers an e-mail within one working day.")
    draft_only = make_standard(process_owner, identifier="STD-D", channel="email")
    add_criterion(draft_only.document.versions.get(), "Draft criterion.")
    approve(version, process_owner, quality_manager)
    assert list(Criterion.objects.linkable()) == [criterion]
    assert criterion.link_label == "STD-T v1: Answers an e-mail within one working day."

    need = accept(make_need(by=quality_manager), quality_manager)
    client = client_for(quality_manager)
    client.post(
        reverse("needs:link-add", args=[need.pk]),
        {"kind": "measures", "criterion": criterion.pk},
    )
    link = need.links.get()
    assert link.target == criterion
    assert "Answers an e-mail" in link.target_label
    page = client.get(need.get_absolute_url()).content.decode()
    assert "STD-T v1: Answers an e-mail" in page
    assert criterion.get_absolute_url().endswith(f"/criteria/{criterion.pk}/")


def test_link_form_wants_exactly_one_target(process_owner, quality_manager):
    standard = make_standard(process_owner)
    version = standard.document.versions.get()
    criterion = add_criterion(version)
    approve(version, process_owner, quality_manager)
    from tests.factories import ServiceFactory

    form = LinkForm(
        {"kind": "answers", "criterion": criterion.pk, "service": ServiceFactory().pk}
    )
    assert not form.is_valid()
