"""Releases API: the goods the caller may see released and not yet accounted for
(/api/v1/releases/awaiting); for CBSA, recording a release (/api/v1/releases) and releasing a paid
cash CAD (/api/v1/declarations/{tn}/release). The same services as the pages."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

import rights
from core.api import error_response, errors_schema
from declarations.models import Declaration
from rights import Action
from rights.api import AuthorizedAPIMixin

from . import services
from .forms import ReleaseForm
from .models import Mode, Release

AWAITING = inline_serializer(
    "ReleaseAwaiting",
    {
        "transaction_number": serializers.CharField(),
        "importer": serializers.CharField(help_text="The importer's RM account (BN15)"),
        "released_to": serializers.CharField(help_text="BN9 of the business that obtained the release"),
        "release_date": serializers.DateField(),
        "estimated_vfd": serializers.DecimalField(max_digits=15, decimal_places=2),
        "deadline": serializers.DateField(allow_null=True, help_text="null: no holiday calendar for these days yet"),
        "deadline_source": serializers.CharField(),
        "overdue": serializers.BooleanField(),
    },
    many=True,
)
ERRORS = errors_schema("Release")
RELEASE_IN = inline_serializer(
    "ReleaseIn",
    {
        "transaction_number": serializers.CharField(help_text="14 digits, the broker's or importer's number"),
        "account_number": serializers.CharField(help_text="The importer's RM account (BN15)"),
        "release_date": serializers.DateField(),
        "release_office": serializers.CharField(help_text="CBSA office, 4 digits"),
        "mode": serializers.ChoiceField([Mode.RMD, Mode.CLVS], required=False, help_text="Default rmd"),
        "estimated_vfd": serializers.DecimalField(max_digits=15, decimal_places=2),
        "cargo_control_number": serializers.CharField(required=False),
    },
)
RELEASE_OUT = inline_serializer(
    "Release",
    {
        "transaction_number": serializers.CharField(),
        "account_number": serializers.CharField(),
        "released_to": serializers.CharField(help_text="BN9 of the business that must account for the goods"),
        "release_date": serializers.DateField(),
        "release_office": serializers.CharField(),
        "mode": serializers.ChoiceField(Mode.values),
        "estimated_vfd": serializers.DecimalField(max_digits=15, decimal_places=2),
        "cargo_control_number": serializers.CharField(),
    },
)
EXAMPLE_IN = {
    "transaction_number": "12302000000014",
    "account_number": "123456782RM0001",
    "release_date": "2026-12-03",
    "release_office": "0453",
    "mode": "rmd",
    "estimated_vfd": "12840.00",
    "cargo_control_number": "8000ABC123",
}


def _release_out(release: Release) -> dict:
    return {
        "transaction_number": release.transaction_number,
        "account_number": release.program_account.number,
        "released_to": release.submitted_by_business.bn9,
        "release_date": release.release_date.isoformat(),
        "release_office": release.release_office,
        "mode": release.mode,
        "estimated_vfd": f"{release.estimated_vfd:.2f}",
        "cargo_control_number": release.cargo_control_number,
    }


def _errors(error_dict: dict, http_status=status.HTTP_400_BAD_REQUEST) -> Response:
    """A form's or the service's errors by field, in the one error shape."""
    rows = [
        {"field": field, "code": error.code or "invalid", "message": message}
        for field, errors in error_dict.items()
        for error in errors
        for message in error.messages
    ]
    return Response({"errors": rows}, status=http_status)


class Awaiting(AuthorizedAPIMixin, APIView):
    @extend_schema(
        summary="Releases awaiting their CAD, with the accounting deadline, overdue first", responses=AWAITING
    )
    def get(self, request):
        today = timezone.localdate()
        return Response(
            [
                {
                    "transaction_number": item.release.transaction_number,
                    "importer": item.release.program_account.number,
                    "released_to": item.release.submitted_by_business.bn9,
                    "release_date": item.release.release_date.isoformat(),
                    "estimated_vfd": f"{item.release.estimated_vfd:.2f}",
                    "deadline": item.deadline.day.isoformat() if item.deadline else None,
                    "deadline_source": item.deadline.source if item.deadline else "",
                    "overdue": item.overdue(today),
                }
                for item in services.awaiting_accounting(request, today)
            ]
        )


class Record(AuthorizedAPIMixin, APIView):
    @extend_schema(
        operation_id="record_release",
        summary="CBSA: record goods released under a transaction number (awaiting their CAD from then)",
        description="A border services officer or the release system's service account. Idempotent on the "
        "transaction number: the same release again answers 200 with the first; other details under the "
        "same number 409 release_conflict. Who accounts for the goods is the business whose account "
        "security number starts the transaction number.",
        request=RELEASE_IN,
        responses={201: RELEASE_OUT, 200: RELEASE_OUT, 400: ERRORS, 403: ERRORS, 409: ERRORS},
        examples=[
            OpenApiExample("Release on minimum documentation", value=EXAMPLE_IN, request_only=True),
            OpenApiExample("Recorded", value={**EXAMPLE_IN, "released_to": "123020000"}, response_only=True),
            OpenApiExample(
                "Refused",
                status_codes=["400"],
                response_only=True,
                value={
                    "errors": [
                        {"field": "release_office", "code": "invalid_office", "message": "A CBSA office is 4 digits."}
                    ]
                },
            ),
        ],
    )
    def post(self, request):
        rights.require(request, Action.RELEASE_GOODS, request=request)  # refused before the body is read
        form = ReleaseForm(request.data if isinstance(request.data, dict) else {})
        if not form.is_valid():
            return _errors(form.errors.as_data())
        try:
            recorded = services.record_release(request, **form.release(), request=request)
        except ValidationError as error:
            conflict = any(e.code == "release_conflict" for errors in error.error_dict.values() for e in errors)
            return _errors(error.error_dict, status.HTTP_409_CONFLICT if conflict else status.HTTP_400_BAD_REQUEST)
        return Response(_release_out(recorded.release), status=201 if recorded.created else 200)


class ReleaseCashCad(AuthorizedAPIMixin, APIView):
    @extend_schema(
        tags=["declarations"],
        operation_id="release_cash_declaration",
        summary="CBSA: release the goods of a cash CAD prepared before they arrived, once it is paid",
        description="A border services officer or the release system. Refused (400 cash_cad_unpaid, with what "
        "is left to pay) until the CAD's duties and taxes are paid; goods released stay released (200 again). "
        "The release is recorded like any other (GET /api/v1/releases/awaiting never lists it: its CAD is in).",
        parameters=[OpenApiParameter("transaction_number", str, OpenApiParameter.PATH, description="14 digits")],
        request=None,
        responses={
            200: inline_serializer(
                "Released", {"transaction_number": serializers.CharField(), "released_on": serializers.DateField()}
            ),
            400: ERRORS,
            403: ERRORS,
            404: ERRORS,
        },
        examples=[
            OpenApiExample(
                "Released",
                response_only=True,
                status_codes=["200"],
                value={"transaction_number": "12345678000017", "released_on": "2025-06-12"},
            ),
        ],
    )
    def post(self, request, transaction_number):
        rights.require(request, Action.RELEASE_GOODS, request=request)
        declaration = Declaration.objects.filter(transaction_number=transaction_number.strip()).first()
        if declaration is None:
            return error_response(
                "transaction_number", "not_found", _("No CAD has this transaction number."), status.HTTP_404_NOT_FOUND
            )
        try:
            release = services.release_paid_cash_cad(request, declaration, request=request)
        except ValidationError as error:
            return error_response(None, error.code, error.messages[0])
        return Response({"transaction_number": release.transaction_number, "released_on": release.release_date})
