"""Value for duty (issue #15.3): the transaction value is the price adjusted under Customs Act
s.48(5) — additions (a): commissions, packing, assists, royalties, subsequent proceeds; deductions
(b): transportation and insurance from the place of direct shipment, costs after importation,
Canadian duties and taxes — declared per line in the invoice's currency and converted at the
exchange rate; the VFD code (D17-1-10 field 48) agrees with them; the invoice still adds up to its
lines' prices; a deduction larger than the price is refused naming the field and the rule, nothing
saved."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from declarations import services
from declarations.models import Declaration
from tests.conftest import sign_in

from .conftest import cad, line


@pytest.fixture
def today(on_day):
    on_day(dt.date(2025, 1, 6))


def codes(outcome):
    return [(error.pointer, error.code) for error in outcome.errors]


def test_additions_raise_the_value_for_duty(maple, alice, tariff_rows, today):
    outcome = services.submit(alice, cad(line(vfd_code="14", add_packing="500.00", add_royalties="1200.00")))
    assert outcome.code == 39, outcome.errors
    saved = outcome.version.lines.get()
    # 30,000.00 + 500.00 + 1,200.00 = 31,700.00; MFN 6.5 % = 2,060.50; GST 5 % of 33,760.50 = 1,688.03
    assert (saved.vfd, saved.customs_duty, saved.gst, saved.total) == (
        Decimal("31700.00"),
        Decimal("2060.50"),
        Decimal("1688.03"),
        Decimal("3748.53"),
    )
    assert saved.adjustments == {"add_packing": "500.00", "add_royalties": "1200.00"}
    assert outcome.version.invoices.get().amount == Decimal("30000.00")  # the invoice adds up the prices


def test_transport_from_the_place_of_direct_shipment_is_deducted_at_the_exchange_rate(
    maple, alice, tariff_rows, usd_rates, today
):
    usd = [{"number": "US-1", "amount": "1000.00", "currency": "USD", "vendor_name": "V", "vendor_country": "FR"}]
    water = line(invoice="US-1", value="1000.00", vfd_code="14", deduct_transport="80.00")
    outcome = services.submit(alice, cad(water, invoices=usd))
    assert outcome.code == 39, outcome.errors
    saved = outcome.version.lines.get()
    # (1,000.00 − 80.00) USD × 1.15 (3 Jan 2025) = 1,058.00; MFN 6.5 % = 68.77
    assert (saved.vfd, saved.customs_duty) == (Decimal("1058.00"), Decimal("68.77"))


@pytest.mark.parametrize(
    ("changes", "accepted"),
    [
        ({"vfd_code": "13", "add_packing": "500.00"}, False),  # 3: the price without adjustment
        ({"vfd_code": "24"}, False),  # 4: adjusted, but nothing declared
        ({"vfd_code": "15", "deduct_transport": "100.00"}, False),  # 5-9: ss.49-53, no s.48(5) adjustment
        ({"vfd_code": "24", "deduct_duties": "100.00"}, True),
        ({"vfd_code": "15"}, True),
    ],
)
def test_the_vfd_code_agrees_with_the_adjustments(changes, accepted, maple, alice, tariff_rows, today):
    outcome = services.submit(alice, cad(line(**changes)))
    assert codes(outcome) == ([] if accepted else [("/lines/0/vfd_code", "vfd_code_mismatch")])


def test_a_deduction_larger_than_the_price_is_refused_naming_the_field_and_rule(maple, alice, tariff_rows, today):
    outcome = services.submit(alice, cad(line(value="100.00", vfd_code="14", deduct_transport="150.00")))
    assert codes(outcome) == [("/lines/0/deduct_transport", "deductions_exceed_price")]
    english = outcome.errors[0].as_dict()["message"]
    assert english == (
        "Transportation and insurance from the place of direct shipment: the deductions (150.00) are more than "
        "the price with its additions (100.00), and a value for duty cannot be negative (Customs Act s.48(5)(b))."
    )
    with translation.override("fr"):
        french = outcome.errors[0].as_dict()["message"]
    assert french.startswith("Transport et assurance depuis le lieu d'expédition directe : les déductions (150.00)")
    assert "al. 48(5)b)" in french
    assert not Declaration.objects.exists()


def test_a_negative_adjustment_is_refused(maple, alice, tariff_rows, today):
    outcome = services.submit(alice, cad(line(vfd_code="14", add_packing="-500.00")))
    assert codes(outcome) == [("/lines/0/add_packing", "invalid_amount")]


def test_the_declared_vfd_is_the_adjusted_price_converted(maple, alice, tariff_rows, today):
    adjusted = line(vfd_code="14", add_assists="250.00", vfd="30000.00")
    assert codes(services.submit(alice, cad(adjusted))) == [("/lines/0/vfd", "vfd_mismatch")]
    assert services.submit(alice, cad({**adjusted, "vfd": "30250.00"})).code == 39


def test_the_cad_page_shows_how_the_vfd_was_found_and_the_shipment_date(
    client, maple, alice, tariff_rows, usd_rates, today
):
    usd = [{"number": "US-1", "amount": "1000.00", "currency": "USD", "vendor_name": "V", "vendor_country": "FR",
            "shipment_date": "2025-01-02"}]  # fmt: skip
    water = line(invoice="US-1", value="1000.00", vfd_code="14", deduct_transport="80.00", add_packing="20.00")
    number = services.submit(alice, cad(water, invoices=usd)).declaration.transaction_number
    sign_in(client, alice)
    page = client.get(f"/en/declarations/{number}/").content.decode()
    # (1,000.00 + 20.00 − 80.00) USD × 1.44 (the rate of 2 Jan 2025, the date of direct shipment) = 1,353.60
    row = page[page.index('id="cad-vfd"') :]
    assert "How the value for duty was found" in row
    assert all(text in row for text in ("1000.00 USD", "20.00", "80.00", "940.00", "1.44", "(2025-01-02)", "$1,353.60"))
    assert "<td>2025-01-02</td>" in page  # the invoice's date of direct shipment
    french = client.get(f"/fr/declarations/{number}/").content.decode()
    assert "Comment la valeur en douane a été établie" in french
    assert "Taux de change (date d'expédition directe)" in french and "353,60" in french
