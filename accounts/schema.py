"""How personal API tokens appear in the OpenAPI schema (drf-spectacular loads this in AccountsConfig.ready)."""

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.api_auth.PersonalTokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A personal API token, sent as `Token <token>` (create one under My profile → API tokens).",
        }


class MFASessionScheme(SessionScheme):
    """The portal's session cookie, as drf-spectacular describes DRF's (the MFA check adds nothing to the schema)."""

    target_class = "accounts.api_auth.MFASessionAuthentication"
