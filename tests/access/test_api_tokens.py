"""A personal API token that names a business narrows its owner's rights to that business."""

from access.services import appoint_bam
from accounts.services import create_api_token


def test_a_token_naming_a_business_sees_only_that_business(client, bam, other_business_user, maple):
    northern = other_business_user.role_grants.get().business
    appoint_bam(other_business_user, northern, bam)  # Alice manages both businesses
    _token, whole = create_api_token(bam, name="all", days=1)
    _token, narrowed = create_api_token(bam, name="maple only", days=1, business_number="123456782")

    def businesses(key):
        return {
            row["bn9"] for row in client.get("/api/v1/businesses", HTTP_AUTHORIZATION=f"Token {key}").json()["results"]
        }

    assert businesses(whole) == {"123456782", "123026635"}
    assert businesses(narrowed) == {"123456782"}
    response = client.get("/api/v1/program-accounts/123026635RM0001", HTTP_AUTHORIZATION=f"Token {narrowed}")
    assert response.status_code == 404
