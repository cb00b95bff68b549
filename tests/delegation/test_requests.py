"""Sending, deciding, changing and ending relationship requests; bad input gets a clear error."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEntry
from businesses.models import ProgramAccount
from delegation import services
from delegation.models import Notification, Relationship

from .conftest import days


def refused(code, call, *args, **kwargs):
    with pytest.raises(ValidationError) as error:
        call(*args, **kwargs)
    assert error.value.code == code, error.value
    return error.value


def test_a_provider_bam_requests_access_by_bn9_and_it_is_audited(bob, northern, maple):
    relationship = services.request_relationship(
        bob, northern, "123 456 782", scope="program", accounts=["123456782RM0002"]
    )
    assert relationship.status == "pending"
    assert list(relationship.program_accounts.values_list("number", flat=True)) == ["123456782RM0002"]
    entry = AuditEntry.objects.get(action="relationship.requested")
    assert entry.actor == bob and entry.actor_business == northern.bn9


def test_a_request_to_yourself_is_refused(bob, northern):
    refused("self", services.request_relationship, bob, northern, northern.bn9, scope="business")


def test_a_request_to_a_non_importer_is_refused(bob, northern, tidewater):
    refused("cannot_relate", services.request_relationship, bob, northern, tidewater.bn9, scope="business")


def test_an_importer_cannot_send_a_provider_request(alice, maple, northern):
    refused("not_a_provider", services.request_relationship, alice, maple, northern.bn9, scope="business")


def test_someone_outside_the_provider_cannot_send_its_request(alice, northern, maple):
    with pytest.raises(PermissionDenied):
        services.request_relationship(alice, northern, maple.bn9, scope="business")


def test_a_request_to_an_unregistered_business_is_refused(bob, northern):
    refused("cannot_relate", services.request_relationship, bob, northern, "456789122", scope="business")


def test_a_duplicate_pending_request_is_refused(bob, northern, maple):
    services.request_relationship(bob, northern, maple.bn9, scope="business")
    refused("duplicate", services.request_relationship, bob, northern, maple.bn9, scope="business")


def test_a_request_while_related_is_refused(relate, bob, northern, maple):
    relate("business")
    refused("already_related", services.request_relationship, bob, northern, maple.bn9, scope="business")


def test_a_program_request_needs_an_account_of_the_importer(bob, northern, maple):
    refused(
        "unknown_account",
        services.request_relationship,
        bob,
        northern,
        maple.bn9,
        scope="program",
        accounts=["123026635RM0001"],
    )
    refused("no_account", services.request_relationship, bob, northern, maple.bn9, scope="program")


def test_approval_defaults_to_one_year_and_business_visibility(relate):
    relationship = relate("business")
    assert relationship.status == "active"
    assert relationship.expires_on > days(364)
    assert (
        relationship.sees_provider_records,
        relationship.sees_importer_records,
        relationship.sees_other_records,
    ) == (
        True,
        True,
        True,
    )


def test_an_expiry_date_in_the_past_is_refused(bob, northern, maple, alice):
    pending = services.request_relationship(bob, northern, maple.bn9, scope="business")
    refused("expiry_in_past", services.approve, alice, pending, expires_on=days(-1))
    refused("expiry_required", services.approve, alice, pending, expires_on=None)


def test_approval_of_a_lapsed_request_is_refused_and_the_task_lapses_it(bob, northern, maple, alice):
    pending = services.request_relationship(bob, northern, maple.bn9, scope="business")
    Relationship.objects.filter(pk=pending.pk).update(request_expires_on=days(-1))
    refused("lapsed", services.approve, alice, pending)
    services.expire_relationships()
    pending.refresh_from_db()
    assert pending.status == "lapsed"
    refused("not_pending", services.approve, alice, pending)


def test_the_request_lapses_after_the_configured_days(bob, northern, maple, settings):
    settings.CARM_RELATIONSHIP_REQUEST_DAYS = 5
    pending = services.request_relationship(bob, northern, maple.bn9, scope="business")
    assert pending.request_expires_on == days(5)


def test_only_the_importer_decides_a_provider_request(bob, northern, maple, reader, tina):
    pending = services.request_relationship(bob, northern, maple.bn9, scope="business")
    for person in (bob, reader, tina):
        with pytest.raises(PermissionDenied):
            services.approve(person, pending)
    assert AuditEntry.objects.filter(action="access.denied").count() == 3


def test_a_pam_decides_a_program_request_for_their_account_only(bob, northern, maple, pam):
    pending = services.request_relationship(bob, northern, maple.bn9, scope="program", accounts=["123456782RM0001"])
    with pytest.raises(PermissionDenied):
        services.approve(pam, pending, scope="business")
    assert services.approve(pam, pending).status == "active"


def test_a_rejection_needs_a_reason(bob, northern, maple, alice):
    pending = services.request_relationship(bob, northern, maple.bn9, scope="business")
    refused("reason_required", services.reject, alice, pending, reason=" ")
    assert services.reject(alice, pending, reason="We use another broker").status == "rejected"
    assert AuditEntry.objects.filter(action="relationship.rejected").exists()


def test_an_importer_invites_a_provider_who_accepts(alice, maple, bob, northern):
    invitation = services.invite_provider(alice, maple, northern.bn9, scope="business")
    with pytest.raises(PermissionDenied):
        services.approve(alice, invitation)
    assert services.approve(bob, invitation).status == "active"


def test_changes_revocation_and_ending_are_audited(relate, alice, bob):
    relationship = relate("business")
    services.change_terms(alice, relationship, expires_on=days(10), sees_others=False)
    services.revoke(alice, relationship)
    refused("not_active", services.end_by_provider, bob, relationship)
    actions = list(AuditEntry.objects.filter(action__startswith="relationship.").values_list("action", flat=True))
    assert {"relationship.changed", "relationship.revoked"} <= set(actions)


def test_only_people_of_the_provider_can_be_assigned(relate, bob, reader):
    relationship = relate("business")
    refused("not_a_member", services.assign, bob, relationship, "editor", user=reader)
    refused("invalid_role", services.assign, bob, relationship, "pam", user=bob)


def test_expiry_notices_go_to_both_sides_30_and_7_days_ahead_once(relate, maple, northern):
    relationship = relate("business", expires_on=days(30))
    services.expire_relationships()
    services.expire_relationships()
    assert set(Notification.objects.values_list("recipient__bn9", "kind")) == {
        (maple.bn9, "expiry_30"),
        (northern.bn9, "expiry_30"),
    }
    services.expire_relationships(today=relationship.expires_on - datetime.timedelta(days=7))
    assert Notification.objects.filter(kind="expiry_7").count() == 2
    assert Notification.objects.count() == 4


def test_the_command_and_the_task_expire_relationships(relate, brenda):
    from delegation.tasks import expire_relationships

    first = relate("business")
    Relationship.objects.filter(pk=first.pk).update(expires_on=timezone.localdate() - datetime.timedelta(days=1))
    call_command("expire_relationships")
    first.refresh_from_db()
    assert first.status == "expired"
    assert expire_relationships.delay().get()["expired"] == 0
    assert AuditEntry.objects.filter(action="relationship.expired").count() == 1


def test_the_demo_seeds_the_two_relationships(maple):
    from delegation import demo

    demo.seed()
    demo.seed()
    northern = Relationship.objects.get(provider__bn9="123026635", status="active")
    assert northern.scope == "business" and northern.sees_other_records
    tidewater = Relationship.objects.get(provider__bn9="876543216")
    assert tidewater.status == "pending"
    assert list(tidewater.program_accounts.all()) == [ProgramAccount.objects.get(number="123456782RM0002")]


def test_a_lapsed_request_does_not_block_a_new_one(bob, northern, maple):
    first = services.request_relationship(bob, northern, maple.bn9, scope="business")
    Relationship.objects.filter(pk=first.pk).update(request_expires_on=days(-1))
    second = services.request_relationship(bob, northern, maple.bn9, scope="business")
    first.refresh_from_db()
    assert (first.status, second.status) == ("lapsed", "pending")
    assert AuditEntry.objects.filter(action="relationship.lapsed").count() == 1


@pytest.mark.parametrize("side", ["provider request", "importer invitation"])
def test_a_relationship_past_its_expiry_date_does_not_block_a_new_request(side, relate, bob, alice, northern, maple):
    from .conftest import expire

    first = expire(relate("business"))
    assert first.status == "active"  # the nightly run has not reached it yet
    if side == "provider request":
        second = services.request_relationship(bob, northern, maple.bn9, scope="business")
    else:
        second = services.invite_provider(alice, maple, northern.bn9, scope="business")
    first.refresh_from_db()
    assert (first.status, second.status) == ("expired", "pending")
    assert first.ended_at is not None
    assert AuditEntry.objects.get(action="relationship.expired").object_id == str(first.pk)
    assert services.expire_relationships()["expired"] == 0  # the same service: nothing left for the task
