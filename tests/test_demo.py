"""The demo shop: built by a seeded generator through the real importer, alive on its own today."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest

from shopkeep import demo, loyalty, referrals
from shopkeep.errors import ShopkeepError
from shopkeep.store import Store, migrate

TODAY = dt.date(2026, 11, 23)
SHIPPED = Path(__file__).resolve().parent.parent / "demo.db"


def dump(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, in a fixed order."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
    finally:
        conn.close()


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "small.db"
    demo.build(path, today=TODAY, seed=7, customers=150)
    return path


@pytest.fixture
def shop(small):
    conn = sqlite3.connect(f"file:{small}?mode=ro", uri=True)
    yield lambda sql, params=(): conn.execute(sql, params).fetchall()
    conn.close()


def test_same_seed_and_today_build_the_same_shop_and_another_seed_another(small, tmp_path):
    again, other = tmp_path / "again.db", tmp_path / "other.db"
    demo.build(again, today=TODAY, seed=7, customers=150)
    demo.build(other, today=TODAY, seed=8, customers=150)
    first = dump(small)
    assert first["orders"] and first["calls"] and first["loyalty_ledger"]
    assert dump(again) == first
    assert again.read_bytes() == small.read_bytes()
    assert dump(other)["orders"] != first["orders"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["again.db", "other.db"]  # no leftovers


def test_the_demo_carries_its_settings_and_is_one_self_contained_file(small, shop):
    settings = dict(shop("SELECT key, value FROM settings"))
    assert settings["demo_today"] == '"2026-11-23"'
    assert settings["shop_name"] == f'"{demo.SHOP_NAME}"'
    assert settings["currency"] == '"GBP"'
    assert shop("PRAGMA journal_mode")[0][0] == "delete"
    assert not small.with_name(small.name + "-wal").exists()


def test_every_kind_of_customer_is_there(shop):
    per_customer = [
        n for (n,) in shop("SELECT count(*) FROM orders WHERE customer_id IS NOT NULL GROUP BY customer_id")
    ]
    assert max(per_customer) >= 8  # regulars
    assert per_customer.count(1) >= 20  # one-timers
    statuses = {s for (s,) in shop("SELECT DISTINCT status FROM orders")}
    assert {"paid", "refunded", "partially_refunded"} <= statuses
    assert statuses & {"cancelled", "voided"}
    partial = shop("SELECT refunded, total FROM orders WHERE status = 'partially_refunded'")
    assert partial and all(0 < refunded < total for refunded, total in partial)
    credits = shop("SELECT total FROM orders WHERE kind = 'credit'")  # goods brought back to the counter
    assert credits and all(total < 0 for (total,) in credits)
    assert shop("SELECT count(*) FROM orders WHERE customer_id IS NULL")[0][0] >= 1  # guests at the counter
    hunters = shop(
        "SELECT customer_id FROM orders WHERE customer_id IS NOT NULL GROUP BY customer_id"
        " HAVING count(*) >= 3 AND count(*) = count(discount_code)"
    )
    assert hunters, "a discount hunter buys only with codes"
    assert shop("SELECT count(*) FROM orders WHERE discount > 0 AND discount_code IS NOT NULL")[0][0] > 0
    lines = dict(shop("SELECT order_id, count(*) FROM order_lines GROUP BY order_id"))
    assert max(lines.values()) >= 4 and min(lines.values()) == 1
    assert shop("SELECT count(*) FROM order_lines WHERE sku IS NULL OR unit_price IS NULL")[0][0] == 0


def test_referral_codes_used_link_friends_to_their_referrer(shop):
    used = shop("SELECT DISTINCT referral_code FROM orders WHERE referral_code IS NOT NULL")
    assert used
    for (code,) in used:
        stem, _, suffix = code.partition("-")
        assert stem.isascii() and stem.isupper() and len(suffix) == 4
    linked = shop(
        "SELECT count(*) FROM referrals r JOIN customers c ON c.id = r.referrer_id AND c.referral_code = r.code"
    )
    assert linked[0][0] == len(shop("SELECT DISTINCT customer_id FROM orders WHERE referral_code IS NOT NULL"))


def test_names_in_three_scripts_and_hostile_names_kept_literally(shop):
    names = [n for (n,) in shop("SELECT name FROM customers WHERE name IS NOT NULL")]
    assert any(any("а" <= ch <= "я" for ch in n.lower()) for n in names)
    assert any(any(ch in "ąćęłńóśźż" for ch in n.lower()) for n in names)
    assert any(n.isascii() and n[0].isalpha() for n in names)
    assert {"Alice [/]", "Smith [VIP]", "[@click=app.quit]Pay[/]"} <= set(names)
    phones = [p for (p,) in shop("SELECT phone FROM customers WHERE phone IS NOT NULL")]
    assert {p[:3] for p in phones} >= {"+44", "+48"} and any(p.startswith("+79") for p in phones)
    assert shop("SELECT count(*) FROM customers WHERE phone IS NULL AND email IS NOT NULL")[0][0] > 0


def test_the_same_person_buys_online_and_at_the_counter(shop):
    both = shop(
        "SELECT customer_id FROM orders WHERE customer_id IS NOT NULL GROUP BY customer_id"
        " HAVING count(DISTINCT source) = 2"
    )
    assert len(both) >= 5


def test_the_shop_is_alive_on_its_own_today(shop):
    (last,) = shop("SELECT max(ordered_at) FROM orders")[0]
    assert last < TODAY.isoformat()
    recent = shop("SELECT count(*) FROM orders WHERE ordered_at >= ?", ((TODAY - dt.timedelta(days=14)).isoformat(),))
    assert recent[0][0] >= 10
    first_orders = [d for (d,) in shop("SELECT min(ordered_at) FROM orders GROUP BY customer_id")]
    window = ((TODAY - dt.timedelta(days=10)).isoformat(), (TODAY - dt.timedelta(days=2)).isoformat())
    assert sum(window[0] <= d < window[1] for d in first_orders) >= 2  # new customers this week
    (oldest,) = shop("SELECT min(ordered_at) FROM orders")[0]
    assert oldest >= (TODAY - dt.timedelta(days=demo.HISTORY_DAYS)).isoformat()


def test_call_history_promises_and_notes_of_the_last_weeks(shop):
    calls = shop("SELECT customer_id, called_at, outcome, callback_on FROM calls")
    since = (TODAY - dt.timedelta(days=60)).isoformat()
    assert all(since <= at < TODAY.isoformat() for _, at, _, _ in calls)
    outcomes = {o for _, _, o, _ in calls}
    assert {"no_answer", "will_return", "call_later"} <= outcomes
    assert all(cb == TODAY.isoformat() for _, _, o, cb in calls if o == "call_later")
    won_back = shop(
        "SELECT DISTINCT c.customer_id FROM calls c JOIN orders o ON o.customer_id = c.customer_id"
        " AND o.ordered_at > c.called_at AND o.ordered_at <= datetime(c.called_at, '+30 days')"
        " WHERE c.outcome = 'will_return'"
    )
    assert won_back
    overdue = shop("SELECT count(*) FROM promises WHERE closed_at IS NULL AND due_on < ?", (TODAY.isoformat(),))
    assert overdue[0][0] >= 1
    assert shop("SELECT count(*) FROM notes")[0][0] >= 2


def test_loyalty_points_are_earned_from_the_orders(shop):
    awarded = shop("SELECT count(*) FROM loyalty_ledger WHERE reason = 'purchase'")[0][0]
    paid = shop(
        "SELECT count(*) FROM orders WHERE customer_id IS NOT NULL AND kind = 'order'"
        " AND status IN ('paid', 'partially_refunded')"
    )
    assert awarded == paid[0][0]
    assert shop("SELECT count(*) FROM loyalty_ledger WHERE created_at > ?", (TODAY.isoformat() + "T23:59:59",)) == [
        (0,)
    ]


def test_the_demo_is_already_in_sync_so_opening_it_changes_nothing(small, tmp_path):
    copy = demo.copy_demo(small, tmp_path / "session.db")
    with Store.open(copy) as store:
        assert not loyalty.sync_purchase_points(store, TODAY).changed
        synced = referrals.sync_referrals(store, TODAY)
        assert (synced.codes_created, synced.links.linked, synced.rewarded) == (0, 0, 0)
        assert loyalty.expire_points(store, TODAY) == 0
        assert loyalty.refresh_tiers(store, TODAY) == []
        assert store.scalar("SELECT count(*) FROM customers WHERE referral_code IS NULL") == 0


def test_the_generator_follows_its_today_from_the_command_line(tmp_path, capsys):
    path = tmp_path / "march.db"
    assert demo.main(["build", str(path), "--today", "2025-03-10", "--seed", "3", "--customers", "60"]) == 0
    assert "customers" in capsys.readouterr().out
    with Store.open(path) as store:
        assert store.get_setting("demo_today") == "2025-03-10"
        last = store.scalar("SELECT max(ordered_at) FROM orders")
    assert "2025-02-24" <= last < "2025-03-10"
    with pytest.raises(SystemExit):
        demo.main(["build", str(path), "--today", "10.03.2025"])


def test_the_shipped_demo_is_a_full_shop_at_the_latest_schema(tmp_path):
    assert SHIPPED.exists(), "run `make demo-db`"
    copy = tmp_path / "demo.db"
    shutil.copyfile(SHIPPED, copy)
    shipped = {row[0] for row in dump(copy)["schema_migrations"]}
    assert shipped == {m.version for m in migrate.available()}, "demo.db is not at the latest schema: make demo-db"
    with Store.open(copy) as store:
        assert store.schema_version() == max(shipped)
        assert store.get_setting("demo_today")
        assert 1400 <= store.scalar("SELECT count(*) FROM customers") <= 1600
    assert SHIPPED.stat().st_size < 10_000_000


def test_the_demos_apology_bonuses_are_in_the_ledger_as_the_app_writes_them():
    """A bonus promised on a call and given is closed as the owner closes it in the app: one apology entry
    for the promise, stamped when it was given, so the card's points history reads like a real shop's."""
    conn = sqlite3.connect(f"file:{SHIPPED}?mode=ro", uri=True)
    try:
        given = conn.execute(
            "SELECT id, customer_id, amount, closed_at FROM promises"
            " WHERE kind = 'bonus' AND closed_how = 'given' ORDER BY id"
        ).fetchall()
        apologies = conn.execute(
            "SELECT reference, customer_id, delta, created_at, idempotency_key FROM loyalty_ledger"
            " WHERE reason = 'apology' ORDER BY id"
        ).fetchall()
    finally:
        conn.close()
    assert len(given) >= 3
    assert apologies == [(f"promise:{i}", cid, amount, at, f"promise:{i}") for i, cid, amount, at in given]


def test_copy_demo_leaves_the_shipped_file_untouched(small, tmp_path):
    before = small.read_bytes()
    target = demo.copy_demo(small, tmp_path / "session.db")
    with Store.open(target) as store:
        store.set_setting("shop_name", "Changed")
    assert small.read_bytes() == before


@pytest.mark.parametrize(
    ("today", "seed"), [(dt.date(2025, 1, 1), 1), (dt.date(2026, 6, 15), 2), (dt.date(2031, 2, 28), 3)]
)
def test_any_today_gets_a_living_shop(today, seed):
    plan = demo.simulate(120, today=today, seed=seed)
    days = [o.at.date() for o in plan.orders]
    assert max(days) < today
    assert sum(d >= today - dt.timedelta(days=14) for d in days) >= 10
    firsts = [min(o.at.date() for o in p.orders) for p in plan.people]
    assert sum(today - dt.timedelta(days=10) <= d <= today - dt.timedelta(days=2) for d in firsts) >= 2
    december = sum(d.month == 12 for d in days) / len(days)
    august = sum(d.month == 8 for d in days) / len(days)
    assert december > august  # gift season
    assert all(today - dt.timedelta(days=60) <= c.at.date() < today for c in plan.calls)


def test_a_demo_needs_some_customers():
    with pytest.raises(ShopkeepError):
        demo.simulate(5)
