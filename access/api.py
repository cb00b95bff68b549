"""Access requests and role grants API (/api/v1/access-requests, /api/v1/role-grants). Lists and
look-ups go through the rights kernel; decisions through access.services, which check rights again."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

import rights
from accounts.models import User
from businesses.models import Business, ProgramAccount
from core.api import error_response
from rights import Action
from rights.api import AuthorizedAPIMixin, OwnRowsMixin

from . import services
from .models import PROGRAM_ROLES, AccessRequest, Role, RoleGrant

ERRORS = inline_serializer("AccessErrors", {"errors": serializers.ListField(child=serializers.DictField())})
FORGED_ACCOUNT = OpenApiExample(
    "A program account out of reach",
    status_codes=["404"],
    value={"errors": [{"field": None, "code": "not_found", "message": "Not found."}]},
)


def _refusal(error: DjangoValidationError, field=None):
    return error_response(field, error.code or "invalid", error.messages[0])


def _account(request, number):
    """A program account named by the client, only among those the caller manages."""
    return rights.get_visible_or_404(
        ProgramAccount.objects.visible_to(request, Action.MANAGE_PEOPLE), request, number=number
    )


class AccessRequestSerializer(serializers.ModelSerializer):
    business = serializers.CharField(source="business.bn9")
    requester = serializers.EmailField(source="user.email", read_only=True)

    class Meta:
        model = AccessRequest
        fields = ["id", "business", "requester", "note", "status", "reason", "created_at", "decided_at"]
        read_only_fields = ["status", "reason", "created_at", "decided_at"]


class RoleAssignment(serializers.Serializer):
    program_account = serializers.CharField(help_text="BN15, e.g. 123456782RM0001")
    role = serializers.ChoiceField(choices=[r.value for r in PROGRAM_ROLES])


class DecisionSerializer(serializers.Serializer):
    roles = RoleAssignment(many=True, required=False, default=list, max_length=100)
    bam = serializers.BooleanField(required=False, default=False)
    reason = serializers.CharField(required=False, default="", allow_blank=True, max_length=1000)


class AccessScope(AuthorizedAPIMixin):
    def get_queryset(self):
        return AccessRequest.objects.visible_to(self.request).select_related("business", "user")

    def access_request(self, pk):
        return rights.get_visible_or_404(self.get_queryset(), self.request, pk=pk)


@extend_schema(tags=["access"])
class AccessRequestList(OwnRowsMixin, AccessScope, generics.ListCreateAPIView):
    serializer_class = AccessRequestSerializer

    @extend_schema(summary="My requests, and those addressed to the businesses whose people I manage")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Ask a registered business for access",
        responses={201: AccessRequestSerializer, 400: ERRORS},
        examples=[
            OpenApiExample(
                "Request", value={"business": "123456782", "note": "I prepare our declarations."}, request_only=True
            )
        ],
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            created = services.request_access(
                request.user,
                serializer.validated_data["business"]["bn9"],
                serializer.validated_data["note"],
                request=request._request,
            )
        except DjangoValidationError as error:
            return _refusal(error, "business")
        return Response(self.get_serializer(created).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["access"], summary="One access request (404 when out of reach)")
class AccessRequestDetail(AccessScope, generics.RetrieveAPIView):
    serializer_class = AccessRequestSerializer

    def get_object(self):
        return self.access_request(self.kwargs["pk"])


class AccessRequestDecision(AccessScope, APIView):
    approve = True

    @extend_schema(
        tags=["access"],
        request=DecisionSerializer,
        responses={200: AccessRequestSerializer, 400: ERRORS, 403: ERRORS, 404: ERRORS},
        examples=[
            FORGED_ACCOUNT,
            OpenApiExample(
                "Approve as Reader",
                request_only=True,
                value={"roles": [{"program_account": "123456782RM0001", "role": "reader"}]},
            ),
        ],
    )
    def post(self, request, pk):
        access_request = self.access_request(pk)
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        roles = {_account(request, r["program_account"]): r["role"] for r in data.validated_data["roles"]}
        try:
            decided = services.decide_request(
                request,
                access_request,
                approve=self.approve,
                reason=data.validated_data["reason"],
                roles=roles,
                make_bam=data.validated_data["bam"],
                request=request._request,
            )
        except DjangoValidationError as error:
            return _refusal(error)
        return Response(AccessRequestSerializer(decided).data)


class AccessRequestWithdraw(AccessScope, APIView):
    @extend_schema(
        tags=["access"],
        request=None,
        summary="Withdraw my pending request",
        responses={200: AccessRequestSerializer, 400: ERRORS, 403: ERRORS, 404: ERRORS},
    )
    def post(self, request, pk):
        access_request = self.access_request(pk)
        try:
            services.withdraw_request(request.user, access_request, request=request._request)
        except DjangoValidationError as error:
            return _refusal(error)
        access_request.refresh_from_db()
        return Response(AccessRequestSerializer(access_request).data)


class RoleGrantSerializer(serializers.ModelSerializer):
    business = serializers.CharField(source="business.bn9")
    program_account = serializers.CharField(
        source="program_account.number", allow_null=True, required=False, help_text="BN15; omit for BAM"
    )
    user = serializers.EmailField(source="user.email", allow_null=True, help_text="A person of the business")
    group = serializers.CharField(source="group.name", read_only=True, allow_null=True)
    role = serializers.ChoiceField(choices=[Role.BAM.value, *[r.value for r in PROGRAM_ROLES]])

    class Meta:
        model = RoleGrant
        fields = ["id", "business", "program_account", "user", "group", "role", "granted_at"]
        read_only_fields = ["granted_at"]


class GrantScope(AuthorizedAPIMixin):
    serializer_class = RoleGrantSerializer

    def get_queryset(self):
        return RoleGrant.objects.visible_to(self.request).select_related("business", "program_account", "user", "group")


@extend_schema(tags=["access"])
class RoleGrantList(OwnRowsMixin, GrantScope, generics.ListCreateAPIView):
    @extend_schema(summary="My roles, and the roles in the businesses whose people I manage")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Give a person of the business a role",
        responses={201: RoleGrantSerializer, 400: ERRORS, 403: ERRORS, 404: ERRORS},
        examples=[FORGED_ACCOUNT],
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        business = rights.get_visible_or_404(
            Business.objects.visible_to(request, Action.MANAGE_PEOPLE), request, bn9=data["business"]["bn9"]
        )
        person = User.objects.filter(email__iexact=(data.get("user") or {}).get("email", "")).first()
        if person is None or person.pk not in {m.user.pk for m in services.members_of(business)}:
            return error_response(
                "user", "not_a_member", "Only people of this business can be given a role; they ask for access first."
            )
        number = (data.get("program_account") or {}).get("number")
        try:
            if data["role"] == Role.BAM:
                services.appoint_bam(request, business, person, request=request._request)
                grant = RoleGrant.objects.get(business=business, user=person, role=Role.BAM)
            elif not number:
                return error_response("program_account", "required", "A program role names a program account.")
            else:
                account = _account(request, number)
                services.set_roles(request, business, {account: data["role"]}, user=person, request=request._request)
                grant = RoleGrant.objects.get(program_account=account, user=person)
        except DjangoValidationError as error:
            return _refusal(error)
        return Response(RoleGrantSerializer(grant).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["access"])
class RoleGrantDetail(GrantScope, generics.RetrieveDestroyAPIView):
    def get_object(self):
        return rights.get_visible_or_404(self.get_queryset(), self.request, pk=self.kwargs["pk"])

    @extend_schema(
        summary="Remove a role (the last BAM cannot be removed)", responses={204: None, 400: ERRORS, 403: ERRORS}
    )
    def delete(self, request, *args, **kwargs):
        grant = self.get_object()
        try:
            if grant.role == Role.BAM:
                services.remove_bam(request, grant.business, grant.user, request=request._request)
            else:
                services.set_role(
                    request, grant.program_account, None, user=grant.user, group=grant.group, request=request._request
                )
        except DjangoValidationError as error:
            return _refusal(error)
        return Response(status=status.HTTP_204_NO_CONTENT)
