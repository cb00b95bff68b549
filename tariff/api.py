"""The public tariff data API (/api/v1/tariff/...): read-only, no sign-in, rate-limited.

Every endpoint answers as of a date (`as_of=YYYY-MM-DD`, today by default) and sends an ETag:
a client polling with If-None-Match gets 304 Not Modified until new tariff data is loaded.
"""

import csv
import hashlib
import io
import json

from django.http import HttpResponseNotModified, StreamingHttpResponse
from django.utils.http import parse_etags
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import error_response
from core.pagination import BoundedLimitOffsetPagination
from rights.policy import PUBLIC

from . import services
from .serializers import (
    ChangeSerializer,
    ChapterSerializer,
    ClassificationSerializer,
    HeadingSerializer,
    SearchResponseSerializer,
    SectionSerializer,
    VersionSerializer,
)

CACHE_SECONDS = 300

AS_OF = OpenApiParameter(
    "as_of", OpenApiTypes.DATE, description="Answer as the tariff stood on this day (YYYY-MM-DD); default today."
)
ERRORS = inline_serializer(
    "TariffErrors",
    {
        "errors": serializers.ListField(
            child=inline_serializer(
                "TariffError",
                {
                    "field": serializers.CharField(allow_null=True),
                    "code": serializers.CharField(),
                    "message": serializers.CharField(),
                },
            )
        )
    },
)
UNKNOWN_CODE_EXAMPLE = OpenApiExample(
    "Unknown code",
    status_codes=["404"],
    value={
        "errors": [
            {
                "field": "number",
                "code": "unknown_code",
                "message": "9999.99.99.99 is not in the tariff schedule in force on 2026-11-23.",
            }
        ]
    },
)
BAD_DATE_EXAMPLE = OpenApiExample(
    "Malformed date",
    status_codes=["400"],
    value={"errors": [{"field": "as_of", "code": "invalid_date", "message": "Give a date as YYYY-MM-DD."}]},
)


def _errors(*extra):
    return {400: ERRORS, 404: ERRORS, 429: ERRORS, **dict(extra)}


class TariffAPIView(APIView):
    access_policy = PUBLIC
    permission_classes = [AllowAny]

    def as_of(self):
        return services.parse_day(self.request.query_params.get("as_of"), "as_of", default=services.today())

    def handle_exception(self, exc):
        if isinstance(exc, services.TariffError):
            return error_response(exc.field, exc.code, exc.message, exc.status)
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code != 200:
            return response
        etag = self.etag(request)
        if etag in parse_etags(request.headers.get("If-None-Match", "")):
            response = HttpResponseNotModified()
        response["ETag"] = etag
        response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
        return response

    @staticmethod
    def etag(request) -> str:
        """Changes when tariff data is loaded, and daily (the default as_of is today)."""
        key = f"{services.data_revision()}|{services.today()}|{request.get_full_path()}"
        return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


class SectionListView(TariffAPIView):
    @extend_schema(
        summary="Sections and their chapters",
        tags=["tariff"],
        parameters=[AS_OF],
        responses={
            200: inline_serializer(
                "TariffSections",
                {
                    "schedule": serializers.CharField(),
                    "as_of": serializers.DateField(),
                    "sections": SectionSerializer(many=True),
                },
            ),
            **_errors(),
        },
        examples=[
            OpenApiExample(
                "Sections",
                response_only=True,
                value={
                    "schedule": "T2026",
                    "as_of": "2026-11-23",
                    "sections": [
                        {
                            "number": 1,
                            "roman": "I",
                            "title": "Live Animals; Animal Products",
                            "title_fr": "",
                            "chapters": [{"number": "01", "title": "Live animals", "title_fr": ""}],
                        }
                    ],
                },
            ),
            BAD_DATE_EXAMPLE,
        ],
    )
    def get(self, request):
        as_of = self.as_of()
        schedule, sections = services.sections(as_of)
        return Response(
            {"schedule": schedule.label, "as_of": as_of, "sections": SectionSerializer(sections, many=True).data}
        )


class ChapterView(TariffAPIView):
    @extend_schema(
        summary="A chapter: its section, legal notes and headings",
        tags=["tariff"],
        parameters=[AS_OF],
        responses={200: ChapterSerializer, **_errors()},
        examples=[
            OpenApiExample(
                "Chapter 01",
                response_only=True,
                value={
                    "schedule": "T2026",
                    "number": "01",
                    "title": "Live animals",
                    "title_fr": "",
                    "section": {"number": 1, "roman": "I", "title": "Live Animals; Animal Products", "title_fr": ""},
                    "notes": [
                        {
                            "applies_to": "chapter 01",
                            "kind": "note",
                            "text": "1. This Chapter covers all live animals except: ...",
                            "text_fr": "",
                            "valid_from": "2019-01-01",
                        }
                    ],
                    "headings": [
                        {
                            "number": "0101",
                            "printed_code": "01.01",
                            "level": "heading",
                            "description": "Live horses, asses, mules and hinnies.",
                            "description_fr": "",
                            "unit_of_measure": "",
                        }
                    ],
                },
            ),
            UNKNOWN_CODE_EXAMPLE,
        ],
    )
    def get(self, request, number):
        return Response(ChapterSerializer(services.chapter(number, self.as_of())).data)


