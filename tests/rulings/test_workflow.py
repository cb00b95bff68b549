"""The workflow end to end: filing, assignment, the clock paused for information and samples, the
decision, modification and revocation, withdrawal; the transition table refuses the rest."""

import datetime as dt

import pytest
from django.core import mail

from audit.models import AuditEntry
from rulings import services
from rulings.models import Pause, RulingEvent, Status
from tests.assessment.test_estimate_fixtures import WATER

from .conftest import FILED

Event = services.Event


def test_a_request_goes_from_filing_to_a_decision_with_the_clock_paused_twice(filed, alice, olivia):
    ruling = filed()
    assert ruling.status == Status.ASSIGNED and ruling.submitted_on == FILED
    # Day 10: the officer asks for information; the applicant answers on day 25 (15 days paused).
    services.transition(
        olivia, ruling, Event.INFORMATION_REQUESTED, message="Give the mineral content.", today=dt.date(2026, 1, 15)
    )
    assert ruling.paused == Pause.INFORMATION
    assert services.days_elapsed(ruling, dt.date(2026, 1, 20)) == 10  # the clock stood still since the 15th
    services.transition(alice, ruling, Event.ANSWERED, message="Calcium 40 mg/L.", today=dt.date(2026, 1, 30))
    assert ruling.paused == Pause.NONE and ruling.paused_days == 15
    # Samples for the laboratory: 20 more days paused.
    services.transition(olivia, ruling, Event.SAMPLES_REQUESTED, today=dt.date(2026, 2, 1))
    services.transition(olivia, ruling, Event.SAMPLES_DONE, today=dt.date(2026, 2, 21))
    assert ruling.paused_days == 35
    # 5 Jan → 1 Jun 2026 is 147 calendar days, 35 paused: 112 counted, within the 120-day standard.
    assert services.days_elapsed(ruling, dt.date(2026, 6, 1)) == 112
    assert services.days_left(ruling, dt.date(2026, 6, 1)) == 8
    services.transition(
        olivia,
        ruling,
        Event.RENDERED,
        today=dt.date(2026, 6, 1),
        classification=WATER,
        reasons="GIR 1 and 6: heading 22.01.",
        effective_date=dt.date(2026, 6, 1),
    )
    ruling.refresh_from_db()
    assert ruling.status == Status.RENDERED and ruling.ruling_classification == WATER
    assert services.days_elapsed(ruling, dt.date(2026, 12, 31)) == 112  # the clock stopped at the decision
    assert services.days_left(ruling) is None
    kinds = list(ruling.events.values_list("kind", flat=True))
    assert kinds == [
        "submit",
        "assign",
        "request_information",
        "answer",
        "request_samples",
        "samples_done",
        "render",
        "publish",
    ]
    audited = AuditEntry.objects.filter(object_id=str(ruling.pk), action__startswith="ruling.").values_list(
        "action", flat=True
    )
    assert {"ruling.submit", "ruling.assign", "ruling.request_information", "ruling.answer", "ruling.render"} <= set(
        audited
    )


def test_each_officer_step_is_notified_to_the_applicant_and_each_answer_to_the_officer(
    filed, alice, olivia, django_capture_on_commit_callbacks
):
    ruling = filed()
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(olivia, ruling, Event.INFORMATION_REQUESTED, message="Which spring?", today=FILED)
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(alice, ruling, Event.ANSWERED, message="Mont Sutton.", today=FILED)
    # The status changes' notices (notifications' own e-mails) are tested in test_notifications.py.
    direct = [(m.to, m.body) for m in mail.outbox if "notification preferences" not in m.body]
    assert direct == [
        (["alice@maple.example"], "Which spring?"),
        (["olivia@cbsa.example"], "Mont Sutton."),
    ]


def test_the_same_step_twice_from_the_same_reading_is_refused(filed, olivia):
    ruling = filed()
    stale = type(ruling).objects.get(pk=ruling.pk)
    services.transition(olivia, ruling, Event.INFORMATION_REQUESTED, today=FILED)
    stale.paused = Pause.NONE  # as read before the first step: the table allows it, the revision does not
    with pytest.raises(services.Conflict) as refused:
        services.transition(olivia, stale, Event.SAMPLES_REQUESTED, today=FILED)
    assert refused.value.errors[0].code == "conflict"
    assert RulingEvent.objects.filter(request=ruling, kind=Event.SAMPLES_REQUESTED).count() == 0


