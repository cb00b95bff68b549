"""Payments API: pay (card or PAD) with an `Idempotency-Key` header, list and read payments, PAD
agreements. Accounts and entries are fetched through the rights kernel (services.build_lines)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

import rights
from businesses.models import ProgramAccount
from core.api import error_response
from rights import Action
from rights.api import own_rows
from rights.policy import SIGNED_IN

from . import services
from .filters import PaymentFilter
from .gateways import CARD_ERROR_FIELDS, gateway
from .models import PAYABLE_KINDS, Method, PadAgreement, Payment, PaymentLine, payments_for
from .services import MAX_ACCOUNTS, MAX_TRANSACTIONS

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    location=OpenApiParameter.HEADER,
    required=True,
    description="Any unique string (1–100 characters) per payment; sending the same key again returns "
    "the first payment (200) instead of paying twice.",
)


class PaymentLineInput(serializers.Serializer):
    program_account = serializers.CharField(max_length=15, help_text="BN15")
    pay = serializers.ChoiceField(source="kind", choices=PAYABLE_KINDS)
    amount = serializers.DecimalField(max_digits=15, decimal_places=2, required=False, help_text="For pay=amount")
    transactions = serializers.ListField(
        # an id past a BigAutoField's range is no entry: refused here, not sent to the database (it overflowed)
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        max_length=MAX_TRANSACTIONS,
        help_text="Ledger entry ids, for pay=transactions",
    )

    def validate(self, data):
        if data["kind"] == PaymentLine.Kind.AMOUNT and data.get("amount") is None:
            raise ValidationError({"amount": _("Required when pay is amount.")})
        return data


class CardInput(serializers.Serializer):
    number = serializers.CharField(max_length=23)
    expiry_month = serializers.IntegerField(min_value=1, max_value=12)
    expiry_year = serializers.IntegerField(min_value=2000, max_value=2999, help_text="Four digits")
    cvv = serializers.CharField(max_length=4)


ONLINE_METHODS = [(Method.CARD.value, Method.CARD.label), (Method.PAD.value, Method.PAD.label)]  # paid in the portal


class PaymentMeansInput(serializers.Serializer):
    """How a payment is made (a card or a PAD agreement), whatever it pays."""

    method = serializers.ChoiceField(choices=ONLINE_METHODS)
    card = CardInput(required=False, help_text="For method=card; sent to the gateway, never stored")
    pad_agreement = serializers.IntegerField(required=False, help_text="For method=pad")
    debit_date = serializers.DateField(required=False, help_text="For method=pad: from tomorrow to a year ahead")


class PaymentInput(PaymentMeansInput):
    lines = PaymentLineInput(many=True, max_length=MAX_ACCOUNTS, help_text="One per program account")


class PaymentLineSerializer(serializers.ModelSerializer):
    program_account = serializers.CharField(source="program_account.number")
    pay = serializers.ChoiceField(source="kind", choices=PaymentLine.Kind.choices)
    ledger_entry = serializers.IntegerField(source="entry_id", allow_null=True)
    returned_entry = serializers.IntegerField(source="return_entry_id", allow_null=True)

    class Meta:
        model = PaymentLine
        fields = ["program_account", "pay", "amount", "ledger_entry", "returned_entry"]


class PaymentSerializer(serializers.ModelSerializer):
    lines = PaymentLineSerializer(many=True)

    class Meta:
        model = Payment
        fields = [
            "reference",
            "method",
            "status",
            "amount",
            "created_at",
            "completed_at",
            "card_brand",
            "card_last4",
            "card_expiry",
            "scheduled_for",
            "external_reference",
            "failure_code",
            "lines",
        ]


class PadAgreementSerializer(serializers.ModelSerializer):
    program_account = serializers.CharField(max_length=15, help_text="BN15")
    account_number = serializers.CharField(max_length=12, write_only=True)
    masked_account = serializers.CharField(read_only=True)
    text_version = serializers.IntegerField(write_only=True, help_text="The version of the agreement text accepted")
    accepted_text_version = serializers.IntegerField(source="agreement_text.version", read_only=True)
    accept = serializers.BooleanField(write_only=True, help_text="Must be true: the payer accepts the text")

    class Meta:
        model = PadAgreement
        fields = [
            "id",
            "program_account",
            "holder_name",
            "institution",
            "transit",
            "account_number",
            "masked_account",
            "text_version",
            "accepted_text_version",
            "accept",
            "accepted_at",
            "cancelled_at",
        ]
        read_only_fields = ["accepted_at", "cancelled_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["program_account"] = instance.program_account.number
        return data

    def validate_accept(self, value):
        if not value:
            raise ValidationError("The PAD agreement must be accepted.")
        return value


class PadTextSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    published_on = serializers.DateField()
    text_en = serializers.CharField()
    text_fr = serializers.CharField()


def _django_error(error: DjangoValidationError, field=None):
    return error_response(field, error.code or "invalid", error.messages[0])


class PaymentList(generics.ListAPIView):
    access_policy = SIGNED_IN
    serializer_class = PaymentSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PaymentFilter  # the page's filters (payments.views.payment_list)

    def get_queryset(self):
        return own_rows(payments_for(self.request), self.request)

    @extend_schema(tags=["payments"], summary="Payments of the program accounts I may view")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["payments"],
        summary="Pay one or several program accounts by card or pre-authorized debit",
        parameters=[IDEMPOTENCY_KEY],
        request=PaymentInput,
        responses={
            201: PaymentSerializer,
            200: OpenApiResponse(PaymentSerializer, description="The same Idempotency-Key again: the first payment"),
        },
    )
    def post(self, request):
        try:
            data, key, card, agreement = payment_request(request, PaymentInput)
        except MeansRefused as refused:
            return refused.response
        try:
            payment, created = services.request_payment(
                request,
                data["lines"],
                key=key,
                card=card,
                agreement=agreement,
                debit_date=data.get("debit_date"),
                request=request,
                channel="api",
            )
        except DjangoValidationError as error:
            return _django_error(error)
        return Response(
            PaymentSerializer(payment).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class MeansRefused(Exception):
    """The card or PAD agreement of a payment request refused: `response` says why."""

    def __init__(self, response):
        self.response = response


def payment_request(request, serializer) -> tuple:
    """(validated body, Idempotency-Key, card token, PAD agreement) of a payment request, whatever it
    pays (debts here, security deposits in security.api); MeansRefused says what is missing."""
    given = serializer(data=request.data)
    given.is_valid(raise_exception=True)
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        raise MeansRefused(error_response(None, "no_key", "The Idempotency-Key header is required."))
    return given.validated_data, key, *payment_means(request, given.validated_data)


def payment_means(request, data) -> tuple:
    """(card token, PAD agreement) of a request's validated `method`, `card` and `pad_agreement`: the
    card tokenized by the gateway (never stored), or the agreement among the accounts the caller may
    pay (None otherwise: the payment service refuses it)."""
    if data["method"] != Method.CARD:
        payable = ProgramAccount.objects.visible_to(request, Action.PAY)
        return None, PadAgreement.objects.filter(pk=data.get("pad_agreement"), program_account__in=payable).first()
    if "card" not in data:
        raise MeansRefused(error_response("card", "required", "A card is required to pay by card."))
    c = data["card"]
    try:
        return gateway().tokenize(c["number"], c["expiry_month"], c["expiry_year"], c["cvv"]), None
    except DjangoValidationError as error:
        raise MeansRefused(_django_error(error, f"card.{CARD_ERROR_FIELDS.get(error.code, 'number')}")) from None


@extend_schema(tags=["payments"], summary="One payment, by its reference (404 when out of reach)")
class PaymentDetail(generics.RetrieveAPIView):
    access_policy = SIGNED_IN
    serializer_class = PaymentSerializer

    def get_object(self):
        return rights.get_visible_or_404(payments_for(self.request), self.request, reference=self.kwargs["reference"])


class PadAgreementList(generics.ListCreateAPIView):
    access_policy = SIGNED_IN
    serializer_class = PadAgreementSerializer

    def get_queryset(self):
        payable = ProgramAccount.objects.visible_to(self.request, Action.PAY)
        return PadAgreement.objects.filter(program_account__in=payable).select_related(
            "program_account", "agreement_text"
        )

    @extend_schema(tags=["payments"], summary="PAD agreements of the program accounts I may pay")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(tags=["payments"], summary="Set up a PAD agreement (BAM or PAM), accepting the current text")
    def post(self, request, *args, **kwargs):
        given = self.get_serializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        accounts = ProgramAccount.objects.visible_to(request, Action.MANAGE_BANKING)
        account = rights.get_visible_or_404(accounts, request, number=data["program_account"])
        try:
            agreement = services.set_up_agreement(request.user, account, data, request=request)
        except DjangoValidationError as error:
            if hasattr(error, "error_dict"):
                raise ValidationError(error.message_dict) from error
            return _django_error(error)
        return Response(self.get_serializer(agreement).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["payments"], summary="The current PAD agreement text (English and French)")
class PadAgreementText(generics.RetrieveAPIView):
    access_policy = SIGNED_IN
    serializer_class = PadTextSerializer

    def get_object(self):
        return services.current_agreement_text()
