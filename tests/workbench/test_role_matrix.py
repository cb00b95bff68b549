"""Every workbench page, for each officer role, a client and an outsider: who reaches it, and who may
do its action. Pages need an officer role; each action its officer action (rights.kernel)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import resolve

from accounts.services import create_api_token
from ledger.models import LedgerRun, RefundRequest
from rights import OfficerRole
from workbench import urls
from workbench.models import Run, SupportRequest

from .conftest import OFFICER_EMAILS

pytestmark = pytest.mark.django_db

ALL = set(OfficerRole) - {OfficerRole.RELEASE_SYSTEM}  # every officer who is a person reads the clients' rows
WORKERS = ALL - {OfficerRole.AUDITOR}  # everyone but the read-only auditor answers clients
RELEASE = {OfficerRole.BORDER, OfficerRole.SUPERVISOR, OfficerRole.RELEASE_SYSTEM}  # RELEASE_GOODS
SUPERVISOR = {OfficerRole.SUPERVISOR}
TRADE = {OfficerRole.TRADE, OfficerRole.SUPERVISOR}  # VERIFY_DECLARATIONS: s.59 re-determinations
REVENUE = {OfficerRole.REVENUE, OfficerRole.SUPERVISOR}  # DECIDE_REFUNDS

PAGES = [  # (method, path, data, the roles that get it; any other person: 403)
    ("get", "/en/cbsa/", None, ALL),
    ("get", "/fr/cbsa/", None, ALL),
    ("get", "/en/cbsa/clients/?q=maple", None, ALL),
    ("get", "/en/cbsa/clients/123456782/", None, ALL),
    ("get", "/en/cbsa/queues/adjustments/", None, ALL),
    ("get", "/en/cbsa/queues/support/", None, ALL),
    ("get", "/en/cbsa/support/{support}/", None, ALL),
    ("get", "/en/cbsa/runs/", None, ALL),
    ("get", "/en/cbsa/runs/{run}/", None, ALL),
    ("get", "/en/cbsa/officers/", None, SUPERVISOR),
    ("get", "/en/cbsa/dashboard/", None, ALL),
    ("get", "/en/cbsa/dashboard/?format=csv", None, ALL),
    ("get", "/en/cbsa/redeterminations/", None, TRADE),
    ("get", "/en/cbsa/releases/", None, RELEASE),
    ("post", "/en/cbsa/clients/123456782/", {"text": "Called the importer."}, ALL),
    ("post", "/en/cbsa/support/{support}/", {"answer": "Done."}, WORKERS),
    ("post", "/en/cbsa/queues/support/", {"items": "{support}", "officer": "{remi}", "reason": "Load"}, SUPERVISOR),
    (
        "post",
        "/en/cbsa/queues/refunds/",
        {"what": "decide", "items": "{refund}", "decide-decision": "reject", "decide-reason": "No bank details"},
        REVENUE,
    ),
    ("post", "/en/cbsa/runs/", {"job": "interest", "day": "2025-01-05", "reason": "Missed night"}, SUPERVISOR),
    ("post", "/en/cbsa/officers/", {"email": "alice@maple.example", "role": "auditor", "reason": "Audit"}, SUPERVISOR),
    ("post", "/en/cbsa/officers/{appointment}/end/", {"reason": "Left CBSA"}, SUPERVISOR),
]
API = [  # the same for the API (/api/v1/cbsa/...)
    ("get", "/api/v1/cbsa/queues", None, ALL),
    ("get", "/api/v1/cbsa/queues/support", None, ALL),
    (
        "post",
        "/api/v1/cbsa/queues/support/assign",
        {"items": ["{support}"], "officer": "remi@cbsa.example", "reason": "Load"},
        SUPERVISOR,
    ),
    (
        "post",
        "/api/v1/cbsa/queues/refunds/decide",
        {"items": ["{refund}"], "decision": "reject", "reason": "No bank details"},
        REVENUE,
    ),
    ("get", "/api/v1/cbsa/runs", None, ALL),
    ("get", "/api/v1/cbsa/runs/{run}", None, ALL),
    ("post", "/api/v1/cbsa/runs", {"job": "interest", "day": "2025-01-05", "reason": "Missed night"}, SUPERVISOR),
    ("get", "/api/v1/cbsa/dashboard?start=2025-01-01&end=2025-03-31", None, ALL),
]
SUCCESS = {"get": 200, "post": 302}
PERSONAS = [*OfficerRole, "client", "outsider"]


@pytest.fixture
def world(officers, alice, charlie, rm0001):
    support = SupportRequest.objects.create(subject="Statement", question="Why?", asked_by=alice)
    refund = RefundRequest.objects.create(program_account=rm0001, amount=Decimal("10.00"), requested_by=alice)
    run = Run.objects.create(job="interest", day=dt.date(2025, 1, 4), reason="test")
    LedgerRun.objects.create(job=LedgerRun.Job.INTEREST, day=dt.date(2025, 1, 4))
    people = {**officers, "client": alice, "outsider": charlie}
    appointment = officers[OfficerRole.RECOURSE].officer_appointments.get()
    ids = {
        "support": support.pk,
        "refund": refund.pk,
        "run": run.pk,
        "remi": officers[OfficerRole.REVENUE].pk,
        "appointment": appointment.pk,
    }
    return {"people": people, "ids": ids}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("method", "path", "data", "allowed"), PAGES)
def test_each_workbench_page_and_action_answers_only_the_roles_that_hold_it(
    world, as_person, persona, method, path, data, allowed
):
    ids = world["ids"]
    client = as_person(world["people"][persona])
    path = path.format(**ids)
    data = {key: value.format(**ids) for key, value in (data or {}).items()}
    response = getattr(client, method)(path, data) if method == "post" else client.get(path)
    if persona == OfficerRole.RELEASE_SYSTEM:  # a service account's session ends: back to the sign-in page
        assert response.status_code == 302 and "/account/login/" in response["Location"]
        return
    expected = SUCCESS[method] if persona in allowed else 403
    assert response.status_code == expected, response.content[:300]


@pytest.mark.parametrize("path", ["/en/cbsa/", "/en/cbsa/clients/123456782/", "/en/cbsa/runs/"])
def test_nobody_signed_in_is_sent_to_sign_in(db, client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_the_matrix_covers_every_officer_url_of_the_workbench():
    names = {pattern.name for pattern in urls.urlpatterns} - {"ask"}  # the client's side: test_support
    paths = [path.split("?")[0].format(support=1, run=1, appointment=1, refund=1) for _m, path, _d, _r in PAGES]
    covered = {resolve(path).url_name for path in paths if path.startswith("/en/")}
    assert names <= covered, names - covered


def test_the_demo_officers_hold_one_role_each(officers):
    for role in OFFICER_EMAILS:
        assert set(officers[role].officer_appointments.filter(ended_at=None).values_list("role", flat=True)) == {role}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("method", "path", "data", "allowed"), API)
def test_each_workbench_api_call_answers_only_the_roles_that_hold_it(
    world, as_person, persona, method, path, data, allowed
):
    ids = world["ids"]
    client = as_person(world["people"][persona])
    if persona == OfficerRole.RELEASE_SYSTEM:  # a service account calls with its token, never a session
        client = as_person(None)
        client.defaults["HTTP_AUTHORIZATION"] = (
            f"Token {create_api_token(world['people'][persona], name='feed', days=1)[1]}"
        )
    path = path.format(**ids)
    if method == "post":
        data = {
            key: [v.format(**ids) for v in value] if isinstance(value, list) else value for key, value in data.items()
        }
        response = client.post(path, data, content_type="application/json")
        success = 202 if path.endswith("/runs") else 200
    else:
        response = client.get(path)
        success = 200
    expected = success if persona in allowed else 403
    assert response.status_code == expected, response.content[:300]
    if expected == 403:
        assert response.json()["errors"][0]["code"] == "permission_denied"


def test_the_api_matrix_covers_every_workbench_api_url():
    from workbench import api_urls

    names = {pattern.name for pattern in api_urls.urlpatterns}
    covered = {resolve(path.split("?")[0].format(support=1, run=1, refund=1)).url_name for _m, path, _d, _r in API}
    assert names == covered
