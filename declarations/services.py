"""The CAD lifecycle (domain brief §5): draft → submitted → accepted (assessed, posted to the
ledger) or rejected (errors, nothing saved or posted); then corrections, adjustments and withdrawal,
each a new version of the same transaction number. Pages, the API, the demo and the benchmark all
call these functions; each owns its database transaction and audits what it did.

- `submit`: validate (declarations.validation), assess, save version 00001 and post its duties and taxes
  (ASSESSMENT, billed and due as declarations.timing says: the prescribed day of Customs Act
  s.33.4(2)(a), or on release for a cash CAD; the C288 or C292 late-accounting penalty when
  accounted after the deadline of the account's program). Idempotent on (client reference,
  submitting business).
- `amend`: a new version. Before the payment due date of the version it changes: a **correction**,
  accepted at once, its delta posted on the statement being billed when filed before it is issued
  (the 25th), else in the current cycle. After: an **adjustment**, which needs a reason and waits
  for an officer (`decide_adjustment`); approved, its delta posts on the day of approval, with
  interest on a debit from the old due date. The s.32.2 "reason to believe" day is kept and a change
  90 days after it flagged; a refund past the four years of s.74(3)(b) is flagged and approved only
  with an officer's stated authority.
- `withdraw`: reverses every assessment posted for the transaction number.
- Concurrent changes: the caller names the version it changes (`expected_version`, the latest
  version number); another change in between is refused (`version_conflict`), never merged.
Who may: the rights kernel: TRANSACT on the importer's program account (a broker through delegation)
and, for an existing CAD, the importer's visibility rules (`records_visible_to`).
`today` (default: the local date) is the day a change is taken as made: the demo data and the
benchmark replay history with it; pages and the API never pass it.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import rights
from audit.services import record, record_many
from core import bulk, transitions
from ledger.interest import RateKind, interest_owed
from ledger.models import EntryType, LedgerEntry
from ledger.posting import post_entries, post_entry, reverse_entry

from . import timing, transaction_numbers, validation
from .models import (
    AMOUNT_FIELDS,
    DECLARATION_TRANSITIONS,
    LINE_DECLARED,
    VERSION_HEADER,
    VERSION_TRANSITIONS,
    Channel,
    Declaration,
    DeclarationLine,
    DeclarationVersion,
    Invoice,
    Kind,
    Status,
)
from .validation import Error

# CARM's response statuses (brief §5): 200 received, 39 accepted with duties and taxes, 41 rejected,
# 42 adjustment pending approval.
RECEIVED, ACCEPTED, REJECTED, PENDING = 200, 39, 41, 42
CODES = {
    Status.DRAFT: RECEIVED,
    Status.ACCEPTED: ACCEPTED,
    Status.PENDING: PENDING,
    Status.WITHDRAWN: ACCEPTED,
    Status.REJECTED: REJECTED,
}
HEADER_FIELDS = VERSION_HEADER


@dataclass
class Outcome:
    """What a submission or change came to. `code`: CARM's status (39, 41, 42; 200 for a draft)."""

    declaration: Declaration | None = None
    version: DeclarationVersion | None = None
    errors: list[Error] = field(default_factory=list)
    warnings: list[Error] = field(default_factory=list)
    replayed: bool = False  # an idempotent repeat of an earlier request: nothing new was done

    @property
    def status(self) -> str:
        return Status.REJECTED if self.errors else self.version.status

    @property
    def code(self) -> int:
        return REJECTED if self.errors else CODES[self.version.status]

    @property
    def conflict(self) -> bool:
        """Refused because of another change (the API answers 409)."""
        return any(error.code in CONFLICTS for error in self.errors)


CONFLICTS = {"version_conflict", "idempotency_key_reused", "pending_adjustment", "duplicate_transaction_number"}


@dataclass
class Preview:
    """A declaration validated and assessed without saving anything (the live preview)."""

    checked: validation.Checked | None
    errors: list[Error]

    @property
    def lines(self) -> list[dict]:
        return self.checked.lines if self.checked else []

    @property
    def totals(self) -> dict:
        return self.checked.totals if self.checked else {}

    @property
    def warnings(self) -> list[Error]:
        return self.checked.warnings if self.checked else []


def _rejected(*errors: Error) -> Outcome:
    return Outcome(errors=list(errors))


# --- reading -----------------------------------------------------------------------------------


def visible_declarations(who, action: rights.Action = rights.Action.VIEW):
    """The declarations `who` may see (or do `action` on): their own businesses' accounts, and a
    service provider the categories of records the importer lets it see (submitted_by_business)."""
    return Declaration.objects.visible_to(who, action)


# CBSA service standards 2015-2016, "B2 commercial adjustments": processed within 90 calendar days of
# receipt of the claim and its supporting documents
# (https://www.cbsa-asfc.gc.ca/services/serving-servir/standards-normes-2015-2016-eng.html)
ADJUSTMENT_STANDARD_DAYS = 90


def pending_adjustments():
    """The officers' queue: adjustments waiting for a decision, oldest first."""
    return (
        DeclarationVersion.objects.filter(status=Status.PENDING, kind=Kind.ADJUSTMENT)
        .select_related("declaration__program_account__business", "submitted_by_business")
        .order_by("submitted_at")
    )


