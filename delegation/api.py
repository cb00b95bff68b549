"""Business relationships API (/api/v1/relationships, /api/v1/clients, /api/v1/client-groups).
Look-ups go through the rights kernel; every change through delegation.services, which check rights again.
A provider's employee names the client it acts for with the `X-Acting-For: BN9` header on any call."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

import rights
from access.models import EmployeeGroup
from accounts.models import User
from businesses.models import Business, ProgramAccount
from core.api import error_response
from core.parsers import JSONParser
from delegation.relationships import client_relationships
from rights import Action
from rights.api import AuthorizedAPIMixin, OwnRowsMixin

from . import services
from .bulk import MAX_ROWS
from .filters import RelationshipFilter
from .models import CLIENT_ROLES, ClientGroup, Relationship

MAX_ACCOUNTS = 100  # [DESIGN] program accounts named in one relationship (RM0001-RM9999 in theory, a few in practice)

ERRORS = inline_serializer("DelegationErrors", {"errors": serializers.ListField(child=serializers.DictField())})
NOT_FOUND = OpenApiExample(
    "Out of reach (forged or guessed)",
    status_codes=["404"],
    value={"errors": [{"field": None, "code": "not_found", "message": "Not found."}]},
)


def _refusal(error: DjangoValidationError, field=None):
    return error_response(field, error.code or "invalid", error.messages[0])


class Visibility(serializers.Serializer):
    provider = serializers.BooleanField(help_text="Records submitted by this service provider")
    importer = serializers.BooleanField(help_text="Records submitted by the importer (and by CBSA)")
    others = serializers.BooleanField(help_text="Records submitted by other businesses")


class RelationshipSerializer(serializers.ModelSerializer):
    provider = serializers.CharField(source="provider.bn9", help_text="BN9 of the customs broker or trade consultant")
    importer = serializers.CharField(source="importer.bn9", help_text="BN9 of the importer")
    program_accounts = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)
    visibility = serializers.SerializerMethodField()
    status = serializers.CharField(read_only=True, help_text=", ".join(Relationship.Status.values))

    class Meta:
        model = Relationship
        fields = [
            "id",
            "provider",
            "importer",
            "initiated_by",
            "scope",
            "program_accounts",
            "note",
            "status",
            "reason",
            "visibility",
            "allows_payments",
            "request_expires_on",
            "expires_on",
            "created_at",
            "decided_at",
            "ended_at",
        ]

    @extend_schema_field(Visibility)
    def get_visibility(self, relationship):
        return {
            "provider": relationship.sees_provider_records,
            "importer": relationship.sees_importer_records,
            "others": relationship.sees_other_records,
        }


class RequestSerializer(serializers.Serializer):
    provider = serializers.CharField(help_text="BN9 of the customs broker or trade consultant")
    importer = serializers.CharField(help_text="BN9 of the importer")
    scope = serializers.ChoiceField(choices=Relationship.Scope.choices)
    program_accounts = serializers.ListField(
        child=serializers.CharField(max_length=20),
        required=False,
        default=list,
        max_length=MAX_ACCOUNTS,
        help_text="BN15s, for program scope",
    )
    note = serializers.CharField(required=False, default="", allow_blank=True, max_length=1000)
    allows_payments = serializers.BooleanField(
        required=False, default=False, help_text="An importer's invitation: the provider may pay amounts owing"
    )


class TermsSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=Relationship.Scope.choices, required=False)
    program_accounts = serializers.ListField(
        child=serializers.CharField(max_length=20), required=False, max_length=MAX_ACCOUNTS, help_text="BN15s"
    )
    expires_on = serializers.DateField(required=False, help_text="Required in effect: defaults to one year")
    sees_provider = serializers.BooleanField(required=False)
    sees_importer = serializers.BooleanField(required=False)
    sees_others = serializers.BooleanField(required=False)
    allows_payments = serializers.BooleanField(required=False, help_text="The provider may pay amounts owing")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, default="", allow_blank=True, max_length=1000)


class AssignmentSerializer(serializers.Serializer):
    user = serializers.EmailField(required=False, help_text="An employee of the provider")
    group = serializers.CharField(required=False, help_text="Or an employee group of the provider")
    role = serializers.ChoiceField(
        choices=[r.value for r in CLIENT_ROLES], allow_null=True, help_text="null removes the assignment"
    )


class ClientSerializer(serializers.ModelSerializer):
    relationship = serializers.IntegerField(source="pk", read_only=True)
    importer = serializers.CharField(source="importer.bn9", read_only=True)
    legal_name = serializers.CharField(source="importer.legal_name", read_only=True)
    provider = serializers.CharField(source="provider.bn9", read_only=True)
    program_accounts = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)
    status = serializers.CharField(read_only=True)

    class Meta:
        model = Relationship
        fields = [
            "relationship",
            "importer",
            "legal_name",
            "provider",
            "scope",
            "program_accounts",
            "expires_on",
            "status",
        ]


class RelationshipScope(AuthorizedAPIMixin):
    def get_queryset(self):
        return (
            Relationship.objects.visible_to(self.request)
            .select_related("provider", "importer")
            .prefetch_related("program_accounts")
        )

    def relationship(self, pk):
        return rights.get_visible_or_404(self.get_queryset(), self.request, pk=pk)


@extend_schema(tags=["delegation"])
class RelationshipList(OwnRowsMixin, RelationshipScope, generics.ListCreateAPIView):
    serializer_class = RelationshipSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = RelationshipFilter  # the page's filters (delegation.views.manage)

    @extend_schema(summary="Requests and relationships of the businesses whose relationships I manage")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="A provider asks an importer for access, or an importer invites a provider",
        request=RequestSerializer,
        responses={201: RelationshipSerializer, 400: ERRORS, 404: ERRORS},
        examples=[
            OpenApiExample(
                "Program request",
                request_only=True,
                value={
                    "provider": "123026635",
                    "importer": "123456782",
                    "scope": "program",
                    "program_accounts": ["123456782RM0002"],
                },
            ),
            NOT_FOUND,
        ],
    )
    def post(self, request, *args, **kwargs):
        data = RequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        managed = Business.objects.visible_to(request, Action.ADMINISTER)
        options = {
            "scope": values["scope"],
            "accounts": values["program_accounts"],
            "note": values["note"],
            "request": request._request,
        }
        try:
            provider = managed.filter(bn9=values["provider"]).first()
            if provider is not None:
                if values["allows_payments"]:
                    return error_response(
                        "allows_payments", "importer_term", "Only the importer allows a service provider to pay."
                    )
                created = services.request_relationship(request, provider, values["importer"], **options)
            else:
                importer = rights.get_visible_or_404(managed, request, bn9=values["importer"])
                created = services.invite_provider(
                    request, importer, values["provider"], allows_payments=values["allows_payments"], **options
                )
        except DjangoValidationError as error:
            return _refusal(error)
        return Response(RelationshipSerializer(created).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["delegation"], summary="One request or relationship (404 when out of reach)")
class RelationshipDetail(RelationshipScope, generics.RetrieveAPIView):
    serializer_class = RelationshipSerializer

    def get_object(self):
        return self.relationship(self.kwargs["pk"])


def _terms(request, relationship, values) -> dict:
    terms = {
        key: values[key]
        for key in ("scope", "expires_on", "sees_provider", "sees_importer", "sees_others", "allows_payments")
        if key in values
    }
    if "program_accounts" in values:
        terms["accounts"] = [
            rights.get_visible_or_404(
                ProgramAccount.objects.filter(business=relationship.importer), request, number=number
            )
            for number in values["program_accounts"]
        ]
    return terms


class RelationshipAction(RelationshipScope, APIView):
    step = "approve"
    # JSON only: a form-encoded body reads every boolean it leaves out as false (HTML checkboxes), so a
    # partial terms update would reset the visibility and payment terms it did not name.
    parser_classes = [JSONParser]

    @extend_schema(
        tags=["delegation"],
        request=TermsSerializer,
        responses={200: RelationshipSerializer, 400: ERRORS, 403: ERRORS, 404: ERRORS},
        examples=[
            OpenApiExample(
                "Approve for a year, the provider's and the importer's records",
                request_only=True,
                value={
                    "scope": "business",
                    "expires_on": "2027-11-23",
                    "sees_provider": True,
                    "sees_importer": True,
                    "sees_others": False,
                    "allows_payments": True,
                },
            ),
            NOT_FOUND,
        ],
    )
    def post(self, request, pk):
        relationship = self.relationship(pk)
        data = TermsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        terms = _terms(request, relationship, data.validated_data)
        call = services.approve if self.step == "approve" else services.change_terms
        try:
            changed = call(request, relationship, request=request._request, **terms)
        except DjangoValidationError as error:
            return _refusal(error)
        return Response(RelationshipSerializer(changed).data)


class RelationshipEnd(RelationshipScope, APIView):
    step = "reject"

    @extend_schema(
        tags=["delegation"],
        request=ReasonSerializer,
        responses={200: RelationshipSerializer, 400: ERRORS, 403: ERRORS, 404: ERRORS},
        examples=[NOT_FOUND],
    )
    def post(self, request, pk):
        """reject: the deciding side refuses a request (a reason is required); end: the importer revokes
        (or the provider ends) a relationship at once, or the sender withdraws its pending request."""
        relationship = self.relationship(pk)
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reason = data.validated_data["reason"]
        try:
            if self.step == "reject":
                ended = services.reject(request, relationship, reason=reason, request=request._request)
            elif rights.may(request, Action.ADMINISTER, relationship.provider):
                ended = services.end_by_provider(request, relationship, reason=reason, request=request._request)
            else:
                ended = services.revoke(request, relationship, reason=reason, request=request._request)
        except DjangoValidationError as error:
            return _refusal(error)
        return Response(RelationshipSerializer(ended).data)


class RelationshipAssignment(RelationshipScope, APIView):
    @extend_schema(
        tags=["delegation"],
        summary="The provider's BAM puts an employee or group on the client (Editor or Reader)",
        request=AssignmentSerializer,
        responses={200: AssignmentSerializer, 400: ERRORS, 403: ERRORS, 404: ERRORS},
        examples=[
            OpenApiExample(
                "Brenda edits", request_only=True, value={"user": "brenda@northern.example", "role": "editor"}
            ),
            NOT_FOUND,
        ],
    )
    def post(self, request, pk):
        return _assign(request, self.relationship(pk), services.assign)


def _assign(request, target, assign):
    """Put the employee (e-mail) or employee group (name) of the body on `target`, a relationship or a
    client group of the provider, through `assign` (services.assign or services.assign_client_group)."""
    data = AssignmentSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    values = data.validated_data
    provider = target.provider
    user = group = None
    if values.get("group"):
        group = rights.get_visible_or_404(
            EmployeeGroup.objects.filter(business=provider), request, name=values["group"]
        )
    else:
        user = User.objects.filter(email__iexact=values.get("user", "")).first()
        if user is None:
            return error_response("user", "not_a_member", "Name an employee of the provider or a group.")
    try:
        assign(request, target, values["role"], user=user, group=group, request=request._request)
    except DjangoValidationError as error:
        return _refusal(error)
    return Response(AssignmentSerializer(values).data)


@extend_schema(tags=["delegation"], summary="The clients I (or the providers I manage) work for, in force")
class ClientList(AuthorizedAPIMixin, generics.ListAPIView):
    serializer_class = ClientSerializer

    def get_queryset(self):
        return (
            client_relationships(self.request)
            .in_force()
            .select_related("provider", "importer")
            .prefetch_related("program_accounts")
        )


# --- client groups ------------------------------------------------------------------------------


class ClientGroupAssignmentSerializer(serializers.Serializer):
    user = serializers.EmailField(allow_blank=True)
    group = serializers.CharField(allow_blank=True)
    role = serializers.CharField()


class ClientGroupSerializer(serializers.ModelSerializer):
    provider = serializers.CharField(source="provider.bn9", help_text="BN9 of the customs broker or trade consultant")
    relationships = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="The clients: ids of the provider's relationships"
    )
    assignments = serializers.SerializerMethodField()

    class Meta:
        model = ClientGroup
        fields = ["id", "provider", "name", "relationships", "assignments"]

    @extend_schema_field(ClientGroupAssignmentSerializer(many=True))
    def get_assignments(self, client_group):
        return [assignment.describe() for assignment in client_group.assignments.all()]


class ClientGroupWriteSerializer(serializers.Serializer):
    provider = serializers.CharField(required=False, help_text="BN9 of the provider (to create a group)")
    name = serializers.CharField(max_length=100)
    relationships = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        max_length=MAX_ROWS,
        help_text="Ids of the provider's relationships",
    )


class ClientGroupScope(AuthorizedAPIMixin):
    def get_queryset(self):
        return (
            ClientGroup.objects.visible_to(self.request)
            .select_related("provider")
            .prefetch_related("relationships", "assignments__user", "assignments__group")
        )

    def client_group(self, pk):
        return rights.get_visible_or_404(self.get_queryset(), self.request, pk=pk)

    def save(self, provider, values, client_group=None, created=False):
        """Create or change a client group; every relationship id is looked up among the provider's."""
        relationships = [
            rights.get_visible_or_404(client_relationships(self.request).filter(provider=provider), self.request, pk=pk)
            for pk in values["relationships"]
        ]
        try:
            saved = services.save_client_group(
                self.request,
                provider,
                name=values["name"],
                relationships=relationships,
                client_group=client_group,
                request=self.request._request,
            )
        except DjangoValidationError as error:
            return _refusal(error)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(ClientGroupSerializer(self.get_queryset().get(pk=saved.pk)).data, status=code)


