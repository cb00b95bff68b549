"""The demo's releases sit around the day it is loaded (issue #17 item 2): one past its deadline,
one due within days, one of low value due next month; a second run adds none."""

import datetime as dt

from django.utils import timezone

from releases import demo, services
from releases.models import Release
from tests.declarations.conftest import bob, northern, relate  # noqa: F401 (fixtures)


def test_the_demo_releases_are_placed_around_today_and_a_second_run_adds_none(
    alice, bob, rm0001, relate, release_system
):
    relate("business", person=bob)  # Northern (bob) acts for Maple, as in the demo
    demo.seed()
    demo.seed()

    today = timezone.localdate()
    assert Release.objects.count() == 3
    found = services.awaiting_accounting(alice, today)
    assert [(today - item.release.release_date).days for item in found] == [9, 2, 0]
    assert found[0].overdue(today) and not found[1].overdue(today) and not found[2].overdue(today)
    assert found[2].deadline.rule == "low_value_24th" and found[2].deadline.day > today + dt.timedelta(days=5)
    assert {item.release.submitted_by_business.bn9 for item in found} == {"123026635", "123456782"}
