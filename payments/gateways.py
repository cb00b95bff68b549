"""Payment processors behind one interface. settings.CARM_PAYMENT_GATEWAY names the card gateway
(the sandbox below by default; a real provider's adapter implements PaymentGateway) and
settings.CARM_PAD_BANK the bank that reports PAD settlements.

Every call that moves money is idempotent by a key (the payment reference), as real gateways are:
asking again with the same key returns the first charge. `look_up(key)` is what reconciliation uses
when an answer was lost."""

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from stdnum import luhn


class GatewayError(Exception):
    """No answer from the gateway (time-out, connection lost): whether it charged is unknown."""


@dataclass(frozen=True)
class CardToken:
    token: str
    brand: str
    last4: str
    expiry: str  # MM/YYYY


@dataclass(frozen=True)
class Charge:
    charge_id: str
    status: str  # authorized, requires_action, captured, declined, refunded
    amount: Decimal
    decline_code: str = ""


class PaymentGateway:
    """What a card gateway adapter provides."""

    def tokenize(self, number: str, exp_month: int, exp_year: int, cvv: str) -> CardToken:
        raise NotImplementedError

    def authorize(self, token: str, amount: Decimal, *, key: str) -> Charge:
        raise NotImplementedError

    def authenticate(self, charge_id: str) -> Charge:
        """After the cardholder passed the issuer's 3-D Secure challenge."""
        raise NotImplementedError

    def capture(self, charge_id: str) -> Charge:
        raise NotImplementedError

    def refund(self, charge_id: str) -> Charge:
        raise NotImplementedError

    def look_up(self, key: str) -> Charge | None:
        raise NotImplementedError


def gateway() -> PaymentGateway:
    return import_string(settings.CARM_PAYMENT_GATEWAY)()


# Which card field a tokenizing error is about (pages and API show it there).
CARD_ERROR_FIELDS = {"invalid_card": "number", "expired_card": "expiry", "invalid_cvv": "cvv"}


def card_brand(number: str) -> str:
    if number[:1] == "4":
        return "Visa"
    if number[:2] in {"51", "52", "53", "54", "55"} or "2221" <= number[:4] <= "2720":
        return "Mastercard"
    if number[:2] in {"34", "37"}:
        return "American Express"
    return ""


def check_card(number: str, exp_month: int, exp_year: int, today: dt.date) -> str:
    """The digits of a card number a gateway would accept, or a ValidationError."""
    digits = "".join(number.split()).replace("-", "")
    if (
        not (digits.isascii() and digits.isdigit())
        or not 13 <= len(digits) <= 19
        or not luhn.is_valid(digits)
        or not card_brand(digits)
    ):
        raise ValidationError(_("This card number is not valid."), code="invalid_card")
    if not 1 <= exp_month <= 12 or (exp_year, exp_month) < (today.year, today.month):
        raise ValidationError(_("This card has expired."), code="expired_card")
    return digits


class SandboxGateway(PaymentGateway):
    """A gateway shipped with the portal that behaves like a real one, with published test cards
    (README). Its book of charges is SandboxCharge, written in its own transactions."""

    TEST_CARDS = {
        "4242424242424242": "approve",
        "5555555555554444": "approve",
        "378282246310005": "approve",
        "4000000000000002": "decline",
        "4000000000009995": "insufficient_funds",
        "4000000000003220": "3ds",
        "4000000000000119": "timeout",  # charges, then the answer is lost
    }
    MINIMUM = Decimal("1.00")

    def tokenize(self, number, exp_month, exp_year, cvv):
        from django.utils import timezone

        digits = check_card(number, exp_month, exp_year, timezone.localdate())
        if not (cvv.isascii() and cvv.isdigit() and len(cvv) in (3, 4)):
            raise ValidationError(_("The security code (CVV) must be 3 or 4 digits."), code="invalid_cvv")
        behaviour = self.TEST_CARDS.get(digits, "unknown")
        return CardToken(
            f"tok_{behaviour}_{secrets.token_hex(8)}", card_brand(digits), digits[-4:], f"{exp_month:02d}/{exp_year}"
        )

    def authorize(self, token, amount, *, key):
        from .models import SandboxCharge

        behaviour = token[4:].rsplit("_", 1)[0] if token.startswith("tok_") else "unknown"
        status, code = {
            "approve": ("authorized", ""),
            "timeout": ("authorized", ""),
            "3ds": ("requires_action", ""),
            "decline": ("declined", "card_declined"),
            "insufficient_funds": ("declined", "insufficient_funds"),
        }.get(behaviour, ("declined", "unknown_test_card"))
        if status != "declined" and not self.MINIMUM <= amount <= settings.CARM_SANDBOX_CARD_LIMIT:
            status, code = "declined", "amount_limit"
        try:
            with transaction.atomic():
                charge, _created = SandboxCharge.objects.get_or_create(
                    idempotency_key=key,
                    defaults={
                        "charge_id": f"ch_{secrets.token_hex(10)}",
                        "token": token,
                        "amount": amount,
                        "status": status,
                        "decline_code": code,
                    },
                )
        except IntegrityError:  # the same key at the same moment: the first one stands
            charge = SandboxCharge.objects.get(idempotency_key=key)
        if behaviour == "timeout":
            raise GatewayError("sandbox: time-out after authorizing")
        return self._charge(charge)

    def _update(self, charge_id, from_status, to_status):
        from .models import SandboxCharge

        SandboxCharge.objects.filter(charge_id=charge_id, status=from_status).update(status=to_status)
        return self._charge(SandboxCharge.objects.get(charge_id=charge_id))

    def authenticate(self, charge_id):
        return self._update(charge_id, "requires_action", "authorized")

    def capture(self, charge_id):
        return self._update(charge_id, "authorized", "captured")

    def refund(self, charge_id):
        return self._update(charge_id, "captured", "refunded")

    def look_up(self, key):
        from .models import SandboxCharge

        charge = SandboxCharge.objects.filter(idempotency_key=key).first()
        return self._charge(charge) if charge else None

    @staticmethod
    def _charge(row) -> Charge:
        return Charge(row.charge_id, row.status, row.amount, row.decline_code)


class SandboxBank:
    """Reports the outcome of PAD debits as a bank's settlement file would: an account number ending
    in 999 has insufficient funds (returned NSF); every other debit settles."""

    def outcome(self, agreement) -> str:
        return "nsf" if agreement.account_number.endswith("999") else "settled"


def pad_bank() -> SandboxBank:
    return import_string(settings.CARM_PAD_BANK)()
