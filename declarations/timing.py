"""When a CAD must be accounted for and paid, when a change to it is due, and why (issue 15 items 8-11).

The date rules are pure functions in `ledger.billing_cycle` (each with its source); this module feeds
them what a CAD and its account give, keeps the answer on the version (`due_basis`: rule, source,
inputs of each date) and puts it in words, in the person's language, wherever a date is shown.

- `settle(checked, today, lookups)`: the accounting deadline (by the account's accounting program:
  five business days (C288), the 24th of the next month (C292), the CSA payment due date) and the
  day the duties are payable (cash CAD or no RPP enrolment: on release; else the prescribed day of
  Customs Act s.33.4(2)(a)); warnings for late accounting and for an RPP CAD without enrolment.
- `correction_due`: the statement a correction's change lands on.
- `late_correction` (s.32.2, 90 days) and `refund_time_barred` (s.74(3)(b), four years).
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from businesses import account_programs
from ledger import billing_cycle
from ledger.billing_cycle import AccountingProgram, Dated
from ledger.posting import ledger_of
from ledger.services import holiday_calendar

from .models import CadType
from .validation import Error

CORRECTION_DAYS = 90  # Customs Act s.32.2(1), (2): "within ninety days after ... reason to believe"
REFUND_YEARS = 4  # Customs Act s.74(3)(b): "within four years after the goods were accounted for"

# Each rule in words, from its inputs; and where to read it.
RULES = {
    "five_business_days": _(
        "5 business days after the release on %(release_date)s: the release day is day 0, and a release on "
        "a Saturday, Sunday or holiday makes the first business day after it day 1 (here %(day_one)s)."
    ),
    "low_value_24th": _(
        "Goods with an estimated value for duty of $3,300 or less (%(estimated_vfd)s): by the 24th of the "
        "month after the release on %(release_date)s."
    ),
    "program_24th": _(
        "Courier low-value or continuous-transmission account: by the 24th of the month after the release "
        "on %(release_date)s."
    ),
    "csa_payment_due_date": _(
        "Customs Self-Assessment account: by the payment due date of the month of the release on %(release_date)s."
    ),
    "cash_at_release": _("Cash CAD: the goods are paid for when released (%(release_date)s), not on a statement."),
    "cash_before_release": _(
        "Cash CAD prepared before the goods arrive: paid now (%(accounted_on)s), the goods are released once it "
        "is paid (expected %(release_date)s)."
    ),
    "rpp_not_enrolled": _(
        "The account was not enrolled in release prior to payment: the duties were payable on release "
        "(%(release_date)s)."
    ),
    "prescribed_day": _(
        "Payment due date of the billing period ending %(period_end)s: the period that includes the earlier "
        "of the day the goods were accounted for (%(accounted_on)s) and their accounting deadline (%(deadline)s)."
    ),
    "calendar_month": _(
        "Calendar-month account: the 10th weekday after the 17th of the month after the earlier of the day "
        "the goods were accounted for (%(accounted_on)s) and their accounting deadline (%(deadline)s)."
    ),
    "correction_on_statement": _(
        "Correction filed on %(filed_on)s, before the statement of the billing period ending %(period_end)s "
        "was issued: it is on that statement and due with it."
    ),
    "refund_four_years": _(
        "A refund may be asked within four years after the goods were accounted for (%(accounted_on)s); "
        "this one was asked on %(filed_on)s."
    ),
    "correction_current_cycle": _(
        "Correction filed on %(filed_on)s: due with the current billing period, ending %(period_end)s."
    ),
}
SOURCES = {  # the first source named, to a page that holds it
    "Customs Act s.32(3)": "https://laws-lois.justice.gc.ca/eng/acts/C-52.6/section-32.html",
    "Customs Act s.32(5)": "https://laws-lois.justice.gc.ca/eng/acts/C-52.6/section-32.html",
    "Customs Act s.32(1)": "https://laws-lois.justice.gc.ca/eng/acts/C-52.6/section-32.html",
    "Customs Act s.33.4(2)(a)": "https://laws-lois.justice.gc.ca/eng/acts/C-52.6/section-33.4.html",
    "Customs Act s.32.2(3)": "https://laws-lois.justice.gc.ca/eng/acts/C-52.6/section-32.2.html",
    "SOR/86-1062 s.10.3(2)": "https://laws-lois.justice.gc.ca/eng/regulations/SOR-86-1062/section-10.3.html",
    "Customs Act s.74(3)(b)": "https://laws-lois.justice.gc.ca/eng/acts/C-52.6/section-74.html",
    "SOR/86-1062 s.2.1": "https://laws-lois.justice.gc.ca/eng/regulations/SOR-86-1062/section-2.1.html",
}
LABELS = {
    "deadline": _("Accounting due date"),
    "payment": _("Payment due date"),
    "correction": _("Correction due"),
    "refund_limit": _("Refund time limit"),
}


def _late_warning(deadline: Dated) -> Error:
    return Error(
        "late_accounting",
        "/release_date",
        _("Accounted after the deadline of %(day)s: late accounting, AMPS %(penalty)s.")
        % {"day": deadline.day.isoformat(), "penalty": deadline.penalty},
    )


RPP_NOT_ENROLLED = Error(
    "rpp_not_enrolled",
    "/cad_type",
    _(
        "The account is not enrolled in release prior to payment on the release date: the duties were "
        "payable on release and are due now."
    ),
)
LATE_CORRECTION = Error(
    "correction_after_90_days",
    "/reason_to_believe_on",
    _("Made more than 90 days after you had reason to believe the declaration was wrong (Customs Act s.32.2)."),
)
REFUND_TIME_BARRED = Error(
    "refund_time_barred",
    "/declaration",
    _(
        "A refund asked more than four years after the goods were accounted for (Customs Act s.74(3)(b)): "
        "a CBSA officer may approve it only under an authority the law gives."
    ),
)
OVERRIDE_REQUIRED = Error(
    "refund_time_barred",
    "/time_limit_override",
    _("This refund was asked after the four years of Customs Act s.74(3)(b): name the authority you approve it under."),
)
NO_CALENDAR = Error("no_calendar", "/release_date", _("The billing calendar does not cover this date."))


def program_on(account, day: dt.date, lookups) -> account_programs.ProgramStatus:
    """The account's program on `day`, its history read once per batch (kept on `lookups`, as is
    the program of each day asked)."""

    def read():
        history = lookups.kept(("programs", account.pk), lambda: account_programs.history(account))
        return account_programs.on(account, day, history)

    return lookups.kept(("program_on", account.pk, day), read)


def settle(checked, *, today: dt.date, lookups) -> list[Error]:
    """Set the accounting deadline, the payment due date, lateness and their basis on a checked
    CAD's header, with their warnings. Errors (a date the holiday calendar does not cover) are
    returned, nothing set."""
    header = checked.header
    release = header["release_date"]
    status = program_on(checked.account, release, lookups)
    program, csa_period = AccountingProgram(status.accounting_program), billing_cycle.CsaPeriod(status.csa_period)
    calendar = lookups.calendar()
    try:
        deadline = billing_cycle.accounting_deadline(release, program, checked.totals["vfd"], calendar, csa_period)
        payment = billing_cycle.payable_on(
            release_date=release,
            accounted_on=today,
            deadline=deadline,
            program=program,
            cash=header["cad_type"] == CadType.CASH,
            rpp_enrolled=account_programs.rpp_enrolled(checked.account, release, lookups),
            holidays=calendar,
            csa_period=csa_period,
        )
    except billing_cycle.UncoveredDateError:
        return [NO_CALENDAR]
    header.update(
        cad_due_date=deadline.day,
        payment_due_date=payment.day,
        is_late=today > deadline.day,
        due_basis={"deadline": deadline.as_dict(), "payment": payment.as_dict()},
    )
    if header["is_late"]:
        checked.warnings.append(_late_warning(deadline))
    if payment.rule == "rpp_not_enrolled":
        checked.warnings.append(RPP_NOT_ENROLLED)
    return []


def billed_on(version) -> dt.date:
    """The day the version's duties are billed on (its statement is that day's period's)."""
    day = version.due_basis.get("payment", {}).get("inputs", {}).get("billed_on")
    return dt.date.fromisoformat(day) if day else version.release_date


