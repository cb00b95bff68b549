"""CAD API (/api/v1/declarations): submit, list, read, correct or adjust, withdraw. Every call goes
through declarations.services (the same functions as the pages); look-ups through access.grants.

Responses carry CARM's status (`carm_status`): 39 accepted with duties and taxes, 41 rejected with
validation errors (each with a `field` holding a JSON pointer such as `/lines/2/classification`),
42 adjustment pending approval. A broker's software authenticates with a personal API token
(narrowed to its business) and names the importer it acts for with `X-Acting-For: BN9`."""

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

import rights
from core.api import error_response
from rights.api import AuthorizedAPIMixin, own_rows

from . import explain, fields, services, transaction_numbers
from .fields import Part
from .filters import DeclarationFilter
from .models import (
    AMOUNT_FIELDS,
    LINE_DECLARED,
    VERSION_HEADER,
    Channel,
    Declaration,
    DeclarationLine,
    DeclarationVersion,
    Invoice,
)
from .validation import MAX_LINES, Error

IDEMPOTENCY_HEADER = "Idempotency-Key"
_MONEY = {name: serializers.DecimalField(max_digits=15, decimal_places=2) for name in AMOUNT_FIELDS}


class ErrorOut(serializers.Serializer):
    field = serializers.CharField(allow_null=True, help_text="JSON pointer to the field, e.g. /lines/0/classification")
    code = serializers.CharField()
    message = serializers.CharField()


ERRORS = inline_serializer(
    "DeclarationErrors",
    {"carm_status": serializers.IntegerField(help_text="41: rejected"), "errors": ErrorOut(many=True)},
)


# --- what comes in: generated from the rows of declarations.fields, which the validator reads too ----------


def field_examples(result, generator, request, public):
    """drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS): every request field of a CAD
    documented with its row's example (declarations.fields), which a DRF field cannot carry."""
    schemas = result.get("components", {}).get("schemas", {})
    for component, part in (
        ("DeclarationInRequest", Part.HEADER),
        ("InvoiceInRequest", Part.INVOICE),
        ("LineInRequest", Part.LINE),
    ):
        properties = schemas.get(component, {}).get("properties", {})
        for name, row in fields.BY_PART[part].items():
            if name in properties:
                properties[name]["example"] = row.example
    return result


InvoiceIn = fields.serializer(Part.INVOICE, "InvoiceIn")
LineIn = fields.serializer(Part.LINE, "LineIn")
DeclarationIn = fields.serializer(
    Part.HEADER,
    "DeclarationIn",
    {
        "invoices": InvoiceIn(many=True, help_text="At least one"),
        "lines": LineIn(many=True, help_text=f"At least one, at most {MAX_LINES}"),
    },
)


# A version number is a DeclarationVersion.number (PositiveIntegerField): an integer column on PostgreSQL.
VERSION_NUMBER_MAX = 2**31 - 1


class ChangeIn(serializers.Serializer):
    expected_version = serializers.IntegerField(
        min_value=1, max_value=VERSION_NUMBER_MAX, help_text="The latest version you started from"
    )
    reason = serializers.CharField(required=False, help_text="Required for an adjustment (after the due date)")
    reason_to_believe_on = serializers.DateField(
        required=False, help_text="Since when you had reason to believe the declaration was wrong (Customs Act s.32.2)"
    )
    declaration = DeclarationIn(help_text="The whole declaration as it should now read")


class WithdrawIn(serializers.Serializer):
    expected_version = serializers.IntegerField(min_value=1, max_value=VERSION_NUMBER_MAX)
    reason = serializers.CharField()


class BatchItemIn(serializers.Serializer):
    client_reference = serializers.CharField(
        required=False,
        max_length=64,
        help_text="Your reference for this CAD (at most 64 characters): sending it again returns its first outcome",
    )
    declaration = DeclarationIn()


