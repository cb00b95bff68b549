"""Request checks below every app, before any view."""

from django.core.exceptions import BadRequest


class RefuseNulCharacters:
    """A NUL character in the URL's path or query is refused (400, the error page or the API's
    structured error) before a view looks anything up with it: PostgreSQL text cannot hold one, so the
    lookup failed as a 500 (form fields and the API's fields already refuse it in a body)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = (key + value for key, values in request.GET.lists() for value in values)
        if "\x00" in request.path or any("\x00" in text for text in query):
            raise BadRequest("NUL character in the URL")
        return self.get_response(request)
