from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _
from django.views.decorators.http import require_POST

import rights
from access.services import access_givers, dashboard
from businesses.models import Business
from core.api import json_error
from declarations.models import Status
from declarations.services import visible_declarations
from delegation.services import awaiting_decision
from payments import summary
from releases.services import awaiting_accounting
from rights.policy import public, signed_in
from security.models import RppStatus
from security.services import positions


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
    context["clients"] = Business.objects.filter(bn9__in=rights.clients_of(request.user)).order_by("legal_name")
    context["acting_for"] = request.actor.acting_for
    context["relationship_businesses"] = Business.objects.visible_to(request.user, rights.Action.MANAGE_RELATIONSHIPS)
    context["money"] = summary.summaries(request)
    context["money_alerts"] = summary.alerts(context["money"])
    context.update(_awaiting(request))
    return render(request, "portal/home.html", context)


def _awaiting(request, clients=None) -> dict:
    """The releases awaiting accounting the person may see (of `clients` only, when named), overdue
    first, and how many are overdue."""
    today = timezone.localdate()
    awaiting = awaiting_accounting(request, today)
    if clients is not None:
        awaiting = [item for item in awaiting if item.release.program_account.business in clients]
    return {"awaiting": awaiting, "awaiting_overdue": sum(item.overdue(today) for item in awaiting), "today": today}


@signed_in
def financials(request):
    """The way into everything about money: each account's figures and its statements, transactions,
    notices, PAD agreements and refunds; payments across accounts."""
    money = summary.summaries(request)
    return render(
        request,
        "portal/financials.html",
        {"money": money, "may_pay_any": any(item.may_pay for item in money), "limit": summary.MAX_SUMMARIES},
    )


@signed_in
def worklist(request):
    """A provider's work across its clients: the releases awaiting accounting (overdue first); per
    client, what each account owes and when, the CADs that need attention (drafts to finish, versions
    rejected) and each account's RPP security status. Search by name or BN."""
    query = request.GET.get("q", "").replace("\x00", "").strip()  # a NUL is ignored, as in the tariff search
    clients = Business.objects.filter(bn9__in=rights.clients_of(request.user)).order_by("legal_name")
    if query:
        clients = clients.filter(Q(legal_name__icontains=query) | Q(bn9__startswith=query))
    clients = list(clients[: summary.MAX_SUMMARIES])
    money = summary.summaries(request, limit=summary.MAX_SUMMARIES * 4)
    cads = (
        visible_declarations(request)
        .filter(program_account__business__in=clients)
        .filter(Q(status=Status.DRAFT) | Q(versions__status=Status.REJECTED))
        .values_list("pk", "program_account__business", "status")
        .distinct()
    )
    attention = {}
    for _pk, business, status in cads:
        counts = attention.setdefault(business, {"drafts": 0, "rejected": 0})
        counts["drafts" if status == Status.DRAFT else "rejected"] += 1
    security = positions(request)
    rows = [
        {
            "client": client,
            "money": [item for item in money if item.account.business_id == client.pk],
            "cads": attention.get(client.pk, {"drafts": 0, "rejected": 0}),
            "security": [
                {"position": item, "status": RppStatus(item.status).label}
                for item in security
                if item.account.business_id == client.pk
            ],
        }
        for client in clients
    ]
    context = {"rows": rows, "query": query, "acting_for": request.actor.acting_for}
    context.update(_awaiting(request, clients))  # the search narrows the releases too
    return render(request, "portal/worklist.html", context)


@signed_in
@require_POST
def keep_alive(request):
    """The session-timeout warning's "Stay signed in": the session starts a new lifetime."""
    request.session.set_expiry(None)  # the settings' SESSION_COOKIE_AGE from now
    request.session.modified = True
    return JsonResponse({"ends": request.session.get_expiry_date().isoformat()})


API_ERRORS = {  # status -> (code, message) of the structured error API callers get instead of a page
    400: ("parse_error", _("The request could not be understood.")),
    403: ("permission_denied", _("You do not have permission to perform this action.")),
    404: ("not_found", _("Not found.")),
    500: ("server_error", _("Something went wrong on our side.")),
}


def _error_page(request, status, title, message, **extra):
    """Error pages speak both official languages: the visitor's language may be unknown. An API
    caller gets the API's structured error instead. Each says what to do next: `extra` adds the
    people who give access (403) to the links every error page has."""
    if request.path.startswith("/api/"):
        code, text = API_ERRORS[status]
        return json_error(status, code, gettext(text))
    context = {"status": status, "title": title, "message": message, **extra}
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
        givers=access_givers(request) if getattr(request, "user", None) and request.user.is_authenticated else [],
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
