"""How each ledger entry was computed, in a line of the reader's language (issue 15, "How it must
show"): the statement's page and PDF put it beside every transaction. Read from what the entry
carries (its type, amount, dates and the `explanation` its poster stored), never recomputed, so the
line says what was charged and why even after the rules change."""

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from core.formats import money

from .models import EntryType, LedgerEntry

# The CAD's amounts a line names, in the order of the CAD (declarations.models.AMOUNT_FIELDS).
CAD_AMOUNTS = [
    ("customs_duty", lambda: _("customs duty")),
    ("sima", lambda: _("SIMA duties")),
    ("surtax", lambda: _("surtax")),
    ("excise_duty", lambda: _("excise duty")),
    ("excise_tax", lambda: _("excise tax")),
]


# The words of a stored legal reference ("Customs Act s.33.4(1); D11-6-5 para. 2") that a French reader reads otherwise.
RULE_WORDS = [
    (re.compile(r"\bCustoms Act\b"), lambda: _("Customs Act")),
    (re.compile(r"\bs\.(?=\d)"), lambda: _("s.")),
    (re.compile(r"\bpara\. "), lambda: _("para.") + " "),
    (re.compile(r"\bAppendix\b"), lambda: _("Appendix")),
    (re.compile(r"\bitem\b"), lambda: _("item")),
]


def why(entry: LedgerEntry) -> str:
    """The line for `entry`; an empty string when it carries nothing to explain."""
    facts = dict(entry.explanation or {})
    if facts.get("rule"):
        facts["rule"] = rule_words(facts["rule"])
    if entry.entry_type == EntryType.ASSESSMENT and "total" in facts:
        return _assessment(entry, facts)
    if "principal" in facts or isinstance(facts.get("days"), dict):
        return _interest(entry, facts)
    if "contravention" in facts:
        return _penalty(facts)
    if entry.entry_type == EntryType.PAYMENT:
        return _payment(entry, facts)
    if entry.reverses_id and entry.reverses.entry_type == EntryType.PAYMENT:
        # A dishonoured payment pays nothing: interest and C336 run as if it was never made (D11-6-5 para. 2).
        return _("Payment %(reference)s returned unpaid (NSF): it counts as never made.") % {
            "reference": entry.reference or entry.reverses.reference
        }
    if "appeal" in facts:
        return _("Re-determination %(appeal)s: the duties relieved are credited (%(rule)s).") % facts
    if "notice" in facts:  # an officer relieved a penalty (penalties.services)
        return _("Penalty of notice %(notice)s relieved: %(reason)s") % {
            "notice": facts["notice"],
            "reason": facts.get("reason", ""),
        }
    if entry.reverses_id:
        return _("Cancels the entry of %(day)s (%(description)s).") % {
            "day": entry.reverses.effective_date.isoformat(),
            "description": entry.reverses.description,
        }
    return ""


def _assessment(entry, facts) -> str:
    """The CAD's duties and taxes as its version assessed them (each line's rule is on the CAD page)."""
    parts = [f"{label()} {_money(facts.get(name))}" for name, label in CAD_AMOUNTS if _amount(facts.get(name))]
    # GST: 5% of the value for tax unless relieved (Excise Tax Act s.212, s.215; Schedule VII)
    parts.append(
        _("GST %(gst)s on a value for tax of %(vft)s")
        % {"gst": _money(facts.get("gst")), "vft": _money(facts.get("value_for_tax"))}
    )
    text = _("CAD %(number)s: %(parts)s; total %(total)s.") % {
        "number": f"{entry.transaction_number} ({entry.document_version})"
        if entry.document_version
        else entry.transaction_number,
        "parts": ", ".join(parts),
        "total": _money(facts["total"]),
    }
    if _amount(facts.get("delta")) != _amount(facts["total"]):
        text += " " + _("This entry is the change from the previous version: %(delta)s.") % {
            "delta": _money(facts["delta"])
        }
    if entry.due_date and entry.amount > 0:
        # Payable as Customs Act s.33.4 says (cash: on release; else the prescribed day): the CAD's due_basis
        text += " " + _("Due %(day)s: the CAD page gives the rule.") % {"day": entry.due_date.isoformat()}
    return text


def _interest(entry, facts) -> str:
    kind = _("prescribed rate") if facts.get("rate_kind") == "prescribed" else _("specified rate")
    values = {"kind": kind, "rule": facts.get("rule", ""), "principal": _money(facts.get("principal"))}
    if isinstance(facts.get("days"), dict):  # a recalculation (ledger.interest._recalculate)
        values |= {"start": facts.get("from", ""), "end": facts.get("to", "")}
        return (
            _("Interest of %(start)s to %(end)s recalculated for a payment dated when paid or returned (%(rule)s).")
            % values
        )
    if "from" in facts:
        values |= {"start": facts["from"], "end": facts.get("to", "")}
        return (
            _("Interest at the %(kind)s, compounded daily, on %(principal)s from %(start)s to %(end)s (%(rule)s).")
            % values
        )
    values["rate"] = facts.get("rate", "")
    return _("One day at %(rate)s%% a year (%(kind)s) on the overdue %(principal)s (%(rule)s).") % values


def _penalty(facts) -> str:
    values = {"code": facts["contravention"], "rule": facts.get("rule", "")}
    if "statement_due_date" in facts:  # the nightly C336 (ledger.interest._penalty)
        values |= {"due": facts["statement_due_date"], "overdue": _money(facts.get("overdue"))}
        return (
            _("AMPS %(code)s: the statement due %(due)s was still unpaid the next day (%(overdue)s overdue).") % values
        )
    values |= {"notice": facts.get("notice", ""), "level": facts.get("level", ""), "day": facts.get("occurred_on", "")}
    return _("AMPS %(code)s, notice %(notice)s, level %(level)s, for the contravention of %(day)s (%(rule)s).") % values


def _payment(entry, facts) -> str:
    text = _("Payment %(reference)s credited on %(day)s; it clears the oldest amounts owing first.") % {
        "reference": entry.reference,
        "day": entry.effective_date.isoformat(),
    }
    paid = facts.get("document_date")
    if paid and paid != entry.effective_date.isoformat():
        # Interest runs until the amount "is paid" (D11-6-5 para. 2): from the day it was paid.
        text += " " + _("Paid on %(day)s: interest counts it from that day.") % {"day": paid}
    return text


def rule_words(rule: str) -> str:
    """A stored legal reference in the reader's language (its numbers unchanged)."""
    for pattern, words in RULE_WORDS:
        rule = pattern.sub(lambda _match, words=words: words(), rule)
    return rule


def _amount(value) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal(0)


def _money(value) -> str:
    return money(_amount(value))
