"""Watches on classification numbers: a new tariff schedule version tells the people watching a
number what it changed for it (its own row, or the tariff item and heading above it), once."""

import pytest
from django.core.exceptions import ValidationError

from notifications import services
from notifications.models import Notification, Watch
from tariff.loader import load_schedule
from tests.tariff.conftest import T2026, T2026_DAY, notes, t2021  # noqa: F401 (fixtures)

from .conftest import told


def test_watchers_of_a_changed_number_are_told_and_only_them(t2021, alice, charlie, olivia, commits):
    services.add_watch(alice, "4402.90.10.10")  # its tariff item 4402.90.10 is reworded in 2026
    services.add_watch(olivia, "0101210000")  # 0101.21.00 gains a GT rate in 2026
    with commits():
        load_schedule(T2026, effective_date=T2026_DAY, label="T2026")
    assert told("tariff.watched_changed") == {alice.email, olivia.email}  # charlie watches nothing
    notice = Notification.objects.get(kind="tariff.watched_changed", recipient=alice)
    changes = notice.context["changes"].split(", ")
    assert "44029010" in changes and all("4402901010".startswith(c.split()[0]) for c in changes)
    assert notice.message.startswith(
        "Classification 4402901010 changed in tariff version T2026 (in force 2026-01-01): "
    )
    french = Notification.objects.get(kind="tariff.watched_changed", recipient=olivia)  # Olivia reads French
    assert "01012100 GT" in french.context["changes"] and french.url.startswith("/en/tariff/classifications/")
    assert services.scan_tariff_versions() == 0  # each version once


@pytest.mark.parametrize(
    ("code", "error"),
    [("12AB", "invalid_code"), ("01012", "invalid_code"), ("9999999999", "unknown_code")],
)
def test_a_number_that_is_not_one_is_refused(t2021, alice, code, error):
    with pytest.raises(ValidationError) as refused:
        services.add_watch(alice, code)
    assert refused.value.code == error
    assert not Watch.objects.exists()


def test_watches_through_the_api(t2021, alice, api):
    call = api(alice)
    response = call("post", "notifications/watches", {"code": "0101.21.00.00"})
    assert response.status_code == 201 and response.json()["code"] == "0101210000"
    refused = call("post", "notifications/watches", {"code": "horse"})
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "code" and refused.json()["errors"][0]["code"] == "invalid_code"
    watch = response.json()["id"]
    assert call("delete", f"notifications/watches/{watch}").status_code == 204
    assert call("delete", f"notifications/watches/{watch}").status_code == 404
