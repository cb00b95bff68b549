"""Notifications API (/api/v1/notifications...): my notifications (read, archive), the catalogue of
event kinds, my preferences and profile, a business's defaults (its BAMs), my tariff watches.
A caller reaches only their own notifications; a business through the rights kernel. Errors are the
structured {"errors": [{field, code, message}]}."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

import rights
from businesses.models import Business
from core.api import error_response
from rights import Action
from rights.api import AuthorizedAPIMixin

from . import services
from .catalogue import Channel
from .models import BusinessDefault, Notification, Watch

ERRORS = inline_serializer("NotificationErrors", {"errors": serializers.ListField(child=serializers.DictField())})
SILENCED = OpenApiExample(
    "A money event silenced",
    status_codes=["400"],
    value={
        "errors": [
            {
                "field": "channels",
                "code": "mandatory_event",
                "message": "“Payment failed” cannot be turned off: keep at least one channel "
                "(money and security events).",
            }
        ]
    },
)
UNKNOWN_KIND = OpenApiExample(
    "An unknown event kind",
    status_codes=["400"],
    value={
        "errors": [{"field": "kind", "code": "unknown_event_kind", "message": "Unknown event kind “payment.lost”."}]
    },
)


def _refusal(error: DjangoValidationError, field=None):
    return error_response(field, error.code or "invalid", error.messages[0])


class DeliverySerializer(serializers.Serializer):
    channel = serializers.CharField()
    status = serializers.CharField()
    attempts = serializers.IntegerField()
    sent_at = serializers.DateTimeField(allow_null=True)


class NotificationSerializer(serializers.ModelSerializer):
    title = serializers.CharField()
    message = serializers.CharField()
    link = serializers.CharField(source="url")
    business = serializers.CharField(source="business.bn9", allow_null=True, default=None)
    read = serializers.SerializerMethodField()
    archived = serializers.SerializerMethodField()
    deliveries = DeliverySerializer(many=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "message", "link", "business", "created_at", "read", "archived", "deliveries"]

    def get_read(self, notification) -> bool:
        return notification.read_at is not None

    def get_archived(self, notification) -> bool:
        return notification.archived_at is not None


class Mine(AuthorizedAPIMixin):
    def get_queryset(self):
        return Notification.objects.filter(recipient=self.request.user, in_inbox=True).prefetch_related("deliveries")

    def notification(self, pk):
        return rights.get_visible_or_404(self.get_queryset(), self.request, pk=pk)


@extend_schema(
    tags=["notifications"],
    summary="My notifications, newest first",
    parameters=[
        OpenApiParameter("unread", bool, description="Only the unread ones"),
        OpenApiParameter("archived", bool, description="The archived ones instead of the inbox"),
    ],
)
class NotificationList(Mine, generics.ListAPIView):
    serializer_class = NotificationSerializer

    def get_queryset(self):
        notifications = (
            super().get_queryset().filter(archived_at__isnull=self.request.query_params.get("archived") != "true")
        )
        if self.request.query_params.get("unread") == "true":
            notifications = notifications.unread()
        return notifications


class UnreadCount(Mine, APIView):
    @extend_schema(
        tags=["notifications"],
        summary="How many notifications in my inbox are unread",
        responses={200: inline_serializer("UnreadCount", {"unread": serializers.IntegerField()})},
    )
    def get(self, request):
        return Response({"unread": Notification.objects.inbox_of(request.user).unread().count()})


class NotificationAction(Mine, APIView):
    action = "read"

    @extend_schema(
        tags=["notifications"],
        request=None,
        summary="Mark one of my notifications read, unread or archived",
        responses={200: NotificationSerializer, 404: ERRORS},
    )
    def post(self, request, pk):
        notification = self.notification(pk)
        if self.action == "archive":
            services.archive(request.user, notification)
        else:
            services.mark_read(request.user, notification, read=self.action == "read")
        return Response(NotificationSerializer(notification).data)


class KindSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    category = serializers.CharField()
    mandatory = serializers.BooleanField(help_text="Cannot be turned off entirely: at least one channel stays on")
    channels = serializers.ListField(child=serializers.CharField(), help_text="The default channels")


class KindList(AuthorizedAPIMixin, APIView):
    @extend_schema(
        tags=["notifications"], summary="The catalogue of event kinds", responses={200: KindSerializer(many=True)}
    )
    def get(self, request):
        return Response(KindSerializer(services.kinds(), many=True).data)


class ChoiceSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="A code of /notifications/kinds, e.g. payment.failed")
    channels = serializers.ListField(child=serializers.ChoiceField(choices=list(Channel.ALL)), allow_empty=True)


def _put_choice(request, save):
    """Validate {kind, channels} and `save(kind, channels)`; a refusal names the field at fault."""
    data = ChoiceSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    kind, chosen = data.validated_data["kind"], set(data.validated_data["channels"])
    try:
        save(kind, chosen)
    except DjangoValidationError as error:
        return _refusal(error, "kind" if error.code == "unknown_event_kind" else "channels")
    return Response({"kind": kind, "channels": sorted(chosen)})


def _choices(chosen_of) -> list:
    return [{"kind": kind.code, "channels": sorted(chosen_of(kind))} for kind in services.kinds()]


class PreferenceList(AuthorizedAPIMixin, APIView):
    @extend_schema(
        tags=["notifications"],
        summary="The channels I get for each event kind (my choice, else my business's default, else the catalogue's)",
        responses={200: ChoiceSerializer(many=True)},
    )
    def get(self, request):
        return Response(_choices(lambda kind: services.channels_for(request.user, kind.code)))

    @extend_schema(
        tags=["notifications"],
        summary="Choose my channels for one event kind",
        request=ChoiceSerializer,
        responses={200: ChoiceSerializer, 400: ERRORS},
        examples=[
            OpenApiExample(
                "Email and SMS", request_only=True, value={"kind": "payment.failed", "channels": ["email", "sms"]}
            ),
            SILENCED,
            UNKNOWN_KIND,
        ],
    )
    def put(self, request):
        return _put_choice(
            request, lambda kind, chosen: services.set_preference(request.user, kind, chosen, request._request)
        )


class ProfileSerializer(serializers.Serializer):
    phone = serializers.CharField(allow_blank=True, max_length=30, help_text="E.164 (+16135550123); empty for no SMS")
    daily_digest = serializers.BooleanField()


class ProfileDetail(AuthorizedAPIMixin, APIView):
    @extend_schema(
        tags=["notifications"], summary="My phone number and digest choice", responses={200: ProfileSerializer}
    )
    def get(self, request):
        profile = services.profile_of(request.user)
        return Response({"phone": profile.phone, "daily_digest": profile.daily_digest})

    @extend_schema(
        tags=["notifications"],
        summary="Set my phone number and digest choice",
        request=ProfileSerializer,
        responses={200: ProfileSerializer, 400: ERRORS},
        examples=[
            OpenApiExample(
                "Not a phone number",
                status_codes=["400"],
                value={
                    "errors": [
                        {
                            "field": "phone",
                            "code": "invalid_phone",
                            "message": "“12345” is not a phone number. Write it as +1 613 555 0123.",
                        }
                    ]
                },
            )
        ],
    )
    def put(self, request):
        data = ProfileSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            profile = services.set_profile(request.user, request=request._request, **data.validated_data)
        except DjangoValidationError as error:
            return _refusal(error, "phone")
        return Response({"phone": profile.phone, "daily_digest": profile.daily_digest})


class BusinessDefaults(AuthorizedAPIMixin, APIView):
    def business(self, bn9):
        return rights.get_visible_or_404(
            Business.objects.visible_to(self.request, Action.ADMINISTER), self.request, bn9=bn9
        )

    @extend_schema(
        tags=["notifications"],
        summary="A business's default channels per event kind (its BAMs)",
        responses={200: ChoiceSerializer(many=True), 404: ERRORS},
    )
    def get(self, request, bn9):
        defaults = {d.kind: d.channels() for d in BusinessDefault.objects.filter(business=self.business(bn9))}
        return Response(_choices(lambda kind: defaults.get(kind.code, set(kind.channels))))

    @extend_schema(
        tags=["notifications"],
        summary="Set a business's default channels for one event kind (BAM)",
        request=ChoiceSerializer,
        responses={200: ChoiceSerializer, 400: ERRORS, 404: ERRORS},
        examples=[SILENCED, UNKNOWN_KIND],
    )
    def put(self, request, bn9):
        business = self.business(bn9)
        return _put_choice(
            request,
            lambda kind, chosen: services.set_business_default(request, business, kind, chosen, request._request),
        )


class WatchSerializer(serializers.ModelSerializer):
    class Meta:
        model = Watch
        fields = ["id", "code", "created_at"]
        read_only_fields = ["created_at"]
        extra_kwargs = {"code": {"validators": [], "max_length": 20}}


@extend_schema(tags=["notifications"])
class WatchList(AuthorizedAPIMixin, generics.ListCreateAPIView):
    serializer_class = WatchSerializer

    def get_queryset(self):
        return Watch.objects.filter(user=self.request.user)

    @extend_schema(summary="The classification numbers I watch")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Watch a classification number: be told when a new tariff version changes it",
        responses={201: WatchSerializer, 400: ERRORS},
        examples=[OpenApiExample("Watch", request_only=True, value={"code": "0101210010"})],
    )
    def post(self, request, *args, **kwargs):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            watch = services.add_watch(request.user, data.validated_data["code"], request=request._request)
        except DjangoValidationError as error:
            return _refusal(error, "code")
        return Response(WatchSerializer(watch).data, status=status.HTTP_201_CREATED)


class WatchDetail(AuthorizedAPIMixin, APIView):
    @extend_schema(tags=["notifications"], summary="Stop watching a number", responses={204: None, 404: ERRORS})
    def delete(self, request, pk):
        watch = rights.get_visible_or_404(Watch.objects.filter(user=request.user), request, pk=pk)
        services.remove_watch(request.user, watch, request=request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)
