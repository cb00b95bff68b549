"""Demo data of the rulings (seed_demo runs `seed` after the tariff and the declarations): Maple
holds a published advance ruling on cotton T-shirts, and has a second request waiting for its
answer to the officer's question. Skipped when Maple already has a ruling request."""

import datetime as dt

from accounts.models import User
from businesses.models import ProgramAccount

from . import services
from .models import RulingRequest

T_SHIRTS = {
    "offices": ["0497"],
    "under_verification": False,
    "other_ruling": False,
    "imported_before": True,
    "consents_to_publication": True,
    "capacity": "importer",
    "contact_name": "Alice Tremblay",
    "contact_email": "alice@maple.example",
    "trade_names": "Maple Basics Tee",
    "description": "Men's T-shirts, knitted, 100% cotton, short sleeves, crew neck",
    "composition": "100% cotton jersey, 180 g/m²",
    "manufacturing_process": "Knitted on circular machines, cut and sewn",
    "use": "Casual wear sold in clothing stores",
    "proposed_classification": "6109100011",
    "proposed_reasons": "Heading 61.09 (T-shirts, knitted); subheading 6109.10 (of cotton); GIR 1 and 6.",
}


def seed(stdout=None):
    account = ProgramAccount.objects.filter(number="123456782RM0001").first()
    people = {u.email: u for u in User.objects.filter(email__in=["alice@maple.example", "olivia@cbsa.example"])}
    if account is None or len(people) < 2 or RulingRequest.objects.filter(program_account=account).exists():
        return
    alice, olivia = people["alice@maple.example"], people["olivia@cbsa.example"]
    ruled = _filed(alice, olivia, account, T_SHIRTS, dt.date(2025, 3, 3))
    services.transition(
        olivia,
        ruled,
        services.Event.RENDERED,
        today=dt.date(2025, 5, 20),
        classification="6109100011",
        reasons="The goods are T-shirts of heading 61.09, knitted, of cotton: 6109.10.00.11 (GIR 1 and 6).",
        effective_date=dt.date(2025, 5, 20),
    )
    pending = _filed(
        alice,
        olivia,
        account,
        {**T_SHIRTS, "trade_names": "Maple Kids Tee", "description": "Boys' T-shirts, knitted, cotton"},
        dt.date(2025, 9, 15),
    )
    services.transition(
        olivia,
        pending,
        services.Event.INFORMATION_REQUESTED,
        today=dt.date(2025, 10, 1),
        message="Please give the sizes and the share of cotton by weight.",
    )
    if stdout:
        stdout.write("rulings: 2 requests for Maple (one published ruling, one awaiting information)\n")


def _filed(alice, olivia, account, answers, day):
    ruling = services.new_draft(alice, account, "classification")
    services.update_draft(alice, ruling, answers)
    services.submit(alice, ruling, today=day)
    return services.transition(olivia, ruling, services.Event.ASSIGNED, today=day)
