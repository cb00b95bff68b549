"""The public estimate API: POST /api/v1/estimates. No sign-in: an estimate reveals nothing private."""

from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from rights.policy import PUBLIC

from . import services

# The optional other duties and taxes of a line (services.CHARGES): an amount or a rate, not both.
OTHER_DUTIES = {
    "sima": "SIMA anti-dumping or countervailing duty, CAD to the cent.",
    "sima_margin": "SIMA duty as a margin in percent of the VFD, e.g. 12.5 (not with `sima`).",
    "surtax_code": "Surtax code of the surtax order; required with a surtax.",
    "surtax_rate": "Surtax rate expression: e.g. 25% (of the VFD) or $0.10/kg (on the quantity).",
    "surtax_amount": "Surtax in CAD to the cent (not with `surtax_rate`).",
    "excise_duty": "Excise duty (Excise Act, 2001), CAD to the cent.",
    "excise_duty_rate": "Excise duty rate expression, e.g. $0.751/litre (not with `excise_duty`).",
    "excise_tax": "Excise tax (Excise Tax Act), CAD to the cent.",
    "excise_tax_rate": "Excise tax rate expression, e.g. 10% (not with `excise_tax`).",
}
_MONEY = {name: serializers.CharField(help_text="CAD, two decimals") for name in services.AMOUNTS}
LINE_IN = inline_serializer(
    "EstimateLineRequest",
    {
        "classification": serializers.CharField(help_text="Classification number (10 digits) or tariff item (8)."),
        "origin": serializers.CharField(help_text="Country of origin, ISO 3166 alpha-2."),
        "tariff_treatment": serializers.CharField(
            required=False, help_text="MFN, UST, CEUT...; default: the cheapest eligible."
        ),
        "tariff_code": serializers.CharField(
            required=False, help_text="A Chapter 99 tariff item whose rates apply, e.g. 9967 (the CAD's tariff code)."
        ),
        "value": serializers.CharField(help_text="Transaction value in `currency`."),
        "currency": serializers.CharField(required=False, help_text="ISO 4217; default CAD."),
        "exchange_rate": serializers.CharField(
            required=False, help_text="CAD per unit; default: Bank of Canada rate of the shipment date."
        ),
        "quantity": serializers.CharField(required=False),
        "unit": serializers.CharField(required=False, help_text="UN/ECE code; default: the classification's unit."),
        "rate": serializers.CharField(
            required=False, help_text="An explicit rate expression overriding the tariff, e.g. 6.5%."
        ),
        **{name: serializers.CharField(required=False, help_text=text) for name, text in OTHER_DUTIES.items()},
    },
)
LINE_OUT = inline_serializer(
    "EstimateLine",
    {
        "classification": serializers.CharField(),
        "tariff_code": serializers.CharField(help_text="The Chapter 99 tariff item whose rates applied, if any."),
        "tariff_schedule": serializers.CharField(help_text="Label of the tariff schedule the line was assessed on."),
        "origin": serializers.CharField(),
        "tariff_treatment": serializers.CharField(),
        "rate": serializers.CharField(),
        "proof_of_origin_required": serializers.BooleanField(),
        "exchange_rate": serializers.CharField(),
        "exchange_rate_date": serializers.DateField(),
        "exchange_rate_source": serializers.ChoiceField(
            choices=["boc", "officer", "demo"], help_text="Bank of Canada, a CBSA officer, or a demo-only rate."
        ),
        **_MONEY,
        "explanation": serializers.DictField(child=serializers.CharField()),
    },
)
ERRORS = inline_serializer(
    "EstimateErrors",
    {
        "errors": serializers.ListField(
            child=inline_serializer(
                "EstimateError",
                {
                    "field": serializers.CharField(allow_null=True),
                    "code": serializers.CharField(),
                    "message": serializers.CharField(),
                },
            )
        )
    },
)


