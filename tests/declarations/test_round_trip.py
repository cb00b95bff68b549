"""Round trip (issue #18, item 6): a CAD with every field of declarations.fields filled goes
portal form -> API -> CSV and Excel upload -> page -> API and comes back identical; the OpenAPI
schema documents every field with an example."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from declarations import codes, fields, services, uploads, validation
from declarations.fields import Part
from declarations.models import CodeListEntry, Declaration, ModeOfTransport
from tariff.models import Chapter, Section
from tests.assessment.test_estimate_fixtures import add_rows

from .conftest import RELEASE, RM1, WATER
from .test_pages import form_data

# A charge is declared as an amount or a rate, not both (assessment.services.parse_charges): the
# payload carries the amounts; the rates are the same rows' other half.
EXCLUSIVE = {"sima_margin", "surtax_rate", "excise_duty_rate", "excise_tax_rate"}
NOT_SENT = {"transaction_number"}  # CARM gives the number: each route makes its own CAD
COMPARED = ["importer", "declarant", "mode_of_transport", "release_office", "release_date", "release_time",
            "cargo_control_number", "cad_type", "details", "totals", "d17_totals", "invoices", "lines"]  # fmt: skip

# A type 10 CAD with a cargo control number: not carried by pipeline, grid or sea (D17-1-10 field 21).
MODES = sorted(set(ModeOfTransport.values) - validation.NO_CARGO_CONTROL_MODES)
words = st.text(alphabet="ABCDEFGHJKLMNPRSTUVWXYZ0123456789-", min_size=1, max_size=12)
cents = st.integers(min_value=0, max_value=99999).map(lambda n: f"{n // 100}.{n % 100:02d}")


@st.composite
def full_cad(draw):
    """Every header, invoice and line field filled with a valid value (a type 10 warehouse entry,
    subject to surtax, SIMA and a safeguard, relieved of GST by a test code, under a Chapter 99 item)."""
    value = draw(st.integers(min_value=1000, max_value=90000))
    header = {
        "importer": RM1, "declarant": RM1, "mode_of_transport": draw(st.sampled_from(MODES)),
        "release_office": "0453", "release_date": RELEASE.isoformat(), "release_time": "10:30",
        "cargo_control_number": "8000" + draw(words), "cad_type": "rpp", "cad_type_code": "10",
        "original_transaction_number": "12345000000012", "previous_transaction_number": "12345000000023",
        "warehouse_in": draw(words)[:10], "region": draw(st.sampled_from("123456")),
        "warehouse_subtype": draw(st.sampled_from(["10-1", "10-2"])), "unlading_region": "4",
        "port_of_unlading": "0809", "carrier_code": "1ABC", "gross_weight": str(draw(st.integers(1, 99999))),
        "freight": str(draw(st.integers(0, 9999))),
    }  # fmt: skip
    invoice = {
        "number": "INV-1", "amount": f"{value}.00", "currency": "CAD", "shipment_date": RELEASE.isoformat(),
        "vendor_name": "Vendor " + draw(words), "vendor_address": "1 " + draw(words) + " St",
        "vendor_country": draw(st.sampled_from(["FR", "DE", "JP"])), "purchase_order": draw(words),
        "us_port_of_exit": "0901", "buyer_name": "Buyer " + draw(words), "buyer_address": "2 " + draw(words) + " Ave",
    }  # fmt: skip
    line = {
        "invoice": "INV-1", "narrative": "Water " + draw(words), "description": "Waters", "classification": WATER,
        "tariff_treatment": "UST", "origin": "US", "origin_state": "NY", "export_country": "US", "vfd_code": "14",
        "quantity": "3000", "unit": "LTR", "value": f"{value}.00", "vfd": "", "special_authority": "85-2955",
        "ruling": draw(words), "add_commissions": draw(cents), "add_packing": draw(cents), "add_assists": "1.00",
        "add_royalties": "2.00", "add_proceeds": "3.00", "deduct_transport": draw(cents), "deduct_post_import": "4.00",
        "deduct_duties": "5.00", "sima": draw(cents), "surtax_amount": draw(cents), "surtax_code": "S1",
        "excise_duty": draw(cents), "excise_tax": draw(cents), "previous_line_number": "1", "export_state": "NY",
        "tariff_code": "9971", "appeal_case": draw(words), "observation_case": draw(words),
        "duty_relief_permit": "87-016W0001", "special_permit": draw(words), "time_limit_type": "4",
        "extension_date": "2025-12-31", "time_limit_from": RELEASE.isoformat(), "time_limit_to": "2025-06-30",
        "province": draw(st.sampled_from(["ON", "QC", "BC"])), "excise_tax_code": "44.0", "excise_duty_code": "1",
        "surtax_subject": "yes", "sima_subject": draw(st.sampled_from(["A", "D"])), "sima_code": "1",
        "sima_quantity": "3000", "sima_unit": "LTR", "sima_measure": "M1", "sima_sale_date": "2025-01-02",
        "sima_exporter": "123456789RM0001", "model_id": draw(words), "incoterms": draw(st.sampled_from(["FOB", "DAP"])),
        "surety": "no", "sima_export_deduction": draw(cents), "sima_export_deduction_currency": "EUR",
        "sima_invoiced_price": draw(cents), "sima_invoiced_price_currency": "EUR", "sima_self_declared": "yes",
        "sima_ad_declared": draw(cents), "sima_cvd_declared": draw(cents), "safeguard_subject": "yes",
        "safeguard_code": "S2", "safeguard": draw(cents), "gst_code": "T0",
        "pst_hst_qst": draw(cents), "provincial_alcohol_tax": draw(cents),
        "alcohol_percent": "5.50", "provincial_tobacco_tax": draw(cents), "provincial_cannabis_duty": draw(cents),
    }  # fmt: skip
    return {**header, "invoices": [invoice], "lines": [line]}


@pytest.fixture
def world(maple, alice, tariff_rows, on_day):
    on_day(RELEASE)
    section = Section.objects.create(number=22, roman="XXII", title_en="Special classification provisions")
    Chapter.objects.create(number="99", section=section, title_en="Special classification provisions")
    chapter_99 = [("9971", "99.71", "heading", "99", ""), ("99710000", "9971.00.00", "tariff_item", "9971", "")]
    add_rows(tariff_rows, "99", chapter_99, {"99710000": {"MFN": "Free", "UST": "Free"}})
    relief = {"name_en": "Test relief", "name_fr": "Allègement test", "alias": "0"}  # a code made for the test
    CodeListEntry.objects.create(list="gst_codes", code="T0", **relief)
    codes.clear_cache()
    yield
    codes.clear_cache()


PARTS = (("DeclarationInRequest", Part.HEADER), ("InvoiceInRequest", Part.INVOICE), ("LineInRequest", Part.LINE))


def _every_field_filled(payload) -> None:
    for part, data in (
        (Part.HEADER, payload),
        (Part.INVOICE, payload["invoices"][0]),
        (Part.LINE, payload["lines"][0]),
    ):
        blank = {name for name, kinds in validation.BLANK_FOR_TYPES[part].items() if "10" in kinds}  # D17-1-10
        assert (
            set(fields.BY_PART[part]) - {name for name, value in data.items() if value != ""}
            <= EXCLUSIVE | NOT_SENT | blank
        )


def _with_vfd(alice, payload):
    """The payload with its declared VFD (field 49) the one the assessment finds: every field filled."""
    found = services.preview(alice, payload)
    assert not found.errors, found.errors
    payload["lines"][0]["vfd"] = str(found.checked.lines[0]["vfd"])
    return payload


def _as_api(api, alice, number) -> dict:
    answer = api(alice)("get", f"declarations/{number}").json()
    return {name: answer[name] for name in COMPARED}


def _table(lines, kind) -> SimpleUploadedFile:
    if kind == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, uploads.LINE_FIELDS)
        writer.writeheader()
        writer.writerows(lines)
        return SimpleUploadedFile("lines.csv", out.getvalue().encode())
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(uploads.LINE_FIELDS)
    for line in lines:
        sheet.append([line.get(name, "") for name in uploads.LINE_FIELDS])
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("lines.xlsx", out.getvalue())


def _newest() -> str:
    return Declaration.objects.order_by("-created_at", "-pk").first().transaction_number


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_cad_with_every_field_comes_back_identical_by_every_route(data, world, client, api, alice):
    payload = _with_vfd(alice, data.draw(full_cad()))
    _every_field_filled(payload)
    # API
    created = api(alice)("post", "declarations", payload)
    assert created.status_code == 201, created.json()
    first = created.json()["transaction_number"]
    expected = _as_api(api, alice, first)
    # Portal form
    client.force_login(alice)
    response = client.post(reverse("declarations:new"), form_data(payload, client_reference=f"form-{first}"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _as_api(api, alice, _newest()) == expected
    # CSV and Excel upload of the lines (the reader of the form's "Add lines from a file")
    for kind in ("csv", "xlsx"):
        lines = [line for _row, line in uploads.read_lines(_table(payload["lines"], kind))]
        uploaded = {**payload, "lines": lines}
        response = client.post(reverse("declarations:new"), form_data(uploaded, client_reference=f"{kind}-{first}"))
        assert response.status_code == 302, kind
        assert _as_api(api, alice, _newest()) == expected, kind
    # The page: the change form of the first CAD, as it shows it, sent back as a correction
    page = client.get(reverse("declarations:change", args=[first]))
    shown = page.context["cad"].payload
    response = client.post(reverse("declarations:change", args=[first]),
                           form_data(shown, expected_version="1", client_reference=f"page-{first}"))  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Declaration.objects.get(transaction_number=first).current_version == 2
    assert _as_api(api, alice, first) == expected


def test_the_api_schema_gives_every_field_an_example(client):
    schemas = client.get("/api/v1/schema/?format=json").json()["components"]["schemas"]
    for component, part in PARTS:
        properties = schemas[component]["properties"]
        for name, row in fields.BY_PART[part].items():
            assert "example" in properties[name], (component, name)
            assert properties[name]["example"] == row.example
