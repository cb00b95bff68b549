"""The API's JSON parser: DRF's, with a bound on nesting. Python's json module recurses once per
level, so a body of a few thousand "[" would exhaust the stack (RecursionError, a 500); nothing the
API accepts nests deeper than a few levels."""

import json

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32


def _too_deep(value, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = json.loads(stream.read().decode(encoding))
        except RecursionError:
            raise ParseError(_("JSON nested too deeply.")) from None
        except ValueError as error:  # UnicodeDecodeError included
            raise ParseError(_("JSON parse error: %(error)s") % {"error": error}) from None
        if _too_deep(data, MAX_DEPTH):
            raise ParseError(_("JSON nested more than %(depth)s levels deep.") % {"depth": MAX_DEPTH})
        return data
