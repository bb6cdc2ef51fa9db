"""A small shop built with plain SQL, with names that would be markup or escape codes if mishandled."""

from __future__ import annotations

import datetime as dt

import pytest

from shopkeep.store import Store

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
    with store.write() as conn:
        conn.execute("""INSERT INTO settings (key, value) VALUES ('shop_name', '"Herbs [b]&[/b] Co"')""")
        # the owner counts loyalty in złoty (1 point per 1 PLN, Silver from 300 PLN), not the usual 5 PLN
        conn.execute("""INSERT INTO settings (key, value) VALUES ('loyalty_rules', '{"price_level": "1"}')""")
        conn.executemany(
            "INSERT INTO customers (id, external_id, name, email, phone, city, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(*c, now, now) for c in CUSTOMERS],
        )
        for oid, cid, at, total in _orders():
            conn.execute(
                "INSERT INTO orders (id, source, order_key, order_number, customer_id, ordered_at, currency, total,"
                " content_hash, created_at, updated_at) VALUES (?, 'generic', ?, ?, ?, ?, 'PLN', ?, 'h', ?, ?)",
                (oid, f"o{oid}", f"#{1000 + oid}", cid, at, total, now, now),
            )
            conn.execute(
                "INSERT INTO order_lines (order_id, line_no, product, quantity, line_total) VALUES (?, 1, ?, 2, ?)",
                (oid, "Tea [red]leaf[/red]" if cid == 1 else "Honey jar", total),
            )
        conn.execute(
            "INSERT INTO notes (customer_id, body, created_at, updated_at) VALUES (1, ?, ?, ?)",
            ("Prefers [i]green[/i] tea", now, now),
        )
        conn.execute(
            "INSERT INTO calls (customer_id, called_at, outcome, reason, note)"
            " VALUES (2, ?, 'will_return', 'prices', ?)",
            ("2026-11-20T09:00:00", "Wants [bold]discount[/bold]"),
        )
        conn.execute(
            "INSERT INTO referrals (referrer_id, referred_id, source, created_at) VALUES (1, 6, 'manual', ?)", (now,)
        )
        conn.execute(
            "INSERT INTO loyalty_ledger (customer_id, delta, reason, created_at) VALUES (1, 120, 'purchase', ?)", (now,)
        )


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
