from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from audit.services import record

from .services import authenticate_api_token, has_mfa


class PersonalTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <key>`: the token's owner, with the owner's rights (narrowed to the
    token's business when it names one). Every call made with a token is audited."""

    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header: send 'Token <key>'."))
        try:
            key = header[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        token = authenticate_api_token(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        django_request = request._request
        django_request.carm_channel = "api"
        django_request.api_token = token
        record(
            "api.call",
            actor=token.user,
            request=django_request,
            obj=token,
            actor_business=token.business_number,
            after={"method": request.method, "path": request.path},
        )
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class MFARequired(exceptions.PermissionDenied):
    default_detail = _("Set up multi-factor authentication in the portal before using the API.")
    default_code = "mfa_required"


class MFASessionAuthentication(authentication.SessionAuthentication):
    """The portal's session on the API, under the pages' rule: with CARM_MFA_REQUIRED, a person who
    has not enrolled a second factor is refused (RequireMFAMiddleware's redirect cannot answer an API
    call, so the rule is checked here, for every way in; tokens are made by enrolled people only)."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None and settings.CARM_MFA_REQUIRED and not has_mfa(result[0]):
            raise MFARequired()
        return result
