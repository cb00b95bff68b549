"""What the workbench shows of the apps below: the client 360's panels, the queues and the jobs.
An app built later adds its line here."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import rights
from accounts import cleanup
from declarations.services import ADJUSTMENT_STANDARD_DAYS, decide_adjustment, pending_adjustments
from ledger import interest, offsetting, statements
from ledger.models import RefundRequest
from ledger.tasks import catch_up_until
from penalties import services as penalties
from recourse import services as recourse
from rights import Action
from rulings import services as rulings
from security import review as security_review
from security import services as security
from security.models import ReviewRun

from . import extensions, panels
from .models import SupportRequest


def register():
    rights.register_rows(SupportRequest, _support_rule)
    for key, label, order in [
        ("program_accounts", _("Program accounts"), 10),
        ("people", _("People and roles"), 20),
        ("relationships", _("Business relationships"), 30),
        ("ledger", _("Ledger"), 40),
        ("declarations", _("Commercial accounting declarations"), 50),
        ("rulings", _("Rulings"), 60),
        ("security", _("Release prior to payment and security"), 70),
        ("appeals", _("Appeals and penalties"), 80),
        ("notes", _("Notes and support requests"), 90),
    ]:
        extensions.register_panel(
            extensions.Panel(key, label, f"workbench/panels/{key}.html", getattr(panels, key), order)
        )
    _register_queues()
    _register_jobs()


def _support_rule(actor, action):
    # The person who asked sees their own requests; officers see every one (rights.restrict).
    return Q(asked_by=actor.user) if action == Action.VIEW else Q(pk__in=[])


def _support(kind):
    return lambda: SupportRequest.objects.filter(kind=kind, status=SupportRequest.Status.OPEN)


def _register_queues():
    register, Queue = extensions.register_queue, extensions.Queue
    register(
        Queue(
            "adjustments",
            _("Adjustments"),
            pending_adjustments,
            Action.DECIDE_ADJUSTMENTS,
            deadline=_b2_deadline,
            link=lambda version: reverse("declarations:adjustment", args=[version.pk]),
            standard=_(
                "90 calendar days from receipt of the request and its supporting documents "
                "(CBSA service standards, B2 commercial adjustments)"
            ),
            decide=_decide_adjustment,
        )
    )
    register(
        Queue(
            "rulings",
            _("Rulings"),
            rulings.queue,
            Action.DECIDE_RULINGS,
            # The clock's days left (paused days not counted) from today: D11-11-3, 120 calendar days
            deadline=lambda ruling: timezone.localdate() + dt.timedelta(days=ruling.days_left)
            if ruling.days_left is not None
            else None,
            link=lambda ruling: reverse("rulings:detail", args=[ruling.case_number]),
            standard=_("120 calendar days (D11-11-3)"),
        )
    )
    register(
        Queue(
            "refunds",
            _("Refunds"),
            lambda: RefundRequest.objects.filter(status=RefundRequest.Status.PENDING).select_related("program_account"),
            Action.DECIDE_REFUNDS,
            link=lambda refund: reverse("ledger:refunds"),
            title=lambda refund: f"{refund.program_account.number} — {refund.amount}",
            decide=lambda refund, approve, officer, reason, request: offsetting.decide_refund(
                refund, approve=approve, officer=officer, reason=reason, request=request
            ),
        )
    )
    register(
        Queue(
            "registrations",
            _("Registrations needing a manual check"),
            _support(SupportRequest.Kind.REGISTRATION),
            Action.ANSWER_SUPPORT,
            link=lambda item: reverse("workbench:support", args=[item.pk]),
        )
    )
    register(
        Queue(
            "support",
            _("Support requests"),
            _support(SupportRequest.Kind.QUESTION),
            Action.ANSWER_SUPPORT,
            link=lambda item: reverse("workbench:support", args=[item.pk]),
        )
    )
    register(
        Queue(
            "security",
            _("Security reviews"),
            security.officer_queue,
            Action.MANAGE_SECURITY,
            link=lambda item: reverse("security:decide", args=[item.kind, item.subject.pk]),
        )
    )
    register(
        Queue(
            "appeals",
            _("Appeals"),
            recourse.officer_queue,
            Action.DECIDE_APPEALS,
            link=lambda item: reverse("recourse:decide", args=[item.subject.number]),
        )
    )
    register(Queue("outages", _("Outages"), penalties.officer_queue, Action.DECLARE_OUTAGES))


def _b2_deadline(version):
    if version.submitted_at is None:
        return None
    return timezone.localtime(version.submitted_at).date() + dt.timedelta(days=ADJUSTMENT_STANDARD_DAYS)


def _decide_adjustment(version, approve, officer, reason, request) -> None:
    outcome = decide_adjustment(version, approve=approve, officer=officer, reason=reason, request=request)
    if outcome.errors:
        raise ValidationError([str(error.message) for error in outcome.errors])


def _register_jobs():
    register, Job = extensions.register_job, extensions.Job
    register(Job("billing_close", _("Billing period close (statements)"), _billing_close, _("the 25th, 02:00")))
    # The beat runs them (workbench.tasks.scheduled); those after midnight work for the day that ended.
    register(
        Job(
            "interest", _("Interest and late-payment penalties"), interest.catch_up, _("every night, 00:30"), _yesterday
        )
    )
    register(Job("offsetting", _("Offsetting (daily clearing)"), offsetting.clear_all, _("every day, 23:30")))
    register(Job("penalties", _("Late-accounting penalties"), penalties.catch_up, _("every night, 01:30"), _yesterday))
    register(Job("security_review", _("Annual security review"), _security_review, _("20 October, 03:00")))
    register(
        Job(
            "ledger_catch_up",
            _("The ledger's missed nights (clearing, interest, statement close, notices)"),
            lambda today, progress=None: catch_up_until(today),
            _("where no beat runs: on the first request of each day"),
        )
    )
    register(
        Job(
            "account_cleanup",
            _("Account clean-up (profiles inactive for 180 days deactivated)"),
            cleanup.deactivate_inactive,
            _("every night, 04:00"),
        )
    )


def _yesterday(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=1)


def _billing_close(day, progress=None) -> int:
    """The statements of the billing periods, then of the calendar months, whose statement day has come."""
    return statements.catch_up(day, progress) + statements.catch_up_months(day)


def _security_review(day, progress=None) -> int:
    """The review as a job: the accounts it reviewed this time (0: that day's review was done)."""
    finished = ReviewRun.objects.filter(day=day, finished_at__isnull=False).exists()
    run = security_review.annual_review(day, progress)
    return 0 if finished else run.done
