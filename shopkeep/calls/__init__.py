"""Call today: who to call, why, with which script; logging what happened; who came back.

The list is a pure function of plain inputs (customer metrics, the call log, open promises,
orders, points, settings and the day "as of"), so the same list can be rebuilt for any past
day. `today_list` loads those inputs from the store; `CallQueue` is the list as it is walked, inside
the calling session (`shopkeep.call_session`) that the Today screen drives.

Where each part lives:
    settings.py       CallSettings: the daily cap, the windows of the checks, the script language
    inputs.py         the list's inputs as plain records (Contact, CallRecord, PromiseRecord, OrderRecord)
    list_builder.py   build_list: who to call and why, a pure function of the inputs
    loader.py         the inputs read from the store as of a day (load_inputs, light_inputs)
    daily_list.py     today_list: the day's list, built once and kept; stored_list for look-back
    queue.py          CallQueue: the list as the calling session walks it
    placeholders.py   what a script is filled with for a customer; script_for
    writes.py         log_call, promises kept, do-not-call, drafts, undo_call
    formatting.py     promise amounts typed and promises said in one line
    results.py        call_results: who came back after a call; call_log for export
    look_back.py      look_back: the last days' lists, called and won back
"""

from __future__ import annotations

from shopkeep.calls.daily_list import kept_list, stored_list, today_list
from shopkeep.calls.formatting import PROMISE_LABELS, promise_amount, promise_text
from shopkeep.calls.inputs import CallRecord, Contact, ListInputs, OrderRecord, PromiseRecord
from shopkeep.calls.list_builder import (
    FRESH_KINDS,
    KINDS,
    PROMISED_KINDS,
    REASON_LABELS,
    CallItem,
    CallList,
    build_list,
    suggest_reason,
)
from shopkeep.calls.loader import load_inputs, recent_window
from shopkeep.calls.look_back import LookBack, LookBackRow, look_back, look_back_from
from shopkeep.calls.placeholders import placeholders, script_for
from shopkeep.calls.queue import CallQueue
from shopkeep.calls.results import (
    PRACTICE_AGREE_RATE,
    PRACTICE_AOV_LIFT,
    PRACTICE_CONVERSION,
    ReasonResult,
    Results,
    call_log,
    call_results,
    results_from,
    won_back_orders,
)
from shopkeep.calls.settings import SETTINGS_KEY, CallSettings, load_settings, save_settings
from shopkeep.calls.writes import (
    NOT_REACHED,
    OUTCOME_KEYS,
    OUTCOMES,
    PROMISE_KINDS,
    Promise,
    close_promise,
    customer_promises,
    load_draft,
    log_call,
    mark_do_not_call,
    save_draft,
    take_draft,
    undo_call,
)

__all__ = [
    "FRESH_KINDS",
    "KINDS",
    "NOT_REACHED",
    "OUTCOMES",
    "OUTCOME_KEYS",
    "PRACTICE_AGREE_RATE",
    "PRACTICE_AOV_LIFT",
    "PRACTICE_CONVERSION",
    "PROMISED_KINDS",
    "PROMISE_KINDS",
    "PROMISE_LABELS",
    "REASON_LABELS",
    "SETTINGS_KEY",
    "CallItem",
    "CallList",
    "CallQueue",
    "CallRecord",
    "CallSettings",
    "Contact",
    "ListInputs",
    "LookBack",
    "LookBackRow",
    "OrderRecord",
    "Promise",
    "PromiseRecord",
    "ReasonResult",
    "Results",
    "build_list",
    "call_log",
    "call_results",
    "close_promise",
    "customer_promises",
    "kept_list",
    "load_draft",
    "load_inputs",
    "load_settings",
    "log_call",
    "look_back",
    "look_back_from",
    "mark_do_not_call",
    "placeholders",
    "promise_amount",
    "promise_text",
    "recent_window",
    "results_from",
    "save_draft",
    "save_settings",
    "script_for",
    "stored_list",
    "suggest_reason",
    "take_draft",
    "today_list",
    "undo_call",
    "won_back_orders",
]
