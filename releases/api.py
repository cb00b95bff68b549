"""Releases API (/api/v1/releases/awaiting): the goods the caller may see released and not yet
accounted for, with their accounting deadlines, overdue first (releases.services, like the pages)."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from rights.api import AuthorizedAPIMixin

from . import services

AWAITING = inline_serializer(
    "ReleaseAwaiting",
    {
        "transaction_number": serializers.CharField(),
        "importer": serializers.CharField(help_text="The importer's RM account (BN15)"),
        "released_to": serializers.CharField(help_text="BN9 of the business that obtained the release"),
        "release_date": serializers.DateField(),
        "estimated_vfd": serializers.DecimalField(max_digits=15, decimal_places=2),
        "deadline": serializers.DateField(allow_null=True, help_text="null: no holiday calendar for these days yet"),
        "deadline_source": serializers.CharField(),
        "overdue": serializers.BooleanField(),
    },
    many=True,
)


class Awaiting(AuthorizedAPIMixin, APIView):
    @extend_schema(
        summary="Releases awaiting their CAD, with the accounting deadline, overdue first", responses=AWAITING
    )
    def get(self, request):
        today = timezone.localdate()
        return Response(
            [
                {
                    "transaction_number": item.release.transaction_number,
                    "importer": item.release.program_account.number,
                    "released_to": item.release.submitted_by_business.bn9,
                    "release_date": item.release.release_date.isoformat(),
                    "estimated_vfd": f"{item.release.estimated_vfd:.2f}",
                    "deadline": item.deadline.day.isoformat() if item.deadline else None,
                    "deadline_source": item.deadline.source if item.deadline else "",
                    "overdue": item.overdue(today),
                }
                for item in services.awaiting_accounting(request, today)
            ]
        )
