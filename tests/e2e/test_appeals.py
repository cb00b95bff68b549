"""Alice (Maple's BAM) appeals a penalty in the browser, in English and in French, from the
"Appeals and compliance" page; then the supervisor decides on a page showing the notice appealed,
finds no CAD on the s.59 re-determination page, and the outage banner shows on Alice's pages. Every
page is screenshotted and checked with axe-core."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from accounts.demo import ensure_person
from rights import OfficerRole
from tests.e2e.conftest import sign_in


@pytest.fixture
def notice(maple, rm0001):
    from penalties import services as penalties

    officer = ensure_person("trade.officer@cbsa.example", "Tara Trade", officer_roles=[OfficerRole.TRADE])
    today = timezone.localdate()
    return penalties.assess(
        officer, rm0001, "C005", occurred_on=today, reference="INV-9", reason="Wrong origin", today=today
    )


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_importer_appeals_a_penalty_from_the_appeals_page(page, live_server, checker, alice, notice, language):
    from recourse.models import Appeal

    sign_in(page, live_server, alice)
    page.goto(f"{live_server.url}/{language}/appeals/")
    checker.check(f"overview-{language}")
    page.locator(f"gcds-button[href$='/notices/{notice.number}/appeal/']").click()
    page.wait_for_url(re.compile(r"/appeal/$"))
    page.locator("#id_grounds").fill("The certificate of origin was valid.")
    page.locator("form[method=post] gcds-button[type=submit]").click()
    page.wait_for_url(re.compile(r"/appeals/APL-[0-9A-F]+/$"))
    checker.check(f"filed-{language}")
    assert Appeal.objects.get().notice == notice
    page.goto(f"{live_server.url}/{language}/appeals/notices/{notice.number}/appeal/")
    page.locator("#id_grounds").fill("Again")
    page.locator("form[method=post] gcds-button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    checker.check(f"refused-twice-{language}")
    assert Appeal.objects.count() == 1


def test_the_recourse_officer_decides_and_the_client_sees_the_outage_banner(
    page, live_server, checker, alice, olivia, notice
):
    from penalties import services as penalties
    from recourse import services

    appeal = services.appeal_penalty(alice, notice, grounds="The certificate of origin was valid.")
    now = timezone.now()
    penalties.declare_outage(
        olivia,
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=2),
        reason="Database failover",
        message_en="The portal is slow until 14:00: late-accounting penalties are waived.",
        message_fr="Le portail est lent jusqu'à 14 h : les pénalités pour déclaration tardive sont levées.",
    )
    sign_in(page, live_server, olivia)
    page.goto(f"{live_server.url}/en/appeals/officer/")
    checker.check("officer-queue")
    page.goto(f"{live_server.url}/en/appeals/officer/{appeal.number}/")
    checker.check("officer-appeal")
    appealed = page.locator("#appealed-notice")  # the decision page shows the notice appealed
    assert notice.number in appealed.inner_text() and "$150.00" in appealed.inner_text()
    page.locator("select#id_decision").select_option("allowed")
    page.locator("#id_reasons").fill("The certificate was valid on the day of release.")
    page.locator("input[name=what][value=decision] ~ div gcds-button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    checker.check("officer-decided")
    appeal.refresh_from_db()
    assert appeal.decision == "allowed"
    page.goto(f"{live_server.url}/fr/cbsa/redeterminations/?transaction_number=12345678901234")
    checker.check("officer-redeterminations-unknown-cad-fr")  # the s.59 page, its refusal beside the field
    refusal = page.locator("#error-message-id_transaction_number")
    assert "Aucune déclaration ne porte ce numéro de transaction." in refusal.inner_text()
    page.context.clear_cookies()
    sign_in(page, live_server, alice)
    page.goto(f"{live_server.url}/fr/appeals/")
    checker.check("overview-banner-fr")
    assert page.get_by_text("Le portail est lent jusqu'à 14 h").is_visible()