def ledger_entries(declaration: Declaration):
    """The ledger entries the declaration produced (assessments, deltas, interest, penalty, reversals)."""
    return LedgerEntry.objects.filter(
        program_account=declaration.program_account, transaction_number=declaration.transaction_number
    ).order_by("posted_at", "id")


def preview(who, payload) -> Preview:
    """Validate and assess `payload` as `submit` would, saving and posting nothing."""
    checked, errors = validation.check(payload, who=who)
    return Preview(checked, errors)


def diff(version_a: DeclarationVersion, version_b: DeclarationVersion) -> dict:
    """What changed from `version_a` to `version_b`: header fields, invoices and lines (matched by
    number) as {"field", "before", "after"} rows, and the change in each assessed total."""
    header = _changes(_header_values(version_a), _header_values(version_b))
    invoices = _keyed_changes(_invoice_values(version_a), _invoice_values(version_b))
    lines = _keyed_changes(_line_values(version_a), _line_values(version_b))
    totals = {name: getattr(version_b, name) - getattr(version_a, name) for name in AMOUNT_FIELDS}
    return {"header": header, "invoices": invoices, "lines": lines, "totals": totals}


def _header_values(version) -> dict:
    return {name: getattr(version, name) for name in ["importer_number", *HEADER_FIELDS]}


def _invoice_values(version) -> dict:
    fields = ["amount", "currency", "shipment_date", "vendor_name", "vendor_address", "vendor_country"]
    return {invoice.number: {name: getattr(invoice, name) for name in fields} for invoice in version.invoices.all()}


LINE_COMPARED = [*LINE_DECLARED, *AMOUNT_FIELDS]


def _line_values(version) -> dict:
    return {line.number: {name: getattr(line, name) for name in LINE_COMPARED} for line in version.lines.all()}


def _changes(before: dict, after: dict) -> list[dict]:
    return [
        {"field": name, "before": before.get(name), "after": after.get(name)}
        for name in dict.fromkeys([*before, *after])
        if before.get(name) != after.get(name)
    ]


def _keyed_changes(before: dict, after: dict) -> list[dict]:
    """Rows matched by key: {"key", "change": added/removed/changed, "fields": [...]}."""
    result = []
    for key in sorted(set(before) | set(after), key=str):
        if key not in before:
            result.append({"key": key, "change": "added", "fields": _changes({}, after[key])})
        elif key not in after:
            result.append({"key": key, "change": "removed", "fields": _changes(before[key], {})})
        elif before[key] != after[key]:
            result.append({"key": key, "change": "changed", "fields": _changes(before[key], after[key])})
    return result


# --- submitting --------------------------------------------------------------------------------


def submit(
    who,
    payload,
    *,
    client_reference: str = "",
    channel: str = Channel.PORTAL,
    request=None,
    today: dt.date | None = None,
) -> Outcome:
    """Validate, assess, save and post a new CAD (or submit a draft named by
    payload["transaction_number"]). Rejected: the errors, nothing saved or posted (the refusal is
    audited). Accepted: code 39, version 00001, an ASSESSMENT entry for its duties and taxes and,
    when accounted late, the C288 penalty. A repeat of the same client reference by the same
    business returns the first outcome (replayed). A batch of one: `submit_batch`."""
    return submit_batch(who, [(client_reference, payload)], channel=channel, request=request, today=today)[0]


BATCH_LIMIT = 500  # CADs in one submit_batch call (the API refuses more)
CHUNK = 100  # CADs saved in one database transaction


@dataclass
class _Item:
    index: int
    client_reference: str
    payload: dict
    checked: validation.Checked

    @property
    def key(self):
        """What makes a repeat (idempotency): the submitting business and the client reference."""
        return (self.checked.submitter.pk, self.client_reference) if self.client_reference else None


def submit_batch(
    who, items, *, channel: str = Channel.API, request=None, today: dt.date | None = None
) -> list[Outcome]:
    """Submit many CADs (EDI-style bulk, `POST /api/v1/declarations/batch`; `submit` is a batch of
    one): `items` is a list of (client_reference, payload); the outcomes come in the same order,
    each CAD accepted, rejected or replayed on its own, as `submit` would.

    The rights of `who` are read once for the batch (the importers' accounts among those they may
    transact on), the tariff, treatments, exchange rates and billing calendar once per code and day
    (validation.Lookups). Accepted CADs are saved CHUNK at a time, each chunk in one transaction:
    earlier uses of the client references read in one query, transaction numbers allotted in one
    update, bulk inserts of declarations, versions, invoices and lines, one bulk ledger posting
    (ledger.posting.post_entries) and one bulk write to the audit trail. A chunk that meets a
    unique constraint (a client reference or number taken by another request at the same
    moment) is redone CAD by CAD, each in its own savepoint."""
    today = today or timezone.localdate()
    lookups = validation.Lookups()
    lookups.load_accounts(who, [payload.get("importer") for _ref, payload in items if isinstance(payload, dict)])
    outcomes, valid, rejections = [None] * len(items), [], []
    for index, (client_reference, payload) in enumerate(items):
        checked, errors = validation.check(payload, who=who, today=today, lookups=lookups)
        if errors:
            outcomes[index] = _rejected(*errors)
            rejections.append(_rejection(who, payload, errors))
        else:
            valid.append(_Item(index, client_reference, payload, checked))
    record_many(rejections, request=request)
    for chunk in _chunks(valid):
        for item, outcome in zip(chunk, _save_chunk(who, chunk, channel, request, today), strict=True):
            outcomes[item.index] = outcome
    return outcomes


