"""Ten months of CADs for Maple Leaf Imports, the only assessments in its demo ledger, written as
January–October 2025 and played so that the day the demo is first loaded is inside its last month or
just after it (ledger.demo.months_later; a later run keeps the months of the first, found from its
client references): three releases a month, alternately accounted by Maple itself (alice) and by its
broker Northern (bob), 2 to 6 lines each under several treatments and currencies, assessed and
posted to the ledger through declarations.services two days after release; one late CAD (C288), a
correction, an adjustment approved with interest, an adjustment left pending for the officers' queue
and a withdrawal. The story runs day by day through ledger.demo.replay: each day's submissions and
changes, then the ledger's day (payments, clearing, interest, statements), so statements close in
date order. Idempotent: every request carries a client reference (a second run replays them),
decisions and withdrawals are made only once."""

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from businesses.models import Business, ProgramAccount
from ledger import demo as ledger_demo

from . import services
from .models import Channel, Declaration, DeclarationVersion, Status

MONTHS = [(2025, month) for month in range(1, 11)]
RELEASE_DAYS = (5, 14, 22)
ACCOUNTS = ("123456782RM0001", "123456782RM0002")
SUBMITTED_AFTER, LATE = dt.timedelta(days=2), (2025, 6, 1)  # the June 14 CAD is accounted 12 days late
# classification, narrative, treatment, origin (state), unit, price per unit (invoice currency)
PRODUCTS = [
    ("2201900000", "Sparkling mineral water, 750 mL glass bottles", "CEUT", "FR", "", "LTR", "2.10"),
    ("2201900000", "Spring water, 500 mL PET bottles", "UST", "US", "VT", "LTR", "0.95"),
    ("2201900000", "Flavoured still water, 1 L cartons", "MFN", "CN", "", "LTR", "0.80"),
    ("2204212100", "Red wine, 13.5 % vol, 750 mL", "MFN", "AR", "", "LTR", "7.40"),
    ("2204212100", "White wine, 12 % vol, 750 mL", "CEUT", "FR", "", "LTR", "9.80"),
    ("0901210020", "Roasted coffee beans, not organic", "MFN", "CO", "", "KGM", "11.25"),
    ("0901210020", "Roasted espresso blend", "CEUT", "IT", "", "KGM", "14.60"),
]
# The wines' alcohol content (D17-1-10 field 96): their excise duty depends on it.
ALCOHOL = {"Red wine, 13.5 % vol, 750 mL": "13.5", "White wine, 12 % vol, 750 mL": "12.0"}
CURRENCIES = {"FR": "EUR", "IT": "EUR", "US": "USD", "CN": "USD", "AR": "USD", "CO": "USD"}
# Days from direct shipment to release: a truck from the US, a ship from overseas (D17-1-10 field 31).
SHIPPED_BEFORE = {True: dt.timedelta(days=1), False: dt.timedelta(days=12)}
CIF = {"AR": Decimal("0.06")}  # share of the price that is freight and insurance from the place of direct shipment
VENDORS = {
    "FR": ("Eaux et Vins de France SA", "12 quai de la Saône, Lyon"),
    "IT": ("Torrefazione Milanese Srl", "Via Torino 40, Milano"),
    "US": ("Green Mountain Springs Inc.", "200 Main Street, Burlington VT"),
    "CN": ("Ningbo Beverage Trading Co.", "88 Harbour Road, Ningbo"),
    "AR": ("Bodegas del Valle SA", "Av. San Martín 1500, Mendoza"),
    "CO": ("Café de los Andes SAS", "Carrera 7 # 12-40, Bogotá"),
}