class EstimateView(APIView):
    access_policy = PUBLIC
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="estimate_duties_and_taxes",
        summary="Estimate the duties and taxes of shipment lines",
        description=(
            "Per line: value for duty, customs duty, SIMA, surtax, excise duty and tax, value for tax, GST and "
            "total payable, in CAD rounded to the cent, with an explanation of each amount; and the request's "
            "totals. A foreign value converts at the Bank of Canada rate of the shipment date (else of the "
            "previous business day). Without `tariff_treatment` the cheapest treatment the origin is eligible "
            "for is used; a preference needs proof of origin. SIMA, surtax, excise duty and excise tax are "
            "optional inputs (an amount in CAD, or a rate; a surtax with its surtax code): each is added to the "
            "value for tax, on which GST is 5 %."
        ),
        request=inline_serializer(
            "EstimateRequest", {"shipment_date": serializers.DateField(), "lines": serializers.ListField(child=LINE_IN)}
        ),
        responses={
            200: inline_serializer(
                "Estimate",
                {
                    "shipment_date": serializers.DateField(),
                    "lines": serializers.ListField(child=LINE_OUT),
                    "totals": inline_serializer("EstimateTotals", _MONEY),
                },
            ),
            400: ERRORS,
            429: ERRORS,
        },
        examples=[
            OpenApiExample(
                "MFN 6.5 %",
                request_only=True,
                value={
                    "shipment_date": "2025-06-02",
                    "lines": [
                        {
                            "classification": "2201900000",
                            "origin": "US",
                            "tariff_treatment": "MFN",
                            "value": "30000.00",
                            "currency": "CAD",
                            "exchange_rate": "1",
                            "quantity": "300",
                            "unit": "LTR",
                            "rate": "6.5%",
                        }
                    ],
                },
            ),
            OpenApiExample(
                "MFN 6.5 %",
                response_only=True,
                status_codes=["200"],
                value={
                    "shipment_date": "2025-06-02",
                    "lines": [
                        {
                            "classification": "2201900000",
                            "origin": "US",
                            "tariff_treatment": "MFN",
                            "rate": "6.5%",
                            "proof_of_origin_required": False,
                            "exchange_rate": "1",
                            "exchange_rate_date": "2025-06-02",
                            "vfd": "30000.00",
                            "customs_duty": "1950.00",
                            "sima": "0.00",
                            "surtax": "0.00",
                            "excise_duty": "0.00",
                            "excise_tax": "0.00",
                            "value_for_tax": "31950.00",
                            "gst": "1597.50",
                            "total": "3547.50",
                            "explanation": {"CUD": "1950.00 = VFD × 6.5 %; rate 6.5 %; base 30000.00 [...]"},
                        }
                    ],
                    "totals": {
                        "vfd": "30000.00",
                        "customs_duty": "1950.00",
                        "sima": "0.00",
                        "surtax": "0.00",
                        "excise_duty": "0.00",
                        "excise_tax": "0.00",
                        "value_for_tax": "31950.00",
                        "gst": "1597.50",
                        "total": "3547.50",
                    },
                },
            ),
            OpenApiExample(
                "With SIMA and a surtax",
                request_only=True,
                value={
                    "shipment_date": "2025-01-03",
                    "lines": [
                        {
                            "classification": "2201900000",
                            "origin": "US",
                            "tariff_treatment": "MFN",
                            "value": "100.00",
                            "currency": "USD",
                            "rate": "4%",
                            "sima": "20.00",
                            "surtax_code": "S1",
                            "surtax_rate": "25%",
                        }
                    ],
                },
            ),
            OpenApiExample(
                "With SIMA and a surtax",
                response_only=True,
                status_codes=["200"],
                value={
                    "shipment_date": "2025-01-03",
                    "lines": [
                        {
                            "classification": "2201900000",
                            "origin": "US",
                            "tariff_treatment": "MFN",
                            "rate": "4%",
                            "proof_of_origin_required": False,
                            "exchange_rate": "1.15",
                            "exchange_rate_date": "2025-01-03",
                            "vfd": "115.00",
                            "customs_duty": "4.60",
                            "sima": "20.00",
                            "surtax": "28.75",
                            "excise_duty": "0.00",
                            "excise_tax": "0.00",
                            "value_for_tax": "168.35",
                            "gst": "8.42",
                            "total": "61.77",
                            "explanation": {
                                "SIMA": "20.00 = amount as declared [Special Import Measures Act]",
                                "SURTAX": "28.75 = 25 % × VFD; rate 25 %; base 115.00; S1 [...]",
                                "VFT": "168.35 = VFD + CUD + SIMA + surtax + ... [...]",
                            },
                        }
                    ],
                    "totals": {
                        "vfd": "115.00",
                        "customs_duty": "4.60",
                        "sima": "20.00",
                        "surtax": "28.75",
                        "excise_duty": "0.00",
                        "excise_tax": "0.00",
                        "value_for_tax": "168.35",
                        "gst": "8.42",
                        "total": "61.77",
                    },
                },
            ),
            OpenApiExample(
                "SIMA amount and margin both given",
                response_only=True,
                status_codes=["400"],
                value={
                    "errors": [
                        {
                            "field": "lines[0].sima_margin",
                            "code": "conflict",
                            "message": "Give an amount or a rate, not both.",
                        }
                    ]
                },
            ),
            OpenApiExample(
                "Treatment not eligible",
                response_only=True,
                status_codes=["400"],
                value={
                    "errors": [
                        {
                            "field": "lines[0].tariff_treatment",
                            "code": "treatment_not_eligible",
                            "message": "Goods from KP cannot claim MFN here; eligible: GT.",
                        }
                    ]
                },
            ),
        ],
    )
    def post(self, request):
        try:
            return Response(services.estimate(request.data))
        except services.EstimateErrors as error:
            return Response({"errors": error.errors}, status=status.HTTP_400_BAD_REQUEST)