class BatchIn(serializers.Serializer):
    declarations = BatchItemIn(many=True, help_text=f"At most {services.BATCH_LIMIT} CADs")


# --- what goes out -------------------------------------------------------------------------------


class InvoiceOut(serializers.ModelSerializer):
    class Meta:
        model = Invoice
        fields = [
            "number",
            "amount",
            "currency",
            "shipment_date",
            "vendor_name",
            "vendor_address",
            "vendor_country",
            "details",
        ]


class LineOut(serializers.ModelSerializer):
    class Meta:
        model = DeclarationLine
        fields = ["number", *LINE_DECLARED, "rate", *AMOUNT_FIELDS]


class VersionSummary(serializers.Serializer):
    version = serializers.CharField(source="label")
    kind = serializers.CharField()
    status = serializers.CharField()
    total = serializers.DecimalField(max_digits=15, decimal_places=2)
    delta = serializers.DecimalField(max_digits=15, decimal_places=2)
    submitted_at = serializers.DateTimeField(allow_null=True)


class DeclarationOut(serializers.Serializer):
    """One version of a declaration, with the list of all its versions."""

    transaction_number = serializers.CharField()
    carm_status = serializers.IntegerField(help_text="39 accepted, 42 pending approval, 200 draft")
    status = serializers.CharField(help_text="The declaration's: draft, accepted or withdrawn")
    version = serializers.CharField(help_text="00001, 00002, ...")
    version_kind = serializers.CharField()
    version_status = serializers.CharField(help_text="draft, accepted, pending, rejected (by an officer), withdrawn")
    version_in_force = serializers.CharField()
    importer = serializers.CharField()
    declarant = serializers.CharField(allow_blank=True)
    submitted_by = serializers.CharField(help_text="BN9 of the business that submitted this version")
    mode_of_transport = serializers.CharField()
    release_office = serializers.CharField()
    release_date = serializers.DateField(allow_null=True)
    release_time = serializers.TimeField(allow_null=True)
    cargo_control_number = serializers.CharField(allow_blank=True)
    cad_type = serializers.CharField()
    details = serializers.JSONField(
        help_text="The other D17-1-10 header fields declared, by their request names (e.g. cad_type_code, "
        "region, warehouse_subtype, carrier_code, gross_weight, freight)"
    )
    cad_due_date = serializers.DateField(allow_null=True)
    payment_due_date = serializers.DateField(allow_null=True)
    late = serializers.BooleanField(help_text="Accounted after the 5-business-day deadline (AMPS C288)")
    totals = inline_serializer("DeclarationTotals", _MONEY)
    d17_totals = serializers.DictField(
        child=serializers.DecimalField(max_digits=15, decimal_places=2),
        help_text="The header totals of D17-1-10 by field number (99 to 116): e.g. 99 total value for duty, "
        "105 before provincial levies, 106 customs duties, 109 GST, 113 safeguard, 114 interest, 115 with interest, "
        "116 provincial levies included (what is billed)",
    )
    delta = serializers.DecimalField(max_digits=15, decimal_places=2, help_text="Change this version posted")
    interest = serializers.DecimalField(max_digits=15, decimal_places=2)
    reason = serializers.CharField(allow_blank=True)
    due_basis = serializers.JSONField(
        help_text="Why each date is what it is: {deadline, payment, correction, refund_limit: "
        "{day, rule, source, inputs, penalty}} (declarations.timing)"
    )
    reason_to_believe_on = serializers.DateField(allow_null=True)
    correction_late = serializers.BooleanField(help_text="Made more than 90 days after the reason to believe (s.32.2)")
    invoices = InvoiceOut(many=True)
    lines = LineOut(many=True)
    versions = VersionSummary(many=True)
    warnings = ErrorOut(many=True)


