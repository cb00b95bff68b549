"""The pages: the two-step form with prefill from a CAD line or the classification tool, drafts kept
on bad input with the error beside the field (in French too), the request page, the officers' pages,
the public register."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from rulings import services
from rulings.models import RulingRequest, Status
from tests.assessment.test_estimate_fixtures import WATER
from tests.conftest import sign_in

from .conftest import ANSWERS, FILED
from .test_bad_input import PDF

CONTEXT = {
    "account": "123456782RM0001",
    "kind": "classification",
    "offices": "0497, 0453",
    "under_verification": "no",
    "other_ruling": "no",
    "imported_before": "yes",
    "consents_to_publication": "on",
}
DETAILS = {key: value for key, value in ANSWERS.items() if key in services.DETAIL_FIELDS}


def test_a_request_prefilled_from_the_classification_tool_is_filed_in_two_steps(client, alice, rm0001, tariff_rows):
    sign_in(client, alice)
    page = client.get(
        "/en/rulings/new/", {"classification": WATER, "description": "Spring water", "account": "123456782RM0001"}
    )
    assert page.status_code == 200 and f'name="classification" value="{WATER}"' in page.content.decode()
    step1 = client.post("/en/rulings/new/", {**CONTEXT, "classification": WATER, "description": "Spring water"})
    ruling = RulingRequest.objects.get()
    assert step1.status_code == 302 and step1.url == f"/en/rulings/{ruling.case_number}/details/"
    assert ruling.proposed_classification == WATER and ruling.description == "Spring water"
    attach = client.post(step1.url, {**DETAILS, "action": "attach", "file": SimpleUploadedFile("sheet.pdf", PDF)})
    assert attach.status_code == 302 and ruling.attachments.count() == 1
    submitted = client.post(step1.url, {**DETAILS, "action": "submit"})
    assert submitted.status_code == 302 and submitted.url == f"/en/rulings/{ruling.case_number}/"
    ruling.refresh_from_db()
    assert ruling.status == Status.SUBMITTED
    detail = client.get(submitted.url).content.decode()
    assert "Days left" in detail and "120" in detail


def test_an_unknown_port_keeps_the_draft_and_says_so_in_french(client, alice, rm0001, tariff_rows):
    sign_in(client, alice, language="fr")
    page = client.post("/fr/rulings/new/", {**CONTEXT, "offices": "0497, 9999"})
    assert page.status_code == 400
    assert "9999 n’est pas un bureau de l’ASFC que nous connaissons." in page.content.decode()
    ruling = RulingRequest.objects.get()
    assert ruling.status == Status.DRAFT and list(ruling.offices.values_list("code", flat=True)) == ["0497"]


def test_a_missing_answer_and_a_wrong_file_are_shown_beside_their_fields(client, alice, draft):
    ruling = draft(description="")
    sign_in(client, alice)
    url = f"/en/rulings/{ruling.case_number}/details/"
    page = client.post(url, {**DETAILS, "description": "", "action": "submit"})
    assert page.status_code == 400 and "Describe the goods in full." in page.content.decode()
    wrong = client.post(
        url,
        {**DETAILS, "description": "Still water", "action": "attach", "file": SimpleUploadedFile("a.pdf", b"GIF89a")},
    )
    assert wrong.status_code == 400 and "Attach a PDF document or a PNG or JPEG image." in wrong.content.decode()
    ruling.refresh_from_db()
    assert ruling.description == "Still water" and ruling.status == Status.DRAFT


def test_the_list_filters_by_status(client, alice, filed, draft):
    ruling, unfiled = filed(), draft()
    sign_in(client, alice)
    page = client.get("/en/rulings/", {"status": "assigned"}).content.decode()
    assert ruling.case_number in page and unfiled.case_number not in page


def test_an_outsider_gets_404_and_a_non_officer_403_on_the_queue(client, charlie, filed):
    ruling = filed()
    sign_in(client, charlie)
    assert client.get(f"/en/rulings/{ruling.case_number}/").status_code == 404
    assert client.get("/en/rulings/queue/").status_code == 403


def test_the_officer_decides_from_the_request_page(client, olivia, filed, on_day):
    ruling = filed()
    on_day(FILED + dt.timedelta(days=30))
    sign_in(client, olivia)
    assert ruling.case_number in client.get("/en/rulings/queue/").content.decode()
    missing = client.post(
        f"/en/rulings/{ruling.case_number}/", {"what": "officer", "event": "render", "reasons": "GIR 1."}
    )
    assert missing.status_code == 400 and "Give the classification number ruled." in missing.content.decode()
    done = client.post(
        f"/en/rulings/{ruling.case_number}/",
        {"what": "officer", "event": "render", "classification": WATER, "reasons": "GIR 1."},
    )
    assert done.status_code == 302
    ruling.refresh_from_db()
    assert ruling.status == Status.RENDERED
    report = client.get("/en/rulings/report/").content.decode()
    assert (
        "<td>2026-02</td><td>Advance ruling on tariff classification</td><td>1</td><td>1</td><td>100.0</td>" in report
    )


def test_the_register_is_public_in_both_languages(client, filed, olivia):
    ruling = filed()
    services.transition(olivia, ruling, services.Event.RENDERED, today=FILED, classification=WATER, reasons="GIR 1.")
    english = client.get("/en/rulings/register/", {"q": "spring"}).content.decode()
    french = client.get(f"/fr/rulings/register/{ruling.case_number}/").content.decode()
    assert ruling.case_number in english and "Maple" not in english
    assert "Date de la décision" in french and "2201.90.00.00" in french
