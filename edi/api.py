"""EDI over the API (/api/v1/edi/...): a broker's system posts a CAD message (WCO XML or UN/EDIFACT
CUSDEC) with its personal API token narrowed to its business, gets a correlation id at once (202),
and reads the response (accepted 39 with duties and taxes, rejected 41 with a code and an element
pointer, pending 42, or a syntax error with its position) by polling, by push to its callback, or
from the pull queue. The channel (callback URL, format, secret) is set here or on the channel page."""

from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiTypes, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

import rights
from businesses.models import Business
from core.api import error_response
from rights.api import AuthorizedAPIMixin

from . import channels, deliveries, services, tasks
from .models import Channel, Delivery, Direction, Format, Message

CONTENT_TYPES = {Format.XML: "application/xml", Format.EDIFACT: "application/edifact"}


def sender_business(request) -> Business | None:
    """The business a token is narrowed to, when the person belongs to it: a grant on it, or a member
    of one of its employee groups (a broker's staff)."""
    bn9 = rights.actor_of(request).only_business
    if not bn9:
        return None
    business = Business.objects.filter(bn9=bn9).first()
    return business if business is not None and channels.works_for(request, business) else None


class MessageOut(serializers.ModelSerializer):
    response = serializers.SerializerMethodField(help_text="Correlation id of the response, once answered")

    class Meta:
        model = Message
        fields = [
            "correlation_id",
            "direction",
            "kind",
            "format",
            "source",
            "reference",
            "status",
            "transaction_number",
            "size",
            "created_at",
            "response",
        ]

    def get_response(self, message) -> str | None:
        reply = services.response_of(message) if message.direction == Direction.IN else None
        return str(reply.correlation_id) if reply else None


ACK = inline_serializer(
    "EdiReceipt",
    {
        "correlation_id": serializers.UUIDField(),
        "status": serializers.CharField(),
        "response_url": serializers.CharField(),
    },
)
XML_EXAMPLE = (
    '<Declaration xmlns="urn:wco:datamodel:WCO:Declaration:1"><FunctionCode>9</FunctionCode>'
    "<FunctionalReferenceID>ACME-000101</FunctionalReferenceID><Submitter><ID>123026635</ID></Submitter>"
    "<Importer><ID>123456782RM0001</ID></Importer>...</Declaration>"
)


class BusinessScope(AuthorizedAPIMixin):
    def business(self) -> Business:
        business = sender_business(self.request)
        if business is None:
            raise ValidationError(
                {"business": [_("Use an API token narrowed to your business (its BN9) for EDI.")]},
                code="business_required",
            )
        return business


@extend_schema(tags=["edi"])
class MessageList(BusinessScope, generics.ListAPIView):
    serializer_class = MessageOut

    def get_queryset(self):
        return Message.objects.visible_to(self.request).filter(business=self.business())

    @extend_schema(summary="My business's EDI messages, received and sent")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="submit_edi_message",
        summary="Send a CAD message (WCO XML or UN/EDIFACT CUSDEC)",
        description="Stored raw with a new correlation id and acknowledged at once (202); processed "
        "asynchronously. The response (39 accepted with duties and taxes per line and header, 41 rejected "
        "with a validation code and element pointer, 42 pending approval, SYN syntax error with its "
        "position) is at `response_url`, pushed to your callback and kept in your pull queue. The same "
        "interchange reference sent again is answered with the original response.",
        request={"application/xml": OpenApiTypes.STR, "application/edifact": OpenApiTypes.STR},
        responses={202: ACK},
        examples=[OpenApiExample("A CAD in WCO XML", value=XML_EXAMPLE, request_only=True)],
    )
    def post(self, request, *args, **kwargs):
        business = self.business()
        message = services.receive(business, request.user, request.body, source="api", request=request)
        transaction.on_commit(lambda: tasks.process_message.delay(message.pk))
        return Response(
            {
                "correlation_id": str(message.correlation_id),
                "status": "received",
                "response_url": f"/api/v1/edi/messages/{message.correlation_id}/response",
            },
            status=status.HTTP_202_ACCEPTED,
        )


@extend_schema(tags=["edi"])
class MessageDetail(BusinessScope, APIView):
    @extend_schema(summary="One message, with its raw text", responses={200: MessageOut})
    def get(self, request, correlation_id):
        message = rights.get_visible_or_404(
            Message.objects.visible_to(request).filter(business=self.business()), request, correlation_id=correlation_id
        )
        return Response({**MessageOut(message).data, "raw": message.raw})


