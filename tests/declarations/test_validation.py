"""Every validation rule of declarations.validation: a failing case (its code and JSON pointer) beside the
valid declaration every case starts from (which passes)."""

import datetime as dt
from decimal import Decimal

import pytest

from assessment.models import ExchangeRate
from businesses.models import ProgramAccount
from declarations import services, transaction_numbers
from declarations.models import Declaration

from .conftest import RM1, WINE, cad, line


@pytest.fixture
def today(on_day):
    on_day(dt.date(2025, 1, 6))


def codes(outcome):
    return [(error.pointer, error.code) for error in outcome.errors]


def invoice(**changes):
    return {
        "number": "INV-1",
        "amount": "30000.00",
        "currency": "CAD",
        "vendor_name": "Eaux de France SA",
        "vendor_country": "FR",
        **changes,
    }


CASES = [
    # header
    ("not an object", ["a list"], "", "invalid"),
    ("importer missing", cad(importer=""), "/importer", "required"),
    ("importer malformed", cad(importer="123456782RT0001"), "/importer", "invalid_importer"),
    ("importer unknown", cad(importer="123456782RM0009"), "/importer", "unknown_importer"),
    ("mode of transport", cad(mode_of_transport="3"), "/mode_of_transport", "invalid_choice"),
    ("release office", cad(release_office="45"), "/release_office", "invalid_office"),
    ("release date malformed", cad() | {"release_date": "03/01/2025"}, "/release_date", "invalid_date"),
    ("release date in the future", cad(release_date=dt.date(2025, 2, 1)), "/release_date", "future_date"),
    ("release time", cad(release_time="25:99"), "/release_time", "invalid_time"),
    ("cad type", cad(cad_type="credit"), "/cad_type", "invalid_choice"),
    ("declarant malformed", cad(declarant="12345"), "/declarant", "invalid_declarant"),
    ("declarant not the submitter", cad(declarant="123026635RM0001"), "/declarant", "declarant_not_submitter"),
    (
        "transaction number malformed",
        cad(transaction_number="1234"),
        "/transaction_number",
        "malformed_transaction_number",
    ),
    ("bad check digit", cad(transaction_number="10207003502333"), "/transaction_number", "bad_check_digit"),
    (
        "someone else's number",
        cad(transaction_number="10207003502332"),
        "/transaction_number",
        "not_your_security_number",
    ),
    ("cargo control number too long", cad(cargo_control_number="X" * 26), "/cargo_control_number", "too_long"),
    # invoices
    ("no invoice", cad(invoices=[]), "/invoices", "required"),
    ("invoice amount", cad(invoices=[invoice(amount="-5")]), "/invoices/0/amount", "invalid_amount"),
    ("invoice amount not in cents", cad(invoices=[invoice(amount="1.005")]), "/invoices/0/amount", "invalid_amount"),
    ("currency malformed", cad(invoices=[invoice(currency="DOLLARS")]), "/invoices/0/currency", "invalid"),
    ("currency unknown", cad(invoices=[invoice(currency="XYZ")]), "/invoices/0/currency", "unknown_currency"),
    (
        "vendor country",
        cad(invoices=[invoice(vendor_country="France")]),
        "/invoices/0/vendor_country",
        "invalid_country",
    ),
    ("vendor name", cad(invoices=[invoice(vendor_name="")]), "/invoices/0/vendor_name", "required"),
    ("duplicate invoice", cad(invoices=[invoice(), invoice()]), "/invoices/1/number", "duplicate_invoice"),
    ("invoice total", cad(invoices=[invoice(amount="29999.99")]), "/invoices/0/amount", "invoice_total_mismatch"),
    # lines
    ("no line", cad() | {"lines": []}, "/lines", "required"),
    ("line not an object", cad() | {"lines": ["x"]}, "/lines/0", "invalid"),
    ("unknown invoice", cad(line(invoice="INV-9")), "/lines/0/invoice", "unknown_invoice"),
    ("narrative", cad(line(narrative="")), "/lines/0/narrative", "required"),
    (
        "unknown classification",
        cad(line(classification="9999999999")),
        "/lines/0/classification",
        "unknown_classification",
    ),
    ("malformed classification", cad(line(classification="22A")), "/lines/0/classification", "invalid_code"),
    (
        "treatment not eligible",
        cad(line(tariff_treatment="UST")),
        "/lines/0/tariff_treatment",
        "treatment_not_eligible",
    ),
    (
        "mfn for russian goods since sor/2022-35",
        cad(line(tariff_treatment="MFN", origin="RU")),
        "/lines/0/tariff_treatment",
        "treatment_not_eligible",
    ),
    ("origin not in the country list", cad(line(origin="ZZ")), "/lines/0/origin", "unknown_code"),
    ("not a treatment", cad(line(tariff_treatment="ABC")), "/lines/0/tariff_treatment", "unknown_treatment"),
    (
        "rate not assessable",
        cad(line(tariff_treatment="GPT", origin="GH")),
        "/lines/0/tariff_treatment",
        "rate_not_assessable",
    ),
    ("wrong unit", cad(line(unit="KGM")), "/lines/0/unit", "unit_mismatch"),
    ("no quantity", cad(line(quantity=None)), "/lines/0/quantity", "quantity_required"),
    ("origin", cad(line(origin="FRA")), "/lines/0/origin", "invalid_country"),
    ("state of a US origin", cad(line(origin="US", tariff_treatment="UST")), "/lines/0/origin_state", "state_required"),
    ("export country", cad(line(export_country="")), "/lines/0/export_country", "required"),
    ("vfd code", cad(line(vfd_code="31")), "/lines/0/vfd_code", "invalid_vfd_code"),
    ("value", cad(invoices=[invoice()]) | {"lines": [line(value="lots")]}, "/lines/0/value", "invalid_amount"),
    ("declared vfd", cad(line(vfd="29000.00")), "/lines/0/vfd", "vfd_mismatch"),
    ("sima amount and margin", cad(line(sima="10.00", sima_margin="5")), "/lines/0/sima_margin", "conflict"),
    ("surtax without code", cad(line(surtax_rate="25%")), "/lines/0/surtax_code", "required"),
]