def _cad(importer, release, rng, declarant=""):
    picks = rng.sample(PRODUCTS, rng.randint(2, 6))
    origins = sorted({product[3] for product in picks})
    invoices, lines = [], []
    for origin in origins:
        number = f"{origin}-{release:%y%m%d}-{rng.randint(100, 999)}"
        total = Decimal("0.00")
        for classification, narrative, treatment, line_origin, state, unit, price in picks:
            if line_origin != origin:
                continue
            quantity = rng.randrange(300, 6000, 50)
            value = (Decimal(price) * quantity).quantize(Decimal("0.01"))
            total += value
            line = {
                "invoice": number,
                "narrative": narrative,
                "classification": classification,
                "tariff_treatment": treatment,
                "origin": origin,
                "origin_state": state,
                "export_country": origin,
                "vfd_code": "13",
                "quantity": str(quantity),
                "unit": unit,
                "value": str(value),
            }
            if narrative in ALCOHOL:
                line["alcohol_percent"] = ALCOHOL[narrative]
            if origin in CIF:  # ocean freight and insurance to Canada in the price: deducted, VFD code 14
                line.update(vfd_code="14", deduct_transport=str((value * CIF[origin]).quantize(Decimal("0.01"))))
            lines.append(line)
        name, address = VENDORS[origin]
        invoices.append(
            {
                "number": number,
                "amount": str(total),
                "currency": CURRENCIES[origin],
                "shipment_date": (release - SHIPPED_BEFORE[origin == "US"]).isoformat(),
                "vendor_name": name,
                "vendor_address": address,
                "vendor_country": origin,
            }
        )
    return {
        "importer": importer,
        "declarant": declarant,
        "mode_of_transport": rng.choice("2296"),
        "release_office": rng.choice(["0453", "0497", "0809", "0395"]),
        "release_date": release.isoformat(),
        "cargo_control_number": f"8000{rng.randint(10**8, 10**9 - 1)}",
        "cad_type": "rpp",
        "invoices": invoices,
        "lines": lines,
    }


def _raised(payload, factor):
    """The same declaration with every price raised by `factor` (a retroactive price increase)."""
    invoices = []
    for invoice in payload["invoices"]:
        lines = [line for line in payload["lines"] if line["invoice"] == invoice["number"]]
        for line in lines:
            line["value"] = str((Decimal(line["value"]) * factor).quantize(Decimal("0.01")))
        invoices.append({**invoice, "amount": str(sum(Decimal(line["value"]) for line in lines))})
    return {**payload, "invoices": invoices}


def seed(stdout=None, months: int | None = None):
    """The story played `months` later than written (by default: ending this month or the last, see
    ledger.demo.months_later, or where a previous run placed it), up to yesterday at the latest."""
    maple = Business.objects.filter(bn9="123456782").first()
    people = {
        user.email: user
        for user in User.objects.filter(
            email__in=["alice@maple.example", "bob@northern.example", "olivia@cbsa.example"]
        )
    }
    accounts = list(ProgramAccount.objects.filter(number__in=ACCOUNTS).order_by("number"))
    if maple is None or len(people) < 3 or len(accounts) < 2:
        return
    if months is None:
        months = _months_played(accounts)
    if months is None:
        months = ledger_demo.months_later(timezone.localdate())
    story = _Story(people, months)
    ledger_demo.replay(
        accounts,
        ledger_demo.shifted(ledger_demo.STORY_FIRST, months),
        min(ledger_demo.shifted(ledger_demo.STORY_LAST, months), timezone.localdate() - dt.timedelta(days=1)),
        story.day,
        months,
    )
    if stdout:
        count = Declaration.objects.filter(program_account__business=maple).count()
        stdout.write(
            f"  {count} CADs for Maple Leaf Imports ({story.rejected} refused: is the tariff loaded?)"
            if story.rejected
            else f"  {count} CADs for Maple Leaf Imports and their ledger history (statements, payments, interest)"
        )


def _months_played(accounts) -> int | None:
    """How much later than written a previous run played the story: from its first CAD's client
    reference (DEMO-<release as played>-<n>, the story's first release being 5 January 2025)."""
    first = (
        DeclarationVersion.objects.filter(
            declaration__program_account__in=accounts, client_reference__startswith="DEMO-2"
        )
        .order_by("client_reference")
        .values_list("client_reference", flat=True)
        .first()
    )
    if first is None:
        return None
    played = dt.datetime.strptime(first.split("-")[1], "%Y%m%d").date()
    return (played.year - 2025) * 12 + played.month - 1