class HeadingView(TariffAPIView):
    @extend_schema(
        summary="A heading and every row under it",
        tags=["tariff"],
        parameters=[AS_OF],
        responses={200: HeadingSerializer, **_errors()},
        examples=[
            OpenApiExample(
                "Heading 01.01",
                response_only=True,
                value={
                    "schedule": "T2026",
                    "heading": {
                        "number": "0101",
                        "printed_code": "01.01",
                        "level": "heading",
                        "description": "Live horses, asses, mules and hinnies.",
                        "description_fr": "",
                        "unit_of_measure": "",
                    },
                    "chapter": {"number": "01", "title": "Live animals", "title_fr": ""},
                    "notes": [],
                    "descendants": [
                        {
                            "number": "01012",
                            "printed_code": "0101.2",
                            "level": "grouping",
                            "description": "Horses:",
                            "description_fr": "",
                            "unit_of_measure": "",
                            "parent": "0101",
                            "depth": 1,
                            "mfn": None,
                        },
                        {
                            "number": "01012100",
                            "printed_code": "0101.21.00",
                            "level": "tariff_item",
                            "description": "Pure-bred breeding animals",
                            "description_fr": "",
                            "unit_of_measure": "",
                            "parent": "01012",
                            "depth": 2,
                            "mfn": "Free",
                        },
                    ],
                },
            ),
            UNKNOWN_CODE_EXAMPLE,
        ],
    )
    def get(self, request, code):
        return Response(HeadingSerializer(services.heading(code, self.as_of())).data)


class ClassificationView(TariffAPIView):
    @extend_schema(
        summary="A classification number (10 digits) or tariff item (8 digits), dots optional",
        description="Description, full description path, unit of measure, every treatment's rate (as printed and "
        "structured), effective dates and footnote. A 10-digit number's rates are its tariff item's.",
        tags=["tariff"],
        parameters=[AS_OF],
        responses={200: ClassificationSerializer, **_errors()},
        examples=[
            OpenApiExample(
                "0101.21.00.00",
                response_only=True,
                value={
                    "schedule": "T2026",
                    "number": "0101210000",
                    "printed_code": "0101.21.00.00",
                    "level": "classification",
                    "description": "Pure-bred breeding animals",
                    "description_fr": "",
                    "path": [
                        {
                            "number": "I",
                            "level": "section",
                            "description": "Live Animals; Animal Products",
                            "description_fr": "",
                        },
                        {"number": "01", "level": "chapter", "description": "Live animals", "description_fr": ""},
                        {
                            "number": "0101",
                            "level": "heading",
                            "description": "Live horses, asses, mules and hinnies.",
                            "description_fr": "",
                        },
                        {"number": "01012", "level": "grouping", "description": "Horses:", "description_fr": ""},
                        {
                            "number": "01012100",
                            "level": "tariff_item",
                            "description": "Pure-bred breeding animals",
                            "description_fr": "",
                        },
                    ],
                    "unit_of_measure": "NMB",
                    "footnote": "",
                    "valid_from": "2021-07-01",
                    "valid_to": None,
                    "rates_from": "01012100",
                    "rates": [
                        {
                            "treatment": "MFN",
                            "treatment_name": "Most-Favoured-Nation Tariff",
                            "text": "Free",
                            "structured": {"kind": "free"},
                            "valid_from": "2021-07-01",
                            "schedule": "T2021",
                        }
                    ],
                    "children": [],
                },
            ),
            UNKNOWN_CODE_EXAMPLE,
            OpenApiExample(
                "Malformed code",
                status_codes=["400"],
                value={
                    "errors": [
                        {
                            "field": "number",
                            "code": "invalid_code",
                            "message": "A tariff code has digits only, optionally separated by dots.",
                        }
                    ]
                },
            ),
        ],
    )
    def get(self, request, number):
        return Response(ClassificationSerializer(services.classification(number, self.as_of())).data)


