"""The client 360's security and appeals panels: an officer reads the importer's RPP status,
requirement, bonds and sufficiency, its open s.129 appeals and penalty notices."""

import pytest
from django.utils import timezone

from penalties import services as penalties
from recourse import services as recourse
from rights import OfficerRole
from security import services as security
from tests.security.conftest import enrol, sam, secured, sureco  # noqa: F401 (fixtures)
from workbench import services

pytestmark = pytest.mark.django_db


def _panel(client, key: str, lang: str = "en") -> str:
    page = client.get(f"/{lang}/cbsa/clients/123456782/").content.decode()
    start = page.index(f'id="panel-{key}"')
    return page[start : page.index("</section>", start)]


def test_the_security_panel_shows_rpp_status_requirement_bond_and_that_it_suffices(
    officers,
    as_person,
    alice,
    rm0001,
    sam,
    sureco,  # noqa: F811 (fixtures)
):
    bond = secured(rm0001, alice, sam, sureco, amount="50000.00", day=timezone.localdate())
    requirement = security.requirement_of(rm0001)
    panel = _panel(as_person(officers[OfficerRole.AUDITOR]), "security")
    assert "Enrolled" in panel and bond.number in panel and "50,000.00" in panel
    assert f"{requirement.bond_amount:,}" in panel and ">Yes<" in panel


def test_the_security_panel_shows_the_shortfall_of_an_unsecured_enrolled_account(officers, as_person, rm0001):
    enrol(rm0001, timezone.localdate())
    requirement = security.calculate(rm0001, today=timezone.localdate())
    panel = _panel(as_person(officers[OfficerRole.AUDITOR]), "security")
    assert f"No: ${requirement.bond_amount:,} short" in panel


def test_the_appeals_panel_shows_an_open_penalty_appeal_and_its_notice_in_french_too(
    officers, as_person, alice, rm0001
):
    today = timezone.localdate()
    notice = penalties.assess(
        officers[OfficerRole.TRADE], rm0001, "C005", occurred_on=today, reference="INV-9", reason="x", today=today
    )
    appeal = recourse.appeal_penalty(alice, notice, grounds="The invoice was right.")
    client = as_person(officers[OfficerRole.RECOURSE])
    panel = _panel(client, "appeals")
    appeals_table = panel[panel.index("Open penalty appeals (s.129)") :]
    assert appeal.number in appeals_table and notice.number in panel
    assert appeal.number not in panel[: panel.index("Open penalty appeals (s.129)")]  # not among the s.60 requests
    french = _panel(client, "appeals", "fr")
    assert "Appels de pénalités en cours (art. 129)" in french


def test_the_appeals_queue_links_each_request_to_its_decision_page_and_counts_its_age(officers, alice, rm0001):
    today = timezone.localdate()
    notice = penalties.assess(
        officers[OfficerRole.TRADE], rm0001, "C005", occurred_on=today, reference="INV-9", reason="x", today=today
    )
    appeal = recourse.appeal_penalty(alice, notice, grounds="The invoice was right.")
    [row] = services.queue_items("appeals", officers[OfficerRole.RECOURSE])
    assert row["link"] == f"/en/appeals/officer/{appeal.number}/" and (row["opened"], row["age"]) == (today, 0)


def test_the_security_queue_links_a_modification_request_to_its_decision_page(
    officers,
    alice,
    rm0001,
    sam,
    sureco,  # noqa: F811 (fixtures)
):
    secured(rm0001, alice, sam, sureco)
    asked = security.request_modification(alice, rm0001, "4000.00", "March was a one-off order")
    [row] = services.queue_items("security", officers[OfficerRole.REVENUE])
    assert row["link"] == f"/en/security/queue/modification/{asked.pk}/"