def _chunks(items: list[_Item]):
    """CHUNK items at a time; a client reference repeated in the batch goes to a later chunk, where
    it finds the first one saved (a replay, or a reference reused for another CAD)."""
    while items:
        chunk, keys, later = [], set(), []
        for item in items:
            if len(chunk) == CHUNK or (item.key and item.key in keys):
                later.append(item)
            else:
                chunk.append(item)
                keys.add(item.key)
        yield chunk
        items = later


def _save_chunk(who, chunk: list[_Item], channel, request, today) -> list[Outcome]:
    try:
        with transaction.atomic():
            return _save(who, chunk, channel, request, today)
    except IntegrityError:  # a client reference or a transaction number was used meanwhile
        if len(chunk) > 1:
            return [_save_chunk(who, [item], channel, request, today)[0] for item in chunk]
        item = chunk[0]
        replay = _replay(item.checked.submitter, item.client_reference, item.payload)
        if replay is not None:
            return [replay]
        if not item.checked.header.get("transaction_number"):
            raise
        return [_rejected(DUPLICATE_NUMBER)]


def _save(who, chunk: list[_Item], channel, request, today) -> list[Outcome]:
    """Save and post the accepted CADs of `chunk` (inside the caller's transaction)."""
    user = rights.actor_of(who).user
    outcomes, earlier = {}, _earlier_versions(chunk)
    declarations = {}  # item index -> its declaration (new ones unsaved yet)
    for item in chunk:
        if item.key in earlier:
            outcomes[item.index] = _replayed(earlier[item.key], item.payload)
            continue
        declaration, rejection = _declaration_for(item.checked)
        if rejection is not None:
            outcomes[item.index] = rejection
        else:
            declarations[item.index] = declaration
    fresh = [item for item in chunk if item.index in declarations]
    _number(declarations[item.index] for item in fresh)
    bulk.insert(Declaration, [d for d in declarations.values() if d.pk is None])
    versions = [
        _version(
            declarations[item.index],
            1,
            Kind.ORIGINAL,
            Status.ACCEPTED,
            item.checked,
            item.payload,
            delta=item.checked.totals["total"],
            user=user,
            submitter=item.checked.submitter,
            channel=channel,
            client_reference=item.client_reference,
        )
        for item in fresh
    ]
    _save_versions(versions, [item.checked for item in fresh])
    # Billed on the day s.33.4(2)(a) names, due on its prescribed day (declarations.timing). A late
    # CAD's penalty (C288/C292) is raised by the penalties app's nightly run, which knows outages.
    postings = [
        _assessment_posting(version, version.total, timing.billed_on(version), due_date=version.payment_due_date)
        for version in versions
    ]
    submitted = [
        _audited(who, "declarations.submitted", version, item.checked.audit)
        for item, version in zip(fresh, versions, strict=True)
    ]
    post_entries([posting for posting in postings if posting], request=request, audit=submitted)  # one audit insert
    for item, version in zip(fresh, versions, strict=True):
        outcomes[item.index] = Outcome(version.declaration, version, warnings=item.checked.warnings)
    return [outcomes[item.index] for item in chunk]


def _earlier_versions(chunk: list[_Item]) -> dict:
    """The versions already saved under the chunk's client references, by (business, reference):
    one query. A draft's is left out: submitting the draft replaces it."""
    references = {item.client_reference for item in chunk if item.key}
    if not references:
        return {}
    versions = (
        DeclarationVersion.objects.select_related("declaration")
        .filter(client_reference__in=references, submitted_by_business__in={item.key[0] for item in chunk if item.key})
        .exclude(status=Status.DRAFT)
    )
    return {(version.submitted_by_business_id, version.client_reference): version for version in versions}


def _replay(submitter, client_reference, payload) -> Outcome | None:
    """The earlier outcome of the same request (same client reference from the same business)."""
    if not client_reference:
        return None
    earlier = (
        DeclarationVersion.objects.select_related("declaration")
        .filter(submitted_by_business=submitter, client_reference=client_reference)
        .first()
    )
    return None if earlier is None else _replayed(earlier, payload)


def _replayed(earlier: DeclarationVersion, payload) -> Outcome:
    if earlier.payload != payload:
        return _rejected(
            Error(
                "idempotency_key_reused",
                "/client_reference",
                _("This client reference was already used for a different request."),
            )
        )
    return Outcome(earlier.declaration, earlier, replayed=True)


NOT_YOUR_NUMBER = Error(
    "not_your_security_number",
    "/transaction_number",
    _("This transaction number was not made from your account security number."),
)
DUPLICATE_NUMBER = Error(
    "duplicate_transaction_number", "/transaction_number", _("This transaction number is already used.")
)


def _declaration_for(checked):
    """(declaration, None) to save version 00001 in: the draft named by the payload (its version
    removed), or a new one, unsaved, numbered by `_number` unless the payload names its number;
    or (None, a rejection) when the number is taken."""
    number = checked.header.get("transaction_number")
    account = checked.account
    fields = {
        "release_date": checked.header["release_date"],
        "total": checked.totals["total"],
        "updated_at": timezone.now(),
    }
    if number:
        existing = Declaration.objects.select_for_update().filter(transaction_number=number).first()
        if existing is not None:
            if existing.status != Status.DRAFT or existing.program_account_id != account.pk:
                return None, _rejected(DUPLICATE_NUMBER)
            existing.versions.all().delete()  # the draft's only version: replaced by the submission
            transitions.move(existing, Status.ACCEPTED, table=DECLARATION_TRANSITIONS, **fields)
            existing.refresh_from_db()
            return existing, None
    declaration = Declaration(
        transaction_number=number or "",
        program_account=account,
        submitted_by_business=checked.submitter,
        status=Status.ACCEPTED,
        **fields,
    )
    return declaration, None


