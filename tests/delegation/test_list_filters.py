"""The relationships list filters (delegation.filters.RelationshipFilter): a business's page and the
API take the same names, filter identically and refuse the same bad input."""

import pytest

from delegation import services


@pytest.fixture
def relationships(relate, tina, tidewater, maple):
    active = relate("business")  # Northern, approved
    pending = services.request_relationship(tina, tidewater, maple.bn9, scope="program", accounts=["123456782RM0002"])
    return {"active": active.pk, "pending": pending.pk}


def page(client, query):
    response = client.get(f"/en/relationships/123456782/?{query}")
    assert response.status_code == 200
    context = response.context
    return {r.pk for name in ("received", "sent", "active", "past") for r in context[name]}


def api(client, query):
    response = client.get(f"/api/v1/relationships?{query}")
    assert response.status_code == 200, response.json()
    return {relationship["id"] for relationship in response.json()["results"]}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", {"active", "pending"}),
        ("status=pending", {"pending"}),
        ("status=active", {"active"}),
        ("scope=program", {"pending"}),
        ("business=123026635", {"active"}),  # Northern
        ("business=876543216&status=active", set()),  # Tidewater's is pending
        ("status=&scope=", {"active", "pending"}),
    ],
)
def test_the_page_and_the_api_filter_identically(client, alice, relationships, query, expected):
    client.force_login(alice)
    assert page(client, query) == api(client, query) == {relationships[name] for name in expected}


@pytest.mark.parametrize(
    "query, field, code",
    [
        ("status=friends", "status", "invalid_choice"),
        ("scope=everything", "scope", "invalid_choice"),
        ("business=12345", "business", "invalid"),
    ],
)
def test_the_page_and_the_api_refuse_the_same_bad_filters(client, alice, relationships, query, field, code):
    client.force_login(alice)
    response = client.get(f"/en/relationships/123456782/?{query}")
    assert response.status_code == 200 and page(client, query) == set()
    assert response.context["form"].has_error(field, code)
    errors = client.get(f"/api/v1/relationships?{query}").json()["errors"]
    assert [(error["field"], error["code"]) for error in errors] == [(field, code)]
