"""Every route declares who may reach it; none is left open by omission."""

from django.urls import URLPattern, URLResolver, get_resolver

from rights.policy import policy_of

# Routes served by well-known third-party views with their own guards: allauth's sign-in pages,
# Django's admin (staff only) and its language switcher.
THIRD_PARTY_ROUTES = ("account/", "admin/", "i18n/")


def _is_third_party(route: str) -> bool:
    without_language = route.split("/", 1)[1] if route[:3] in ("en/", "fr/") else route
    return without_language.startswith(THIRD_PARTY_ROUTES)


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def test_every_project_view_declares_an_access_policy():
    undeclared = []
    for route, callback in _walk(get_resolver().url_patterns):
        if _is_third_party(route):
            continue
        if policy_of(callback) is None:
            module = getattr(callback, "__module__", "")
            undeclared.append(f"{route} -> {module}.{getattr(callback, '__name__', callback)}")
    assert not undeclared, "views without an access policy:\n" + "\n".join(undeclared)


def test_api_views_that_are_public_say_so_explicitly():
    from rest_framework.permissions import AllowAny

    for route, callback in _walk(get_resolver().url_patterns):
        view_class = getattr(callback, "cls", None)
        if view_class is None:
            continue
        allows_anyone = any(p is AllowAny for p in getattr(view_class, "permission_classes", []))
        if allows_anyone:
            assert policy_of(callback) == "public", f"{route} allows anyone without declaring it public"