def _number(declarations):
    """Transaction numbers for the new declarations without one: one sequence update per
    submitting business."""
    unnumbered = {}
    for declaration in declarations:
        if not declaration.transaction_number:
            unnumbered.setdefault(declaration.submitted_by_business, []).append(declaration)
    for business, waiting in unnumbered.items():
        for declaration, number in zip(waiting, transaction_numbers.next_numbers(business, len(waiting)), strict=True):
            declaration.transaction_number = number


def _version(
    declaration,
    number,
    kind,
    status,
    checked,
    payload,
    *,
    delta,
    user,
    submitter,
    channel,
    client_reference="",
    reason="",
) -> DeclarationVersion:
    """A version (unsaved) of `declaration` holding `checked`."""
    now = timezone.now()
    return DeclarationVersion(
        declaration=declaration,
        number=number,
        kind=kind,
        status=status,
        importer_number=checked.account.number,
        **{name: checked.header[name] for name in HEADER_FIELDS},
        **checked.totals,
        due_basis=checked.header.get("due_basis", {}),
        delta=delta,
        payload=payload,
        reason=reason,
        client_reference=client_reference,
        channel=channel,
        submitted_by_business=submitter,
        submitted_by=user,
        created_at=now,
        submitted_at=now,
    )


def _save_versions(versions: list[DeclarationVersion], checked: list[validation.Checked]):
    """Insert the versions, then their invoices and lines as plain rows (core.bulk: COPY on
    PostgreSQL)."""
    bulk.insert(DeclarationVersion, versions)
    pairs = list(zip(versions, checked, strict=True))
    bulk.insert_rows(Invoice, [{**invoice, "version_id": v.pk} for v, found in pairs for invoice in found.invoices])
    bulk.insert_rows(DeclarationLine, [{**line, "version_id": v.pk} for v, found in pairs for line in found.lines])


def save_draft(
    who,
    payload,
    *,
    transaction_number: str = "",
    client_reference: str = "",
    channel: str = Channel.PORTAL,
    request=None,
) -> Outcome:
    """Keep an unfinished declaration (status draft, code 200), whatever its other fields hold:
    only the importer must be an account `who` may transact on. A new draft gets its transaction
    number now (or the one named, no CAD's yet, of the submitter: a release's); naming a draft's number
    replaces its content. Submit it with `submit(...,
    payload={..., "transaction_number": number})`."""
    errors = []
    account = validation.importer_account(payload, who, errors) if isinstance(payload, dict) else None
    if account is None:
        return _rejected(*(errors or [Error("invalid", "", _("Send the declaration as a JSON object."))]))
    if transaction_number and (error := _number_error(transaction_number)):
        return _rejected(error)
    submitter, context = validation.acting(who, account)
    header = validation.draft_header(payload)
    try:
        return _keep_draft(
            who, payload, account, submitter, context, header, transaction_number, client_reference, channel, request
        )
    except IntegrityError:  # a new draft under a client reference used already
        return _replay(submitter, client_reference, payload) or _rejected(DUPLICATE_NUMBER)


def _keep_draft(
    who, payload, account, submitter, context, header, transaction_number, client_reference, channel, request
) -> Outcome:
    user = rights.actor_of(who).user
    number = transaction_numbers.normalise(transaction_number)
    # A number no CAD has yet (a release's: "Submit its CAD") starts a new draft, if it is the submitter's.
    new = not number or not Declaration.objects.filter(transaction_number=number).exists()
    if new and number and not transaction_numbers.belongs_to(number, submitter):
        return _rejected(NOT_YOUR_NUMBER)
    with transaction.atomic():
        if not new:
            declaration = Declaration.objects.select_for_update().get(pk=_find(who, number, request).pk)
            if declaration.status != Status.DRAFT or declaration.program_account_id != account.pk:
                return _rejected(Error("not_a_draft", "/transaction_number", _("Only a draft can be saved again.")))
            version = declaration.version(1)
            version.payload, version.created_at = payload, timezone.now()
            for name, value in header.items():
                setattr(version, name, value)
            version.save()
        else:
            declaration = Declaration.objects.create(
                transaction_number=number or transaction_numbers.next_number(submitter),
                program_account=account,
                submitted_by_business=submitter,
                release_date=header.get("release_date"),
            )
            version = DeclarationVersion.objects.create(
                declaration=declaration,
                number=1,
                importer_number=account.number,
                payload=payload,
                client_reference=client_reference,
                channel=channel,
                submitted_by_business=submitter,
                submitted_by=user,
                **header,
            )
        _audit(who, "declarations.draft_saved", version, request, context)
    return Outcome(declaration, version)


# --- changing ----------------------------------------------------------------------------------


