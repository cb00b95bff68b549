"""Bob, a customs broker with delegated access to Maple Leaf Imports, accounts for a shipment of
T-shirts in the browser: two lines (the second classified with the inline tariff search), the
live assessment preview, submit, the accepted CAD and the ledger entries it posted. Then Olivia,
a CBSA officer, approves an adjustment waiting in her queue. In English and in French, a
screenshot and an accessibility check at each step. Data: the demo people, businesses and
relationships, heading 61.09 of the tariff (tariff_6109), and an adjustment made beforehand
through the services. The CAD form at 1280 and at 400 pixels wide, its choices shown whole. An
importer adds lines from a CSV file (refused, each bad row listed) then from an Excel workbook,
with the file picker in the page's language."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in

MAPLE = "123456782RM0001"
T_SHIRTS = "6109100011"  # MFN 18 %, per unit (NMB)


def _last_weekday(day: dt.date) -> dt.date:
    day -= dt.timedelta(days=1)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def _payload(release, value="1000.00", narrative="Men's T-shirts, white"):
    return {
        "importer": MAPLE,
        "mode_of_transport": "2",
        "release_office": "0453",
        "release_date": release.isoformat(),
        "invoices": [
            {
                "number": "INV-1",
                "amount": value,
                "currency": "CAD",
                "shipment_date": release.isoformat(),
                "vendor_name": "Dhaka Knitwear Ltd.",
                "vendor_country": "BD",
            }
        ],
        "lines": [
            {
                "narrative": narrative,
                "classification": T_SHIRTS,
                "tariff_treatment": "MFN",
                "origin": "BD",
                "export_country": "BD",
                "vfd_code": "13",
                "quantity": "100",
                "unit": "NMB",
                "value": value,
            }
        ],
    }


@pytest.fixture
def world(maple, tariff_6109):
    """Northern's approved relationship with Maple (bob assigned), an interest rate, and an adjustment
    of an old CAD of Maple's waiting for an officer."""

    from accounts.models import User
    from declarations import services
    from delegation import demo as delegation_demo
    from ledger.models import InterestRate

    delegation_demo.seed()
    InterestRate.objects.create(effective_from=dt.date(2024, 1, 1), prescribed_rate=Decimal("7.000"))
    alice = User.objects.get(email="alice@maple.example")
    first = services.submit(alice, _payload(dt.date(2025, 1, 3)), today=dt.date(2025, 1, 6))
    assert not first.errors, first.errors
    pending = services.amend(
        alice,
        first.declaration.transaction_number,
        _payload(dt.date(2025, 1, 3), "1500.00"),
        expected_version=1,
        reason="The vendor's final invoice is higher",
        today=dt.date(2025, 2, 10),
    )
    assert pending.code == 42, pending.errors
    return {
        "bob": User.objects.get(email="bob@northern.example"),
        "olivia": User.objects.get(email="olivia@cbsa.example"),
        "adjusted": first.declaration.transaction_number,
    }


def _fill(page, field_id, value):
    page.locator(f"input#{field_id}").fill(value)
    page.locator(f"input#{field_id}").dispatch_event("change")


def _fill_line(page, index, narrative, value, classification=True):
    for name, text in [
        ("narrative", narrative),
        ("tariff_treatment", "MFN"),
        ("origin", "BD"),
        ("export_country", "BD"),
        ("vfd_code", "13"),
        ("quantity", "100"),
        ("unit", "NMB"),
        ("value", value),
    ]:
        _fill(page, f"id_lines-{index}-{name}", text)
    if classification:
        _fill(page, f"id_lines-{index}-classification", T_SHIRTS)


WORDS = {
    "en": {
        "accepted": "accepted with duties and taxes (status 39)",
        "entries": "Ledger entries",
        "approved": "approved",
        "correction": "You are before the payment due date",
        "pending": "Accepted — adjustment pending approval",
        "choose": "Choose file",
    },
    "fr": {
        "accepted": "acceptée avec droits et taxes (état 39)",
        "entries": "Écritures du grand livre",
        "approved": "approuvé",
        "correction": "Vous êtes avant la date d'échéance du paiement",
        "pending": "Acceptée — rajustement en attente d'approbation",
        "choose": "Choisir un fichier",
    },
}