@pytest.mark.parametrize(("payload", "pointer", "code"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_each_rule_refuses_with_its_code_and_pointer(payload, pointer, code, maple, alice, tariff_rows, today):
    outcome = services.submit(alice, payload)
    assert outcome.code == 41
    assert (pointer, code) in codes(outcome), codes(outcome)
    assert not Declaration.objects.exists()


def test_the_declaration_the_cases_start_from_passes(maple, alice, tariff_rows, today):
    outcome = services.submit(alice, cad())
    assert (outcome.code, outcome.errors) == (39, [])


def test_a_cad_released_in_a_year_without_its_schedule_says_which_schedule_was_used(maple, alice, tariff_rows, today):
    # the fixture's schedule "test" takes effect 2020-01-01; the CAD is released on 2025-01-03
    outcome = services.submit(alice, cad())
    assert [(w.pointer, w.code) for w in outcome.warnings] == [("/release_date", "tariff_schedule")]
    assert str(outcome.warnings[0].message).startswith(
        "Assessed on the tariff schedule test (in force from 2020-01-01)"
    )


def test_not_an_importer_account_is_refused(maple, alice, tariff_rows, today):
    ProgramAccount.objects.filter(number=RM1).update(account_type="exporter")
    assert codes(services.submit(alice, cad())) == [("/importer", "not_importer_account")]
    ProgramAccount.objects.filter(number=RM1).update(account_type="importer", is_active=False)
    assert codes(services.submit(alice, cad())) == [("/importer", "not_importer_account")]


def test_passing_counterparts_of_the_optional_rules(maple, alice, bob, tariff_rows, usd_rates, today):
    us = line(origin="US", origin_state="NY", tariff_treatment="UST", vfd="30000.00")
    assert services.submit(alice, cad(us, release_time="10:15", declarant="123456782RM0002")).code == 39
    wine = line(
        classification=WINE,
        narrative="Red wine",
        quantity="1000",
        unit="LTR",
        value="100.00",
        invoice="US-1",
        alcohol_percent="13.5",
    )
    usd = [
        {"number": "US-1", "amount": "100.00", "currency": "USD", "vendor_name": "Napa Wines", "vendor_country": "US"}
    ]
    outcome = services.submit(alice, cad(wine, invoices=usd))
    assert outcome.code == 39, outcome.errors
    assert (outcome.version.lines.get().vfd, outcome.version.lines.get().customs_duty) == (
        Decimal("115.00"),
        Decimal("46.80"),
    )
    security = transaction_numbers.security_number_of(maple)
    own = transaction_numbers.make(security.number, 99)
    assert services.submit(alice, cad(transaction_number=own)).declaration.transaction_number == own
    assert services.submit(alice, cad(line(sima="10.00", surtax_code="S1", surtax_rate="25%"))).code == 39


def test_a_classification_is_valid_only_on_the_dates_it_is_in_force(maple, alice, tariff_rows, today):
    from tariff.models import TariffLine

    TariffLine.objects.filter(code="2201900000").update(valid_from=dt.date(2025, 1, 4))
    assert ("/lines/0/classification", "unknown_classification") in codes(services.submit(alice, cad()))
    assert services.submit(alice, cad(release_date=dt.date(2025, 1, 6))).code == 39


def test_no_exchange_rate_on_the_shipment_date(maple, alice, tariff_rows, today):
    ExchangeRate.objects.create(currency="USD", date=dt.date(2024, 6, 3), cad_per_unit=Decimal("1.37"))
    usd = [{"number": "INV-1", "amount": "30000.00", "currency": "USD", "vendor_name": "V", "vendor_country": "US"}]
    assert codes(services.submit(alice, cad(invoices=usd))) == [("/invoices/0/currency", "no_exchange_rate")]


def test_every_error_of_a_declaration_is_reported_at_once(maple, alice, tariff_rows, today):
    outcome = services.submit(alice, cad(line(classification="9999999999"), line(unit="KGM"), release_office="X"))
    assert {pointer for pointer, _ in codes(outcome)} >= {"/release_office", "/lines/0/classification", "/lines/1/unit"}


def test_errors_are_in_the_person_s_language(maple, alice, tariff_rows, today):
    from django.utils import translation

    outcome = services.submit(alice, cad(release_office="X"))
    with translation.override("fr"):
        french = outcome.errors[0].as_dict()["message"]
    assert french != outcome.errors[0].as_dict()["message"]


def test_the_preview_assesses_without_saving(maple, alice, tariff_rows, today):
    result = services.preview(alice, cad(line(), line(value="100.00")))
    assert result.errors == [] and result.totals["total"] == Decimal("3547.50") + Decimal("11.83")
    assert [row["total"] for row in result.lines] == [Decimal("3547.50"), Decimal("11.83")]
    assert services.preview(alice, cad(line(unit="KGM"))).errors[0].code == "unit_mismatch"
    assert not Declaration.objects.exists()