def _find(who, transaction_number: str, request=None) -> Declaration:
    """The declaration `who` may change. Out of their reach: 404 (or 403, audited, when they may
    only see it: a reader, an expired service provider)."""
    declaration = (
        visible_declarations(who, rights.Action.TRANSACT).filter(transaction_number=transaction_number).first()
    )
    if declaration is not None:
        return declaration
    seen = visible_declarations(who).filter(transaction_number=transaction_number).first()
    if seen is None:
        if Declaration.objects.filter(transaction_number=transaction_number).exists():
            record(
                "access.denied",
                actor=rights.actor_of(who).user,
                request=request,
                after={"object": "declarations.Declaration", "transaction_number": transaction_number},
            )
        raise Http404
    rights.deny(who, seen, rights.Action.TRANSACT, request)


def _number_error(transaction_number) -> Error | None:
    try:
        transaction_numbers.validate(transaction_number)
    except transaction_numbers.TransactionNumberError as error:
        return Error(error.code, "/transaction_number", error.message)
    return None


def _changeable(declaration, expected_version) -> Error | None:
    if declaration.status == Status.WITHDRAWN:
        return Error("withdrawn", "/transaction_number", _("This CAD was withdrawn: it cannot be changed."))
    if declaration.status == Status.DRAFT:
        return Error("not_submitted", "/transaction_number", _("This CAD is a draft: submit it first."))
    if _as_number(expected_version) is None:
        return Error("required", "/expected_version", _("Name the version you are changing."))
    if _as_number(expected_version) != declaration.latest_version:
        return Error(
            "version_conflict",
            "/expected_version",
            _(
                "Version %(latest)05d was made since you opened version %(expected)s: "
                "reopen the CAD and make your change again."
            )
            % {"latest": declaration.latest_version, "expected": expected_version},
        )
    if declaration.versions.filter(status=Status.PENDING).exists():
        return Error(
            "pending_adjustment",
            "/transaction_number",
            _("An adjustment of this CAD is waiting for a CBSA officer's decision."),
        )
    return None


def _as_number(version) -> int | None:
    """A version as the client names it: 2, "2" or "00002"."""
    try:
        return int(str(version).strip())
    except ValueError:
        return None


def amend(
    who,
    transaction_number: str,
    payload,
    *,
    expected_version: int,
    reason: str = "",
    reason_to_believe_on=None,
    client_reference: str = "",
    channel: str = Channel.PORTAL,
    request=None,
    today: dt.date | None = None,
) -> Outcome:
    """A new version of an accepted CAD, `payload` being the whole declaration as it should now
    read. `expected_version` is the latest version number the person started from;
    `reason_to_believe_on` (optional, YYYY-MM-DD) the day they had reason to believe the declaration
    was wrong: a change more than 90 days later is flagged (Customs Act s.32.2).

    Today on or before the payment due date of the version in force: a correction, accepted at
    once (39), its delta posted (debit or credit) for the coming statement. After it: an
    adjustment, which needs a `reason` and waits for an officer (42). Refused (41): validation
    errors, a withdrawn CAD, a pending adjustment, or a version made since `expected_version`."""
    error = _number_error(transaction_number)
    if error:
        return _rejected(error)
    transaction_number = transaction_numbers.normalise(transaction_number)
    declaration = _find(who, transaction_number, request)
    today = today or timezone.localdate()
    # The number is the path's: a copy in the body is ignored (a broker's copy of the importer's
    # number is not "made from its security number").
    content = {k: v for k, v in payload.items() if k != "transaction_number"} if isinstance(payload, dict) else payload
    checked, errors = validation.check(content, who=who, today=today)
    believed, error = timing.reason_to_believe(reason_to_believe_on, today)
    errors = [*errors, error] if error else errors
    if checked is not None and checked.account.pk != declaration.program_account_id:
        errors = [Error("importer_changed", "/importer", _("A new version cannot change the importer."))]
    if errors:
        _audit_rejection(who, payload, errors, request, transaction_number)
        return _rejected(*errors)
    submitter = checked.submitter
    replay = _replay(submitter, client_reference, payload)
    if replay is not None:
        return replay
    try:
        return _new_version(
            who,
            declaration,
            checked,
            payload,
            expected_version,
            reason,
            client_reference,
            channel,
            request,
            today,
            believed,
        )
    except IntegrityError:  # the same client reference at the same moment: the other one won
        replay = _replay(submitter, client_reference, payload)
        if replay is None:
            raise
        return replay


def is_adjustment(in_force: DeclarationVersion, today: dt.date | None = None) -> bool:
    """Whether a change made `today` is an adjustment (after the payment due date of the version in
    force: CBSA approval, interest) rather than a correction (before it: accepted at once)."""
    if in_force.channel == Channel.LEGACY:  # a pre-CARM B3, accounted for and paid before CARM (declarations.legacy)
        return True
    today = today or timezone.localdate()
    return in_force.payment_due_date is not None and today > in_force.payment_due_date


