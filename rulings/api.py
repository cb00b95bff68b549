"""Rulings API (/api/v1/rulings) for brokers' and importers' software: file a request (draft, then
submit), attach files, read its status, clock and messages, answer an officer; the officers' side
(queue, assign, request information, decide, refuse, publish: `Action.DECIDE_RULINGS`, other officer
roles read only); and the public register of published rulings. Every call goes through
rulings.services, like the pages. A broker authenticates with a personal API token and names the
importer with `X-Acting-For: BN9`."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

import rights
from businesses.models import ProgramAccount
from registry.bn import Program
from rights import Action
from rights.api import AuthorizedAPIMixin, own_rows
from rights.policy import OFFICER, PUBLIC

from . import demo, services
from .forms import ListFilter, RegisterSearch
from .models import Agreement, Capacity, Kind, RulingEvent, RulingRequest


class RulingErrorOut(serializers.Serializer):
    field = serializers.CharField(allow_null=True)
    code = serializers.CharField()
    message = serializers.CharField()


ERRORS = inline_serializer("RulingErrors", {"errors": RulingErrorOut(many=True)})


def _errors(error: services.RulingError, http=status.HTTP_400_BAD_REQUEST) -> Response:
    if isinstance(error, services.Conflict):
        http = status.HTTP_409_CONFLICT
    return Response({"errors": [e.as_dict() for e in error.errors]}, status=http)


class EventOut(serializers.ModelSerializer):
    by = serializers.SerializerMethodField()

    class Meta:
        model = RulingEvent
        fields = ["kind", "at", "by", "status_after", "message"]

    def get_by(self, event) -> str:
        return "officer" if event.by_officer else "applicant"


class RulingOut(serializers.ModelSerializer):
    program_account = serializers.CharField(source="program_account.number")
    offices = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    days_elapsed = serializers.SerializerMethodField()
    days_left = serializers.SerializerMethodField()
    modification_days_elapsed = serializers.SerializerMethodField()
    modification_days_left = serializers.SerializerMethodField()
    officer = serializers.EmailField(source="officer.email", allow_null=True, read_only=True, default=None)
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = RulingRequest
        fields = [
            "case_number",
            "kind",
            "status",
            "program_account",
            "offices",
            "agreement",
            "under_verification",
            "other_ruling",
            "imported_before",
            "consents_to_publication",
            *services.DETAIL_FIELDS,
            "submitted_on",
            "paused",
            "paused_days",
            "days_elapsed",
            "days_left",
            "officer",
            "outcome",
            "ruling_classification",
            "ruling_reasons",
            "effective_date",
            "revoked_on",
            "published_on",
            "modification_requested_on",
            "modification_days_elapsed",
            "modification_days_left",
            "modification_decided_on",
            "attachments",
        ]

    def get_days_elapsed(self, ruling) -> int | None:
        return services.days_elapsed(ruling)

    def get_days_left(self, ruling) -> int | None:
        return services.days_left(ruling)

    def get_modification_days_elapsed(self, ruling) -> int | None:
        return services.modification_days_elapsed(ruling)

    def get_modification_days_left(self, ruling) -> int | None:
        return services.modification_days_left(ruling)

    def get_attachments(self, ruling) -> list[dict]:
        return [{"name": a.name, "content_type": a.content_type, "size": a.size} for a in ruling.attachments.all()]


class RulingIn(serializers.Serializer):
    """What a draft holds; every field optional on PATCH. Checked by rulings.services."""

    offices = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="CBSA office codes, e.g. 0497"
    )
    agreement = serializers.ChoiceField(Agreement.choices, required=False, allow_blank=True)
    under_verification = serializers.BooleanField(required=False, allow_null=True)
    other_ruling = serializers.BooleanField(required=False, allow_null=True)
    imported_before = serializers.BooleanField(required=False, allow_null=True)
    consents_to_publication = serializers.BooleanField(required=False)
    capacity = serializers.ChoiceField(Capacity.choices, required=False, allow_blank=True)
    contact_name = serializers.CharField(required=False, allow_blank=True, max_length=120)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    trade_names = serializers.CharField(required=False, allow_blank=True, max_length=300)
    description = serializers.CharField(required=False, allow_blank=True)
    composition = serializers.CharField(required=False, allow_blank=True)
    manufacturing_process = serializers.CharField(required=False, allow_blank=True)
    use = serializers.CharField(required=False, allow_blank=True)
    proposed_classification = serializers.CharField(required=False, allow_blank=True, max_length=16)
    proposed_reasons = serializers.CharField(required=False, allow_blank=True)


class NewRulingIn(RulingIn):
    program_account = serializers.CharField(help_text="The importer's BN15 RM account")
    kind = serializers.ChoiceField(Kind.choices)


EXAMPLE = OpenApiExample(
    "A classification request",
    value={"program_account": "123456782RM0001", "kind": "classification", **demo.T_SHIRTS},
    request_only=True,
)
FILTERS = [
    OpenApiParameter("submitted_from", str, description="YYYY-MM-DD"),
    OpenApiParameter("submitted_to", str, description="YYYY-MM-DD"),
    OpenApiParameter("kind", str, enum=Kind.values),
    OpenApiParameter("status", str),
    OpenApiParameter("case_number", str),
]


def _valid(serializer_class, data, **kwargs) -> dict:
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _saved(ruling, errors, created=False) -> Response:
    """A draft saved: 201/200 with it, or 400 naming what was not kept or is wrong (the rest is kept)."""
    if errors:
        return Response({"errors": [e.as_dict() for e in errors]}, status=status.HTTP_400_BAD_REQUEST)
    return Response(RulingOut(ruling).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class RulingScope(AuthorizedAPIMixin):
    def ruling(self, action=Action.VIEW) -> RulingRequest:
        return rights.get_visible_or_404(
            services.visible_requests(self.request, action).select_related("program_account__business"),
            self.request,
            case_number=self.kwargs["case_number"],
        )


class RulingList(RulingScope, generics.ListAPIView):
    serializer_class = RulingOut

    def get_queryset(self):
        form = ListFilter(self.request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors, code="invalid")
        requests = own_rows(services.visible_requests(self.request), self.request)
        return form.filter(requests.prefetch_related("offices", "attachments"))

    @extend_schema(summary="Ruling requests I may see (delegation visibility applies)", parameters=FILTERS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="create_ruling_request",
        summary="Start a ruling request (a draft) in an importer's account",
        description="Kept as a draft whatever is missing; 400 names an unknown port or a classification not "
        "in the tariff (the rest is kept: read the draft back). Submit it with POST …/submit.",
        request=NewRulingIn,
        responses={201: RulingOut, 400: ERRORS},
        examples=[EXAMPLE],
    )
    def post(self, request):
        data = _valid(NewRulingIn, request.data)
        account = rights.get_visible_or_404(
            ProgramAccount.objects.visible_to(request, Action.TRANSACT).filter(program=Program.IMPORT_EXPORT),
            request,
            number=data.pop("program_account").strip().upper(),
        )
        ruling = services.new_draft(request, account, data.pop("kind"), request=request)
        return _saved(ruling, services.update_draft(request, ruling, data, request=request), created=True)


class RulingDetail(RulingScope, APIView):
    @extend_schema(summary="A ruling request: status, clock, decision", responses={200: RulingOut})
    def get(self, request, case_number):
        return Response(RulingOut(self.ruling()).data)

    @extend_schema(summary="Change a draft", request=RulingIn, responses={200: RulingOut, 400: ERRORS, 409: ERRORS})
    def patch(self, request, case_number):
        ruling = self.ruling(Action.TRANSACT)
        try:
            errors = services.update_draft(
                request, ruling, _valid(RulingIn, request.data, partial=True), request=request
            )
        except services.RulingError as refused:
            return _errors(refused)
        return _saved(ruling, errors)


class RulingSubmit(RulingScope, APIView):
    @extend_schema(
        operation_id="submit_ruling_request",
        summary="Submit a draft: the 120-day clock starts",
        request=None,
        responses={200: RulingOut, 400: ERRORS, 409: ERRORS},
    )
    def post(self, request, case_number):
        ruling = self.ruling(Action.TRANSACT)
        try:
            services.submit(request, ruling, request=request)
        except services.RulingError as refused:
            return _errors(refused)
        return Response(RulingOut(ruling).data)


class RulingWithdraw(RulingScope, APIView):
    @extend_schema(summary="Withdraw an open request", request=None, responses={200: RulingOut, 409: ERRORS})
    def post(self, request, case_number):
        ruling = self.ruling(Action.TRANSACT)
        try:
            services.transition(request, ruling, services.Event.WITHDRAWN, request=request)
        except services.RulingError as refused:
            return _errors(refused)
        return Response(RulingOut(ruling).data)


class RulingAttachments(RulingScope, APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="Attach a PDF, PNG or JPEG file (10 MB at most)",
        request={"multipart/form-data": inline_serializer("RulingAttachmentIn", {"file": serializers.FileField()})},
        responses={201: RulingOut, 400: ERRORS, 409: ERRORS},
    )
    def post(self, request, case_number):
        ruling = self.ruling(Action.TRANSACT)
        try:
            services.add_attachment(request, ruling, request.FILES.get("file"), request=request)
        except services.RulingError as refused:
            return _errors(refused)
        return Response(RulingOut(ruling).data, status=status.HTTP_201_CREATED)


MessageIn = inline_serializer(
    "RulingMessageIn",
    {
        "message": serializers.CharField(max_length=5000),
        "answers_request": serializers.BooleanField(
            default=False, help_text="True: this gives the information the officer asked for (the clock restarts)"
        ),
    },
)


class RulingMessages(RulingScope, APIView):
    @extend_schema(summary="The request's history and messages", responses={200: EventOut(many=True)})
    def get(self, request, case_number):
        return Response(EventOut(self.ruling().events.all(), many=True).data)

    @extend_schema(
        summary="Write to the officer, or answer a request for information",
        request=MessageIn,
        responses={201: EventOut, 400: ERRORS, 409: ERRORS},
    )
    def post(self, request, case_number):
        ruling = self.ruling(Action.TRANSACT)
        message = request.data.get("message", "")
        try:
            if request.data.get("answers_request") in (True, "true"):
                if not str(message).strip():
                    raise services.RulingError([services.Error("message", "required", _("Write a message."))])
                services.transition(request, ruling, services.Event.ANSWERED, message=str(message), request=request)
                event = ruling.events.last()
            else:
                event = services.post_message(request, ruling, str(message), request=request)
        except services.RulingError as refused:
            return _errors(refused)
        return Response(EventOut(event).data, status=status.HTTP_201_CREATED)


# --- officers ---------------------------------------------------------------------------------------


class IsOfficer(BasePermission):
    """People holding an officer role (any: the queue is theirs to read; steps need DECIDE_RULINGS)."""

    def has_permission(self, request, view):
        return rights.actor_of(request).is_officer


class OfficerScope(RulingScope):
    access_policy = OFFICER
    permission_classes = [IsOfficer]


QUEUED = inline_serializer(
    "QueuedRuling",
    {
        "case_number": serializers.CharField(),
        "kind": serializers.CharField(),
        "status": serializers.CharField(),
        "paused": serializers.CharField(),
        "submitted_on": serializers.DateField(),
        "modification_requested_on": serializers.DateField(allow_null=True),
        "days_left": serializers.IntegerField(help_text="Of the 120-day standard (the modification's, if one is open)"),
        "officer": serializers.EmailField(allow_null=True),
    },
    many=True,
)


class RulingQueue(OfficerScope, APIView):
    @extend_schema(
        operation_id="rulings_officer_queue",
        summary="Officers: open requests (and requests to modify), nearest to breaching the standard first",
        responses={200: QUEUED, 403: ERRORS},
    )
    def get(self, request):
        return Response(
            [
                {
                    "case_number": r.case_number,
                    "kind": r.kind,
                    "status": r.status,
                    "paused": r.paused,
                    "submitted_on": r.submitted_on,
                    "modification_requested_on": r.modification_requested_on,
                    "days_left": r.days_left,
                    "officer": getattr(r.officer, "email", None),
                }
                for r in services.queue()
            ]
        )


class AssignIn(serializers.Serializer):
    officer = serializers.EmailField(required=False, help_text="An officer who decides rulings; default: you")


class InformationIn(serializers.Serializer):
    message = serializers.CharField(max_length=5000, help_text="What the applicant must send")


class RefusalIn(serializers.Serializer):
    reasons = serializers.CharField()
    message = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class DecisionIn(RefusalIn):
    classification = serializers.CharField(required=False, max_length=16, help_text="10 digits, dots allowed")
    effective_date = serializers.DateField(required=False, help_text="Default: the day of the decision")


class OfficerStep(OfficerScope, APIView):
    """One officer's step of rulings.services.TRANSITIONS on a filed request; `event` and `input`
    are set by each step below."""

    event = None
    input = None

    def post(self, request, case_number):
        ruling = self.ruling()
        data = _valid(self.input, request.data)
        message = data.pop("message", "")
        if "officer" in data:
            data["officer"] = get_user_model().objects.filter(email__iexact=data["officer"], is_staff=True).first()
            if data["officer"] is None:
                unknown = services.Error("officer", "unknown_officer", _("No CBSA officer has this e-mail address."))
                return _errors(services.RulingError([unknown]))
        try:
            services.transition(request, ruling, self.event, message=message, request=request, **data)
        except services.RulingError as refused:
            return _errors(refused)
        return Response(RulingOut(ruling).data)


def _officer_step(name: str, event: str, input, summary: str, example: dict) -> type:
    schema = extend_schema(
        operation_id=f"ruling_{name}",
        summary=summary,
        request=input,
        responses={200: RulingOut, 400: ERRORS, 403: ERRORS, 404: ERRORS, 409: ERRORS},
        examples=[OpenApiExample(name, value=example, request_only=True)],
    )
    return extend_schema_view(post=schema)(type(f"Ruling_{name}", (OfficerStep,), {"event": event, "input": input}))


RulingAssign = _officer_step(
    "assign",
    services.Event.ASSIGNED,
    AssignIn,
    "Assign a request to an officer (yourself by default); the clock keeps running",
    {"officer": "oscar@cbsa.example"},
)
RulingRequestInformation = _officer_step(
    "request_information",
    services.Event.INFORMATION_REQUESTED,
    InformationIn,
    "The assigned officer asks the applicant for information: the clock stops until the answer",
    {"message": "Send the laboratory analysis of the product's sugar content."},
)
RulingDecide = _officer_step(
    "decide",
    services.Event.RENDERED,
    DecisionIn,
    "The assigned officer renders the ruling (published at once if the applicant consented)",
    {
        "classification": "2201.90.00.00",
        "reasons": "GIR 1 and 6: heading 22.01, still water.",
        "effective_date": "2026-03-02",
    },
)
RulingRefuse = _officer_step(
    "refuse",
    services.Event.REFUSED,
    RefusalIn,
    "The assigned officer refuses to rule, with reasons",
    {"reasons": "The goods are under verification (D11-11-3)."},
)


class RulingPublish(OfficerScope, APIView):
    @extend_schema(
        operation_id="ruling_publish",
        summary="Publish a rendered ruling whose applicant consented (asking again changes nothing)",
        request=None,
        responses={200: RulingOut, 403: ERRORS, 404: ERRORS, 409: ERRORS},
    )
    def post(self, request, case_number):
        ruling = self.ruling()
        try:
            services.publish_ruling(request, ruling, request=request)
        except services.RulingError as refused:
            return _errors(refused)
        return Response(RulingOut(ruling).data)


class PublishedOut(serializers.Serializer):
    ruling_number = serializers.CharField()
    kind = serializers.CharField()
    decision_date = serializers.DateField()
    effective_date = serializers.DateField(allow_null=True)
    revoked_on = serializers.DateField(allow_null=True)
    classification = serializers.CharField()
    goods = serializers.CharField()
    composition = serializers.CharField()
    use = serializers.CharField()
    reasons = serializers.CharField()


class Register(generics.ListAPIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    access_policy = PUBLIC
    serializer_class = PublishedOut

    def get_queryset(self):
        form = RegisterSearch(self.request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors, code="invalid")
        return [services.public(ruling) for ruling in services.search_register(**form.cleaned_data)]

    @extend_schema(
        summary="Published rulings (anonymised), searchable",
        parameters=[
            OpenApiParameter("q", str),
            OpenApiParameter("code", str),
            OpenApiParameter("kind", str, enum=Kind.values),
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class RegisterEntry(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    access_policy = PUBLIC

    @extend_schema(summary="One published ruling", responses={200: PublishedOut})
    def get(self, request, number):
        ruling = services.register().filter(case_number=number).first()
        if ruling is None:
            raise NotFound
        return Response(PublishedOut(services.public(ruling)).data)
