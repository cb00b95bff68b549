"""Appeals and compliance API (/api/v1/appeals...): read penalty notices, statements of adjustment
and requests; file a penalty appeal (s.129) or a request for re-determination (s.60); add a
document. The same services as the pages; structured, translated errors. A broker names the
importer with `X-Acting-For: BN9`."""

from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

import rights
from declarations import services as declarations
from declarations.models import AMOUNT_FIELDS, Declaration
from penalties import services as penalties
from penalties.models import PenaltyNotice
from rights import Action
from rights.api import AuthorizedAPIMixin

from . import services
from .models import Appeal, StatementOfAdjustment


class AppealErrorOut(serializers.Serializer):
    field = serializers.CharField(allow_null=True)
    code = serializers.CharField()
    message = serializers.CharField()


ERRORS = inline_serializer("AppealErrors", {"errors": AppealErrorOut(many=True)})


def _refused(error: services.RecourseError) -> Response:
    return Response({"errors": [error.as_dict()]}, status=status.HTTP_400_BAD_REQUEST)


class NoticeOut(serializers.ModelSerializer):
    program_account = serializers.CharField(source="program_account.number")
    appeal_deadline = serializers.SerializerMethodField()

    class Meta:
        model = PenaltyNotice
        fields = ["number", "program_account", "contravention", "level", "amount", "status", "transaction_number"]
        fields += ["occurred_on", "issued_on", "due_date", "appeal_deadline"]

    def get_appeal_deadline(self, notice) -> str:
        return penalties.appeal_deadline(notice).isoformat()


class StatementOut(serializers.ModelSerializer):
    program_account = serializers.CharField(source="program_account.number")
    transaction_number = serializers.CharField(source="declaration.transaction_number")
    version = serializers.CharField(source="version.label")
    request_deadline = serializers.DateField()

    class Meta:
        model = StatementOfAdjustment
        fields = ["number", "program_account", "transaction_number", "version", "issue", "subject", "reasons"]
        fields += ["delta", "issued_on", "request_deadline"]


class AppealOut(serializers.ModelSerializer):
    program_account = serializers.CharField(source="program_account.number")
    notice = serializers.CharField(source="notice.number", allow_null=True)
    statements = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)
    further_recourse_deadline = serializers.DateField()

    class Meta:
        model = Appeal
        fields = ["number", "kind", "status", "program_account", "notice", "statements", "filed_on", "deadline"]
        fields += ["grounds", "late_reason", "disputed", "secured", "rationale", "documents_until", "decision"]
        fields += ["decision_reasons", "relief", "interest", "decided_on", "further_recourse_deadline"]


class Overview(AuthorizedAPIMixin, APIView):
    @extend_schema(
        operation_id="appeals_overview",
        summary="Every penalty notice, statement of adjustment and request the caller may see",
        responses={
            200: inline_serializer(
                "AppealsOverview",
                {
                    "notices": NoticeOut(many=True),
                    "statements": StatementOut(many=True),
                    "appeals": AppealOut(many=True),
                },
            )
        },
    )
    def get(self, request):
        seen = services.client_overview(request)
        return Response(
            {
                "notices": NoticeOut([row["notice"] for row in seen["notices"]], many=True).data,
                "statements": StatementOut([row["statement"] for row in seen["statements"]], many=True).data,
                "appeals": AppealOut(seen["appeals"], many=True).data,
            }
        )


PENALTY_APPEAL_IN = inline_serializer(
    "PenaltyAppealIn", {"grounds": serializers.CharField(), "late_reason": serializers.CharField(required=False)}
)


class NoticeAppeal(AuthorizedAPIMixin, APIView):
    @extend_schema(
        operation_id="appeal_penalty",
        summary="Appeal a penalty notice (Customs Act s.129): within 90 days, later with a reason up to a year",
        request=PENALTY_APPEAL_IN,
        responses={201: AppealOut, 400: ERRORS, 404: ERRORS},
        examples=[
            OpenApiExample("On time", value={"grounds": "The certificate of origin was valid."}, request_only=True),
            OpenApiExample(
                "Refused: late without a reason",
                value={
                    "errors": [
                        {
                            "field": "late_reason",
                            "code": "late_reason_required",
                            "message": "The 90 days ended on 2025-04-06: say why the appeal could not be made on time "
                            "(s.129.1(2)).",
                        }
                    ]
                },
                response_only=True,
                status_codes=["400"],
            ),
        ],
    )
    def post(self, request, number):
        notice = rights.get_visible_or_404(
            PenaltyNotice.objects.visible_to(request, Action.VIEW), request, number=number
        )
        body = request.data if isinstance(request.data, dict) else {}
        try:
            appeal = services.appeal_penalty(
                request,
                notice,
                grounds=str(body.get("grounds") or ""),
                late_reason=str(body.get("late_reason") or ""),
                request=request,
            )
        except services.RecourseError as error:
            return _refused(error)
        return Response(AppealOut(appeal).data, status=status.HTTP_201_CREATED)