def _new_version(
    who, declaration, checked, payload, expected_version, reason, client_reference, channel, request, today, believed
) -> Outcome:
    user, submitter, transaction_number = rights.actor_of(who).user, checked.submitter, declaration.transaction_number
    with transaction.atomic():
        declaration = Declaration.objects.select_for_update().get(pk=declaration.pk)
        error = _changeable(declaration, expected_version)
        in_force = declaration.version()
        adjustment = is_adjustment(in_force, today)
        if error is None and adjustment and not str(reason or "").strip():
            error = Error("reason_required", "/reason", _("An adjustment after the payment due date needs a reason."))
        if error is not None:
            _audit_rejection(who, payload, [error], request, transaction_number)
            return _rejected(error)
        correction = None if adjustment else timing.correction_due(in_force, declaration.program_account, today)
        _keep_original_dates(checked, in_force, correction)
        number = declaration.latest_version + 1
        kind, status = (Kind.ADJUSTMENT, Status.PENDING) if adjustment else (Kind.CORRECTION, Status.ACCEPTED)
        version = _version(
            declaration,
            number,
            kind,
            status,
            checked,
            payload,
            delta=checked.totals["total"] - in_force.total,
            user=user,
            submitter=submitter,
            channel=channel,
            client_reference=client_reference,
            reason=str(reason or "").strip(),
        )
        _time_limits(version, checked, declaration, believed, today)
        _save_versions([version], [checked])
        declaration.latest_version = number
        if status == Status.ACCEPTED:
            declaration.current_version, declaration.total = number, version.total
            declaration.release_date = version.release_date
            # On the statement being billed if filed before it is issued, else the current cycle's.
            _post_assessment(version, version.delta, correction.inputs["billed_on"], request, due_date=correction.day)
        declaration.updated_at = timezone.now()
        declaration.save()
        _audit(who, f"declarations.{kind}", version, request, checked.audit, before={"version": in_force.label})
    return Outcome(declaration, version, warnings=checked.warnings)


def _keep_original_dates(checked, in_force, correction):
    """A new version keeps the accounting deadline, payment due date and lateness of the original
    accounting (late accounting is not repeated by a correction); a correction adds when its own
    change is due (declarations.timing.correction_due)."""
    checked.header.update({name: getattr(in_force, name) for name in ("cad_due_date", "payment_due_date", "is_late")})
    basis = {key: value for key, value in in_force.due_basis.items() if key != "correction"}
    if correction is not None:
        basis["correction"] = correction.as_dict()
    checked.header["due_basis"] = basis
    checked.warnings = [warning for warning in checked.warnings if warning.code != "late_accounting"]


def _time_limits(version, checked, declaration, believed, today):
    """Customs Act s.32.2: flag a change made more than 90 days after the reason to believe.
    s.74(3)(b): flag a refund asked more than four years after the goods were accounted for; an
    officer approves it only with the authority the law gives (decide_adjustment)."""
    version.reason_to_believe_on = believed
    version.correction_late = timing.late_correction(believed, today)
    if version.correction_late:
        checked.warnings.append(timing.LATE_CORRECTION)
    barred = timing.refund_time_barred(timing.accounted_on(declaration.version(1)), today, version.delta)
    if barred is not None:
        version.due_basis = {**version.due_basis, "refund_limit": barred.as_dict()}
        checked.warnings.append(timing.REFUND_TIME_BARRED)


def withdraw(
    who, transaction_number: str, *, expected_version: int, reason: str, request=None, today: dt.date | None = None
) -> Outcome:
    """Withdraw an accepted CAD: a withdrawal version (no lines, totals zero) and the reversal of
    every assessment posted for it. Needs a reason; refused like `amend` on a conflict."""
    user = rights.actor_of(who).user
    error = _number_error(transaction_number)
    if error:
        return _rejected(error)
    transaction_number = transaction_numbers.normalise(transaction_number)
    declaration = _find(who, transaction_number, request)
    today = today or timezone.localdate()
    with transaction.atomic():
        declaration = Declaration.objects.select_for_update().get(pk=declaration.pk)
        error = _changeable(declaration, expected_version)
        if error is None and not str(reason or "").strip():
            error = Error("reason_required", "/reason", _("Give the reason for withdrawing the CAD."))
        if error is not None:
            return _rejected(error)
        in_force = declaration.version()
        number = declaration.latest_version + 1
        submitter, context = validation.acting(who, declaration.program_account)
        version = DeclarationVersion.objects.create(
            declaration=declaration,
            number=number,
            kind=Kind.WITHDRAWAL,
            status=Status.WITHDRAWN,
            importer_number=in_force.importer_number,
            **{name: getattr(in_force, name) for name in HEADER_FIELDS},
            delta=-in_force.total,
            reason=str(reason).strip(),
            submitted_by_business=submitter,
            submitted_by=user,
            submitted_at=timezone.now(),
            channel=in_force.channel,
        )
        for entry in ledger_entries(declaration).filter(entry_type=EntryType.ASSESSMENT, reversals__isnull=True):
            reverse_entry(entry, effective_date=today, posted_by=user, request=request)
        transitions.move(
            declaration,
            Status.WITHDRAWN,
            table=DECLARATION_TRANSITIONS,
            latest_version=number,
            current_version=number,
            total=0,
            updated_at=timezone.now(),
        )
        declaration.refresh_from_db()
        _audit(who, "declarations.withdrawn", version, request, context, before={"version": in_force.label})
    return Outcome(declaration, version)


