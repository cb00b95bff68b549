"""The kernel keeps the SQL of the accounts a provider's employee holds (per person, action and day),
never the rows: an assignment or an expiry shows on the very next call."""

import datetime

from django.utils import timezone

from businesses.models import ProgramAccount
from delegation import services
from rights import Action

from .conftest import expire


def test_an_assignment_and_an_expiry_show_on_the_next_call(relate, bob, brenda, rm0001):
    relationship = relate()  # in force, nobody assigned
    held = lambda: rm0001 in ProgramAccount.objects.visible_to(brenda, Action.TRANSACT)  # noqa: E731
    assert not held()
    services.assign(bob, relationship, "editor", user=brenda)
    assert held()
    expire(relationship)
    assert not held()


def test_a_relationship_ending_today_is_not_held_tomorrow(relate, brenda, rm0001, monkeypatch):
    """The day relationships are in force on is part of the kept SQL's key: the SQL of today names
    today's date, tomorrow's is compiled again."""
    today = timezone.localdate()
    relate(person=brenda, expires_on=today)
    assert rm0001 in ProgramAccount.objects.visible_to(brenda, Action.TRANSACT)
    monkeypatch.setattr(timezone, "localdate", lambda *args: today + datetime.timedelta(days=1))
    assert rm0001 not in ProgramAccount.objects.visible_to(brenda, Action.TRANSACT)
