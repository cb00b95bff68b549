"""Commercial accounting declarations (CAD, domain brief §5).

Reading guide:

- `Declaration`: one transaction number under an importer's RM program account. It never changes
  number; its content lives in versions. `program_account` and `submitted_by_business` make it a
  transaction-like record for `rights.register_records` (delegation visibility).
- `DeclarationVersion`: one version (00001, 00002, ...): the header as declared, the request as
  received (`payload`, also what a draft holds), the assessed totals, its kind (original,
  correction, adjustment, withdrawal) and status (draft, accepted, pending approval, rejected by an
  officer). Versions are never edited once submitted, except an adjustment's officer decision.
- `Invoice` and `DeclarationLine`: the commercial invoices and their lines (one CAD line per
  invoice line), with each line's inputs and the amounts the assessment engine gave it.
- `SecurityNumber`: the 5-digit account security number of a submitting business and its sequence,
  from which transaction numbers are made (declarations.transaction_numbers).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.transitions import Table
from rights import RestrictedQuerySet

MONEY = {"max_digits": 15, "decimal_places": 2, "default": 0}
# The assessed amounts of a line and of a version's header, by the names the estimate API uses.
AMOUNT_FIELDS = ["vfd", "customs_duty", "sima", "surtax", "excise_duty", "excise_tax", "value_for_tax", "gst", "total"]
# What a version's header holds (as stored), beside the importer.
VERSION_HEADER = [
    "declarant_number",
    "mode_of_transport",
    "release_office",
    "release_date",
    "release_time",
    "cargo_control_number",
    "cad_type",
    "cad_due_date",
    "payment_due_date",
    "is_late",
    "details",
]
# What a line declares (as stored), in the order the API, the diff and the pages show it.
LINE_DECLARED = [
    "invoice_number",
    "description",
    "narrative",
    "quantity",
    "unit",
    "classification",
    "tariff_treatment",
    "origin",
    "origin_state",
    "export_country",
    "vfd_code",
    "value",
    "currency",
    "exchange_rate",
    "adjustments",
    "special_authority",
    "charges",
    "details",
]


class Status(models.TextChoices):
    """A version's status. CARM's response codes: 39 accepted, 41 rejected, 42 pending approval."""

    DRAFT = "draft", _("Draft")
    ACCEPTED = "accepted", _("Accepted")
    PENDING = "pending", _("Pending approval")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# A draft is submitted once and an accepted CAD withdrawn once; an officer decides a pending adjustment
# once (core.transitions). The database refuses a status that is not one.
DECLARATION_TRANSITIONS = Table(Status, {Status.DRAFT: {Status.ACCEPTED}, Status.ACCEPTED: {Status.WITHDRAWN}})
VERSION_TRANSITIONS = Table(Status, {Status.PENDING: {Status.ACCEPTED, Status.REJECTED}})


class Kind(models.TextChoices):
    ORIGINAL = "original", _("Original")
    CORRECTION = "correction", _("Correction")
    ADJUSTMENT = "adjustment", _("Adjustment")
    WITHDRAWAL = "withdrawal", _("Withdrawal")


class Channel(models.TextChoices):
    PORTAL = "portal", _("Portal")
    API = "api", _("API")
    UPLOAD = "upload", _("File upload")
    DEMO = "demo", _("Demo data")
    LEGACY = "legacy", _("Pre-CARM B3, as declared")


class CadType(models.TextChoices):
    RPP = "rpp", _("Release prior to payment (RPP)")
    CASH = "cash", _("Cash")


class ModeOfTransport(models.TextChoices):
    # D17-1-10 (CARM, 21 Oct 2024), Appendix A field 16: the whole list (also codelists/modes_of_transport.csv).
    AIR = "1", _("Air")
    HIGHWAY = "2", _("Highway")
    POSTAL = "5", _("Postal")
    RAIL = "6", _("Rail")
    PIPELINE = "7", _("Pipeline")
    HAND_CARRIED = "8", _("Hand-carried")  # "Hand-carried commercial goods": short enough for the select
    MARINE = "9", _("Marine")
    ELECTRICAL_GRID = "10", _("Electrical grid")


class SecurityNumber(models.Model):
    """The account security number of a business that submits CADs, and its next sequence."""

    business = models.OneToOneField("businesses.Business", on_delete=models.PROTECT, related_name="security_number")
    number = models.CharField(_("account security number"), max_length=5, unique=True)
    next_sequence = models.PositiveBigIntegerField(default=1)

    def __str__(self):
        return f"{self.number} ({self.business.bn9})"


class Declaration(models.Model):
    transaction_number = models.CharField(_("transaction number"), max_length=14, unique=True)
    program_account = models.ForeignKey(
        "businesses.ProgramAccount",
        on_delete=models.PROTECT,
        related_name="declarations",
        verbose_name=_("importer account"),
    )
    submitted_by_business = models.ForeignKey(
        "businesses.Business", on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The version in force: the last accepted one (or the draft). A pending adjustment is not in force.
    current_version = models.PositiveIntegerField(_("version in force"), default=1)
    latest_version = models.PositiveIntegerField(_("latest version"), default=1)
    release_date = models.DateField(_("release date"), null=True, blank=True, db_index=True)
    total = models.DecimalField(_("duties and taxes"), **MONEY)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    objects = RestrictedQuerySet.as_manager()  # records: rights.register_records
    transitions = DECLARATION_TRANSITIONS

    class Meta:
        ordering = ["-release_date", "-transaction_number"]
        verbose_name = _("commercial accounting declaration")
        verbose_name_plural = _("commercial accounting declarations")
        indexes = [models.Index(fields=["program_account", "release_date"], name="declaration_account_release")]
        constraints = [DECLARATION_TRANSITIONS.constraint("declaration_status_known")]

    def __str__(self):
        return self.transaction_number

    def version(self, number: int | None = None) -> "DeclarationVersion":
        return self.versions.get(number=number or self.current_version)


class DeclarationVersion(models.Model):
    declaration = models.ForeignKey(Declaration, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ORIGINAL)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Header, as declared.
    importer_number = models.CharField(_("importer (BN15)"), max_length=15)
    declarant_number = models.CharField(_("declarant (BN15)"), max_length=15, blank=True)
    mode_of_transport = models.CharField(_("mode of transport"), max_length=2, choices=ModeOfTransport.choices)
    release_office = models.CharField(_("release office"), max_length=4)
    release_date = models.DateField(_("release date"), null=True, blank=True)
    release_time = models.TimeField(_("release time"), null=True, blank=True)
    cargo_control_number = models.CharField(_("cargo control number"), max_length=25, blank=True)
    cad_type = models.CharField(_("CAD type"), max_length=4, choices=CadType.choices, default=CadType.RPP)
    # What follows from the release date, and whether the CAD came in after its deadline.
    cad_due_date = models.DateField(_("accounting due date"), null=True, blank=True)
    payment_due_date = models.DateField(_("payment due date"), null=True, blank=True)
    is_late = models.BooleanField(_("late accounting"), default=False)
    # Why the dates above are what they are (declarations.timing): {"deadline": ..., "payment": ...,
    # and for a correction "correction": ...}, each {"day", "rule", "source", "inputs", "penalty"}.
    due_basis = models.JSONField(_("basis of the due dates"), default=dict, blank=True)
    # Customs Act s.32.2: a correction is made within 90 days of having reason to believe the
    # declaration was wrong; the day is the filer's, `correction_late` flags a correction past it.
    reason_to_believe_on = models.DateField(
        _("reason to believe the declaration was wrong, since"), null=True, blank=True
    )
    correction_late = models.BooleanField(_("correction made after 90 days (s.32.2)"), default=False)
    # Customs Act s.74(3)(b): an officer's authority for a refund past four years (audited).
    time_limit_override = models.TextField(_("authority for a refund past the time limit"), blank=True)
    # Assessed totals (sums of the lines' amounts).
    vfd = models.DecimalField(_("value for duty"), **MONEY)
    customs_duty = models.DecimalField(_("customs duty"), **MONEY)
    sima = models.DecimalField(_("SIMA duty"), **MONEY)
    surtax = models.DecimalField(_("surtax"), **MONEY)
    excise_duty = models.DecimalField(_("excise duty"), **MONEY)
    excise_tax = models.DecimalField(_("excise tax"), **MONEY)
    value_for_tax = models.DecimalField(_("value for tax"), **MONEY)
    gst = models.DecimalField(_("GST"), **MONEY)
    total = models.DecimalField(_("duties and taxes"), **MONEY)
    # What this version changed in the ledger: the delta of duties and taxes, and interest.
    delta = models.DecimalField(_("change in duties and taxes"), **MONEY)
    interest = models.DecimalField(_("interest"), **MONEY)
    # The D17-1-10 header fields without a column of their own, as read (declarations.fields rows
    # with `details=True`: chains, warehouse, region, port of unlading, carrier, weight, freight...).
    details = models.JSONField(_("other D17-1-10 fields"), default=dict, blank=True)
    # The request as received (normalised): a draft's whole content, and what diffs compare.
    payload = models.JSONField(default=dict)
    reason = models.TextField(_("reason"), blank=True)
    client_reference = models.CharField(_("client reference"), max_length=64, blank=True)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.PORTAL)
    submitted_by_business = models.ForeignKey(
        "businesses.Business", on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("officer's reason"), blank=True)

    transitions = VERSION_TRANSITIONS

    class Meta:
        ordering = ["declaration", "number"]
        verbose_name = _("declaration version")
        verbose_name_plural = _("declaration versions")
        constraints = [
            models.UniqueConstraint(fields=["declaration", "number"], name="declaration_version_unique"),
            # Idempotency: one version per client reference of a submitting business.
            models.UniqueConstraint(
                fields=["submitted_by_business", "client_reference"],
                condition=~models.Q(client_reference=""),
                name="declaration_version_client_reference",
            ),
            VERSION_TRANSITIONS.constraint("declaration_version_status_known"),
        ]
        indexes = [models.Index(fields=["status", "kind"], name="declaration_version_queue")]

    def __str__(self):
        return f"{self.declaration.transaction_number} {self.label}"

    @property
    def label(self) -> str:
        """The version as CARM prints it: 00001, 00002, ..."""
        return f"{self.number:05d}"

    @property
    def transaction_number(self) -> str:
        return self.declaration.transaction_number

    def amounts(self) -> dict:
        return {name: getattr(self, name) for name in AMOUNT_FIELDS}


class Invoice(models.Model):
    version = models.ForeignKey(DeclarationVersion, on_delete=models.CASCADE, related_name="invoices")
    number = models.CharField(_("invoice number"), max_length=35)
    amount = models.DecimalField(_("invoice amount"), max_digits=15, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    # The exchange rate's date (D13-2-3; D17-1-10 field 31): on or before the release date.
    shipment_date = models.DateField(_("date of direct shipment"))
    vendor_name = models.CharField(_("vendor name"), max_length=200)
    vendor_address = models.CharField(_("vendor address"), max_length=300, blank=True)
    vendor_country = models.CharField(_("vendor country"), max_length=2)
    details = models.JSONField(_("other D17-1-10 fields"), default=dict, blank=True)  # purchase order, buyer...

    class Meta:
        ordering = ["version", "id"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")

    def __str__(self):
        return self.number


class DeclarationLine(models.Model):
    """One invoice line: what was declared, and what the assessment engine made of it."""

    version = models.ForeignKey(DeclarationVersion, on_delete=models.CASCADE, related_name="lines")
    number = models.PositiveIntegerField(_("line"))
    invoice_number = models.CharField(_("invoice number"), max_length=35)
    description = models.CharField(_("tariff description"), max_length=300, blank=True)
    narrative = models.CharField(_("description of the goods"), max_length=300)
    quantity = models.DecimalField(_("quantity"), max_digits=18, decimal_places=4, null=True, blank=True)
    unit = models.CharField(_("unit of measure"), max_length=3, blank=True)
    classification = models.CharField(_("classification number"), max_length=10)
    tariff_treatment = models.CharField(_("tariff treatment"), max_length=6)
    origin = models.CharField(_("country of origin"), max_length=2)
    origin_state = models.CharField(_("state of origin"), max_length=2, blank=True)
    export_country = models.CharField(_("country of export"), max_length=2)
    vfd_code = models.CharField(_("VFD code"), max_length=2)
    value = models.DecimalField(_("price for conversion"), max_digits=15, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    exchange_rate = models.DecimalField(_("exchange rate"), max_digits=16, decimal_places=8)
    special_authority = models.CharField(_("special authority"), max_length=20, blank=True)
    # Customs Act s.48(5) additions and deductions by their field names (declarations.fields), in the
    # invoice's currency: the VFD is (value + additions - deductions) x exchange rate.
    adjustments = models.JSONField(_("additions and deductions to the price"), default=dict, blank=True)
    # SIMA, surtax and excise inputs by the estimate API's names (assessment.services.CHARGE_INPUTS).
    charges = models.JSONField(_("other duties and taxes declared"), default=dict, blank=True)
    # The other D17-1-10 line fields, as read: time limits, SIMA, safeguard, GST code, provincial levies...
    details = models.JSONField(_("other D17-1-10 fields"), default=dict, blank=True)
    rate = models.CharField(_("rate of duty"), max_length=200, blank=True)
    vfd = models.DecimalField(_("value for duty"), **MONEY)
    customs_duty = models.DecimalField(_("customs duty"), **MONEY)
    sima = models.DecimalField(_("SIMA duty"), **MONEY)
    surtax = models.DecimalField(_("surtax"), **MONEY)
    excise_duty = models.DecimalField(_("excise duty"), **MONEY)
    excise_tax = models.DecimalField(_("excise tax"), **MONEY)
    value_for_tax = models.DecimalField(_("value for tax"), **MONEY)
    gst = models.DecimalField(_("GST"), **MONEY)
    total = models.DecimalField(_("duties and taxes"), **MONEY)

    class Meta:
        ordering = ["version", "number"]
        verbose_name = _("declaration line")
        verbose_name_plural = _("declaration lines")

    def __str__(self):
        return f"{self.number} {self.classification}"

    def amounts(self) -> dict:
        return {name: getattr(self, name) for name in AMOUNT_FIELDS}


class CodeListEntry(models.Model):
    """One code of a D17-1-10 code list (declarations/codelists/*.csv), valid from and to a day
    (blank: open), with its English and French names. Read through declarations.codes (cached)."""

    list = models.CharField(_("code list"), max_length=40)
    code = models.CharField(_("code"), max_length=20)  # field 54 takes Orders in Council of up to 20 characters
    name_en = models.CharField(_("English name"), max_length=300)
    name_fr = models.CharField(_("French name"), max_length=600)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    alias = models.CharField(_("alias"), max_length=10, blank=True)

    class Meta:
        ordering = ["list", "code", "valid_from"]
        verbose_name = _("code list entry")
        verbose_name_plural = _("code list entries")
        constraints = [
            models.UniqueConstraint(fields=["list", "code", "valid_from"], name="codelist_entry_unique"),
        ]

    def __str__(self):
        return f"{self.list} {self.code}"
