"""Security API (/api/v1/security/...).

- The Bond API, for registered financial security providers (a person holding the provider role,
  with a personal API token narrowed to the provider's BN): post a bond for an importer that named
  the provider, allocate it across the importer's RM accounts, amend its amount or validity, cancel
  it, confirm a bond the importer entered. A provider reaches only its own bonds.
- Positions, for importers and brokers: RPP status, requirement, posted security, unpaid activity
  and coverage of every RM account the caller may see (delegation applies), as JSON or CSV.
Every call goes through security.services, like the pages."""

import csv

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

import rights
from businesses.models import Business, ProgramAccount
from core.api import error_response, errors_schema
from payments.api import IDEMPOTENCY_KEY, MeansRefused, PaymentMeansInput, PaymentSerializer, payment_request
from rights import Action
from rights.api import AuthorizedAPIMixin, own_rows

from . import services
from .models import Bond, CashDeposit, SecurityProgram

ERROR = errors_schema("Security")


def _refused(error: DjangoValidationError, field=None) -> Response:
    code = status.HTTP_409_CONFLICT if error.code in {"conflict", "covers_open_debt", "over_allocated"} else 400
    return error_response(field, error.code or "invalid", error.messages[0], http_status=code)


class AllocationIn(serializers.Serializer):
    account = serializers.CharField(max_length=15, help_text="An RM account (BN15) of the bond's importer")
    amount = serializers.DecimalField(max_digits=15, decimal_places=2)


class BondIn(serializers.Serializer):
    importer = serializers.RegexField(r"^\d{9}$", help_text="The importer's business number (BN9)")
    number = serializers.CharField(max_length=40)
    amount = serializers.DecimalField(max_digits=15, decimal_places=2)
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(required=False, allow_null=True)
    allocations = AllocationIn(many=True, required=False)
    program = serializers.ChoiceField(
        choices=SecurityProgram.choices,
        default=SecurityProgram.RPP,
        help_text="What the bond secures: rpp (release prior to payment) or appeals (Customs Act s.60(1)).",
    )


class BondChange(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=15, decimal_places=2, required=False)
    valid_to = serializers.DateField(required=False)


class BondOut(serializers.ModelSerializer):
    importer = serializers.CharField(source="importer.bn9")
    provider = serializers.CharField(source="provider.name")
    allocations = serializers.SerializerMethodField()

    class Meta:
        model = Bond
        fields = [
            "id",
            "number",
            "importer",
            "provider",
            "channel",
            "program",
            "status",
            "amount",
            "allocated",
            "valid_from",
            "valid_to",
            "allocations",
        ]

    def get_allocations(self, bond) -> list[dict]:
        return [
            {"account": a.program_account.number, "amount": str(a.amount)}
            for a in bond.allocations.select_related("program_account")
        ]


BOND_EXAMPLE = OpenApiExample(
    "A bond of $60,000 shared by two RM accounts",
    value={
        "importer": "123456782",
        "number": "SB-2025-0042",
        "amount": "60000.00",
        "valid_from": "2025-05-01",
        "valid_to": None,
        "allocations": [
            {"account": "123456782RM0001", "amount": "40000.00"},
            {"account": "123456782RM0002", "amount": "20000.00"},
        ],
    },
    request_only=True,
)


def _account_of(bond, number) -> ProgramAccount:
    """An RM account of the bond's importer (the provider names it; nothing else is reachable)."""
    account = ProgramAccount.objects.filter(number=str(number).upper(), business=bond.importer).first()
    if account is None:
        raise ValidationError(
            {"account": [f"{number} is not an RM account of the bond's importer."]}, code="other_importer"
        )
    return account


class ProviderBonds(AuthorizedAPIMixin, APIView):
    @extend_schema(summary="The provider's bonds", responses={200: BondOut(many=True)})
    def get(self, request):
        return Response(
            BondOut(services.provider_bonds(request).select_related("importer", "provider"), many=True).data
        )

    @extend_schema(
        summary="Post a bond for an importer that named the provider (Bond API)",
        request=BondIn,
        responses={201: BondOut, 400: ERROR, 403: ERROR, 409: ERROR},
        examples=[BOND_EXAMPLE],
    )
    def post(self, request):
        data = BondIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if services.provider_of(request) is None:
            rights.deny(request, None, rights.Action.MANAGE_SECURITY, request)
        importer = Business.objects.filter(bn9=values["importer"]).first()
        if importer is None:
            raise ValidationError({"importer": ["No business has this number."]}, code="not_found")
        accounts = []
        for share in values.get("allocations", []):
            account = ProgramAccount.objects.filter(number=share["account"].upper(), business=importer).first()
            if account is None:
                raise ValidationError({"allocations": [f"{share['account']} is not an RM account of the importer."]})
            accounts.append((account, share["amount"]))
        try:
            bond = services.post_bond(
                request,
                importer,
                number=values["number"],
                amount=values["amount"],
                valid_from=values["valid_from"],
                valid_to=values.get("valid_to"),
                allocations=accounts,
                program=values["program"],
                request=request,
            )
        except DjangoValidationError as error:
            return _refused(error)
        return Response(BondOut(bond).data, status=status.HTTP_201_CREATED)


