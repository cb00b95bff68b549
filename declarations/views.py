"""CAD pages: the declarations list, the CAD form (new, draft, correction or adjustment) with its
live assessment preview, classification search and CSV upload of lines, a CAD with its versions,
diffs and ledger entries, withdrawal, and the officers' queue of adjustments.

Every rule is declarations.services' (and validation's): these views read the form into the
payload the services take, call them, and put the errors they return next to the fields their
pointers name. Declarations are fetched only through services.visible_declarations."""

import datetime as dt
import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

import rights
from access.views import write_refused
from businesses.models import ProgramAccount
from ledger.interest import RateKind, interest_owed
from ledger.models import LedgerEntry
from registry.bn import Program
from rights import Action
from rights.policy import officer, signed_in
from tariff import search as tariff_search
from tariff import services as tariff_services

from . import explain, exports, services, timing, uploads
from . import legacy as legacy_b3
from .fields import BY_PART, Part
from .filters import DeclarationFilter
from .forms import (
    CadForms,
    ChangeForm,
    DecisionForm,
    WithdrawForm,
    account_numbers,
    as_text,
    blank_invoice,
    blank_line,
    read_payload,
)
from .models import Declaration, DeclarationLine, DeclarationVersion, Invoice, Status
from .valuation import valuations

PAGE_SIZE = 25
SEARCH_LIMIT = 8


# --- the list ------------------------------------------------------------------------------------


