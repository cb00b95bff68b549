"""Ledger API: entries (filterable), balances and statements of the program accounts the caller
may view. Every list goes through access.grants."""

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

import rights
from rights.api import OwnRowsMixin, own_rows
from rights.policy import SIGNED_IN

from .balances import overdue
from .filters import EntryFilter
from .models import LedgerAccount, LedgerEntry, Statement, accounts_with_documents


class EntrySerializer(serializers.ModelSerializer):
    program_account = serializers.CharField(source="program_account.number")
    submitted_by = serializers.CharField(source="submitted_by_business.bn9", default=None, allow_null=True)

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "program_account",
            "entry_type",
            "amount",
            "effective_date",
            "due_date",
            "billing_period_end",
            "transaction_number",
            "document_version",
            "reference",
            "description",
            "submitted_by",
            "explanation",
            "posted_at",
        ]


class BalanceSerializer(serializers.Serializer):
    program_account = serializers.CharField(source="program_account.number")
    balance = serializers.DecimalField(max_digits=15, decimal_places=2, help_text="Positive: the client owes CBSA")
    overdue = serializers.DecimalField(max_digits=15, decimal_places=2)
    offsetting_preference = serializers.CharField()


class StatementSerializer(serializers.ModelSerializer):
    program_account = serializers.CharField(source="program_account.number")

    class Meta:
        model = Statement
        fields = [
            "id",
            "program_account",
            "period_start",
            "period_end",
            "version",
            "statement_date",
            "due_date",
            "opening_balance",
            "closing_balance",
            "amount_due",
            "overdue",
            "content",
            "checksum",
            "issued_at",
        ]


ACCOUNT = OpenApiParameter("program_account", str, description="BN15: one program account's entries")


class EntryCursor(BasePagination):
    """Keyset pages, newest first, without a COUNT(*) (a broker's client can hold hundreds of thousands
    of entries): `cursor` names the last entry of the previous page as `YYYY-MM-DD.id`; the next page
    is what sorts after it by (effective date, id) descending, so entries posted meanwhile never shift
    a page. The view must order by ("-effective_date", "-id")."""

    page_size = 50
    cursor_query_param = "cursor"

    def _after(self, request):
        value = request.query_params.get(self.cursor_query_param)
        if not value:
            return None
        try:
            day, pk = value.split(".")
            return dt.date.fromisoformat(day), int(pk)
        except ValueError:
            raise ValidationError(
                {self.cursor_query_param: [_("Not a cursor from this list: use the link in “next”.")]}, code="invalid"
            ) from None

    def paginate_queryset(self, queryset, request, view=None):
        after = self._after(request)
        if after is not None:
            day, pk = after
            queryset = queryset.filter(Q(effective_date__lt=day) | Q(effective_date=day, id__lt=pk))
        rows = list(queryset[: self.page_size + 1])
        self.next = None
        if len(rows) > self.page_size:
            last = rows[self.page_size - 1]
            cursor = f"{last.effective_date.isoformat()}.{last.pk}"
            self.next = replace_query_param(request.build_absolute_uri(), self.cursor_query_param, cursor)
        return rows[: self.page_size]

    def get_paginated_response(self, data):
        return Response({"next": self.next, "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "The next page (null on the last one)",
                    "example": "https://carm.example/api/v1/ledger/entries?cursor=2025-04-21.1234",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Where the page starts: copy it from the previous page's `next` link",
                "schema": {"type": "string"},
            }
        ]


@extend_schema(
    tags=["ledger"],
    summary="Ledger entries of the program accounts I may view",
    description="Newest first, 50 a page. Pages are keyset pages: follow `next` (no total count is given).",
    parameters=[ACCOUNT],
)
class EntryList(generics.ListAPIView):
    access_policy = SIGNED_IN
    serializer_class = EntrySerializer
    pagination_class = EntryCursor
    filter_backends = [DjangoFilterBackend]
    filterset_class = EntryFilter  # the history page's filters (ledger.views.history)

    def get_queryset(self):
        entries = own_rows(LedgerEntry.objects.visible_to(self.request), self.request).select_related(
            "program_account", "submitted_by_business"
        )
        if self.request.query_params.get("program_account"):
            entries = entries.filter(program_account__number=self.request.query_params["program_account"])
        return entries.order_by("-effective_date", "-id")


@extend_schema(
    tags=["ledger"], summary="Balance and overdue amount of each program account whose every record I may view"
)
class BalanceList(generics.ListAPIView):
    access_policy = SIGNED_IN
    serializer_class = BalanceSerializer

    def get_queryset(self):
        return (
            LedgerAccount.objects.filter(
                program_account__in=own_rows(accounts_with_documents(self.request), self.request)
            )
            .select_related("program_account")
            .order_by("program_account__number")
        )

    def list(self, request, *args, **kwargs):
        ledgers = list(self.paginate_queryset(self.get_queryset()))
        late = overdue([ledger.program_account_id for ledger in ledgers], dt.date.today())
        for ledger in ledgers:
            ledger.overdue = late[ledger.program_account_id]
        return self.get_paginated_response(self.get_serializer(ledgers, many=True).data)


class StatementScope:
    access_policy = SIGNED_IN
    serializer_class = StatementSerializer

    def get_queryset(self):
        return Statement.objects.visible_to(self.request).select_related("program_account")


@extend_schema(tags=["ledger"], summary="Statements of account of the program accounts I may view")
class StatementList(OwnRowsMixin, StatementScope, generics.ListAPIView):
    pass


@extend_schema(tags=["ledger"], summary="One statement of account (404 when out of reach)")
class StatementDetail(StatementScope, generics.RetrieveAPIView):
    def get_object(self):
        return rights.get_visible_or_404(self.get_queryset(), self.request, pk=self.kwargs["pk"])
