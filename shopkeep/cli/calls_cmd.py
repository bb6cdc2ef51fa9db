"""`shopkeep calls` (today's list, results, look back) and `shopkeep export calls`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shopkeep import calls, reasons
from shopkeep.cli import app, export_app
from shopkeep.cli.common import AsOfOption, DbOption, as_of_for, handled, open_store, report_written
from shopkeep.errors import ShopkeepError
from shopkeep.exporting import FORMATS, write_rows
from shopkeep.notes import clean_text
from shopkeep.outputs import Written

calls_app = typer.Typer(help="Who to call today, and what the calls brought.", invoke_without_command=True)
app.add_typer(calls_app, name="calls")

FormatOption = Annotated[str, typer.Option("--format", help="table or csv.")]
NO_PHONE_IDS = 20  # customers without a phone named (by name and reference), the most valuable first
LIST_COLUMNS = ("customer", "name", "phone", "kind", "reason", "why", "priority")


def _plain(value: object) -> str:
    """Customer text as one harmless line for a terminal."""
    return "" if value is None else clean_text(str(value))


NO_PHONE_COLUMNS = ("customer", "name", "email", "reason", "why", "subject", "message", "sms")


def _print_no_phone(day: str, found: list, fmt: str) -> None:
    """The no-phone list for a mail tool (csv) or to read (table)."""
    rows = [(o.ref, o.name, o.email, o.reason, o.why, o.message.subject, o.message.body, o.message.sms) for o in found]
    if fmt == "csv":
        write_rows(None, "csv", NO_PHONE_COLUMNS, rows)
        return
    if not rows:
        typer.echo(f"nobody without a phone to write to on {day}")
        return
    typer.echo(f"customers without a phone on {day}: {len(rows)} (--format csv adds each message)")
    for o in found:
        email = _plain(o.email) or "no email"
        typer.echo(f"{_plain(o.ref):<10}  {_plain(o.name):<24}  {email:<32}  {o.message.subject}")


def _item_row(item: calls.CallItem) -> tuple[object, ...]:
    reason = reasons.label(item.reason)
    return (item.ref, item.name, item.phone, item.kind, reason, item.why, item.priority)


@calls_app.callback()
@handled
def calls_list(
    ctx: typer.Context,
    db: DbOption = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = "table",
    limit: Annotated[int | None, typer.Option("--limit", help="At most this many (default: the daily cap).")] = None,
    no_phone: Annotated[
        bool,
        typer.Option(
            "--no-phone",
            help="Instead: the customers without a phone, with their email and a message for the reason.",
        ),
    ] = False,
    language: Annotated[str | None, typer.Option("--language", help="en, ru or pl (default: the scripts').")] = None,
) -> None:
    """Today's call list: who, why, and the likely reason."""
    if ctx.invoked_subcommand is not None:
        return
    if fmt not in ("table", "csv"):
        raise ShopkeepError(f"unknown format {fmt!r}; use table or csv")
    if limit is not None and limit < 1:
        raise ShopkeepError("--limit must be at least 1")
    with open_store(db, create=False) as store:
        day = as_of_for(store, as_of)
        settings = calls.load_settings(store)
        if limit is not None:
            settings = settings.model_copy(update={"daily_cap": limit})
        result = calls.today_list(store, day, settings)
        if no_phone:
            from shopkeep.messages import outreach

            _print_no_phone(day.isoformat(), outreach(store, result.no_phone, language), fmt)
            return
    rows = [_item_row(item) for item in result.items]
    if fmt == "csv":
        write_rows(None, "csv", LIST_COLUMNS, rows)
        return
    if not rows:
        typer.echo(f"nobody to call on {day.isoformat()}")
    else:
        typer.echo(f"call list for {day.isoformat()}: {len(rows)} customers")
        # the kind as words on screen ("compensation late"); csv keeps the code
        text_rows = [tuple(_plain(v) for v in (*row[:3], str(row[3]).replace("_", " "), *row[4:])) for row in rows]
        widths = [max(len(c), *(len(r[i]) for r in text_rows)) for i, c in enumerate(LIST_COLUMNS[:-2])]
        typer.echo("  ".join(c.ljust(w) for c, w in zip(LIST_COLUMNS[:-2], widths, strict=True)) + "  priority  why")
        for r in text_rows:
            cells = "  ".join(v.ljust(w) for v, w in zip(r[:-2], widths, strict=True))
            typer.echo(f"{cells}  {r[-1]:>8}  {r[-2]}")
    if result.over_cap:
        typer.echo(f"{result.over_cap} more left for another day (daily cap {settings.daily_cap})")
    if result.no_phone:
        ids = ", ".join(_plain(item.label) for item in result.no_phone[:NO_PHONE_IDS])
        more = len(result.no_phone) - NO_PHONE_IDS
        ids += f" and {more} more" if more > 0 else ""
        have = "has" if len(result.no_phone) == 1 else "have"
        typer.echo(f"{len(result.no_phone)} more {have} no phone; email or text them instead ({ids})")


