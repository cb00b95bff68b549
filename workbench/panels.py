"""The client 360's own panels, each read through the rights kernel (an officer's VIEW_CLIENTS)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access.models import RoleGrant
from businesses.models import ProgramAccount
from declarations.models import Declaration
from delegation.models import Relationship
from ledger import balances
from ledger.models import LedgerEntry
from penalties.models import PenaltyNotice
from recourse.models import Appeal, Kind
from recourse.models import Status as AppealStatus
from registry.bn import Program
from rulings.models import RulingRequest
from security.models import Bond, RppStatus
from security.services import position

from .models import OfficerNote, SupportRequest

RECENT = 10


def program_accounts(business, request) -> dict:
    return {"accounts": ProgramAccount.objects.visible_to(request).filter(business=business)}


def people(business, request) -> dict:
    grants = RoleGrant.objects.visible_to(request).filter(business=business)
    return {"grants": grants.select_related("user", "group", "program_account").order_by("role", "pk")}


def relationships(business, request) -> dict:
    rows = Relationship.objects.visible_to(request).filter(importer=business) | Relationship.objects.visible_to(
        request
    ).filter(provider=business)
    return {"relationships": rows.select_related("provider", "importer").order_by("-pk")}


def ledger(business, request) -> dict:
    accounts = ProgramAccount.objects.visible_to(request).filter(business=business)
    today = timezone.localdate()
    # The running balance (ledger.posting keeps it): every entry, as the portal's account page shows it,
    # in one query however long the business's history.
    owed, late = balances.running(accounts), balances.overdue(accounts, today)
    entries = (
        LedgerEntry.objects.visible_to(request)
        .filter(program_account__in=accounts)
        .select_related("program_account")
        .order_by("-effective_date", "-pk")[:RECENT]
    )
    rows = [{"account": a, "balance": owed[a.pk], "overdue": late.get(a.pk, 0)} for a in accounts]
    return {"rows": rows, "entries": entries}


def declarations(business, request) -> dict:
    cads = Declaration.objects.visible_to(request).filter(program_account__business=business)
    return {"declarations": cads.select_related("program_account")[:RECENT], "count": cads.count()}


def rulings(business, request) -> dict:
    requests = RulingRequest.objects.visible_to(request).filter(program_account__business=business)
    return {"rulings": requests.order_by("-pk")[:RECENT]}


def security(business, request) -> dict:
    """RPP enrolment, requirement, posted security and its sufficiency per importer account, and the
    importer's bonds: the same figures the security app shows the client (security.services.position)."""
    accounts = ProgramAccount.objects.visible_to(request).filter(business=business, program=Program.IMPORT_EXPORT)
    bonds = Bond.objects.visible_to(request).filter(importer=business).select_related("provider")
    held = [position(account) for account in accounts.order_by("number")]
    return {
        "positions": [{"position": row, "status": RppStatus(row.status).label} for row in held],
        "bonds": bonds.order_by("-valid_from", "number"),
    }


def appeals(business, request) -> dict:
    """Open s.60 requests and s.129 penalty appeals (decided ones among the latest), and penalty notices."""
    cases = Appeal.objects.visible_to(request).filter(program_account__business=business)
    cases = cases.select_related("program_account").order_by("-filed_on", "-pk")
    open_cases = cases.exclude(status=AppealStatus.DECIDED)
    notices = PenaltyNotice.objects.visible_to(request).filter(program_account__business=business)
    return {
        "open_tables": [
            (_("Open requests for re-determination (s.60)"), open_cases.filter(kind=Kind.REDETERMINATION)),
            (_("Open penalty appeals (s.129)"), open_cases.filter(kind=Kind.PENALTY)),
        ],
        "decided": cases.filter(status=AppealStatus.DECIDED)[:RECENT],
        "notices": notices.select_related("program_account").order_by("-issued_on", "-pk")[:RECENT],
    }


def notes(business, request) -> dict:
    return {
        "notes": OfficerNote.objects.filter(business=business).select_related("written_by"),
        "support": SupportRequest.objects.filter(business=business).order_by("-asked_at")[:RECENT],
    }
