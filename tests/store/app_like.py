"""A process shaped like the open app: one long-lived connection (the app's watcher) and, for each
call logged, a new Store opened by a worker, through the same core function the app uses
(shopkeep.calls.log_call). Driven line by line on stdin; answers one line per command on stdout:

    log CUSTOMER_ID   -> "ok CALL_ID" once the commit returned, or "fail ERRORTYPE"
    poll              -> "ok DATA_VERSION" (the app polls PRAGMA data_version every 2 s)
    quit              -> closes the long-lived connection, answers "bye"

Run: python app_like.py DB_PATH
"""

from __future__ import annotations

import sys

from shopkeep import calls
from shopkeep.store import Store


def main(db: str) -> int:
    watcher = Store.open(db, create=False)  # the app's watcher: open for as long as the app runs
    watcher.data_version()
    print("ready", flush=True)
    for line in sys.stdin:
        command, _, arg = line.strip().partition(" ")
        if command == "quit":
            break
        try:
            if command == "log":
                with Store.open(db, create=False) as store:  # what the app's worker does for each call
                    store.patience = 60
                    answer = calls.log_call(store, int(arg), "no_answer")
            else:
                answer = watcher.data_version()
            print(f"ok {answer}", flush=True)
        except Exception as exc:  # report, as the app's notification would, and go on
            print(f"fail {type(exc).__name__}", flush=True)
            watcher.data_version()
    watcher.close()
    print("bye", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
