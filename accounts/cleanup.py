"""The account clean-up, run nightly and from the officers' workbench (registered there as a job):
client profiles inactive for 180 consecutive days are deactivated. CBSA employees (staff) are
appointed and ended by the workbench, never by this run."""

import datetime as dt

from django.db.models import Max, Q
from django.utils import timezone

from audit.services import record

from .models import User

# CARM deactivates client profiles inactive for 180 consecutive days (shared/domain brief §2, a third
# party relaying CBSA; no CBSA page with the figure was found).
INACTIVE_DAYS = 180


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def inactive_profiles(day: dt.date):
    """Active client profiles with no sign-in and no API token use in the 180 days before `day` (a
    profile never signed in counts from when it was made)."""
    cutoff = _start_of(day - dt.timedelta(days=INACTIVE_DAYS))
    users = User.objects.filter(is_active=True, is_staff=False, is_superuser=False)
    users = users.annotate(last_api_use=Max("api_tokens__last_used_at"))
    signed_in_before = Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)
    no_api_use_since = Q(last_api_use__isnull=True) | Q(last_api_use__lt=cutoff)
    return users.filter(signed_in_before & no_api_use_since).order_by("pk")


def deactivate_inactive(day: dt.date, progress=None) -> int:
    """Deactivate the profiles inactive on `day` (never a later day than today: a run dated ahead must
    not count inactivity still to come), each audited; their sessions and API tokens stop working
    with the profile (Django's backend and ApiToken.usable refuse inactive users). Run again: 0."""
    day = min(day, timezone.localdate())
    users = list(inactive_profiles(day))
    deactivated = 0
    for done, user in enumerate(users, 1):
        # Conditional: a profile signed in (or deactivated) since the list was read is left alone.
        if User.objects.filter(pk=user.pk, is_active=True, last_login=user.last_login).update(is_active=False):
            deactivated += 1
            record(
                "account.deactivated_inactive",
                obj=user,
                actor_label="account clean-up",
                actor_business="",
                after={
                    "email": user.email,
                    "last_login": user.last_login.isoformat() if user.last_login else None,
                    "last_api_use": user.last_api_use.isoformat() if user.last_api_use else None,
                    "inactive_days": INACTIVE_DAYS,
                    "day": day.isoformat(),
                },
            )
        if progress:
            progress(done, len(users))
    return deactivated