def represent(version, warnings=()) -> dict:
    declaration, lines = version.declaration, list(version.lines.all())
    return DeclarationOut(
        {
            "transaction_number": declaration.transaction_number,
            "carm_status": services.CODES[version.status],
            "status": declaration.status,
            "version": version.label,
            "version_kind": version.kind,
            "version_status": version.status,
            "version_in_force": f"{declaration.current_version:05d}",
            "importer": version.importer_number,
            "declarant": version.declarant_number,
            "submitted_by": version.submitted_by_business.bn9,
            **{
                name: getattr(version, name)
                for name in [*VERSION_HEADER, "delta", "interest", "reason"]
                if name not in ("declarant_number", "is_late")  # named "declarant" and "late" here
            },
            "late": version.is_late,
            "due_basis": version.due_basis,
            "reason_to_believe_on": version.reason_to_believe_on,
            "correction_late": version.correction_late,
            "totals": version.amounts(),
            "d17_totals": {str(number): amount for number, amount in explain.header_totals(version, lines).items()},
            "invoices": version.invoices.all(),
            "lines": lines,
            "versions": declaration.versions.order_by("number"),
            "warnings": [warning.as_dict() for warning in warnings],
        }
    ).data


class DeclarationRow(serializers.ModelSerializer):
    program_account = serializers.CharField(source="program_account.number")
    submitted_by = serializers.CharField(source="submitted_by_business.bn9")
    version_in_force = serializers.SerializerMethodField()
    latest_version = serializers.SerializerMethodField()

    class Meta:
        model = Declaration
        fields = [
            "transaction_number",
            "program_account",
            "submitted_by",
            "status",
            "version_in_force",
            "latest_version",
            "release_date",
            "total",
            "updated_at",
        ]

    def get_version_in_force(self, declaration) -> str:
        return f"{declaration.current_version:05d}"

    def get_latest_version(self, declaration) -> str:
        return f"{declaration.latest_version:05d}"


class BatchResultOut(serializers.Serializer):
    index = serializers.IntegerField(help_text="Position in the request, from 0")
    client_reference = serializers.CharField(allow_blank=True)
    http_status = serializers.IntegerField(
        help_text="What submitting this CAD alone answers: 201, 200 (replay), 400, 409"
    )
    carm_status = serializers.IntegerField(help_text="39 accepted, 41 rejected")
    transaction_number = serializers.CharField(allow_null=True)
    version = serializers.CharField(allow_null=True)
    total = serializers.DecimalField(max_digits=15, decimal_places=2, allow_null=True, help_text="Duties and taxes")
    replayed = serializers.BooleanField(help_text="An earlier submission of this client reference: nothing new done")
    errors = ErrorOut(many=True, help_text="Pointers are into this item's declaration")
    warnings = ErrorOut(many=True)


class BatchOut(serializers.Serializer):
    accepted = serializers.IntegerField()
    rejected = serializers.IntegerField()
    results = BatchResultOut(many=True)


def _batch_result(index: int, client_reference: str, outcome: services.Outcome) -> dict:
    version = None if outcome.errors else outcome.version
    http = status.HTTP_409_CONFLICT if outcome.conflict else status.HTTP_400_BAD_REQUEST
    if version is not None:
        http = status.HTTP_200_OK if outcome.replayed else status.HTTP_201_CREATED
    return {
        "index": index,
        "client_reference": client_reference,
        "http_status": http,
        "carm_status": outcome.code,
        "transaction_number": version and version.declaration.transaction_number,
        "version": version and version.label,
        "total": version and version.total,
        "replayed": outcome.replayed,
        "errors": [error.as_dict() for error in outcome.errors],
        "warnings": [warning.as_dict() for warning in outcome.warnings],
    }


def _answer(outcome: services.Outcome, created: bool) -> Response:
    if outcome.errors:
        http = status.HTTP_409_CONFLICT if outcome.conflict else status.HTTP_400_BAD_REQUEST
        return Response({"carm_status": outcome.code, "errors": [e.as_dict() for e in outcome.errors]}, status=http)
    http = status.HTTP_201_CREATED if created and not outcome.replayed else status.HTTP_200_OK
    return Response(represent(outcome.version, outcome.warnings), status=http)