GROUP_EXAMPLE = OpenApiExample(
    "Ontario importers",
    request_only=True,
    value={"provider": "123026635", "name": "Ontario importers", "relationships": [1]},
)


@extend_schema(tags=["delegation"])
class ClientGroupList(OwnRowsMixin, ClientGroupScope, generics.ListAPIView):
    serializer_class = ClientGroupSerializer

    @extend_schema(summary="The client groups of the providers I manage")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="A provider's BAM groups clients to staff them at once",
        request=ClientGroupWriteSerializer,
        responses={201: ClientGroupSerializer, 400: ERRORS, 404: ERRORS},
        examples=[GROUP_EXAMPLE, NOT_FOUND],
    )
    def post(self, request, *args, **kwargs):
        data = ClientGroupWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if not values.get("provider"):
            return error_response("provider", "required", "Name the provider (BN9) the client group belongs to.")
        managed = Business.objects.visible_to(request, Action.ADMINISTER)
        provider = rights.get_visible_or_404(managed, request, bn9=values["provider"])
        return self.save(provider, values, created=True)


@extend_schema(tags=["delegation"])
class ClientGroupDetail(ClientGroupScope, generics.RetrieveAPIView):
    serializer_class = ClientGroupSerializer

    def get_object(self):
        return self.client_group(self.kwargs["pk"])

    @extend_schema(summary="One client group (404 when out of reach)")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Rename a client group or change its clients (its assignments follow at once)",
        request=ClientGroupWriteSerializer,
        responses={200: ClientGroupSerializer, 400: ERRORS, 404: ERRORS},
        examples=[NOT_FOUND],
    )
    def put(self, request, pk):
        client_group = self.client_group(pk)
        data = ClientGroupWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self.save(client_group.provider, data.validated_data, client_group)

    @extend_schema(summary="Delete a client group and its assignments", responses={204: None, 404: ERRORS})
    def delete(self, request, pk):
        services.delete_client_group(request, self.client_group(pk), request=request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ClientGroupAssignment(ClientGroupScope, APIView):
    @extend_schema(
        tags=["delegation"],
        summary="The provider's BAM puts an employee or group on every client of the group (Editor or Reader)",
        request=AssignmentSerializer,
        responses={200: AssignmentSerializer, 400: ERRORS, 403: ERRORS, 404: ERRORS},
        examples=[NOT_FOUND],
    )
    def post(self, request, pk):
        return _assign(request, self.client_group(pk), services.assign_client_group)
