from django.conf import settings


def portal(request):
    return {"mfa_required": settings.CARM_MFA_REQUIRED}
