"""The classification tool: browse the schedule, search it, read one classification. Public pages;
every one takes ?as_of=YYYY-MM-DD to show the tariff as it stood that day."""

from functools import wraps

from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from rights.policy import public

from . import services
from .codes import InvalidCode, digits_of


def tariff_page(view):
    """Public page; a question the tariff cannot answer gets a page saying why (400 or 404)."""

    @wraps(view)
    def answer(request, *args, **kwargs):
        try:
            as_of = services.parse_day(request.GET.get("as_of"), "as_of", default=services.today())
            return view(request, as_of, *args, **kwargs)
        except services.TariffError as error:
            return render(request, "tariff/problem.html", {"message": error.message}, status=error.status)

    return public(answer)


def _context(as_of, **values):
    """Pages keep a chosen date in their links; today is the default and stays implicit."""
    chosen = as_of if as_of != services.today() else None
    return {"as_of": as_of, "as_of_query": f"?as_of={chosen.isoformat()}" if chosen else "", **values}


@tariff_page
def index(request, as_of):
    schedule, sections = services.sections(as_of)
    return render(request, "tariff/index.html", _context(as_of, schedule=schedule, sections=sections))


@tariff_page
def section(request, as_of, number):
    schedule, found, notes = services.section(number, as_of)
    return render(request, "tariff/section.html", _context(as_of, schedule=schedule, section=found, notes=notes))


@tariff_page
def chapter(request, as_of, number):
    return render(request, "tariff/chapter.html", _context(as_of, outline=services.chapter(number, as_of)))


@tariff_page
def heading(request, as_of, code):
    return render(request, "tariff/heading.html", _context(as_of, outline=services.heading(code, as_of)))


@tariff_page
def classification(request, as_of, number):
    found = services.classification(number, as_of)
    return render(
        request,
        "tariff/classification.html",
        _context(
            as_of,
            found=found,
            section=found.chapter.section,
            notes=services.notes_for(found.chapter, as_of),
            estimate_url=_estimate_url(found.line.code),
        ),
    )


def _estimate_url(code: str) -> str:
    try:
        return reverse("assessment:estimate") + f"?classification={code}"
    except NoReverseMatch:
        return ""


@tariff_page
def search(request, as_of):
    query = request.GET.get("q", "")
    if not query.strip():
        return render(request, "tariff/search.html", _context(as_of, query="", results=None))
    query = services.parse_query(query)
    if _is_full_number(query):
        try:
            services.classification(query, as_of)
            return redirect(reverse("tariff:classification", args=[digits_of(query)]) + _context(as_of)["as_of_query"])
        except services.UnknownCode:
            pass  # fall through: list what starts with those digits
    results = services.search(query, as_of, limit=services.parse_limit(request.GET.get("limit"), default=30))
    question = services.distinguishing_question(results)
    return render(request, "tariff/search.html", _context(as_of, query=query, results=results, question=question))


def _is_full_number(query: str) -> bool:
    try:
        return len(digits_of(query)) in (8, 10)
    except InvalidCode:
        return False
