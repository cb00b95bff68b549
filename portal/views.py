from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _

import rights
from access.services import dashboard
from businesses.models import Business
from core.api import json_error
from delegation.services import awaiting_decision
from rights.policy import public


@public
def root_redirect(request):
    """/ goes to the portal in the browser's language (English unless it prefers French)."""
    language = translation.get_language_from_request(request, check_path=False)
    return redirect(f"/{'fr' if language == 'fr' else 'en'}/")


@public
def home(request):
    if not request.user.is_authenticated:
        return render(request, "portal/welcome.html")
    if request.actor.is_officer:  # a CBSA officer's day starts at the workbench, not "Register my business"
        return redirect("workbench:home")
    context = dashboard(request.user)
    context["pending_relationships"] = awaiting_decision(request.user)
    context["clients"] = sorted(rights.clients_of(request.user))
    context["acting_for"] = request.actor.acting_for
    context["relationship_businesses"] = Business.objects.visible_to(request.user, rights.Action.MANAGE_RELATIONSHIPS)
    return render(request, "portal/home.html", context)


API_ERRORS = {  # status -> (code, message) of the structured error API callers get instead of a page
    400: ("parse_error", _("The request could not be understood.")),
    403: ("permission_denied", _("You do not have permission to perform this action.")),
    404: ("not_found", _("Not found.")),
    500: ("server_error", _("Something went wrong on our side.")),
}


def _error_page(request, status, title, message):
    """Error pages speak both official languages: the visitor's language may be unknown. An API
    caller gets the API's structured error instead."""
    if request.path.startswith("/api/"):
        code, text = API_ERRORS[status]
        return json_error(status, code, gettext(text))
    context = {"status": status, "title": title, "message": message}
    return render(request, "portal/error.html", context, status=status)


def page_not_found(request, exception=None):
    # An unknown language prefix lands here too: the page says it in both languages.
    return _error_page(
        request, 404, _("We couldn't find that page"), _("Check the address, or go back to the portal home page.")
    )


def permission_denied(request, exception=None):
    return _error_page(
        request,
        403,
        _("You do not have access to this page"),
        _("Ask a business account manager of your business for access."),
    )


def bad_request(request, exception=None):
    return _error_page(request, 400, _("The request could not be understood"), _("Go back and try again."))


def server_error(request):
    return _error_page(request, 500, _("Something went wrong on our side"), _("Please try again in a few minutes."))


def csrf_failure(request, reason=""):
    return _error_page(
        request,
        403,
        _("Your form expired"),
        _("For your security the form could not be accepted. Go back, reload the page and submit it again."),
    )
