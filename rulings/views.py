"""Ruling pages: the applicant's list, the two-step request form (context, then details with
attachments) kept as a draft, a request with its clock, thread and steps, the officers' queue and
report, and the public register. Requests are fetched only through services.visible_requests."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

import rights
from businesses.models import ProgramAccount
from registry.bn import Program
from rights import Action
from rights.policy import officer, public, signed_in

from . import services
from .attachments import MAX_MEGABYTES
from .forms import (
    AttachmentForm,
    ContextForm,
    DetailsForm,
    ListFilter,
    MessageForm,
    ModificationForm,
    OfficerForm,
    RegisterSearch,
)
from .models import Kind, Pause, RulingRequest, Status

PAGE_SIZE = 25
Event = services.Event
OFFICER_EVENTS = [event for event, step in services.TRANSITIONS.items() if step.by != services.APPLICANT]


def _find(request, case_number, action=Action.VIEW) -> RulingRequest:
    return rights.get_visible_or_404(
        services.visible_requests(request, action).select_related("program_account__business", "officer"),
        request,
        case_number=case_number,
    )


def _show(form, errors):
    """Put the services' errors beside the fields they name (the rest above the form)."""
    for error in errors:
        form.add_error(error.field if error.field in form.fields else None, str(error.message))


def _accounts(request) -> list[str]:
    accounts = ProgramAccount.objects.visible_to(request, Action.TRANSACT).filter(program=Program.IMPORT_EXPORT)
    return list(accounts.order_by("number").values_list("number", flat=True))


# --- the applicant's list --------------------------------------------------------------------------


@signed_in
@require_GET
def ruling_list(request):
    form = ListFilter(request.GET)
    rulings = form.filter(services.visible_requests(request).select_related("program_account"))
    page = Paginator(rulings, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "rulings/list.html",
        {"form": form, "page": page, "query": query.urlencode(), "may_file": bool(_accounts(request))},
    )


# --- the request form -----------------------------------------------------------------------------

PREFILL = {"classification": "proposed_classification", "description": "description"}


def _context_page(request, form, ruling=None, prefill=None, status=200):
    query = request.GET.get("office_q", "")
    return render(
        request,
        "rulings/context.html",
        {
            "form": form,
            "ruling": ruling,
            "prefill": prefill or {},
            "office_q": query,
            "offices_found": services.search_offices(query),
        },
        status=status,
    )


@signed_in
def new(request):
    """Step 1 of a new request. From a CAD line or the classification tool the query string carries
    the account, the classification and the goods' description, kept in the new draft."""
    accounts = _accounts(request)
    source = request.POST if request.method == "POST" else request.GET
    prefill = {key: source.get(key, "")[:2000] for key in PREFILL if source.get(key)}
    if request.method != "POST":
        initial = {"account": request.GET.get("account"), "kind": Kind.CLASSIFICATION}
        return _context_page(request, ContextForm(initial=initial, accounts=accounts), prefill=prefill)
    form = ContextForm(request.POST, accounts=accounts)
    if not form.is_valid():
        return _context_page(request, form, prefill=prefill, status=400)
    account = ProgramAccount.objects.visible_to(request, Action.TRANSACT).get(number=form.cleaned_data["account"])
    ruling = services.new_draft(request, account, form.cleaned_data["kind"], request=request)
    answers = {**form.answers(), **{PREFILL[key]: value for key, value in prefill.items()}}
    errors = services.update_draft(request, ruling, answers, request=request)
    return _after_context(request, ruling, form, errors)


def _after_context(request, ruling, form, errors):
    if errors:
        _show(form, errors)
        messages.warning(
            request, _("Your draft %(number)s was saved; correct what is marked.") % {"number": ruling.case_number}
        )
        return _context_page(request, form, ruling, status=400)
    return redirect("rulings:details", ruling.case_number)


def _draft(request, case_number) -> RulingRequest:
    ruling = _find(request, case_number, Action.TRANSACT)
    if ruling.status != Status.DRAFT:
        messages.info(request, _("This request was filed: it can no longer be changed."))
    return ruling


@signed_in
def context(request, case_number):
    """Step 1 of a draft, to change its answers."""
    ruling = _draft(request, case_number)
    if ruling.status != Status.DRAFT:
        return redirect("rulings:detail", ruling.case_number)
    if request.method != "POST":
        initial = {name: getattr(ruling, name) for name in services.CONTEXT_FIELDS}
        initial["offices"] = ", ".join(ruling.offices.values_list("code", flat=True))
        return _context_page(request, ContextForm(initial=initial, locked=True), ruling)
    form = ContextForm(request.POST, locked=True)
    if not form.is_valid():
        return _context_page(request, form, ruling, status=400)
    errors = services.update_draft(request, ruling, form.answers(), request=request)
    return _after_context(request, ruling, form, errors)


@signed_in
def details(request, case_number):
    """Step 2: the applicant and the goods, attachments; save the draft or submit it."""
    ruling = _draft(request, case_number)
    if ruling.status != Status.DRAFT:
        return redirect("rulings:detail", ruling.case_number)
    upload = AttachmentForm()
    if request.method != "POST":
        form = DetailsForm(initial={name: getattr(ruling, name) for name in services.DETAIL_FIELDS})
        return _details_page(request, ruling, form, upload)
    form = DetailsForm(request.POST)
    if not form.is_valid():  # e.g. an e-mail address that is not one: nothing else is lost
        return _details_page(request, ruling, form, upload, status=400)
    errors = services.update_draft(request, ruling, form.cleaned_data, request=request)
    action = request.POST.get("action")
    if action == "attach":
        try:
            services.add_attachment(request, ruling, request.FILES.get("file"), request=request)
            messages.success(request, _("The file was attached."))
        except services.RulingError as refused:
            upload = AttachmentForm(request.POST, request.FILES)
            upload.is_valid()
            _show(upload, refused.errors)
            return _details_page(request, ruling, form, upload, status=400)
        return redirect("rulings:details", ruling.case_number)
    if action == "submit" and not errors:
        try:
            services.submit(request, ruling, request=request)
        except services.RulingError as refused:
            errors = refused.errors
        else:
            messages.success(request, _("Your request %(number)s was submitted.") % {"number": ruling.case_number})
            return redirect("rulings:detail", ruling.case_number)
    if errors:
        _show(form, errors)
        return _details_page(request, ruling, form, upload, status=400)
    messages.success(request, _("Your draft was saved."))
    return redirect("rulings:details", ruling.case_number)


