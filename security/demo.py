"""Demo: Maple's two RM accounts enrolled in RPP since 1 May 2025 (before the transition ended on
20 May 2025) under one bond of Sureco Insurance (Sam posts bonds by API) allocated across them; every
other account, e.g. Northern's RM0001, not enrolled. Runs before the declarations demo, whose RPP
CADs need it. Safe to run again."""

import datetime as dt
from decimal import Decimal

from accounts.demo import ensure_person
from accounts.models import User
from businesses.models import Business, ProgramAccount

from . import services
from .models import Bond, Enrolment, ProviderMember, RppStatus, SuretyProvider

SINCE = dt.date(2025, 5, 1)
ACCOUNTS = ("123456782RM0001", "123456782RM0002")


def seed(stdout=None):
    alice = User.objects.filter(email="alice@maple.example").first()
    accounts = list(ProgramAccount.objects.filter(number__in=ACCOUNTS).order_by("number"))
    if alice is None or len(accounts) < 2:
        return
    maple = accounts[0].business
    business, _ = Business.objects.get_or_create(
        bn9="100000009",
        defaults={
            "legal_name": "Sureco Insurance Company of Canada",
            "address_line": "1 First Canadian Place",
            "city": "Toronto",
            "province": "ON",
            "postal_code": "M5X 1A1",
        },
    )
    provider, _ = SuretyProvider.objects.get_or_create(business=business, defaults={"name": "Sureco Insurance"})
    sam = ensure_person("sam@sureco.example", "Sam Surety")
    ProviderMember.objects.get_or_create(provider=provider, user=sam)
    for account in accounts:
        if not Enrolment.objects.filter(program_account=account).exists():
            Enrolment.objects.create(
                program_account=account,
                status=RppStatus.ENROLLED,
                effective_from=SINCE,
                reason="demo: enrolled in the transition",
            )
            services.calculate(account, today=SINCE)
    if not Bond.objects.filter(provider=provider, number="SB-DEMO-0001").exists():
        services.nominate(alice, maple, provider)
        shares = [(a, max(services.requirement_of(a, SINCE).bond_amount, Decimal("20000.00"))) for a in accounts]
        total = sum(amount for _a, amount in shares)
        services.post_bond(sam, maple, number="SB-DEMO-0001", amount=total, valid_from=SINCE, allocations=shares)
    if stdout:
        stdout.write("  security: Maple's RM0001 and RM0002 enrolled in RPP under one Sureco bond; others not enrolled")