@signed_in
@require_GET
def declaration_list(request):
    filters = DeclarationFilter(
        request.GET,
        services.visible_declarations(request).select_related("program_account", "submitted_by_business"),
        request=request,
    )
    declarations = filters.qs if filters.is_valid() else Declaration.objects.none()
    form = filters.form
    if request.GET.get("format") == "csv":  # the filtered list, every page, headings in the page's language
        response = StreamingHttpResponse(exports.declarations_csv(declarations), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="declarations.csv"'
        return response
    page = Paginator(declarations, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "declarations/list.html",
        {"form": form, "page": page, "query": query.urlencode(), "may_submit": _transact_accounts(request)},
    )


def _transact_accounts(request) -> list[str]:
    """The importer accounts the person may account on (the form's importer choices)."""
    return account_numbers(
        ProgramAccount.objects.visible_to(request, Action.TRANSACT).filter(program=Program.IMPORT_EXPORT)
    )


# --- the CAD form ------------------------------------------------------------------------------


def _find(request, transaction_number, action=Action.VIEW) -> Declaration:
    return rights.get_visible_or_404(
        services.visible_declarations(request, action).select_related("program_account__business"),
        request,
        transaction_number=transaction_number,
    )


@signed_in
def new(request):
    if not _transact_accounts(request):  # a Reader: told why and who gives access, not shown an empty form
        return write_refused(request, _("account for imports (submit a CAD)"))
    return _cad_form(request, None)


@signed_in
def change(request, transaction_number):
    """A draft to finish, or an accepted CAD to correct or adjust."""
    declaration = _find(request, transaction_number)
    if not services.visible_declarations(request, Action.TRANSACT).filter(pk=declaration.pk).exists():
        rights.deny(request, declaration.program_account, Action.TRANSACT, request)
    return _cad_form(request, declaration)


def _first_payload(declaration) -> dict:
    if declaration is None:
        return {**as_text({}), "cad_type": "rpp", "invoices": [blank_invoice()], "lines": [blank_line()]}
    version = declaration.version()
    payload = as_text(version.payload)
    if declaration.status != Status.DRAFT:
        payload.pop("transaction_number", None)  # a new version keeps its number: amend names it
        # A CAD accepted before the date of direct shipment was asked per invoice: its stored one.
        shipped = dict(version.invoices.values_list("number", "shipment_date"))
        for invoice in payload["invoices"]:
            if not invoice["shipment_date"] and invoice["number"] in shipped:
                invoice["shipment_date"] = shipped[invoice["number"]].isoformat()
    payload["invoices"] = payload["invoices"] or [blank_invoice()]
    payload["lines"] = payload["lines"] or [blank_line()]
    return payload


# The header a release gives a new CAD (the link of portal's releases awaiting accounting): the
# CAD under the release's transaction number is what clears it.
FROM_RELEASE = ("transaction_number", "importer", "release_date", "release_office", "cargo_control_number")


def _cad_form(request, declaration):
    accounts = _transact_accounts(request)
    draft = declaration is not None and declaration.status == Status.DRAFT
    amending = declaration is not None and not draft
    context = {
        "declaration": declaration,
        "draft": draft,
        "amending": amending,
        "preview": None,
        "searches": {},
        "upload_errors": [],
        "max_upload_mb": uploads.MAX_MEGABYTES,
        "conflict": None,
        "accounts": accounts,
    }
    if amending:
        context["adjustment"] = services.is_adjustment(declaration.version())
        context["pending"] = declaration.versions.filter(status=Status.PENDING).exists()
        context["withdrawn"] = declaration.status == Status.WITHDRAWN
    if request.method != "POST":
        payload = _first_payload(declaration)
        if declaration is None:  # "Submit its CAD" from a release awaiting accounting: its header given
            payload.update({name: request.GET[name].strip()[:25] for name in FROM_RELEASE if request.GET.get(name)})
        change_form = ChangeForm(initial={"expected_version": declaration.latest_version}) if amending else None
        if amending:  # what the version in force comes to today, before any change
            context["preview"] = services.preview(request, payload)
            _show_errors(payload, context, context["preview"].errors)
        client_reference = uuid.uuid4().hex
    else:
        payload = read_payload(request.POST)
        if draft:
            payload["transaction_number"] = declaration.transaction_number
        change_form = ChangeForm(request.POST) if amending else None
        client_reference = request.POST.get("client_reference", "")[:64] or uuid.uuid4().hex
        action, _sep, argument = request.POST.get("action", "").partition(":")
        done = _act(request, action, argument, payload, declaration, change_form, client_reference, context)
        if done is not None:
            return done
    cad = context.pop("cad", None) or CadForms(payload, accounts)
    context["release_number"] = "" if declaration is not None else payload.get("transaction_number", "")
    for index, found in context.pop("searches").items():
        if index < len(cad.lines.forms):
            cad.lines.forms[index].search = found
    context.update(cad=cad, change_form=change_form, client_reference=client_reference)
    return render(request, "declarations/form.html", context)


def _act(request, action, argument, payload, declaration, change_form, client_reference, context):
    """Carry out one button of the form. A response (redirect) when done; None to show the form
    again, the payload changed in place and anything to show put in `context`."""
    if action == "add_line":
        payload["lines"].append(blank_line())
    elif action == "add_invoice":
        payload["invoices"].append(blank_invoice())
    elif action in ("remove_line", "remove_invoice"):
        rows = payload["lines" if action == "remove_line" else "invoices"]
        if argument.isascii() and argument.isdigit() and int(argument) < len(rows) and len(rows) > 1:
            rows.pop(int(argument))
    elif action == "search" and argument.isascii() and argument.isdigit():
        context["searches"][int(argument)] = _search(request.POST.get(f"search-{argument}", ""), payload)
    elif action == "use":
        index, _sep, code = argument.partition(":")
        if index.isascii() and index.isdigit() and int(index) < len(payload["lines"]):
            payload["lines"][int(index)]["classification"] = code[:13]
    elif action == "upload":
        _upload(request, payload, context)
    elif action == "preview":
        found = services.preview(request, payload)
        context["preview"] = found
        _show_errors(payload, context, found.errors)
    elif action == "save_draft":
        return _save_draft(request, payload, declaration, context)
    elif action == "submit":
        return _submit(request, payload, declaration, change_form, client_reference, context)
    return None


def _show_errors(payload, context, errors):
    cad = CadForms(payload, context.get("accounts") or [])
    cad.attach_errors(errors)
    context["cad"] = cad


def _respond_redirect(request, url):
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _save_draft(request, payload, declaration, context):
    number = payload.pop("transaction_number", "")  # a new draft's: the release's it accounts for, if any
    number = declaration.transaction_number if declaration is not None else number
    outcome = services.save_draft(request, payload, transaction_number=number, request=request)
    if outcome.errors:
        _show_errors(payload, context, outcome.errors)
        return None
    messages.success(
        request,
        _("Draft %(number)s saved. Nothing is declared until you submit it.")
        % {"number": outcome.declaration.transaction_number},
    )
    return _respond_redirect(request, reverse("declarations:change", args=[outcome.declaration.transaction_number]))


def _submit(request, payload, declaration, change_form, client_reference, context):
    if change_form is None:
        outcome = services.submit(request, payload, client_reference=client_reference, request=request)
    else:
        change_form.is_valid()
        outcome = services.amend(
            request,
            declaration.transaction_number,
            payload,
            expected_version=request.POST.get("expected_version", ""),
            reason=change_form.cleaned_data.get("reason", ""),
            reason_to_believe_on=change_form.cleaned_data.get("reason_to_believe_on", ""),
            client_reference=client_reference,
            request=request,
        )
    if outcome.errors:
        if outcome.conflict:
            context["conflict"] = [str(error.message) for error in outcome.errors]
        reasons = [error for error in outcome.errors if error.pointer in ("/reason", "/reason_to_believe_on")]
        for error in reasons if change_form is not None else []:
            change_form.add_error(error.pointer[1:], str(error.message))
        _show_errors(payload, context, [error for error in outcome.errors if error not in reasons])
        return None
    messages.success(request, _outcome_message(outcome))
    for warning in outcome.warnings:
        messages.warning(request, str(warning.message))
    return _respond_redirect(request, reverse("declarations:detail", args=[outcome.declaration.transaction_number]))


def _outcome_message(outcome) -> str:
    values = {"number": outcome.declaration.transaction_number, "version": outcome.version.label}
    if outcome.code == services.PENDING:
        return (
            _(
                "Adjustment %(number)s version %(version)s sent to CBSA: pending approval (status 42). "
                "Nothing is posted until an officer approves it."
            )
            % values
        )
    return _("%(number)s version %(version)s accepted with duties and taxes (status 39).") % values


def _search(query, payload) -> dict:
    """Classification numbers for a line's search box, in the tariff of the release date."""
    as_of = _release_date(payload)
    try:
        results = tariff_search.search(query, as_of=as_of, limit=SEARCH_LIMIT)
    except tariff_search.SearchQueryError as error:
        return {"query": query, "results": [], "error": str(error)}
    return {"query": query, "results": results, "error": ""}


def _release_date(payload) -> dt.date | None:
    try:
        return dt.date.fromisoformat(payload.get("release_date", ""))
    except ValueError:
        return None


def _upload(request, payload, context):
    """Append the file's lines if every row passes; else add none and report each bad row."""
    try:
        rows = uploads.read_lines(request.FILES.get("lines_file"))
    except uploads.UploadError as error:
        context["upload_errors"] = error.errors
        return
    # A line left blank on the form is replaced by the file's lines, not kept before them.
    kept = [line for line in payload["lines"] if any(line.values())]
    offset = len(kept)
    trial = {**payload, "lines": kept + [line for _row, line in rows]}
    row_of = {offset + index: row for index, (row, _line) in enumerate(rows)}
    errors = []
    for error in services.preview(request, trial).errors:
        parts = error.pointer.strip("/").split("/")
        if (
            len(parts) >= 2
            and parts[0] == "lines"
            and parts[1].isascii()
            and parts[1].isdigit()
            and int(parts[1]) in row_of
        ):
            column = parts[2] if len(parts) > 2 else ""
            errors.append(uploads.RowError(row_of[int(parts[1])], column, str(error.message)))
        elif parts == ["lines"]:
            errors.append(uploads.RowError(0, "", str(error.message)))
    if errors:
        context["upload_errors"] = errors
        return
    payload["lines"] = trial["lines"]
    context["uploaded"] = len(rows)


@signed_in
@require_POST
def preview(request):
    """The live assessment preview (htmx): the form's payload validated and assessed, nothing saved."""
    payload = read_payload(request.POST)
    found = services.preview(request, payload)
    cad = CadForms(payload)
    cad.attach_errors(found.errors)
    return render(request, "declarations/_preview.html", {"preview": found, "cad": cad})


@signed_in
@require_GET
def classifications(request):
    """The classification search of one line (htmx): a short list to pick from."""
    line = request.GET.get("line", "")
    if not (line.isascii() and line.isdigit()):
        return HttpResponse(status=400)
    query = request.GET.get(f"search-{line}", "")
    found = _search(query, {"release_date": request.GET.get("release_date", "")})
    return render(request, "declarations/_classifications.html", {"index": int(line), "search": found})


@signed_in
@require_GET
def lines_template(request, kind):
    """The file of lines to fill in, as CSV or as an Excel workbook (kind "csv" or "xlsx")."""
    response = HttpResponse(uploads.template(kind), content_type=uploads.CONTENT_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="cad-lines-template.{kind}"'
    return response


@signed_in
@require_GET
def csv_format(request):
    columns = [(row.name, capfirst(row.label), row.help, row.example) for row in BY_PART[Part.LINE].values()]
    return render(
        request,
        "declarations/csv_format.html",
        {"columns": columns, "max_lines": uploads.MAX_LINES, "max_rows": uploads.MAX_ROWS},
    )


# --- a CAD -------------------------------------------------------------------------------------


def _version_number(value, versions) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number in versions else None


@signed_in
@require_GET
def detail(request, transaction_number):
    declaration = _find(request, transaction_number)
    versions = list(
        declaration.versions.select_related("submitted_by_business", "submitted_by", "decided_by").order_by("number")
    )
    by_number = {version.number: version for version in versions}
    shown = by_number[_version_number(request.GET.get("version"), by_number) or declaration.current_version]
    compared = None
    a = _version_number(request.GET.get("a"), by_number)
    b = _version_number(request.GET.get("b"), by_number)
    if a and b and a != b:
        compared = {"a": by_number[a], "b": by_number[b], "diff": _labelled(services.diff(by_number[a], by_number[b]))}
    visible_entries = LedgerEntry.objects.visible_to(request).values("pk")
    entries = (
        services.ledger_entries(declaration).filter(pk__in=visible_entries).select_related("submitted_by_business")
    )
    may_change = services.visible_declarations(request, Action.TRANSACT).filter(pk=declaration.pk).exists()
    lines = list(shown.lines.all())
    kept = tariff_services.descriptions_in_language([(line.classification, line.description) for line in lines])
    for line, description in zip(lines, kept, strict=True):
        line.description_shown = description  # the tariff's French of it on French pages
    return render(
        request,
        "declarations/detail.html",
        {
            "declaration": declaration,
            "shown": shown,
            "invoices": [
                (invoice, explain.declared(invoice.details, Part.INVOICE)) for invoice in shown.invoices.all()
            ],
            "lines": lines,
            "valuations": valuations(shown),
            "whys": [
                (line, explain.line_why(line), explain.declared(line.details, Part.LINE))
                for line in shown.lines.select_related("version")
            ],
            "header_details": explain.declared(shown.details, Part.HEADER),
            "d17_totals": [
                (number, explain.TOTALS[number][1], amount)
                for number, amount in explain.header_totals(shown, shown.lines.all()).items()
            ],
            "versions": versions,
            "compared": compared,
            "a": a or (versions[-2].number if len(versions) > 1 else None),
            "b": b or versions[-1].number,
            "entries": entries,
            "may_change": may_change and declaration.status not in (Status.WITHDRAWN,),
            "may_see_account": rights.may(request, Action.VIEW, declaration.program_account),
            "pending": any(version.status == Status.PENDING for version in versions),
            "why": timing.explain(shown),
        },
    )


def _label(model, name) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # a payload name that is no model field
        return name


def _labelled(diff: dict) -> dict:
    """services.diff with each field's name in the reader's language."""

    def rows(changes, model):
        return [{**change, "label": _label(model, change["field"])} for change in changes]

    return {
        "header": rows(diff["header"], DeclarationVersion),
        "invoices": [{**item, "fields": rows(item["fields"], Invoice)} for item in diff["invoices"]],
        "lines": [{**item, "fields": rows(item["fields"], DeclarationLine)} for item in diff["lines"]],
        "totals": [
            {"label": _label(DeclarationVersion, name), "change": amount}
            for name, amount in diff["totals"].items()
            if amount
        ],
    }


@signed_in
def withdraw(request, transaction_number):
    declaration = _find(request, transaction_number)
    if not services.visible_declarations(request, Action.TRANSACT).filter(pk=declaration.pk).exists():
        rights.deny(request, declaration.program_account, Action.TRANSACT, request)
    form = WithdrawForm(request.POST or None, initial={"expected_version": declaration.latest_version})
    conflict = None
    if request.method == "POST" and form.is_valid():
        outcome = services.withdraw(
            request,
            declaration.transaction_number,
            expected_version=request.POST.get("expected_version", ""),
            reason=form.cleaned_data["reason"],
            request=request,
        )
        if not outcome.errors:
            messages.success(
                request,
                _("%(number)s was withdrawn; what it posted is reversed.") % {"number": declaration.transaction_number},
            )
            return redirect("declarations:detail", declaration.transaction_number)
        for error in outcome.errors:
            if error.pointer == "/reason":
                form.add_error("reason", str(error.message))
            else:
                conflict = (conflict or []) + [str(error.message)]
    return render(
        request, "declarations/withdraw.html", {"declaration": declaration, "form": form, "conflict": conflict}
    )


# --- officers ----------------------------------------------------------------------------------


@officer
@require_GET
def adjustments(request):
    return render(request, "declarations/adjustments.html", {"pending": services.pending_adjustments()})


@officer
def adjustment(request, pk):
    version = get_object_or_404(services.pending_adjustments(), pk=pk)
    declaration = version.declaration
    in_force = declaration.version()
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = request.POST.get("decision") == "approve"
        outcome = services.decide_adjustment(
            version,
            approve=approve,
            officer=request.user,
            reason=form.cleaned_data["reason"],
            time_limit_override=form.cleaned_data["time_limit_override"],
            request=request,
        )
        if not outcome.errors:
            values = {"number": declaration.transaction_number, "version": version.label}
            messages.success(
                request,
                _("Adjustment %(number)s version %(version)s approved: its change is posted.") % values
                if approve
                else _("Adjustment %(number)s version %(version)s rejected: nothing is posted.") % values,
            )
            return redirect("declarations:adjustments")
        for error in outcome.errors:
            form.add_error(
                error.pointer[1:] if error.pointer in ("/reason", "/time_limit_override") else None, str(error.message)
            )
    interest = None  # what approving today would add, on a debit
    if version.delta > 0 and in_force.payment_due_date:
        interest = interest_owed(version.delta, in_force.payment_due_date, timezone.localdate(), RateKind.PRESCRIBED)
    return render(
        request,
        "declarations/adjustment.html",
        {
            "version": version,
            "declaration": declaration,
            "in_force": in_force,
            "diff": _labelled(services.diff(in_force, version)),
            "interest": interest,
            "form": form,
            "why": timing.explain(version),
        },
    )


# --- pre-CARM B3s ------------------------------------------------------------------------------


@signed_in
def legacy(request):
    """Convert pre-CARM B3s to "as declared" CADs from a CSV file or workbook of their lines
    (declarations.legacy), so they can be corrected or adjusted here."""
    result, problems = None, []
    if request.method == "POST":
        try:
            rows = uploads.read_lines(request.FILES.get("b3_file"), legacy_b3.COLUMNS, uploads.MAX_ROWS)
        except uploads.UploadError as error:
            problems = [(problem.row, problem.column, problem.message) for problem in error.errors]
        else:
            result = legacy_b3.convert(request, rows, request=request)
            problems = result.errors
    return render(
        request,
        "declarations/legacy.html",
        {"result": result, "problems": problems, "columns": legacy_b3.COLUMNS, "example": legacy_b3.EXAMPLE},
    )
