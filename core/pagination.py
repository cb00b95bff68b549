"""The API's default pagination: DRF's limit/offset, with bounds. An unbounded offset reaches the
database as a number it cannot hold (SQLite: "datatype mismatch", a 500)."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    max_limit = 500
    max_offset = 10**9

    def get_limit(self, request):
        # DRF falls back to the default on a limit it cannot read (or clips one too big): a caller
        # who asked for something else is told instead.
        text = request.query_params.get(self.limit_query_param)
        if text is not None and not (text.isascii() and text.isdigit() and 1 <= int(text) <= self.max_limit):
            raise ValidationError(
                {self.limit_query_param: [_("Give a number from 1 to %(max)s.") % {"max": self.max_limit}]}
            )
        return super().get_limit(request)

    def get_offset(self, request):
        offset = super().get_offset(request)
        if offset > self.max_offset:
            raise ValidationError(
                {self.offset_query_param: [_("Give an offset of at most %(max)s.") % {"max": self.max_offset}]}
            )
        return offset
