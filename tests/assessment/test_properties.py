"""Properties of the engine that hold for any line, rate and declaration."""

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from assessment_engine import (
    AmountType,
    Charge,
    Line,
    Rate,
    RateParseError,
    assess_declaration,
    assess_line,
    parse_rate,
)

T = AmountType
CENT = Decimal("0.01")


def scaled(low: int, high: int, places: int) -> st.SearchStrategy[Decimal]:
    return st.integers(low, high).map(lambda n: Decimal(n).scaleb(-places))


money = scaled(0, 10**9, 2)
percents = scaled(0, 30_000, 2)  # up to 300 %, as over-access dairy rates reach
specific_amounts = scaled(0, 10**6, 4)  # dollars per unit, to the hundredth of a cent
mass_units = st.sampled_from(["KGM", "TNE", "GRM"])

parts = st.one_of(
    percents.map(Rate.ad_valorem),
    st.builds(Rate.specific, specific_amounts, st.sampled_from(["KGM", "TNE"])),
)
rates = st.just(Rate.free()) | st.recursive(
    parts,
    lambda inner: st.builds(
        lambda combine, a, b: combine(a, b),
        st.sampled_from([Rate.plus, Rate.max_of, Rate.min_of]),
        inner,
        inner,
    ),
    max_leaves=4,
)


@st.composite
def lines(draw, rate=rates):
    inputs = {"rate": draw(rate), "quantity": draw(scaled(0, 10**7, 3)), "unit": draw(mass_units)}
    if draw(st.booleans()):
        inputs.update(price=draw(money), currency="USD", exchange_rate=draw(scaled(1, 10**6, 4)))
    else:
        inputs["vfd"] = draw(money)
    inputs["sima"] = draw(st.none() | percents.map(Charge.margin))
    inputs["surtax"] = draw(st.none() | money.map(lambda amount: Charge(amount=amount)))
    inputs["excise_tax"] = draw(
        st.none() | specific_amounts.map(lambda amount: Charge(rate=Rate.specific(amount, "KGM")))
    )
    return Line(**inputs)


def round_cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@given(lines())
def test_total_is_the_sum_of_duties_and_taxes_without_the_vfd(line):
    a = assess_line(line)
    assert a.tot == a.cud + a.sima + a.surtax + a.excise_duty + a.excise_tax + a.gst


@given(lines())
def test_value_for_tax_is_vfd_plus_every_duty_and_tax_but_gst(line):
    a = assess_line(line)
    assert a.vft == a.vfd + a.cud + a.sima + a.surtax + a.excise_duty + a.excise_tax


@given(lines(), scaled(0, 2_000, 4))
def test_gst_is_the_gst_rate_of_the_value_for_tax_rounded_half_up(line, gst_rate):
    assert assess_line(line).gst == round_cents(assess_line(line).vft * Decimal("0.05"))
    assert assess_line(line, gst_rate=gst_rate).gst == round_cents(assess_line(line).vft * gst_rate)


@given(lines())
def test_amounts_are_never_negative_and_always_in_cents(line):
    for value in assess_line(line).amounts().values():
        assert value >= 0
        assert value == round_cents(value)


@given(parts, parts, money, scaled(0, 10**7, 3), mass_units)
def test_compound_rates_take_the_higher_or_lower_or_sum_of_their_parts(a, b, vfd, qty, unit):
    def cud(rate):
        return assess_line(Line(rate=rate, vfd=vfd, quantity=qty, unit=unit)).cud

    assert cud(Rate.max_of(a, b)) == max(cud(a), cud(b))
    assert cud(Rate.min_of(a, b)) == min(cud(a), cud(b))
    # A sum is rounded once, so it may differ from the sum of rounded parts by a cent.
    assert abs(cud(Rate.plus(a, b)) - (cud(a) + cud(b))) <= CENT


@given(st.lists(lines(), max_size=8), st.randoms())
def test_declaration_totals_do_not_depend_on_line_order(declared, random):
    shuffled = list(declared)
    random.shuffle(shuffled)
    totals = assess_declaration(declared).totals
    assert assess_declaration(shuffled).totals == totals
    for kind in AmountType:
        assert totals[kind] == sum((assess_line(line).amounts()[kind] for line in declared), Decimal("0.00"))


@given(rates | st.sampled_from([parse_rate("N/A"), parse_rate("See Note 12")]))
def test_rate_round_trips_through_text_in_both_languages_and_through_its_dict(rate):
    assert parse_rate(rate.to_text()) == rate
    assert parse_rate(rate.to_text("fr")) == rate
    assert Rate.from_dict(rate.to_dict()) == rate


@settings(max_examples=300)
@given(st.text(alphabet="0123456789.,%$¢/ kgtonelirFfabusmxpd()", max_size=40))
def test_any_text_either_parses_or_raises_a_rate_parse_error(text):
    try:
        rate = parse_rate(text)
    except RateParseError as error:
        assert 0 <= error.position <= len(text)
    else:
        assert parse_rate(rate.to_text()) == rate
