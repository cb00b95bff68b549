"""The account clean-up job: client profiles inactive for 180 consecutive days are deactivated (and
audited), CBSA staff never; recent sign-ins or API use keep a profile; a re-run has nothing to do."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts import cleanup
from accounts.demo import ensure_person
from accounts.models import ApiToken, User
from audit.models import AuditEntry
from rights import OfficerRole

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def _person(email, *, joined_days_ago, last_login_days_ago=None):
    user = ensure_person(email, email.split("@")[0])
    last_login = _ago(last_login_days_ago) if last_login_days_ago is not None else None
    User.objects.filter(pk=user.pk).update(date_joined=_ago(joined_days_ago), last_login=last_login)
    return user


def test_profiles_inactive_180_days_are_deactivated_and_audited_with_progress():
    stale = _person("stale@example.com", joined_days_ago=400, last_login_days_ago=181)
    never = _person("never@example.com", joined_days_ago=181)
    recent = _person("recent@example.com", joined_days_ago=400, last_login_days_ago=179)
    new = _person("new@example.com", joined_days_ago=10)
    heard = []
    assert cleanup.deactivate_inactive(TODAY, progress=lambda done, total: heard.append((done, total))) == 2
    active = dict(
        User.objects.filter(pk__in=[u.pk for u in (stale, never, recent, new)]).values_list("email", "is_active")
    )
    assert active == {
        "stale@example.com": False,
        "never@example.com": False,
        "recent@example.com": True,
        "new@example.com": True,
    }
    assert heard == [(1, 2), (2, 2)]
    audited = AuditEntry.objects.filter(action="account.deactivated_inactive")
    assert sorted(entry.after["email"] for entry in audited) == ["never@example.com", "stale@example.com"]


def test_a_re_run_has_nothing_to_do():
    _person("stale@example.com", joined_days_ago=400, last_login_days_ago=200)
    assert cleanup.deactivate_inactive(TODAY) == 1
    assert cleanup.deactivate_inactive(TODAY) == 0


def test_recent_api_use_keeps_a_profile_that_has_not_signed_in():
    user = _person("robot@example.com", joined_days_ago=400, last_login_days_ago=300)
    ApiToken.objects.create(
        user=user, name="ERP", prefix="abc12345", key_hash="x", expires_at=_ago(-30), last_used_at=_ago(3)
    )
    assert cleanup.deactivate_inactive(TODAY) == 0


def test_cbsa_staff_are_never_deactivated_by_the_clean_up():
    officer = ensure_person("old.officer@cbsa.example", "Old Officer", officer_roles=[OfficerRole.AUDITOR])
    User.objects.filter(pk=officer.pk).update(date_joined=_ago(900), last_login=_ago(800))
    assert cleanup.deactivate_inactive(TODAY) == 0


def test_a_run_dated_ahead_does_not_count_inactivity_still_to_come():
    _person("soon@example.com", joined_days_ago=400, last_login_days_ago=170)
    assert cleanup.deactivate_inactive(TODAY + dt.timedelta(days=30)) == 0