def _unknowable_version(serializer, data) -> Response | None:
    """The structured 400 for an expected_version no version can have (`serializer`'s bounds: not
    positive, or beyond the column); a missing one is left to the services, which say so."""
    value = data.get("expected_version")
    if value is None or value == "":
        return None
    try:
        serializer().fields["expected_version"].run_validation(value)
    except ValidationError as error:
        refused = Error(error.detail[0].code, "/expected_version", str(error.detail[0]))
        return _answer(services.Outcome(errors=[refused]), created=False)
    return None


def _idempotency_key(request) -> str:
    key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
    if len(key) > 64:
        raise ValidationError({IDEMPOTENCY_HEADER: [_("Use at most 64 characters.")]}, code="too_long")
    return key


# --- examples ------------------------------------------------------------------------------------

SUBMISSION = {
    "importer": "123456782RM0001",
    "declarant": "123026635RM0001",
    "mode_of_transport": "2",
    "release_office": "0453",
    "release_date": "2025-03-20",
    "cargo_control_number": "8000ABC123456",
    "cad_type": "rpp",
    "invoices": [
        {
            "number": "INV-1",
            "amount": "30000.00",
            "currency": "CAD",
            "shipment_date": "2025-03-18",
            "vendor_name": "Eaux de France SA",
            "vendor_address": "1 rue de la Source, Evian",
            "vendor_country": "FR",
        }
    ],
    "lines": [
        {
            "invoice": "INV-1",
            "narrative": "Spring water, 500 mL bottles",
            "classification": "2201900000",
            "tariff_treatment": "MFN",
            "origin": "FR",
            "export_country": "FR",
            "vfd_code": "13",
            "quantity": "3000",
            "unit": "LTR",
            "value": "30000.00",
        }
    ],
}
TOTALS = {
    "vfd": "30000.00",
    "customs_duty": "1950.00",
    "sima": "0.00",
    "surtax": "0.00",
    "excise_duty": "0.00",
    "excise_tax": "0.00",
    "value_for_tax": "31950.00",
    "gst": "1597.50",
    "total": "3547.50",
}
ACCEPTED = {
    "transaction_number": "10000000000012",
    "carm_status": 39,
    "status": "accepted",
    "version": "00001",
    "version_kind": "original",
    "version_status": "accepted",
    "version_in_force": "00001",
    "importer": "123456782RM0001",
    "declarant": "123026635RM0001",
    "submitted_by": "123026635",
    "mode_of_transport": "2",
    "release_office": "0453",
    "release_date": "2025-03-20",
    "release_time": None,
    "cargo_control_number": "8000ABC123456",
    "cad_type": "rpp",
    "cad_due_date": "2025-03-27",
    "payment_due_date": "2025-05-01",
    "late": False,
    "due_basis": {
        "deadline": {
            "day": "2025-03-27",
            "rule": "five_business_days",
            "source": "Customs Act s.32(3); AMPS C288",
            "inputs": {"release_date": "2025-03-20", "program": "regular", "estimated_vfd": "30000.00"},
            "penalty": "C288",
        },
        "payment": {
            "day": "2025-05-01",
            "rule": "prescribed_day",
            "source": "Customs Act s.33.4(2)(a); SOR/86-1062 s.2.1",
            "inputs": {"accounted_on": "2025-03-20", "deadline": "2025-03-27", "billed_on": "2025-03-20"},
            "penalty": "",
        },
    },
    "reason_to_believe_on": None,
    "correction_late": False,
    "totals": TOTALS,
    "delta": "3547.50",
    "interest": "0.00",
    "reason": "",
    "invoices": SUBMISSION["invoices"],
    "lines": [
        {
            **SUBMISSION["lines"][0],
            "number": 1,
            "invoice_number": "INV-1",
            "rate": "6.5 %",
            "currency": "CAD",
            "exchange_rate": "1.00000000",
            **TOTALS,
        }
    ],
    "versions": [
        {
            "version": "00001",
            "kind": "original",
            "status": "accepted",
            "total": "3547.50",
            "delta": "3547.50",
            "submitted_at": "2025-03-21T14:02:11Z",
        }
    ],
    "warnings": [],
}
REJECTED = OpenApiExample(
    "Rejected (41)",
    response_only=True,
    status_codes=["400"],
    value={
        "carm_status": 41,
        "errors": [
            {
                "field": "/lines/0/classification",
                "code": "unknown_classification",
                "message": "This classification number is not in the tariff in force on the shipment date.",
            },
            {"field": "/lines/1/unit", "code": "unit_mismatch", "message": "This classification is declared in LTR."},
        ],
    },
)
CONFLICT = OpenApiExample(
    "Changed meanwhile (41, HTTP 409)",
    response_only=True,
    status_codes=["409"],
    value={
        "carm_status": 41,
        "errors": [
            {
                "field": "/expected_version",
                "code": "version_conflict",
                "message": "Version 00003 was made since you opened version 2: reopen the CAD "
                "and make your change again.",
            }
        ],
    },
)
NOT_FOUND = OpenApiExample(
    "Out of reach",
    response_only=True,
    status_codes=["404"],
    value={"errors": [{"field": None, "code": "not_found", "message": "Not found."}]},
)
IDEMPOTENCY = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Your reference for this request (at most 64 characters): sending it again returns the first "
    "outcome instead of declaring twice.",
)
TRANSACTION_NUMBER = OpenApiParameter("transaction_number", str, OpenApiParameter.PATH, description="14 digits")


