"""Alice reads her notifications in the browser (the unread count in the header, mark as read,
archive) and chooses her channels; silencing a money event is refused with a clear error. In English
and French; every page screenshotted and checked with axe-core."""

import re

import pytest

from tests.e2e.conftest import sign_in


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_person_reads_archives_and_chooses_channels(page, live_server, checker, maple, alice, language):
    from notifications import services
    from notifications.models import Notification

    account = maple.program_accounts.get(number="123456782RM0001")
    services.emit(
        "statement.issued",
        program_account=account,
        key="S-2025-01",
        context={
            "account": account.number,
            "period_end": "2025-01-17",
            "amount_due": "3547.50",
            "due_date": "2025-01-31",
        },
    )
    services.emit(
        "ruling.status_changed", people=[alice], key="R-1", context={"reference": "R-2026-0042", "status": "issued"}
    )
    sign_in(page, live_server, alice)
    page.goto(f"{live_server.url}/{language}/notifications/")
    checker.check(f"inbox-{language}")
    unread = {"en": "Notifications (2 unread)", "fr": "Notifications (2 non lues)"}[language]
    assert page.get_by_text(unread).first.is_visible()
    page.locator("table.carm-table tbody tr").first.locator("gcds-button").first.click()
    page.wait_for_url(re.compile(r"/notifications/$"))
    assert Notification.objects.inbox_of(alice).unread().count() == 1
    page.locator("table.carm-table tbody tr").nth(1).locator("gcds-button").nth(1).click()
    page.wait_for_url(re.compile(r"/notifications/$"))
    checker.check(f"archived-one-{language}")
    assert Notification.objects.inbox_of(alice).count() == 1

    page.goto(f"{live_server.url}/{language}/notifications/preferences/")
    checker.check(f"preferences-{language}")
    page.locator("input#statement\\.issued-inbox").uncheck()
    page.locator("input#statement\\.issued-email").uncheck()
    page.locator("form gcds-button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")
    checker.check(f"preferences-refused-{language}")
    refused = {"en": "cannot be turned off", "fr": "ne peut pas être désactivé"}[language]
    assert page.get_by_text(re.compile(refused)).first.is_visible()
    assert not alice.notification_preferences.exists()
