"""Grouping parsed rows into orders: totals counted once, lines, credits, stable keys."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from shopkeep.importing.group import build_order, group_orders, line_amount
from shopkeep.importing.model import BadRow, BadValue, ParsedOrder, ParsedRow

WHEN = dt.datetime(2026, 4, 5, 21, 6, 21)


def row(line: int, **values) -> ParsedRow:
    values.setdefault("ordered_at", WHEN)
    values.setdefault("currency", "USD")
    return ParsedRow(line=line, **values)


def orders(rows, grain="line", source="generic") -> list:
    return list(group_orders(rows, source, grain))


def test_shopify_lines_share_one_order_and_the_total_on_the_first_row_counts_once():
    rows = [
        row(
            2,
            order_id="#1001",
            email="ann@example.com",
            total=3500,
            status="paid",
            product="Mug",
            quantity=2.0,
            unit_price=1000,
        ),
        ParsedRow(line=3, order_id="#1001", product="Tea", quantity=1.0, unit_price=1000),
        row(4, order_id="#1002", total=500, product="Card", quantity=1.0, unit_price=500),
    ]
    first, second = orders(rows)
    assert (first.order_key, first.total, first.email, first.first_line) == ("#1001", 3500, "ann@example.com", 2)
    assert [(ln.line_no, ln.product, ln.line_total) for ln in first.lines] == [(1, "Mug", 2000), (2, "Tea", 1000)]
    assert (second.order_key, second.total) == ("#1002", 500)


def test_a_total_repeated_on_every_line_row_is_taken_once():
    rows = [row(n, order_id="77", total=4200, product=p, line_total=2100) for n, p in ((2, "A"), (3, "B"))]
    (order,) = orders(rows)
    assert order.total == 4200
    assert len(order.lines) == 2


def test_without_a_total_the_order_is_the_sum_of_quantity_times_unit_price():
    rows = [
        row(2, order_id="536365", quantity=6.0, unit_price=255, product="Heart"),
        row(3, order_id="536365", quantity=0.5, unit_price=199, product="Cheese"),
    ]
    (order,) = orders(rows)
    assert order.total == 6 * 255 + 100  # 99.5 rounds half to even
    assert line_amount(0.5, 199) == 100
    assert line_amount(1.5, 3) == 4


def test_a_cancellation_invoice_becomes_a_negative_credit():
    rows = [row(2, order_id="C536379", quantity=-1.0, unit_price=2750, customer_id="14527")]
    (order,) = orders(rows)
    assert (order.kind, order.total, order.order_number) == ("credit", -2750, "C536379")


def test_na_and_empty_customer_ids_and_names_are_nobody():
    (order,) = orders([row(2, order_id="1", total=100, customer_id="NA", name=" ")], grain="order")
    assert order.customer_ext_id is None
    assert order.name is None


def test_first_and_last_name_make_the_name_when_there_is_none():
    (order,) = orders([row(2, order_id="1", total=100, first_name="Anna", last_name="Kowalska")], grain="order")
    assert order.name == "Anna Kowalska"


def test_rows_without_order_id_get_stable_keys_and_identical_rows_stay_two_orders():
    rows = [row(2, total=100, email="a@example.com"), row(3, total=100, email="a@example.com"), row(4, total=7)]
    keys = [o.order_key for o in orders(rows, grain="order")]
    assert len(set(keys)) == 3
    assert keys[0].endswith(":0") and keys[1].endswith(":1")
    again = [o.order_key for o in orders([row(9, total=100, email="a@example.com")], grain="order")]
    assert again == keys[:1]  # a row's key depends on its values, not on its line number


def test_an_order_without_date_currency_or_money_is_reported_not_built():
    (problems,) = orders([ParsedRow(line=5, order_id="9")], grain="order")
    assert {(p.line, p.column) for p in problems} == {(5, "ordered_at"), (5, "currency"), (5, "total")}


def test_bad_rows_and_skipped_records_pass_through_in_file_order():
    bad = [BadValue(3, "Total", "abc", "not an amount")]
    skipped = object()
    out = orders([row(2, order_id="1", total=1), bad, skipped, row(4, order_id="1", product="x", line_total=1)])
    assert out[0] is bad and out[1] is skipped
    assert isinstance(out[2], ParsedOrder) and len(out[2].lines) == 1


def test_rows_without_order_id_keep_their_keys_when_a_zero_refund_column_appears():
    plain = orders([row(2, total=500, email="a@example.com")], grain="order")[0]
    zero = orders([row(2, total=500, email="a@example.com", refunded=0)], grain="order")[0]
    refunded = orders([row(2, total=500, email="a@example.com", refunded=100)], grain="order")[0]
    assert plain.order_key == zero.order_key != refunded.order_key
    assert (zero.refunded, refunded.refunded) == (0, 100)


def test_whole_orders_turns_every_row_of_an_order_with_a_bad_row_into_a_reject():
    bad = BadRow([BadValue(3, "Lineitem price", "x", "not an amount")], order_id="#1")
    items = [
        row(2, order_id="#1", total=900, product="Mug", unit_price=400),
        bad,
        row(4, order_id="#1", product="Pot", unit_price=500),
        row(5, order_id="#2", total=100, product="Tea", unit_price=100),
    ]
    out = list(group_orders(items, "shopify", "line", whole_orders=True))
    assert [type(item).__name__ for item in out] == ["list", "BadRow", "list", "ParsedOrder"]
    assert [(v.line, v.reason) for v in out[0] + out[2]] == [
        (2, "left out with line 3, a bad row of the same order"),
        (4, "left out with line 3, a bad row of the same order"),
    ]
    assert out[3].order_key == "#2"
    plain = list(group_orders(items, "shopify", "line"))
    assert [type(item).__name__ for item in plain] == ["BadRow", "ParsedOrder", "ParsedOrder"]  # without --skip-bad


_who = st.sampled_from([None, "NA", "guest", "0", "Anna", "  Anna   Nowak ", "Customer 12", "Zoë Ünal-Łukasz"])


@st.composite
def single_rows(draw) -> ParsedRow:
    """Mostly the common row (date, currency, total, no line fields), sometimes one that lacks or adds something."""
    oddities = st.sampled_from(["no date", "no currency", "no total", "sku", "quantity", "unit price", "line"])
    odd = draw(st.just(set()) | st.sets(oddities, min_size=1))
    return ParsedRow(
        line=draw(st.integers(1, 10**6)),
        order_id=draw(st.sampled_from(["1001", "#A-7", "C536379"])),
        ordered_at=None if "no date" in odd else WHEN,
        customer_id=draw(_who),
        email=draw(st.none() | st.just("anna@example.com")),
        phone=draw(st.none() | st.just("+48600123456")),
        name=draw(_who),
        first_name=draw(_who),
        last_name=draw(_who),
        total=None if "no total" in odd else draw(st.integers(-50_000, 50_000)),
        unit_price=draw(st.integers(0, 9_999)) if "unit price" in odd else None,
        quantity=draw(st.sampled_from([1.0, 0.5, 3.0])) if "quantity" in odd else None,
        line_total=draw(st.integers(0, 9_999)) if "line" in odd else None,
        currency=None if "no currency" in odd else "EUR",
        status=draw(st.none() | st.sampled_from(["paid", "refunded", "cancelled"])),
        sku="T-1" if "sku" in odd else None,
        discount=draw(st.none() | st.integers(0, 500)),
        shipping=draw(st.none() | st.integers(0, 500)),
        discount_code=draw(st.none() | st.just("SPRING10")),
        city=draw(st.none() | st.just("Kraków")),
        country=draw(st.none() | st.just("PL")),
        referral_code=draw(st.none() | st.just("ANNA-7Q")),
        refunded=draw(st.none() | st.integers(0, 60_000)),
    )


@settings(max_examples=150, deadline=None)
@given(single_rows())
def test_a_row_of_its_own_makes_exactly_the_order_the_general_path_makes(parsed):
    # One row per order goes a faster way through grouping; the order (or the reasons it is bad) must not differ.
    (made,) = orders([parsed], grain="order")
    assert made == build_order([parsed], "generic", order_id=parsed.order_id)
