"""`shopkeep calls` (today's list, results, look back) and `shopkeep export calls`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shopkeep import calls, reasons
from shopkeep.cli import app, export_app
from shopkeep.cli.common import AsOfOption, DbOption, as_of_for, handled, help_with, open_store, report_written
from shopkeep.errors import ShopkeepError
from shopkeep.exporting import FORMATS, write_rows
from shopkeep.i18n import N_, _, format_date, format_number, ngettext
from shopkeep.notes import clean_text
from shopkeep.outputs import Written

calls_app = typer.Typer(help=N_("Who to call today, and what the calls brought."), invoke_without_command=True)
app.add_typer(calls_app, name="calls")

FormatOption = Annotated[str, typer.Option("--format", help=N_("table or csv."))]
NO_PHONE_IDS = 20  # customers without a phone named (by name and reference), the most valuable first
LIST_COLUMNS = ("customer", "name", "phone", "kind", "reason", "why", "priority")  # the csv's header
# The table's header, in the language in use.
LIST_TITLES = (N_("customer"), N_("name"), N_("phone"), N_("kind"), N_("reason"))


def _plain(value: object) -> str:
    """Customer text as one harmless line for a terminal."""
    return "" if value is None else clean_text(str(value))


NO_PHONE_COLUMNS = ("customer", "name", "email", "reason", "why", "subject", "message", "sms")


def _print_no_phone(day: str, found: list, fmt: str) -> None:  # day: as people write it
    """The no-phone list for a mail tool (csv) or to read (table)."""
    rows = [(o.ref, o.name, o.email, o.reason, o.why, o.message.subject, o.message.body, o.message.sms) for o in found]
    if fmt == "csv":
        write_rows(None, "csv", NO_PHONE_COLUMNS, rows)
        return
    if not rows:
        typer.echo(_("nobody without a phone to write to on {day}").format(day=day))
        return
    typer.echo(
        _("customers without a phone on {day}: {n} (--format csv adds each message)").format(
            day=day, n=format_number(len(rows))
        )
    )
    for o in found:
        email = _plain(o.email) or _("no email")
        typer.echo(f"{_plain(o.ref):<10}  {_plain(o.name):<24}  {email:<32}  {o.message.subject}")


# Why someone is on the list (calls.KINDS), as words on screen; the csv keeps the code.
KIND_LABELS = {
    "callback": N_("callback"),
    "compensation_late": N_("compensation late"),
    "complaint": N_("complaint"),
    "welcome": N_("welcome"),
    "winback": N_("winback"),
}


# A call's outcome (calls.OUTCOMES, and "not called" in a look back), as words on screen.
OUTCOME_LABELS = {
    "no_answer": N_("no answer"),
    "will_return": N_("will return"),
    "not_interested": N_("not interested"),
    "call_later": N_("call later"),
    "wrong_number": N_("wrong number"),
    "welcomed": N_("welcomed"),
    "other": N_("other"),
    "message_sent": N_("message sent"),
    "not called": N_("not called"),
}


def _kind(kind: str) -> str:
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind.replace("_", " ")


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
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            help=N_(
                "How many to call (default: the daily cap). Call-backs and promises that are due are always"
                " listed, and win-back and welcome calls keep their share, so the list can be a little longer."
            ),
        ),
    ] = None,
    no_phone: Annotated[
        bool,
        typer.Option(
            "--no-phone",
            help=N_("Instead: the customers without a phone, with their email and a message for the reason."),
        ),
    ] = False,
    language: Annotated[
        str | None, typer.Option("--language", help=N_("en, ru or pl (default: the scripts')."))
    ] = None,
) -> None:
    """Today's call list: who, why, and the likely reason."""
    if ctx.invoked_subcommand is not None:
        return
    if fmt not in ("table", "csv"):
        raise ShopkeepError(_("unknown format {fmt!r}; use table or csv").format(fmt=fmt))
    if limit is not None and limit < 1:
        raise ShopkeepError(_("--limit must be at least 1"))
    with open_store(db, create=False) as store:
        day = as_of_for(store, as_of)
        settings = calls.load_settings(store)
        if limit is not None:
            settings = settings.model_copy(update={"daily_cap": limit})
        result = calls.today_list(store, day, settings)
        if no_phone:
            from shopkeep.messages import outreach

            _print_no_phone(format_date(day), outreach(store, result.no_phone, language), fmt)
            return
    rows = [_item_row(item) for item in result.items]
    if fmt == "csv":
        write_rows(None, "csv", LIST_COLUMNS, rows)
        return
    if not rows:
        typer.echo(_("nobody to call on {day}").format(day=format_date(day)))
    else:
        typer.echo(
            ngettext("call list for {day}: {n} customer", "call list for {day}: {n} customers", len(rows)).format(
                day=format_date(day), n=format_number(len(rows))
            )
        )
        # the kind as words on screen ("compensation late"); csv keeps the code
        text_rows = [tuple(_plain(v) for v in (*row[:3], _kind(str(row[3])), *row[4:])) for row in rows]
        titles = [_(title) for title in LIST_TITLES]
        widths = [max(len(c), *(len(r[i]) for r in text_rows)) for i, c in enumerate(titles)]
        priority = _("priority")
        typer.echo("  ".join(c.ljust(w) for c, w in zip(titles, widths, strict=True)) + f"  {priority:>8}  " + _("why"))
        for r in text_rows:
            cells = "  ".join(v.ljust(w) for v, w in zip(r[:-2], widths, strict=True))
            typer.echo(f"{cells}  {r[-1]:>8}  {r[-2]}")
    if result.over_cap:
        typer.echo(
            ngettext(
                "{n} more left for another day (daily cap {cap})",
                "{n} more left for another day (daily cap {cap})",
                result.over_cap,
            ).format(n=format_number(result.over_cap), cap=settings.daily_cap)
        )
    if result.no_phone:
        ids = ", ".join(_plain(item.label) for item in result.no_phone[:NO_PHONE_IDS])
        more = len(result.no_phone) - NO_PHONE_IDS
        ids += _(" and {n} more").format(n=format_number(more)) if more > 0 else ""
        typer.echo(
            ngettext(
                "{n} more has no phone; email or text them instead ({ids})",
                "{n} more have no phone; email or text them instead ({ids})",
                len(result.no_phone),
            ).format(n=format_number(len(result.no_phone)), ids=ids)
        )


