"""Customers without a phone: a message per reason and language, exported for a mail tool, logged as sent."""

from __future__ import annotations

import csv
import io

import pytest
from typer.testing import CliRunner

from shopkeep.calls import call_results, log_call, today_list, undo_call
from shopkeep.cli import app
from shopkeep.errors import ShopkeepError
from shopkeep.messages import message_for
from shopkeep.scripts import LANGUAGES, REASONS

from .helpers import AS_OF


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("reason", REASONS)
def test_every_reason_has_a_message_in_every_language_with_nothing_left_to_fill(reason, language):
    m = message_for(reason, language, first_name="Dorota", shop_name="Herbaciarnia", caller="Ewa")
    for text in (m.subject, m.body, m.sms):
        assert "{" not in text and "}" not in text and text.strip()
    assert "Dorota" in m.body and "Dorota" in m.sms
    assert m.body.rstrip().endswith("Herbaciarnia")
    assert len(m.sms) <= 160  # one SMS


def test_without_a_name_the_greeting_has_none_and_unknown_values_are_refused():
    m = message_for("forgot", "en", first_name=None, shop_name=None)
    assert m.body.startswith("Hello,\n") and "None" not in m.body + m.sms
    with pytest.raises(ShopkeepError, match="unknown language"):
        message_for("forgot", "de", first_name=None, shop_name=None)


def test_no_phone_export_has_the_email_and_the_message(shop, db_path):
    shop.conn.execute("UPDATE customers SET email = 'dorota@example.com' WHERE id = 4")
    shop.close()
    result = CliRunner().invoke(
        app, ["calls", "--db", str(db_path), "--as-of", AS_OF.isoformat(), "--no-phone", "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(r["customer"], r["name"], r["email"]) for r in rows] == [("#4", "Dorota", "dorota@example.com")]
    assert rows[0]["message"].startswith("Hello Dorota,") and rows[0]["subject"]
    bad = CliRunner().invoke(app, ["calls", "--db", str(db_path), "--no-phone", "--language", "xx"])
    assert bad.exit_code != 0 and "unknown language" in bad.output and "Traceback" not in bad.output


def test_a_message_logged_as_sent_counts_like_a_call_and_can_be_undone(shop):
    assert [i.customer_id for i in today_list(shop, AS_OF).no_phone] == [4]
    call_id = log_call(shop, 4, "message_sent", reason="forgot", list_date=AS_OF)
    assert call_results(shop, AS_OF).calls == 1
    assert today_list(shop, AS_OF).no_phone == []  # contacted: not listed again today
    undo_call(shop, call_id)
    assert call_results(shop, AS_OF).calls == 0
    assert [i.customer_id for i in today_list(shop, AS_OF).no_phone] == [4]
