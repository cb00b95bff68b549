"""Advance rulings and national customs rulings (domain brief §8).

Reading guide:

- `Office`: a CBSA office (port of entry) a request names, searchable by name or 4-digit code.
- `RulingRequest`: one case, from draft to decision. Filed inside an importer's program account
  (`program_account`, `submitted_by_business`: a transaction-like record for
  registered with `rights.register_records`, so a broker sees it under the importer's visibility rules).
  Its status is CARM's (Submitted, Assigned, Decision Rendered, Withdrawn, plus Draft before filing);
  the steps between are `RulingEvent`s, written only by `services.transition` through its table.
  `revision` grows with every transition: a transition made from a stale copy changes nothing.
- `RulingEvent`: what happened (officer assigned, information requested, an answer, samples asked
  for, decision, modification, revocation, withdrawal) and the message thread with the applicant.
- `Attachment`: literature, photos, drawings (PDF, PNG, JPEG) kept in the database.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.transitions import Table
from rights import RestrictedQuerySet


class Kind(models.TextChoices):
    # Customs Act s.43.1; D11-11-3 (advance rulings for tariff classification)
    CLASSIFICATION = "classification", _("Advance ruling on tariff classification")
    # Customs Act s.43.1(1)(a) and (b); D11-4-16 (advance rulings for origin under free trade agreements)
    ORIGIN_FTA = "origin_fta", _("Advance ruling on origin under a free trade agreement")
    # D11-11-1 (national customs rulings: MFN or non-FTA origin, valuation, marking)
    NCR_ORIGIN = "ncr_origin", _("National customs ruling on origin")
    NCR_VALUATION = "ncr_valuation", _("National customs ruling on valuation")
    NCR_MARKING = "ncr_marking", _("National customs ruling on marking")


class Status(models.TextChoices):
    """CARM's statuses of a ruling request (D11-11-3, CARM section), and Draft before it is filed."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ASSIGNED = "assigned", _("Assigned")
    RENDERED = "rendered", _("Decision Rendered")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The status moves a request may make (each workflow event of rulings.services names one of them);
# ASSIGNED → ASSIGNED and RENDERED → RENDERED are the steps that keep the status (a pause, a new
# officer, a modification). The database refuses any status not listed.
STATUS_TRANSITIONS = Table(
    Status,
    {
        Status.DRAFT: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.ASSIGNED, Status.WITHDRAWN},
        Status.ASSIGNED: {Status.ASSIGNED, Status.RENDERED, Status.WITHDRAWN},
        Status.RENDERED: {Status.RENDERED},
    },
)


class Pause(models.TextChoices):
    """Why the service-standard clock is stopped (D11-11-3: the 120 days exclude waiting time)."""

    NONE = "", _("Running")
    INFORMATION = "information", _("Waiting for information from the applicant")
    SAMPLES = "samples", _("Waiting for samples or laboratory analysis")


class Outcome(models.TextChoices):
    RULING = "ruling", _("Ruling issued")
    REFUSED = "refused", _("Refused")


class Capacity(models.TextChoices):
    # D11-11-3: the importer, exporter or producer, or a person they authorize, may apply
    IMPORTER = "importer", _("Importer")
    EXPORTER = "exporter", _("Exporter")
    PRODUCER = "producer", _("Producer")
    AUTHORIZED = "authorized", _("Person authorized by one of them")


class Agreement(models.TextChoices):
    """Free trade agreements an origin ruling may be asked under: D11-4-16 (2016 edition) names NAFTA
    (now CUSMA), CIFTA, CCFTA, CCRFTA, CPFTA, CCOFTA, CEFTA and CJFTA; CETA, CPTPP, CUKTCA and CKFTA
    came later and were not checked against a newer edition."""

    CUSMA = "CUSMA", _("Canada-United States-Mexico Agreement (CUSMA)")
    CIFTA = "CIFTA", _("Canada-Israel Free Trade Agreement (CIFTA)")
    CCFTA = "CCFTA", _("Canada-Chile Free Trade Agreement (CCFTA)")
    CCRFTA = "CCRFTA", _("Canada-Costa Rica Free Trade Agreement (CCRFTA)")
    CPFTA = "CPFTA", _("Canada-Peru Free Trade Agreement (CPFTA)")
    CCOFTA = "CCOFTA", _("Canada-Colombia Free Trade Agreement (CCOFTA)")
    CEFTA = "CEFTA", _("Canada-European Free Trade Association Free Trade Agreement (CEFTA)")
    CJFTA = "CJFTA", _("Canada-Jordan Free Trade Agreement (CJFTA)")
    CETA = "CETA", _("Canada-European Union Comprehensive Economic and Trade Agreement (CETA)")
    CPTPP = "CPTPP", _("Comprehensive and Progressive Agreement for Trans-Pacific Partnership (CPTPP)")
    CUKTCA = "CUKTCA", _("Canada-United Kingdom Trade Continuity Agreement (CUKTCA)")
    CKFTA = "CKFTA", _("Canada-Korea Free Trade Agreement (CKFTA)")


