"""The one catalogue of notifiable events. Each kind says what it is called (English and French
through the catalogue), what its message says, which audience is told (notifications.recipients
resolves it through the rights kernel), whether it may be turned off entirely, and its default channels.

A domain app that has such an event either sends what the audit trail already records (the
subscribers in notifications.subscribers turn it into an event) or calls notifications.services.emit
with its kind; an app that does not exist yet (security, rulings, appeals) finds its kinds here."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class Channel:
    INBOX = "inbox"
    EMAIL = "email"
    SMS = "sms"
    ALL = (INBOX, EMAIL, SMS)


class Category:
    ACCESS = "access"
    DELEGATION = "delegation"
    DECLARATIONS = "declarations"
    MONEY = "money"
    SECURITY = "security"
    RULINGS = "rulings"
    TARIFF = "tariff"


# Money and security events cannot be silenced entirely: a person keeps at least one channel.
MANDATORY_CATEGORIES = {Category.MONEY, Category.SECURITY}

CATEGORY_LABELS = {
    Category.ACCESS: _("Access to businesses"),
    Category.DELEGATION: _("Business relationships"),
    Category.DECLARATIONS: _("Declarations"),
    Category.MONEY: _("Money owed and paid"),
    Category.SECURITY: _("Security"),
    Category.RULINGS: _("Rulings and appeals"),
    Category.TARIFF: _("Customs Tariff"),
}


# Words kept untranslated in an event's context and put in the reader's language when shown.
WORDS = {
    "approved": _("approved"),
    "rejected": _("rejected"),
    # appeal decisions (recourse.models.Decision)
    "allowed": _("allowed"),
    "partly": _("partly allowed"),
    "denied": _("denied"),
}


@dataclass(frozen=True)
class EventKind:
    code: str
    title: object  # lazy translation
    message: object  # lazy translation with %(name)s placeholders filled from the event's context
    category: str
    audience: str  # a key of notifications.recipients.AUDIENCES
    channels: tuple = (Channel.INBOX, Channel.EMAIL)
    tells_actor: bool = False  # the person who did it is told too (a rejection they must act on)

    @property
    def mandatory(self) -> bool:
        return self.category in MANDATORY_CATEGORIES

    @property
    def category_label(self):
        return CATEGORY_LABELS[self.category]


KINDS = {
    kind.code: kind
    for kind in [
        EventKind(
            "access_request.received",
            _("Access request received"),
            _("%(requester)s asks for access to %(business)s."),
            Category.ACCESS,
            "business_managers",
        ),
        EventKind(
            "access_request.decided",
            _("Access request decided"),
            _("Your request for access to %(business)s was %(decision)s."),
            Category.ACCESS,
            "named_people",
        ),
        EventKind(
            "relationship.requested",
            _("Business relationship requested"),
            _("%(requester)s asks for a business relationship with %(other)s."),
            Category.DELEGATION,
            "relationship_deciders",
        ),
        EventKind(
            "relationship.approved",
            _("Business relationship approved"),
            _("The business relationship between %(provider)s and %(importer)s is approved until %(expires_on)s."),
            Category.DELEGATION,
            "relationship_managers",
        ),
        EventKind(
            "relationship.expiring_30",
            _("Business relationship expires in 30 days"),
            _("The business relationship between %(provider)s and %(importer)s expires on %(expires_on)s."),
            Category.DELEGATION,
            "relationship_side_managers",
        ),
        EventKind(
            "relationship.expiring_7",
            _("Business relationship expires in 7 days"),
            _("The business relationship between %(provider)s and %(importer)s expires on %(expires_on)s."),
            Category.DELEGATION,
            "relationship_side_managers",
        ),
        EventKind(
            "relationship.expired",
            _("Business relationship expired"),
            _("The business relationship between %(provider)s and %(importer)s expired on %(expires_on)s."),
            Category.DELEGATION,
            "relationship_managers",
        ),
        EventKind(
            "declaration.accepted",
            _("CAD accepted"),
            _("%(count)s CAD(s) accepted for account %(account)s: %(transaction_numbers)s."),
            Category.DECLARATIONS,
            "record_viewers",
            channels=(Channel.INBOX,),
        ),
        EventKind(
            "declaration.rejected",
            _("CAD rejected"),
            _("%(count)s CAD submission(s) rejected (%(transaction_numbers)s): %(error)s"),
            Category.DECLARATIONS,
            "named_people",
            tells_actor=True,
        ),
        EventKind(
            "declaration.adjustment_decided",
            _("CAD adjustment decided"),
            _("The adjustment %(version)s of CAD %(transaction_number)s was %(decision)s."),
            Category.DECLARATIONS,
            "record_viewers",
        ),
        EventKind(
            "statement.issued",
            _("Statement of account issued"),
            _(
                "The statement of account %(account)s for the period ending %(period_end)s is issued: "
                "%(amount_due)s due on %(due_date)s."
            ),
            Category.MONEY,
            "account_money",
        ),
        EventKind(
            "payment.received",
            _("Payment received"),
            _("Payment %(reference)s of %(amount)s was received."),
            Category.MONEY,
            "payment_money",
            tells_actor=True,
        ),
        EventKind(
            "payment.failed",
            _("Payment failed"),
            _("Payment %(reference)s of %(amount)s failed: nothing was charged."),
            Category.MONEY,
            "payment_money",
            tells_actor=True,
        ),
        EventKind(
            "payment.returned",
            _("Payment returned"),
            _("Payment %(reference)s of %(amount)s was returned by the bank (insufficient funds)."),
            Category.MONEY,
            "payment_money",
            tells_actor=True,
        ),
        EventKind(
            "amount.overdue",
            _("Amount overdue"),
            _("%(overdue)s is overdue on account %(account)s since %(since)s; interest applies daily."),
            Category.MONEY,
            "account_money",
            channels=(Channel.INBOX, Channel.EMAIL),
        ),
        EventKind(
            "penalty.issued",
            _("Penalty issued"),
            _("A %(amount)s penalty (%(contravention)s) was assessed on account %(account)s."),
            Category.MONEY,
            "penalty_viewers",
        ),
        EventKind(
            "adjustment_statement.issued",
            _("Statement of Adjustment issued"),
            _(
                "Statement of Adjustment %(number)s re-determines CAD %(transaction_number)s (%(delta)s). "
                "You may ask for a re-determination until %(deadline)s."
            ),
            Category.DECLARATIONS,
            "row_viewers",
        ),
        EventKind(
            "appeal.rationale_shared",
            _("Officer's rationale on your appeal"),
            _("The officer's rationale on %(number)s is ready: you may add documents until %(until)s."),
            Category.DECLARATIONS,
            "row_viewers",
        ),
        EventKind(
            "appeal.decided",
            _("Appeal decided"),
            _("Your request %(number)s was decided: %(decision)s, %(relief)s relieved."),
            Category.DECLARATIONS,
            "row_viewers",
        ),
        EventKind(
            "security.shortfall",
            _("Security shortfall"),
            _("The security posted for %(business)s is short of what is required by %(shortfall)s."),
            Category.SECURITY,
            "account_money",
        ),
        EventKind(
            "security.usage",
            _("Security nearly used up"),
            _(
                "Unpaid release-prior-to-payment activity on account %(account)s of %(business)s reaches "
                "%(percent)s %% of what its security covers (%(amount)s of %(covered)s)."
            ),
            Category.SECURITY,
            "account_money",
        ),
        EventKind(
            "security.review_increase",
            _("Security review: increase required"),
            _("The security review of %(business)s requires an increase to %(required)s by %(due_date)s."),
            Category.SECURITY,
            "account_money",
        ),
        EventKind(
            "ruling.status_changed",
            _("Ruling status changed"),
            _("Ruling request %(reference)s is now %(status)s."),
            Category.RULINGS,
            "named_people",
        ),
        EventKind(
            "appeal.deadline",
            _("Appeal deadline approaching"),
            _("The deadline to appeal %(reference)s is %(deadline)s."),
            Category.RULINGS,
            "named_people",
        ),
        EventKind(
            "tariff.watched_changed",
            _("Watched classification changed"),
            _(
                "Classification %(code)s changed in tariff version %(version)s (in force %(effective_date)s): "
                "%(changes)s"
            ),
            Category.TARIFF,
            "named_people",
        ),
    ]
}


def kind_of(code: str) -> EventKind:
    """The kind named `code`; an unknown one is a ValidationError (code unknown_event_kind)."""
    try:
        return KINDS[code]
    except KeyError:
        raise ValidationError(
            _("Unknown event kind “%(kind)s”."), code="unknown_event_kind", params={"kind": str(code)[:64]}
        ) from None
