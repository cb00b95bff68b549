import pytest
from django.core.exceptions import ValidationError

from access import services
from access.models import Role
from audit.models import AuditEntry
from rights import Action, may


def test_members_have_the_union_of_personal_and_group_roles(client, bam, reader, maple, rm0001):
    rm0002 = maple.program_accounts.get(number="123456782RM0002")
    assert not may(reader, Action.VIEW, rm0002)
    client.force_login(bam)
    response = client.post(
        "/en/access/123456782/groups/new/",
        {
            "name": "Accounting",
            "members": [str(reader.pk)],
            "account_123456782RM0001": "editor",
            "account_123456782RM0002": "reader",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert may(reader, Action.TRANSACT, rm0001)  # the group's Editor beats the personal Reader
    assert may(reader, Action.VIEW, rm0002) and not may(reader, Action.TRANSACT, rm0002)
    entry = AuditEntry.objects.get(action="group.created")
    assert entry.after["members"] == ["rita@maple.example"] and entry.actor_business == "123456782"


def test_leaving_a_group_takes_its_rights_away(bam, reader, maple):
    rm0002 = maple.program_accounts.get(number="123456782RM0002")
    group = services.save_group(bam, maple, name="Audit", members=[reader], roles={rm0002: Role.READER})
    assert may(reader, Action.VIEW, rm0002)
    services.save_group(bam, maple, name="Audit", members=[], roles={rm0002: Role.READER}, group=group)
    assert not may(reader, Action.VIEW, rm0002)
    services.delete_group(bam, group)
    assert AuditEntry.objects.filter(action__in=["group.changed", "group.deleted"]).count() == 2


def test_only_people_of_the_business_join_its_groups(bam, other_business_user, maple):
    with pytest.raises(ValidationError, match="Only people of this business"):
        services.save_group(bam, maple, name="Outsiders", members=[other_business_user], roles={})


def test_group_names_are_unique_per_business(client, bam, maple):
    services.save_group(bam, maple, name="Audit", members=[], roles={})
    client.force_login(bam)
    response = client.post("/en/access/123456782/groups/new/", {"name": "Audit"})
    assert "already has a group with that name" in response.content.decode()