def decide_adjustment(
    version: DeclarationVersion,
    *,
    approve: bool,
    officer,
    reason: str = "",
    time_limit_override: str = "",
    request=None,
    today: dt.date | None = None,
) -> Outcome:
    """An officer's decision on a pending adjustment. Approved: it becomes the version in force,
    its delta posts today (the statement of the month of approval) and, on a debit, interest from
    the payment due date of the version it changed to today. Rejected (a reason is required):
    nothing posts. A refund asked past the four years of Customs Act s.74(3)(b) is approved only
    with `time_limit_override`: the authority the officer acts under (e.g. s.61(1) to give effect to
    a decision of the CITT or a court), kept on the version. Officers only; audited."""
    rights.require(request or officer, rights.Action.DECIDE_ADJUSTMENTS, request=request)
    today = today or timezone.localdate()
    with transaction.atomic():
        declaration = Declaration.objects.select_for_update().get(pk=version.declaration_id)
        version = DeclarationVersion.objects.get(pk=version.pk)
        if version.status != Status.PENDING:
            return _rejected(Error("not_pending", "/status", _("This adjustment was already decided.")))
        if not approve and not str(reason or "").strip():
            return _rejected(Error("reason_required", "/reason", _("Give the reason for rejecting the adjustment.")))
        override = str(time_limit_override or "").strip()
        if approve and "refund_limit" in version.due_basis and not override:
            return _rejected(timing.OVERRIDE_REQUIRED)
        changed = declaration.version()
        version.decided_by, version.decided_at, version.decision_reason = officer, timezone.now(), str(reason).strip()
        version.time_limit_override = override if approve else ""
        if approve:
            if version.delta > 0 and changed.payment_due_date:
                # A voluntary adjustment by the importer: the prescribed rate (D11-6-5 para. 3, App. B item 1).
                version.interest = interest_owed(version.delta, changed.payment_due_date, today, RateKind.PRESCRIBED)
            _post_assessment(version, version.delta, today, request, posted_by=officer)
            if version.interest > 0:
                post_entry(
                    declaration.program_account,
                    EntryType.INTEREST,
                    version.interest,
                    effective_date=today,
                    source_key=f"CADINT:{declaration.transaction_number}:{version.label}",
                    transaction_number=declaration.transaction_number,
                    document_version=version.label,
                    description="Interest on an adjustment",
                    submitted_by_business=version.submitted_by_business,
                    explanation={
                        "principal": str(version.delta),
                        "from": changed.payment_due_date.isoformat(),
                        "to": today.isoformat(),
                        "compounded": "daily",
                        "rate_kind": RateKind.PRESCRIBED.value,
                        "rule": "D11-6-5 para. 3, Appendix B item 1",
                    },
                    posted_by=officer,
                    request=request,
                )
            declaration.current_version, declaration.total = version.number, version.total
            declaration.release_date = version.release_date
        transitions.move(version, Status.ACCEPTED if approve else Status.REJECTED, table=VERSION_TRANSITIONS)
        version.save()
        declaration.updated_at = timezone.now()
        declaration.save()
        record(
            "declarations.adjustment_approved" if approve else "declarations.adjustment_rejected",
            actor=officer,
            request=request,
            obj=version,
            after={
                "transaction_number": declaration.transaction_number,
                "version": version.label,
                "delta": str(version.delta),
                "interest": str(version.interest),
                "reason": version.decision_reason,
                "time_limit_override": version.time_limit_override,
            },
        )
    return Outcome(declaration, version)


# --- posting and auditing ------------------------------------------------------------------------


def _post_assessment(version, amount, effective_date, request, posted_by=None, due_date=None):
    """The version's duties and taxes (or its delta) to the importer's ledger; nothing when zero."""
    posting = _assessment_posting(version, amount, effective_date, posted_by, due_date=due_date)
    return post_entry(**posting, request=request) if posting else None


def _posting(version, **fields) -> dict:
    """post_entry's arguments for an entry of `version`'s declaration: what every one carries, and `fields`."""
    declaration = version.declaration
    return {
        "program_account": declaration.program_account,
        "transaction_number": declaration.transaction_number,
        "document_version": version.label,
        "submitted_by_business": declaration.submitted_by_business,
        "posted_by": version.submitted_by,
        **fields,
    }


UNBILLED_TYPES = {"10", "13", "21", "30"}  # D17-1-10 field 61: "sauf les types 10, 13, 21 et 30"; field 65


def _assessment_posting(version, amount, effective_date, posted_by=None, due_date=None) -> dict | None:
    """post_entry's arguments for the version's duties and taxes (or its delta); None when zero.
    `due_date` applies to a debit; a credit is available from the day it is posted (ledger.posting).
    A warehouse entry, transfer or export from warehouse (types 10, 13, 21, 30) shows its duties and
    taxes but charges none to the account (D17-1-10 fields 61, 63, 65): nothing is posted for it."""
    if not amount or (version.details or {}).get("cad_type_code") in UNBILLED_TYPES:
        return None
    return _posting(
        version,
        entry_type=EntryType.ASSESSMENT,
        amount=amount,
        effective_date=effective_date,
        due_date=due_date if amount > 0 else None,
        source_key=f"CAD:{version.declaration.transaction_number}:{version.label}",
        description="Commercial accounting declaration" if version.number == 1 else f"CAD {version.get_kind_display()}",
        explanation={name: str(getattr(version, name)) for name in AMOUNT_FIELDS} | {"delta": str(amount)},
        posted_by=posted_by or version.submitted_by,
    )


def _audit(who, action, version, request, context: dict, before=None):
    record(**_audited(who, action, version, context, before), request=request)


