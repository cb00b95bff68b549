"""The API for brokers' software: file, attach, read status and messages; the public register."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rulings import services
from tests.assessment.test_estimate_fixtures import WATER
from tests.delegation.conftest import _token

from .conftest import ANSWERS, FILED
from .test_bad_input import PDF

NEW = {"program_account": "123456782RM0001", "kind": "classification", **ANSWERS}


@pytest.fixture
def broker_api(api, relate, brenda, tariff_rows):  # noqa: F811 (fixtures)
    relate("business", role="editor", person=brenda)
    return api(brenda)


def test_a_broker_files_a_request_for_its_client_attaches_and_submits(broker_api, client, brenda):
    created = broker_api("post", "rulings", NEW, X_ACTING_FOR="123456782")
    assert created.status_code == 201, created.json()
    number = created.json()["case_number"]
    assert created.json()["status"] == "draft" and created.json()["offices"] == ["0453", "0497"]
    upload = client.post(  # multipart, with a token of her own
        f"/api/v1/rulings/{number}/attachments",
        {"file": SimpleUploadedFile("sheet.pdf", PDF)},
        HTTP_AUTHORIZATION=f"Token {_token(brenda)}",
        HTTP_X_ACTING_FOR="123456782",
    )
    assert upload.status_code == 201 and upload.json()["attachments"][0]["content_type"] == "application/pdf"
    submitted = broker_api("post", f"rulings/{number}/submit", X_ACTING_FOR="123456782")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert submitted.json()["days_left"] == 120


def test_bad_input_is_answered_field_by_field_and_the_draft_kept(broker_api):
    created = broker_api(
        "post", "rulings", {**NEW, "offices": ["0497", "9999"], "proposed_classification": "2201900099"}
    )
    assert created.status_code == 400
    assert {(e["field"], e["code"]) for e in created.json()["errors"]} == {
        ("offices", "unknown_office"),
        ("proposed_classification", "unknown_classification"),
    }
    [listed] = broker_api("get", "rulings").json()["results"]
    assert listed["description"] == ANSWERS["description"] and listed["offices"] == ["0497"]
    refused = broker_api("post", f"rulings/{listed['case_number']}/submit")
    assert refused.status_code == 400 and refused.json()["errors"][0]["code"] == "unknown_classification"


def test_the_list_filters_by_kind_status_dates_and_case_number(broker_api, filed, draft):
    ruling, unfiled = filed(), draft(kind="ncr_marking")
    assert [r["case_number"] for r in broker_api("get", "rulings", {"status": "assigned"}).json()["results"]] == [
        ruling.case_number
    ]
    assert [r["case_number"] for r in broker_api("get", "rulings", {"kind": "ncr_marking"}).json()["results"]] == [
        unfiled.case_number
    ]
    assert broker_api("get", "rulings", {"submitted_from": "2026-01-06"}).json()["count"] == 0
    assert (
        broker_api("get", "rulings", {"submitted_to": "2026-01-05", "case_number": ruling.case_number[-6:]}).json()[
            "count"
        ]
        == 1
    )
    bad = broker_api("get", "rulings", {"submitted_from": "5 Jan"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "submitted_from"


def test_the_broker_reads_the_officers_question_and_answers_it(broker_api, filed, olivia):
    ruling = filed()
    services.transition(olivia, ruling, services.Event.INFORMATION_REQUESTED, message="Mineral content?", today=FILED)
    thread = broker_api("get", f"rulings/{ruling.case_number}/messages").json()
    assert thread[-1] == {**thread[-1], "kind": "request_information", "by": "officer", "message": "Mineral content?"}
    answered = broker_api(
        "post", f"rulings/{ruling.case_number}/messages", {"message": "Ca 40 mg/L", "answers_request": True}
    )
    assert answered.status_code == 201 and answered.json()["kind"] == "answer"
    assert broker_api("get", f"rulings/{ruling.case_number}").json()["paused"] == ""
    again = broker_api("post", f"rulings/{ruling.case_number}/messages", {"message": "again", "answers_request": True})
    assert again.status_code == 409


def test_another_business_gets_404_on_a_request_it_cannot_see(api, bob, filed):
    ruling = filed()
    assert api(bob)("get", f"rulings/{ruling.case_number}").status_code == 404


def test_the_register_api_is_public_and_anonymised(client, filed, olivia):
    ruling = filed()
    services.transition(olivia, ruling, services.Event.RENDERED, today=FILED, classification=WATER, reasons="GIR 1.")
    found = client.get("/api/v1/rulings/register", {"q": "spring water"}).json()
    assert found["count"] == 1 and found["results"][0]["classification"] == WATER
    assert "Maple" not in str(found) and "Boréale" not in str(found)
    assert client.get(f"/api/v1/rulings/register/{ruling.case_number}").status_code == 200
    assert client.get("/api/v1/rulings/register/ARC-2026-999999").status_code == 404