class _Story:
    """The demo's documents by the day they are made: submissions (keyed (month, n) in `made`, the
    month as written) and changes, on the days they are played (`months` later than written)."""

    def __init__(self, people, months: int = 0):
        self.alice, self.bob = people["alice@maple.example"], people["bob@northern.example"]
        self.olivia = people["olivia@cbsa.example"]
        self.made, self.rejected = {}, 0
        self.submissions = {}
        for year, month in MONTHS:
            for n, day in enumerate(RELEASE_DAYS):
                written = dt.date(year, month, day)
                late = (year, month, n) == LATE
                submitted = written + (dt.timedelta(days=12) if late else SUBMITTED_AFTER)
                self.submissions.setdefault(ledger_demo.shifted(submitted, months), []).append(
                    (month, n, written, ledger_demo.shifted(written, months))
                )
        self.changes = {ledger_demo.shifted(day, months): change for day, change in CHANGES.items()}

    def day(self, today: dt.date) -> None:
        for month, n, written, release in self.submissions.get(today, []):
            self._submit(month, n, written, release, today)
        if today in self.changes:
            self.changes[today](self, today)

    def _submit(self, month, n, written, release, today):
        rng = random.Random(f"{written.year}{month}{n}")  # the same goods whenever the story is played
        broker = n % 2 == 1
        importer = ACCOUNTS[1] if n == 2 else ACCOUNTS[0]
        payload = _cad(importer, release, rng, declarant="123026635RM0001" if broker else "")
        person = self.bob if broker else self.alice
        outcome = services.submit(
            person,
            payload,
            client_reference=f"DEMO-{release:%Y%m%d}-{n}",
            channel=Channel.API if broker else Channel.PORTAL,
            today=today,
        )
        if outcome.errors:
            self.rejected += 1
        else:
            self.made[month, n] = (outcome.declaration, payload, person)

    def _amend(self, key, factor, today, client_reference, reason=""):
        if key not in self.made:
            return
        declaration, payload, person = self.made[key]
        services.amend(
            person,
            declaration.transaction_number,
            _raised(payload, factor),
            expected_version=1,  # a second run finds version 2: refused, nothing changes
            reason=reason,
            client_reference=f"{client_reference}-{declaration.transaction_number}",
            today=today,
        )

    def correction(self, today):
        """June 11: June 5's prices corrected within days, before the payment due date."""
        self._amend((6, 0), Decimal("0.9"), today, "DEMO-FIX")

    def adjustment(self, today):
        """September 8: July 5's retroactive price increase, after its due date; a duplicate withdrawn."""
        self._amend(
            (7, 0),
            Decimal("1.08"),
            today,
            "DEMO-ADJ",
            reason="Vendor's retroactive price increase of 8 % (credit note CN-2291)",
        )
        if (9, 0) not in self.made:
            return
        withdrawn, _payload, person = self.made[9, 0]
        withdrawn.refresh_from_db()
        if withdrawn.status == Status.ACCEPTED:
            services.withdraw(
                person,
                withdrawn.transaction_number,
                expected_version=withdrawn.latest_version,
                reason="Duplicate: the shipment was accounted for twice",
                today=today,
            )

    def approval(self, today):
        """September 15: the officer approves July's adjustment; its delta posts with interest."""
        if (7, 0) not in self.made:
            return
        pending = self.made[7, 0][0].versions.filter(status=Status.PENDING).first()
        if pending is not None:
            services.decide_adjustment(
                pending, approve=True, officer=self.olivia, reason="Credit note verified", today=today
            )

    def pending_adjustment(self, today):
        """October 6: August 14's royalties left out of the VFD, waiting in the officers' queue."""
        self._amend(
            (8, 1),
            Decimal("1.05"),
            today,
            "DEMO-ADJ",
            reason="Royalties payable on the goods were left out of the value for duty",
        )


CHANGES = {
    dt.date(2025, 6, 11): _Story.correction,
    dt.date(2025, 9, 8): _Story.adjustment,
    dt.date(2025, 9, 15): _Story.approval,
    dt.date(2025, 10, 6): _Story.pending_adjustment,
}
