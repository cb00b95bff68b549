from django.conf import settings
from django.shortcuts import redirect
from django.urls import Resolver404, resolve

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
