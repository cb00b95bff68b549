from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import Resolver404, resolve

import rights

from .adapter import refuse_service_account
from .services import has_mfa

# Pages a signed-in person without MFA may still reach: the enrolment itself, sign-out, e-mail.
_ALLOWED_URL_NAMES = {
    "mfa_index",
    "mfa_activate_totp",
    "mfa_add_webauthn",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "account_logout",
    "account_reauthenticate",
    "mfa_reauthenticate",
    "account_email",
    "account_confirm_email",
    "account_email_verification_sent",
    "set_language",
}


class RequireMFAMiddleware:
    """With CARM_MFA_REQUIRED (the default), a signed-in person must enrol a second factor
    before any other page. The API checks the same rule itself (accounts.api_auth.MFASessionAuthentication):
    a redirect is no answer to an API call."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.CARM_MFA_REQUIRED and request.user.is_authenticated and self._guarded(request):
            if not has_mfa(request.user):
                return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _guarded(request) -> bool:
        if request.path.startswith((settings.STATIC_URL, "/api/", "/i18n/")):
            return False
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.url_name not in _ALLOWED_URL_NAMES


class RefuseServiceAccountSessions:
    """A service account's session (opened before it held its role, or by the admin's own sign-in
    form) ends at its next request: a page sends it to the sign-in page saying why, an API call goes
    on without the session (its token is the only way in)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and request.actor.token_only:
            logout(request)
            if not request.path.startswith("/api/"):
                return refuse_service_account(request)
            request.actor = rights.actor_of(request)  # nobody, until the token (if any) authenticates
        return self.get_response(request)