def _details_page(request, ruling, form, upload, status=200):
    return render(
        request,
        "rulings/details.html",
        {
            "ruling": ruling,
            "form": form,
            "upload": upload,
            "max_mb": MAX_MEGABYTES,
            "attachments": ruling.attachments.all(),
        },
        status=status,
    )


# --- one request ----------------------------------------------------------------------------------


@signed_in
def detail(request, case_number):
    ruling = _find(request, case_number)
    staff = services.may_decide(request)  # other officer roles read the request, with no steps
    applicant = not staff and services.visible_requests(request, Action.TRANSACT).filter(pk=ruling.pk).exists()
    context = {
        "ruling": ruling,
        "staff": staff,
        "applicant": applicant,
        "events": ruling.events.select_related("actor"),
        "attachments": ruling.attachments.all(),
        "days_elapsed": services.days_elapsed(ruling),
        "days_left": services.days_left(ruling),
        "modification_days_elapsed": services.modification_days_elapsed(ruling),
        "modification_days_left": services.modification_days_left(ruling),
        "standard": services.SERVICE_STANDARD_DAYS,
        "message_form": MessageForm(),
        "awaiting_answer": ruling.paused == Pause.INFORMATION,
        "modification_form": ModificationForm(grounds=services.MODIFICATION_GROUNDS.items()),
        "officer_form": OfficerForm(events=_officer_events()),
    }
    if request.method == "POST":
        response = _act(request, ruling, context, staff, applicant)
        if response is not None:
            return response
        return render(request, "rulings/detail.html", context, status=400)
    return render(request, "rulings/detail.html", context)


def _officer_events():
    return [(event, Event(event).label) for event in OFFICER_EVENTS]


def _act(request, ruling, context, staff, applicant):
    """One step posted from the request's page; None with the form's errors in `context`."""
    what = request.POST.get("what")
    forms = {
        "officer": (staff, "officer_form", lambda: OfficerForm(request.POST, events=_officer_events())),
        "modification": (
            applicant,
            "modification_form",
            lambda: ModificationForm(request.POST, grounds=services.MODIFICATION_GROUNDS.items()),
        ),
        "message": (staff or applicant, "message_form", lambda: MessageForm(request.POST)),
        "answer": (applicant, "message_form", lambda: MessageForm(request.POST)),
        "withdraw": (applicant, None, None),
    }
    allowed, name, make = forms.get(what, (False, None, None))
    if not allowed:
        raise PermissionDenied
    form = context[name] = make() if make else None
    if form is not None and not form.is_valid():
        return None
    data = form.cleaned_data if form is not None else {}
    try:
        if what == "officer":
            officer_details = {key: data[key] for key in ("classification", "reasons", "effective_date") if data[key]}
            services.transition(
                request, ruling, data["event"], message=data["message"], request=request, **officer_details
            )
        elif what == "modification":
            services.transition(
                request,
                ruling,
                Event.MODIFICATION_REQUESTED,
                message=data["message"],
                request=request,
                ground=data["ground"],
            )
        elif what == "answer":
            services.transition(request, ruling, Event.ANSWERED, message=data["message"], request=request)
        elif what == "withdraw":
            services.transition(request, ruling, Event.WITHDRAWN, request=request)
        else:
            services.post_message(request, ruling, data["message"], request=request)
    except services.RulingError as refused:
        if form is None:
            messages.error(request, " ".join(str(e.message) for e in refused.errors))
            return redirect("rulings:detail", ruling.case_number)
        _show(form, refused.errors)
        return None
    messages.success(request, _("Done."))
    return redirect("rulings:detail", ruling.case_number)


@signed_in
@require_GET
def attachment(request, case_number, pk):
    ruling = _find(request, case_number)
    file = ruling.attachments.filter(pk=pk).first()
    if file is None:
        raise Http404
    response = HttpResponse(bytes(file.content), content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="ruling-{ruling.case_number}-{file.pk}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- officers -------------------------------------------------------------------------------------


@officer
@require_GET
def queue(request):
    return render(
        request, "rulings/queue.html", {"rulings": services.queue(), "standard": services.SERVICE_STANDARD_DAYS}
    )


@officer
@require_GET
def report(request):
    kinds = dict(Kind.choices)
    rows = [{**row, "kind_label": kinds[row["kind"]]} for row in services.standard_report()]
    return render(request, "rulings/report.html", {"rows": rows, "standard": services.SERVICE_STANDARD_DAYS})


# --- the public register --------------------------------------------------------------------------


@public
@require_GET
def register(request):
    form = RegisterSearch(request.GET)
    found = services.search_register(**form.cleaned_data) if form.is_valid() else []
    page = Paginator([services.public(r) for r in found], PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "rulings/register.html", {"form": form, "page": page})


@public
@require_GET
def register_entry(request, number):
    ruling = services.register().filter(case_number=number).first()
    if ruling is None:
        raise Http404
    return render(request, "rulings/register_entry.html", {"ruling": services.public(ruling)})
