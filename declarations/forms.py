"""Forms of the CAD pages. They only carry what the person typed to and from the payload the
services take (the same dict as the API's body): every rule lives in declarations.validation, and
its errors come back with a JSON pointer that `attach_errors` puts next to the field it names.

Their fields are the rows of declarations.fields (labels, help), as the API schema's and the upload's
columns are. The CAD form is a header form, an invoice formset (prefix "invoices") and a line formset (prefix
"lines"), so that the pointer /lines/2/classification is the field named lines-2-classification."""

import json

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .fields import BY_PART, Group, Kind, Part, names

HEADER_FIELDS = [name for name in names(Part.HEADER) if name != "transaction_number"]  # a draft's: hidden
INVOICE_FIELDS = names(Part.INVOICE)
LINE_FIELDS = names(Part.LINE)
_ADJUSTMENTS = {Group.ADDITION, Group.DEDUCTION}


class _Choice(forms.ChoiceField):
    """A select whose value is checked by the services, not by the form."""

    def valid_value(self, value):
        return True


def form_field(row) -> forms.Field:
    """The form field of a row of declarations.fields: text as typed (the services check it), or a
    choice among the row's choices."""
    label = capfirst(row.label)
    if row.kind is Kind.CHOICE:
        blank = [] if row.default else [("", "—")]
        return _Choice(label=label, help_text=row.help, required=False, choices=[*blank, *row.choices.choices])
    return forms.CharField(label=label, help_text=row.help, required=False, strip=True)


class _RowsForm(forms.Form):
    """A form with a field per row of one part of a CAD, in the rows' order."""

    part: Part

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, row in BY_PART[self.part].items():
            if name != "transaction_number":
                self.fields[name] = form_field(row)


class HeaderForm(_RowsForm):
    part = Part.HEADER

    def __init__(self, *args, accounts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["importer"] = _Choice(
            label=self.fields["importer"].label, required=False, choices=[("", "—"), *[(n, n) for n in accounts]]
        )

    def cad_type_options(self) -> str:
        """JSON for <gcds-radios options>: the CAD types are radio buttons, as their names are too
        long for a select on a narrow screen. The first one takes the field's id (error links). The
        chosen one is marked `checked`: gcds-radios submits its `value` attribute only once changed."""
        field = self["cad_type"]
        return json.dumps(
            [
                {
                    "id": field.id_for_label if index == 0 else f"{field.id_for_label}_{index}",
                    "label": str(label),
                    "value": value,
                    "checked": value == field.value(),
                }
                for index, (value, label) in enumerate(field.field.choices)
            ]
        )


class InvoiceForm(_RowsForm):
    part = Part.INVOICE


class LineForm(_RowsForm):
    part = Part.LINE
    search = None  # the classification search shown under the line, when one was made

    def _group(self, *groups, details=False):
        rows = BY_PART[Part.LINE].items()
        return [self[name] for name, row in rows if row.group in groups and row.details == details]

    def main_fields(self):
        return self._group(Group.NONE)

    def detail_fields(self):
        """The other D17-1-10 fields (stored in the line's details): warehouse, time limits, SIMA..."""
        return self._group(Group.NONE, details=True)

    def details_open(self) -> bool:
        return any(field.value() or field.errors for field in self.detail_fields())

    def adjustment_fields(self):
        return self._group(*_ADJUSTMENTS)

    def charge_fields(self):
        return self._group(Group.CHARGE)

    def adjustments_open(self) -> bool:
        """Show the additions and deductions when one is filled in or wrong, or the VFD code is."""
        return any(field.value() or field.errors for field in self.adjustment_fields()) or bool(
            self.errors.get("vfd_code")
        )

    def charges_open(self) -> bool:
        """Show the other duties and taxes when one is filled in or wrong."""
        return any(field.value() or field.errors for field in self.charge_fields())


InvoiceFormSet = forms.formset_factory(InvoiceForm, extra=0)
LineFormSet = forms.formset_factory(LineForm, extra=0)


def _read(data, prefix: str, names: list[str]) -> list[dict]:
    try:
        count = min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), 2000)
    except ValueError:
        count = 0
    return [{name: data.get(f"{prefix}-{index}-{name}", "").strip() for name in names} for index in range(count)]


def read_payload(data) -> dict:
    """The payload the form's POST data describes (all text, as typed; blank fields kept)."""
    payload = {name: data.get(name, "").strip() for name in HEADER_FIELDS}
    if data.get("transaction_number"):
        payload["transaction_number"] = data["transaction_number"].strip()
    payload["invoices"] = _read(data, "invoices", INVOICE_FIELDS)
    payload["lines"] = _read(data, "lines", LINE_FIELDS)
    return payload