class StatementRequest(AuthorizedAPIMixin, APIView):
    @extend_schema(
        operation_id="request_redetermination",
        summary="Request a re-determination (Customs Act s.60): within 90 days, once paid; statements on the "
        "same issue are grouped",
        request=inline_serializer("RedeterminationIn", {"grounds": serializers.CharField()}),
        responses={201: AppealOut, 400: ERRORS, 404: ERRORS},
        examples=[
            OpenApiExample(
                "Request", value={"grounds": "The royalties are not a condition of sale."}, request_only=True
            )
        ],
    )
    def post(self, request, number):
        statement = rights.get_visible_or_404(
            StatementOfAdjustment.objects.visible_to(request, Action.VIEW), request, number=number
        )
        body = request.data if isinstance(request.data, dict) else {}
        try:
            appeal = services.request_redetermination(
                request, statement, grounds=str(body.get("grounds") or ""), request=request
            )
        except services.RecourseError as error:
            return _refused(error)
        return Response(AppealOut(appeal).data, status=status.HTTP_201_CREATED)


class AppealDetail(AuthorizedAPIMixin, APIView):
    @extend_schema(
        operation_id="read_appeal",
        summary="A request: status, rationale, decision",
        responses={200: AppealOut, 404: ERRORS},
    )
    def get(self, request, number):
        return Response(
            AppealOut(
                rights.get_visible_or_404(Appeal.objects.visible_to(request, Action.VIEW), request, number=number)
            ).data
        )


class AppealDocuments(AuthorizedAPIMixin, APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="add_appeal_document",
        summary="Add a document (PDF, PNG or JPEG; 10 MB at most) while the request accepts them",
        request={"multipart/form-data": inline_serializer("AppealDocumentIn", {"file": serializers.FileField()})},
        responses={201: AppealOut, 400: ERRORS, 404: ERRORS},
    )
    def post(self, request, number):
        appeal = rights.get_visible_or_404(Appeal.objects.visible_to(request, Action.VIEW), request, number=number)
        try:
            services.add_document(request, appeal, request.FILES.get("file"), request=request)
        except services.RecourseError as error:
            return _refused(error)
        return Response(AppealOut(appeal).data, status=status.HTTP_201_CREATED)


REDETERMINATION_IN = inline_serializer(
    "RedeterminationByOfficerIn",
    {
        "transaction_number": serializers.CharField(),
        "issue": serializers.ChoiceField(choices=["origin", "classification", "value"]),
        "subject": serializers.CharField(),
        "reasons": serializers.CharField(),
        "payload": serializers.JSONField(help_text="The whole CAD as it should now read (as in POST /declarations)."),
    },
)


def _declaration(request, body) -> Declaration:
    """The CAD named in the body, once the caller is known to hold VERIFY_DECLARATIONS (before saying
    whether it exists)."""
    rights.require(request, Action.VERIFY_DECLARATIONS, request=request)
    declaration = Declaration.objects.filter(transaction_number=str(body.get("transaction_number") or "")).first()
    if declaration is None:
        raise NotFound()
    return declaration


class RedeterminationPreview(AuthorizedAPIMixin, APIView):
    @extend_schema(
        operation_id="preview_redetermination",
        summary="Officers (VERIFY_DECLARATIONS): what a re-determination of the CAD would change, nothing saved",
        request=inline_serializer(
            "RedeterminationPreviewIn",
            {"transaction_number": serializers.CharField(), "payload": serializers.JSONField()},
        ),
        responses={
            200: inline_serializer(
                "RedeterminationPreviewOut",
                {
                    "transaction_number": serializers.CharField(),
                    "version_in_force": serializers.CharField(),
                    "delta": serializers.DecimalField(max_digits=15, decimal_places=2),
                    "changes": inline_serializer(
                        "RedeterminationChange",
                        {
                            "amount": serializers.CharField(),
                            "before": serializers.DecimalField(max_digits=15, decimal_places=2),
                            "after": serializers.DecimalField(max_digits=15, decimal_places=2),
                            "change": serializers.DecimalField(max_digits=15, decimal_places=2),
                        },
                        many=True,
                    ),
                },
            ),
            400: ERRORS,
            403: ERRORS,
            404: ERRORS,
        },
    )
    def post(self, request):
        body = request.data if isinstance(request.data, dict) else {}
        declaration = _declaration(request, body)
        preview = declarations.preview_redetermination(request, declaration, body.get("payload"), request=request)
        if preview.errors:
            return Response({"errors": [e.as_dict() for e in preview.errors]}, status=status.HTTP_400_BAD_REQUEST)
        return Response(
            {
                "transaction_number": declaration.transaction_number,
                "version_in_force": preview.in_force.label,
                "delta": str(preview.delta),
                "changes": [
                    {"amount": name} | {key: str(row[key]) for key in ("before", "after", "change")}
                    for name, row in zip(AMOUNT_FIELDS, preview.changes, strict=True)
                ],
            }
        )


class Redeterminations(AuthorizedAPIMixin, APIView):
    @extend_schema(
        operation_id="redetermine_declaration",
        summary="Officers (VERIFY_DECLARATIONS): re-determine a CAD (Customs Act s.59); the importer gets a "
        "Statement of Adjustment",
        request=REDETERMINATION_IN,
        responses={201: StatementOut, 400: ERRORS, 403: ERRORS, 404: ERRORS},
    )
    def post(self, request):
        body = request.data if isinstance(request.data, dict) else {}
        declaration = _declaration(request, body)
        try:
            statement = services.redetermine(
                request,
                declaration,
                body.get("payload"),
                issue=str(body.get("issue") or ""),
                subject=str(body.get("subject") or ""),
                reasons=str(body.get("reasons") or ""),
                request=request,
            )
        except services.RecourseError as error:
            return _refused(error)
        return Response(StatementOut(statement).data, status=status.HTTP_201_CREATED)
