"""The rights kernel itself: one entry point, an actor built once per request, officer roles."""

import pytest
from django.test import RequestFactory
from django.utils import timezone

import rights
from access.models import RoleGrant
from access.services import set_role
from businesses.models import Business, ProgramAccount
from ledger.models import Holiday
from rights import Action, OfficerRole, kernel
from rights.middleware import ActorMiddleware
from rights.models import OfficerAppointment


def test_restrict_refuses_a_model_no_app_registered(alice):
    with pytest.raises(TypeError):
        rights.restrict(Holiday.objects.all(), alice, Action.VIEW)


def test_every_visible_to_is_restrict(bam, rm0001):
    assert list(ProgramAccount.objects.visible_to(bam, Action.PAY)) == list(
        rights.restrict(ProgramAccount.objects.all(), bam, Action.PAY)
    )
    assert list(Business.objects.visible_to(bam)) == list(rights.restrict(Business.objects.all(), bam, Action.VIEW))


def test_nobody_signed_in_gets_no_rows(maple):
    assert not rights.restrict(Business.objects.all(), None, Action.VIEW).exists()


def test_the_actor_is_built_once_per_request(bam):
    request = RequestFactory().get("/en/")
    request.user, request.session = bam, {}
    seen = []
    ActorMiddleware(lambda r: seen.append(r.actor) or "response")(request)
    assert seen[0].user == bam and seen[0] == rights.actor_of(request)
    assert rights.actor_of(request) is rights.actor_of(request)  # built once, then read


def test_officer_roles_come_from_open_appointments_of_staff_users(olivia, alice):
    assert rights.actor_of(olivia).officer_roles == {OfficerRole.SUPERVISOR}
    assert rights.actor_of(alice).officer_roles == frozenset()
    assert rights.may(olivia, Action.DECIDE_ADJUSTMENTS) and not rights.may(alice, Action.DECIDE_ADJUSTMENTS)


def test_an_ended_appointment_or_a_non_staff_user_holds_no_role(olivia, alice):
    OfficerAppointment.objects.create(user=alice, role=OfficerRole.REVENUE, reason="not CBSA staff")
    assert not rights.actor_of(alice).is_officer  # an appointment without CBSA employment gives nothing
    OfficerAppointment.objects.filter(user=olivia).update(ended_at=timezone.now())
    assert not rights.actor_of(olivia).is_officer and not rights.may(olivia, Action.DECIDE_REFUNDS)


@pytest.mark.parametrize(
    ("role", "allowed", "refused"),
    [
        (OfficerRole.REVENUE, Action.DECIDE_REFUNDS, Action.DECIDE_APPEALS),
        (OfficerRole.TRADE, Action.DECIDE_RULINGS, Action.DECIDE_REFUNDS),
        (OfficerRole.RECOURSE, Action.DECIDE_APPEALS, Action.ASSESS_PENALTIES),
        (OfficerRole.SUPERVISOR, Action.RUN_JOBS, None),
        (OfficerRole.AUDITOR, Action.VIEW_CLIENTS, Action.DECIDE_ADJUSTMENTS),
    ],
)
def test_each_officer_role_gives_its_own_work_only(olivia, role, allowed, refused):
    OfficerAppointment.objects.filter(user=olivia).update(ended_at=timezone.now())
    OfficerAppointment.objects.create(user=olivia, role=role, reason="test")
    assert rights.may(olivia, allowed)
    if refused is not None:
        assert not rights.may(olivia, refused)
    assert rights.may(olivia, Action.APPOINT_OFFICERS) == (role == OfficerRole.SUPERVISOR)


def test_a_business_action_needs_an_object(alice):
    with pytest.raises(TypeError):
        rights.may(alice, Action.VIEW)


def test_the_kept_sql_of_held_accounts_reads_the_grants_again_on_every_call(bam, editor, rm0001):
    """Only the SQL of an actor's accounts is kept across calls (the same entry, not compiled again):
    a grant revoked, then given back as Reader, shows on the very next call."""
    transact = lambda: set(ProgramAccount.objects.visible_to(editor, Action.TRANSACT))  # noqa: E731
    assert rm0001 in transact()
    kept = dict(kernel._kept_rules)
    RoleGrant.objects.filter(user=editor, program_account=rm0001).delete()
    assert rm0001 not in transact()
    set_role(bam, rm0001, "reader", user=editor)
    assert rm0001 not in transact() and rm0001 in ProgramAccount.objects.visible_to(editor, Action.VIEW)
    assert kernel._kept_rules.items() >= kept.items()


def test_the_kept_sql_is_kept_apart_for_each_business_an_api_token_names(bam, rm0001):
    token_for_another = rights.Actor(bam, only_business="123026635")
    assert rm0001 in ProgramAccount.objects.visible_to(bam, Action.VIEW)
    assert not ProgramAccount.objects.visible_to(token_for_another, Action.VIEW).exists()
    assert not Business.objects.visible_to(token_for_another, Action.VIEW).exists()
