"""A small shop built with the shared factories (tests/conftest.py), with names that would be markup or escape
codes if mishandled."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest

from shopkeep.store import Store
from tests.conftest import insert_row, new_customer, new_order

AS_OF = dt.date(2026, 11, 23)

HOSTILE_NAMES = [
    "Alice [/]",
    "Smith [VIP]",
    "[@click=app.quit]Pay[/]",
    "[link=https://evil.example]x[/link]",
    "Eve \x1b[31mRed\x1b[0m \x1b]0;owned\x07Title",
]
# (id, external_id, name, email, phone, city)
CUSTOMERS = [
    (1, "0001", HOSTILE_NAMES[0], "alice@example.com", "+48600100200", "Kraków"),
    (2, "0002", HOSTILE_NAMES[1], "smith@example.com", "+48600100201", "Gdańsk"),
    (3, "0003", HOSTILE_NAMES[2], "pay@example.com", None, "[b]Łódź[/b]"),
    (4, "0004", HOSTILE_NAMES[3], "x@example.com", "+48600100203", None),
    (5, "0005", HOSTILE_NAMES[4], "eve@example.com", "+48600100204", None),
    (6, "0006", "Maria Nowak", "maria@example.com", "+48600100205", "Poznań"),
    (7, "0007", "Jan Kowalski", "jan@example.com", "+48600100206", "Warszawa"),
]


def _orders() -> list[tuple]:
    """Deterministic history: regulars, a lapsed customer, a one-timer."""
    rows = []
    n = 0
    plan = {
        1: (8, 30, 20),
        2: (3, 90, 200),
        3: (1, 0, 400),
        4: (5, 45, 120),
        5: (2, 60, 30),
        6: (12, 20, 10),
        7: (1, 0, 5),
    }
    for cid, (count, gap, last_days_ago) in plan.items():
        for k in range(count):
            n += 1
            day = AS_OF - dt.timedelta(days=last_days_ago + gap * (count - 1 - k))
            total = 4_000 + 1_250 * ((cid * 7 + k) % 5)
            rows.append((n, cid, f"{day.isoformat()}T12:00:00", total))
    return rows


def fill(store: Store) -> None:
    now = "2026-11-01T10:00:00"
    with store.write():
        insert_row(store, "settings", key="shop_name", value='"Herbs [b]&[/b] Co"')
        # the owner counts loyalty in złoty (1 point per 1 PLN, Silver from 300 PLN), not the usual 5 PLN
        insert_row(store, "settings", key="loyalty_rules", value='{"price_level": "1"}')
        for cid, external_id, name, email, phone, city in CUSTOMERS:
            new_customer(
                store,
                id=cid,
                external_id=external_id,
                name=name,
                email=email,
                phone=phone,
                city=city,
                created_at=now,
                updated_at=now,
            )
        for oid, cid, at, total in _orders():
            new_order(
                store,
                cid,
                id=oid,
                source="generic",
                order_key=f"o{oid}",
                order_number=f"#{1000 + oid}",
                ordered_at=at,
                currency="PLN",
                total=total,
                created_at=now,
                updated_at=now,
            )
            product = "Tea [red]leaf[/red]" if cid == 1 else "Honey jar"
            insert_row(store, "order_lines", order_id=oid, line_no=1, product=product, quantity=2, line_total=total)
        insert_row(store, "notes", customer_id=1, body="Prefers [i]green[/i] tea", created_at=now, updated_at=now)
        insert_row(
            store,
            "calls",
            customer_id=2,
            called_at="2026-11-20T09:00:00",
            outcome="will_return",
            reason="prices",
            note="Wants [bold]discount[/bold]",
        )
        insert_row(store, "referrals", referrer_id=1, referred_id=6, source="manual", created_at=now)
        insert_row(store, "loyalty_ledger", customer_id=1, delta=120, reason="purchase", created_at=now)


@pytest.fixture
def shop_db(tmp_path):
    path = tmp_path / "shop.db"
    with Store.open(path) as store:
        fill(store)
    return path


@pytest.fixture
def make_app(shop_db):
    from shopkeep.tui.app import ShopkeepApp

    def make(**kwargs):
        return ShopkeepApp(shop_db, as_of=AS_OF, **kwargs)

    return make


CELL_WIDTH = 12.2  # pixels per terminal cell in Rich's SVG export


def screen_rows(app: Any) -> list[str]:
    """The terminal's rows as text, read from the screenshot Textual exports (one <text> per run of cells)."""
    svg = app.export_screenshot()
    rows: dict[int, list[str]] = {}
    for x, row, words in re.findall(r'<text[^>]*? x="([\d.]+)"[^>]*?-line-(\d+)\)">([^<]*)</text>', svg):
        cells = rows.setdefault(int(row), [])
        column = round(float(x) / CELL_WIDTH)
        cells.extend([" "] * (column - len(cells)))
        cells[column:] = list(html.unescape(words).replace("\xa0", " "))
    return ["".join(cells) for _row, cells in sorted(rows.items())]


def footer_cut(app: Any) -> list[str]:
    """The descriptions of shown keys that the footer (the last row) does not show whole."""
    footer = " ".join(screen_rows(app)[-1].split())
    return [
        active.binding.description
        for active in app.screen.active_bindings.values()
        if active.binding.show and active.binding.description and active.enabled
        if active.binding.description not in footer
    ]


def assert_footer_whole(app: Any) -> None:
    """Every key the footer shows is there with its whole description."""
    assert not footer_cut(app), (footer_cut(app), screen_rows(app)[-1])


@pytest.fixture
def snap_compare(snap_compare):
    """pytest-textual-snapshot's `snap_compare`, with every input's cursor held still before the picture: a
    focused input's cursor blinks every half second, and under load the picture caught it on or off."""
    from textual.widgets import Input

    def compare(app, press=(), terminal_size=(80, 24), run_before=None):
        async def before(pilot):
            if run_before is not None:
                await run_before(pilot)
            for field in pilot.app.screen.query(Input):
                field.cursor_blink = False

        return snap_compare(app, press=press, terminal_size=terminal_size, run_before=before)

    return compare
