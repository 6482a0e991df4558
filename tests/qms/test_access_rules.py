"""The declared object rules of qms.access: manager permissions, own records,
and the hooks an area adds (the views' answers are in test_access_matrix)."""

from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest

from qms.access import Rule

# Rules decided on plain objects: the database plays no part.
pytestmark = pytest.mark.single_db


@dataclass
class FakeUser:
    pk: int | None
    perms: set[str] = field(default_factory=set)

    def has_perm(self, perm: str) -> bool:
        return perm in self.perms


PLAN = Rule(
    write_all=("app.change_plan", "app.manage_plan"),
    change="app.change_plan",
    own=("owner", "parent__owner"),
)


def _record(owner_id=None, parent_owner_id=None):
    parent = SimpleNamespace(owner_id=parent_owner_id)
    return SimpleNamespace(owner_id=owner_id, parent=parent)


def test_a_manager_changes_every_record():
    manager = FakeUser(1, {"app.change_plan", "app.manage_plan"})
    assert PLAN.may_write(manager, _record(owner_id=2))


def test_an_owner_changes_only_their_own_records():
    owner = FakeUser(2, {"app.change_plan"})
    assert PLAN.may_write(owner, _record(owner_id=2))
    assert PLAN.may_write(owner, _record(owner_id=3, parent_owner_id=2))
    assert not PLAN.may_write(owner, _record(owner_id=3))


def test_owning_without_the_change_permission_changes_nothing():
    assert not PLAN.may_write(FakeUser(2, {"app.manage_plan"}), _record(owner_id=2))


def test_no_user_owns_a_record_without_an_owner():
    anonymous = FakeUser(None, {"app.change_plan"})
    assert not PLAN.may_write(anonymous, _record())


def test_without_own_fields_the_change_permission_covers_every_record():
    rule = Rule(change="app.handle", never_writes=lambda u, o: o.subject_id == u.pk)
    handler = FakeUser(5, {"app.handle"})
    assert rule.may_write(handler, SimpleNamespace(subject_id=6))
    assert not rule.may_write(handler, SimpleNamespace(subject_id=5))
    assert not rule.may_write(FakeUser(5), SimpleNamespace(subject_id=6))


def test_a_hook_grants_more_than_the_permissions():
    rule = Rule(
        write_all=("app.manage",),
        also_writes=lambda u, o: o.draft and o.author_id == u.pk,
    )
    author = FakeUser(7)
    assert rule.may_write(author, SimpleNamespace(draft=True, author_id=7))
    assert not rule.may_write(author, SimpleNamespace(draft=False, author_id=7))


def test_reading_own_records_or_all_with_the_permission():
    rule = Rule(read_all=("app.view_all",), own=("author",), outside_scope=403)
    assert rule.may_read(FakeUser(1, {"app.view_all"}), SimpleNamespace(author_id=2))
    assert rule.may_read(FakeUser(2), SimpleNamespace(author_id=2))
    assert not rule.may_read(FakeUser(3), SimpleNamespace(author_id=2))


def test_without_the_view_permission_nothing_is_read():
    rule = Rule(view="app.view")
    assert not rule.may_read(FakeUser(1), SimpleNamespace())
    assert rule.may_read(FakeUser(1, {"app.view"}), SimpleNamespace())


def test_answers_are_403_or_404_only():
    with pytest.raises(ValueError):
        Rule(outside_scope=401)