def as_text(payload: dict) -> dict:
    """A stored payload (which may hold numbers) as the text the form shows, every field present."""

    def text(value):
        return "" if value is None else str(value)

    def rows(items, names):
        return [{name: text(item.get(name)) for name in names} for item in items or [] if isinstance(item, dict)]

    result = {name: text(payload.get(name)) for name in HEADER_FIELDS}
    if payload.get("transaction_number"):
        result["transaction_number"] = text(payload["transaction_number"])
    result["invoices"] = rows(payload.get("invoices"), INVOICE_FIELDS)
    result["lines"] = rows(payload.get("lines"), LINE_FIELDS)
    return result


def blank_line() -> dict:
    return dict.fromkeys(LINE_FIELDS, "")


def blank_invoice() -> dict:
    return dict.fromkeys(INVOICE_FIELDS, "")


def _formset_data(prefix: str, items: list[dict]) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(len(items)), f"{prefix}-INITIAL_FORMS": "0"}
    for index, item in enumerate(items):
        data.update({f"{prefix}-{index}-{name}": value for name, value in item.items()})
    return data


class CadForms:
    """The three forms of a CAD, bound to a payload, with the services' errors attached."""

    def __init__(self, payload: dict, accounts=()):
        self.payload = payload
        self.header = HeaderForm({name: payload.get(name, "") for name in HEADER_FIELDS}, accounts=accounts)
        self.invoices = InvoiceFormSet(_formset_data("invoices", payload["invoices"]), prefix="invoices")
        self.lines = LineFormSet(_formset_data("lines", payload["lines"]), prefix="lines")
        self.general_errors: list[str] = []  # errors naming no field shown on the form
        self.errors: list[tuple[str, str]] = []  # every error: (anchor of its field, where and what)

    def field_for(self, pointer: str):
        """The bound field a JSON pointer names, or None: /release_date, /invoices/0/amount,
        /lines/2/classification."""
        parts = pointer.strip("/").split("/")
        if len(parts) == 1 and parts[0] in self.header.fields:
            return self.header, parts[0]
        if len(parts) == 3 and parts[0] in ("invoices", "lines") and parts[1].isascii() and parts[1].isdigit():
            formset = self.invoices if parts[0] == "invoices" else self.lines
            index = int(parts[1])
            if index < len(formset.forms) and parts[2] in formset.forms[index].fields:
                return formset.forms[index], parts[2]
        return None

    def attach_errors(self, errors) -> None:
        for error in errors:
            found = self.field_for(error.pointer)
            message = str(error.message)
            if found is None:
                self.general_errors.append(_where(error.pointer) + message)
                self.errors.append(("#cad-errors", _where(error.pointer) + message))
                continue
            form, name = found
            form.add_error(name, message)
            self.errors.append(("#" + form[name].id_for_label, f"{_where(error.pointer)}{form[name].label}: {message}"))

    def error_links(self) -> str:
        """JSON for <gcds-error-summary error-links>: each anchor and its first message."""
        links = {}
        for anchor, text in self.errors:
            links.setdefault(anchor, text)
        return json.dumps(links)


def _where(pointer: str) -> str:
    """'Line 3: ' for /lines/2 and the like, so a message naming no field still says where."""
    parts = pointer.strip("/").split("/")
    if len(parts) >= 2 and parts[1].isascii() and parts[1].isdigit():
        number = int(parts[1]) + 1
        if parts[0] == "lines":
            return str(_("Line %(number)s: ") % {"number": number})
        if parts[0] == "invoices":
            return str(_("Invoice %(number)s: ") % {"number": number})
    return ""


class ChangeForm(forms.Form):
    """What a new version needs beyond the declaration: the version it starts from, a reason."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        widget=forms.Textarea,
        help_text=_("Required for an adjustment (after the payment due date)."),
    )
    # Customs Act s.32.2: checked by declarations.timing (a bad date is the service's error, on this field).
    reason_to_believe_on = forms.CharField(
        label=_("Since when you had reason to believe the declaration was wrong (YYYY-MM-DD)"),
        required=False,
        help_text=_("Origin, classification or value for duty must be corrected within 90 days (Customs Act s.32.2)."),
    )


class WithdrawForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(label=_("Reason for withdrawing"), required=False, widget=forms.Textarea)


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea,
        help_text=_("Required to reject; kept with the decision."),
    )
    time_limit_override = forms.CharField(
        label=_("Authority for a refund past four years"),
        required=False,
        help_text=_("Only for a refund asked after the four years of Customs Act s.74(3)(b); kept and audited."),
    )


def account_numbers(queryset) -> list[str]:
    return list(queryset.order_by("number").values_list("number", flat=True))
