"""The CRA business registry behind one interface. `registry()` returns the adapter named by
settings.CARM_REGISTRY_ADAPTER; a production adapter would call CRA with the same interface.
Nothing outside this app touches the registry tables."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class ProgramAccountRecord:
    number: str  # BN15
    program: str  # registry.bn.Program value
    account_type: str  # importer / exporter / both ("" outside RM)
    status: str  # active / closed


@dataclass(frozen=True)
class BusinessRecord:
    bn9: str
    legal_name: str
    operating_name: str
    address_line: str
    city: str
    province: str
    postal_code: str
    program_accounts: tuple[ProgramAccountRecord, ...] = ()


@dataclass(frozen=True)
class TransactionFact:
    number: str
    accounted_on: date
    duties_and_taxes: Decimal


@dataclass(frozen=True)
class ImportHistory:
    """What CBSA knows of a business's past imports, oldest first."""

    transactions: tuple[TransactionFact, ...] = ()
    payments: tuple[tuple[date, Decimal], ...] = ()
    statements: tuple[tuple[date, Decimal], ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.transactions or self.payments or self.statements)


class LocalRegistry:
    """The registry as loaded into our own tables (`load_registry`, `seed_demo`)."""

    def lookup(self, bn9: str) -> BusinessRecord | None:
        from .models import RegisteredEntity

        entity = RegisteredEntity.objects.filter(bn9=bn9).prefetch_related("program_accounts").first()
        if entity is None:
            return None
        accounts = tuple(
            ProgramAccountRecord(a.number, a.program, a.account_type, a.status)
            for a in sorted(entity.program_accounts.all(), key=lambda a: a.number)
        )
        return BusinessRecord(
            entity.bn9,
            entity.legal_name,
            entity.operating_name,
            entity.address_line,
            entity.city,
            entity.province,
            entity.postal_code,
            accounts,
        )

    def history(self, bn9: str) -> ImportHistory:
        from .models import ImportTransaction, Payment, StatementBalance

        return ImportHistory(
            transactions=tuple(
                TransactionFact(t.number, t.accounted_on, t.duties_and_taxes)
                for t in ImportTransaction.objects.filter(entity__bn9=bn9).order_by("accounted_on", "number")
            ),
            payments=tuple(
                Payment.objects.filter(entity__bn9=bn9).order_by("paid_on", "pk").values_list("paid_on", "amount")
            ),
            statements=tuple(
                StatementBalance.objects.filter(entity__bn9=bn9)
                .order_by("issued_on", "pk")
                .values_list("issued_on", "balance")
            ),
        )


def registry():
    return import_string(settings.CARM_REGISTRY_ADAPTER)()