def _percent(value: float | None, *, signed: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value * 100:+.0f}%" if signed else f"{value * 100:.0f}%"


@calls_app.command("results", help=N_("What the calls brought, side by side with what other shops report."))
@handled
def results(db: DbOption = None, as_of: AsOfOption = None) -> None:
    with open_store(db, create=False) as store:
        day = as_of_for(store, as_of)
        settings = calls.load_settings(store)
        r = calls.call_results(store, day, settings)
    typer.echo(
        ngettext(
            "call results as of {day} (won back = ordered within {n} day)",
            "call results as of {day} (won back = ordered within {n} days)",
            settings.won_back_days,
        ).format(day=format_date(day), n=settings.won_back_days)
    )
    about = _("about {share}")
    rows = [
        (_("calls made"), format_number(r.calls), ""),
        (_("reached"), f"{_percent(r.reach_rate)} ({format_number(r.reached)})", ""),
        (
            _("agreed to return"),
            f"{_percent(r.agree_rate)} ({format_number(r.agreed)})",
            about.format(share=_percent(calls.PRACTICE_AGREE_RATE)),
        ),
        (
            _("call → order"),
            f"{_percent(r.conversion)} ({format_number(r.won_back)})",
            about.format(share=_percent(calls.PRACTICE_CONVERSION)),
        ),
        (
            _("order vs earlier AOV"),
            _percent(r.aov_lift, signed=True),
            about.format(share=_percent(calls.PRACTICE_AOV_LIFT, signed=True)),
        ),
    ]
    first = max(26, *(len(label) + 2 for label, _yours, _practice in rows))
    second = max(16, len(_("yours")) + 2, *(len(yours) + 2 for _label, yours, _practice in rows))
    yours, practice = _("yours"), _("practice")
    typer.echo(f"{'':<{first}}{yours:<{second}}{practice}")
    for label, yours, practice in rows:
        typer.echo(f"{label:<{first}}{yours:<{second}}{practice}".rstrip())
    if r.per_reason:
        typer.echo(_("by reason:"))
    for row in r.per_reason:
        label = reasons.label(row.reason)
        counts = ngettext(
            "{n} call, {reached} reached, {won} won back", "{n} calls, {reached} reached, {won} won back", row.calls
        ).format(n=format_number(row.calls), reached=format_number(row.reached), won=format_number(row.won_back))
        typer.echo(f"  {label}: {counts}")


@calls_app.command("lookback", help=N_("Of the list from N days ago, who came back: by reason and by outcome."))
@handled
def lookback(
    days: Annotated[int, typer.Option("--days", help=N_("Look at the list from this many days ago."))] = 30,
    db: DbOption = None,
    as_of: AsOfOption = None,
) -> None:
    with open_store(db, create=False) as store:
        day = as_of_for(store, as_of)
        lb = calls.look_back(store, days, day)
    typer.echo(
        ngettext(
            "list of {day}: {n} customer, {back} ordered by {today}",
            "list of {day}: {n} customers, {back} ordered by {today}",
            lb.listed,
        ).format(
            day=format_date(lb.list_date),
            n=format_number(lb.listed),
            back=format_number(lb.came_back),
            today=format_date(day),
        )
    )
    for title, rows, words in (
        (_("by reason:"), lb.by_reason, reasons.label),
        (_("by outcome:"), lb.by_outcome, lambda key: _(OUTCOME_LABELS[key]) if key in OUTCOME_LABELS else key),
    ):
        typer.echo(title)
        for row in rows:
            label = words(row.label)
            counts = _("{listed} listed, {back} came back").format(
                listed=format_number(row.listed), back=format_number(row.came_back)
            )
            typer.echo(f"  {label}: {counts}")


EXPORT_COLUMNS = ("called_at", "customer", "name", "outcome", "reason", "offer", "note", "callback_on", "list_date")


@export_app.command("calls", help=N_("The call log: when, customer, outcome, reason, offer, note."))
@handled
def export_calls(
    db: DbOption = None,
    as_of: AsOfOption = None,
    fmt: Annotated[
        str, typer.Option("--format", help=help_with(N_("One of: {formats}."), formats=", ".join(FORMATS)))
    ] = "csv",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help=N_("Write to this file (default: stdout)."))
    ] = None,
) -> None:
    if fmt not in FORMATS:
        raise ShopkeepError(
            _("unknown format {fmt!r}; use one of: {formats}").format(fmt=fmt, formats=", ".join(FORMATS))
        )
    with open_store(db, create=False) as store:
        day = as_of_for(store, as_of)
        log = calls.call_log(store, day)
        rows = [tuple(row[c] for c in EXPORT_COLUMNS) for row in log]
        count = write_rows(output, fmt, EXPORT_COLUMNS, rows, record=Written(store, "export", "calls"))
    report_written(ngettext("wrote {n} call to {path}", "wrote {n} calls to {path}", count), count, output)