def accounted_on(original) -> dt.date:
    """The day the goods were accounted for: the day version 00001 was taken as made."""
    day = original.due_basis.get("payment", {}).get("inputs", {}).get("accounted_on")
    return dt.date.fromisoformat(day) if day else timezone.localdate(original.submitted_at)


def penalty_code(version) -> str:
    """The AMPS contravention of the version's late accounting (C288 when not recorded)."""
    return version.due_basis.get("deadline", {}).get("penalty") or "C288"


def correction_due(in_force, account, today: dt.date) -> Dated:
    """When a correction of `in_force` filed `today` is due (ledger.billing_cycle.correction_due)."""
    closed = ledger_of(account).closed_through
    status = account_programs.on(account, in_force.release_date)
    program, csa_period = AccountingProgram(status.accounting_program), billing_cycle.CsaPeriod(status.csa_period)
    return billing_cycle.correction_due(
        today, in_force.payment_due_date, closed, holiday_calendar(), program, csa_period
    )


def reason_to_believe(value, today: dt.date) -> tuple[dt.date | None, Error | None]:
    """The s.32.2 "reason to believe" day as given (YYYY-MM-DD, optional): (day, None) or (None, error)."""
    if value in (None, ""):
        return None, None
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return None, Error("invalid_date", "/reason_to_believe_on", _("Give a date as YYYY-MM-DD."))
    if day > today:
        return None, Error("future_date", "/reason_to_believe_on", _("This day is still to come."))
    return day, None