# --- views ---------------------------------------------------------------------------------------


class DeclarationScope(AuthorizedAPIMixin):
    def declaration(self, number: str) -> Declaration:
        try:
            number = transaction_numbers.validate(number)
        except transaction_numbers.TransactionNumberError as error:
            raise ValidationError({"transaction_number": [error.message]}, code=error.code) from None
        return rights.get_visible_or_404(
            services.visible_declarations(self.request), self.request, transaction_number=number
        )


@extend_schema(tags=["declarations"])
class DeclarationList(DeclarationScope, generics.ListAPIView):
    serializer_class = DeclarationRow

    filter_backends = [DjangoFilterBackend]
    filterset_class = DeclarationFilter  # the page's filters (declarations.views.declaration_list)

    def get_queryset(self):
        return (
            own_rows(services.visible_declarations(self.request), self.request)
            .select_related("program_account", "submitted_by_business")
            .order_by("-release_date", "-transaction_number")
        )

    @extend_schema(summary="Declarations I may see (delegation visibility applies)")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="submit_declaration",
        summary="Submit a commercial accounting declaration",
        description="Validated, assessed and, when accepted (39), posted to the importer's ledger with the "
        "payment due date of the release's billing period. Rejected (41): every error with a JSON pointer; "
        "nothing saved or posted.",
        parameters=[IDEMPOTENCY],
        request=DeclarationIn,
        responses={201: DeclarationOut, 200: DeclarationOut, 400: ERRORS, 409: ERRORS},
        examples=[
            OpenApiExample("A broker declares for Maple Leaf", request_only=True, value=SUBMISSION),
            OpenApiExample("Accepted (39)", response_only=True, status_codes=["201"], value=ACCEPTED),
            REJECTED,
        ],
    )
    def post(self, request, *args, **kwargs):
        outcome = services.submit(
            request, request.data, client_reference=_idempotency_key(request), channel=Channel.API, request=request
        )
        return _answer(outcome, created=True)


