import pytest
from django.core.exceptions import ValidationError

from access import services
from access.models import Role, RoleGrant


def test_removing_the_last_bam_is_refused(bam, maple):
    with pytest.raises(ValidationError) as refused:
        services.remove_bam(bam, maple, bam)
    assert refused.value.code == "last_bam"
    assert RoleGrant.objects.filter(business=maple, role=Role.BAM).count() == 1


def test_a_bam_can_step_down_once_another_is_appointed(bam, reader, maple):
    services.appoint_bam(bam, maple, reader)
    services.remove_bam(reader, maple, bam)
    assert list(RoleGrant.objects.filter(business=maple, role=Role.BAM).values_list("user__email", flat=True)) == [
        "rita@maple.example"
    ]


def test_the_page_refuses_to_remove_the_last_bam(client, bam, maple):
    client.force_login(bam)
    response = client.post(f"/en/access/123456782/members/{bam.pk}/remove/", follow=True)
    assert "is the only business account manager: appoint another one first." in response.content.decode()
    response = client.post(f"/en/access/123456782/members/{bam.pk}/", {"account_123456782RM0001": ""})
    assert "is the only business account manager" in response.content.decode()
    assert RoleGrant.objects.filter(business=maple, role=Role.BAM, user=bam).exists()


def test_the_api_refuses_to_remove_the_last_bam(client, bam, maple):
    client.force_login(bam)
    grant = RoleGrant.objects.get(business=maple, role=Role.BAM)
    response = client.delete(f"/api/v1/role-grants/{grant.pk}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "last_bam"


def test_a_business_with_one_bam_warns_its_bam(client, bam, reader, maple):
    client.force_login(bam)
    warning = "Only one business account manager"
    assert warning in client.get("/en/").content.decode()
    assert warning in client.get("/en/businesses/123456782/").content.decode()
    services.appoint_bam(bam, maple, reader)
    assert warning not in client.get("/en/").content.decode()