def late_correction(reason_to_believe_on: dt.date | None, filed_on: dt.date) -> bool:
    """Made more than 90 days after the reason to believe the declaration was wrong (s.32.2)."""
    return reason_to_believe_on is not None and (filed_on - reason_to_believe_on).days > CORRECTION_DAYS


def refund_time_barred(accounted_on: dt.date, filed_on: dt.date, delta: Decimal) -> Dated | None:
    """A refund (a decrease) asked more than four years after the goods were accounted for
    (Customs Act s.74(3)(b)): the limit passed, and why; else None. 29 February counts to 28 February."""
    if delta >= 0:
        return None
    try:
        limit = accounted_on.replace(year=accounted_on.year + REFUND_YEARS)
    except ValueError:
        limit = accounted_on.replace(year=accounted_on.year + REFUND_YEARS, day=28)
    if filed_on <= limit:
        return None
    inputs = {"accounted_on": accounted_on, "filed_on": filed_on}
    return Dated(limit, "refund_four_years", "Customs Act s.74(3)(b)", inputs)


def explain(version) -> dict:
    """The version's dates and why, in the active language: {"deadline"|"payment"|"correction":
    {"label", "day", "text", "source", "url", "penalty"}}."""
    result = {}
    for key, basis in (version.due_basis or {}).items():
        if basis.get("rule") not in RULES:
            continue
        inputs = {name: "—" for name in ("day_one", "estimated_vfd")} | basis.get("inputs", {})
        source = basis.get("source", "")
        result[key] = {
            "label": LABELS.get(key, key),
            "day": basis["day"],
            "text": RULES[basis["rule"]] % inputs,
            "source": source,
            "url": next((url for name, url in SOURCES.items() if source.startswith(name)), ""),
            "penalty": basis.get("penalty", ""),
        }
    return result