@extend_schema(tags=["edi"])
class MessageResponse(BusinessScope, APIView):
    @extend_schema(
        summary="The response to a message (raw, in the message's format); 202 while processing",
        responses={200: OpenApiTypes.STR, 202: ACK},
    )
    def get(self, request, correlation_id):
        message = rights.get_visible_or_404(
            Message.objects.visible_to(request).filter(business=self.business(), direction=Direction.IN),
            request,
            correlation_id=correlation_id,
        )
        reply = services.response_of(message)
        if reply is None:
            return Response(
                {"correlation_id": str(message.correlation_id), "status": "processing", "response_url": request.path},
                status=status.HTTP_202_ACCEPTED,
            )
        answer = HttpResponse(reply.raw, content_type=CONTENT_TYPES[reply.format])
        answer["X-CARM-Correlation-Id"] = str(reply.correlation_id)
        return answer


class QueueItem(serializers.Serializer):
    correlation_id = serializers.UUIDField(source="message.correlation_id")
    kind = serializers.CharField(source="message.kind")
    format = serializers.CharField(source="message.format")
    transaction_number = serializers.CharField(source="message.transaction_number")
    raw = serializers.CharField(source="message.raw")


class AckIn(serializers.Serializer):
    correlation_ids = serializers.ListField(child=serializers.UUIDField(), max_length=100)


@extend_schema(tags=["edi"])
class Queue(BusinessScope, APIView):
    @extend_schema(
        summary="Pull queue: messages for you not delivered by push nor acknowledged",
        responses={200: QueueItem(many=True)},
    )
    def get(self, request):
        return Response(QueueItem(deliveries.queue(self.business()), many=True).data)

    @extend_schema(
        summary="Acknowledge pulled messages",
        request=AckIn,
        responses={200: inline_serializer("EdiAck", {"acknowledged": serializers.IntegerField()})},
    )
    def post(self, request):
        data = AckIn(data=request.data)
        data.is_valid(raise_exception=True)
        ids = [str(value) for value in data.validated_data["correlation_ids"]]
        return Response({"acknowledged": deliveries.acknowledge(self.business(), ids)})


class DeliveryOut(serializers.ModelSerializer):
    correlation_id = serializers.UUIDField(source="message.correlation_id")
    kind = serializers.CharField(source="message.kind")

    class Meta:
        model = Delivery
        fields = [
            "correlation_id",
            "kind",
            "status",
            "attempts",
            "last_error",
            "last_attempt_at",
            "delivered_at",
            "pulled_at",
            "created_at",
        ]


@extend_schema(tags=["edi"])
class DeliveryList(BusinessScope, generics.ListAPIView):
    serializer_class = DeliveryOut

    def get_queryset(self):
        return (
            Delivery.objects.visible_to(self.request)
            .filter(channel__business=self.business())
            .select_related("message")
        )

    @extend_schema(summary="Delivery log of pushed messages")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ChannelIn(serializers.Serializer):
    callback_url = serializers.URLField(required=False, allow_blank=True)
    format = serializers.ChoiceField(choices=Format.choices, required=False)


class ChannelOut(serializers.ModelSerializer):
    class Meta:
        model = Channel
        fields = ["callback_url", "format", "secret_rotated_at"]


@extend_schema(tags=["edi"])
class ChannelView(BusinessScope, APIView):
    @extend_schema(
        summary="Set the callback URL and format (the secret is shown once, when made or rotated)",
        request=ChannelIn,
        responses={200: ChannelOut},
    )
    def put(self, request):
        data = ChannelIn(data=request.data)
        data.is_valid(raise_exception=True)
        outcome = channels.configure(request, self.business(), **data.validated_data)
        if outcome.error:
            return error_response(outcome.error[0], outcome.error[1], outcome.error[2], status.HTTP_403_FORBIDDEN)
        return Response({**ChannelOut(outcome.channel).data, **({"secret": outcome.secret} if outcome.secret else {})})


@extend_schema(tags=["edi"])
class RotateSecret(BusinessScope, APIView):
    @extend_schema(
        summary="Rotate the shared secret (returned once)",
        request=None,
        responses={200: inline_serializer("EdiSecret", {"secret": serializers.CharField()})},
    )
    def post(self, request):
        outcome = channels.rotate(request, self.business())
        if outcome.error:
            return error_response(outcome.error[0], outcome.error[1], outcome.error[2], status.HTTP_403_FORBIDDEN)
        return Response({"secret": outcome.secret})
