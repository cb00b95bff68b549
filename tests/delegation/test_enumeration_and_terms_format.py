"""Say less to people with no relationship: a request to a business number that is not registered, not
an importer or not a provider gets one answer, naming no business; and the terms of a relationship are
changed with JSON only (a form-encoded body would read every boolean it leaves out as false)."""

import pytest
from django.core.exceptions import ValidationError

from delegation import services


@pytest.mark.parametrize("bn9", ["456789122", "876543216"])  # not registered; a trade consultant, not an importer
def test_a_provider_learns_nothing_of_a_business_number_it_cannot_request(bob, northern, tidewater, bn9):
    with pytest.raises(ValidationError) as refused:
        services.request_relationship(bob, northern, bn9, scope="business")
    assert refused.value.code == "cannot_relate"
    assert refused.value.messages == [
        f"No request can be sent to business number {bn9}: check the number with that business."
    ]


def test_an_unknown_account_is_refused_without_naming_the_importer(bob, northern, maple):
    with pytest.raises(ValidationError) as refused:
        services.request_relationship(bob, northern, maple.bn9, scope="program", accounts=["123456782RM0099"])
    assert refused.value.code == "unknown_account" and maple.legal_name not in refused.value.messages[0]


def test_a_form_encoded_terms_update_is_refused_and_changes_nothing(client, api, relate, alice):
    from accounts.services import create_api_token

    relationship = relate("business", sees_importer=True, sees_others=True, allows_payments=True)
    assert api(alice)("post", f"relationships/{relationship.pk}/terms").status_code == 200  # JSON: accepted
    token = create_api_token(alice, name="form", days=30)[1]
    response = client.post(
        f"/api/v1/relationships/{relationship.pk}/terms",
        {"expires_on": relationship.expires_on.isoformat()},
        HTTP_AUTHORIZATION=f"Token {token}",
    )
    assert response.status_code == 415
    assert response.json()["errors"][0]["code"] == "unsupported_media_type"
    relationship.refresh_from_db()
    assert relationship.sees_importer_records and relationship.sees_other_records and relationship.allows_payments