class Office(models.Model):
    code = models.CharField(_("office code"), max_length=4, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    province = models.CharField(_("province"), max_length=2)

    class Meta:
        ordering = ["code"]
        verbose_name = _("CBSA office")
        verbose_name_plural = _("CBSA offices")

    def __str__(self):
        return f"{self.code} {self.name_en}"

    def name(self, language: str) -> str:
        return self.name_fr if language == "fr" else self.name_en


class RulingRequest(models.Model):
    case_number = models.CharField(_("case number"), max_length=20, unique=True)
    kind = models.CharField(_("kind of ruling"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    revision = models.PositiveIntegerField(default=0)
    program_account = models.ForeignKey(
        "businesses.ProgramAccount", on_delete=models.PROTECT, related_name="+", verbose_name=_("importer account")
    )
    submitted_by_business = models.ForeignKey(
        "businesses.Business", on_delete=models.PROTECT, related_name="+", verbose_name=_("filed by")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Step 1: the context.
    offices = models.ManyToManyField(Office, blank=True, verbose_name=_("ports of entry"))
    agreement = models.CharField(_("free trade agreement"), max_length=8, choices=Agreement.choices, blank=True)
    under_verification = models.BooleanField(_("goods under verification, audit or appeal"), null=True)
    other_ruling = models.BooleanField(_("goods subject of another ruling or request"), null=True)
    imported_before = models.BooleanField(_("goods imported before"), null=True)
    consents_to_publication = models.BooleanField(_("consent to publication"), default=False)
    # Step 2: the details.
    capacity = models.CharField(_("applicant capacity"), max_length=10, choices=Capacity.choices, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=30, blank=True)
    trade_names = models.CharField(_("trade names, brands and models"), max_length=300, blank=True)
    description = models.TextField(_("full description of the goods"), blank=True)
    composition = models.TextField(_("composition"), blank=True)
    manufacturing_process = models.TextField(_("manufacturing process"), blank=True)
    use = models.TextField(_("use"), blank=True)
    # As typed (digits only), so a draft keeps even a wrong number: submission checks it has 10.
    proposed_classification = models.CharField(_("proposed classification number"), max_length=16, blank=True)
    proposed_reasons = models.TextField(_("reasons for the proposed classification"), blank=True)
    # The clock (calendar days, D11-11-3 service standard).
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True, db_index=True)
    paused = models.CharField(_("clock"), max_length=12, choices=Pause.choices, default=Pause.NONE, blank=True)
    paused_on = models.DateField(null=True, blank=True)
    paused_days = models.PositiveIntegerField(_("days paused"), default=0)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The decision.
    rendered_on = models.DateField(_("decision date"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices, blank=True)
    ruling_classification = models.CharField(_("classification number ruled"), max_length=10, blank=True)
    ruling_reasons = models.TextField(_("reasons"), blank=True)
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    # A request to modify the rendered ruling has its own 120-day clock; while it runs, the pause
    # fields above (`paused`, `paused_on`) stop it, and its paused days are counted here.
    modification_requested_on = models.DateField(_("modification requested on"), null=True, blank=True)
    modification_paused_days = models.PositiveIntegerField(_("days paused (modification)"), default=0)
    modification_decided_on = models.DateField(_("modification decided on"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()  # records: rights.register_records
    transitions = STATUS_TRANSITIONS

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("ruling request")
        verbose_name_plural = _("ruling requests")
        indexes = [models.Index(fields=["status", "submitted_on"], name="ruling_queue")]
        constraints = [STATUS_TRANSITIONS.constraint("ruling_status_known")]

    def __str__(self):
        return self.case_number

    @property
    def modification_open(self) -> bool:
        return self.modification_requested_on is not None and self.modification_decided_on is None

    @property
    def in_force(self) -> bool:
        """A rendered ruling binds until revoked (Customs Act s.43.1(2))."""
        return self.status == Status.RENDERED and self.outcome == Outcome.RULING and self.revoked_on is None


class RulingEvent(models.Model):
    class Kind(models.TextChoices):
        SUBMITTED = "submit", _("Request submitted")
        ASSIGNED = "assign", _("Officer assigned")
        INFORMATION_REQUESTED = "request_information", _("Information requested")
        ANSWERED = "answer", _("Information provided")
        SAMPLES_REQUESTED = "request_samples", _("Samples or laboratory analysis requested")
        SAMPLES_DONE = "samples_done", _("Samples received and analysed")
        RENDERED = "render", _("Decision rendered")
        REFUSED = "refuse", _("Ruling refused")
        MODIFICATION_REQUESTED = "request_modification", _("Modification requested")
        MODIFIED = "modify", _("Ruling modified")
        MODIFICATION_REFUSED = "refuse_modification", _("Modification refused")
        REVOKED = "revoke", _("Ruling revoked")
        WITHDRAWN = "withdraw", _("Request withdrawn")
        PUBLISHED = "publish", _("Ruling published")
        MESSAGE = "message", _("Message")

    request = models.ForeignKey(RulingRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=24, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    by_officer = models.BooleanField(default=False)
    at = models.DateTimeField(default=timezone.now)
    status_after = models.CharField(max_length=10, choices=Status.choices)
    message = models.TextField(_("message"), blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("ruling event")
        verbose_name_plural = _("ruling events")

    def __str__(self):
        return f"{self.request.case_number} {self.kind}"


class Attachment(models.Model):
    request = models.ForeignKey(RulingRequest, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name