def _percent(value: float | None, *, signed: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value * 100:+.0f}%" if signed else f"{value * 100:.0f}%"


@calls_app.command("results")
@handled
def results(db: DbOption = None, as_of: AsOfOption = None) -> None:
    """What the calls brought, side by side with what other shops report."""
    with open_store(db, create=False) as store:
        day = as_of_for(store, as_of)
        settings = calls.load_settings(store)
        r = calls.call_results(store, day, settings)
    typer.echo(f"call results as of {day.isoformat()} (won back = ordered within {settings.won_back_days} days)")
    typer.echo(f"{'':<26}{'yours':<16}practice")
    typer.echo(f"{'calls made':<26}{r.calls}")
    typer.echo(f"{'reached':<26}{_percent(r.reach_rate)} ({r.reached})")
    agree = f"{_percent(r.agree_rate)} ({r.agreed})"
    typer.echo(f"{'agreed to return':<26}{agree:<16}about {_percent(calls.PRACTICE_AGREE_RATE)}")
    conv = f"{_percent(r.conversion)} ({r.won_back})"
    typer.echo(f"{'call → order':<26}{conv:<16}about {_percent(calls.PRACTICE_CONVERSION)}")
    lift = _percent(r.aov_lift, signed=True)
    typer.echo(f"{'order vs earlier AOV':<26}{lift:<16}about {_percent(calls.PRACTICE_AOV_LIFT, signed=True)}")
    if r.per_reason:
        typer.echo("by reason:")
    for row in r.per_reason:
        label = reasons.label(row.reason)
        typer.echo(f"  {label}: {row.calls} calls, {row.reached} reached, {row.won_back} won back")


@calls_app.command("lookback")
@handled
def lookback(
    days: Annotated[int, typer.Option("--days", help="Look at the list from this many days ago.")] = 30,
    db: DbOption = None,
    as_of: AsOfOption = None,
) -> None:
    """Of the list from N days ago, who came back: by reason and by outcome."""
    with open_store(db, create=False) as store:
        day = as_of_for(store, as_of)
        lb = calls.look_back(store, days, day)
    typer.echo(
        f"list of {lb.list_date.isoformat()}: {lb.listed} customers, {lb.came_back} ordered by {day.isoformat()}"
    )
    for title, rows in (("by reason", lb.by_reason), ("by outcome", lb.by_outcome)):
        typer.echo(f"{title}:")
        for row in rows:
            label = reasons.label(row.label)
            typer.echo(f"  {label}: {row.listed} listed, {row.came_back} came back")


EXPORT_COLUMNS = ("called_at", "customer", "name", "outcome", "reason", "offer", "note", "callback_on", "list_date")


@export_app.command("calls")
@handled
def export_calls(
    db: DbOption = None,
    as_of: AsOfOption = None,
    fmt: Annotated[str, typer.Option("--format", help=f"One of: {', '.join(FORMATS)}.")] = "csv",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to this file (default: stdout).")] = None,
) -> None:
    """The call log: when, customer, outcome, reason, offer, note."""
    if fmt not in FORMATS:
        raise ShopkeepError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
    with open_store(db, create=False) as store:
        day = as_of_for(store, as_of)
        log = calls.call_log(store, day)
        rows = [tuple(row[c] for c in EXPORT_COLUMNS) for row in log]
        count = write_rows(output, fmt, EXPORT_COLUMNS, rows, record=Written(store, "export", "calls"))
    report_written(count, "call", "calls", output)