class _OwnBond(AuthorizedAPIMixin, APIView):
    def bond(self, request, pk) -> Bond:
        return rights.get_visible_or_404(services.provider_bonds(request), request, pk=pk)

    def run(self, request, pk, action):
        bond = self.bond(request, pk)
        try:
            bond = action(bond)
        except DjangoValidationError as error:
            return _refused(error)
        return Response(BondOut(bond).data)


class ProviderBond(_OwnBond):
    @extend_schema(summary="One of the provider's bonds", responses={200: BondOut, 404: ERROR})
    def get(self, request, pk):
        return Response(BondOut(self.bond(request, pk)).data)

    @extend_schema(
        summary="Amend a bond's amount or end of validity (never below what it covers)",
        request=BondChange,
        responses={200: BondOut, 400: ERROR, 404: ERROR},
        examples=[OpenApiExample("A rider raising the bond", value={"amount": "75000.00"}, request_only=True)],
    )
    def patch(self, request, pk):
        data = BondChange(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        return self.run(
            request,
            pk,
            lambda bond: services.amend(
                request, bond, amount=values.get("amount"), valid_to=values.get("valid_to"), request=request
            ),
        )


class ProviderAllocation(_OwnBond):
    @extend_schema(
        summary="Set the share of a bond covering one RM account (0 ends it)",
        request=AllocationIn,
        responses={200: BondOut, 400: ERROR, 404: ERROR, 409: ERROR},
        examples=[
            OpenApiExample(
                "Allocate $20,000", value={"account": "123456782RM0002", "amount": "20000.00"}, request_only=True
            )
        ],
    )
    def post(self, request, pk):
        data = AllocationIn(data=request.data)
        data.is_valid(raise_exception=True)

        def allocate(bond):
            services.allocate(
                request,
                bond,
                _account_of(bond, data.validated_data["account"]),
                data.validated_data["amount"],
                request=request,
            )
            bond.refresh_from_db()
            return bond

        return self.run(request, pk, allocate)


class ProviderCancel(_OwnBond):
    @extend_schema(
        summary="Cancel a bond (refused while it covers RPP debt not yet paid)",
        request=None,
        responses={200: BondOut, 409: ERROR},
    )
    def post(self, request, pk):
        return self.run(request, pk, lambda bond: services.cancel(request, bond, request=request))


class ProviderConfirm(_OwnBond):
    @extend_schema(
        summary="Confirm a bond the importer entered in the portal", request=None, responses={200: BondOut, 409: ERROR}
    )
    def post(self, request, pk):
        return self.run(request, pk, lambda bond: services.confirm_bond(request, bond, request=request))


class PositionOut(serializers.Serializer):
    account = serializers.CharField(source="account.number")
    importer = serializers.CharField(source="account.business.legal_name")
    rpp_status = serializers.CharField(source="status")
    rpp_ready = serializers.BooleanField(help_text="An RPP CAD filed today would be accepted")
    bond_required = serializers.DecimalField(
        max_digits=15, decimal_places=2, source="requirement.bond_amount", allow_null=True
    )
    cash_required = serializers.DecimalField(
        max_digits=15, decimal_places=2, source="requirement.cash_amount", allow_null=True
    )
    bond_posted = serializers.DecimalField(max_digits=15, decimal_places=2, source="posted.bond")
    cash_posted = serializers.DecimalField(max_digits=15, decimal_places=2, source="posted.cash")
    unpaid = serializers.DecimalField(max_digits=15, decimal_places=2)
    coverage = serializers.DecimalField(max_digits=9, decimal_places=4)
    usage = serializers.DecimalField(max_digits=9, decimal_places=4, allow_null=True)
    shortfall = serializers.DecimalField(max_digits=15, decimal_places=2)
    figures_shown = serializers.BooleanField(help_text="False: the importer hides records from you, so no amounts")

    def to_representation(self, position):
        data = super().to_representation(position)
        if not position.figures_shown:
            data.update({name: None for name in AMOUNTS})
        return data


AMOUNTS = ["bond_required", "cash_required", "bond_posted", "cash_posted", "unpaid", "coverage", "usage", "shortfall"]

CSV_COLUMNS = ["account", "importer", "rpp_status", "rpp_ready", *AMOUNTS, "figures_shown"]


class Positions(AuthorizedAPIMixin, APIView):
    @extend_schema(
        summary="Security positions of the RM accounts I may see (a broker: its clients', delegation applies)",
        parameters=[OpenApiParameter("export", str, enum=["csv"], description="csv: the same rows as a spreadsheet")],
        responses={200: PositionOut(many=True)},
        examples=[
            OpenApiExample(
                "An enrolled, sufficiently secured account",
                value=[
                    {
                        "account": "123456782RM0001",
                        "importer": "Maple Leaf Imports Inc.",
                        "rpp_status": "enrolled",
                        "rpp_ready": True,
                        "bond_required": "20000.00",
                        "cash_required": "40000.00",
                        "bond_posted": "25000.00",
                        "cash_posted": "0.00",
                        "unpaid": "12000.00",
                        "coverage": "1.2500",
                        "usage": "0.2400",
                        "shortfall": "0.00",
                        "figures_shown": True,
                    }
                ],
                response_only=True,
            )
        ],
    )
    def get(self, request):
        rows = PositionOut(services.positions(request), many=True).data
        if request.query_params.get("export") != "csv":
            return Response(rows)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="security-positions.csv"'
        writer = csv.DictWriter(response, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
        return response


# --- cash deposits, for importers (the portal's security page does the same through the same services) ---


class DepositOut(serializers.ModelSerializer):
    account = serializers.CharField(source="program_account.number")

    class Meta:
        model = CashDeposit
        fields = ["id", "account", "amount", "program", "status", "reference", "created_at"]


class DepositIn(serializers.Serializer):
    account = serializers.CharField(max_length=15, help_text="The RM account (BN15) the deposit secures")
    amount = serializers.DecimalField(max_digits=15, decimal_places=2)
    program = serializers.ChoiceField(choices=SecurityProgram.choices, default=SecurityProgram.RPP)


def _deposits(request):
    return own_rows(CashDeposit.objects.visible_to(request, Action.VIEW), request).select_related("program_account")


class Deposits(AuthorizedAPIMixin, APIView):
    @extend_schema(summary="The cash deposits of the RM accounts I may see", responses={200: DepositOut(many=True)})
    def get(self, request):
        return Response(DepositOut(_deposits(request).order_by("-pk"), many=True).data)

    @extend_schema(
        summary="Open a cash deposit (it counts once paid: POST …/pay)",
        request=DepositIn,
        responses={201: DepositOut, 400: ERROR, 404: ERROR},
    )
    def post(self, request):
        given = DepositIn(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        accounts = ProgramAccount.objects.visible_to(request, Action.PAY)
        account = rights.get_visible_or_404(accounts, request, number=data["account"])
        try:
            deposit = services.open_deposit(request, account, data["amount"], program=data["program"], request=request)
        except DjangoValidationError as error:
            return _refused(error, "amount")
        return Response(DepositOut(deposit).data, status=status.HTTP_201_CREATED)


class DepositPayment(AuthorizedAPIMixin, APIView):
    @extend_schema(
        summary="Pay a cash deposit by card or pre-authorized debit (the card limit counts it)",
        parameters=[IDEMPOTENCY_KEY],
        request=PaymentMeansInput,
        responses={201: PaymentSerializer, 200: PaymentSerializer, 400: ERROR, 404: ERROR},
    )
    def post(self, request, pk):
        deposit = rights.get_visible_or_404(_deposits(request), request, pk=pk)
        try:
            data, key, card, agreement = payment_request(request, PaymentMeansInput)
            payment, created = services.pay_deposit(
                request,
                deposit,
                key=key,
                card=card,
                agreement=agreement,
                debit_date=data.get("debit_date"),
                request=request,
                channel="api",
            )
        except MeansRefused as refused:
            return refused.response
        except DjangoValidationError as error:
            return _refused(error)
        return Response(PaymentSerializer(payment).data, status=201 if created else 200)