def _audited(who, action, version, context: dict, before=None) -> dict:
    """audit.record's arguments for a version saved."""
    declaration = version.declaration
    return {
        "action": action,
        "actor": rights.actor_of(who).user,
        "obj": version,
        **context,
        "before": before,
        "after": {
            "transaction_number": declaration.transaction_number,
            "version": version.label,
            "status": version.status,
            "total": str(version.total),
            "delta": str(version.delta),
        },
    }


def _audit_rejection(who, payload, errors, request, transaction_number=""):
    record(**_rejection(who, payload, errors, transaction_number), request=request)


def _rejection(who, payload, errors, transaction_number="") -> dict:
    """audit.record's arguments for a refused submission or change."""
    if not transaction_number and isinstance(payload, dict):
        transaction_number = str(payload.get("transaction_number") or "")[:20]
    return {
        "action": "declarations.rejected",
        "actor": rights.actor_of(who).user,
        **rights.audit_context(who),
        "after": {"transaction_number": transaction_number, "errors": [error.as_dict() for error in errors[:20]]},
    }


def redetermine(officer, declaration: Declaration, payload, *, reason: str, request=None, today: dt.date | None = None):
    """An officer's re-determination of origin, tariff classification or value for duty (Customs Act
    s.59(1)): `payload` is the whole CAD as it should now read. A new version in force at once
    (an adjustment decided by the officer), its delta posted today. The payload is checked as the
    person who accounted for the goods would have it checked (their rights, their program), the
    deadlines and lateness of the original kept. Officers holding VERIFY_DECLARATIONS; audited.
    Returns an Outcome (errors when the payload does not pass)."""
    rights.require(request or officer, rights.Action.VERIFY_DECLARATIONS, request=request)
    today = today or timezone.localdate()
    if not str(reason or "").strip():
        return _rejected(Error("reason_required", "/reason", _("Give the reasons for the re-determination.")))
    original = declaration.versions.get(number=1)
    checked, errors = _redetermination_checked(declaration, payload, today)
    if errors:
        return _rejected(*errors)
    with transaction.atomic():
        declaration = Declaration.objects.select_for_update().get(pk=declaration.pk)
        if declaration.status == Status.WITHDRAWN or declaration.versions.filter(status=Status.PENDING).exists():
            return _rejected(Error("not_changeable", "/status", _("This declaration cannot be re-determined now.")))
        in_force = declaration.version()
        _keep_original_dates(checked, in_force, None)
        number = declaration.latest_version + 1
        version = _version(
            declaration,
            number,
            Kind.ADJUSTMENT,
            Status.ACCEPTED,
            checked,
            payload,
            delta=checked.totals["total"] - in_force.total,
            user=rights.actor_of(officer).user,
            submitter=original.submitted_by_business,
            channel=Channel.PORTAL,
            reason=str(reason).strip(),
        )
        version.decided_by, version.decided_at = rights.actor_of(officer).user, timezone.now()
        version.decision_reason = version.reason
        _save_versions([version], [checked])
        declaration.latest_version = declaration.current_version = number
        declaration.total, declaration.release_date = version.total, version.release_date
        declaration.updated_at = timezone.now()
        declaration.save()
        _post_assessment(version, version.delta, today, request, posted_by=rights.actor_of(officer).user)
        record(
            "declarations.redetermined",
            actor=rights.actor_of(officer).user,
            request=request,
            obj=version,
            before={"version": in_force.label},
            after={
                "transaction_number": declaration.transaction_number,
                "version": version.label,
                "delta": str(version.delta),
                "reason": version.reason,
            },
        )
    return Outcome(declaration, version)


def _redetermination_checked(declaration: Declaration, payload, today: dt.date):
    """`payload` checked as the person who accounted for the goods would have it checked (their
    rights, their program), the importer unchanged: (Checked, []) or (None, errors)."""
    original = declaration.versions.get(number=1)
    content = {k: v for k, v in payload.items() if k != "transaction_number"} if isinstance(payload, dict) else payload
    checked, errors = validation.check(content, who=original.submitted_by, today=today)
    if checked is not None and checked.account.pk != declaration.program_account_id:
        return None, [Error("importer_changed", "/importer", _("A new version cannot change the importer."))]
    return checked, errors


@dataclass
class RedeterminationPreview:
    """What a re-determination would make of the CAD, nothing saved: the version in force, the
    amounts assessed from `payload` and the change in each."""

    in_force: DeclarationVersion
    checked: validation.Checked | None
    errors: list[Error]

    @property
    def changes(self) -> list[dict]:
        if self.checked is None:
            return []
        before = self.in_force.amounts()
        return [
            {
                "label": DeclarationVersion._meta.get_field(name).verbose_name,
                "before": before[name],
                "after": self.checked.totals[name],
                "change": self.checked.totals[name] - before[name],
            }
            for name in AMOUNT_FIELDS
        ]

    @property
    def delta(self) -> Decimal | None:
        return None if self.checked is None else self.checked.totals["total"] - self.in_force.total


def preview_redetermination(officer, declaration: Declaration, payload, *, request=None, today=None):
    """The delta `redetermine` would post for `payload`, checked the same way, nothing saved.
    Officers holding VERIFY_DECLARATIONS."""
    rights.require(request or officer, rights.Action.VERIFY_DECLARATIONS, request=request)
    checked, errors = _redetermination_checked(declaration, payload, today or timezone.localdate())
    return RedeterminationPreview(declaration.version(), checked, errors)
