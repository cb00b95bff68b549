"""One input convention over every form of the project (issue #17 item 5): every django Form of
the apps' forms modules is walked, and each of its fields of a kind keeps the convention in both
languages — a date is taken and shown back as YYYY-MM-DD; an amount (two decimals) takes a French
decimal comma with thousands spaces and an English "1,234.56"; a country or currency code not in
its code list is refused; a required text refuses blanks. A new form is checked as it is added."""

import copy
import datetime as dt
import importlib
import inspect
from decimal import Decimal

import pytest
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import translation

DAY = dt.date(2026, 12, 5)
CODE_FIELDS = ("country", "currency", "origin")  # a field so named holds a code of a code list


def _forms():
    for app in [*settings.CARM_APPS, "portal"]:
        try:
            module = importlib.import_module(f"{app}.forms")
        except ModuleNotFoundError:
            continue
        for name, form in inspect.getmembers(module, inspect.isclass):
            if issubclass(form, forms.BaseForm) and form.__module__ == module.__name__:
                yield f"{app}.{name}", form


def _fields(kind):
    return [
        pytest.param(field, id=f"{label}.{name}")
        for label, form in _forms()
        for name, field in form.base_fields.items()
        if kind(name, field)
    ]


def _is_date(name, field):
    return isinstance(field, forms.DateField)


def _is_amount(name, field):
    return isinstance(field, forms.DecimalField) and field.decimal_places == 2


def _is_code(name, field):
    return any(part in name for part in CODE_FIELDS) and not isinstance(field, forms.BooleanField)


def _is_required_text(name, field):
    return type(field) is forms.CharField and field.required


def _shown(field, value) -> str:
    """The field as the pages render it (portal/includes/field.html), holding `value`."""
    form = type("One", (forms.Form,), {"field": copy.deepcopy(field)})(initial={"field": value})
    return render_to_string("portal/includes/field.html", {"field": form["field"]})


def test_the_walk_finds_the_forms_of_every_kind():
    assert len(list(_forms())) > 40
    assert all(_fields(kind) for kind in (_is_date, _is_amount, _is_code, _is_required_text))


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("field", _fields(_is_date))
def test_a_date_is_taken_and_shown_as_yyyy_mm_dd(field, language):
    with translation.override(language):
        assert field.clean("2026-12-05") == DAY
        assert 'value="2026-12-05"' in _shown(field, DAY)


@pytest.mark.parametrize("field", _fields(_is_amount))
def test_an_amount_takes_a_french_decimal_comma_and_an_english_thousands_comma(field):
    with translation.override("fr"):
        assert field.clean("1 234,56") == Decimal("1234.56")
        assert field.clean("1\u00a0234,56\u00a0$") == Decimal("1234.56")
    with translation.override("en"):
        assert field.clean("1,234.56") == Decimal("1234.56")


@pytest.mark.parametrize("field", _fields(lambda name, field: isinstance(field, forms.DecimalField)))
def test_a_decimal_takes_the_french_decimal_comma(field):
    with translation.override("fr"):
        assert field.clean("0,5") == Decimal("0.5")


@pytest.mark.parametrize("code", ["ZZ", "QQ", "XYZ"])
@pytest.mark.parametrize("field", _fields(_is_code))
def test_a_code_not_in_its_code_list_is_refused(db, field, code):
    with pytest.raises(ValidationError):
        field.clean(code)


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("field", _fields(_is_required_text))
def test_a_required_text_refuses_blanks(field, language):
    with translation.override(language), pytest.raises(ValidationError) as refused:
        field.clean(" \u00a0\t ")
    assert refused.value.code == "required"
