"""The workbench API (/api/v1/cbsa/...) for officers' tools: queues and their assignment, runs
(launch, watch progress) and the dashboard figures. Officers only (a signed-in person without an
officer role gets 403); each call requires its officer action and goes through workbench.services,
like the pages."""

import datetime as dt

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

import rights
from accounts.models import User
from rights import Action
from rights.api import AuthorizedAPIMixin
from rights.policy import OFFICER

from . import dashboards, extensions, services
from .models import Run


class OfficerAPIView(AuthorizedAPIMixin, APIView):
    """Officers only; `action` is the officer action every call of the view needs."""

    access_policy = OFFICER
    action = Action.VIEW_CLIENTS

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not rights.actor_of(request).is_officer:
            rights.deny(request, None, self.action, request)
        rights.require(request, self.action, request=request)


def _invalid(error: DjangoValidationError) -> ValidationError:
    return ValidationError({"non_field_errors": error.messages})


class QueueOut(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    open = serializers.IntegerField()
    overdue = serializers.IntegerField(help_text="Items past their service-standard deadline")
    mine = serializers.IntegerField(help_text="Items assigned to the caller")


class ItemOut(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    link = serializers.CharField()
    deadline = serializers.DateField(allow_null=True)
    days_left = serializers.IntegerField(allow_null=True)
    officer = serializers.EmailField(source="officer.email", allow_null=True, default=None)


class QueueAssignIn(serializers.Serializer):
    items = serializers.ListField(child=serializers.CharField(), min_length=1, max_length=500)
    officer = serializers.EmailField(help_text="The officer the items go to")
    reason = serializers.CharField(max_length=2000)


class QueueDecideIn(serializers.Serializer):
    items = serializers.ListField(child=serializers.CharField(), min_length=1, max_length=500)
    decision = serializers.ChoiceField(choices=["approve", "reject"])
    reason = serializers.CharField(max_length=200)


class DecidedOut(serializers.Serializer):
    key = serializers.CharField()
    decided = serializers.BooleanField()
    error = serializers.CharField(help_text="Why the item was not decided (empty when it was)")


class RunOut(serializers.ModelSerializer):
    percent = serializers.IntegerField()
    launched_by = serializers.EmailField(source="launched_by.email", allow_null=True, default=None)

    class Meta:
        model = Run
        fields = ["id", "job", "day", "status", "done", "total", "percent", "count", "error", "reason"]
        fields += ["launched_by", "launched_at", "finished_at"]


class RunIn(serializers.Serializer):
    job = serializers.ChoiceField(choices=[])
    day = serializers.DateField()
    reason = serializers.CharField(max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["job"].choices = list(extensions.jobs)


@extend_schema(
    tags=["workbench"],
    summary="Approve or reject selected items of a queue with one reason (adjustments, refunds)",
    description="Each item is decided through the same service as a single decision and audited; an item "
    "that cannot be decided is reported with its reason and the others are still decided.",
    request=QueueDecideIn,
    responses={200: DecidedOut(many=True)},
)
class QueueDecide(OfficerAPIView):
    def post(self, request, key):
        if key not in extensions.queues:
            raise NotFound()
        data = QueueDecideIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            results = services.decide_many(
                key,
                data.validated_data["items"],
                data.validated_data["decision"] == "approve",
                by=request.user,
                reason=data.validated_data["reason"],
                request=request,
            )
        except DjangoValidationError as error:
            raise _invalid(error) from None
        rows = [{"key": row["key"], "decided": not row["error"], "error": row["error"]} for row in results]
        return Response(DecidedOut(rows, many=True).data)


@extend_schema(tags=["workbench"], summary="The work queues: open and overdue items", responses=QueueOut(many=True))
class QueueList(OfficerAPIView):
    def get(self, request):
        rows = [
            {
                "key": row["queue"].key,
                "label": str(row["queue"].label),
                **{k: row[k] for k in ("open", "overdue", "mine")},
            }
            for row in services.queue_summary(request)
        ]
        return Response(QueueOut(rows, many=True).data)


class QueueItems(OfficerAPIView):
    @extend_schema(
        tags=["workbench"],
        summary="The open items of a queue, nearest deadline first",
        operation_id="cbsa_queue_items",
        responses=ItemOut(many=True),
    )
    def get(self, request, key):
        if key not in extensions.queues:
            raise NotFound()
        return Response(ItemOut(services.queue_items(key, request), many=True).data)


@extend_schema(
    tags=["workbench"],
    summary="Assign items of a queue to an officer (supervisors), with the reason",
    request=QueueAssignIn,
    responses={200: inline_serializer("Assigned", {"assigned": serializers.IntegerField()})},
    examples=[
        OpenApiExample(
            "Assign two items",
            value={"items": ["12", "15"], "officer": "remi@cbsa.example", "reason": "Workload"},
            request_only=True,
        )
    ],
)
class QueueAssign(OfficerAPIView):
    action = Action.ASSIGN_WORK

    def post(self, request, key):
        if key not in extensions.queues:
            raise NotFound()
        data = QueueAssignIn(data=request.data)
        data.is_valid(raise_exception=True)
        officer = User.objects.filter(email__iexact=data.validated_data["officer"], is_active=True).first()
        if officer is None:
            raise ValidationError({"officer": ["No active person has this e-mail address."]})
        try:
            count = services.assign(
                key,
                data.validated_data["items"],
                officer,
                by=request.user,
                reason=data.validated_data["reason"],
                request=request,
            )
        except DjangoValidationError as error:
            raise _invalid(error) from None
        return Response({"assigned": count})


class RunList(OfficerAPIView):
    action = Action.VIEW_DASHBOARDS

    @extend_schema(tags=["workbench"], summary="The latest runs", responses=RunOut(many=True))
    def get(self, request):
        return Response(RunOut(Run.objects.select_related("launched_by")[:50], many=True).data)

    @extend_schema(
        tags=["workbench"],
        summary="Launch a run of a job (RUN_JOBS); a job already done for the day does nothing",
        request=RunIn,
        responses={202: RunOut},
        examples=[
            OpenApiExample(
                "Interest", value={"job": "interest", "day": "2026-12-03", "reason": "Missed night"}, request_only=True
            )
        ],
    )
    def post(self, request):
        rights.require(request, Action.RUN_JOBS, request=request)
        data = RunIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        run = services.launch(values["job"], values["day"], by=request.user, reason=values["reason"], request=request)
        return Response(RunOut(run).data, status=status.HTTP_202_ACCEPTED)


@extend_schema(tags=["workbench"], summary="One run: its progress (done/total), result or error", responses=RunOut)
class RunDetail(OfficerAPIView):
    action = Action.VIEW_DASHBOARDS

    def get(self, request, pk):
        run = Run.objects.select_related("launched_by").filter(pk=pk).first()
        if run is None:
            raise NotFound()
        return Response(RunOut(run).data)


class PeriodIn(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()

    def validate(self, data):
        if data["start"] > data["end"]:
            raise ValidationError("The start of the period comes after its end.")
        return data


@extend_schema(
    tags=["workbench"],
    summary="The dashboard figures for a period (revenue, CAD volumes, rejection reasons, overdue debt, compliance)",
    parameters=[OpenApiParameter("start", dt.date, required=True), OpenApiParameter("end", dt.date, required=True)],
    responses={
        200: inline_serializer("Dashboard", {"revenue": serializers.ListField(), "volumes": serializers.ListField()})
    },
)
class Dashboard(OfficerAPIView):
    action = Action.VIEW_DASHBOARDS

    def get(self, request):
        period = PeriodIn(
            data={"start": timezone.localdate(), "end": timezone.localdate(), **request.query_params.dict()}
        )
        period.is_valid(raise_exception=True)
        start, end = period.validated_data["start"], period.validated_data["end"]
        overdue = dashboards.overdue_debt(end)
        return Response(
            {
                "revenue": [
                    {**row, "assessed": str(row["assessed"]), "collected": str(row["collected"])}
                    for row in dashboards.revenue(start, end)
                ],
                "volumes": dashboards.cad_volumes(start, end),
                "reasons": dashboards.rejection_reasons(start, end),
                "overdue": {"total": str(overdue["total"]), "accounts": overdue["accounts"]},
                "compliance": dashboards.standard_compliance(start, end),
                "adjustments": dashboards.adjustment_compliance(start, end),
            }
        )
