"""What security adds to other apps through their hooks: the rights rule of bonds, the refusal
of an RPP CAD for an account not enrolled or not sufficiently secured (declarations.validation), the
RPP enrolment billing reads (businesses.account_programs.rpp_enrolled), and
the watch of each secured account's usage as the ledger and its security move (the audit trail's
`recorded` signal: tasks.watch_moved, once the transaction has committed)."""

from functools import partial

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

import rights
from audit.services import recorded
from businesses import account_programs
from businesses.models import Business
from core.after_commit import queue_after_commit
from core.formats import money
from declarations.models import CadType
from declarations.validation import Error
from payments.services import register_purpose

from . import rules, services, tasks
from .models import RppStatus


def bond_rule(actor, action) -> Q:
    """An importer's bonds, for whoever may do `action` on that importer (a provider uses its own door:
    services.provider_bonds)."""
    return Q(importer__in=rights.restrict(Business.objects.all(), actor, action).values("pk"))


def rpp_acceptance(checked, lookups) -> list[Error]:
    """Customs Act s.32(2)(b) / s.35.1 via D17-5-2: goods are released before payment only under
    security. An RPP CAD released from the end of the transition (20 May 2025, CN 25-22) needs the
    account enrolled and its security meeting its requirement; else it may be filed as a cash CAD.
    Activity nearing the posted security is a warning (thresholds in settings). The position is read
    once per account and day for a batch (`lookups`); each CAD accepted adds its duties to the unpaid
    activity the next one of the batch is warned on (they reach the ledger when the batch is saved)."""
    header = checked.header
    release = header["release_date"]
    if header["cad_type"] != CadType.RPP or not rules.enforced_on(release):
        return []
    key = ("security.position", checked.account.pk, release)
    held = lookups.kept(key, lambda: services.position(checked.account, release, lookups=lookups))
    position = held.plus(checked.totals.get("total") or 0)
    if position.status != RppStatus.ENROLLED:
        return [
            Error(
                "rpp_not_enrolled",
                "/cad_type",
                _(
                    "Account %(number)s is not enrolled in release prior to payment (%(status)s) on %(day)s: "
                    "file a cash CAD, paid before release."
                )
                % {"number": checked.account.number, "status": RppStatus(position.status).label, "day": release},
            )
        ]
    if not position.sufficient:
        return [
            Error(
                "rpp_insufficient_security",
                "/cad_type",
                _(
                    "The security posted for account %(number)s is short of its requirement by %(shortfall)s: "
                    "file a cash CAD, paid before release, or post more security."
                )
                % {"number": checked.account.number, "shortfall": money(position.shortfall)},
            )
        ]
    lookups.held[key] = position
    for percent in position.warnings:
        # The same few warnings for every CAD of a batch over a threshold: each made once per batch
        # (its message rendered in the batch's language), not translated and formatted again per CAD.
        number = checked.account.number
        checked.warnings.append(
            lookups.kept(("security.usage_warning", number, percent), partial(_usage, number, percent))
        )
    return []


def _usage(number: str, percent: int) -> Error:
    return Error(
        "rpp_security_usage",
        "/cad_type",
        _("Unpaid RPP activity on account %(number)s reaches %(percent)s%% of what its security covers.")
        % {"number": number, "percent": percent},
    )


# What moves an account's usage of its security: its ledger (a CAD's duties, a payment), its security.
USAGE_MOVES = {"ledger.posted", "security.bond_allocated", "security.deposit_held", "security.deposit_returned"}
BOND_MOVES = {"security.bond_amended", "security.bond_cancelled", "security.bond_confirmed"}


def usage_moved(sender, entries, **kwargs):
    """The accounts whose usage may have moved, watched once per batch of audit entries after their
    transaction commits (tasks.watch_moved, queued): the watch reads what was committed, a rolled-back
    posting is never watched, and a CAD batch or a statement close does not hold its locks while the
    watch reads and tells (as notifications' AFTER_COMMIT events)."""
    numbers = sorted({e.after.get("account") for e in entries if e.action in USAGE_MOVES} - {None})
    bonds = [int(e.object_id) for e in entries if e.action in BOND_MOVES]
    if numbers or bonds:
        queue_after_commit(tasks.watch_moved, numbers, bonds)


def connect():
    """Deposits paid through payments (services.pay_deposit), the usage watched on the audit trail,
    billing's "released prior to payment?" answered by the enrolment (services.rpp_enrolled)."""
    account_programs.register_rpp(services.rpp_enrolled)
    register_purpose(services.DEPOSIT_PURPOSE, paid=services.deposit_line_paid, returned=services.deposit_line_returned)
    recorded.connect(usage_moved, dispatch_uid="security.usage")
