"""The officers' API: queue, assign, request information, decide, refuse, publish. Steps need
Action.DECIDE_RULINGS (the trade officer, the supervisor); other officer roles read only."""

import pytest
from django.core.exceptions import PermissionDenied

from accounts.demo import ensure_person
from rights import OfficerRole
from rulings import services
from rulings.models import RulingEvent
from tests.assessment.test_estimate_fixtures import WATER

from .conftest import FILED


@pytest.fixture
def auditor(db):
    return ensure_person("audrey@cbsa.example", "Audrey Roy", officer_roles=[OfficerRole.AUDITOR])


def test_a_trade_officer_takes_a_request_asks_for_information_and_decides(api, filed, alice, oscar):
    ruling = filed()  # assigned to olivia
    oscar_api = api(oscar)
    taken = oscar_api("post", f"rulings/{ruling.case_number}/assign")
    assert taken.status_code == 200, taken.json()
    assert taken.json()["officer"] == "oscar@cbsa.example"
    asked = oscar_api("post", f"rulings/{ruling.case_number}/request-information", {"message": "Send the label."})
    assert asked.status_code == 200 and asked.json()["paused"] == "information"
    ruling.refresh_from_db()
    services.transition(alice, ruling, services.Event.ANSWERED, message="Label attached.")
    decided = oscar_api(
        "post",
        f"rulings/{ruling.case_number}/decide",
        {"classification": "2201.90.00.00", "reasons": "GIR 1 and 6.", "effective_date": "2026-03-02"},
    )
    assert decided.status_code == 200, decided.json()
    body = decided.json()
    assert (body["status"], body["outcome"], body["ruling_classification"]) == ("rendered", "ruling", WATER)
    assert body["published_on"] is not None  # the applicant consented


def test_the_queue_lists_open_requests_nearest_to_the_standard_first(api, filed, draft, alice, oscar):
    older = filed()
    newer = services.submit(alice, draft(), today=FILED.replace(day=20))
    queue = api(oscar)("get", "rulings/queue")
    assert queue.status_code == 200
    assert [row["case_number"] for row in queue.json()] == [older.case_number, newer.case_number]


def test_an_auditor_reads_the_queue_but_takes_no_step(api, filed, auditor):
    ruling = filed()
    auditor_api = api(auditor)
    assert [row["case_number"] for row in auditor_api("get", "rulings/queue").json()] == [ruling.case_number]
    assert auditor_api("get", f"rulings/{ruling.case_number}").status_code == 200
    refused = auditor_api("post", f"rulings/{ruling.case_number}/assign")
    assert refused.status_code == 403
    ruling.refresh_from_db()
    assert ruling.officer.email == "olivia@cbsa.example" and ruling.revision == 2
    with pytest.raises(PermissionDenied):
        services.post_message(auditor, ruling, "A word from the auditor.")


def test_applicants_and_brokers_cannot_reach_the_officer_api(api, filed, alice):
    ruling = filed()
    alice_api = api(alice)
    assert alice_api("get", "rulings/queue").status_code == 403
    refused = alice_api("post", f"rulings/{ruling.case_number}/decide", {"classification": WATER, "reasons": "Mine."})
    assert refused.status_code == 403
    ruling.refresh_from_db()
    assert ruling.status == "assigned"


def test_a_request_is_assigned_only_to_an_officer_who_decides_rulings(api, filed, olivia, auditor):
    ruling = filed()
    olivia_api = api(olivia)
    to_auditor = olivia_api("post", f"rulings/{ruling.case_number}/assign", {"officer": auditor.email})
    assert to_auditor.status_code == 400 and to_auditor.json()["errors"][0]["code"] == "not_a_rulings_officer"
    unknown = olivia_api("post", f"rulings/{ruling.case_number}/assign", {"officer": "nobody@cbsa.example"})
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["code"] == "unknown_officer"


def test_a_refusal_needs_reasons_and_is_never_published(api, filed, olivia):
    ruling = filed()
    olivia_api = api(olivia)
    missing = olivia_api("post", f"rulings/{ruling.case_number}/refuse", {})
    assert missing.status_code == 400 and missing.json()["errors"][0]["field"] == "reasons"
    refused = olivia_api("post", f"rulings/{ruling.case_number}/refuse", {"reasons": "The goods are under appeal."})
    assert refused.status_code == 200 and refused.json()["outcome"] == "refused"
    publish = olivia_api("post", f"rulings/{ruling.case_number}/publish")
    assert publish.status_code == 409 and publish.json()["errors"][0]["code"] == "no_consent"


def test_publishing_twice_publishes_once(api, filed, olivia):
    ruling = filed()
    services.transition(olivia, ruling, services.Event.RENDERED, today=FILED, classification=WATER, reasons="GIR 1.")
    first = api(olivia)("post", f"rulings/{ruling.case_number}/publish")
    again = api(olivia)("post", f"rulings/{ruling.case_number}/publish")
    assert first.status_code == again.status_code == 200
    assert first.json()["published_on"] == again.json()["published_on"] == FILED.isoformat()
    assert ruling.events.filter(kind=RulingEvent.Kind.PUBLISHED).count() == 1


def test_the_officer_steps_are_documented_with_examples(client):
    paths = client.get("/api/v1/schema/?format=json").json()["paths"]
    for step in ("assign", "request-information", "decide", "refuse", "publish"):
        post = paths[f"/api/v1/rulings/{{case_number}}/{step}"]["post"]
        assert {"200", "403", "409"} <= set(post["responses"])
    assert "examples" in str(paths["/api/v1/rulings/{case_number}/decide"]["post"]["requestBody"])
    assert "get" in paths["/api/v1/rulings/queue"]


def test_the_request_page_offers_officer_steps_only_to_officers_who_decide_rulings(client, filed, auditor, oscar):
    from tests.conftest import sign_in

    ruling = filed()
    sign_in(client, auditor)
    page = client.get(f"/en/rulings/{ruling.case_number}/")
    assert page.status_code == 200 and "Record the step" not in page.content.decode()
    posted = client.post(f"/en/rulings/{ruling.case_number}/", {"what": "officer", "event": "assign"})
    assert posted.status_code == 403
    client.logout()
    sign_in(client, oscar)
    assert "Record the step" in client.get(f"/en/rulings/{ruling.case_number}/").content.decode()