def test_a_step_the_table_does_not_allow_is_refused(filed, draft, alice, olivia):
    ruling = filed()
    with pytest.raises(services.Conflict) as refused:
        services.transition(alice, ruling, Event.ANSWERED, today=FILED)  # nothing was asked
    assert refused.value.errors[0].code == "clock_state"
    with pytest.raises(services.Conflict):
        services.transition(olivia, draft(), Event.ASSIGNED, today=FILED)  # a draft is not filed
    services.transition(olivia, ruling, Event.INFORMATION_REQUESTED, today=FILED)
    with pytest.raises(services.Conflict):  # no decision while the clock waits for the applicant
        services.transition(olivia, ruling, Event.RENDERED, today=FILED, classification=WATER, reasons="x")


def test_a_rendered_ruling_can_be_asked_to_change_then_modified_and_revoked(filed, alice, olivia, oscar):
    ruling = filed()
    services.transition(olivia, ruling, Event.RENDERED, today=FILED, classification=WATER, reasons="GIR 1.")
    with pytest.raises(services.RulingError):
        services.transition(alice, ruling, Event.MODIFICATION_REQUESTED, today=FILED, ground="whim")
    services.transition(
        alice, ruling, Event.MODIFICATION_REQUESTED, message="Typo in reasons.", today=FILED, ground="clerical"
    )
    services.transition(oscar, ruling, Event.MODIFIED, today=FILED, classification=WATER, reasons="GIR 1 and 6.")
    assert ruling.ruling_reasons == "GIR 1 and 6." and ruling.in_force
    services.transition(olivia, ruling, Event.REVOKED, today=dt.date(2026, 3, 1))
    assert ruling.revoked_on == dt.date(2026, 3, 1) and not ruling.in_force
    with pytest.raises(services.Conflict):
        services.transition(olivia, ruling, Event.REVOKED, today=dt.date(2026, 3, 2))


def test_a_refusal_is_a_decision_with_reasons(filed, olivia):
    ruling = filed()
    with pytest.raises(services.RulingError) as refused:
        services.transition(olivia, ruling, Event.REFUSED, today=FILED)
    assert refused.value.errors[0].field == "reasons"
    services.transition(olivia, ruling, Event.REFUSED, today=FILED, reasons="The goods are under appeal.")
    assert ruling.status == Status.RENDERED and ruling.outcome == "refused" and ruling.published_on is None


def test_the_applicant_may_withdraw_an_open_request_and_the_clock_stops(filed, alice):
    ruling = filed()
    services.transition(alice, ruling, Event.WITHDRAWN, today=FILED)
    assert ruling.status == Status.WITHDRAWN
    with pytest.raises(services.Conflict):
        services.transition(alice, ruling, Event.WITHDRAWN, today=FILED)


def test_the_queue_puts_the_requests_nearest_to_breach_first(filed, olivia):
    old, fresh, paused = filed(), filed(), filed()
    type(old).objects.filter(pk=old.pk).update(submitted_on=dt.date(2025, 10, 1))
    type(paused).objects.filter(pk=paused.pk).update(submitted_on=dt.date(2025, 9, 1))
    services.transition(olivia, paused, Event.SAMPLES_REQUESTED, today=dt.date(2026, 1, 10))
    order = services.queue(dt.date(2026, 1, 20))
    assert [r.pk for r in order] == [old.pk, fresh.pk, paused.pk]
    assert [r.days_left for r in order] == [120 - 111, 120 - 15, 120 - 131]


def test_the_report_gives_the_share_rendered_within_the_standard_by_kind_and_month(filed, olivia):
    quick, slow = filed(), filed()
    services.transition(
        olivia, quick, Event.RENDERED, today=dt.date(2026, 3, 1), classification=WATER, reasons="GIR 1."
    )
    services.transition(
        olivia, slow, Event.RENDERED, today=dt.date(2026, 5, 20), classification=WATER, reasons="GIR 1."
    )
    report = services.standard_report()
    assert report == [
        {"month": "2026-03", "kind": "classification", "rendered": 1, "within": 1, "share": 100.0},
        {"month": "2026-05", "kind": "classification", "rendered": 1, "within": 0, "share": 0.0},
    ]
