from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from audit.services import record

from .services import authenticate_api_token


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