class SearchView(TariffAPIView):
    @extend_schema(
        summary="Search by words or by a (partial) code",
        description="Words are ranked by the tariff search; a query made of digits (dots optional) lists the rows "
        "whose code starts with them.",
        tags=["tariff"],
        parameters=[
            OpenApiParameter("q", str, required=True, description="Words or a code, at most 500 characters."),
            OpenApiParameter("limit", int, description="1 to 100; default 20."),
            AS_OF,
        ],
        responses={200: SearchResponseSerializer, **_errors()},
        examples=[
            OpenApiExample(
                "Electric cars",
                response_only=True,
                value={
                    "query": "electric car",
                    "as_of": "2026-11-23",
                    "results": [
                        {
                            "number": "8703800000",
                            "printed_code": "8703.80.00.00",
                            "description": "Other vehicles, with only electric motor for propulsion",
                            "path": [
                                "Motor cars and other motor vehicles principally designed for the transport of persons"
                            ],
                            "unit_of_measure": "NMB",
                            "score": 0.92,
                            "why": ["electric", "motor vehicles"],
                        }
                    ],
                },
            ),
            OpenApiExample(
                "Query too long",
                status_codes=["400"],
                value={"errors": [{"field": "q", "code": "too_long", "message": "Search for at most 500 characters."}]},
            ),
        ],
    )
    def get(self, request):
        params = request.query_params
        query, limit, as_of = (
            services.parse_query(params.get("q")),
            services.parse_limit(params.get("limit")),
            self.as_of(),
        )
        hits = services.search(query, as_of, limit)
        question = services.distinguishing_question(hits)
        answer = {"query": query, "as_of": as_of, "results": hits, "question": question}
        return Response(SearchResponseSerializer(answer).data)


class ChangePagination(BoundedLimitOffsetPagination):
    default_limit = 100
    max_limit = 1000


class ChangesView(TariffAPIView):
    pagination_class = ChangePagination

    @extend_schema(
        summary="What changed between schedule versions",
        description="Every row and rate a schedule version dated from `since` up to `as_of` added, removed or "
        "amended, compared with the version before it. Paginated with limit/offset.",
        tags=["tariff"],
        parameters=[
            OpenApiParameter("since", OpenApiTypes.DATE, required=True, description="YYYY-MM-DD"),
            AS_OF,
            OpenApiParameter("limit", int),
            OpenApiParameter("offset", int),
        ],
        responses={
            200: inline_serializer(
                "TariffChanges",
                {
                    "count": serializers.IntegerField(),
                    "next": serializers.URLField(allow_null=True),
                    "previous": serializers.URLField(allow_null=True),
                    "results": ChangeSerializer(many=True),
                },
            ),
            **_errors(),
        },
        examples=[
            OpenApiExample(
                "A treatment added",
                response_only=True,
                value={
                    "count": 1,
                    "next": None,
                    "previous": None,
                    "results": [
                        {
                            "schedule": "T2026",
                            "effective_date": "2026-01-01",
                            "number": "87038000",
                            "treatment": "GT",
                            "action": "added",
                            "before": None,
                            "after": {"text": "35%"},
                        }
                    ],
                },
            )
        ],
    )
    def get(self, request):
        since = services.parse_day(request.query_params.get("since"), "since")
        changes = services.changes_since(since).filter(version__effective_date__lte=self.as_of())
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(changes, request, view=self)
        return paginator.get_paginated_response(ChangeSerializer(page, many=True).data)


class VersionListView(TariffAPIView):
    @extend_schema(
        summary="The schedule versions loaded", tags=["tariff"], responses={200: VersionSerializer(many=True)}
    )
    def get(self, request):
        return Response(VersionSerializer(services.schedule_versions(), many=True).data)


class ExportView(TariffAPIView):
    """The whole schedule in force on a day, streamed: one row per printed line, a column per treatment."""

    export_format = "csv"

    @extend_schema(
        summary="Bulk export of the schedule in force (streamed)",
        tags=["tariff"],
        parameters=[AS_OF],
        responses={(200, "text/csv"): OpenApiTypes.STR, (200, "application/json"): OpenApiTypes.OBJECT, **_errors()},
    )
    def get(self, request):
        as_of = self.as_of()
        schedule = services.schedule_in_force(as_of)
        rows = services.export_rows(as_of)
        name = f"tariff-{schedule.label}-{as_of.isoformat()}.{self.export_format}"
        if self.export_format == "csv":
            response = StreamingHttpResponse(_csv_lines(rows), content_type="text/csv; charset=utf-8")
        else:
            response = StreamingHttpResponse(_json_chunks(schedule, as_of, rows), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


def _csv_lines(rows):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=services.EXPORT_COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def _json_chunks(schedule, as_of, rows):
    yield json.dumps({"schedule": schedule.label, "as_of": as_of.isoformat()})[:-1] + ', "rows": ['
    for index, row in enumerate(rows):
        yield ("," if index else "") + json.dumps(row, ensure_ascii=False)
    yield "]}"