BATCH_EXAMPLE = {
    "declarations": [
        {"client_reference": "ACME-2025-000101", "declaration": SUBMISSION},
        {
            "client_reference": "ACME-2025-000102",
            "declaration": {**SUBMISSION, "lines": [{**SUBMISSION["lines"][0], "classification": "2201909999"}]},
        },
    ]
}
BATCH_ANSWER = {
    "accepted": 1,
    "rejected": 1,
    "results": [
        {
            "index": 0,
            "client_reference": "ACME-2025-000101",
            "http_status": 201,
            "carm_status": 39,
            "transaction_number": "10000000000012",
            "version": "00001",
            "total": "3547.50",
            "replayed": False,
            "errors": [],
            "warnings": [],
        },
        {
            "index": 1,
            "client_reference": "ACME-2025-000102",
            "http_status": 400,
            "carm_status": 41,
            "transaction_number": None,
            "version": None,
            "total": None,
            "replayed": False,
            "errors": [REJECTED.value["errors"][0]],
            "warnings": [],
        },
    ],
}


@extend_schema(tags=["declarations"])
class DeclarationBatch(AuthorizedAPIMixin, APIView):
    @extend_schema(
        operation_id="submit_declarations",
        summary="Submit many commercial accounting declarations at once (EDI-style bulk)",
        description=f"Up to {services.BATCH_LIMIT} CADs, each validated, assessed and posted on its own as by "
        "`POST /api/v1/declarations`: a rejected CAD does not stop the others. The answer (207 Multi-Status) "
        "gives each CAD's outcome in the order sent, with the HTTP status submitting it alone would have "
        "had. Idempotent per CAD: an item repeating a `client_reference` already used by your business "
        "returns that CAD's first outcome (`replayed`); a different declaration under it is refused (409). "
        "A batch that is too large or not a list is refused as a whole (400), nothing saved.",
        request=BatchIn,
        responses={207: BatchOut, 400: ERRORS},
        examples=[
            OpenApiExample("Two CADs for Maple Leaf", request_only=True, value=BATCH_EXAMPLE),
            OpenApiExample("One accepted, one rejected", response_only=True, status_codes=["207"], value=BATCH_ANSWER),
            OpenApiExample(
                "Too many CADs",
                response_only=True,
                status_codes=["400"],
                value={
                    "errors": [
                        {
                            "field": "/declarations",
                            "code": "batch_too_large",
                            "message": f"Send at most {services.BATCH_LIMIT} CADs in one batch.",
                        }
                    ]
                },
            ),
        ],
    )
    def post(self, request):
        items = request.data.get("declarations") if isinstance(request.data, dict) else None
        if not isinstance(items, list) or not items:
            return error_response("/declarations", "required", _('Send {"declarations": [...]}, a list of CADs.'))
        if len(items) > services.BATCH_LIMIT:
            return error_response(
                "/declarations",
                "batch_too_large",
                _("Send at most %(limit)s CADs in one batch.") % {"limit": services.BATCH_LIMIT},
            )
        references, refused = [], {}
        for index, item in enumerate(items):
            reference = item.get("client_reference") if isinstance(item, dict) else None
            reference = "" if reference is None else reference
            if not isinstance(reference, str) or len(reference.strip()) > 64:
                message = _("Use at most %(limit)s characters.") % {"limit": 64}
                refused[index] = services.Outcome(errors=[Error("too_long", "/client_reference", message)])
            references.append(str(reference).strip())
        sent = [i for i in range(len(items)) if i not in refused]
        outcomes = services.submit_batch(
            request,
            [(references[i], items[i].get("declaration") if isinstance(items[i], dict) else None) for i in sent],
            channel=Channel.API,
            request=request,
        )
        outcomes = refused | dict(zip(sent, outcomes, strict=True))
        results = [_batch_result(i, references[i], outcomes[i]) for i in range(len(items))]
        accepted = sum(1 for result in results if not result["errors"])
        body = {"accepted": accepted, "rejected": len(results) - accepted, "results": results}
        return Response(BatchOut(body).data, status=status.HTTP_207_MULTI_STATUS)


