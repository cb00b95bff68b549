"""Notifications fixtures on top of the shared personas: Maple (alice BAM, rita Reader of RM0001),
Northern's bob (BAM) and brenda (employee), a relationship factory (tests/delegation), the
declarations' small tariff and CAD payloads, and `told`: who was told of a kind."""

import pytest

from notifications.models import Notification
from tests.assessment.test_estimate_fixtures import tariff_rows, usd_rates  # noqa: F401 (fixtures)
from tests.declarations.conftest import interest_rate, on_day  # noqa: F401 (fixtures)
from tests.delegation.conftest import api, bob, brenda, northern, relate, tidewater, tina  # noqa: F401 (fixtures)


def told(kind) -> set[str]:
    """The emails of the people told of `kind`."""
    return set(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


@pytest.fixture
def sms_file(settings, tmp_path):
    settings.CARM_NOTIFY_SMS_FILE = str(tmp_path / "sms.jsonl")
    return tmp_path / "sms.jsonl"


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """`with commits():` runs the on-commit callbacks (the Celery deliveries) at the block's end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
