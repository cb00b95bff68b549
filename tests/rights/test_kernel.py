"""The rights kernel itself: one entry point, an actor built once per request, officer roles."""

import pytest
from django.test import RequestFactory

import rights
from businesses.models import Business, ProgramAccount
from ledger.models import Holiday
from rights import Action, OfficerRole
from rights.middleware import ActorMiddleware


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


def test_a_staff_user_holds_the_officer_role(olivia, alice):
    assert rights.actor_of(olivia).officer_role == OfficerRole.OFFICER
    assert rights.actor_of(alice).officer_role == ""
    assert rights.may(olivia, Action.DECIDE_ADJUSTMENTS) and not rights.may(alice, Action.DECIDE_ADJUSTMENTS)


def test_a_business_action_needs_an_object(alice):
    with pytest.raises(TypeError):
        rights.may(alice, Action.VIEW)