@extend_schema(tags=["declarations"])
class DeclarationDetail(DeclarationScope, APIView):
    @extend_schema(
        operation_id="get_declaration",
        summary="A declaration: the version in force, or ?version=N",
        parameters=[TRANSACTION_NUMBER, OpenApiParameter("version", int, description="A version number")],
        responses={200: DeclarationOut, 400: ERRORS, 404: ERRORS},
        examples=[OpenApiExample("Accepted", response_only=True, status_codes=["200"], value=ACCEPTED), NOT_FOUND],
    )
    def get(self, request, transaction_number):
        declaration = self.declaration(transaction_number)
        number = request.query_params.get("version") or declaration.current_version
        try:
            version = declaration.versions.select_related("declaration", "submitted_by_business").get(
                number=int(number)
            )
        except (ValueError, DeclarationVersion.DoesNotExist):
            return Response(
                {
                    "errors": [
                        {
                            "field": "version",
                            "code": "unknown_version",
                            "message": str(_("This CAD has no such version.")),
                        }
                    ]
                },
                status=404,
            )
        return Response(represent(version))


@extend_schema(tags=["declarations"])
class VersionCreate(DeclarationScope, APIView):
    @extend_schema(
        operation_id="amend_declaration",
        summary="Correct (before the payment due date) or adjust (after it) a declaration",
        description="A correction is accepted at once (39) and its delta posted for the coming statement. An "
        "adjustment needs a reason and waits for a CBSA officer (42). A version made since `expected_version` "
        "is a conflict (409): nothing is merged.",
        parameters=[TRANSACTION_NUMBER, IDEMPOTENCY],
        request=ChangeIn,
        responses={201: DeclarationOut, 200: DeclarationOut, 400: ERRORS, 404: ERRORS, 409: ERRORS},
        examples=[
            OpenApiExample(
                "An adjustment",
                request_only=True,
                value={
                    "expected_version": 1,
                    "reason": "Classification corrected after a ruling",
                    "declaration": SUBMISSION,
                },
            ),
            OpenApiExample(
                "Pending approval (42)",
                response_only=True,
                status_codes=["201"],
                value={
                    **ACCEPTED,
                    "carm_status": 42,
                    "version": "00002",
                    "version_kind": "adjustment",
                    "version_status": "pending",
                    "reason": "Classification corrected after a ruling",
                    "delta": "0.00",
                },
            ),
            REJECTED,
            CONFLICT,
            NOT_FOUND,
        ],
    )
    def post(self, request, transaction_number):
        data = request.data if isinstance(request.data, dict) else {}
        if refused := _unknowable_version(ChangeIn, data):
            return refused
        outcome = services.amend(
            request,
            transaction_number,
            data.get("declaration"),
            expected_version=data.get("expected_version"),
            reason=str(data.get("reason") or ""),
            reason_to_believe_on=data.get("reason_to_believe_on"),
            client_reference=_idempotency_key(request),
            channel=Channel.API,
            request=request,
        )
        return _answer(outcome, created=True)


@extend_schema(tags=["declarations"])
class Withdraw(DeclarationScope, APIView):
    @extend_schema(
        operation_id="withdraw_declaration",
        summary="Withdraw a declaration: what it posted is reversed",
        parameters=[TRANSACTION_NUMBER],
        request=WithdrawIn,
        responses={200: DeclarationOut, 400: ERRORS, 404: ERRORS, 409: ERRORS},
        examples=[
            OpenApiExample(
                "Withdraw", request_only=True, value={"expected_version": 1, "reason": "Goods returned unopened"}
            ),
            CONFLICT,
            NOT_FOUND,
        ],
    )
    def post(self, request, transaction_number):
        data = request.data if isinstance(request.data, dict) else {}
        if refused := _unknowable_version(WithdrawIn, data):
            return refused
        outcome = services.withdraw(
            request,
            transaction_number,
            expected_version=data.get("expected_version"),
            reason=str(data.get("reason") or ""),
            request=request,
        )
        return _answer(outcome, created=False)
