"""Preferences: each person's channels per event kind over their business's defaults (set by its
BAMs) over the catalogue's; money and security events cannot be silenced; SMS needs a real number;
the daily digest batches the emails that can wait."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from notifications import services
from notifications.models import Delivery, Notification

from .conftest import told


def _emit_decision(maple, charlie, key="AR-1"):
    return services.emit(
        "access_request.decided",
        business=maple,
        people=[charlie],
        key=key,
        context={"business": maple.legal_name, "decision": "approved"},
    )


def test_the_catalogue_s_channels_apply_until_a_choice_is_made(maple, alice, rm0001):
    assert services.channels_for(alice, "declaration.accepted", maple) == {"inbox"}
    assert services.channels_for(alice, "statement.issued", maple) == {"inbox", "email"}


def test_a_person_s_choice_is_respected(maple, charlie):
    services.set_preference(charlie, "access_request.decided", {"email"})
    [notice] = _emit_decision(maple, charlie)
    assert not notice.in_inbox and [d.channel for d in notice.deliveries.all()] == ["email"]
    assert not Notification.objects.inbox_of(charlie).exists()


def test_an_event_turned_off_is_not_told(maple, charlie):
    services.set_preference(charlie, "access_request.decided", set())
    assert _emit_decision(maple, charlie) == []
    assert told("access_request.decided") == set()


@pytest.mark.parametrize("kind", ["statement.issued", "payment.failed", "amount.overdue", "security.shortfall"])
def test_a_money_or_security_event_cannot_be_silenced(alice, kind):
    with pytest.raises(ValidationError) as refused:
        services.set_preference(alice, kind, set())
    assert refused.value.code == "mandatory_event"
    assert "cannot be turned off" in refused.value.messages[0]


def test_an_unknown_event_kind_is_refused_everywhere(maple, alice):
    for attempt in (
        lambda: services.emit("payment.lost", program_account=None),
        lambda: services.set_preference(alice, "payment.lost", {"email"}),
        lambda: services.set_business_default(alice, maple, "payment.lost", {"email"}),
    ):
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert refused.value.code == "unknown_event_kind"
        assert refused.value.messages == ["Unknown event kind “payment.lost”."]


@pytest.mark.parametrize("phone", ["12345", "not a phone", "+1 613 555 01234", "555-0199"])
def test_a_phone_number_that_is_not_one_is_refused(alice, phone):
    with pytest.raises(ValidationError) as refused:
        services.set_profile(alice, phone=phone, daily_digest=False)
    assert refused.value.code == "invalid_phone"


def test_a_canadian_number_is_kept_in_e164(alice):
    assert services.set_profile(alice, phone="(613) 555-0123", daily_digest=False).phone == "+16135550123"
    assert services.set_profile(alice, phone="+44 20 7946 0958", daily_digest=False).phone == "+442079460958"


def test_sms_needs_a_phone_number(alice):
    with pytest.raises(ValidationError) as refused:
        services.set_preference(alice, "payment.failed", {"sms"})
    assert refused.value.code == "no_phone"


def test_a_business_default_set_by_a_bam_applies_to_its_people_until_they_choose(maple, alice, reader, rm0001):
    services.set_business_default(alice, maple, "statement.issued", {"inbox"})
    assert services.channels_for(reader, "statement.issued", maple) == {"inbox"}
    services.set_preference(reader, "statement.issued", {"inbox", "email"})
    assert services.channels_for(reader, "statement.issued", maple) == {"inbox", "email"}


def test_only_a_bam_sets_business_defaults_and_never_silences_money(maple, alice, reader, pam):
    for person in (reader, pam):
        with pytest.raises(PermissionDenied):
            services.set_business_default(person, maple, "statement.issued", {"inbox"})
    with pytest.raises(ValidationError) as refused:
        services.set_business_default(alice, maple, "payment.returned", set())
    assert refused.value.code == "mandatory_event"


def test_the_digest_batches_the_emails_that_can_wait_into_one(maple, rm0001, alice, charlie, mailoutbox):
    services.set_profile(charlie, phone="", daily_digest=True)
    for key in ("AR-1", "AR-2", "AR-3"):
        _emit_decision(maple, charlie, key)
    assert Delivery.objects.filter(notification__recipient=charlie, status="held").count() == 3
    assert services.send_digests() == 1
    [digest] = mailoutbox
    assert digest.to == [charlie.email] and digest.subject == "Your CARM notifications of the day (3)"
    assert digest.body.count("Access request decided") == 3
    assert Delivery.objects.filter(notification__recipient=charlie, status="sent").count() == 3
    assert services.send_digests() == 0  # nothing held any more


def test_money_events_skip_the_digest(maple, rm0001, alice):
    services.set_profile(alice, phone="", daily_digest=True)
    services.emit("amount.overdue", program_account=rm0001, key="OD-1", context={"overdue": "10.00"})
    delivery = Delivery.objects.get(notification__recipient=alice)
    assert delivery.status == "queued"


def test_the_digest_is_in_each_person_s_language(maple, olivia, mailoutbox):
    services.set_profile(olivia, phone="", daily_digest=True)
    _emit_decision(maple, olivia)
    services.send_digests()
    [digest] = mailoutbox
    assert digest.subject == "Vos notifications de la GCRA du jour (1)"
    assert "Décision sur une demande d'accès" in digest.body and "a été approuvée" in digest.body


def test_emit_reads_the_channels_of_all_its_people_at_once(maple, alice, reader, pam, charlie):
    """Each person's preference, their business's default and their profile are read in one query each
    for all the people told (an event told to many: a CAD batch's viewers, a payment's money people)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.set_preference(charlie, "access_request.decided", {"inbox"})

    def reads(people, key):
        with CaptureQueriesContext(connection) as queries:
            made = services.emit(
                "access_request.decided",
                business=maple,
                people=people,
                key=key,
                context={"business": maple.legal_name, "decision": "approved"},
            )
        assert {n.recipient for n in made} == set(people)
        return [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]

    assert len(reads([alice], "AR-1")) == len(reads([alice, reader, pam, charlie], "AR-2")) == 3
    assert set(Delivery.objects.filter(notification__key="AR-2").values_list("notification__recipient", flat=True)) == {
        alice.pk,
        reader.pk,
        pam.pk,
    }  # charlie chose the inbox alone