def _assert_select_labels_whole(page):
    """Each select of the CAD form shows its whole chosen label: the text fits inside the box, the
    chevron's padding aside (a native select cuts what does not fit, without an ellipsis)."""
    clipped = page.evaluate(
        """() => [...document.querySelectorAll('#cad-form gcds-select')].flatMap(host => {
            const select = host.shadowRoot.querySelector('select');
            const style = getComputedStyle(select);
            const context = document.createElement('canvas').getContext('2d');
            context.font = style.font;
            const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
            return [...select.options].filter(option => context.measureText(option.text).width > room)
                .map(option => `${select.id}: ${option.text} (${Math.round(room)} px)`);
        })"""
    )
    assert clipped == []


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_broker_declares_two_lines_and_an_officer_approves_an_adjustment(page, live_server, checker, world, language):
    words = WORDS[language]
    release = _last_weekday(dt.date.today())
    sign_in(page, live_server, world["bob"])
    page.goto(f"{live_server.url}/{language}/declarations/")
    row = page.locator("tr", has_text=world["adjusted"]).inner_text()  # Maple's, which Maple lets Northern see
    assert words["pending"] in row  # accepted, and an adjustment waits for CBSA
    checker.check(f"declarations-{language}")
    page.goto(f"{live_server.url}/{language}/declarations/new/")
    _assert_select_labels_whole(page)
    checker.check(f"new-cad-{language}")
    page.set_viewport_size({"width": 400, "height": 900})
    _assert_select_labels_whole(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 400  # nothing sticks out sideways
    checker.check(f"new-cad-400px-{language}")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.locator("select#id_importer").select_option(MAPLE)
    page.locator("select#id_mode_of_transport").select_option("2")
    _fill(page, "id_declarant", "123026635RM0001")
    _fill(page, "id_release_office", "0453")
    _fill(page, "id_release_date", release.isoformat())
    _fill(page, "id_cargo_control_number", "8000ABC123456")
    for name, text in [
        ("number", "INV-77"),
        ("amount", "3000.00"),
        ("currency", "CAD"),
        ("shipment_date", (release - dt.timedelta(days=1)).isoformat()),
        ("vendor_name", "Dhaka Knitwear Ltd."),
        ("vendor_address", "12 Tejgaon, Dhaka"),
        ("vendor_country", "BD"),
    ]:
        _fill(page, f"id_invoices-0-{name}", text)
    _fill_line(page, 0, "Men's T-shirts, white, cotton", "1000.00")

    page.locator("gcds-button[value='add_line']").click()  # htmx: the form comes back with a second line
    page.locator("input#id_lines-1-narrative").wait_for()
    assert page.locator("input#id_lines-0-narrative").input_value() == "Men's T-shirts, white, cotton"
    _fill_line(page, 1, "Boys' T-shirts, white, cotton", "2000.00", classification=False)
    page.locator("#line-1 summary").first.click()  # the tariff search of line 2
    page.locator("input#search-1").fill("6109.10")
    use = page.locator(f"gcds-button[value='use:1:{T_SHIRTS}']")
    use.wait_for()
    checker.check(f"classification-search-{language}")
    use.click()
    page.wait_for_function(
        f"() => document.querySelector('gcds-input#id_lines-1-classification, [input-id=id_lines-1-classification]')"
        f"?.getAttribute('value') === '{T_SHIRTS}'"
    )
    page.locator("gcds-button[value='preview']").click()
    page.locator("#cad-preview table").wait_for()
    preview = page.locator("#cad-preview").inner_text()
    assert "717" in preview  # 18 % duty and 5 % GST on $3,000: 540 + 177
    checker.check(f"preview-{language}")

    page.locator("gcds-button[value='submit']").click()
    page.wait_for_url(re.compile(r"/declarations/1\d{13}/$"))
    expect(page.locator("main gcds-notice").filter(has_text=words["accepted"])).to_have_count(1)
    assert words["entries"] in page.locator("main").inner_text()
    assert page.locator("table.carm-table tbody tr").count() == 1  # the ASSESSMENT entry
    checker.check(f"accepted-cad-{language}")
    cad_url = page.url
    page.locator("gcds-button[href$='/change/']").click()
    page.wait_for_url(re.compile(r"/change/$"))
    expect(page.locator("main gcds-notice").filter(has_text=words["correction"])).to_have_count(1)
    checker.check(f"change-form-{language}")
    page.goto(cad_url)
    page.locator(f"gcds-link[href='/{language}/ledger/{MAPLE}/']").first.click()
    page.wait_for_url(re.compile(rf"/ledger/{MAPLE}/$"))
    checker.check(f"ledger-account-{language}")

    page.context.clear_cookies()
    sign_in(page, live_server, world["olivia"])
    page.goto(f"{live_server.url}/{language}/declarations/adjustments/")
    checker.check(f"adjustment-queue-{language}")
    page.get_by_role("link", name=world["adjusted"]).click()
    page.wait_for_url(re.compile(r"/adjustments/\d+/$"))
    checker.check(f"adjustment-{language}")
    page.locator("gcds-button[value='approve']").click()
    page.wait_for_url(re.compile(r"/adjustments/$"))
    # the notice is hidden until its web component is ready: wait for the text, don't read it once
    expect(page.locator("main gcds-notice").filter(has_text=words["approved"])).to_have_count(1)
    checker.check(f"adjustment-approved-{language}")


GOOD_ROWS = (
    "narrative,classification,tariff_treatment,origin,export_country,vfd_code,quantity,unit,value\n"
    f"White T-shirts S,{T_SHIRTS},MFN,BD,BD,13,100,NMB,1000.00\n"
    f"White T-shirts M,{T_SHIRTS},MFN,BD,BD,13,200,NMB,2000.00\n"
)
BAD_ROWS = GOOD_ROWS + "Mystery goods,9999999999,MFN,BANGLADESH,BD,13,1,NMB,abc\n"


def _workbook(text: str) -> bytes:
    """The rows of a CSV text as an Excel workbook, numbers as numbers."""
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    for row in text.splitlines():
        book.active.append([float(cell) if re.fullmatch(r"\d+\.\d+", cell) else cell for cell in row.split(",")])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_importer_uploads_lines_from_a_csv_file_and_a_workbook(page, live_server, checker, world, language):
    from accounts.models import User

    sign_in(page, live_server, User.objects.get(email="alice@maple.example"))
    page.goto(f"{live_server.url}/{language}/declarations/new/")
    page.locator("select#id_importer").select_option(MAPLE)
    page.locator("select#id_mode_of_transport").select_option("2")
    _fill(page, "id_release_office", "0453")
    release = _last_weekday(dt.date.today())
    _fill(page, "id_release_date", release.isoformat())
    for name, text in [("number", "INV-9"), ("amount", "3000.00"), ("currency", "CAD"),
                       ("shipment_date", release.isoformat()), ("vendor_name", "Dhaka Knitwear Ltd."),
                       ("vendor_country", "BD")]:  # fmt: skip
        _fill(page, f"id_invoices-0-{name}", text)
    page.locator("details:has(gcds-file-uploader) > summary").click()
    uploader = page.locator("gcds-file-uploader#lines_file, gcds-file-uploader[uploader-id=lines_file]")
    assert uploader.locator("button").inner_text() == WORDS[language]["choose"]  # the page's language
    page.set_input_files("input#lines_file", files=[{"name": "lines.csv", "mimeType": "text/csv",
                                                    "buffer": BAD_ROWS.encode()}])  # fmt: skip
    page.locator("gcds-button[value='upload']").click()
    page.locator("#upload-errors table").wait_for()
    rows = page.locator("#upload-errors tbody tr").all_inner_texts()
    assert [row.split("\t")[:2] for row in rows] == [["4", "origin"], ["4", "value"]]
    assert page.locator("input#id_lines-1-narrative").count() == 0  # nothing added
    checker.check(f"upload-refused-{language}")

    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    page.set_input_files("input#lines_file", files=[{"name": "lines.xlsx", "mimeType": xlsx,
                                                    "buffer": _workbook(GOOD_ROWS)}])  # fmt: skip
    page.locator("gcds-button[value='upload']").click()
    page.locator("input#id_lines-1-narrative").wait_for()
    assert page.locator("input#id_lines-0-narrative").input_value() == "White T-shirts S"
    page.locator("gcds-button[value='preview']").click()
    page.locator("#cad-preview table").wait_for()
    assert "717" in page.locator("#cad-preview").inner_text()
    checker.check(f"upload-added-{language}")
